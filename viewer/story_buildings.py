"""The story page's building colours: where a step colours a buildings layer by an attribute (its
style's ``color_by``: height, usage, any column), the colour the app gives each building, read from
the app's own drawing (:class:`viewer.visuals.buildings.BuildingsVisual`: its lookup table over its
per-row values, so the page never recomputes a colour map), and the legend that explains it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy

from layers.core.palettes import hex_to_rgb

from .visuals.buildings import GREYED_COLOR

if TYPE_CHECKING:
    from .visuals.buildings import BuildingsVisual

#: vtkScalarsToColors' colour mode that maps scalars through the table (VTK_COLOR_MODE_MAP_SCALARS)
MAP_SCALARS = 1


def building_colours(visual: BuildingsVisual) -> np.ndarray | None:
    """(n, 3) uint8 sRGB: each row of ``visual``'s layer in the colour the app draws it in when its
    style colours the buildings by an attribute (rows its filter greys out: the grey it draws them
    in); ``None`` when the buildings have one plain colour."""
    values, lut = visual.row_values, visual.lut
    if values is None or lut is None:
        return None
    scalars = numpy_to_vtk(np.ascontiguousarray(values, np.float32), deep=True)
    mapped = lut.MapScalars(scalars, MAP_SCALARS, -1)
    rgba = vtk_to_numpy(mapped).reshape(len(values), -1)
    colours = np.ascontiguousarray(rgba[:, :3], np.uint8)
    colours[~np.asarray(visual.mask, bool)] = hex_to_rgb(GREYED_COLOR)
    return colours
