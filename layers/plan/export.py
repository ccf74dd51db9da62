"""A variant of the planned project as files: footprints with their heights, and its figures.

* :func:`write_variant`: GeoJSON (``.geojson``/``.json``) or GeoPackage (``.gpkg``) footprints, one
  feature per planned building with ``height_m`` (wall top above the ground, metres), ``storeys``,
  ``storey_height_m``, ``floor_area_m2`` (footprint × storeys), ``roof``, ``roof_pitch_deg`` and the
  variant's name, in the scene CRS; GeoJSON can also be written in WGS84 longitude / latitude as
  RFC 7946 asks (``wgs84=True``).
* :func:`write_figures_csv`: the figures of one variant or of several side by side (one row per
  figure, one column per variant), numbers in plain decimal notation so a spreadsheet reads them.

Everything goes through :mod:`layers.io.atomic` (the previous file kept whole on failure).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from layers.core.errors import InputError
from layers.io.atomic import atomic_write_text, replacing
from layers.plan.figures import LOSS_HOURS, PlanFigures
from layers.plan.model import Variant

if TYPE_CHECKING:
    import geopandas as gpd
    from pyproj import CRS

#: footprint formats, by suffix
FOOTPRINT_SUFFIXES = (".geojson", ".json", ".gpkg")
#: the GeoPackage layer the footprints are written to
GPKG_LAYER = "projet"


def variant_frame(variant: Variant, crs: CRS | None) -> gpd.GeoDataFrame:
    """One row per planned building of ``variant`` (footprints in ``crs``, the scene's)."""
    import geopandas as gpd
    import numpy as np

    buildings = variant.buildings
    return gpd.GeoDataFrame(
        {
            "id": [b.id for b in buildings],
            "name": [b.name for b in buildings],
            "variant": [variant.name] * len(buildings),
            "height_m": np.array([round(b.height_m, 2) for b in buildings], dtype=np.float64),
            "storeys": np.array([b.storeys for b in buildings], dtype=np.int64),
            "storey_height_m": np.array([round(b.storey_height_m, 2) for b in buildings], dtype=np.float64),
            "floor_area_m2": np.array([round(b.floor_area_m2, 1) for b in buildings], dtype=np.float64),
            "roof": [b.roof for b in buildings],
            "roof_pitch_deg": np.array(
                [round(b.roof_pitch_deg, 1) if b.roof != "flat" else 0.0 for b in buildings], dtype=np.float64
            ),
        },
        geometry=gpd.GeoSeries([b.polygon for b in buildings], crs=crs),
        crs=crs,
    )


def write_variant(variant: Variant, crs: CRS | None, path: str | Path, *, wgs84: bool = False) -> Path:
    """Write ``variant``'s footprints to ``path`` (GeoJSON or GeoPackage by its suffix) in ``crs``
    (scene CRS, metres), or in WGS84 per RFC 7946 when ``wgs84`` (GeoJSON only).

    :raises InputError: an unknown suffix, no CRS, a variant without buildings, WGS84 asked of a
        GeoPackage. :raises OutputError: the file cannot be written (the previous one is kept).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FOOTPRINT_SUFFIXES:
        raise InputError(path, "a variant is written as GeoJSON (.geojson) or GeoPackage (.gpkg)")
    if crs is None:
        raise InputError(None, "the scene has no coordinate reference system to write the project in")
    if not variant.buildings:
        raise InputError(None, f"variant {variant.name!r} has no building to export")
    frame = variant_frame(variant, crs)
    if suffix == ".gpkg":
        if wgs84:
            raise InputError(path, "WGS84 longitude / latitude is a GeoJSON option (RFC 7946)")
        with replacing(path, quiet=True) as temp:
            frame.to_file(temp, driver="GPKG", layer=GPKG_LAYER)
        return path
    if wgs84:
        with replacing(path, quiet=True) as temp:
            frame.to_crs(4326).to_file(temp, driver="GeoJSON", RFC7946="YES", WRITE_NAME="NO")
        return path
    atomic_write_text(path, frame.to_json(drop_id=True, to_wgs84=False, indent=1), make_folder=False)
    return path


# -- figures ----------------------------------------------------------------------------------------
#: (key, English label, French label, unit) of every figure a CSV can hold, in their order
_FIGURES: tuple[tuple[str, str, str, str], ...] = (
    ("buildings", "Buildings", "Bâtiments", ""),
    ("footprint_area_m2", "Footprint", "Emprise au sol", "m²"),
    ("floor_area_m2", "Floor area", "Surface de plancher", "m²"),
    ("top_m", "Height", "Hauteur", "m"),
    ("storeys_max", "Storeys", "Niveaux", ""),
    *(
        (f"ground_loss_{h}h_m2", f"Ground losing ≥ {h} h of sun", f"Sol privé de ≥ {h} h de soleil", "m²")
        for h in LOSS_HOURS
    ),
    *(
        (f"facade_loss_{h}h_m2", f"Façades losing ≥ {h} h", f"Façades privées de ≥ {h} h", "m²")
        for h in LOSS_HOURS
    ),
    ("neighbours", "Neighbours losing sun", "Bâtiments voisins touchés", ""),
    ("noise_max_db", "Façade noise, loudest", "Bruit en façade, maximum", "dB(A)"),
)


def figure_values(figures: PlanFigures) -> dict[str, float | int]:
    """The figures of a variant by key (see :data:`_FIGURES`); a figure not computed is absent."""
    values: dict[str, float | int] = {
        "buildings": figures.buildings,
        "footprint_area_m2": round(figures.footprint_area_m2, 1),
        "floor_area_m2": round(figures.floor_area_m2, 1),
        "top_m": round(figures.top_m, 2),
        "storeys_max": figures.storeys_max,
    }
    for h, area in figures.ground_loss_m2.items():
        values[f"ground_loss_{h}h_m2"] = round(area, 1)
    for h, area in figures.facade_loss_m2.items():
        values[f"facade_loss_{h}h_m2"] = round(area, 1)
    if figures.ground_loss_m2 or figures.facade_loss_m2 or figures.neighbours:
        values["neighbours"] = len(figures.neighbours)
    if figures.noise is not None:
        values["noise_max_db"] = round(figures.noise.max_db, 1)
    return values


def figures_table(figures: Sequence[PlanFigures], language: str = "en") -> tuple[list[str], list[list[str]]]:
    """Header and rows of the figures of ``figures`` side by side: ``figure`` (key), ``label``
    (in ``language``), ``unit``, then one column per variant (plain numbers, "" where a variant
    lacks a figure). Rows no variant has are left out."""
    fr = language == "fr"
    values = [figure_values(f) for f in figures]
    header = ["figure", "label", "unit", *(f.variant for f in figures)]
    rows = []
    for key, english, french, unit in _FIGURES:
        if not any(key in v for v in values):
            continue
        rows.append([key, french if fr else english, unit, *(_plain(v.get(key)) for v in values)])
    if figures:
        rows.append(["day", "Jour étudié" if fr else "Study day", "", *(f.day.isoformat() for f in figures)])
    return header, rows


def figures_csv(figures: Sequence[PlanFigures], language: str = "en") -> str:
    """:func:`figures_table` as CSV text (comma-separated, UTF-8, ``\\n`` line ends)."""
    header, rows = figures_table(figures, language)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_figures_csv(figures: Sequence[PlanFigures], path: str | Path, language: str = "en") -> Path:
    """Write the figures of one variant or of several (one column each) to ``path`` (CSV)."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise InputError(path, "figures are written as CSV (.csv)")
    if not figures:
        raise InputError(None, "there are no figures to export")
    return atomic_write_text(path, figures_csv(figures, language), make_folder=False)


#: how many figures the presentation caption shows on its first line (floor area, height, storeys)
CAPTION_MAIN = 3


def caption_text(figures: PlanFigures, language: str = "fr") -> str:
    """The variant's name and its main figures for the presentation caption, in ``language``: the
    floor area, height and storeys on a first line; the ground losing ≥ 2 h of sun (else ≥ 1 h)
    and the neighbouring buildings touched on a second, when they were computed."""
    from layers.core.numbers import number

    fr = language == "fr"
    colon = " : " if fr else ": "
    labels = {key: (french if fr else english, unit) for key, english, french, unit in _FIGURES}
    first = " · ".join(f"{label}{colon}{value}" for label, value in figures.rows(language)[:CAPTION_MAIN])
    values = figure_values(figures)
    second = []
    ground = [
        key for key in (f"ground_loss_{h}h_m2" for h in sorted(LOSS_HOURS, reverse=True)) if key in values
    ]
    for key in ground[:1] + (["neighbours"] if "neighbours" in values else []):
        label, unit = labels[key]
        text = number(float(values[key]), language, 0)
        second.append(f"{label}{colon}{text}{' ' + unit if unit else ''}")
    name = f"{'Variante' if fr else 'Variant'} {figures.variant}"
    return f"{name} — {first}" + (f"\n{' · '.join(second)}" if second else "")


def _plain(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}".rstrip("0").rstrip(".")
