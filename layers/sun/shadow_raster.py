"""Shadows burnt into a pixel grid, in numpy alone (the engine of sunlight hours).

Every ring of every footprint is turned into its convolution cycle for the instant's shadow
offset (:func:`layers.sun.shadow.convolution_cycles`); the cycles are filled with a **non-zero
winding** scanline: for each pixel row, each edge crossing the row's centre line adds ±1 at the
crossing column, and a running sum along the row gives the winding number of every pixel centre.
A pixel is in the shade when the total winding is positive: the Minkowski-sum rule of the
convolution, summed over all buildings at once, with no polygon union and no GEOS call. The cost
is one array entry per (edge, pixel row) crossing.

A pixel is tested at its centre, as ``rasterio.features.rasterize`` does without ``all_touched``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from affine import Affine

from layers.sun.shadow import casting, convolution_cycles, on_ground, per_part


@dataclass(frozen=True)
class PixelGrid:
    """A north-up grid: top-left corner (``x0``, ``y0``), square pixels of ``size_m``, metric CRS."""

    x0: float
    y0: float
    size_m: float
    rows: int
    cols: int

    @classmethod
    def covering(cls, bounds: tuple[float, float, float, float], size_m: float) -> PixelGrid:
        """The grid of ``size_m`` pixels covering ``bounds`` (xmin, ymin, xmax, ymax), snapped to
        multiples of the pixel size."""
        if not size_m > 0:
            raise ValueError(f"the pixel size must be positive, not {size_m}")
        xmin = math.floor(bounds[0] / size_m) * size_m
        ymax = math.ceil(bounds[3] / size_m) * size_m
        cols = max(int(math.ceil((bounds[2] - xmin) / size_m)), 1)
        rows = max(int(math.ceil((ymax - bounds[1]) / size_m)), 1)
        return cls(float(xmin), float(ymax), float(size_m), rows, cols)

    @property
    def shape(self) -> tuple[int, int]:
        return self.rows, self.cols

    @property
    def pixels(self) -> int:
        return self.rows * self.cols

    def bounds(self) -> tuple[float, float, float, float]:
        return self.x0, self.y0 - self.rows * self.size_m, self.x0 + self.cols * self.size_m, self.y0

    def transform(self) -> Affine:
        return Affine(self.size_m, 0.0, self.x0, 0.0, -self.size_m, self.y0)


@dataclass(frozen=True)
class GridPlan:
    """A grid sized for a pixel budget (:func:`plan_grid`).

    Attributes
    ----------
    grid
        The grid to compute on.
    coarser
        True when the finest pixel size asked did not fit the budget (a coarser one was taken).
    cropped
        True when even the coarsest size did not fit: the area was cut to the budget around its
        centre of interest.
    """

    grid: PixelGrid
    coarser: bool = False
    cropped: bool = False


def plan_grid(
    bounds: tuple[float, float, float, float],
    sizes_m: tuple[float, ...],
    max_pixels: int,
    centre: tuple[float, float] | None = None,
) -> GridPlan:
    """The finest of ``sizes_m`` (finest first) whose grid over ``bounds`` holds at most
    ``max_pixels``; past the coarsest, the square of that many pixels at the coarsest size around
    ``centre`` (default: the middle of ``bounds``), inside ``bounds``. Nothing is allocated: the
    grid is a plan, its pixels never exceed ``max_pixels``."""
    for size in sizes_m:
        grid = PixelGrid.covering(bounds, size)
        if grid.pixels <= max_pixels:
            return GridPlan(grid, coarser=size != sizes_m[0])
    size = sizes_m[-1]
    xmin, ymin, xmax, ymax = bounds
    cx, cy = centre if centre is not None else ((xmin + xmax) / 2, (ymin + ymax) / 2)
    # one pixel of the snapping on either side: the snapped square stays within the budget
    half = (math.floor(math.sqrt(max_pixels)) - 2) * size / 2
    width, height = min(xmax - xmin, 2 * half), min(ymax - ymin, 2 * half)
    x0 = min(max(cx - width / 2, xmin), xmax - width)
    y0 = min(max(cy - height / 2, ymin), ymax - height)
    return GridPlan(PixelGrid.covering((x0, y0, x0 + width, y0 + height), size), coarser=True, cropped=True)


def winding_fill(coords: np.ndarray, ring: np.ndarray, grid: PixelGrid) -> np.ndarray:
    """Winding number at every pixel centre of closed rings.

    Parameters
    ----------
    coords
        (P, 2) vertices of closed rings (last == first), grouped by ring.
    ring
        (P,) ring index of each vertex (edges join consecutive vertices of the same ring).
    grid
        The pixel grid (same CRS as ``coords``).

    Returns
    -------
    (rows, cols) int32: counter-clockwise rings count +1 inside, clockwise ones −1.
    """
    rows, cols = grid.shape
    if len(coords) < 2:
        return np.zeros((rows, cols), np.int32)
    same = ring[1:] == ring[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    ymin = np.minimum(a[:, 1], b[:, 1])
    ymax = np.maximum(a[:, 1], b[:, 1])
    # rows whose centre line y = y0 - (r + 0.5) * size lies in [ymin, ymax)
    first = np.floor((grid.y0 - ymax) / grid.size_m - 0.5).astype(np.int64) + 1
    last = np.floor((grid.y0 - ymin) / grid.size_m - 0.5).astype(np.int64)
    first = np.maximum(first, 0)
    last = np.minimum(last, rows - 1)
    # an edge crossing a row centre exactly at its top end is counted by the next row only
    count = np.where(ymax > ymin, last - first + 1, 0)
    count = np.maximum(count, 0)
    keep = count > 0
    if not keep.any():
        return np.zeros((rows, cols), np.int32)
    a, b, first, count = a[keep], b[keep], first[keep], count[keep]
    edge = np.repeat(np.arange(len(a)), count)
    row = first[edge] + (np.arange(len(edge)) - np.repeat(np.cumsum(count) - count, count))
    yc = grid.y0 - (row + 0.5) * grid.size_m
    # exclude the top endpoint: [ymin, ymax) so a vertex shared by two edges counts once
    ea, eb = a[edge], b[edge]
    top = np.maximum(ea[:, 1], eb[:, 1])
    valid = yc < top
    edge, row, yc, ea, eb = edge[valid], row[valid], yc[valid], ea[valid], eb[valid]
    t = (yc - ea[:, 1]) / (eb[:, 1] - ea[:, 1])
    xc = ea[:, 0] + t * (eb[:, 0] - ea[:, 0])
    col = np.clip(np.ceil((xc - grid.x0) / grid.size_m - 0.5).astype(np.int64), 0, cols)
    # an edge going down (left side of a counter-clockwise ring) opens the inside to its right
    step = np.where(eb[:, 1] < ea[:, 1], 1.0, -1.0)
    acc = np.bincount(row * (cols + 1) + col, weights=step, minlength=rows * (cols + 1))
    return np.cumsum(acc.reshape(rows, cols + 1), axis=1)[:, :cols].round().astype(np.int32)


@dataclass
class RingTable:
    """The rings of building parts, read once and swept at every instant.

    Attributes
    ----------
    coords
        (P, 2) closed rings (exteriors counter-clockwise, holes clockwise), metric CRS.
    ring
        (P,) ring index of each vertex.
    ring_part
        (R,) part index of each ring.
    height_m, base_m
        (n,) per part.
    boxes
        (n, 4) footprint bounds per part.
    index
        (n,) index of each part in the array the table was made from (parts without height are
        left out); per-part offsets and flags are given for that array.
    source_count
        Length of that array.
    """

    coords: np.ndarray
    ring: np.ndarray
    ring_part: np.ndarray
    height_m: np.ndarray
    base_m: np.ndarray
    boxes: np.ndarray
    index: np.ndarray
    source_count: int

    @classmethod
    def from_polygons(cls, polygons: np.ndarray, height_m: np.ndarray, base_m: np.ndarray) -> RingTable:
        polygons = np.asarray(polygons, dtype=object)
        keep = casting(height_m, base_m) & ~shapely.is_empty(polygons)
        parts = shapely.orient_polygons(polygons[keep])
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        coords, ring = shapely.get_coordinates(rings, return_index=True)
        return cls(
            coords,
            ring,
            ring_part,
            np.asarray(height_m, float)[keep],
            np.asarray(base_m, float)[keep],
            shapely.bounds(parts),
            np.flatnonzero(keep),
            len(polygons),
        )

    def __len__(self) -> int:
        return len(self.height_m)

    def reach(self, offset: np.ndarray) -> np.ndarray:
        """(n, 4) bounds of each part's shadow for ``offset`` (2,) or per part of the table (n, 2)."""
        offset = per_part(offset, len(self))
        lo = np.minimum(self.base_m[:, None] * offset, self.height_m[:, None] * offset)
        hi = np.maximum(self.base_m[:, None] * offset, self.height_m[:, None] * offset)
        lo, hi = np.minimum(lo, 0.0), np.maximum(hi, 0.0)
        return np.column_stack(
            [
                self.boxes[:, 0] + lo[:, 0],
                self.boxes[:, 1] + lo[:, 1],
                self.boxes[:, 2] + hi[:, 0],
                self.boxes[:, 3] + hi[:, 1],
            ]
        )

    def select(self, parts: np.ndarray) -> RingTable:
        """The table of a subset of parts (boolean mask or indices), renumbered."""
        mask = np.zeros(len(self), bool)
        mask[parts] = True
        ring_keep = mask[self.ring_part]
        point_keep = ring_keep[self.ring]
        new_part = np.cumsum(mask) - 1
        new_ring = np.cumsum(ring_keep) - 1
        return RingTable(
            self.coords[point_keep],
            new_ring[self.ring[point_keep]],
            new_part[self.ring_part[ring_keep]],
            self.height_m[mask],
            self.base_m[mask],
            self.boxes[mask],
            self.index[mask],
            self.source_count,
        )

    def shade(self, offset: np.ndarray, grid: PixelGrid, lit: np.ndarray | None = None) -> np.ndarray:
        """(rows, cols) bool: pixel centres in the shadow of any part.

        ``offset`` is (2,) for all parts or (N, 2) per part of the source array (N =
        :attr:`source_count`); ``lit`` likewise (N,) False where the sun is too low to cast
        shadows.
        """
        if len(self) == 0:
            return np.zeros(grid.shape, bool)
        offset = per_part(offset, self.source_count)[self.index]
        x0, y0, x1, y1 = grid.bounds()
        reach = self.reach(offset)
        near = (reach[:, 2] >= x0) & (reach[:, 0] <= x1) & (reach[:, 3] >= y0) & (reach[:, 1] <= y1)
        if lit is not None and len(lit) == self.source_count:
            near &= np.asarray(lit, bool)[self.index]
        if not near.any():
            return np.zeros(grid.shape, bool)
        table = self if near.all() else self.select(near)
        offset = offset[near]
        start = table.base_m[table.ring_part, None] * offset[table.ring_part]
        end = table.height_m[table.ring_part, None] * offset[table.ring_part]
        cycle, cycle_ring = convolution_cycles(table.coords, table.ring, start, end)
        return winding_fill(cycle, cycle_ring, grid) > 0

    def ground_mask(self, grid: PixelGrid) -> np.ndarray:
        """(rows, cols) bool: pixel centres under parts standing on the ground (not ground)."""
        standing = on_ground(self.height_m, self.base_m)
        if not standing.any():
            return np.zeros(grid.shape, bool)
        table = self if standing.all() else self.select(standing)
        return winding_fill(table.coords, table.ring, grid) > 0
