"""Raster overlays draped on the ground: one textured quad, unlit, crisp pixels, NaN transparent.

A raster is drawn as a single quad carrying the raster as a texture (one texel per pixel), not as
one VTK cell per pixel: a 2000 × 2000 map is 4 million cells, which VTK would turn into 16 million
points before the first frame; as a texture it is one 16 MB upload. Values are coloured once on
the CPU through the very lookup table the legend draws (``vtkLookupTable.MapScalars``), so the
picture and its legend cannot disagree; no data (NaN) is fully transparent. Texture filtering is
off (nearest texel) for values: a pixel of data stays a crisp square. A colour image (an
orthophoto, a map someone coloured) is filtered as a photo: linear, with mipmaps for the far
ground of oblique views, where nearest texels shimmer. Kinds whose values change with the
clock (an interpolated temperature field) rewrite the texture in place (:meth:`set_values`).

:class:`RasterVisual` is generic in the layer class it draws (any
:class:`~layers.raster.grid_layer.GridLayer`): the raster kind's visual, and the base of the noise,
heat and sunlight visuals, each typed against its own layer class.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import numpy as np
import pyvista as pv
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkLookupTable
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.vtkRenderingCore import vtkActor, vtkProp, vtkTexture

from layers.core.base import HasGrid
from layers.io.grid import Grid
from layers.raster.grid_layer import GridLayer
from layers.raster.layer import RasterLayer

from ..colors import continuous_lut
from ..legends import Legend
from .base import GROUND_Z, Visual

if TYPE_CHECKING:
    from layers.core.scene import Scene

TRANSPARENT = (0.0, 0.0, 0.0, 0.0)
DEFAULT_CMAP = "viridis"
#: largest texture side drawn as is; larger grids are shown decimated (the model keeps every pixel)
MAX_TEXTURE_SIDE = 8192
#: a quad draped on a terrain is cut into at most this many cells a side
MAX_DRAPE_CELLS = 400


def image_plane(grid: Grid, origin: np.ndarray, z: float) -> pv.ImageData:
    """An ImageData with one cell per raster pixel, rows flipped so north is +y.

    ``grid``: top-left ``x0, y0``, pixel ``dx, dy`` in metres of the scene CRS; ``origin``: the
    scene origin subtracted from them.
    """
    rows, cols = grid.shape[:2]
    image = pv.ImageData(
        dimensions=(cols + 1, rows + 1, 1),
        spacing=(grid.dx, grid.dy, 1.0),
        origin=(grid.x0 - origin[0], grid.y0 - rows * grid.dy - origin[1], z),
    )
    return image


def cell_values(array: np.ndarray) -> np.ndarray:
    """Raster rows (top → bottom) as VTK cell order (bottom → top, row-major)."""
    return np.ascontiguousarray(array[::-1]).reshape(-1, *array.shape[2:])


def map_colors(lut: vtkLookupTable, values: np.ndarray) -> np.ndarray:
    """RGBA uint8 ``values.shape + (4,)`` of ``values`` through ``lut`` (VTK's own mapping, NaN
    colour included), vectorised in C++."""
    flat = np.ascontiguousarray(values, dtype=np.float32).reshape(-1)
    mapped = lut.MapScalars(numpy_to_vtk(flat, deep=False), 1, -1, 4)  # 1: map scalars, 4: RGBA
    from vtkmodules.util.numpy_support import vtk_to_numpy

    return vtk_to_numpy(mapped).reshape(*values.shape, 4).copy()


def ground_quad(
    bounds: tuple[float, float, float, float],
    z: float,
    xs: np.ndarray | None = None,
    ys: np.ndarray | None = None,
) -> pv.PolyData:
    """A rectangle (xmin, ymin, xmax, ymax) at height ``z`` with texture coordinates 0..1.

    ``xs`` / ``ys``: increasing cut positions from xmin to xmax (ymin to ymax) to cut it into cells
    of two triangles, split along the lower-left to upper-right diagonal as VTK splits the quads
    of a terrain, so that a quad cut on the terrain's own pixel corners lies exactly on it once
    draped. Default: one cell.
    """
    xmin, ymin, xmax, ymax = bounds
    xs = np.array([xmin, xmax]) if xs is None else np.asarray(xs, dtype=np.float64)
    ys = np.array([ymin, ymax]) if ys is None else np.asarray(ys, dtype=np.float64)
    nx, ny = len(xs) - 1, len(ys) - 1
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel(), np.full(gx.size, z)])
    corner = (np.arange(ny)[:, None] * (nx + 1) + np.arange(nx)[None, :]).ravel()
    faces = np.concatenate(
        [
            np.column_stack([corner, corner + 1, corner + nx + 2]),
            np.column_stack([corner, corner + nx + 2, corner + nx + 1]),
        ]
    )
    # float32 points as VTK keeps them (pyvista's hint asks for float64)
    quad = pv.PolyData.from_regular_faces(points.astype(np.float32), faces)  # type: ignore[arg-type]
    u = (gx.ravel() - xmin) / ((xmax - xmin) or 1.0)
    v = (gy.ravel() - ymin) / ((ymax - ymin) or 1.0)
    quad.active_texture_coordinates = np.column_stack([u, v]).astype(np.float32)
    return quad


def drape_cuts(
    scene: Scene, bounds: tuple[float, float, float, float]
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Where to cut a ground quad (scene CRS ``bounds``) so that it follows the scene's terrain: at
    the terrain's pixel corners (every n-th one past :data:`MAX_DRAPE_CELLS` a side), plus the
    quad's own edges; origin-relative. ``(None, None)`` without a terrain."""
    terrain = scene.terrain()
    grid = terrain.grid if isinstance(terrain, HasGrid) else None
    if grid is None or scene.origin is None:
        return None, None
    xmin, ymin, xmax, ymax = bounds
    rows, cols = grid.shape[:2]
    corners_x = grid.x0 + np.arange(cols + 1) * grid.dx
    corners_y = (grid.y0 - rows * grid.dy) + np.arange(rows + 1) * grid.dy
    cuts = []
    for corners, low, high in ((corners_x, xmin, xmax), (corners_y, ymin, ymax)):
        inside = corners[(corners > low) & (corners < high)]
        step = max(1, math.ceil(len(inside) / MAX_DRAPE_CELLS))
        cuts.append(np.concatenate([[low], inside[::step], [high]]))
    origin = scene.origin
    return cuts[0] - origin[0], cuts[1] - origin[1]


class RasterTexture:
    """An RGBA texture holding a raster, north-up rows, replaceable in place.

    ``smooth``: linear filtering (a photo, a smooth field) instead of crisp texels; ``mipmap``:
    smaller copies for the far ground of an oblique view, where a photo would otherwise shimmer.
    """

    def __init__(self, rgba: np.ndarray, *, smooth: bool = False, mipmap: bool = False) -> None:
        self.image = vtkImageData()
        self.texture = vtkTexture()
        self.texture.SetInputData(self.image)
        self.texture.SetInterpolate(bool(smooth))
        self.texture.SetMipmap(bool(mipmap))
        self.texture.RepeatOff()
        self.texture.EdgeClampOn()
        self.texture.SetColorModeToDirectScalars()
        self._pixels: np.ndarray | None = None
        self.update(rgba)

    def update(self, rgba: np.ndarray) -> None:
        """Replace the texels with ``rgba`` (rows, cols, 4) uint8, row 0 = north."""
        rows, cols = rgba.shape[:2]
        flipped = np.ascontiguousarray(rgba[::-1].reshape(-1, 4), dtype=np.uint8)
        if self._pixels is not None and self._pixels.shape == flipped.shape:
            self._pixels[:] = flipped
            self.image.GetPointData().GetScalars().Modified()
        else:
            self._pixels = flipped
            self.image.SetDimensions(cols, rows, 1)
            array = numpy_to_vtk(self._pixels, deep=False)
            array.SetName("rgba")
            self.image.GetPointData().SetScalars(array)
        self.image.Modified()
        self.texture.Modified()


def texture_step(shape: tuple[int, int]) -> int:
    """Decimation step so that neither side exceeds :data:`MAX_TEXTURE_SIDE`."""
    return max(1, math.ceil(max(shape) / MAX_TEXTURE_SIDE))


RasterT = TypeVar("RasterT", bound=GridLayer[Any])


class RasterVisual(Visual[RasterT]):
    """Any raster: colour images shown as they are, single bands through the layer's colour scale
    (:meth:`~layers.raster.grid_layer.GridLayer.colour_scale`). Kinds subclass it for their own
    layer class (``RasterVisual[NoiseLayer]``...)."""

    layer_type: ClassVar[type[GridLayer[Any]]] = RasterLayer

    kind = "raster"
    unlit = True
    z_role = "raster"
    #: linear texture filtering (smooth fields) instead of crisp pixels
    smooth = False

    actor: vtkActor | None = None
    lut: vtkLookupTable
    raster_texture: RasterTexture
    _legend: Legend | None = None
    _grid: Grid
    _step: int = 1

    def build(self) -> None:
        grid = self.layer.require_grid()
        self._legend = None
        self._grid = grid
        self._step = texture_step(grid.shape)
        xmin, ymin, xmax, ymax = grid.bounds()
        origin = self.view.scene.origin
        if origin is None:
            raise RuntimeError("the scene has no origin: add the layer to the scene before drawing it")
        local = (xmin - origin[0], ymin - origin[1], xmax - origin[0], ymax - origin[1])
        xs, ys = drape_cuts(self.view.scene, grid.bounds())
        self.quad = ground_quad(local, GROUND_Z[self.z_role], xs, ys)
        if grid.rgba is not None:
            rgba = grid.rgba[:: self._step, :: self._step]
        else:
            self.lut, self._legend = self.colouring()
            rgba = map_colors(
                self.lut, self.display_values(np.asarray(grid.values)[:: self._step, :: self._step])
            )
        # a colour image (an orthophoto, a rendered map) is a picture: filtered like one
        photo = grid.rgba is not None
        self.raster_texture = RasterTexture(rgba, smooth=self.smooth or photo, mipmap=photo)
        self.actor = self.add_polydata(self.quad, color="white")
        self.actor.SetTexture(self.raster_texture.texture)

    def display_values(self, values: np.ndarray) -> np.ndarray:
        """The values coloured on screen (kinds may fill cosmetic gaps); the model keeps its own."""
        return values

    def set_values(self, values: np.ndarray) -> None:
        """Recolour the texture from new ``values`` (rows, cols) of the same grid, in place."""
        self.raster_texture.update(
            map_colors(self.lut, self.display_values(np.asarray(values)[:: self._step, :: self._step]))
        )

    def colouring(self) -> tuple[vtkLookupTable, Legend]:
        """The lookup table and legend for single-band values (subclasses specialise)."""
        scale = self.layer.colour_scale()
        lut = continuous_lut(scale.cmap, scale.limits, nan_rgba=TRANSPARENT)
        unit = self.layer.unit
        title = self.layer.name + (f" ({unit})" if unit else "")
        return lut, Legend(title, lut, label_format="%.4g")

    def legends(self) -> list[Legend]:
        return [self._legend] if self._legend is not None else []

    # -- picking and probing ---------------------------------------------------------------
    def pick_cell(self, actor: vtkProp, cell_id: int) -> int | None:
        """The flat pixel index (row * cols + col, row 0 = north) under the last pick."""
        if actor is not self.actor:
            return None
        x, y = self.view.to_world(self.view.picked_local())[:2]
        return self.pixel_index(x, y)

    def pixel_index(self, x: float, y: float) -> int | None:
        """Flat index of the pixel containing (x, y) in scene CRS metres; ``None`` outside."""
        grid = self._grid
        rows, cols = grid.shape[:2]
        col = int(math.floor((x - grid.x0) / grid.dx))
        row = int(math.floor((grid.y0 - y) / grid.dy))
        if not (0 <= col < cols and 0 <= row < rows):
            return None
        return row * cols + col

    def attributes(self, index: int) -> dict[str, Any]:
        """The pixel's value and position (``index`` = row * cols + col, row 0 = north)."""
        grid = self._grid
        row, col = divmod(int(index), grid.shape[1])
        x = grid.x0 + (col + 0.5) * grid.dx
        y = grid.y0 - (row + 0.5) * grid.dy
        info: dict[str, Any] = dict(self.layer.attributes_at(x, y))
        info.setdefault("x", round(x, 1))
        info.setdefault("y", round(y, 1))
        return info

    def probe(self, x: float, y: float) -> str | None:
        """The value under (x, y) in scene CRS metres, as the status bar writes it; ``None`` if none."""
        info = self.layer.attributes_at(x, y)
        value = info.get("value")
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        unit = info.get("unit") or ""
        return f"{self.layer.name} : {value:.4g} {unit}".strip()
