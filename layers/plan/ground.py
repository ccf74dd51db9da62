"""Direct sun on the ground before and after a planned project, tile by tile and kept between edits.

The ground is a lattice of square pixels of ``size_m`` metres (pixel centres at half-integers of the
size, as :class:`layers.sun.shadow_raster.PixelGrid.covering` snaps them), cut into tiles of
:data:`TILE_PX` pixels a side. For every tile the project's shadows can reach, :class:`GroundBefore`
keeps, per pixel, one bit per sun sample of the study day: "in the shade of the existing city".
Those bits are computed once (numpy scanlines of :class:`~layers.sun.shadow_raster.RingTable`) and
reused by every later edit: :func:`ground_change` only burns the project's own shadows (and those of
the existing buildings around a demolition) into the pixels they reach, sample by sample.

The result is what :func:`layers.sunlight.hours.sunlight_change` gives on the same pixels: the net
change of sunlit samples per pixel (after − before), pixels under a building before or after left
out. Coordinates are metres of the computation's metric CRS (the scene CRS when it is projected).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from layers.sun.shadow import per_part
from layers.sun.shadow_map import SunTrack
from layers.sun.shadow_raster import PixelGrid, RingTable

#: pixels per tile side
TILE_PX = 64

Box = tuple[float, float, float, float]
TileKey = tuple[int, int]


def far_boxes(table: RingTable, track: SunTrack, samples: np.ndarray) -> np.ndarray:
    """(n, 4) bounds of everything each part of ``table`` shades over the ``samples`` of ``track``."""
    out = np.asarray(table.boxes, float).copy()
    for k in samples:  # a few dozen sun positions, every part at once
        offset, lit = track.at(int(k))
        reach = table.reach(per_part(offset, table.source_count)[table.index])
        if len(lit) == table.source_count:
            reach = np.where(np.asarray(lit, bool)[table.index, None], reach, table.boxes)
        out[:, :2] = np.minimum(out[:, :2], reach[:, :2])
        out[:, 2:] = np.maximum(out[:, 2:], reach[:, 2:])
    return out


def overlapping(boxes: np.ndarray, box: Box) -> np.ndarray:
    """(n,) bool: rows of ``boxes`` (n, 4) meeting ``box``."""
    return (
        (boxes[:, 2] >= box[0]) & (boxes[:, 0] <= box[2]) & (boxes[:, 3] >= box[1]) & (boxes[:, 1] <= box[3])
    )


def tiles_of(boxes: np.ndarray, tile_m: float) -> set[TileKey]:
    """The tiles (column, row of tiles, from the CRS origin) that ``boxes`` (m, 4) meet."""
    keys: set[TileKey] = set()
    if not len(boxes):
        return keys
    lo = np.floor(boxes[:, :2] / tile_m).astype(np.int64)
    hi = np.floor(boxes[:, 2:] / tile_m).astype(np.int64)
    spans = (hi - lo + 1).clip(min=0)
    counts = spans[:, 0] * spans[:, 1]
    row = np.repeat(np.arange(len(boxes)), counts)
    local = np.arange(len(row)) - np.repeat(np.cumsum(counts) - counts, counts)
    i = lo[row, 0] + local % spans[row, 0]
    j = lo[row, 1] + local // spans[row, 0]
    keys.update(zip(i.tolist(), j.tolist()))
    return keys


@dataclass
class Region:
    """The tiles of one computation, assembled: their pixel grid and per pixel the existing city's
    shade bits (rows, cols, bytes), the ground mask (not under an existing building) and ``known``
    (the pixel belongs to one of the tiles)."""

    grid: PixelGrid
    bits: np.ndarray
    ground: np.ndarray
    known: np.ndarray

    def window(self, box: Box) -> tuple[slice, slice, PixelGrid] | None:
        """Rows, columns and grid of the pixels of the region inside ``box``; ``None`` if none."""
        size = self.grid.size_m
        c0 = max(int(math.floor((box[0] - self.grid.x0) / size)), 0)
        c1 = min(int(math.ceil((box[2] - self.grid.x0) / size)), self.grid.cols)
        r0 = max(int(math.floor((self.grid.y0 - box[3]) / size)), 0)
        r1 = min(int(math.ceil((self.grid.y0 - box[1]) / size)), self.grid.rows)
        if c0 >= c1 or r0 >= r1:
            return None
        sub = PixelGrid(self.grid.x0 + c0 * size, self.grid.y0 - r0 * size, size, r1 - r0, c1 - c0)
        return slice(r0, r1), slice(c0, c1), sub

    def shaded_before(self, bit: int, rows: slice, cols: slice) -> np.ndarray:
        """(r, c) bool: pixels in the existing city's shade at lit sample number ``bit``."""
        return ((self.bits[rows, cols, bit >> 3] >> (7 - (bit & 7))) & 1).astype(bool)


class GroundBefore:
    """The existing city's shade on the ground, per tile, for the lit samples of one day.

    Parameters
    ----------
    table
        Every existing caster (buildings standing today, trees, canopy), metric CRS metres.
    track
        The sun over the day's samples (offsets per part of ``table``'s source array).
    samples
        Indices of ``track``'s samples where the sun casts shadows; bit ``b`` of a pixel is sample
        ``samples[b]``.
    size_m
        Pixel size, metres.
    """

    def __init__(self, table: RingTable, track: SunTrack, samples: np.ndarray, size_m: float) -> None:
        self.table = table
        self.track = track
        self.samples = np.asarray(samples, np.int64)
        self.size_m = float(size_m)
        self.tile_m = TILE_PX * self.size_m
        self.reach = far_boxes(table, track, self.samples)
        self.nbytes = max((len(self.samples) + 7) // 8, 1)
        self.tiles: dict[TileKey, tuple[np.ndarray, np.ndarray]] = {}

    def ensure(self, keys: set[TileKey]) -> int:
        """Compute the tiles of ``keys`` not yet known; returns how many were computed."""
        missing = sorted(k for k in keys if k not in self.tiles)
        # one grid per run of adjacent tiles of a tile row: few grids, no pixel computed twice
        runs: list[tuple[int, int, int]] = []
        for i, j in sorted(missing, key=lambda key: (key[1], key[0])):
            if runs and runs[-1][2] == j and runs[-1][1] == i - 1:
                runs[-1] = (runs[-1][0], i, j)
            else:
                runs.append((i, i, j))
        for i0, i1, j in runs:
            grid = PixelGrid(
                i0 * self.tile_m, (j + 1) * self.tile_m, self.size_m, TILE_PX, (i1 - i0 + 1) * TILE_PX
            )
            bits, ground = self._compute(grid)
            for i in range(i0, i1 + 1):
                cols = slice((i - i0) * TILE_PX, (i - i0 + 1) * TILE_PX)
                self.tiles[(i, j)] = (bits[:, cols].copy(), ground[:, cols].copy())
        return len(missing)

    def _compute(self, grid: PixelGrid) -> tuple[np.ndarray, np.ndarray]:
        near = overlapping(self.reach, grid.bounds())
        bits = np.zeros((*grid.shape, self.nbytes), np.uint8)
        if not near.any():
            return bits, np.ones(grid.shape, bool)
        table = self.table.select(near)
        for b, k in enumerate(self.samples.tolist()):
            offset, lit = self.track.at(k)
            shade = table.shade(offset, grid, lit)
            bits[..., b >> 3] |= shade.astype(np.uint8) << (7 - (b & 7))
        return bits, ~table.ground_mask(grid)

    def region(self, keys: set[TileKey]) -> Region:
        """The tiles of ``keys`` (computed first if needed) as one :class:`Region`."""
        self.ensure(keys)
        ii = [k[0] for k in keys]
        jj = [k[1] for k in keys]
        i0, i1, j0, j1 = min(ii), max(ii), min(jj), max(jj)
        grid = PixelGrid(
            i0 * self.tile_m,
            (j1 + 1) * self.tile_m,
            self.size_m,
            (j1 - j0 + 1) * TILE_PX,
            (i1 - i0 + 1) * TILE_PX,
        )
        bits = np.zeros((*grid.shape, self.nbytes), np.uint8)
        ground = np.zeros(grid.shape, bool)
        known = np.zeros(grid.shape, bool)
        for i, j in keys:
            rows = slice((j1 - j) * TILE_PX, (j1 - j + 1) * TILE_PX)
            cols = slice((i - i0) * TILE_PX, (i - i0 + 1) * TILE_PX)
            tile_bits, tile_ground = self.tiles[(i, j)]
            bits[rows, cols] = tile_bits
            ground[rows, cols] = tile_ground
            known[rows, cols] = True
        return Region(grid, bits, ground, known)


@dataclass
class GroundChange:
    """Net change of sunlit samples per pixel of a region (after − before), and where it counts
    (ground before and after: under no existing building, under no planned one)."""

    region: Region
    delta: np.ndarray
    counted: np.ndarray

    def loss_pixels(self, hours: float, step_min: float) -> int:
        """Pixels losing at least ``hours`` of direct sun (as :func:`~layers.sunlight.hours.sunlight_change`
        rounds them: float32 hours, 1e-6 h of slack)."""
        lost = self.delta.astype(np.float32) * np.float32(step_min / 60.0)
        return int(np.count_nonzero(self.counted & (lost <= -hours + 1e-6)))


def ground_change(
    before: GroundBefore,
    project: RingTable,
    project_track: SunTrack,
    bounds: Box,
    demolished: np.ndarray | None = None,
) -> GroundChange | None:
    """The change the ``project`` (its parts, with their own sun track) makes on the ground inside
    ``bounds`` (the study's reach), existing parts flagged in ``demolished`` (n,) taken away after.

    ``None`` when the project casts nothing inside ``bounds``.
    """
    boxes: list[np.ndarray] = []
    windows: dict[int, Box] = {}
    for b, k in enumerate(before.samples.tolist()):
        offset, lit = project_track.at(k)
        if len(project) == 0:
            break
        reach = project.reach(per_part(offset, project.source_count)[project.index])
        if len(lit) == project.source_count:
            reach = reach[np.asarray(lit, bool)[project.index]]
        reach = _clip(reach, bounds)
        if not len(reach):
            continue
        boxes.append(reach)
        windows[b] = (reach[:, 0].min(), reach[:, 1].min(), reach[:, 2].max(), reach[:, 3].max())
    if not boxes:
        return None
    region = before.region(tiles_of(np.concatenate(boxes), before.tile_m))
    delta = np.zeros(region.grid.shape, np.int16)
    removed = _demolished_windows(before, demolished, region)
    for b, k in enumerate(before.samples.tolist()):
        project_box, removed_box = windows.get(b), removed[1].get(b) if removed else None
        box = _union(project_box, removed_box)
        if box is None:
            continue
        window = region.window(box)
        if window is None:
            continue
        rows, cols, grid = window
        shade_before = region.shaded_before(b, rows, cols)
        shade_after = shade_before.copy()
        if removed is not None and removed_box is not None:
            offset, lit = before.track.at(k)
            shade_after = removed[0].shade(offset, grid, lit)
        if project_box is not None:
            offset, lit = project_track.at(k)
            shade_after |= project.shade(offset, grid, lit)
        delta[rows, cols] += shade_before.astype(np.int16) - shade_after.astype(np.int16)
    counted = region.known & region.ground & ~project.ground_mask(region.grid)
    return GroundChange(region, np.where(region.known, delta, 0).astype(np.int16), counted)


def _demolished_windows(
    before: GroundBefore, demolished: np.ndarray | None, region: Region
) -> tuple[RingTable, dict[int, Box]] | None:
    """The existing casters left standing near the region, and per lit sample the box where the
    demolished ones shaded it (where the shade after must be burnt again)."""
    if demolished is None or not np.any(demolished):
        return None
    table = before.table
    gone = np.asarray(demolished, bool)[table.index]
    if not gone.any():
        return None
    region_box = region.grid.bounds()
    gone_table = table.select(gone & overlapping(before.reach, region_box))
    if len(gone_table) == 0:
        return None
    standing = table.select(~gone & overlapping(before.reach, region_box))
    windows: dict[int, Box] = {}
    for b, k in enumerate(before.samples.tolist()):
        offset, lit = before.track.at(k)
        reach = gone_table.reach(per_part(offset, gone_table.source_count)[gone_table.index])
        if len(lit) == gone_table.source_count:
            reach = reach[np.asarray(lit, bool)[gone_table.index]]
        reach = _clip(reach, region_box)
        if len(reach):
            windows[b] = (reach[:, 0].min(), reach[:, 1].min(), reach[:, 2].max(), reach[:, 3].max())
    return standing, windows


def _clip(boxes: np.ndarray, bounds: Box) -> np.ndarray:
    """Boxes (m, 4) cut to ``bounds``, the empty ones dropped."""
    out = np.column_stack(
        [
            np.maximum(boxes[:, 0], bounds[0]),
            np.maximum(boxes[:, 1], bounds[1]),
            np.minimum(boxes[:, 2], bounds[2]),
            np.minimum(boxes[:, 3], bounds[3]),
        ]
    )
    return out[(out[:, 0] < out[:, 2]) & (out[:, 1] < out[:, 3])]


def _union(a: Box | None, b: Box | None) -> Box | None:
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
