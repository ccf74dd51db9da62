"""Point glyphs drawn by one ``vtkGlyph3DMapper``: columns (sensors) and pucks (vehicles).

Positions, heights and colours are arrays on one PolyData; moving the clock rewrites them in place
(no new actors), which keeps updates to a few milliseconds for thousands of points.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkLookupTable, vtkPoints
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor, vtkGlyph3DMapper


def column_source(radius: float, resolution: int = 16) -> pv.PolyData:
    """A unit-height vertical cylinder standing on z = 0 (scaled in z per point)."""
    return pv.Cylinder(
        center=(0, 0, 0.5),
        direction=(0, 0, 1),
        radius=radius,
        height=1.0,
        resolution=resolution,
        capping=True,
    ).triangulate()


class GlyphCloud:
    """Points with per-point scale (sx, sy, sz) and RGBA colour, drawn as copies of ``source``.

    Built on plain VTK arrays (PyVista refuses empty arrays, and a timetable often has no vehicle
    running at 3 am).
    """

    def __init__(self, source: pv.PolyData, points: np.ndarray) -> None:
        self.data = vtkPolyData()
        self._arrays: dict[str, np.ndarray] = {}
        self.mapper = vtkGlyph3DMapper()
        self.mapper.SetInputData(self.data)
        self.mapper.SetSourceData(source)
        self.mapper.SetScaleArray("scale")
        self.mapper.SetScaleModeToScaleByVectorComponents()
        self.mapper.SetScaling(True)
        self.mapper.OrientOff()
        self.mapper.SetColorModeToDirectScalars()
        self.mapper.SetScalarModeToUsePointFieldData()
        self.mapper.SelectColorArray("rgba")
        self.mapper.ScalarVisibilityOn()
        self.actor = vtkActor()
        self.actor.SetMapper(self.mapper)
        self.update(points=np.asarray(points, dtype=np.float32).reshape(-1, 3))

    @property
    def count(self) -> int:
        return self.data.GetNumberOfPoints()

    def update(
        self,
        *,
        points: np.ndarray | None = None,
        scale: np.ndarray | None = None,
        rgba: np.ndarray | None = None,
    ) -> None:
        """Rewrite positions, scales or colours (a new point count replaces every array)."""
        if points is not None:
            points = np.ascontiguousarray(points, dtype=np.float32).reshape(-1, 3)
            n = len(points)
            if n != self.count or "points" not in self._arrays:
                self._arrays["points"] = points
                vtk_points = vtkPoints()
                vtk_points.SetData(numpy_to_vtk(points, deep=False))
                self.data.SetPoints(vtk_points)
                if scale is None:
                    scale = np.ones((n, 3), np.float32)
                if rgba is None:
                    rgba = np.full((n, 4), 255, np.uint8)
            else:
                self._arrays["points"][:] = points
                self.data.GetPoints().Modified()
        if scale is not None:
            self._set_array("scale", np.ascontiguousarray(scale, dtype=np.float32).reshape(-1, 3))
        if rgba is not None:
            self._set_array("rgba", np.ascontiguousarray(rgba, dtype=np.uint8).reshape(-1, 4))
        self.data.Modified()

    def _set_array(self, name: str, values: np.ndarray) -> None:
        current = self._arrays.get(name)
        if current is not None and current.shape == values.shape:
            current[:] = values
            self.data.GetPointData().GetArray(name).Modified()
            return
        self._arrays[name] = values
        array = numpy_to_vtk(values, deep=False)
        array.SetName(name)
        self.data.GetPointData().AddArray(array)


def lut_table(lut: vtkLookupTable) -> np.ndarray:
    """(n, 4) uint8 colours of a VTK lookup table's entries (read once, then indexed in numpy)."""
    n = lut.GetNumberOfTableValues()
    return (np.array([lut.GetTableValue(i) for i in range(n)]) * 255).round().astype(np.uint8)


def lut_colors(lut: vtkLookupTable, values: np.ndarray, table: np.ndarray | None = None) -> np.ndarray:
    """RGBA uint8 (n, 4) of ``values`` through a VTK lookup table; NaN gets the table's NaN colour.

    ``table``: the table's colours from :func:`lut_table`, when the caller keeps them.
    """
    table = lut_table(lut) if table is None else table
    n = len(table)
    lo, hi = lut.GetRange()
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    idx = np.clip(((np.where(finite, values, lo) - lo) / ((hi - lo) or 1.0) * n).astype(np.int64), 0, n - 1)
    rgba = table[idx]
    rgba[~finite] = (np.array(lut.GetNanColor()) * 255).round().astype(np.uint8)
    return rgba
