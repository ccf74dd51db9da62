"""Lengths, areas and heights of points in the scene CRS (float64 metres: x east, y north, z up).

Every function takes ``(n, 3)`` or ``(n, 2)`` arrays (a 2D point has z = 0) and computes in float64,
so centimetres survive at Lambert-93 magnitudes (x ≈ 350 000, y ≈ 6 800 000).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: square metres in a hectare
M2_PER_HA = 10_000.0


class AreaRefused(ValueError):
    """An outline whose area cannot be measured; the message (English, for
    :func:`layers.core.messages.word`) says why."""


Points = Sequence[Sequence[float]] | np.ndarray


def as_points(points: Points) -> np.ndarray:
    """``points`` as a float64 ``(n, 3)`` array (z = 0 for 2D points)."""
    array = np.asarray(points, dtype=np.float64)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    if array.shape[1] == 2:
        array = np.column_stack([array, np.zeros(len(array))])
    if array.shape[1] != 3:
        raise ValueError(f"points should be (n, 2) or (n, 3), not {array.shape}")
    return array


def distance_3d_m(a: Sequence[float], b: Sequence[float]) -> float:
    """The straight distance between two points, metres."""
    p = as_points([a, b])
    return float(np.linalg.norm(p[1] - p[0]))


def ground_distance_m(a: Sequence[float], b: Sequence[float]) -> float:
    """The horizontal distance between two points (along the ground, heights left out), metres."""
    p = as_points([a, b])
    return float(np.hypot(p[1, 0] - p[0, 0], p[1, 1] - p[0, 1]))


def height_difference_m(a: Sequence[float], b: Sequence[float]) -> float:
    """How much higher ``b`` is than ``a`` (negative when lower), metres."""
    p = as_points([a, b])
    return float(p[1, 2] - p[0, 2])


def path_length_m(points: Points, *, ground: bool = True) -> float:
    """The length of the polyline through ``points``: horizontal (``ground``) or in 3D, metres."""
    p = as_points(points)
    if len(p) < 2:
        return 0.0
    steps = np.diff(p if not ground else p[:, :2], axis=0)
    return float(np.sum(np.linalg.norm(steps, axis=1)))


def crossing_sides(points: Points) -> tuple[int, int] | None:
    """The first two sides of the closed polygon through ``points`` (x, y) that cross, as their
    indexes (side ``i`` goes from corner ``i`` to corner ``i + 1``); ``None`` when none cross."""
    p = as_points(points)[:, :2]
    n = len(p)
    if n < 4:
        return None
    starts, ends = p, np.roll(p, -1, axis=0)
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # neighbours through the closing corner
            if _segments_cross(starts[i], ends[i], starts[j], ends[j]):
                return (i, j)
    return None


def _segments_cross(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> bool:
    """True when segments ab and cd share a point (touching counts)."""

    def side(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> float:
        return float((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]))

    def within(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> bool:
        return bool(min(p[0], q[0]) <= r[0] <= max(p[0], q[0]) and min(p[1], q[1]) <= r[1] <= max(p[1], q[1]))

    d1, d2 = side(c, d, a), side(c, d, b)
    d3, d4 = side(a, b, c), side(a, b, d)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True
    return (
        (d1 == 0 and within(c, d, a))
        or (d2 == 0 and within(c, d, b))
        or (d3 == 0 and within(a, b, c))
        or (d4 == 0 and within(a, b, d))
    )


def planar_area_m2(points: Points) -> float:
    """The area of the polygon through ``points`` projected on the horizontal plane (its heights left
    out), square metres. Refuses (:class:`AreaRefused`) fewer than three corners
    and a polygon whose sides cross, whose area would mean nothing."""
    p = as_points(points)[:, :2]
    if len(p) < 3:
        raise AreaRefused("an area needs at least three corners")
    crossing = crossing_sides(p)
    if crossing is not None:
        i, j = crossing
        raise AreaRefused(f"sides {i + 1} and {j + 1} of the outline cross: no area can be measured")
    # shoelace about the first corner: small numbers, no cancellation at Lambert-93 magnitudes
    q = p - p[0]
    x, y = q[:, 0], q[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2.0)


def hectares(area_m2: float) -> float:
    """Square metres in hectares."""
    return area_m2 / M2_PER_HA


def height_above_m(point_z: float, ground_z: float) -> float:
    """The height of a point (a picked point on a façade) above a building's ground, metres."""
    return float(point_z) - float(ground_z)
