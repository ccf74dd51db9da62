"""Flat ribbons along polylines (streets, transit routes): vectorised, mitred at the joints; and
the polylines doubled (one ribbon per direction) or sampled at regular steps (one-way arrows).

Coordinates are 2D, in metres (the scene CRS, or origin-relative).
"""

from __future__ import annotations

import numpy as np

from layers.core.geometry import Polylines

MAX_MITER = 2.0


def ribbon_mesh(
    lines: Polylines, width_m: np.ndarray, offset_m: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Triangles of ribbons ``width_m[line]`` metres wide centred on each polyline, or shifted
    ``offset_m[line]`` metres to its left (negative: to its right), e.g. one ribbon per direction.

    Returns
    -------
    points
        (2P, 2) float64: for every input point, its left then right offset point.
    triangles
        (T, 3) int64, two per segment, counter-clockwise seen from above.
    owner
        (T,) index of the polyline (``lines.owner`` order, i.e. position in ``lines``) of each triangle.
    """
    pts = lines.points[:, :2]
    n_points = len(pts)
    if n_points < 2 or lines.count == 0:
        return np.empty((0, 2)), np.empty((0, 3), np.int64), np.empty(0, np.int64)
    line_of_point = np.repeat(np.arange(lines.count), np.diff(lines.offsets))
    starts = lines.offsets[:-1]
    ends = lines.offsets[1:] - 1
    # segment directions, one per point (the segment that starts at it; last point: previous one)
    seg = np.zeros_like(pts)
    seg[:-1] = pts[1:] - pts[:-1]
    seg[ends] = 0.0
    length = np.hypot(seg[:, 0], seg[:, 1])
    unit = np.divide(seg, length[:, None], out=np.zeros_like(seg), where=length[:, None] > 0)
    normal_out = np.column_stack([-unit[:, 1], unit[:, 0]])  # left normal of the outgoing segment
    normal_in = np.zeros_like(normal_out)
    normal_in[1:] = normal_out[:-1]
    normal_in[starts] = normal_out[starts]
    normal_out[ends] = normal_in[ends]
    miter = normal_in + normal_out
    miter_len = np.hypot(miter[:, 0], miter[:, 1])
    miter = np.divide(miter, miter_len[:, None], out=normal_out.copy(), where=miter_len[:, None] > 1e-9)
    cos_half = np.abs(np.sum(miter * normal_out, axis=1))
    scale = np.minimum(1.0 / np.maximum(cos_half, 1e-6), MAX_MITER)
    half_width = 0.5 * np.asarray(width_m, dtype=np.float64)[line_of_point] * scale
    shift = (
        np.zeros(n_points)
        if offset_m is None
        else np.asarray(offset_m, dtype=np.float64)[line_of_point] * scale
    )
    left = pts + miter * (shift + half_width)[:, None]
    right = pts + miter * (shift - half_width)[:, None]
    points = np.empty((2 * n_points, 2))
    points[0::2] = left
    points[1::2] = right
    first = np.arange(n_points - 1)
    keep = np.ones(n_points - 1, bool)
    keep[ends[ends < n_points - 1]] = False
    first = first[keep]
    l0, r0, l1, r1 = 2 * first, 2 * first + 1, 2 * first + 2, 2 * first + 3
    triangles = np.concatenate([np.column_stack([r0, r1, l1]), np.column_stack([r0, l1, l0])])
    owner = np.concatenate([line_of_point[first], line_of_point[first]])
    return points, triangles.astype(np.int64), owner.astype(np.int64)


def doubled(lines: Polylines) -> Polylines:
    """Every polyline twice (first all along, then all against): one ribbon per direction."""
    points = np.concatenate([lines.points, lines.points])
    offsets = np.concatenate([lines.offsets, lines.offsets[1:] + lines.offsets[-1]])
    return Polylines(points, offsets, np.concatenate([lines.owner, lines.owner]))


def points_along(
    lines: Polylines, keep: np.ndarray, spacing_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points every ``spacing_m`` along the polylines ``keep`` (the first half a spacing in; a
    line shorter than that gets one at its middle): ``(points (A, 2), unit directions (A, 2),
    line index (A,))``, vectorised."""
    pts = lines.points[:, :2]
    seg = np.diff(pts, axis=0)
    seg_len = np.hypot(seg[:, 0], seg[:, 1])
    line_of_point = np.repeat(np.arange(lines.count), np.diff(lines.offsets))
    same = line_of_point[1:] == line_of_point[:-1]
    seg_len = np.where(same, seg_len, 0.0)
    cumulative = np.r_[0.0, np.cumsum(seg_len)]
    start = cumulative[lines.offsets[:-1]]
    length = cumulative[lines.offsets[1:] - 1] - start
    keep = keep[length[keep] > 1.0]
    if not len(keep):
        return np.empty((0, 2)), np.empty((0, 2)), np.empty(0, np.int64)
    counts = np.maximum(np.floor(length[keep] / spacing_m).astype(np.int64), 1)
    owner = np.repeat(keep, counts)
    k = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    step = length[owner] / np.repeat(counts, counts)
    distance = start[owner] + (k + 0.5) * step
    j = np.clip(
        np.searchsorted(cumulative, distance, side="right") - 1,
        lines.offsets[owner],
        lines.offsets[owner + 1] - 2,
    )
    f = np.clip(
        np.divide(distance - cumulative[j], seg_len[j], out=np.zeros(len(j)), where=seg_len[j] > 0), 0, 1
    )
    where = pts[j] + f[:, None] * seg[j]
    direction = seg[j] / np.maximum(seg_len[j], 1e-9)[:, None]
    return where, direction, owner
