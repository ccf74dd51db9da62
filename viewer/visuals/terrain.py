"""Terrain: a DEM as a lit surface coloured by altitude.

The scene has one vertical reference (:attr:`layers.core.scene.Scene.ground_reference_m`, the lowest
point of the terrain): the terrain is drawn at its altitude minus that reference, buildings stand
on the ground under them (:class:`viewer.visuals.buildings.BuildingsVisual`), and flat overlays
(land use, rasters, streets...) are draped on the surface by :func:`viewer.drape.drape`.
"""

from __future__ import annotations

import numpy as np

from layers.io.grid import Grid
from layers.terrain.layer import TerrainLayer

from ..colors import continuous_lut
from ..legends import Legend
from .base import Visual
from .raster import cell_values, image_plane

#: pixels drawn at most (a mosaic of LiDAR tiles holds tens of millions); beyond, each block of
#: pixels is drawn as one, at its mean height (:meth:`TerrainLayer.height_at` keeps every pixel)
MAX_DRAWN_PIXELS = 500_000


def drawn_grid(grid: Grid, values: np.ndarray, budget: int = MAX_DRAWN_PIXELS) -> tuple[Grid, np.ndarray]:
    """``grid`` and its (rows, cols) float64 ``values`` as drawn: coarsened by whole blocks (NaN-aware
    mean) until they fit ``budget`` pixels."""
    factor = max(int(np.ceil(np.sqrt(values.size / budget))), 1)
    if factor == 1:
        return grid, np.asarray(values, dtype=np.float64)
    rows, cols = values.shape
    padded = np.full((rows + (-rows) % factor, cols + (-cols) % factor), np.nan)
    padded[:rows, :cols] = values
    blocks = padded.reshape(padded.shape[0] // factor, factor, padded.shape[1] // factor, factor)
    finite = np.isfinite(blocks)
    count = finite.sum(axis=(1, 3))
    total = np.where(finite, blocks, 0.0).sum(axis=(1, 3))
    mean = np.divide(total, count, out=np.full(count.shape, np.nan), where=count > 0)
    coarse = Grid(
        values=mean.astype(np.float32),
        x0=grid.x0,
        y0=grid.y0,
        dx=grid.dx * factor,
        dy=grid.dy * factor,
        crs=grid.crs,
    )
    return coarse, mean


class TerrainVisual(Visual[TerrainLayer]):
    """The DEM as one lit surface coloured by altitude (the style's ``cmap``), nodata left open."""

    layer_type = TerrainLayer
    kind = "terrain"

    def build(self) -> None:
        grid, values = drawn_grid(self.layer.dem, self.layer.heights_m)
        finite = values[np.isfinite(values)]
        base = self.view.scene.ground_reference_m
        origin = self.view.scene.origin
        assert origin is not None  # the scene has one as soon as it holds a layer
        image = image_plane(grid, origin, 0.0)
        cells = cell_values(values.astype(np.float32))
        image.cell_data["altitude"] = cells
        dataset = image
        if not np.isfinite(cells).all():  # nodata pixels leave holes, not walls down to the lowest point
            dataset = image.extract_cells(np.flatnonzero(np.isfinite(cells)).astype(int))
        surface = dataset.cell_data_to_point_data().extract_surface(
            algorithm="dataset_surface", pass_pointid=False, pass_cellid=False
        )
        lowest = float(finite.min()) if len(finite) else base
        heights = np.nan_to_num(surface.point_data["altitude"], nan=lowest) - base
        surface.points[:, 2] = heights
        lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
        lut = continuous_lut(
            self.layer.style.cmap or self.layer.palette.name, self.layer.style.clim or (lo, hi)
        )
        self._legend = Legend("Altitude (m)", lut, label_format="%.4g")
        self.base_m = base
        self.actor = self.add_polydata(
            surface, lut=lut, scalars="altitude", cell_scalars=False, Ambient=0.3, Diffuse=0.75
        )

    def legends(self) -> list[Legend]:
        return [self._legend]
