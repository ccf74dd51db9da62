"""One declutter pass over every text written above points in a view (sensor values, comment pins).

Each :class:`LabelSource` (a :class:`viewer.point_labels.PointLabels`) offers its texts as boxes on
screen; the view decides once, before each render, which are written: by rank (comment pins before
sensor values), then by each source's priority, a text is kept only where its box meets no overlay
(legends, caption, title, credits…) and no text already kept. A text that would not fit is left
out, never drawn on top.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .overlay_layout import Rect, intersects

#: pixels kept free around each text
LABEL_GAP = 2.0


class LabelSource(Protocol):
    """Texts above points that give way to overlays and to each other."""

    #: sources of higher rank are written first (comment pins 1, measured values 0)
    rank: int

    def candidates(self) -> list[tuple[float, int, Rect]]:
        """(priority, index, box in display pixels) of each text that could be written now."""
        ...

    def keep_only(self, kept: set[int]) -> None:
        """Write the texts of ``kept`` indices, blank the others."""
        ...


class LabelRegistry:
    """The label sources of one view and the boxes written at the last :meth:`declutter`."""

    def __init__(self) -> None:
        self.sources: list[LabelSource] = []
        #: display-pixel boxes of the texts written at the last pass (in picture pixels)
        self.boxes: list[Rect] = []

    def add(self, source: LabelSource) -> None:
        if source not in self.sources:
            self.sources.append(source)

    def discard(self, source: LabelSource) -> None:
        if source in self.sources:
            self.sources.remove(source)

    def declutter(
        self,
        taken: Sequence[Rect],
        frame: tuple[int, int],
        offset: tuple[float, float] = (0.0, 0.0),
    ) -> None:
        """Choose the texts written: none over ``taken`` (overlay rectangles, picture pixels), none
        over another, none past the ``frame`` (width, height). ``offset``: where the drawn tile's
        bottom-left corner lies in the picture (display pixels of a tile → picture pixels)."""
        width, height = frame
        ox, oy = offset
        entries: list[tuple[int, float, int, int, Rect]] = []
        for n, source in enumerate(self.sources):
            for priority, index, (x, y, w, h) in source.candidates():
                entries.append((source.rank, priority, n, index, (x + ox, y + oy, w, h)))
        entries.sort(key=lambda e: (-e[0], -e[1]))
        kept: list[Rect] = []
        chosen: list[set[int]] = [set() for _ in self.sources]
        for _, _, n, index, box in entries:
            x, y, w, h = box
            if x < 0 or y < 0 or x + w > width or y + h > height:
                continue
            if any(intersects(box, other, LABEL_GAP) for other in taken) or any(
                intersects(box, other, LABEL_GAP) for other in kept
            ):
                continue
            kept.append(box)
            chosen[n].add(index)
        for source, indices in zip(self.sources, chosen):
            source.keep_only(indices)
        self.boxes = kept
