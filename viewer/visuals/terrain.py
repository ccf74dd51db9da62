"""Terrain: a DEM as a lit surface coloured by altitude, and the draping of flat overlays on it.

The scene has one vertical reference (:attr:`layers.core.scene.Scene.ground_reference_m`, the lowest
point of the terrain): the terrain is drawn at its altitude minus that reference, buildings stand
on the ground under them (:class:`viewer.visuals.buildings.BuildingsVisual`), and flat overlays
(land use, rasters, streets...) are draped on the surface by :func:`drape`: subdivided so that no
edge is longer than the DEM's pixels, then lifted to the terrain under each vertex.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyvista as pv

from layers.terrain.layer import TerrainLayer

from ..colors import continuous_lut
from ..legends import Legend
from .base import Visual
from .raster import cell_values, image_plane

#: draped edges are at most this many DEM pixels long
DRAPE_EDGE_PIXELS = 2.0
#: a draped overlay is subdivided into at most this many triangles (a coarser fit beyond)
MAX_DRAPE_TRIANGLES = 4_000_000


class TerrainVisual(Visual[TerrainLayer]):
    """The DEM as one lit surface coloured by altitude (the style's ``cmap``), nodata left open."""

    layer_type = TerrainLayer
    kind = "terrain"

    def build(self) -> None:
        grid = self.layer.dem
        values = np.asarray(self.layer.heights_m, dtype=np.float64)
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
        self._legend = Legend("Altitude (m)", lut)
        self.base_m = base
        self.actor = self.add_polydata(
            surface, lut=lut, scalars="altitude", cell_scalars=False, Ambient=0.3, Diffuse=0.75
        )

    def legends(self) -> list[Legend]:
        return [self._legend]


def terrain_offset(view: Any, local_xy: np.ndarray) -> np.ndarray | None:
    """(n,) height of the terrain above the scene's reference under origin-relative points, 0 off
    the DEM; ``None`` when the scene has no terrain."""
    terrain = view.scene.terrain()
    if terrain is None or getattr(terrain, "grid", None) is None:
        return None
    origin = view.scene.origin
    z = np.asarray(terrain.height_at(local_xy[:, 0] + origin[0], local_xy[:, 1] + origin[1]), np.float64)
    return np.nan_to_num(z - view.scene.ground_reference_m, nan=0.0)


def drape(mesh: pv.DataSet, view: Any) -> pv.DataSet:
    """``mesh`` (a flat overlay, origin-relative) laid on the scene's terrain; unchanged without one.

    Surfaces are first subdivided so their edges follow the DEM (cell data and texture coordinates
    carried over), then every point is lifted by the terrain under it, keeping its small own lift.
    """
    terrain = view.scene.terrain()
    if terrain is None or getattr(terrain, "grid", None) is None or mesh.n_points == 0:
        return mesh
    if isinstance(mesh, pv.ImageData):
        mesh = mesh.cast_to_structured_grid()
    if isinstance(mesh, pv.PolyData) and mesh.n_cells and mesh.is_all_triangles:
        step = DRAPE_EDGE_PIXELS * max(terrain.grid.dx, terrain.grid.dy)
        xmin, xmax, ymin, ymax = mesh.bounds[:4]
        extent = max(xmax - xmin, ymax - ymin)
        if extent > step:
            from vtkmodules.vtkFiltersModeling import vtkAdaptiveSubdivisionFilter

            subdivide = vtkAdaptiveSubdivisionFilter()
            subdivide.SetInputData(mesh)
            subdivide.SetMaximumEdgeLength(step)
            subdivide.SetMaximumTriangleArea(
                step * step
            )  # VTK's default (1 m²) cut every overlay into 1 m² triangles
            subdivide.SetMaximumNumberOfTriangles(MAX_DRAPE_TRIANGLES)
            subdivide.SetMaximumNumberOfPasses(24)
            subdivide.Update()
            mesh = pv.wrap(subdivide.GetOutput())
    else:
        mesh = mesh.copy()
    offset = terrain_offset(view, np.asarray(mesh.points))
    if offset is not None:
        points = np.array(mesh.points)
        points[:, 2] += offset
        mesh.points = points
    return mesh
