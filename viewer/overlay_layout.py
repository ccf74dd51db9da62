"""Screen rectangles of the picture's overlays, and the rules that keep them apart.

Every overlay (title, clock, legends, caption, scale bar, north arrow, credits) reports the
rectangle it occupies as ``(x, y, width, height)`` in display pixels of the whole picture, origin
bottom-left. :meth:`viewer.scene_view.SceneView.layout_overlays` places them one after the other,
each one clear of those already placed; :func:`overlaps` lets a test check that none intersect.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

#: (x, y, width, height) in display pixels, origin bottom-left
Rect = tuple[float, float, float, float]


def intersects(a: Rect, b: Rect, gap: float = 0.0) -> bool:
    """Whether ``a`` and ``b`` share area (touching edges do not count), kept ``gap`` pixels apart."""
    return (
        a[0] < b[0] + b[2] + gap
        and b[0] < a[0] + a[2] + gap
        and a[1] < b[1] + b[3] + gap
        and b[1] < a[1] + a[3] + gap
    )


def spans_x(rect: Rect, left: float, right: float) -> bool:
    """Whether ``rect`` reaches into the vertical strip ``left`` < x < ``right``."""
    return rect[0] < right and left < rect[0] + rect[2]


def overlaps(named: Sequence[tuple[str, Rect]]) -> list[tuple[str, str]]:
    """The pairs of names whose rectangles intersect (empty when the layout is clean)."""
    return [
        (named[i][0], named[j][0])
        for i in range(len(named))
        for j in range(i + 1, len(named))
        if intersects(named[i][1], named[j][1])
    ]


def top_of(rects: Iterable[Rect]) -> float:
    """The highest top edge of ``rects`` (0 for none)."""
    return max((r[1] + r[3] for r in rects), default=0.0)


def free_rect(width: float, height: float, taken: Iterable[Rect]) -> Rect:
    """The part of a ``width`` × ``height`` picture left by the ``taken`` rectangles (the legend
    column, a caption), as one rectangle (x, y, width, height): each taken rectangle cuts the
    picture from the side that keeps the most of it (a column on the right cuts from the right, a
    band at the bottom from below)."""
    x0, y0, x1, y1 = 0.0, 0.0, float(width), float(height)
    for rect in sorted(taken, key=lambda r: -r[2] * r[3]):
        if not intersects(rect, (x0, y0, x1 - x0, y1 - y0)):
            continue
        left, bottom, right, top = rect[0], rect[1], rect[0] + rect[2], rect[1] + rect[3]
        cuts = [
            (max(x0, right), y0, x1, y1),
            (x0, y0, min(x1, left), y1),
            (x0, max(y0, top), x1, y1),
            (x0, y0, x1, min(y1, bottom)),
        ]
        x0, y0, x1, y1 = max(cuts, key=lambda c: max(c[2] - c[0], 0.0) * max(c[3] - c[1], 0.0))
    return (x0, y0, max(x1 - x0, 0.0), max(y1 - y0, 0.0))
