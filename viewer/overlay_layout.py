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
