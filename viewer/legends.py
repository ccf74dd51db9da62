"""Legends drawn in the scene: one panel per visible layer that has one, stacked top-right.

A :class:`Legend` shares its lookup table with the mapper it explains, so the colours always match.
Panels are drawn with plain VTK 2D actors (a background, colour swatches or a ramp, text) laid out
in pixels scaled with the window height, so a 4K export has legible legends too; when they do not
fit in one column, a second column opens to the left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import vtkmodules.vtkRenderingFreeType  # noqa: F401 - registers the text renderer used to measure
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkLookupTable, vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkActor2D,
    vtkPolyDataMapper2D,
    vtkRenderer,
    vtkTextActor,
    vtkTextProperty,
    vtkTextRenderer,
)

from layers.core.numbers import plain_numbers_in
from viewer.text_fit import fit_line

from .colors import nice_ticks

TEXT_RGB = (0.12, 0.12, 0.14)
PANEL_RGB = (1.0, 1.0, 1.0)
PANEL_OPACITY = 0.88
#: sizes in pixels for a 1000-pixel-high window
TITLE_PT, LABEL_PT = 16, 14
PAD, GAP, SWATCH, ROW, RAMP_W, RAMP_H = 10, 10, 16, 23, 18, 150


@dataclass
class Legend:
    """What a legend panel shows.

    Parameters
    ----------
    title
        Quantity and unit, e.g. ``"Hauteur (m)"`` or ``"Lden (dB(A))"``.
    lut
        The lookup table used by the mapper (indexed, with annotations, for categories / bands).
    categorical
        Swatches with labels rather than a colour ramp.
    label_format
        printf format of ramp labels.
    ticks
        Ramp label values (default: round numbers over the table's range).
    nan_label
        When given, a last swatch in the table's NaN colour with this label ("pas de mesure").
    """

    title: str
    lut: vtkLookupTable
    categorical: bool = False
    label_format: str = "%.0f"
    ticks: list[float] | None = field(default=None)
    nan_label: str | None = None

    def entries(self) -> list[tuple[tuple[float, float, float], str]]:
        """(RGB, label) of each swatch of a categorical legend, in table order."""
        rows: list[tuple[tuple[float, float, float], str]] = []
        for i in range(self.lut.GetNumberOfTableValues()):
            label = self.lut.GetAnnotation(i) if self.lut.GetNumberOfAnnotatedValues() else str(i)
            r, g, b = self.lut.GetTableValue(i)[:3]
            rows.append(((r, g, b), str(label)))
        return rows

    def ramp_ticks(self) -> list[float]:
        lo, hi = self.lut.GetRange()
        ticks = self.ticks or nice_ticks(lo, hi, 5)
        return [t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9]


def scale_for(height_px: int) -> float:
    """Text and panel scale for a window ``height_px`` tall (1.0 at 1000 px)."""
    return max(0.75, min(height_px / 1000.0, 4.5))


def wrap_title(title: str, width: int = 22) -> str:
    """Break a long legend title on spaces so it fits the panel."""
    if len(title) <= width:
        return title
    lines, line = [], ""
    for word in title.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def text_size(prop: vtkTextProperty, text: str) -> tuple[int, int]:
    """Width and height in pixels of ``text`` drawn with ``prop`` (72 dpi, as render windows)."""
    if not text:
        return (0, 0)
    box = [0, 0, 0, 0]
    vtkTextRenderer.GetInstance().GetBoundingBox(prop, text, box, 72)
    return box[1] - box[0] + 1, box[3] - box[2] + 1


def _text_prop(size: int, bold: bool = False) -> vtkTextProperty:
    prop = vtkTextProperty()
    prop.SetFontFamilyToArial()
    prop.SetFontSize(size)
    prop.SetBold(bold)
    prop.SetColor(*TEXT_RGB)
    prop.ShadowOff()
    prop.SetJustificationToLeft()
    prop.SetVerticalJustificationToBottom()
    return prop


class _Shapes:
    """Axis-aligned coloured rectangles in display pixels, one 2D actor."""

    def __init__(self) -> None:
        self.data = vtkPolyData()
        mapper = vtkPolyDataMapper2D()
        mapper.SetInputData(self.data)
        mapper.SetColorModeToDirectScalars()
        mapper.SetScalarModeToUseCellData()
        self.actor = vtkActor2D()
        self.actor.SetMapper(mapper)
        self.actor.SetPickable(False)
        self._keep: list[np.ndarray] = []

    def set(
        self, rects: Sequence[tuple[float, float, float, float]], colors: Sequence[tuple[float, ...]]
    ) -> None:
        """``rects`` as (x, y, width, height); ``colors`` RGB or RGBA floats 0..1."""
        n = len(rects)
        corners = np.zeros((n * 4, 3))
        for i, (x, y, w, h) in enumerate(rects):
            corners[4 * i : 4 * i + 4, :2] = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
        rgba = np.array([tuple(c) + (1.0,) * (4 - len(c)) for c in colors], dtype=float).reshape(-1, 4)
        rgba = np.ascontiguousarray((rgba * 255).round().astype(np.uint8))
        points = vtkPoints()
        points.SetData(numpy_to_vtk(corners, deep=True))
        cells = vtkCellArray()
        for i in range(n):
            cells.InsertNextCell(4, [4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3])
        self.data.SetPoints(points)
        self.data.SetPolys(cells)
        colours = numpy_to_vtk(rgba, deep=True)
        colours.SetName("rgba")
        self.data.GetCellData().SetScalars(colours)
        self.data.Modified()


class _Panel:
    """The actors of one legend: background, swatches / ramp, title and labels."""

    def __init__(self, legend: Legend, language: str = "fr") -> None:
        self.legend = legend
        self.background = _Shapes()
        self.background.actor.GetProperty().SetOpacity(PANEL_OPACITY)
        self.colours = _Shapes()
        self.title = vtkTextActor()
        self.title.SetPickable(False)
        self.labels: list[vtkTextActor] = []
        if legend.categorical:
            texts = [label for _, label in legend.entries()]
        else:
            texts = [plain_numbers_in(legend.label_format % t, language) for t in legend.ramp_ticks()]
        for text in texts:
            actor = vtkTextActor()
            actor.SetInput(text)
            actor.SetPickable(False)
            self.labels.append(actor)
        self.title.SetInput(wrap_title(fit_line(legend.title)))
        self.nan_text: vtkTextActor | None = None
        if legend.nan_label:
            self.nan_text = vtkTextActor()
            self.nan_text.SetInput(legend.nan_label)
            self.nan_text.SetPickable(False)

    def actors(self) -> list[vtkActor2D]:
        """Every 2D actor of the panel."""
        return [self.background.actor, self.colours.actor, self.title, *self.labels] + (
            [self.nan_text] if self.nan_text else []
        )

    def measure(self, s: float) -> tuple[float, float]:
        """Width and height in pixels at scale ``s``."""
        self._title_prop = _text_prop(int(round(TITLE_PT * s)), bold=True)
        self._label_prop = _text_prop(int(round(LABEL_PT * s)))
        self._title_size = text_size(self._title_prop, self.title.GetInput())
        label_w = max((text_size(self._label_prop, a.GetInput())[0] for a in self.labels), default=0)
        if self.legend.categorical:
            body_w = SWATCH * s + 8 * s + label_w
            body_h = ROW * s * len(self.labels)
        else:
            body_w = RAMP_W * s + 8 * s + label_w
            body_h = RAMP_H * s
        if self.nan_text is not None:
            body_w = max(
                body_w, SWATCH * s + 8 * s + text_size(self._label_prop, self.nan_text.GetInput())[0]
            )
            body_h += ROW * s + 4 * s
        width = max(self._title_size[0], body_w) + 2 * PAD * s
        height = self._title_size[1] + 8 * s + body_h + 2 * PAD * s
        return width, height

    def place(self, x: float, top: float, width: float, height: float, s: float) -> None:
        """Lay the panel out with its top-left corner at (x, top) in display pixels."""
        pad = PAD * s
        self.background.set([(x, top - height, width, height)], [PANEL_RGB])
        self.title.SetTextProperty(self._title_prop)
        self.title.SetPosition(x + pad, top - pad - self._title_size[1])
        body_top = top - pad - self._title_size[1] - 8 * s
        rects: list[tuple[float, float, float, float]] = []
        colours: list[tuple[float, ...]] = []
        if self.legend.categorical:
            for i, ((rgb, _), label) in enumerate(zip(self.legend.entries(), self.labels)):
                row_top = body_top - i * ROW * s
                rects.append((x + pad, row_top - SWATCH * s - 2 * s, SWATCH * s, SWATCH * s))
                colours.append(rgb)
                label.SetTextProperty(self._label_prop)
                label.GetTextProperty().SetVerticalJustificationToCentered()
                label.SetPosition(x + pad + SWATCH * s + 8 * s, row_top - SWATCH * s / 2 - 2 * s)
        else:
            lut = self.legend.lut
            lo, hi = lut.GetRange()
            steps = 64
            ramp_h = RAMP_H * s
            bottom = body_top - ramp_h
            for i in range(steps):
                value = lo + (hi - lo) * (i + 0.5) / steps
                rects.append((x + pad, bottom + ramp_h * i / steps, RAMP_W * s, ramp_h / steps + 0.6))
                colour: list[float] = [0.0, 0.0, 0.0]
                lut.GetColor(value, colour)
                colours.append(tuple(colour))
            for tick, label in zip(self.legend.ramp_ticks(), self.labels):
                f = (tick - lo) / ((hi - lo) or 1.0)
                label.SetTextProperty(self._label_prop)
                label.GetTextProperty().SetVerticalJustificationToCentered()
                label.SetPosition(x + pad + RAMP_W * s + 8 * s, bottom + f * ramp_h)
                rects.append((x + pad + RAMP_W * s, bottom + f * ramp_h - 0.5 * s, 4 * s, max(1.0, 1.2 * s)))
                colours.append(TEXT_RGB)
        if self.nan_text is not None:
            row_top = top - height + pad + ROW * s
            rects.append((x + pad, row_top - SWATCH * s - 2 * s, SWATCH * s, SWATCH * s))
            colours.append(tuple(self.legend.lut.GetNanColor()[:3]))
            self.nan_text.SetTextProperty(self._label_prop)
            self.nan_text.GetTextProperty().SetVerticalJustificationToCentered()
            self.nan_text.SetPosition(x + pad + SWATCH * s + 8 * s, row_top - SWATCH * s / 2 - 2 * s)
        self.colours.set(rects, colours)


class LegendStack:
    """Legend panels for a list of legends, top-right, in columns that fit the window."""

    def __init__(self, renderer: vtkRenderer) -> None:
        self.renderer = renderer
        self.panels: list[_Panel] = []
        self._size: tuple[int, int] | None = None
        #: extra enlargement (presentation mode)
        self.scale = 1.0
        #: drawn at all (an export can leave the legends out)
        self.enabled = True
        #: how the ramps' numbers are written (``10 000`` in French, ``10,000`` in English)
        self.language = "fr"

    @property
    def legends(self) -> list[Legend]:
        return [panel.legend for panel in self.panels]

    def set_legends(self, legends: list[Legend]) -> None:
        for panel in self.panels:
            for actor in panel.actors():
                self.renderer.RemoveViewProp(actor)
        self.panels = [_Panel(legend, self.language) for legend in legends]
        for panel in self.panels:
            for actor in panel.actors():
                self.renderer.AddViewProp(actor)
        self.relayout()

    def relayout(self) -> None:
        """Place the panels again at the next :meth:`layout`, even for the same window size (the
        scale or what is shown changed)."""
        self._size = None

    def layout(self, width: int, height: int) -> None:
        """Place the panels for a window of ``width`` × ``height`` pixels."""
        for panel in self.panels:
            for actor in panel.actors():
                actor.SetVisibility(self.enabled)
        if (width, height) == self._size or width <= 0 or height <= 0:
            return
        self._size = (width, height)
        s = scale_for(height) * self.scale
        margin = 16 * s
        right = width - margin
        top = height - margin
        bottom_limit = 60 * s
        columns: list[list[tuple[_Panel, float, float]]] = [[]]
        used = 0.0
        for panel in self.panels:
            w, h = panel.measure(s)
            if used + h > height - margin - bottom_limit and columns[-1]:
                columns.append([])
                used = 0.0
            columns[-1].append((panel, w, h))
            used += h + GAP * s
        for column in (c for c in columns if c):
            column_w = max(w for _, w, _ in column)
            top = height - margin
            for panel, _, h in column:
                panel.place(right - column_w, top, column_w, h, s)
                top -= h + GAP * s
            right -= column_w + GAP * s
