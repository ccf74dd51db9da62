"""Legends drawn in the scene: one panel per visible layer that has one, stacked top-right.

A :class:`Legend` shares its lookup table with the mapper it explains, so the colours always match.
:meth:`Legend.content` writes it out as plain data (:class:`LegendContent`: title, classes with
their colour, or a ramp with its ticks), which is what is drawn: by this column in the picture and
by the window's legend panel (``desktop/panels/legend.py``), so both say the same. Panels are
drawn with plain VTK 2D actors (a background, colour swatches or a ramp, text) laid out
in pixels scaled with the window height, so a 4K export has legible legends too. They stand in
one column on the right, between whatever is above and below it (title, caption, credits): when
they do not fit, they are drawn compact (smaller, fewer ticks), and past that the lowest ones are
left out with a "+N" note, never drawn over the rest of the picture. The column never takes more
than :data:`MAX_COLUMN_WIDTH` of the picture's width: a label too long for it is shortened with "…".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import vtkmodules.vtkRenderingFreeType  # noqa: F401 - registers the text renderer used to measure
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkLookupTable, vtkPoints, vtkVariant
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
from viewer.text_fit import ELLIPSIS, fit_line

from .colors import nice_ticks
from .overlay_layout import Rect, spans_x

TEXT_RGB = (0.12, 0.12, 0.14)
PANEL_RGB = (1.0, 1.0, 1.0)
PANEL_OPACITY = 0.88
#: sizes in pixels for a 1000-pixel-high window
TITLE_PT, LABEL_PT = 16, 14
PAD, GAP, SWATCH, ROW, RAMP_W, RAMP_H = 10, 10, 16, 23, 18, 150
#: a compact ramp's height and row pitch (pixels at 1000 px height, before the compact scale)
COMPACT_RAMP_H, COMPACT_ROW = 70, 19
#: (scale, compact) tried in turn until the column holds every legend
FIT_LEVELS = ((1.0, False), (0.85, True), (0.72, True))
#: the widest the legend column may be, as a fraction of the picture's width
MAX_COLUMN_WIDTH = 0.22
#: colours a ramp is drawn with, low end to high end
RAMP_STEPS = 64

RGB = tuple[float, float, float]


@dataclass(frozen=True)
class LegendEntry:
    """One swatch of a legend: its colour (RGB floats 0..1) and what it stands for."""

    rgb: RGB
    label: str


@dataclass(frozen=True)
class LegendContent:
    """What a legend says, as plain data (no VTK): the overlay column and the window's legend panel
    both draw this.

    ``title`` names the quantity with its unit (``"Hauteur (m)"``). A legend of classes has
    ``entries``; a colour ramp has ``ramp`` (:data:`RAMP_STEPS` colours evenly spaced from the low
    end to the high end) and ``ticks`` (position along the ramp 0..1 from the low end, label).
    ``missing``: the swatch of "no value" when the legend has one.
    """

    title: str
    entries: tuple[LegendEntry, ...] = ()
    ramp: tuple[RGB, ...] = ()
    ticks: tuple[tuple[float, str], ...] = ()
    missing: LegendEntry | None = None

    @property
    def categorical(self) -> bool:
        """Swatches with labels rather than a colour ramp."""
        return not self.ramp

    def texts(self) -> list[str]:
        """Every text of the legend: title, labels, the "no value" label."""
        labels = [e.label for e in self.entries] + [label for _, label in self.ticks]
        return [self.title, *labels] + ([self.missing.label] if self.missing else [])


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

    def content(self, language: str = "fr") -> LegendContent:
        """The legend as plain data; ramp numbers written the ``language``'s way (``10 000``)."""
        title = fit_line(self.title)
        missing = None
        if self.nan_label:
            nan_r, nan_g, nan_b = self.lut.GetNanColor()[:3]
            missing = LegendEntry((nan_r, nan_g, nan_b), self.nan_label)
        if self.categorical:
            entries = tuple(LegendEntry(rgb, label) for rgb, label in self.entries())
            return LegendContent(title, entries=entries, missing=missing)
        lo, hi = self.lut.GetRange()
        ramp: list[RGB] = []
        for i in range(RAMP_STEPS):
            colour: list[float] = [0.0, 0.0, 0.0]
            self.lut.GetColor(lo + (hi - lo) * (i + 0.5) / RAMP_STEPS, colour)
            ramp.append((colour[0], colour[1], colour[2]))
        ticks = tuple(
            ((t - lo) / ((hi - lo) or 1.0), plain_numbers_in(self.label_format % t, language))
            for t in self.ramp_ticks()
        )
        return LegendContent(title, ramp=tuple(ramp), ticks=ticks, missing=missing)


def merged_by_title(legends: list[Legend]) -> list[Legend]:
    """``legends`` with the class legends of one title made one (two BD TOPO water themes, "Eau",
    list their classes once), at the place of the first; ramps and other legends as they are."""
    groups: dict[str, list[Legend]] = {}
    for legend in legends:
        if legend.categorical:
            groups.setdefault(legend.title, []).append(legend)
    out: list[Legend] = []
    for legend in legends:
        group = groups.get(legend.title) if legend.categorical else None
        if group is None or len(group) == 1:
            out.append(legend)
        elif legend is group[0]:
            out.append(_union(group))
    return out


def _union(group: list[Legend]) -> Legend:
    """One class legend with every class of ``group`` once (the first colour of a label wins)."""
    rows: dict[str, tuple[float, float, float]] = {}
    for legend in group:
        for rgb, label in legend.entries():
            rows.setdefault(label, rgb)
    lut = vtkLookupTable()
    lut.SetNumberOfTableValues(len(rows))
    lut.SetRange(0, max(len(rows) - 1, 1))
    for i, (label, (r, g, b)) in enumerate(rows.items()):
        lut.SetTableValue(i, r, g, b, 1.0)
        lut.SetAnnotation(vtkVariant(i), label)
    lut.SetNanColor(group[0].lut.GetNanColor())
    first = group[0]
    return Legend(first.title, lut, categorical=True, nan_label=first.nan_label)


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


def shorten_to(prop: vtkTextProperty, text: str, width_px: float) -> str:
    """``text`` as drawn with ``prop``, cut with "…" to at most ``width_px`` pixels wide (each line
    of a wrapped title on its own)."""
    if "\n" in text:
        return "\n".join(shorten_to(prop, line, width_px) for line in text.split("\n"))
    if text_size(prop, text)[0] <= width_px:
        return text
    lo, hi = 0, len(text)  # the longest prefix that fits with the ellipsis: lo fits, hi does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if text_size(prop, text[:mid].rstrip() + ELLIPSIS)[0] <= width_px:
            lo = mid
        else:
            hi = mid
    return text[:lo].rstrip() + ELLIPSIS


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
    """The actors of one legend: background, swatches / ramp, title and labels, drawn from the
    legend's :class:`LegendContent`."""

    def __init__(self, legend: Legend, language: str = "fr") -> None:
        self.legend = legend
        self.content = legend.content(language)
        self.compact = False
        self._row, self._ramp_h, self._ramp_pad = float(ROW), float(RAMP_H), 0.0
        self.background = _Shapes()
        self.background.actor.GetProperty().SetOpacity(PANEL_OPACITY)
        self.colours = _Shapes()
        self.title = vtkTextActor()
        self.title.SetPickable(False)
        self.labels: list[vtkTextActor] = []
        content = self.content
        texts = [e.label for e in content.entries] if content.categorical else [t for _, t in content.ticks]
        self._texts = texts
        for text in texts:
            actor = vtkTextActor()
            actor.SetInput(text)
            actor.SetPickable(False)
            self.labels.append(actor)
        self._title_text = wrap_title(content.title)
        self.title.SetInput(self._title_text)
        self.nan_text: vtkTextActor | None = None
        if content.missing is not None:
            self.nan_text = vtkTextActor()
            self.nan_text.SetInput(content.missing.label)
            self.nan_text.SetPickable(False)

    def actors(self) -> list[vtkActor2D]:
        """Every 2D actor of the panel."""
        return [self.background.actor, self.colours.actor, self.title, *self.labels] + (
            [self.nan_text] if self.nan_text else []
        )

    def shown_ticks(self) -> list[int]:
        """Indices of the ramp labels written (first, middle and last when compact)."""
        count = len(self.labels)
        if self.content.categorical or not self.compact or count <= 3:
            return list(range(count))
        return [0, count // 2, count - 1]

    def measure(self, s: float, compact: bool = False, max_width: float = 1e9) -> tuple[float, float]:
        """Width and height in pixels at scale ``s``, ``compact`` or not (kept for :meth:`place`);
        texts too long for a panel ``max_width`` pixels wide are shortened with "…"."""
        self.compact = compact
        self._row = (COMPACT_ROW if compact else ROW) * s
        self._ramp_h = (COMPACT_RAMP_H if compact else RAMP_H) * s
        self._title_prop = _text_prop(int(round(TITLE_PT * s)), bold=True)
        self._label_prop = _text_prop(int(round(LABEL_PT * s)))
        inner = max_width - 2 * PAD * s
        beside = inner - (SWATCH if self.content.categorical else RAMP_W) * s - 8 * s
        self.title.SetInput(shorten_to(self._title_prop, self._title_text, inner))
        for actor, text in zip(self.labels, self._texts):
            actor.SetInput(shorten_to(self._label_prop, text, beside))
        self._title_size = text_size(self._title_prop, self.title.GetInput())
        label_w = max((text_size(self._label_prop, a.GetInput())[0] for a in self.labels), default=0)
        if self.content.categorical:
            body_w = SWATCH * s + 8 * s + label_w
            body_h = self._row * len(self.labels)
        else:
            body_w = RAMP_W * s + 8 * s + label_w
            # the end labels are centred on the ramp's ends: room for half a line above and below
            self._ramp_pad = text_size(self._label_prop, "0")[1] / 2
            body_h = self._ramp_h + 2 * self._ramp_pad
        if self.nan_text is not None and self.content.missing is not None:
            label = shorten_to(self._label_prop, self.content.missing.label, inner - SWATCH * s - 8 * s)
            self.nan_text.SetInput(label)
            body_w = max(body_w, SWATCH * s + 8 * s + text_size(self._label_prop, label)[0])
            body_h += self._row + 4 * s
        width = max(self._title_size[0], body_w) + 2 * PAD * s
        height = self._title_size[1] + 8 * s + body_h + 2 * PAD * s
        return width, height

    def place(self, x: float, top: float, width: float, height: float, s: float) -> None:
        """Lay the panel out with its top-left corner at (x, top) in display pixels."""
        content = self.content
        pad = PAD * s
        self.background.set([(x, top - height, width, height)], [PANEL_RGB])
        self.title.SetTextProperty(self._title_prop)
        self.title.SetPosition(x + pad, top - pad - self._title_size[1])
        body_top = top - pad - self._title_size[1] - 8 * s
        rects: list[tuple[float, float, float, float]] = []
        colours: list[tuple[float, ...]] = []
        if content.categorical:
            for i, (entry, label) in enumerate(zip(content.entries, self.labels)):
                row_top = body_top - i * self._row
                swatch = (x + pad, row_top - SWATCH * s - 2 * s, SWATCH * s, SWATCH * s)
                if _pale(entry.rgb):  # a white road on the white panel: a thin grey edge shows it
                    rects.append((swatch[0] - s, swatch[1] - s, swatch[2] + 2 * s, swatch[3] + 2 * s))
                    colours.append(SWATCH_EDGE_RGB)
                rects.append(swatch)
                colours.append(entry.rgb)
                label.SetTextProperty(self._label_prop)
                label.GetTextProperty().SetVerticalJustificationToCentered()
                label.SetPosition(x + pad + SWATCH * s + 8 * s, row_top - SWATCH * s / 2 - 2 * s)
        else:
            steps = len(content.ramp)
            ramp_h = self._ramp_h
            bottom = body_top - self._ramp_pad - ramp_h
            for i, rgb in enumerate(content.ramp):
                rects.append((x + pad, bottom + ramp_h * i / steps, RAMP_W * s, ramp_h / steps + 0.6))
                colours.append(rgb)
            shown = set(self.shown_ticks())
            for i, ((f, _), label) in enumerate(zip(content.ticks, self.labels)):
                label.SetVisibility(i in shown)
                if i not in shown:
                    continue
                label.SetTextProperty(self._label_prop)
                label.GetTextProperty().SetVerticalJustificationToCentered()
                label.SetPosition(x + pad + RAMP_W * s + 8 * s, bottom + f * ramp_h)
                rects.append((x + pad + RAMP_W * s, bottom + f * ramp_h - 0.5 * s, 4 * s, max(1.0, 1.2 * s)))
                colours.append(TEXT_RGB)
        if self.nan_text is not None and content.missing is not None:
            row_top = top - height + pad + self._row
            rects.append((x + pad, row_top - SWATCH * s - 2 * s, SWATCH * s, SWATCH * s))
            colours.append(content.missing.rgb)
            self.nan_text.SetTextProperty(self._label_prop)
            self.nan_text.GetTextProperty().SetVerticalJustificationToCentered()
            self.nan_text.SetPosition(x + pad + SWATCH * s + 8 * s, row_top - SWATCH * s / 2 - 2 * s)
        self.colours.set(rects, colours)


#: the edge drawn around a swatch as pale as the panel behind it
SWATCH_EDGE_RGB = (0.62, 0.6, 0.57)


def _pale(rgb: tuple[float, ...]) -> bool:
    """Whether a swatch of colour ``rgb`` (0..1) would vanish on the legend's pale panel."""
    r, g, b = (float(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.88


class LegendStack:
    """Legend panels for a list of legends, in one column on the right that fits the picture."""

    def __init__(self, renderer: vtkRenderer) -> None:
        self.renderer = renderer
        self.panels: list[_Panel] = []
        self._key: tuple[object, ...] | None = None
        #: extra enlargement (presentation mode)
        self.scale = 1.0
        #: drawn at all (an export can leave the legends out)
        self.enabled = True
        #: how the ramps' numbers are written (``10 000`` in French, ``10,000`` in English)
        self.language = "fr"
        #: the panels drawn at the last :meth:`layout` (the first ``shown`` of :attr:`panels`)
        self.shown = 0
        #: screen rectangles of the panels drawn, and of the "+N" note when some were left out
        self.rects: list[Rect] = []
        self.note = vtkTextActor()
        self.note.SetPickable(False)
        self.note.SetVisibility(False)
        renderer.AddViewProp(self.note)

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

    def remove(self) -> None:
        self.set_legends([])
        self.renderer.RemoveViewProp(self.note)

    def relayout(self) -> None:
        """Place the panels again at the next :meth:`layout`, even for the same window size (the
        scale or what is shown changed)."""
        self._key = None

    def _note_text(self, hidden: int) -> str:
        if self.language == "en":
            return f"+{hidden} legend" + ("s" if hidden > 1 else "")
        return f"+{hidden} légende" + ("s" if hidden > 1 else "")

    def layout(self, width: int, height: int, placed: Sequence[Rect] = ()) -> None:
        """Place the panels for a picture of ``width`` × ``height`` pixels in the right column,
        clear of the ``placed`` rectangles (display pixels: title and clock above, caption and
        credits below)."""
        key = (width, height, self.enabled, tuple(placed))
        if key == self._key:
            return
        self._key = key
        self.rects = []
        self.shown = 0
        self.note.SetVisibility(False)
        for panel in self.panels:
            for actor in panel.actors():
                actor.SetVisibility(False)
        if not self.enabled or not self.panels or width <= 0 or height <= 0:
            return
        base = scale_for(height) * self.scale
        for level, (factor, compact) in enumerate(FIT_LEVELS):
            s = base * factor
            sizes = [panel.measure(s, compact, MAX_COLUMN_WIDTH * width) for panel in self.panels]
            last = level == len(FIT_LEVELS) - 1
            for count in range(len(sizes), -1, -1) if last else (len(sizes),):
                note = "" if count == len(sizes) else self._note_text(len(sizes) - count)
                if self._fits(width, height, placed, s, sizes[:count], note):
                    self._place(width, height, placed, s, sizes[:count], note)
                    return

    def _column(
        self, width: int, height: int, placed: Sequence[Rect], s: float, column_w: float
    ) -> tuple[float, float, float]:
        """Left edge, top and bottom (display pixels) of a column ``column_w`` wide."""
        margin = 16 * s
        left = width - margin - column_w
        top, bottom = height - margin, margin
        for rect in placed:
            if not spans_x(rect, left - GAP * s, width):
                continue
            if rect[1] + rect[3] / 2 > height / 2:
                top = min(top, rect[1] - GAP * s)
            else:
                bottom = max(bottom, rect[1] + rect[3] + GAP * s)
        return left, top, bottom

    def _note_prop(self, s: float) -> vtkTextProperty:
        prop = _text_prop(int(round(LABEL_PT * s)), bold=True)
        prop.SetBackgroundColor(*PANEL_RGB)
        prop.SetBackgroundOpacity(PANEL_OPACITY)
        return prop

    def _heights(self, s: float, sizes: list[tuple[float, float]], note: str) -> tuple[float, float]:
        """Width and height of the column holding panels of ``sizes`` and the ``note``."""
        note_w, note_h = text_size(self._note_prop(s), note) if note else (0, 0)
        column_w = max([w for w, _ in sizes] + [note_w + 2 * PAD * s if note else 0.0])
        total = sum(h for _, h in sizes) + GAP * s * max(len(sizes) - 1, 0)
        if note:
            total += note_h + 2 * PAD * s + (GAP * s if sizes else 0.0)
        return column_w, total

    def _fits(
        self,
        width: int,
        height: int,
        placed: Sequence[Rect],
        s: float,
        sizes: list[tuple[float, float]],
        note: str,
    ) -> bool:
        column_w, total = self._heights(s, sizes, note)
        _, top, bottom = self._column(width, height, placed, s, column_w)
        return total <= top - bottom

    def _place(
        self,
        width: int,
        height: int,
        placed: Sequence[Rect],
        s: float,
        sizes: list[tuple[float, float]],
        note: str,
    ) -> None:
        column_w, _ = self._heights(s, sizes, note)
        left, top, _ = self._column(width, height, placed, s, column_w)
        for panel, (_, h) in zip(self.panels, sizes):
            for actor in panel.actors():
                actor.SetVisibility(True)
            panel.place(left, top, column_w, h, s)
            self.rects.append((left, top - h, column_w, h))
            top -= h + GAP * s
        self.shown = len(sizes)
        if note:
            prop = self._note_prop(s)
            note_w, note_h = text_size(prop, note)
            self.note.SetTextProperty(prop)
            self.note.SetInput(note)
            self.note.SetPosition(left + column_w - note_w, top - note_h)
            self.note.SetVisibility(True)
            self.rects.append((left + column_w - note_w, top - note_h, float(note_w), float(note_h)))
