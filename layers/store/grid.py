"""The store's tiling: a square grid of tiles over the store's extent, and a Hilbert curve over it.

The grid is a square of ``2**level`` by ``2**level`` tiles of ``tile_size_m`` metres whose lower
left corner (``origin``) is a multiple of the tile size, in the store CRS (metres). Positions are
keyed along a Hilbert curve of order :data:`HILBERT_ORDER` over that square (a ``uint64``); a
tile's key is the Hilbert index of its cell at order ``level``, which is the top ``2 * level`` bits
of the keys of the points inside it. Rows sorted by Hilbert key are therefore sorted by tile, each
tile's rows contiguous, and nearby tiles mostly stored near each other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: bits per axis of the fine Hilbert curve (a key then holds 62 bits)
HILBERT_ORDER = 31


def hilbert_index(x: np.ndarray, y: np.ndarray, order: int) -> np.ndarray:
    """(n,) uint64 distance along the Hilbert curve of ``order`` bits per axis of integer cells
    ``x``, ``y`` (each in ``[0, 2**order)``), vectorised."""
    x = np.asarray(x, dtype=np.uint64).copy()
    y = np.asarray(y, dtype=np.uint64).copy()
    d = np.zeros(x.shape, dtype=np.uint64)
    full = np.uint64((1 << order) - 1)
    s = 1 << (order - 1)
    while s > 0:
        us = np.uint64(s)
        rx = (x & us) > 0
        ry = (y & us) > 0
        d += np.uint64(s) * np.uint64(s) * ((3 * rx.astype(np.uint64)) ^ ry.astype(np.uint64))
        # rotate the quadrant so the sub-curve is in its standard orientation
        flip = ~ry & rx
        x = np.where(flip, full - x, x)
        y = np.where(flip, full - y, y)
        swap = ~ry
        x, y = np.where(swap, y, x), np.where(swap, x, y)
        s >>= 1
    return d


def hilbert_cell(d: np.ndarray, order: int) -> tuple[np.ndarray, np.ndarray]:
    """The integer cells ``(x, y)`` at distances ``d`` along the Hilbert curve of ``order`` bits
    per axis (the inverse of :func:`hilbert_index`)."""
    t = np.asarray(d, dtype=np.uint64).copy()
    x = np.zeros(t.shape, dtype=np.uint64)
    y = np.zeros(t.shape, dtype=np.uint64)
    s = 1
    while s < (1 << order):
        us = np.uint64(s)
        rx = np.uint64(1) & (t >> np.uint64(1))
        ry = np.uint64(1) & (t ^ rx)
        flip = (ry == 0) & (rx == 1)
        x = np.where(flip, us - np.uint64(1) - x, x)
        y = np.where(flip, us - np.uint64(1) - y, y)
        swap = ry == 0
        x, y = np.where(swap, y, x), np.where(swap, x, y)
        x = x + us * rx
        y = y + us * ry
        t = t >> np.uint64(2)
        s <<= 1
    return x, y


@dataclass(frozen=True)
class Grid:
    """A square of ``2**level`` tiles per side of ``tile_size_m`` metres from ``origin`` (x, y of
    its lower left corner, store CRS metres)."""

    origin: tuple[float, float]
    tile_size_m: float
    level: int

    @classmethod
    def covering(cls, bounds: tuple[float, float, float, float], tile_size_m: float) -> Grid:
        """The smallest grid of ``tile_size_m`` tiles covering ``bounds`` (xmin, ymin, xmax, ymax)."""
        xmin, ymin, xmax, ymax = bounds
        x0 = math.floor(xmin / tile_size_m) * tile_size_m
        y0 = math.floor(ymin / tile_size_m) * tile_size_m
        tiles = max(math.ceil((xmax - x0) / tile_size_m), math.ceil((ymax - y0) / tile_size_m), 1)
        level = max(math.ceil(math.log2(tiles)), 0)
        # a point exactly on the far edge still needs a tile
        if (1 << level) * tile_size_m <= max(xmax - x0, ymax - y0):
            level += 1
        if level > HILBERT_ORDER:
            raise ValueError(f"{tiles} tiles of {tile_size_m:g} m per side is too many for one store")
        return cls((float(x0), float(y0)), float(tile_size_m), int(level))

    @property
    def side_m(self) -> float:
        """Side of the whole grid, metres."""
        return self.tile_size_m * (1 << self.level)

    def keys(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(n,) uint64 Hilbert keys and (n,) int64 tile keys of points ``x``, ``y`` (store CRS);
        points off the grid are clamped to its edge."""
        cells = 1 << HILBERT_ORDER
        scale = cells / self.side_m
        ix = np.clip(np.floor((np.asarray(x, np.float64) - self.origin[0]) * scale), 0, cells - 1)
        iy = np.clip(np.floor((np.asarray(y, np.float64) - self.origin[1]) * scale), 0, cells - 1)
        hilbert = hilbert_index(ix.astype(np.uint64), iy.astype(np.uint64), HILBERT_ORDER)
        tile = (hilbert >> np.uint64(2 * (HILBERT_ORDER - self.level))).astype(np.int64)
        return hilbert, tile

    def tile_bounds(self, tiles: np.ndarray) -> np.ndarray:
        """(n, 4) xmin, ymin, xmax, ymax of the cells of tile keys ``tiles``, store CRS metres."""
        tiles = np.asarray(tiles, dtype=np.uint64)
        if self.level == 0:
            ix = iy = np.zeros(tiles.shape, np.float64)
        else:
            cx, cy = hilbert_cell(tiles, self.level)
            ix, iy = cx.astype(np.float64), cy.astype(np.float64)
        x0 = self.origin[0] + ix * self.tile_size_m
        y0 = self.origin[1] + iy * self.tile_size_m
        return np.column_stack([x0, y0, x0 + self.tile_size_m, y0 + self.tile_size_m])

    def to_json(self) -> dict[str, object]:
        return {
            "origin": list(self.origin),
            "tile_size_m": self.tile_size_m,
            "level": self.level,
            "hilbert_order": HILBERT_ORDER,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Grid:
        origin = data["origin"]
        assert isinstance(origin, list)
        return cls(
            (float(origin[0]), float(origin[1])), float(str(data["tile_size_m"])), int(str(data["level"]))
        )
