"""What reading a vector file leaves out or repairs, and how warnings name the features concerned.

Features without geometry or with coordinates that are not numbers are left out (their positions in
the file kept, so callers account for every feature); repeated field names are renamed; M values are
dropped (Z kept). Warnings name a few examples by their identifier (:func:`example_ids`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.core.errors import InputError

ID_COLUMNS = ("id", "cleabs", "fid", "osm_id", "id_way", "gid", "objectid", "identifiant", "uid")


def id_column(columns: Iterable[object]) -> str | None:
    """The column that best identifies features (``ID``, ``cleabs``, ``osm_id``...), or ``None``."""
    by_lower = {str(c).lower(): str(c) for c in columns}
    return next((by_lower[c] for c in ID_COLUMNS if c in by_lower), None)


def example_ids(frame: pd.DataFrame, mask: np.ndarray, count: int = 3) -> str:
    """A few identifiers of the rows in ``mask`` for a warning: ``ID=BATIMENT01, ID=BATIMENT07``.

    Uses :func:`id_column` when there is one, else the feature index (``feature_index`` column
    when present, else the frame index).
    """
    rows = np.flatnonzero(np.asarray(mask, bool))[:count]
    column = id_column(frame.columns)
    if column is not None:
        labels = [f"{column}={frame[column].iloc[r]}" for r in rows]
    else:
        index = frame["feature_index"] if "feature_index" in frame.columns else pd.Series(frame.index)
        labels = [f"feature {index.iloc[r]}" for r in rows]
    more = ", ..." if np.count_nonzero(mask) > count else ""
    return ", ".join(labels) + more


# -- geometry and CRS checks ------------------------------------------------------------------
def drop_missing_geometries(
    path: Path, frame: gpd.GeoDataFrame, notes: list[str], skipped: dict[str, np.ndarray] | None = None
) -> gpd.GeoDataFrame:
    """Leave out features without geometry (noted, and their positions under ``skipped``)."""
    if len(frame) == 0:
        raise InputError(path, "holds no features", hint="export the layer again with its features")
    geoms = frame.geometry.values
    missing = shapely.is_missing(np.asarray(geoms)) | shapely.is_empty(np.asarray(geoms))
    if missing.all():
        raise InputError(
            path,
            "none of its features has a geometry",
            hint="a table without geometry needs lon/lat or x/y columns, or a WKT column",
        )
    if missing.any():
        unreadable = (skipped or {}).get("unreadable geometry", np.empty(0, np.int64))
        absent = missing & ~np.isin(frame.index.to_numpy(), unreadable)
        if absent.any():
            notes.append(
                f"{path.name}: {int(absent.sum())} features without "
                f"geometry were skipped ({example_ids(frame, absent)})"
            )
            if skipped is not None:
                skipped["no geometry"] = frame.index.to_numpy()[absent].astype(np.int64)
        frame = frame[~missing]
    return frame


#: coordinates beyond this are data errors in any CRS (the Earth is 4e7 m round), metres or degrees
MAX_COORDINATE = 1e9


def drop_absurd_coordinates(
    path: Path, frame: gpd.GeoDataFrame, notes: list[str], skipped: dict[str, np.ndarray]
) -> gpd.GeoDataFrame:
    """Leave out features with coordinates that are not numbers or beyond :data:`MAX_COORDINATE`
    (a damaged file: GEOS cannot even repair them), noted under ``skipped``."""
    geoms = np.asarray(frame.geometry.values)
    coords, owner = shapely.get_coordinates(geoms, include_z=True, return_index=True)
    wrong = ~np.isfinite(coords[:, :2]).all(axis=1) | (np.abs(coords[:, :2]) > MAX_COORDINATE).any(axis=1)
    if not wrong.any():
        return frame
    bad = np.zeros(len(frame), bool)
    bad[owner[wrong]] = True
    if bad.all():
        raise InputError(
            path,
            "none of its features has usable coordinates (not numbers, or beyond 1e9)",
            hint="the file is damaged: export it again",
        )
    notes.append(
        f"{path.name}: {int(bad.sum())} features with coordinates that are "
        f"not numbers or beyond 1e9 were skipped ({example_ids(frame, bad)})"
    )
    skipped["unusable coordinates"] = frame.index.to_numpy()[bad].astype(np.int64)
    return frame[~bad]


def drop_off_earth(
    path: Path, frame: gpd.GeoDataFrame, notes: list[str], skipped: dict[str, np.ndarray]
) -> gpd.GeoDataFrame:
    """Leave out the features beyond longitude ±180° or latitude ±90° of a file in degrees (a few
    damaged or mistyped ones; the others open), noted under ``skipped``. A file whose features are
    mostly beyond is left whole: it is in another CRS, or no place at all (the CRS checks of
    :mod:`layers.io.vector_crs` say which)."""
    geoms = np.asarray(frame.geometry.values)
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    if not len(coords):
        return frame
    beyond = (np.abs(coords[:, 0]) > 180.0) | (np.abs(coords[:, 1]) > 90.0)
    if not beyond.any():
        return frame
    bad = np.zeros(len(frame), bool)
    bad[owner[beyond]] = True
    if bad.mean() > 0.5:
        return frame
    x, y = coords[np.flatnonzero(beyond)[0]]
    notes.append(
        f"{path.name}: {int(bad.sum())} features have coordinates beyond longitude ±180° or latitude "
        f"±90° (e.g. {x:.6g}, {y:.6g}), no place on Earth: left out ({example_ids(frame, bad)})"
    )
    skipped["beyond longitude ±180° / latitude ±90°"] = frame.index.to_numpy()[bad].astype(np.int64)
    return frame[~bad]


def unique_columns(path: Path, frame: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    """Columns renamed ``name_2``, ``name_3``... where the file repeats a field name."""
    names = [str(c) for c in frame.columns]
    if len(set(names)) == len(names):
        return frame
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    notes.append(f"{path.name}: repeated field names renamed ({', '.join(n for n in out if n not in names)})")
    geometry = frame.geometry.name
    frame = frame.copy()
    frame.columns = out
    return frame.set_geometry(geometry)


def drop_m(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop M values (kilometre posts, times...), keeping Z."""
    geoms = np.asarray(frame.geometry.values)
    has_m = shapely.has_m(geoms)
    if not has_m.any():
        return frame
    out = geoms.copy()
    has_z = shapely.has_z(geoms)
    both = has_m & has_z
    if both.any():
        xyz = shapely.get_coordinates(geoms[both], include_z=True)
        out[both] = shapely.set_coordinates(shapely.force_3d(shapely.force_2d(geoms[both])), xyz)
    only_m = has_m & ~has_z
    out[only_m] = shapely.force_2d(geoms[only_m])
    frame = frame.copy()
    frame[frame.geometry.name] = gpd.GeoSeries(out, index=frame.index, crs=frame.crs)
    return frame


#: shapely type ids of the parts of a geometry collection, by dimension (2: polygons, 1: lines, 0: points)
_DIMENSIONS = ((2, (3,), "polygons"), (1, (1, 2), "lines"), (0, (0,), "points"))
_MULTI_OR_COLLECTION = (4, 5, 6, 7)


def split_collections(path: Path, frame: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    """GeometryCollections replaced by their parts of the highest dimension: their polygons (a
    MultiPolygon, or a Polygon when there is one), else their lines, else their points; the parts
    of a lower dimension are left out. Both are said in a note naming a few features, so that a
    collection's polygons are drawn and counted like any others and nothing vanishes unsaid."""
    geoms = np.asarray(frame.geometry.values, dtype=object)
    rows = np.flatnonzero(shapely.get_type_id(geoms) == 7)
    if not len(rows):
        return frame
    parts, owner = shapely.get_parts(geoms[rows], return_index=True)
    while True:  # collections inside collections, multi-parts inside them
        nested = np.isin(shapely.get_type_id(parts), _MULTI_OR_COLLECTION)
        if not nested.any():
            break
        sub, index = shapely.get_parts(parts[nested], return_index=True)
        parts = np.concatenate([parts[~nested], sub])
        owner = np.concatenate([owner[~nested], owner[nested][index]])
    types = shapely.get_type_id(parts)
    dimension = np.full(len(parts), -1)
    for dim, type_ids, _word in _DIMENSIONS:
        dimension[np.isin(types, type_ids) & ~shapely.is_empty(parts)] = dim
    best = np.full(len(rows), -1)
    np.maximum.at(best, owner, dimension)
    kept = (dimension == best[owner]) & (dimension >= 0)
    out = np.full(len(rows), None, dtype=object)
    builders: dict[int, Callable[..., Any]] = {
        2: shapely.multipolygons,
        1: shapely.multilinestrings,
        0: shapely.multipoints,
    }
    for dim, _type_ids, _word in _DIMENSIONS:
        chosen = np.flatnonzero(kept & (dimension == dim))
        if len(chosen):
            chosen = chosen[np.argsort(owner[chosen], kind="stable")]
            present, dense = np.unique(owner[chosen], return_inverse=True)
            out[present] = builders[dim](parts[chosen], indices=dense)
    single = np.array([g is not None and shapely.get_num_geometries(g) == 1 for g in out], dtype=bool)
    out[single] = shapely.get_geometry(out[single], 0)
    fixed = geoms.copy()
    fixed[rows] = out
    frame = frame.copy()
    frame[frame.geometry.name] = gpd.GeoSeries(fixed, index=frame.index, crs=frame.crs)
    in_rows = np.zeros(len(frame), bool)
    in_rows[rows] = True
    words = [word for dim, _t, word in _DIMENSIONS if (best == dim).any()] or ["nothing"]
    held = ", ".join(words[:-1]) + (" or " if len(words) > 1 else "") + words[-1]
    note = f"{path.name}: {len(rows)} geometry collections were read as the {held} they hold"
    left = ~kept & (dimension >= 0)
    if left.any():
        counts = [f"{int((left & (dimension == dim)).sum())} {word}" for dim, _t, word in _DIMENSIONS]
        counts = [c for c in counts if not c.startswith("0 ")]
        note += f"; {' and '.join(counts)} inside them were left out"
    notes.append(f"{note} ({example_ids(frame, in_rows)})")
    return frame
