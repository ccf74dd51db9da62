"""Flat overlays laid on the scene's terrain.

The scene has one vertical reference (:attr:`layers.core.scene.Scene.ground_reference_m`, the lowest
point of the terrain): the terrain is drawn at its altitude minus that reference
(:class:`viewer.visuals.terrain.TerrainVisual`), and flat overlays (land use, rasters, streets...)
are draped on it by :func:`drape`: subdivided so that no edge is longer than the DEM's pixels, then
lifted to the terrain under each vertex. :meth:`viewer.visuals.base.Visual.add_polydata` drapes
every unlit overlay when the scene has a terrain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyvista as pv

if TYPE_CHECKING:
    from .context import ViewContext

#: draped edges are at most this many DEM pixels long
DRAPE_EDGE_PIXELS = 2.0
#: a draped overlay is subdivided into at most this many triangles (a coarser fit beyond)
MAX_DRAPE_TRIANGLES = 4_000_000


def terrain_offset(view: ViewContext, local_xy: np.ndarray) -> np.ndarray | None:
    """(n,) height (m) of the terrain above the scene's reference under origin-relative points
    (n, 2+), 0 off the DEM; ``None`` when the scene has no terrain."""
    terrain = view.scene.terrain()
    origin = view.scene.origin
    if terrain is None or terrain.grid is None or origin is None:
        return None
    z = np.asarray(terrain.height_at(local_xy[:, 0] + origin[0], local_xy[:, 1] + origin[1]), np.float64)
    return np.nan_to_num(z - view.scene.ground_reference_m, nan=0.0)


def drape(mesh: pv.DataSet, view: ViewContext) -> pv.DataSet:
    """``mesh`` (a flat overlay, origin-relative) laid on the scene's terrain; unchanged without one.

    Surfaces are first subdivided so their edges follow the DEM (cell data and texture coordinates
    carried over), then every point is lifted by the terrain under it, keeping its small own lift.
    """
    terrain = view.scene.terrain()
    if terrain is None or terrain.grid is None or mesh.n_points == 0:
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
            # VTK's default (1 m²) cut every overlay into 1 m² triangles
            subdivide.SetMaximumTriangleArea(step * step)
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
