"""Short texts above points of the scene (sensor values, comment pins), in one 2D actor.

The texts are sized with the picture (a 4K export writes them as large as the window does, relative
to its height) and decluttered before each render: where two would overlap on screen, only the one
of higher priority is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkPoints, vtkStringArray
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor2D
from vtkmodules.vtkRenderingLabel import vtkLabeledDataMapper

if TYPE_CHECKING:
    from .context import ViewContext

#: how wide a character is, as a share of the font size (bold sans serif, digits and lower case)
CHAR_WIDTH = 0.32
#: the font size grows with the picture's height: × height / 1000, within these bounds
SCALE_MIN, SCALE_MAX = 0.75, 4.5


class PointLabels:
    """Texts written above points: :meth:`set` them, the view draws them (``actor``)."""

    def __init__(self, view: ViewContext, point_size: int) -> None:
        self.view = view
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
        self._observer: int | None = view.renderer.AddObserver("StartEvent", self._layout)

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

    def _layout(self, *_: Any) -> None:
        """Before each render: the font follows the picture's height, and colliding texts give way."""
        if not self.texts:
            return
        renderer = self.view.renderer
        window = renderer.GetRenderWindow()
        if window is None:
            return
        width, height = window.GetSize()
        frame_height = self.view.frame_size()[1]  # an export's whole picture, not its tile
        size = int(round(self.point_size * max(SCALE_MIN, min(max(frame_height, 1) / 1000.0, SCALE_MAX))))
        self.mapper.GetLabelTextProperty().SetFontSize(size)
        if width <= 0 or height <= 0:
            return
        display, in_front = self.view.project(self.tops)
        half_w = np.array([CHAR_WIDTH * size * max(len(t), 1) for t in self.texts]) + 4
        line_h = 1.3 * size + 6
        kept: list[int] = []
        for i in np.argsort(-self.priority, kind="stable"):
            if not self.texts[i] or not in_front[i]:
                continue
            x, y = display[i]
            if any(
                abs(x - display[j, 0]) < half_w[i] + half_w[j] and abs(y - display[j, 1]) < line_h
                for j in kept
            ):
                continue
            kept.append(int(i))
        keep = set(kept)
        for i, text in enumerate(self.texts):
            self._shown.SetValue(i, text if i in keep else "")
        self._shown.Modified()
        self._data.Modified()

    def remove(self) -> None:
        """Stop laying out (the owner removes :attr:`actor` from the renderer)."""
        if self._observer is not None:
            self.view.renderer.RemoveObserver(self._observer)
            self._observer = None
