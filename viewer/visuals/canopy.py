"""Canopy: the vegetation of a height model as one green surface of rounded crowns.

Each canopy pixel is a cell raised to its height above the ground; a ring of one pixel around the
canopy is kept at the ground, so that once the heights are smoothed onto the points the crowns
round off down to the ground instead of ending as floating sheets. The surface stands on the
terrain when the scene has one (the ground under each point, minus the scene's vertical
reference), and is shaded by height (pale to dark green). Buildings of the scene are taken out of
the canopy first (:func:`layers.canopy.layer.exclude_buildings`): roofs are not trees. One actor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from vtkmodules.vtkCommonCore import vtkLookupTable

from layers.canopy.layer import CanopyLayer, exclude_buildings
from layers.io.grid import Grid
from layers.terrain.layer import TerrainLayer

from ..colors import continuous_lut
from ..legends import Legend
from .base import Visual
from .raster import cell_values, image_plane

if TYPE_CHECKING:
    import pyvista as pv
    from vtkmodules.vtkRenderingCore import vtkActor

#: the legend's title in each language
LEGEND_TITLE = {"en": "Height of vegetation (m)", "fr": "Hauteur de la végétation (m)"}
#: the lowest and the tallest vegetation's colours (RGB 0-1)
FOLIAGE = ((0.56, 0.72, 0.34), (0.09, 0.32, 0.13))
#: pixels drawn at most; beyond, the highest pixel of each block is drawn
MAX_DRAWN_PIXELS = 1_000_000
#: grid pixels of the stand-in drawn while the camera moves, and from how many cells a canopy has one
COARSE_PIXELS = 120_000
LOD_MIN_CELLS = 100_000


class CanopyVisual(Visual[CanopyLayer]):
    """The canopy as one lit surface of crowns coloured by height (the style's ``cmap``)."""

    layer_type = CanopyLayer
    kind = "canopy"

    def build(self) -> None:
        exclude_buildings(self.view.scene)
        layer = self.layer
        scale = layer.colour_scale()
        self._lut = (
            continuous_lut(scale.cmap, scale.limits) if layer.style.cmap else foliage_lut(scale.limits)
        )
        self._legend = Legend(LEGEND_TITLE["fr" if self.view.language == "fr" else "en"], self._lut)
        self._full = True
        self._coarse: vtkActor | None = None
        self.actor: vtkActor | None = None
        surface = self._surface(MAX_DRAWN_PIXELS)
        self._cells = 0 if surface is None else surface.n_cells
        if surface is not None:
            self.actor = self._add(surface, pickable=True)

    def _add(self, surface: pv.PolyData, *, pickable: bool) -> vtkActor:
        return self.add_polydata(
            surface,
            lut=self._lut,
            scalars="height",
            cell_scalars=False,
            lit=True,
            pickable=pickable,
            Ambient=0.25,
            Diffuse=0.8,
        )

    def _surface(self, budget: int) -> pv.PolyData | None:
        """The crowns within ``budget`` pixels of the grid (``None``: no canopy)."""
        scene = self.view.scene
        layer = self.layer
        grid = layer.require_grid()
        mask = layer.canopy_mask()
        heights = np.where(mask, layer.heights_m, 0.0).astype(np.float32)
        factor = max(int(np.ceil(np.sqrt(heights.size / budget))), 1)
        if factor > 1:
            heights, mask = _block_max(heights, mask, factor)
            grid = Grid(
                values=heights, x0=grid.x0, y0=grid.y0, dx=grid.dx * factor, dy=grid.dy * factor, crs=grid.crs
            )
        shown = _dilated(mask)
        if not shown.any():
            return None
        origin = scene.origin
        assert origin is not None  # the scene has one as soon as it holds a layer
        image = image_plane(grid, origin, 0.0)
        image.cell_data["height"] = cell_values(heights)
        cells = image.extract_cells(np.flatnonzero(cell_values(shown)).astype(int))
        surface = cells.cell_data_to_point_data().extract_surface(
            algorithm="dataset_surface", pass_pointid=False, pass_cellid=False
        )
        height = np.asarray(surface.point_data["height"], dtype=np.float64)
        ground = np.zeros(len(height))
        terrain = scene.terrain()
        if isinstance(terrain, TerrainLayer):
            x = surface.points[:, 0] + origin[0]
            y = surface.points[:, 1] + origin[1]
            ground = np.nan_to_num(terrain.height_at(x, y) - scene.ground_reference_m, nan=0.0)
        surface.points[:, 2] = ground + height
        return surface.compute_normals(cell_normals=False, split_vertices=False, auto_orient_normals=False)

    def set_detail(self, full: bool) -> None:
        """A large canopy moves as a coarser stand-in while the camera moves (:mod:`viewer.lod`)."""
        if self.actor is None or full == self._full or self._cells < LOD_MIN_CELLS:
            return
        self._full = full
        if not full and self._coarse is None:
            coarse = self._surface(COARSE_PIXELS)
            if coarse is not None:
                self._coarse = self._add(coarse, pickable=False)
        self._show_detail()

    def _show_detail(self) -> None:
        visible = self.layer.visible
        if self.actor is not None:
            self.actor.SetVisibility(visible and self._full)
        if self._coarse is not None:
            self._coarse.SetVisibility(visible and not self._full)

    def _on_visible(self, visible: bool) -> None:
        super()._on_visible(visible)
        self._show_detail()

    def legends(self) -> list[Legend]:
        return [self._legend]


def foliage_lut(clim: tuple[float, float], n: int = 64) -> vtkLookupTable:
    """Leaf greens over ``clim`` (metres): light for shrubs, dark for tall trees, never white nor
    yellow, so that low crowns still read as foliage."""
    lut = vtkLookupTable()
    lut.SetNumberOfTableValues(n)
    lo, hi = float(clim[0]), float(clim[1])
    lut.SetRange(lo, hi if hi > lo else lo + 1.0)
    for i, t in enumerate(np.linspace(0.0, 1.0, n)):
        r, g, b = (FOLIAGE[0][k] + (FOLIAGE[1][k] - FOLIAGE[0][k]) * t for k in range(3))
        lut.SetTableValue(i, r, g, b, 1.0)
    lut.Build()
    return lut


def _dilated(mask: np.ndarray) -> np.ndarray:
    """``mask`` grown by one pixel in the eight directions."""
    out = mask.copy()
    out[1:] |= mask[:-1]
    out[:-1] |= mask[1:]
    grown = out.copy()
    grown[:, 1:] |= out[:, :-1]
    grown[:, :-1] |= out[:, 1:]
    return grown


def _block_max(heights: np.ndarray, mask: np.ndarray, factor: int) -> tuple[np.ndarray, np.ndarray]:
    """The grid ``factor`` times coarser: the highest canopy pixel of each block."""
    rows, cols = heights.shape
    pad_r, pad_c = (-rows) % factor, (-cols) % factor
    h = np.pad(np.where(mask, heights, 0.0), ((0, pad_r), (0, pad_c)))
    m = np.pad(mask, ((0, pad_r), (0, pad_c)))
    shape = (h.shape[0] // factor, factor, h.shape[1] // factor, factor)
    return h.reshape(shape).max(axis=(1, 3)).astype(np.float32), np.asarray(m.reshape(shape).any(axis=(1, 3)))
