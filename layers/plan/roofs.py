"""Pitched roofs of planned buildings: their surfaces for the picture, their slices for the shadows.

A pitched roof sits on the eaves (:attr:`PlannedBuilding.height_m`) and is laid on the footprint's
**oriented rectangle** (shapely's minimum rotated rectangle): half-length ``L`` along its longer
side (the ridge's direction), half-width ``W`` across. Every slope has the building's pitch ``a``,
so the roof's rise above the eaves at a point ``p`` is ``tan(a)`` times its distance to the
rectangle's sides that carry slopes, the lowest of a few planes:

* ``"gable"``: ``tan(a) · (W − |v|)``, ``v`` the distance across the ridge line (two slopes, the
  ends closed by vertical gable walls);
* ``"hip"``: ``tan(a) · min(W − |v|, L − |u|)``, ``u`` the distance along it (four slopes; on a
  square, a pyramid).

The ridge stands ``W · tan(a)`` above the eaves. On a rectangle this is exactly the roof massing
tools draw; on any other footprint it is that roof clipped to the footprint (an L-shaped plan gets
the rectangle's roof cut to its outline), closed by vertical walls from the eaves up to the roof
along the outline wherever the roof does not meet the eaves there (the gable ends of a rectangle).

For the shadows (:func:`roof_slices`), the roof is a few prisms stacked on the footprint: slice
``k`` of ``n`` is the part of the footprint where the roof rises at least ``(k − ½)/n`` of its
rise, raised to ``k/n`` of it, so every shadow algorithm working on prisms (:mod:`layers.sun`, the
sunlight study, the view's ground shadows) casts the roof unchanged.

Coordinates are the plan's (scene CRS metres); heights metres above the building's ground.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from layers.plan.model import PlannedBuilding

#: the rise (m) between two slices of a roof's shadow prisms, at most
SLICE_STEP_M = 1.0
#: slices of a roof's shadow prisms at most (a roof rising more gets coarser steps)
MAX_SLICES = 8
#: pieces thinner than this (m²) are dropped when the roof is cut to the footprint
SLIVER_M2 = 1e-6


@dataclass(frozen=True)
class RoofFrame:
    """The footprint's oriented rectangle: centre, unit vectors along and across the ridge, and its
    half-length and half-width (metres)."""

    centre: np.ndarray
    along: np.ndarray
    across: np.ndarray
    half_length_m: float
    half_width_m: float

    @classmethod
    def of(cls, polygon: shapely.Polygon) -> RoofFrame:
        """The frame of ``polygon``'s minimum rotated rectangle (ridge along its longer side)."""
        # near the origin: GEOS loses tenths of millimetres at Lambert-93 magnitudes
        shift = np.asarray(shapely.get_coordinates(polygon)[0])
        near = shapely.transform(polygon, lambda xy: xy - shift)
        box = np.asarray(shapely.get_coordinates(shapely.minimum_rotated_rectangle(near)))[:4]
        centre = box.mean(axis=0) + shift
        first, second = box[1] - box[0], box[2] - box[1]
        a, b = float(np.hypot(*first)), float(np.hypot(*second))
        if b > a * (1 + 1e-9):
            first, second, a, b = second, first, b, a
        along = first / a if a > 0 else np.array([1.0, 0.0])
        across = np.array([-along[1], along[0]])
        return cls(centre, along, across, a / 2.0, b / 2.0)

    def local(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(u, v): distances along and across the ridge from the centre of (n, 2) points, metres."""
        d = np.asarray(xy, float) - self.centre
        return d @ self.along, d @ self.across

    def world(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """(n, 2) points at distances (u, v) along and across the ridge."""
        return self.centre + np.multiply.outer(u, self.along) + np.multiply.outer(v, self.across)


def is_pitched(building: PlannedBuilding) -> bool:
    return building.roof in ("gable", "hip")


def roof_rise_m(building: PlannedBuilding) -> float:
    """Height of the ridge above the eaves, metres (0 for a flat roof)."""
    if not is_pitched(building):
        return 0.0
    return RoofFrame.of(building.polygon).half_width_m * math.tan(math.radians(building.roof_pitch_deg))


def ridge_height_m(building: PlannedBuilding) -> float:
    """Top of the building above its ground: the ridge of a pitched roof, else the walls, metres."""
    return building.height_m + roof_rise_m(building)


def _planes(building: PlannedBuilding, frame: RoofFrame) -> tuple[np.ndarray, np.ndarray]:
    """The roof's planes as ``offset − normal · (p − centre)`` (m, times tan(pitch) above the
    eaves): (k,) offsets and (k, 2) normals."""
    offsets = [frame.half_width_m, frame.half_width_m]
    normals = [frame.across, -frame.across]
    if building.roof == "hip":
        offsets += [frame.half_length_m, frame.half_length_m]
        normals += [frame.along, -frame.along]
    return np.asarray(offsets, float), np.asarray(normals, float)


def roof_height_at(building: PlannedBuilding, xy: np.ndarray) -> np.ndarray:
    """(n,) height of the roof above the ground at (n, 2) points inside the footprint, metres (the
    eaves for a flat roof)."""
    xy = np.atleast_2d(np.asarray(xy, float))
    if not is_pitched(building):
        return np.full(len(xy), building.height_m)
    frame = RoofFrame.of(building.polygon)
    offsets, normals = _planes(building, frame)
    values = offsets[None, :] - (xy - frame.centre) @ normals.T
    slope = math.tan(math.radians(building.roof_pitch_deg))
    return building.height_m + slope * np.maximum(values.min(axis=1), 0.0)


@dataclass
class RoofMesh:
    """A roof as triangles: ``points`` (P, 3) scene CRS metres and metres above the ground,
    ``triangles`` (T, 3) counter-clockwise seen from outside, ``is_roof`` (T,) True for the slopes,
    False for the walls closing them (gable ends)."""

    points: np.ndarray
    triangles: np.ndarray
    is_roof: np.ndarray

    @classmethod
    def empty(cls) -> RoofMesh:
        return cls(np.empty((0, 3)), np.empty((0, 3), np.int64), np.empty(0, bool))


def roof_mesh(building: PlannedBuilding) -> RoofMesh:
    """The slopes and gable walls of ``building``'s pitched roof (empty for a flat roof)."""
    if not is_pitched(building):
        return RoofMesh.empty()
    polygon = building.polygon
    frame = RoofFrame.of(polygon)
    offsets, normals = _planes(building, frame)
    slope = math.tan(math.radians(building.roof_pitch_deg))
    points: list[np.ndarray] = []
    triangles: list[np.ndarray] = []
    flags: list[np.ndarray] = []
    count = 0
    for k in range(len(offsets)):
        region = _plane_region(k, offsets, normals, frame)
        piece = shapely.intersection(polygon, region)
        for part in shapely.get_parts(piece):
            if shapely.get_type_id(part) != 3 or shapely.area(part) < SLIVER_M2:
                continue
            xy, tri = _triangulate(part, frame.centre)
            rise = slope * np.maximum(offsets[k] - (xy - frame.centre) @ normals[k], 0.0)
            points.append(np.column_stack([xy, building.height_m + rise]))
            triangles.append(tri + count)
            flags.append(np.ones(len(tri), bool))
            count += len(xy)
    wall_points, wall_triangles = _closing_walls(building, frame, offsets, normals, slope)
    if len(wall_triangles):
        points.append(wall_points)
        triangles.append(wall_triangles + count)
        flags.append(np.zeros(len(wall_triangles), bool))
    if not triangles:
        return RoofMesh.empty()
    return RoofMesh(np.concatenate(points), np.concatenate(triangles), np.concatenate(flags))


def _plane_region(k: int, offsets: np.ndarray, normals: np.ndarray, frame: RoofFrame) -> shapely.Polygon:
    """Where plane ``k`` is the lowest, within a box a little larger than the oriented rectangle."""
    margin = 1.0 + frame.half_width_m
    half_l, half_w = frame.half_length_m + margin, frame.half_width_m + margin
    corners = frame.world(
        np.array([-half_l, half_l, half_l, -half_l]), np.array([-half_w, -half_w, half_w, half_w])
    )
    ring = corners
    for j in range(len(offsets)):
        if j != k:  # plane k ≤ plane j: (o_k − o_j) − (n_k − n_j)·(p − c) ≤ 0
            ring = _clip(ring, offsets[k] - offsets[j], normals[k] - normals[j], frame.centre)
    return shapely.Polygon(ring) if len(ring) >= 3 else shapely.Polygon()


def _clip(ring: np.ndarray, constant: float, normal: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """The part of convex polygon ``ring`` (k, 2) where ``constant − normal · (p − centre) ≤ 0``."""
    if len(ring) == 0:
        return ring
    value = constant - (ring - centre) @ normal
    out: list[np.ndarray] = []
    for i in range(len(ring)):
        j = (i + 1) % len(ring)
        a, b, fa, fb = ring[i], ring[j], value[i], value[j]
        if fa <= 0:
            out.append(a)
        if fa * fb < 0:  # the side crosses the line
            out.append(a + (b - a) * (fa / (fa - fb)))
    return np.asarray(out).reshape(-1, 2)


def _triangulate(polygon: shapely.Polygon, centre: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The polygon's vertices (n, 2) and its triangles (t, 3), counter-clockwise from above."""
    import mapbox_earcut

    rings = [np.asarray(polygon.exterior.coords)[:-1]]
    rings += [np.asarray(ring.coords)[:-1] for ring in polygon.interiors]
    xy = np.concatenate(rings)
    ends = np.cumsum([len(r) for r in rings]).astype(np.uint32)
    tri = np.asarray(mapbox_earcut.triangulate_float64(xy - centre, ends), np.int64).reshape(-1, 3)
    a, b, c = xy[tri[:, 0]], xy[tri[:, 1]], xy[tri[:, 2]]
    cross = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    tri[cross < 0] = tri[cross < 0][:, ::-1]
    return xy, tri[cross != 0]


def _closing_walls(
    building: PlannedBuilding, frame: RoofFrame, offsets: np.ndarray, normals: np.ndarray, slope: float
) -> tuple[np.ndarray, np.ndarray]:
    """Vertical walls from the eaves up to the roof along the footprint (the gable ends): along each
    side, the roof's rise is piecewise linear, bent where two planes cross."""
    ring = np.asarray(building.footprint, float)  # counter-clockwise, not closed
    eaves = building.height_m
    points: list[np.ndarray] = []
    triangles: list[list[int]] = []
    for i in range(len(ring)):
        a, b = ring[i], ring[(i + 1) % len(ring)]
        # each plane's value along the side is linear in t ∈ [0, 1]: f(t) = fa + t (fb − fa)
        fa = offsets - (a - frame.centre) @ normals.T
        fb = offsets - (b - frame.centre) @ normals.T
        ts = [0.0, 1.0]
        for p in range(len(offsets)):
            for q in range(p + 1, len(offsets)):
                denominator = (fa[p] - fb[p]) - (fa[q] - fb[q])
                if abs(denominator) > 1e-12:
                    t = (fa[p] - fa[q]) / denominator
                    if 1e-9 < t < 1 - 1e-9:
                        ts.append(float(t))
        t_sorted = np.unique(ts)
        rise = slope * np.maximum((fa[None, :] + np.multiply.outer(t_sorted, fb - fa)).min(axis=1), 0.0)
        xy = a + np.multiply.outer(t_sorted, b - a)
        for k in range(len(t_sorted) - 1):
            h0, h1 = rise[k], rise[k + 1]
            if max(h0, h1) < 1e-6:
                continue
            base = sum(len(p) for p in points)
            p0, p1 = xy[k], xy[k + 1]
            # outward for a counter-clockwise ring: (a, b, b') and (a, b', a')
            quad = np.array([[*p0, eaves], [*p1, eaves], [*p1, eaves + h1], [*p0, eaves + h0]], dtype=float)
            points.append(quad)
            if h1 > 1e-6:
                triangles.append([base, base + 1, base + 2])
            if h0 > 1e-6:
                triangles.append([base, base + 2, base + 3])
    if not triangles:
        return np.empty((0, 3)), np.empty((0, 3), np.int64)
    return np.concatenate(points), np.asarray(triangles, np.int64)


def roof_slices(building: PlannedBuilding) -> tuple[list[shapely.Polygon], list[float]]:
    """The roof as stacked prisms for the shadows: polygons (parts of the footprint) and their tops
    (m above the ground, base on the ground); nothing for a flat roof. See the module docstring."""
    rise = roof_rise_m(building)
    if rise <= 0:
        return [], []
    polygon = building.polygon
    frame = RoofFrame.of(polygon)
    slope = math.tan(math.radians(building.roof_pitch_deg))
    n = int(min(MAX_SLICES, max(1, math.ceil(rise / SLICE_STEP_M))))
    polygons: list[shapely.Polygon] = []
    tops: list[float] = []
    for k in range(1, n + 1):
        inset = rise * (k - 0.5) / n / slope  # distance in from the sides carrying slopes
        half_w = frame.half_width_m - inset
        half_l = frame.half_length_m - inset if building.roof == "hip" else frame.half_length_m + 1.0
        if half_w <= 0 or half_l <= 0:
            continue
        band = shapely.Polygon(
            frame.world(
                np.array([-half_l, half_l, half_l, -half_l]), np.array([-half_w, -half_w, half_w, half_w])
            )
        )
        for part in shapely.get_parts(shapely.intersection(polygon, band)):
            if shapely.get_type_id(part) == 3 and shapely.area(part) >= SLIVER_M2:
                polygons.append(part)
                tops.append(building.height_m + rise * k / n)
    return polygons, tops


def plan_prisms(buildings: Sequence[PlannedBuilding]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every building as a prism up to its eaves, then the slices of the pitched roofs
    (:func:`roof_slices`): ``(polygons, base_m, top_m)``, base on the ground, for every shadow
    computed from prisms (the view, the studies, the figures)."""
    polygons: list[shapely.Polygon] = [b.polygon for b in buildings]
    tops: list[float] = [b.height_m for b in buildings]
    for building in buildings:
        slices, slice_tops = roof_slices(building)
        polygons += slices
        tops += slice_tops
    shapes = np.empty(len(polygons), dtype=object)
    shapes[:] = polygons
    return shapes, np.zeros(len(shapes)), np.asarray(tops, np.float64)
