"""Terrain: a DEM as a lit surface coloured by altitude.

The scene has one vertical reference (:attr:`layers.core.scene.Scene.ground_reference_m`, the lowest
point of the terrain): the terrain is drawn at its altitude minus that reference, buildings stand
on the ground under them (:class:`viewer.visuals.buildings.BuildingsVisual`), and flat overlays
(land use, rasters, streets...) are draped on the surface by :func:`viewer.drape.drape`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from layers.io.grid import Grid
from layers.raster.layer import RasterLayer
from layers.terrain.layer import TerrainLayer

from ..colors import continuous_lut
from ..legends import Legend
from .base import Visual
from .raster import cell_values, image_plane

if TYPE_CHECKING:
    import pyvista as pv
    from vtkmodules.vtkRenderingCore import vtkActor

#: pixels drawn at most (a mosaic of LiDAR tiles holds tens of millions); beyond, each block of
#: pixels is drawn as one, at its mean height (:meth:`TerrainLayer.height_at` keeps every pixel)
MAX_DRAWN_PIXELS = 500_000
#: cells of the stand-in drawn while the camera moves, and from how many cells a terrain has one
COARSE_PIXELS = 60_000
LOD_MIN_CELLS = 150_000


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
        lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
        self._lut = continuous_lut(
            self.layer.style.cmap or self.layer.palette.name, self.layer.style.clim or (lo, hi)
        )
        self._legend = Legend("Altitude (m)", self._lut, label_format="%.4g")
        self.base_m = self.view.scene.ground_reference_m
        surface = self._surface(grid, values)
        self._cells = surface.n_cells
        self._full = True
        self._coarse: vtkActor | None = None
        self.actor = self.add_polydata(
            surface, lut=self._lut, scalars="altitude", cell_scalars=False, Ambient=0.3, Diffuse=0.75
        )

    def _surface(self, grid: Grid, values: np.ndarray) -> pv.PolyData:
        """The lit surface of ``values`` on ``grid``, heights above the scene's reference."""
        finite = values[np.isfinite(values)]
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
        lowest = float(finite.min()) if len(finite) else self.base_m
        surface.points[:, 2] = np.nan_to_num(surface.point_data["altitude"], nan=lowest) - self.base_m
        return surface

    def set_detail(self, full: bool) -> None:
        """A large terrain moves as a light stand-in (:data:`COARSE_PIXELS` cells) while the camera
        moves (:mod:`viewer.lod`); the full surface comes back at rest."""
        if full == self._full or self._cells < LOD_MIN_CELLS:
            return
        self._full = full
        if not full and self._coarse is None:
            grid, values = drawn_grid(self.layer.dem, self.layer.heights_m, budget=COARSE_PIXELS)
            self._coarse = self.add_polydata(
                self._surface(grid, values),
                lut=self._lut,
                scalars="altitude",
                cell_scalars=False,
                pickable=False,
                Ambient=0.3,
                Diffuse=0.75,
            )
        self._show_detail()

    def _show_detail(self) -> None:
        visible = self.layer.visible
        self.actor.SetVisibility(visible and self._full)
        if self._coarse is not None:
            self._coarse.SetVisibility(visible and not self._full)

    def _on_visible(self, visible: bool) -> None:
        super()._on_visible(visible)
        self._show_detail()

    def legends(self) -> list[Legend]:
        """The altitude ramp, unless a picture (an orthophoto, a colour map) draped on the terrain
        hides its colours: a legend of colours nobody sees would mislead."""
        return [] if self._under_a_picture() else [self._legend]

    def _under_a_picture(self) -> bool:
        """Whether a visible colour image covers most of the terrain."""
        bounds = self.layer.bounds()
        area = max((bounds[2] - bounds[0]) * (bounds[3] - bounds[1]), 1e-9)
        for layer in self.view.scene.layers:
            if not (isinstance(layer, RasterLayer) and layer.visible and layer.grid is not None):
                continue
            if not layer.grid.is_image:
                continue
            other = layer.bounds()
            width = min(bounds[2], other[2]) - max(bounds[0], other[0])
            height = min(bounds[3], other[3]) - max(bounds[1], other[1])
            if width > 0 and height > 0 and width * height >= 0.8 * area:
                return True
        return False
