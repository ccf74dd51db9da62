"""Coarser levels: the footprints of a tile merged into blocks, for views from afar.

Within each tile, footprints that overlap or touch are merged (one ``union_all`` per tile, its
parts are the blocks), each block gets the area-weighted mean height of its footprints and the
usage of its largest one, and its outline is simplified by :data:`SIMPLIFY_M`. Vectorised with
shapely 2: one GEOS call per tile and step, no loop over buildings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import geopandas as gpd

#: tolerance of the blocks' simplification, metres
SIMPLIFY_M = 0.5


def merge_tile(
    geoms: np.ndarray, heights: np.ndarray, usage: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Blocks of one tile's footprints: (k,) Polygons, (k,) float64 area-weighted heights (m),
    (k,) object usage of each block's largest footprint, and (n,) int64 the block of each
    footprint."""
    import shapely

    union = shapely.union_all(geoms)
    blocks = shapely.get_parts(union)
    blocks = blocks[(shapely.get_type_id(blocks) == 3) & (shapely.area(blocks) > 0)]
    tree = shapely.STRtree(blocks)
    inside, block = tree.query(shapely.point_on_surface(geoms), predicate="intersects")
    owner = np.full(len(geoms), -1, np.int64)
    owner[inside[::-1]] = block[::-1]  # the first block met, where a point lies on two edges
    lost = owner < 0
    if lost.any():  # a sliver whose point is not in the union after rounding: its nearest block
        owner[lost] = tree.nearest(geoms[lost])
    area = shapely.area(geoms)
    weight = np.bincount(owner, weights=area, minlength=len(blocks))
    height = np.bincount(owner, weights=area * heights, minlength=len(blocks)) / np.maximum(weight, 1e-12)
    orphans = np.flatnonzero(weight == 0)
    if len(orphans):  # slivers of the union no footprint's point fell in: the footprints they meet
        block_of, footprint = shapely.STRtree(geoms).query(blocks[orphans], predicate="intersects")
        shared = shapely.area(shapely.intersection(blocks[orphans][block_of], geoms[footprint]))
        w = np.bincount(block_of, weights=shared, minlength=len(orphans))
        hw = np.bincount(block_of, weights=shared * heights[footprint], minlength=len(orphans))
        near = np.where(w > 0, hw / np.maximum(w, 1e-12), heights[tree_nearest(geoms, blocks[orphans])])
        height[orphans] = near
    order = np.argsort(-area, kind="stable")
    _, first = np.unique(owner[order], return_index=True)
    block_usage = np.full(len(blocks), None, dtype=object)
    block_usage[owner[order][first]] = usage[order][first]
    simplified = shapely.simplify(blocks, SIMPLIFY_M, preserve_topology=True)
    return simplified, height, block_usage, owner


def tree_nearest(geoms: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """(k,) position in ``geoms`` of the geometry nearest each of ``targets``."""
    import shapely

    return np.asarray(shapely.STRtree(geoms).nearest(targets), np.int64)


def merged_blocks(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The LOD1 rows of ``frame`` (store rows sorted by ``hilbert``): per tile, merged blocks with
    ``height_m``, ``usage``, ``tile``, ``hilbert`` (the smallest key of its footprints, so blocks
    sort by tile as footprints do), sorted by ``hilbert``."""
    import geopandas as gpd

    tiles = frame["tile"].to_numpy(np.int64)
    geoms = np.asarray(frame.geometry.values)
    heights = frame["height_m"].to_numpy(np.float64)
    usage = frame["usage"].to_numpy(object)
    keys = frame["hilbert"].to_numpy(np.uint64)
    starts = np.flatnonzero(np.r_[True, tiles[1:] != tiles[:-1]]) if len(tiles) else np.empty(0, np.int64)
    ends = np.r_[starts[1:], len(tiles)]
    out_geoms: list[np.ndarray] = []
    out_heights: list[np.ndarray] = []
    out_usage: list[np.ndarray] = []
    out_tiles: list[np.ndarray] = []
    out_keys: list[np.ndarray] = []
    for start, end in zip(starts, ends, strict=True):
        blocks, height, block_usage, owner = merge_tile(
            geoms[start:end], heights[start:end], usage[start:end]
        )
        block_keys = np.full(len(blocks), keys[start:end].max(), np.uint64)  # orphans: last in the tile
        np.minimum.at(block_keys, owner, keys[start:end])
        out_keys.append(block_keys)
        out_geoms.append(blocks)
        out_heights.append(height)
        out_usage.append(block_usage)
        out_tiles.append(np.full(len(blocks), tiles[start], np.int64))
    blocks = np.concatenate(out_geoms) if out_geoms else np.empty(0, object)
    hilbert = np.concatenate(out_keys) if out_keys else np.empty(0, np.uint64)
    out = gpd.GeoDataFrame(
        {
            "height_m": (np.concatenate(out_heights) if out_heights else np.empty(0)).astype(np.float32),
            "usage": np.concatenate(out_usage) if out_usage else np.empty(0, object),
            "tile": np.concatenate(out_tiles) if out_tiles else np.empty(0, np.int64),
            "hilbert": hilbert,
        },
        geometry=gpd.GeoSeries(blocks, crs=frame.crs),
    )
    order = np.argsort(hilbert, kind="stable")
    return out.iloc[order].reset_index(drop=True)
