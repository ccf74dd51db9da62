"""One declutter pass over every text written above points in a view (sensor values, comment pins).

Each :class:`LabelSource` (a :class:`viewer.point_labels.PointLabels`) offers its texts, each with
an anchor on screen (the point it speaks of) and shorter forms of it; the view decides once,
before each render, where each is written. By rank (comment pins before sensor values), then by
each source's priority, a text is placed at the first of these that meets no overlay (legends,
caption, title, credits…), no text already placed and stays in the picture:

1. the whole text above its point, then beside it (right, left), higher, below: :func:`offsets`;
2. a shorter form ("Idée · Des arbres…", a value without its unit) at the same positions;
3. else it is left out, never drawn on top.

A text whose point is where a text already placed stands for (within :data:`SAME_POINT_PX`) is
left out too: moved aside, it would say the same place twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple, Protocol

from .overlay_layout import Rect, intersects

#: pixels kept free around each text
LABEL_GAP = 2.0
#: a text moved beside its point keeps this far from it horizontally (pixels)
SIDE_GAP = 4.0
#: two points closer than this on screen are one place: one text for both (pixels)
SAME_POINT_PX = 6.0


class LabelCandidate(NamedTuple):
    """A text that could be written: ``anchor`` is its point on screen (display pixels of the drawn
    tile), where the text's bottom centre sits when written in place; ``forms`` the text, then
    shorter forms of it, longest first."""

    priority: float
    row: int
    anchor: tuple[float, float]
    forms: tuple[str, ...]


class Placement(NamedTuple):
    """Where a text is written: the form chosen and its bottom centre (display pixels of the tile)."""

    text: str
    x: float
    y: float


class LabelSource(Protocol):
    """Texts above points that give way to overlays and to each other."""

    #: sources of higher rank are written first (comment pins 1, measured values 0)
    rank: int

    def candidates(self) -> list[LabelCandidate]:
        """The texts that could be written now (in front of the camera), sized for the picture."""
        ...

    def measure(self, text: str) -> tuple[float, float]:
        """Width and height in pixels of ``text``'s box as it would be written now."""
        ...

    def place(self, placed: dict[int, Placement]) -> None:
        """Write the texts of ``placed`` indices where they say, blank the others."""
        ...


def offsets(width: float, height: float) -> list[tuple[float, float]]:
    """Moves of a ``width`` × ``height`` text's bottom centre from its point, tried in turn: in
    place (above the point), right of it, left of it, one line higher, below it."""
    side = width / 2 + SIDE_GAP
    return [(0.0, 0.0), (side, 0.0), (-side, 0.0), (0.0, height + LABEL_GAP), (0.0, -(height + LABEL_GAP))]


class LabelRegistry:
    """The label sources of one view and the boxes written at the last :meth:`declutter`."""

    def __init__(self) -> None:
        self.sources: list[LabelSource] = []
        #: display-pixel boxes of the texts written at the last pass (in picture pixels)
        self.boxes: list[Rect] = []
        #: (text written, its box in picture pixels) at the last pass, shortened forms included
        self.written: list[tuple[str, Rect]] = []
        #: how much larger texts are drawn than in the working window (the presentation's
        #: enlargement, :meth:`viewer.scene_view.SceneView.set_ui_scale`)
        self.scale = 1.0

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
        """Choose where texts are written: none over ``taken`` (overlay rectangles, picture pixels),
        none over another, none past the ``frame`` (width, height). ``offset``: where the drawn
        tile's bottom-left corner lies in the picture (display pixels of a tile → picture pixels)."""
        width, height = frame
        ox, oy = offset
        entries: list[tuple[int, float, int, LabelCandidate]] = []
        for n, source in enumerate(self.sources):
            for candidate in source.candidates():
                entries.append((source.rank, candidate.priority, n, candidate))
        entries.sort(key=lambda e: (-e[0], -e[1]))
        kept: list[Rect] = []
        anchors: list[tuple[float, float]] = []
        written: list[tuple[str, Rect]] = []
        chosen: list[dict[int, Placement]] = [{} for _ in self.sources]

        def free(box: Rect) -> bool:
            x, y, w, h = box
            return (
                x >= 0
                and y >= 0
                and x + w <= width
                and y + h <= height
                and not any(intersects(box, other, LABEL_GAP) for other in taken)
                and not any(intersects(box, other, LABEL_GAP) for other in kept)
            )

        for _, _, n, candidate in entries:
            ax, ay = candidate.anchor[0] + ox, candidate.anchor[1] + oy
            if any(abs(ax - px) <= SAME_POINT_PX and abs(ay - py) <= SAME_POINT_PX for px, py in anchors):
                continue
            placement = self._fit(self.sources[n], candidate, (ax, ay), free)
            if placement is None:
                continue
            text, box = placement
            kept.append(box)
            anchors.append((ax, ay))
            written.append((text, box))
            x, y, w, _ = box
            chosen[n][candidate.row] = Placement(text, x + w / 2 - ox, y - oy)
        for source, placed in zip(self.sources, chosen):
            source.place(placed)
        self.boxes = kept
        self.written = written

    @staticmethod
    def _fit(
        source: LabelSource,
        candidate: LabelCandidate,
        anchor: tuple[float, float],
        free: Callable[[Rect], bool],
    ) -> tuple[str, Rect] | None:
        """The first form and position of ``candidate`` whose box is ``free`` (picture pixels)."""
        ax, ay = anchor
        for text in candidate.forms:
            w, h = source.measure(text)
            for dx, dy in offsets(w, h):
                box = (ax + dx - w / 2, ay + dy, w, h)
                if free(box):
                    return text, box
        return None
