"""Short texts above points of the scene (sensor values, comment pins), in one 2D actor.

The texts are sized with the picture (a 4K export writes them as large as the window does, relative
to its height) and with the presentation's enlargement (:attr:`LabelRegistry.scale`, set by
:meth:`viewer.scene_view.SceneView.set_ui_scale` like captions and legends), and decluttered
before each render, in one pass over every label of the view
(:class:`viewer.label_registry.LabelRegistry`): a text that would overlap another or an overlay
(legend, caption, credits…) is moved beside its point, else shortened, else left out — never
drawn on top. The texts are written at display positions chosen by that pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkPoints, vtkStringArray
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor2D
from vtkmodules.vtkRenderingLabel import vtkLabeledDataMapper

from .label_registry import LabelCandidate, Placement
from .legends import text_size
from .text_fit import ELLIPSIS

if TYPE_CHECKING:
    from .context import ViewContext

#: pixels of the text's background around its letters, each side
BOX_PAD = 3
#: the font size grows with the picture's height: × height / 1000, within these bounds
SCALE_MIN, SCALE_MAX = 0.75, 4.5
#: a shortened text keeps at least this many characters before its "…"
SHORTEST_CHARS = 3
#: text boxes remembered (font size, text) before the memory is emptied
MEASURED_MAX = 2048


def shorter_forms(text: str) -> list[str]:
    """Shorter forms of ``text``, longest first: its first words with "…" ("Idée · Des arbres
    sur le quai" → "Idée · Des arbres sur le…", …, "Idée…"); none for a single word."""
    words = text.split()
    forms: list[str] = []
    for count in range(len(words) - 1, 0, -1):
        cut = " ".join(words[:count]).rstrip(" ,;:.·-—")
        form = cut + ELLIPSIS
        if len(cut) >= SHORTEST_CHARS and form not in forms:
            forms.append(form)
    return forms


class PointLabels:
    """Texts written above points: :meth:`set` them, the view draws them (``actor``)."""

    def __init__(self, view: ViewContext, point_size: int, rank: int = 0) -> None:
        self.view = view
        #: texts of a higher rank are written first where texts collide (comment pins: 1)
        self.rank = rank
        self.point_size = point_size
        self.texts: list[str] = []
        #: per text, its shorter forms tried before it is left out (longest first)
        self.short: list[tuple[str, ...]] = []
        self.tops = np.zeros((0, 3))
        self.priority = np.zeros(0)
        self._sizes: dict[tuple[int, str], tuple[float, float]] = {}
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
        mapper.CoordinateSystemDisplay()  # the declutter pass says where each text goes
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

    def set(
        self,
        tops: np.ndarray,
        texts: list[str],
        priority: np.ndarray | None = None,
        short: Sequence[Sequence[str]] | None = None,
    ) -> None:
        """Write ``texts[i]`` above ``tops[i]`` (origin-relative (n, 3), the text's bottom centre);
        where texts collide, those of higher ``priority`` win (the first ones when ``None``).
        ``short[i]``: shorter forms of ``texts[i]`` to try before leaving it out (by default its
        first words with "…", :func:`shorter_forms`)."""
        self.tops = np.asarray(tops, dtype=np.float64).reshape(-1, 3)
        self.texts = list(texts)
        count = len(self.texts)
        self.priority = -np.arange(count, dtype=float) if priority is None else np.asarray(priority, float)
        if short is None:
            self.short = [tuple(shorter_forms(text)) for text in self.texts]
        else:
            self.short = [tuple(forms) for forms in short]
        self._write({})

    def shown(self) -> list[str]:
        """The texts as written at the last render (``""`` where one gave way to another; a
        shortened form where only that fitted)."""
        return [self._shown.GetValue(i) for i in range(self._shown.GetNumberOfValues())]

    def font_size(self) -> int:
        """The font size for the picture drawn now: grows with its height and the UI scale."""
        frame_height = self.view.frame_size()[1]  # an export's whole picture, not its tile
        factor = max(SCALE_MIN, min(max(frame_height, 1) / 1000.0, SCALE_MAX))
        return max(1, int(round(self.point_size * factor * self.view.labels.scale)))

    def candidates(self) -> list[LabelCandidate]:
        """Each text in front of the camera with its point on screen and its shorter forms, the
        font sized for the picture first (the view's one declutter pass, viewer/label_registry.py)."""
        if not self.texts or not self.actor.GetVisibility():
            self._write({})
            return []
        self.mapper.GetLabelTextProperty().SetFontSize(self.font_size())
        display, in_front = self.view.project(self.tops)
        found: list[LabelCandidate] = []
        for i, text in enumerate(self.texts):
            if not text or not in_front[i]:
                continue
            x, y = display[i]
            forms = (text, *(self.short[i] if i < len(self.short) else ()))
            found.append(LabelCandidate(float(self.priority[i]), i, (float(x), float(y)), forms))
        return found

    def measure(self, text: str) -> tuple[float, float]:
        """The box of ``text`` written now, its background included (pixels); measured once per
        font size (each render of a moving camera asks again)."""
        prop = self.mapper.GetLabelTextProperty()
        key = (prop.GetFontSize(), text)
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > MEASURED_MAX:
                self._sizes.clear()
            w, h = text_size(prop, text)
            size = self._sizes[key] = (float(w + 2 * BOX_PAD), float(h + 2 * BOX_PAD))
        return size

    def place(self, placed: dict[int, Placement]) -> None:
        self._write(placed)

    def _write(self, placed: dict[int, Placement]) -> None:
        """The texts of ``placed`` at their display positions, the others blank."""
        count = len(self.texts)
        xy = np.zeros((count, 3), dtype=np.float32)
        self._shown.SetNumberOfValues(count)
        for i in range(count):
            where = placed.get(i)
            if where is None:
                self._shown.SetValue(i, "")
            else:
                self._shown.SetValue(i, where.text)
                xy[i, 0], xy[i, 1] = where.x, where.y
        self._points.SetData(numpy_to_vtk(xy, deep=True))
        self._shown.Modified()
        self._data.Modified()

    def remove(self) -> None:
        """Stop laying out (the owner removes :attr:`actor` from the renderer)."""
        self.view.labels.discard(self)
