"""The story caption: a title and a few lines in a panel at the bottom of the view; under them, the
figures of the planned project's variant shown (:meth:`Caption.set_figures`), when there is one.

Drawn in the scene (not as a Qt widget) so that presentation mode, still images and story videos
show it identically; text is wrapped to the panel width with the real font metrics.
"""

from __future__ import annotations

from collections.abc import Sequence

from vtkmodules.vtkRenderingCore import vtkProp, vtkRenderer, vtkTextActor, vtkTextProperty

from viewer.text_fit import fit_block, fit_line

from .legends import PANEL_OPACITY, PANEL_RGB, TEXT_RGB, _Shapes, _text_prop, scale_for, text_size
from .overlay_layout import Rect, spans_x, top_of

TITLE_PT, TEXT_PT = 26, 18
#: the planned project's figures: the accent's blue, darker, legible on the pale panel
FIGURES_RGB = (0.08, 0.30, 0.55)


def wrap(text: str, prop: vtkTextProperty, max_width_px: float) -> str:
    """``text`` with line breaks so no line is wider than ``max_width_px`` (paragraphs kept)."""
    return "\n".join(
        line
        for paragraph in text.splitlines() or [""]
        for line in _packed(paragraph.split(), " ", prop, max_width_px)
    )


def wrap_items(text: str, prop: vtkTextProperty, max_width_px: float, separator: str = " · ") -> str:
    """``text`` with line breaks between its ``separator``-joined items (never inside one, unless
    an item alone is too wide), so "Hauteur : 24,0 m" stays on one line (lines kept)."""
    lines = [
        line
        for paragraph in text.splitlines() or [""]
        for line in _packed(paragraph.split(separator), separator, prop, max_width_px)
    ]
    return "\n".join(wrap(line, prop, max_width_px) for line in lines)


def _packed(items: list[str], separator: str, prop: vtkTextProperty, max_width_px: float) -> list[str]:
    """``items`` joined by ``separator`` into as few lines as fit ``max_width_px`` (an item too wide
    alone stays on its own line)."""
    lines: list[str] = []
    line = ""
    for item in items:
        candidate = f"{line}{separator}{item}" if line else item
        if line and text_size(prop, candidate)[0] > max_width_px:
            lines.append(line)
            line = item
        else:
            line = candidate
    lines.append(line)
    return lines


class Caption:
    """A caption panel; ``scale`` enlarges it for projection (presentation mode)."""

    def __init__(self, renderer: vtkRenderer) -> None:
        self.renderer = renderer
        self.title_text = ""
        self.body_text = ""
        #: the planned project's figures line(s), drawn under the text in the accent colour
        self.figures_text = ""
        self.scale = 1.0
        #: the panel's screen rectangle at the last :meth:`update` (``None``: not shown)
        self.rect: Rect | None = None
        self.panel = _Shapes()
        self.panel.actor.GetProperty().SetOpacity(PANEL_OPACITY)
        self.accent = _Shapes()
        self.title = vtkTextActor()
        self.body = vtkTextActor()
        self.figures = vtkTextActor()
        for actor in self._actors():
            actor.SetPickable(False)
            renderer.AddViewProp(actor)
        self.set("", "")

    def _actors(self) -> tuple[vtkProp, ...]:
        return (self.panel.actor, self.accent.actor, self.title, self.body, self.figures)

    def set(self, title: str, text: str) -> None:
        self.title_text, self.body_text = fit_line(title), fit_block(text)
        self._show()

    def set_figures(self, text: str) -> None:
        """The planned project's figures under the caption (``""``: none)."""
        self.figures_text = fit_block(text)
        self._show()

    def _show(self) -> None:
        for actor in self._actors():
            actor.SetVisibility(self.shown)

    @property
    def shown(self) -> bool:
        return bool(self.title_text or self.body_text or self.figures_text)

    def update(self, width: int, height: int, below: Sequence[Rect] = ()) -> None:
        """Lay the panel out in the bottom band, right of the compass and above whatever of
        ``below`` (scale bar, credits: display-pixel rectangles) lies under it."""
        self.rect = None
        if not self.shown or width <= 0 or height <= 0:
            return
        s = scale_for(height) * self.scale
        margin, pad = 18 * s, 16 * s
        x = margin + 96 * s  # right of the compass
        panel_w = max(min(width * 0.62, 980 * s, width - x - margin), 120 * s)
        title_prop = _text_prop(int(round(TITLE_PT * s)), bold=True)
        body_prop = _text_prop(int(round(TEXT_PT * s)))
        figures_prop = _text_prop(int(round(TEXT_PT * s)), bold=True)
        figures_prop.SetColor(*FIGURES_RGB)
        title = wrap(self.title_text, title_prop, panel_w - 2 * pad - 8 * s)
        body = wrap(self.body_text, body_prop, panel_w - 2 * pad - 8 * s)
        figures = wrap_items(self.figures_text, figures_prop, panel_w - 2 * pad - 8 * s)
        title_w, title_h = text_size(title_prop, title) if title else (0, 0)
        body_w, body_h = text_size(body_prop, body) if body else (0, 0)
        figures_w, figures_h = text_size(figures_prop, figures) if figures else (0, 0)
        gap = 8 * s if title and body else 0
        figures_gap = 10 * s if figures and (title or body) else 0
        panel_h = title_h + gap + body_h + figures_gap + figures_h + 2 * pad
        panel_w = min(panel_w, max(title_w, body_w, figures_w) + 2 * pad + 8 * s)
        under = [r for r in below if spans_x(r, x, x + panel_w)]
        y = max(margin, top_of(under) + 10 * s)
        self.rect = (x, y, panel_w, panel_h)
        self.panel.set([(x, y, panel_w, panel_h)], [PANEL_RGB])
        self.accent.set([(x, y, 6 * s, panel_h)], [(0.16, 0.45, 0.75)])
        self.title.SetTextProperty(title_prop)
        self.title.GetTextProperty().SetVerticalJustificationToTop()
        self.title.SetInput(title)
        self.title.SetPosition(x + pad + 8 * s, y + panel_h - pad)
        self.body.SetTextProperty(body_prop)
        self.body.GetTextProperty().SetVerticalJustificationToTop()
        self.body.GetTextProperty().SetColor(*TEXT_RGB)
        self.body.SetInput(body)
        self.body.SetPosition(x + pad + 8 * s, y + panel_h - pad - title_h - gap)
        self.figures.SetTextProperty(figures_prop)
        self.figures.GetTextProperty().SetVerticalJustificationToTop()
        self.figures.SetInput(figures)
        self.figures.SetPosition(x + pad + 8 * s, y + pad + figures_h)

    def remove(self) -> None:
        for actor in self._actors():
            self.renderer.RemoveViewProp(actor)
