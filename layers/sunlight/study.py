"""The sun studies Maquette runs, each written once for the command line and the app.

* :func:`shade_to_file`: the ground shadows of buildings at one instant, written as a vector file
  (``maquette shade``, and *Export › Data › shadows* / ``maquette export --data shadows``);
* :func:`sunlight_study`: hours of sun over a day, or what a planned project takes away, written
  as GeoTIFFs with the figures a public meeting asks for (``maquette sunlight`` and the app's
  « Ensoleillement » dialog);
* :func:`run_study`: that study on a scene, as the dialog runs it (off the GUI thread): the visible
  buildings layers are the existing city, the layers marked as a planned project (option
  ``proposed: true`` or ``role: "proposed"`` in the project file, or « Marquer comme projet » in
  the layer panel) are the project; the results are opened as
  :class:`layers.sunlight.layer.SunlightLayer` layers, named in the interface's language at the
  time they are made (:data:`LAYER_NAMES`; the name is then the user's, kept as it is), their
  files written where the user chose (:func:`default_results_folder` proposes one beside the
  project, never a hidden cache folder).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from time import perf_counter
from typing import Any, NamedTuple

import numpy as np
import shapely
from pyproj import CRS

from layers.buildings.layer import BuildingsLayer
from layers.buildings.planned import is_proposed
from layers.core.base import Layer
from layers.core.errors import InputError
from layers.core.numbers import number
from layers.core.timeutil import day_and_month
from layers.io.atomic import Replacement, check_writable, replacing
from layers.io.raster_file import stale_beside
from layers.sun.casters import casters, gather
from layers.sun.shadow_map import Footprints, GroundShadows, ground_shadows
from layers.sunlight.hours import (
    SunlightChange,
    SunlightHours,
    automatic_grid_fits,
    sunlight_change,
    sunlight_hours,
    write_hours,
)
from layers.sunlight.layer import SunlightLayer

#: vector files ground shadows can be written to: suffix → OGR driver
SHADOW_DRIVERS = {
    ".gpkg": "GPKG",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".fgb": "FlatGeobuf",
    ".shp": "ESRI Shapefile",
}
#: name of the shadows' layer in a GeoPackage
SHADOW_LAYER = "ombres"
#: parts of a Shapefile that must not outlive the one they came with
SHAPEFILE_STALE = (".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".shp.xml")


class Words(NamedTuple):
    """A generated name in English and in French (``{day}``, ``{project}``: filled in)."""

    english: str
    french: str

    def say(self, language: str, **parts: str) -> str:
        return (self.french if language == "fr" else self.english).format(**parts)


#: the names of the layers a study makes, per result; ``{day}`` is the day as the language writes it
LAYER_NAMES: dict[str, Words] = {
    "hours": Words("Sunlight on {day}", "Ensoleillement le {day}"),
    "before": Words("Sun on {day}, before the project", "Soleil le {day}, avant le projet"),
    "after": Words("Sun on {day}, with the project", "Soleil le {day}, avec le projet"),
    "difference": Words("Sun lost on {day} (project)", "Soleil perdu le {day} (projet)"),
}
#: the files a study writes, per result (``{project}``: the planned layers' names, ``{day}``: ISO)
FILE_NAMES: dict[str, Words] = {
    "hours": Words("sunlight_{day}.tif", "ensoleillement_{day}.tif"),
    "before": Words("sun_before_{project}_{day}.tif", "soleil_avant_{project}_{day}.tif"),
    "after": Words("sun_after_{project}_{day}.tif", "soleil_apres_{project}_{day}.tif"),
    "difference": Words("sun_difference_{project}_{day}.tif", "soleil_difference_{project}_{day}.tif"),
}
#: a planned project without a usable name, in file names
UNNAMED_PROJECT = Words("project", "projet")
#: the folder proposed for a study's files, beside the project or in the user's documents
RESULTS_FOLDER = Words("sunlight", "ensoleillement")


@dataclass
class StudyResult:
    """Layers to add to the scene and the figures to show."""

    layers: list[SunlightLayer]
    figures: dict[str, Any] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


def footprints_of(layers: Sequence[Layer], crs: CRS, timezone: str) -> Footprints | None:
    """Every shadow caster of ``layers`` (buildings, trees, canopy:
    :class:`~layers.core.base.CastsShadows`, in ``crs``, metric) as one :class:`Footprints`."""
    prisms = gather(layers, crs)
    if prisms is None:
        return None
    return Footprints.from_arrays(prisms.polygons, prisms.top_m, prisms.base_m, crs, timezone, metric=crs)


@dataclass
class ShadeFile:
    """Ground shadows written by :func:`shade_to_file`: the result, the polygons written, and the
    seconds spent writing them (``write_s``)."""

    shadows: GroundShadows
    features: int
    write_s: float


def shade_to_file(
    footprints: Footprints, t: datetime, output: Path, area: tuple[float, float, float, float] | None = None
) -> ShadeFile:
    """The ground shadows of ``footprints`` at aware time ``t`` written to ``output`` (a vector file
    of :data:`SHADOW_DRIVERS`, replaced if it exists; layer ``ombres`` in a GeoPackage), in the
    footprints' source CRS: one polygon per shadow with its area and the sun's angles. ``area``
    (xmin, ymin, xmax, ymax in that CRS): only the shadows on it, cut at its edges (a store's
    area, its buildings read with a margin around it).

    Written whole or not at all (:mod:`layers.io.atomic`): a Shapefile's parts are written under
    temporary names and renamed together, parts of an older Shapefile of that name it does not
    have (``.cpg``, spatial indexes) removed. :class:`layers.core.errors.OutputError` naming the
    cause when the file cannot be written (the previous one kept)."""
    driver = SHADOW_DRIVERS.get(output.suffix.lower())
    if driver is None:
        raise InputError(output, f"cannot write shadows as {output.suffix or 'a file without extension'!r}")
    result = ground_shadows(footprints, t)
    if area is not None:
        result = _within(result, area)
    t0 = perf_counter()
    frame = result.frame()
    stale = SHAPEFILE_STALE if driver == "ESRI Shapefile" else ()
    with replacing(output, stale=stale, quiet=True) as temp:
        frame.to_file(temp, driver=driver, layer=SHADOW_LAYER if driver == "GPKG" else output.stem)
    return ShadeFile(result, int(len(frame)), perf_counter() - t0)


def _within(result: GroundShadows, area: tuple[float, float, float, float]) -> GroundShadows:
    """``result`` cut to ``area`` (its CRS): parts clipped, the area scaled by what is kept."""
    from dataclasses import replace

    if not len(result.parts):
        return result
    clipped = shapely.intersection(result.parts, shapely.box(*area))
    clipped = shapely.get_parts(clipped[~shapely.is_empty(clipped)])
    clipped = clipped[shapely.get_type_id(clipped) == 3]  # polygons (no slivers of lines or points)
    whole = float(shapely.area(result.parts).sum())
    kept = float(shapely.area(clipped).sum()) if len(clipped) else 0.0
    return replace(result, parts=clipped, area_m2=result.area_m2 * (kept / whole if whole else 0.0))


@dataclass(frozen=True)
class StudyFiles:
    """Where :func:`sunlight_study` writes: ``hours`` without a planned project; ``before``,
    ``after`` and ``difference`` (after − before) with one."""

    hours: Path
    before: Path
    after: Path
    difference: Path


@dataclass
class SunlightStudy:
    """What :func:`sunlight_study` computed and wrote.

    Attributes
    ----------
    hours
        The hours of sun (before the project, when there is one).
    change
        Before / after / difference with a planned project; ``None`` without.
    files
        The GeoTIFFs written: ``{"hours": …}``, or ``{"before": …, "after": …, "difference": …}``.
    figures
        ``max_hours``, ``resolution_m`` and, without a project, ``mean_hours`` (over the ground)
        and ``ground_area_m2``; with one, ``area_loss_1h_m2``, ``area_loss_2h_m2``,
        ``largest_loss_h``, ``project_footprint_m2`` and ``margin_m`` (m², h, m; not rounded).
    timings
        Seconds per step: ``prepare_s``, ``sun_s`` and ``write_s``.
    """

    hours: SunlightHours
    change: SunlightChange | None
    files: dict[str, Path]
    figures: dict[str, float]
    timings: dict[str, float] = field(default_factory=dict)


def sunlight_study(
    existing: Footprints,
    project: Footprints | None,
    day: date,
    files: StudyFiles,
    crs: CRS,
    *,
    step_min: float = 15.0,
    resolution_m: float | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    progress: Callable[[float, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SunlightStudy:
    """Hours of sun on the local ``day`` around ``existing`` buildings or, with a planned
    ``project`` (in ``existing``'s metric CRS), before / after it and the difference around it;
    written as GeoTIFFs in ``crs`` (see :class:`StudyFiles`). ``bounds``: the area computed, in
    the footprints' metric CRS (default: all of them, or around the project).

    The files are written whole or not at all (:class:`layers.io.atomic.Replacement`): before,
    after and difference go to temporary files and are renamed only once all three are complete,
    the difference last; a failure leaves the previous files and raises
    :class:`layers.core.errors.OutputError` naming the cause."""
    options: dict[str, Any] = {
        "step_min": step_min,
        "resolution_m": resolution_m,
        "bounds": bounds,
        "progress": progress,
        "cancelled": cancelled,
    }
    if project is None:
        result = sunlight_hours(existing, day, **options)
        t0 = perf_counter()
        with Replacement(quiet=True) as replacement:
            write_hours(result, replacement.add(files.hours, stale=stale_beside(files.hours)), crs)
        written = {"hours": files.hours}
        ground = ~np.isnan(result.hours)
        figures = {
            "mean_hours": float(np.nanmean(result.hours)) if ground.any() else 0.0,
            "max_hours": result.max_hours,
            "resolution_m": result.grid.size_m,
            "ground_area_m2": result.ground_area_m2(ground, existing.site.scale_factor),
        }
        timings = {**result.timings, "write_s": perf_counter() - t0}
        return SunlightStudy(result, None, written, figures, timings)
    change = sunlight_change(existing, project, day, **options)
    t0 = perf_counter()
    written = {"before": files.before, "after": files.after, "difference": files.difference}
    with Replacement(quiet=True) as replacement:  # the three together; the difference renamed last
        difference = replacement.add(files.difference, stale=stale_beside(files.difference))
        write_hours(change.before, replacement.add(files.before, stale=stale_beside(files.before)), crs)
        write_hours(change.after, replacement.add(files.after, stale=stale_beside(files.after)), crs)
        write_hours(
            change.before, difference, crs, values=change.difference, quantity="sunlight hours difference"
        )
    loss = change.difference
    figures = {
        "area_loss_1h_m2": change.area_loss_m2[1.0],
        "area_loss_2h_m2": change.area_loss_m2[2.0],
        "largest_loss_h": float(-np.nanmin(loss)) if np.isfinite(loss).any() else 0.0,
        "project_footprint_m2": change.project_footprint_m2,
        "margin_m": change.margin_m,
        "max_hours": change.before.max_hours,
        "resolution_m": change.before.grid.size_m,
    }
    timings = {**change.timings, "write_s": perf_counter() - t0}
    return SunlightStudy(change.before, change, written, figures, timings)


def run_study(
    scene: Any,
    day: date,
    folder: Path,
    *,
    step_min: float = 15.0,
    resolution_m: float | None = None,
    area: tuple[float, float, float, float] | None = None,
    progress: Callable[[float, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    language: str = "fr",
) -> StudyResult:
    """Sunlight of ``scene`` on ``day``: with planned buildings, before / after / difference;
    otherwise the hours over the visible buildings' extent. Files go to ``folder`` (made if
    missing; :class:`layers.core.errors.OutputError` before any computation when they could not
    be written there). The layers and files are named in ``language`` ("fr" or "en").

    ``area`` (scene CRS metres): the ground looked at. Without a planned project, when the
    buildings spread wider than an automatic grid covers (places far apart), the study covers
    the buildings within it (``figures["area"] = "view"``) instead of being refused."""
    buildings = [layer for layer in scene.layers if isinstance(layer, BuildingsLayer)]
    project_layers = [layer for layer in buildings if is_proposed(layer)]
    # the city as it is: its visible buildings, trees and canopy
    existing_layers = [layer for layer in casters(scene.layers) if not is_proposed(layer)]
    if not existing_layers and not project_layers:
        raise InputError(None, "the scene holds no buildings to cast shadows")
    crs, tz = scene.crs, scene.timezone
    project = footprints_of(project_layers, crs, tz)
    store_read = any(layer.kind == "streamed" for layer in existing_layers)
    if store_read:
        from layers.streamed.studies import MAX_MARGIN_M, with_store_areas

        # a store: its buildings around the project (and its study's margin), or the view, read
        # from the store whatever the view loaded
        study_area = area
        if project is not None and len(project):
            x0, y0, x1, y1 = (float(v) for v in shapely.total_bounds(project.polygons))
            study_area = (x0 - MAX_MARGIN_M, y0 - MAX_MARGIN_M, x1 + MAX_MARGIN_M, y1 + MAX_MARGIN_M)
        existing_layers = with_store_areas(existing_layers, study_area)
    existing = footprints_of(existing_layers, crs, tz)
    if existing is None:
        if project is None:  # buildings layers without a single building
            raise InputError(None, "the scene holds no buildings to cast shadows")
        existing = Footprints(  # a project alone on empty ground
            np.empty(0, dtype=object), np.empty(0), np.empty(0), project.crs, project.source_crs, project.site
        )
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # said in words below: no permission, a read-only disk, a file of that name...
    stamp = day.isoformat()
    label = day_and_month(day, language)
    name = "_".join(layer.name for layer in project_layers)[:40]
    safe = "".join(c if c.isalnum() else "_" for c in name).strip("_") or UNNAMED_PROJECT.say(language)
    paths = {key: folder / words.say(language, project=safe, day=stamp) for key, words in FILE_NAMES.items()}
    files = StudyFiles(**paths)
    for path in (files.hours,) if project is None else (files.before, files.after, files.difference):
        check_writable(path)
    bounds = None
    if store_read and project is None and area is not None:
        bounds = area  # the view's ground, not the margin read around it
    elif project is None and area is not None and resolution_m is None and len(existing):
        extent = tuple(float(v) for v in shapely.total_bounds(existing.polygons))
        if not automatic_grid_fits((extent[0], extent[1], extent[2], extent[3])):
            bounds = _buildings_within(existing, area)
    study = sunlight_study(
        existing,
        project,
        day,
        files,
        crs,
        step_min=step_min,
        resolution_m=resolution_m,
        bounds=bounds,
        progress=progress,
        cancelled=cancelled,
    )
    figures: dict[str, Any] = {"date": stamp, **study.figures}
    if bounds is not None:
        figures["area"] = "view"
    polar = existing.site.times(day).polar
    if polar is not None:  # the polar night or the midnight sun: said, not left to 0 h or 24 h
        figures["polar"] = polar
    if project is None:
        layer = SunlightLayer.load(study.files["hours"], name=LAYER_NAMES["hours"].say(language, day=label))
        return StudyResult([layer], figures, list(study.files.values()))
    layers = [
        SunlightLayer.load(study.files[key], name=LAYER_NAMES[key].say(language, day=label))
        for key in ("before", "after", "difference")
    ]
    layers[0].visible = layers[1].visible = False
    return StudyResult(layers, figures, list(study.files.values()))


def _buildings_within(
    footprints: Footprints, area: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """The extent of the buildings touching ``area`` (metric CRS), cut to it."""
    boxes = shapely.bounds(footprints.polygons)
    touching = (
        (boxes[:, 2] >= area[0])
        & (boxes[:, 0] <= area[2])
        & (boxes[:, 3] >= area[1])
        & (boxes[:, 1] <= area[3])
    )
    if not touching.any():
        raise InputError(None, "no buildings in view: look at the place to study")
    near = boxes[touching]
    return (
        max(float(near[:, 0].min()), area[0]),
        max(float(near[:, 1].min()), area[1]),
        min(float(near[:, 2].max()), area[2]),
        min(float(near[:, 3].max()), area[3]),
    )


def describe(figures: dict[str, Any], language: str = "fr") -> str:
    """The figures in one plain sentence in ``language`` ("fr" or "en"), for a meeting (the polar
    night and the midnight sun said as such)."""
    french = language == "fr"
    when = date.fromisoformat(str(figures["date"]))
    day = f"{when:%d/%m/%Y}" if french else f"{day_and_month(when, language)} {when.year}"
    if figures.get("polar") == "night":
        if french:
            return (
                f"Le {day}, le soleil ne se lève pas à cette latitude (nuit polaire) : "
                "aucune ombre, aucune heure de soleil."
            )
        return f"On {day}, the sun does not rise at this latitude (polar night): no shadow, no hour of sun."
    if figures.get("polar") == "day":
        midnight = (
            " Soleil de minuit : il ne se couche pas ce jour-là."
            if french
            else " Midnight sun: it does not set that day."
        )
        return describe({**figures, "polar": None}, language) + midnight
    loss = {
        key: _m2(figures[key], language) for key in ("area_loss_1h_m2", "area_loss_2h_m2") if key in figures
    }
    if loss and french:
        return (
            f"Le {day}, le projet retire au moins 1 h de soleil à {loss['area_loss_1h_m2']} "
            f"et au moins 2 h à {loss['area_loss_2h_m2']} de sol (perte la plus forte : "
            f"{_hours(figures['largest_loss_h'])}), "
            f"dans un rayon de {number(figures['margin_m'], language, 0)} m autour du projet."
        )
    if loss:
        return (
            f"On {day}, the project takes at least 1 h of sun from {loss['area_loss_1h_m2']} and at "
            f"least 2 h from {loss['area_loss_2h_m2']} of ground (largest loss: "
            f"{_hours(figures['largest_loss_h'])}), within {number(figures['margin_m'], language, 0)} m "
            "of the project."
        )
    view = figures.get("area") == "view"
    if french:
        where = " sur le sol regardé (les bâtiments sont trop éloignés pour une seule étude)" if view else ""
        return (
            f"Le {day}, le sol reçoit en moyenne {_hours(figures['mean_hours'])} de soleil direct{where} "
            f"(au plus {_hours(figures['max_hours'])})."
        )
    where = " on the ground looked at (the buildings are too far apart for one study)" if view else ""
    return (
        f"On {day}, the ground gets {_hours(figures['mean_hours'])} of direct sun on average{where} "
        f"(at most {_hours(figures['max_hours'])})."
    )


def _m2(value: float, language: str) -> str:
    return f"{number(value, language, 0)} m²"


def _hours(value: float) -> str:
    minutes = int(round(value * 60))
    return f"{minutes // 60} h {minutes % 60:02d}"


def default_results_folder(project: Any, language: str = "fr") -> Path:
    """The folder proposed for a study's files (the user may choose another): ``ensoleillement/``
    (``sunlight/`` in English) beside a saved project that can be written to, not the sample
    city's (it may be installed read-only); else in the user's documents (``$XDG_DOCUMENTS_DIR``,
    ``~/Documents``, or the home folder), in ``Maquette/``. Never a hidden folder: people look for
    their results with a file browser. The folder is not made here."""
    import os

    folder_name = RESULTS_FOLDER.say(language)
    path = getattr(project, "path", None) if project is not None else None
    if path is not None:
        folder = Path(path).parent
        try:
            from layers.session.opening import sample_project_path

            sample = sample_project_path().parent.resolve()
        except InputError:
            sample = None
        if folder.resolve() != sample and os.access(folder, os.W_OK):
            return folder / folder_name
    documents = os.environ.get("XDG_DOCUMENTS_DIR")
    base = Path(documents) if documents else Path.home() / "Documents"
    if not documents and not base.is_dir():
        base = Path.home()
    return base / "Maquette" / folder_name
