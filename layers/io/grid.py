"""A north-up grid of values (or of colours), in metres of its CRS: what every raster layer holds.

``values`` (rows, cols) float32 with NaN for nodata, or ``rgba`` (rows, cols, 4) uint8 for a colour
image, placed by its top-left corner (``x0``, ``y0``) and its pixel size (``dx``, ``dy`` > 0, metres
once in the scene CRS). Row 0 is the northern row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from affine import Affine
from pyproj import CRS


@dataclass
class Grid:
    """A north-up raster: ``values`` (rows, cols) float32, NaN = nodata, or ``rgba`` (rows, cols, 4) uint8.

    ``x0``, ``y0``: top-left corner of the top-left pixel; ``dx``, ``dy`` > 0: pixel width and
    height, in the units of ``crs`` (metres in the scene CRS). Exactly one of ``values`` and
    ``rgba`` is set.
    """

    values: np.ndarray | None = None
    rgba: np.ndarray | None = None
    x0: float = 0.0
    y0: float = 0.0
    dx: float = 1.0
    dy: float = 1.0
    crs: CRS | None = None

    def __post_init__(self) -> None:
        if (self.values is None) == (self.rgba is None):
            raise ValueError("a Grid holds either values or rgba")
        if not (self.dx > 0 and self.dy > 0):
            raise ValueError(f"pixel size must be positive (dx={self.dx}, dy={self.dy})")
        if self.values is not None:
            self.values = np.asarray(self.values, dtype=np.float32)
            if self.values.ndim != 2:
                raise ValueError("values must be (rows, cols)")
        else:
            self.rgba = np.asarray(self.rgba, dtype=np.uint8)
            if self.rgba.ndim != 3 or self.rgba.shape[2] != 4:
                raise ValueError("rgba must be (rows, cols, 4)")

    @property
    def is_image(self) -> bool:
        """True for a colour image (``rgba``), False for measured values."""
        return self.rgba is not None

    @property
    def data(self) -> np.ndarray:
        """The pixels: :attr:`values` (rows, cols), or :attr:`rgba` (rows, cols, 4) for an image."""
        if self.values is not None:
            return self.values
        assert self.rgba is not None  # __post_init__: exactly one of them is set
        return self.rgba

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols)."""
        return int(self.data.shape[0]), int(self.data.shape[1])

    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the pixel edges, in :attr:`crs`."""
        rows, cols = self.shape
        return self.x0, self.y0 - rows * self.dy, self.x0 + cols * self.dx, self.y0

    def transform(self) -> Affine:
        """The affine transform (pixel col, row → x, y), as rasterio uses it."""
        return Affine(self.dx, 0.0, self.x0, 0.0, -self.dy, self.y0)

    def cell_centers(self) -> tuple[np.ndarray, np.ndarray]:
        """``xs`` (cols,) west to east and ``ys`` (rows,) north to south: the pixel centres."""
        rows, cols = self.shape
        xs = self.x0 + (np.arange(cols) + 0.5) * self.dx
        ys = self.y0 - (np.arange(rows) + 0.5) * self.dy
        return xs, ys

    def valid(self) -> np.ndarray:
        """(rows, cols) bool: pixels holding data (a value, or a colour that is not transparent)."""
        if self.values is not None:
            return ~np.isnan(self.values)
        return self.data[..., 3] > 0

    def sample(self, x: np.ndarray | float, y: np.ndarray | float, method: str = "nearest") -> np.ndarray:
        """Values under points (x, y) in :attr:`crs`; NaN outside the grid and on nodata.

        ``method``: ``"nearest"`` (the pixel containing the point) or ``"bilinear"`` (between the
        four nearest pixel centres; nodata neighbours are left out and the weights renormalised;
        clamped to the edge pixels in the outer half pixel). For an image, only ``"nearest"``, giving
        (..., 4) float RGBA, NaN outside.
        """
        x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        rows, cols = self.shape
        fc = (x - self.x0) / self.dx  # fractional column from the west edge
        fr = (self.y0 - y) / self.dy  # fractional row from the north edge
        with np.errstate(invalid="ignore"):
            inside = (fc >= 0) & (fc <= cols) & (fr >= 0) & (fr <= rows)
        fc = np.where(inside, fc, 0.0)
        fr = np.where(inside, fr, 0.0)
        if method == "nearest":
            col = np.clip(np.floor(fc).astype(np.int64), 0, cols - 1)
            row = np.clip(np.floor(fr).astype(np.int64), 0, rows - 1)
            if self.values is None:  # a colour image
                out = self.data[row, col].astype(float)
                out[~inside] = np.nan
                return out
            out = self.values[row, col].astype(float)
            return np.where(inside, out, np.nan)
        if method != "bilinear":
            raise ValueError(f"unknown sampling method {method!r} (nearest or bilinear)")
        if self.values is None:
            raise ValueError("a colour image can only be sampled with method='nearest'")
        cc = np.clip(fc - 0.5, 0.0, cols - 1.0)
        rr = np.clip(fr - 0.5, 0.0, rows - 1.0)
        c0 = np.minimum(np.floor(cc).astype(np.int64), max(cols - 2, 0))
        r0 = np.minimum(np.floor(rr).astype(np.int64), max(rows - 2, 0))
        c1 = np.minimum(c0 + 1, cols - 1)
        r1 = np.minimum(r0 + 1, rows - 1)
        tx = cc - c0
        ty = rr - r0
        grid = self.values
        neighbours = np.stack([grid[r0, c0], grid[r0, c1], grid[r1, c0], grid[r1, c1]]).astype(float)
        weights = np.stack([(1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty])
        ok = ~np.isnan(neighbours)
        weights = np.where(ok, weights, 0.0)
        total = weights.sum(axis=0)
        summed = (np.where(ok, neighbours, 0.0) * weights).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(total > 1e-12, summed / total, np.nan)
        return np.where(inside, out, np.nan)
