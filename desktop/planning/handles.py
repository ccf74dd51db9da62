"""The handles of a selected planned building and what dragging each does to the plan.

Handles sit on the top of the walls (``height_m``), where they are seen from an oblique view: one
square per corner (stretch, the opposite corner staying), a round one in the centre (move), and a
round one beside the building, north of it (rotate about the centre). Coordinates are scene CRS metres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

import numpy as np
import shapely

from layers.plan import edits
from layers.plan.model import Plan, PlannedBuilding


class HandleKind(Enum):
    MOVE = "move"
    ROTATE = "rotate"
    SCALE = "scale"


#: the rotate handle stands this far beyond the building (metres, at least)
ROTATE_GAP_M = 4.0
#: the smallest scale factor a drag may give (a footprint never collapses)
MIN_SCALE = 0.05


@dataclass(frozen=True)
class Handle:
    kind: HandleKind
    x: float
    y: float
    z: float
    corner: int = -1

    @property
    def xyz(self) -> tuple[float, float, float]:
        return (self.x, self.y, self.z)


def centre_of(building: PlannedBuilding) -> tuple[float, float]:
    c = shapely.centroid(building.polygon)
    return float(c.x), float(c.y)


def handles_of(building: PlannedBuilding) -> list[Handle]:
    """The handles of ``building``: corners, centre, rotate."""
    z = building.height_m
    cx, cy = centre_of(building)
    xy = np.asarray(building.footprint, float)
    reach = float(np.hypot(xy[:, 0] - cx, xy[:, 1] - cy).max())
    found = [Handle(HandleKind.SCALE, float(x), float(y), z, i) for i, (x, y) in enumerate(xy)]
    found.append(Handle(HandleKind.MOVE, cx, cy, z))
    found.append(Handle(HandleKind.ROTATE, cx, cy + reach + max(ROTATE_GAP_M, 0.25 * reach), z))
    return found


def dragged(
    plan: Plan,
    ident: str,
    handle: Handle,
    start: tuple[float, float],
    now: tuple[float, float],
) -> Plan:
    """``plan`` with building ``ident`` as dragging ``handle`` from ``start`` to ``now`` (points of
    the plane at the handle's height) makes it, always computed from the plan before the drag."""
    if handle.kind is HandleKind.MOVE:
        return edits.move_building(plan, ident, now[0] - start[0], now[1] - start[1])
    building = plan.variant.building(ident)
    if building is None:
        return plan
    cx, cy = centre_of(building)
    if handle.kind is HandleKind.ROTATE:
        turn = math.atan2(now[1] - cy, now[0] - cx) - math.atan2(start[1] - cy, start[0] - cx)
        return edits.rotate_building(plan, ident, math.degrees(turn), about=(cx, cy))
    return edits.set_footprint(plan, ident, stretched(building, handle.corner, start, now))


def stretched(
    building: PlannedBuilding, corner: int, start: tuple[float, float], now: tuple[float, float]
) -> list[tuple[float, float]]:
    """The footprint of ``building`` stretched as its corner ``corner`` dragged from ``start`` to
    ``now`` makes it: the opposite corner stays, each axis of the building (along its longest side,
    and square to it) is scaled by how far the drag went along it (never below :data:`MIN_SCALE`)."""
    xy = np.asarray(building.footprint, float)
    k = corner if 0 <= corner < len(xy) else 0
    anchor = xy[int(np.argmax(np.hypot(*(xy - xy[k]).T)))]
    sides = np.roll(xy, -1, axis=0) - xy
    longest = sides[int(np.argmax(np.hypot(*sides.T)))]
    u = longest / max(float(np.hypot(*longest)), 1e-9)
    v = np.array([-u[1], u[0]])
    before = np.asarray(start, float) - anchor
    after = np.asarray(now, float) - anchor
    factors = []
    for axis in (u, v):
        b, a = float(before @ axis), float(after @ axis)
        factors.append(max(a / b, MIN_SCALE) if abs(b) > 0.25 else 1.0)
    rel = xy - anchor
    out = anchor + np.outer(rel @ u * factors[0], u) + np.outer(rel @ v * factors[1], v)
    return [(float(x), float(y)) for x, y in out]
