"""Reading building footprints: polygon parts, and every feature of the file accounted for.

:func:`footprint_parts` turns the file's geometries into valid 2D polygon parts (repaired, split),
:func:`account` says what loading kept, repaired, defaulted and dropped (:class:`BuildingStats`,
reported by ``maquette info``, ``render --json`` and the layer panel) and :func:`load_warnings`
says it in user words. :func:`guess_attribution` names the data's producer.
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np
import pandas as pd
import shapely

from layers.buildings.heights import MAX_HEIGHT_M, UNKNOWN_ALTITUDE_M, Heights, height_source_counts
from layers.io.vector_file import VectorData, example_ids

#: credit lines, in English (worded per language where shown: :mod:`layers.core.messages`)
BDTOPO_ATTRIBUTION = "Source: IGN – BD TOPO®"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"

#: why a feature of the file is not shown (the keys of ``dropped_reasons``)
NO_GEOMETRY = "no geometry"
UNREADABLE = "unreadable geometry"
NOT_POLYGON = "not a polygon"
NO_AREA = "no area"


class BuildingStats(TypedDict, total=False):
    """What loading kept, repaired, defaulted and dropped; every feature of the file is shown or
    counted in ``dropped`` with its reason. Example identifiers are short texts
    (``ID=BATIMENT01, ID=BATIMENT07, ...``)."""

    #: features in the file, those left out included
    features_in: int
    #: features shown
    features: int
    dropped: int
    #: ``{reason: count}`` ("no geometry", "not a polygon", "not a building: Road"...)
    dropped_reasons: dict[str, int]
    dropped_examples: dict[str, str]
    repaired: int
    repaired_examples: str
    heights_defaulted: int
    heights_defaulted_examples: str
    #: heights taken from the footprints' Z minus the terrain (:meth:`BuildingsLayer.seat_on`)
    heights_from_z: int
    #: ``{what gave the height: buildings shown}``: ``"hauteur"``, ``"nombre_d_etages × 3 m"``,
    #: ``"altitude_maximale_toit − altitude_minimale_sol"``, ``"default 9 m"``...
    height_sources: dict[str, int]
    #: features of the file not read because they lie outside the area asked for (not in
    #: ``features_in``)
    outside_area: int


def empty_stats() -> BuildingStats:
    """Nothing repaired, defaulted or dropped (a layer built in code)."""
    return {"heights_defaulted": 0, "repaired": 0, "dropped": 0, "dropped_reasons": {}}


def footprint_parts(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Valid 2D Polygon parts of footprints, vectorised (fast when all are simple polygons).

    Invalid polygons are repaired with ``shapely.make_valid`` (holes kept), multi-parts and
    collections split, parts without area left out. Rings are not reoriented (:func:`extrude`
    copes with either orientation).

    Returns
    -------
    parts
        (k,) Polygons grouped by source, in source order.
    owner
        (k,) int64 position of each part's source geometry.
    repaired
        (n,) bool: the source was invalid and was repaired (and kept some area).
    reasons
        (n,) object: why a source gave no part (:data:`NOT_POLYGON`, :data:`NO_AREA`), ``None``
        when it gave some.
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    types = shapely.get_type_id(geoms)
    with_z = shapely.has_z(geoms)
    if with_z.any():
        geoms = geoms.copy()
        geoms[with_z] = shapely.force_2d(geoms[with_z])
    polygonal = np.isin(types, (3, 6, 7))
    invalid = polygonal & ~shapely.is_valid(geoms)
    fixed = geoms
    if invalid.any() or not polygonal.all():
        fixed = geoms.copy()
        fixed[invalid] = shapely.make_valid(geoms[invalid])
        fixed[~polygonal] = None
    if (types == 3).all() and not invalid.any():
        parts, owner = fixed, np.arange(n, dtype=np.int64)
    else:
        parts, owner = shapely.get_parts(fixed, return_index=True)
        while True:  # make_valid may nest a MultiPolygon inside a GeometryCollection
            multi = np.isin(shapely.get_type_id(parts), (4, 5, 6, 7))
            if not multi.any():
                break
            sub, sub_index = shapely.get_parts(parts[multi], return_index=True)
            parts = np.concatenate([parts[~multi], sub])
            owner = np.concatenate([owner[~multi], owner[multi][sub_index]])
        order = np.argsort(owner, kind="stable")
        parts, owner = parts[order], owner[order].astype(np.int64)
    keep = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)
    if not keep.all():
        parts, owner = parts[keep], owner[keep]
    has_part = np.bincount(owner, minlength=n) > 0
    reasons = np.full(n, None, dtype=object)
    reasons[~has_part] = NO_AREA
    reasons[~polygonal] = NOT_POLYGON
    return parts, owner, invalid & has_part, reasons


def guess_attribution(frame: pd.DataFrame) -> str | None:
    """The credit line of the data: IGN BD TOPO, OpenStreetMap, or ``None`` when unknown."""
    lower = {str(c).lower(): c for c in frame.columns}
    if "id" in lower:
        ids = frame[lower["id"]].dropna().astype(str).head(50)
        if len(ids) and ids.str.upper().str.startswith("BATIMENT").mean() > 0.5:
            return BDTOPO_ATTRIBUTION
        if len(ids) and ids.str.match(r"^(way|relation)/\d+$").mean() > 0.5:
            return OSM_ATTRIBUTION
    if "cleabs" in lower or {"usage1", "nature", "hauteur"} <= set(lower):
        return BDTOPO_ATTRIBUTION
    if set(lower) & {"id_way", "osm_id", "osm_way_id", "@id", "osm_type"}:
        return OSM_ATTRIBUTION
    return None


def lowest_z(geoms: np.ndarray) -> np.ndarray:
    """(n,) smallest Z of each geometry's vertices, NaN where it has none (Z below
    :data:`~layers.buildings.heights.UNKNOWN_ALTITUDE_M` are "unknown" and left out)."""
    coords, index = shapely.get_coordinates(geoms, include_z=True, return_index=True)
    lowest = np.full(len(geoms), np.nan)
    z = coords[:, 2].copy()
    z[z < UNKNOWN_ALTITUDE_M] = np.nan  # BD TOPO's -1000 "unknown": no altitude, not a deep cellar
    if len(z):
        starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
        with np.errstate(invalid="ignore"):
            lowest[index[starts]] = np.fmin.reduceat(z, starts)
    return lowest


def positions_text(positions: np.ndarray, count: int = 3) -> str:
    """``feature 3, feature 17, ...`` for features that are no longer in a frame."""
    positions = np.asarray(positions)
    text = ", ".join(f"feature {int(p)}" for p in positions[:count])
    return text + (", ..." if len(positions) > count else "")


def account(
    source: pd.DataFrame,
    data: VectorData,
    heights: Heights,
    repaired: np.ndarray,
    reasons: np.ndarray,
    kept: np.ndarray,
) -> BuildingStats:
    """Every feature of the file accounted for: shown, or dropped with a reason; plus what was
    repaired or defaulted, with example identifiers. ``repaired``, ``reasons`` and ``kept`` are
    per feature of ``source`` (see :func:`footprint_parts`)."""
    dropped: dict[str, int] = {}
    examples: dict[str, str] = {}
    for reason, positions in data.skipped.items():
        if len(positions):
            dropped[reason] = int(len(positions))
            examples[reason] = positions_text(positions)
    for reason in (NOT_POLYGON, NO_AREA):
        mask = reasons == reason
        if mask.any():
            dropped[reason] = int(mask.sum())
            examples[reason] = example_ids(source, mask)
    defaulted = heights.defaulted & kept
    stats: BuildingStats = {
        "features_in": int(data.features_read or len(source)),
        "features": int(kept.sum()),
        "dropped": int(sum(dropped.values())),
        "dropped_reasons": dropped,
        "dropped_examples": examples,
        "repaired": int(repaired.sum()),
        "heights_defaulted": int(defaulted.sum()),
        "height_sources": height_source_counts(heights, kept),
        "outside_area": int(data.outside),
    }
    if repaired.any():
        stats["repaired_examples"] = example_ids(source, repaired)
    if defaulted.any():
        stats["heights_defaulted_examples"] = example_ids(source, defaulted)
    return stats


def load_warnings(
    source: pd.DataFrame,
    heights: Heights,
    repaired: np.ndarray,
    reasons: np.ndarray,
    kept: np.ndarray,
    default_m: float,
) -> list[str]:
    """User-worded notes on defaulted heights (``default_m`` metres), repaired and dropped polygons."""
    notes = []
    defaulted = heights.defaulted & kept
    if heights.field is None:
        notes.append(
            f"no height field found: every building is {default_m:g} m high "
            "(choose the field with the height_field option)"
        )
    elif defaulted.any():
        notes.append(
            f"{int(defaulted.sum())} buildings had no usable height in {heights.field} "
            f"(missing, zero, negative or above {MAX_HEIGHT_M:g} m) and "
            f"were given {default_m:g} m ({example_ids(source, defaulted)})"
        )
    ignored = heights.base_ignored & kept
    if ignored.any():
        notes.append(
            f"{int(ignored.sum())} buildings had a {heights.base_field} not below their top; "
            f"their walls start at the ground ({example_ids(source, ignored)})"
        )
    if repaired.any():
        notes.append(
            f"{int(repaired.sum())} invalid polygons were repaired ({example_ids(source, repaired)})"
        )
    not_polygon = reasons == NOT_POLYGON
    if not_polygon.any():
        notes.append(
            f"{int(not_polygon.sum())} features that are not polygons "
            f"were dropped ({example_ids(source, not_polygon)})"
        )
    no_area = reasons == NO_AREA
    if no_area.any():
        notes.append(
            f"{int(no_area.sum())} polygons without area were dropped ({example_ids(source, no_area)})"
        )
    return notes
