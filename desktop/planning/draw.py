"""The footprint being drawn: the corners clicked so far and the snapped cursor (scene CRS metres).

No Qt here: :class:`desktop.planning.tools.PlanTools` feeds it snapped points and draws it.
"""

from __future__ import annotations

import math

from layers.plan.snapping import Snap, SnapKind

#: a click this close to the first corner (metres) closes the footprint
CLOSE_M = 1e-6


class Drawing:
    """Corners placed (x, y metres), and the cursor's snapped point while the mouse moves."""

    def __init__(self) -> None:
        self.corners: list[tuple[float, float]] = []
        self.cursor: Snap | None = None

    def __bool__(self) -> bool:
        return bool(self.corners)

    def add(self, snap: Snap) -> bool:
        """Place a corner at ``snap``; True when it is the first corner again (the footprint is
        closed, with at least three corners). A click on the last corner again adds nothing."""
        point = snap.point
        if len(self.corners) >= 3 and snap.kind is SnapKind.CORNER and self._is_first(point):
            return True
        if self.corners and math.dist(self.corners[-1], point) < 0.01:
            return False
        self.corners.append(point)
        return False

    def _is_first(self, point: tuple[float, float]) -> bool:
        return math.dist(self.corners[0], point) <= CLOSE_M

    def remove_last(self) -> None:
        if self.corners:
            self.corners.pop()

    @property
    def closable(self) -> bool:
        return len(self.corners) >= 3

    def side_length_m(self) -> float | None:
        """Length of the side from the last corner to the cursor (metres), ``None`` without one."""
        if not self.corners or self.cursor is None:
            return None
        return math.dist(self.corners[-1], self.cursor.point)
