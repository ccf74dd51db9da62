"""The far views of a store's tileset: its overview levels (:mod:`layers.store.overview`) above the
runs of store tiles, each refined by replacement.

::

    root (ADD)
      level-3 tile   o3/<KEY>.glb   built-up blocks of 2 km cells, a 64 km tile   (REPLACE)
        level-2 tile o2/<KEY>.glb   built-up blocks of 250 m cells, an 8 km tile  (REPLACE)
          run of store tiles        merged blocks, then the buildings (store_export)

A client looking at a whole country draws a few dozen level-3 contents instead of nothing (a root
without content) or every run's blocks. Runs never straddle two level-3 tiles
(:func:`layers.tiles3d.store_export.batches` cuts them there); a run hangs under the level-2 tile
of its first store tile, whose bounding region grows to hold it. Cutting runs at every level-2
tile instead would make the runs of a rural country a few hundred buildings each and the export
three times slower (a file set per run); the price is that, while a client refines one level-2
tile and not yet its neighbour, the few store tiles of a run lying under the neighbour show both
its blocks and the neighbour's built-up block.
Each tile's ``geometricError`` is its cell side (what drawing it instead of its children gets
wrong), at least that of its children. A tile's ``transform`` is relative to its parent's, so a
run's (absolute when written) is re-expressed under its level-2 parent; bounding regions, which
transforms do not move, are joined upwards as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .content import tile_glb
from .folder import write_unsynced
from .frames import EnuFrame
from .writer import PAD_M, PAD_RAD, prepare_input

if TYPE_CHECKING:
    from layers.store.reader import Store

BLOCK_COLUMNS = ("height_m", "usage")


@dataclass(frozen=True)
class OverviewShape:
    """The store's overview levels: each level's bits of a store tile key and cell side (m)."""

    shift: dict[int, int]
    cell_m: dict[int, float]

    @classmethod
    def of(cls, store: Store) -> OverviewShape | None:
        """The store's levels 2 and 3, ``None`` when it has not both (an older store)."""
        levels = {int(e["level"]): e for e in store.meta.get("levels", []) if "tile_shift" in e}
        if not {2, 3} <= set(levels):
            return None
        return cls(
            {k: int(levels[k]["tile_shift"]) for k in (2, 3)},
            {k: float(levels[k]["cell_m"]) for k in (2, 3)},
        )


def padded_region(bounds: tuple[float, ...]) -> np.ndarray:
    """A bounding region (west, south, east, north in radians, low, high in metres) padded by a
    hair, so that rounding never leaves a vertex outside."""
    west, south, east, north, low, high = bounds
    return np.array(
        [west - PAD_RAD, south - PAD_RAD, east + PAD_RAD, north + PAD_RAD, low - PAD_M, high + PAD_M]
    )


def polygon_bounds(polygons: np.ndarray) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) of ``polygons`` together."""
    import shapely

    box = shapely.bounds(polygons)
    return float(box[:, 0].min()), float(box[:, 1].min()), float(box[:, 2].max()), float(box[:, 3].max())


def _join(regions: list[np.ndarray]) -> np.ndarray:
    stack = np.vstack(regions)
    return np.r_[stack[:, :2].min(axis=0), stack[:, 2:4].max(axis=0), stack[:, 4].min(), stack[:, 5].max()]


def _matrix(entry: dict[str, Any]) -> np.ndarray:
    """An entry's transform as a (4, 4) matrix (identity without one)."""
    if "transform" not in entry:
        return np.eye(4)
    return np.asarray(entry["transform"], np.float64).reshape(4, 4).T


def _under(entry: dict[str, Any], parent: np.ndarray) -> dict[str, Any]:
    """``entry`` (its transform absolute) placed under a tile of absolute transform ``parent``."""
    relative = np.linalg.inv(parent) @ _matrix(entry)
    return {**entry, "transform": [float(v) for v in relative.T.reshape(-1)]}


def _overview_content(
    store: Store, level: int, key: int, folder: Path
) -> tuple[dict[str, Any], np.ndarray, int] | None:
    """Write the blocks of overview tile ``key`` of ``level`` as ``o<level>/<key>.glb``: its
    entry's content and absolute transform, its region, its block count; ``None`` when empty."""
    data = prepare_input(store.read_tile(key, level, BLOCK_COLUMNS))
    if not len(data.owner):
        return None
    keep = np.flatnonzero(np.bincount(data.owner, minlength=len(data.height_m)) > 0)
    parts = data.subset(keep)
    parts.ids = np.array([f"o{level}-{key}-{i}" for i in range(parts.count)], dtype=object)
    x0, y0, x1, y1 = polygon_bounds(parts.polygons)
    frame = EnuFrame.at(store.crs, (x0 + x1) / 2, (y0 + y1) / 2, 0.0)
    glb, mesh = tile_glb(parts, store.crs, frame)
    (folder / f"o{level}").mkdir(parents=True, exist_ok=True)
    uri = f"o{level}/{key}.glb"
    write_unsynced(folder / uri, glb)
    entry = {"transform": [float(v) for v in frame.relative_to(None)], "content": {"uri": uri}}
    return entry, padded_region(mesh.geodetic_bounds), parts.count


def overview_children(
    store: Store, folder: Path, runs: list[tuple[int, dict[str, Any], np.ndarray]], shape: OverviewShape
) -> tuple[list[dict[str, Any]], int]:
    """The root's children: the runs (first store tile key, entry with an absolute transform,
    region) under their level-2 then level-3 tiles, whose contents are written in ``folder``;
    and the number of overview blocks written."""
    blocks = 0
    upper: list[tuple[int, dict[str, Any], np.ndarray]] = runs
    below_shift = 0  # the keys of ``upper``: store tiles' first, then level 2's
    for level in (2, 3):
        below = upper
        shift = shape.shift[level] - below_shift
        below_shift = shape.shift[level]
        groups: dict[int, list[tuple[int, dict[str, Any], np.ndarray]]] = {}
        for key, entry, region in below:
            groups.setdefault(key >> shift, []).append((key, entry, region))
        upper = []
        for parent, members in groups.items():
            written = _overview_content(store, level, parent, folder)
            regions = [region for _, _, region in members]
            error = max(shape.cell_m[level], *(float(e["geometricError"]) for _, e, _ in members))
            if written is None:  # nothing to draw from afar: its children as they are
                upper += [(parent, entry, region) for _, entry, region in members]
                continue
            entry, region, count = written
            blocks += count
            transform = _matrix(entry)
            entry.update(
                boundingVolume={"region": [float(v) for v in _join([region, *regions])]},
                geometricError=error,
                refine="REPLACE",
                children=[_under(e, transform) for _, e, _ in members],
            )
            upper.append((parent, entry, _join([region, *regions])))
    return [entry for _, entry, _ in upper], blocks
