"""The buildings of an OpenStreetMap extract, for the buildings kind.

:func:`read_osm_buildings` gives the ``building=*`` and ``building:part=*`` areas of
:func:`layers.io.osm.read_osm` as :class:`~layers.io.vector_file.VectorData`, with their heights in
columns that :func:`layers.buildings.heights.resolve_heights` reads in order: ``height`` in metres
(``height``, else ``building:height``: ``"12 m"``, ``"40'"``...), ``levels`` (``building:levels`` +
``roof:levels``, × the storey height), then the default; ``min_height`` where the walls start
(``min_height``, else ``building:min_level`` × the storey height: bridges, overhangs). How many
buildings took each choice is said in a note. An outline whose parts are mapped is left out (its
parts draw it: OSM's Simple 3D Buildings rule); every other feature of the file is counted in
``skipped`` with its reason.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from layers.core.errors import InputError
from layers.io.osm import OSM_CRS, OsmFeatures, read_osm
from layers.io.osm_tags import count, length_m
from layers.io.osm_themes import BUILDINGS

if TYPE_CHECKING:
    from layers.core.area import Area
    from layers.io.vector_file import VectorData

#: why a building outline is not drawn when its parts are
DRAWN_BY_PARTS = "outline of a building drawn by its parts (building:part)"
#: the tags kept as attributes of buildings (besides the heights worked out)
BUILDING_TAGS = ("name", "building", "building:part", "roof:shape", "addr:housenumber", "addr:street")


def read_osm_buildings(path: str | Path, *, area: Area | None = None) -> VectorData:
    """The buildings of an extract for the buildings kind, every other feature of the file counted
    in ``skipped`` with its reason (``"not a building: road"``, ``"under the ground..."``).

    The frame (EPSG:4326, index = position of the feature in :func:`read_osm`'s order) has ``id``,
    :data:`BUILDING_TAGS`, ``height`` (metres, from ``height`` else ``building:height``; NaN when
    neither is a length), ``levels`` (``building:levels`` + ``roof:levels``, NaN without
    ``building:levels``) and ``min_height`` (metres above the ground where the walls start:
    ``min_height``, else ``building:min_level`` × the storey height)."""
    import geopandas as gpd
    from pyproj import CRS

    from layers.buildings.heights import STOREY_HEIGHT_M
    from layers.io.vector_file import VectorData

    path = Path(path)
    features = read_osm(path, area)
    rows = np.flatnonzero(features.theme == BUILDINGS)
    by_parts = _outlines_drawn_by_parts(features, rows)
    skipped: dict[str, list[int]] = {}
    for i, (theme, reason) in enumerate(zip(features.theme, features.reason, strict=True)):
        if theme != BUILDINGS:
            skipped.setdefault(reason or f"not a building: {theme}", []).append(i)
    for i in by_parts:
        skipped.setdefault(DRAWN_BY_PARTS, []).append(int(i))
    rows = np.setdiff1d(rows, by_parts)
    if not len(rows):
        raise InputError(
            path,
            "holds no buildings (no area tagged building=*"
            + (f" meets {area.label})" if area is not None else ")"),
            hint="an extract of a larger place, or of a place where buildings are mapped, has them",
        )
    tags = [features.tags[r] for r in rows]
    height = np.array([_first_length(t, "height", "building:height") for t in tags])
    levels = np.array([count(t.get("building:levels")) + _or_zero(count(t.get("roof:levels"))) for t in tags])
    base = np.array(
        [
            _first_finite(length_m(t.get("min_height")), count(t.get("building:min_level")) * STOREY_HEIGHT_M)
            for t in tags
        ]
    )
    columns: dict[str, object] = {"id": features.frame["id"].to_numpy(object)[rows]}
    for tag in BUILDING_TAGS:
        columns[tag] = [t.get(tag) for t in tags]
    columns.update(height=height, levels=levels, min_height=base)
    frame = gpd.GeoDataFrame(
        columns,
        geometry=np.asarray(features.frame.geometry.values)[rows],
        crs=OSM_CRS,
        index=features.frame.index[rows],
    )
    notes = [_heights_note(path, height, levels)]
    return VectorData(
        frame,
        CRS.from_user_input(OSM_CRS),
        layer=BUILDINGS,
        warnings=notes,
        has_z=False,
        features_read=len(features.frame),
        skipped={reason: np.asarray(positions, np.int64) for reason, positions in skipped.items()},
    )


def _outlines_drawn_by_parts(features: OsmFeatures, rows: np.ndarray) -> np.ndarray:
    """Positions of the building outlines (``building=*``, not parts) holding a ``building:part``:
    the parts draw the building (OSM's Simple 3D Buildings rule)."""
    import shapely

    is_part = np.array([features.tags[r].get("building:part", "no") != "no" for r in rows], dtype=bool)
    if not is_part.any() or is_part.all():
        return np.zeros(0, dtype=np.int64)
    geoms = np.asarray(features.frame.geometry.values)
    outlines, parts = rows[~is_part], rows[is_part]
    inside = shapely.point_on_surface(geoms[parts])
    tree = shapely.STRtree(geoms[outlines])
    _, hit = tree.query(inside, predicate="within")
    return np.unique(outlines[hit]).astype(np.int64)


def _first_length(tags: dict[str, str], *keys: str) -> float:
    for key in keys:
        value = length_m(tags.get(key))
        if math.isfinite(value):
            return value
    return math.nan


def _first_finite(*values: float) -> float:
    return next((v for v in values if math.isfinite(v)), math.nan)


def _or_zero(value: float) -> float:
    return value if math.isfinite(value) and value > 0 else 0.0


def _heights_note(path: Path, height: np.ndarray, levels: np.ndarray) -> str:
    """How many buildings got their height from each source (the choices of
    :func:`layers.buildings.heights.resolve_heights` on these columns)."""
    from layers.buildings.heights import MAX_HEIGHT_M, STOREY_HEIGHT_M

    def usable(values: np.ndarray) -> np.ndarray:
        return np.isfinite(values) & (values > 0) & (values <= MAX_HEIGHT_M)

    from_height = usable(height)
    from_levels = ~from_height & usable(levels * STOREY_HEIGHT_M)
    default = ~from_height & ~from_levels
    return (
        f"{path.name}: heights of {len(height):,} buildings: {int(from_height.sum()):,} from height, "
        f"{int(from_levels.sum()):,} from building:levels (+ roof:levels) × {STOREY_HEIGHT_M:g} m, "
        f"{int(default.sum()):,} without either (the default height)"
    )
