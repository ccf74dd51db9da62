"""Short texts above points of the scene (sensor values, comment pins), in one 2D actor.

The texts are sized with the picture (a 4K export writes them as large as the window does, relative
to its height) and decluttered before each render, in one pass over every label of the view
(:class:`viewer.label_registry.LabelRegistry`): where a text would overlap another or an overlay
(legend, caption, credits…), only the one of higher rank and priority is written.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkPoints, vtkStringArray
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor2D
from vtkmodules.vtkRenderingLabel import vtkLabeledDataMapper

from .legends import text_size
from .overlay_layout import Rect

if TYPE_CHECKING:
    from .context import ViewContext

#: pixels of the text's background around its letters, each side
BOX_PAD = 3
#: the font size grows with the picture's height: × height / 1000, within these bounds
SCALE_MIN, SCALE_MAX = 0.75, 4.5


class PointLabels:
    """Texts written above points: :meth:`set` them, the view draws them (``actor``)."""

    def __init__(self, view: ViewContext, point_size: int, rank: int = 0) -> None:
        self.view = view
        #: texts of a higher rank are written first where texts collide (comment pins: 1)
        self.rank = rank
        self.point_size = point_size
        self.texts: list[str] = []
        self.tops = np.zeros((0, 3))
        self.priority = np.zeros(0)
        self._data = vtkPolyData()
        self._points = vtkPoints()
        self._data.SetPoints(self._points)
        self._shown = vtkStringArray()
        self._shown.SetName("label")
        self._data.GetPointData().AddArray(self._shown)
        self.mapper = mapper = vtkLabeledDataMapper()
        mapper.SetInputData(self._data)
        mapper.SetLabelModeToLabelFieldData()
        mapper.SetFieldDataName("label")
        prop = mapper.GetLabelTextProperty()
        prop.SetFontFamilyToArial()
        prop.SetBold(True)
        prop.SetItalic(False)
        prop.SetFontSize(point_size)
        prop.SetColor(0.1, 0.1, 0.12)
        prop.SetBackgroundColor(1.0, 1.0, 1.0)
        prop.SetBackgroundOpacity(0.8)
        prop.SetJustificationToCentered()
        prop.SetVerticalJustificationToBottom()
        prop.ShadowOff()
        self.actor = vtkActor2D()
        self.actor.SetMapper(mapper)
        self.actor.SetPickable(False)
        view.labels.add(self)

    def set(self, tops: np.ndarray, texts: list[str], priority: np.ndarray | None = None) -> None:
        """Write ``texts[i]`` above ``tops[i]`` (origin-relative (n, 3), the text's bottom centre);
        where texts collide, those of higher ``priority`` win (the first ones when ``None``)."""
        self.tops = np.asarray(tops, dtype=np.float64).reshape(-1, 3)
        self.texts = list(texts)
        count = len(self.texts)
        self.priority = -np.arange(count, dtype=float) if priority is None else np.asarray(priority, float)
        self._points.SetData(numpy_to_vtk(np.ascontiguousarray(self.tops, dtype=np.float32), deep=True))
        self._shown.SetNumberOfValues(count)
        for i, text in enumerate(self.texts):
            self._shown.SetValue(i, text)
        self._shown.Modified()
        self._data.Modified()

    def shown(self) -> list[str]:
        """The texts as written at the last render (``""`` where one gave way to another)."""
        return [self._shown.GetValue(i) for i in range(self._shown.GetNumberOfValues())]

    def candidates(self) -> list[tuple[float, int, Rect]]:
        """(priority, index, display-pixel box) of each text in front of the camera, the font sized
        for the picture's height first (the view's one declutter pass, viewer/label_registry.py)."""
        if not self.texts or not self.actor.GetVisibility():
            self.keep_only(set())
            return []
        frame_height = self.view.frame_size()[1]  # an export's whole picture, not its tile
        size = int(round(self.point_size * max(SCALE_MIN, min(max(frame_height, 1) / 1000.0, SCALE_MAX))))
        prop = self.mapper.GetLabelTextProperty()
        prop.SetFontSize(size)
        display, in_front = self.view.project(self.tops)
        found: list[tuple[float, int, Rect]] = []
        for i, text in enumerate(self.texts):
            if not text or not in_front[i]:
                continue
            w, h = text_size(prop, text)
            w, h = w + 2 * BOX_PAD, h + 2 * BOX_PAD
            x, y = display[i]
            found.append((float(self.priority[i]), i, (float(x - w / 2), float(y), float(w), float(h))))
        return found

    def keep_only(self, kept: builtins.set[int]) -> None:
        for i, text in enumerate(self.texts):
            self._shown.SetValue(i, text if i in kept else "")
        self._shown.Modified()
        self._data.Modified()

    def remove(self) -> None:
        """Stop laying out (the owner removes :attr:`actor` from the renderer)."""
        self.view.labels.discard(self)
