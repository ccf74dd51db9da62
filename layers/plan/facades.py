"""Direct sun on the façades of existing buildings, before and after a planned project.

Façades are sampled: every wall is cut into pieces of at most :data:`PIECE_M` metres and every
storey (:data:`STOREY_M`) up; a sample point stands for its piece's length × its storey's height of
wall. Party walls (the point half a metre out lies inside another building) are left out.

A point ``P`` at height ``z`` is in the sun at an instant when the sun is in front of its wall and
the ray from it towards the sun meets no caster: with the shadow offset ``s`` (ground metres per
metre of height, pointing away from the sun) the ray at height ``z + u`` is above ``P − u·s``, so a
prism (footprint ``F`` from ``base`` to ``top``) blocks it exactly when the segment
``P − u·s, u ∈ [max(base − z, 0), top − z]`` meets ``F`` (the point is taken 1 cm out of its wall).
That is the brief's "``P + z·s`` in the ground shadow of the prisms clipped to [max(base, z), top]"
walked the other way, tested exactly by GEOS on segments, all at once.

Only the (point, instant) pairs where the project (or a demolition) can change something are ever
tested against the existing city, and their answers (which existing casters block each ray) are
kept in :class:`FacadeCache`, so an edit tests only the pairs it newly reaches. All coordinates are
metres of the computation's metric CRS.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from layers.sun.shadow import per_part
from layers.sun.shadow_map import SunTrack

#: longest piece of wall one sample point stands for, metres
PIECE_M = 2.0
#: height of wall one sample point stands for, metres (a storey)
STOREY_M = 3.0
#: a piece whose point this far in front lies in another building is a party wall, metres
PARTY_WALL_PROBE_M = 0.5
#: sample points are taken this far in front of their wall, metres
LIFT_M = 0.01
#: rays are tested against the city in pieces this long (ground metres): a piece's box holds the
#: buildings near the ray, not those of the whole box of a ray kilometres long at sunrise
RAY_PIECE_M = 40.0


@dataclass
class FacadePoints:
    """Façade sample points (Q of them).

    Attributes
    ----------
    xy
        (Q, 2) the point on the ground plan, 1 cm in front of its wall.
    z_m
        (Q,) its height above the ground, metres.
    normal
        (Q, 2) the wall's outward unit normal.
    area_m2
        (Q,) the wall area it stands for, m² (grid metres).
    owner
        (Q,) the caster (row of the existing casters) whose wall it is on.
    """

    xy: np.ndarray
    z_m: np.ndarray
    normal: np.ndarray
    area_m2: np.ndarray
    owner: np.ndarray

    @classmethod
    def empty(cls) -> FacadePoints:
        return cls(np.empty((0, 2)), np.empty(0), np.empty((0, 2)), np.empty(0), np.empty(0, np.int64))

    def __len__(self) -> int:
        return len(self.owner)

    def extended(self, other: FacadePoints) -> FacadePoints:
        return FacadePoints(
            np.concatenate([self.xy, other.xy]),
            np.concatenate([self.z_m, other.z_m]),
            np.concatenate([self.normal, other.normal]),
            np.concatenate([self.area_m2, other.area_m2]),
            np.concatenate([self.owner, other.owner]),
        )


def facade_points(
    polygons: np.ndarray,
    base_m: np.ndarray,
    top_m: np.ndarray,
    rows: np.ndarray,
    tree: shapely.STRtree,
) -> FacadePoints:
    """The sample points of the walls of ``polygons[rows]`` (``tree`` holds every building
    footprint, to find the party walls)."""
    rows = np.asarray(rows, np.int64)
    if not len(rows):
        return FacadePoints.empty()
    oriented = shapely.orient_polygons(shapely.force_2d(np.asarray(polygons, dtype=object)[rows]))
    dense = shapely.segmentize(oriented, PIECE_M)
    rings, ring_owner = shapely.get_rings(dense, return_index=True)
    coords, ring_of_point = shapely.get_coordinates(rings, return_index=True)
    same = ring_of_point[:-1] == ring_of_point[1:]
    start, end = coords[:-1][same], coords[1:][same]
    owner = rows[ring_owner[ring_of_point[:-1][same]]]
    delta = end - start
    length = np.hypot(delta[:, 0], delta[:, 1])
    keep = length > 1e-6
    start, end, owner, delta, length = start[keep], end[keep], owner[keep], delta[keep], length[keep]
    normal = np.column_stack([delta[:, 1], -delta[:, 0]]) / length[:, None]
    middle = (start + end) / 2.0
    party = np.zeros(len(owner), bool)
    if len(owner):
        hits, _ = tree.query(shapely.points(middle + normal * PARTY_WALL_PROBE_M), predicate="within")
        party[hits] = True
    middle, normal, owner, length = middle[~party], normal[~party], owner[~party], length[~party]
    base = np.asarray(base_m, float)[owner]
    wall = np.maximum(np.asarray(top_m, float)[owner] - base, 0.0)
    storeys = np.ceil(wall / STOREY_M - 1e-9).astype(np.int64).clip(min=0)
    piece = np.repeat(np.arange(len(owner)), storeys)
    level = np.arange(len(piece)) - np.repeat(np.cumsum(storeys) - storeys, storeys)
    bottom = level * STOREY_M
    slab = np.minimum(bottom + STOREY_M, wall[piece]) - bottom
    return FacadePoints(
        middle[piece] + normal[piece] * LIFT_M,
        base[piece] + bottom + slab / 2.0,
        normal[piece],
        length[piece] * slab,
        owner[piece],
    )


def blocking_pairs(
    xy: np.ndarray,
    z_m: np.ndarray,
    offset: np.ndarray,
    polygons: np.ndarray,
    base_m: np.ndarray,
    top_m: np.ndarray,
    tree: shapely.STRtree | None = None,
    *,
    candidates: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Which casters block which rays.

    Ray ``i`` leaves ``xy[i]`` at height ``z_m[i]`` towards the sun (``offset[i]``: the shadow
    offset, away from the sun); caster ``j`` is ``polygons[j]`` from ``base_m[j]`` to ``top_m[j]``.
    The pairs to test come from ``candidates`` (ray, caster) or from ``tree`` (an STR-tree over
    ``polygons``). Returns the (ray, caster) pairs where the caster blocks the ray, exactly.
    """
    top_all = float(np.max(top_m)) if len(top_m) else 0.0
    if candidates is None:
        if tree is None or not len(xy):
            return np.empty(0, np.int64), np.empty(0, np.int64)
        ray, caster = _near_rays(xy, z_m, offset, top_all, tree)
    else:
        ray, caster = candidates
    if not len(ray):
        return ray, caster
    z = z_m[ray]
    u0 = np.maximum(np.asarray(base_m, float)[caster] - z, 0.0)
    u1 = np.asarray(top_m, float)[caster] - z
    ok = u1 > u0
    ray, caster, u0, u1 = ray[ok], caster[ok], u0[ok], u1[ok]
    s = offset[ray]
    p = xy[ray]
    lines = shapely.linestrings(np.stack([p - u0[:, None] * s, p - u1[:, None] * s], axis=1))
    hit = shapely.intersects(lines, np.asarray(polygons, dtype=object)[caster])
    return ray[hit], caster[hit]


def _near_rays(
    xy: np.ndarray, z_m: np.ndarray, offset: np.ndarray, top_m: float, tree: shapely.STRtree
) -> tuple[np.ndarray, np.ndarray]:
    """(ray, caster) pairs whose boxes meet: each ray, up to the tallest caster, cut in pieces of
    :data:`RAY_PIECE_M` ground metres, queried against ``tree``; pairs unique."""
    rise = np.maximum(top_m - z_m, 0.0)
    step = np.hypot(offset[:, 0], offset[:, 1])
    length = rise * step
    pieces = np.maximum(np.ceil(length / RAY_PIECE_M), 1).astype(np.int64)
    owner = np.repeat(np.arange(len(xy)), pieces)
    index = np.arange(len(owner)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    u = rise[owner] / pieces[owner]
    a = xy[owner] - (index * u)[:, None] * offset[owner]
    b = xy[owner] - ((index + 1) * u)[:, None] * offset[owner]
    boxes = shapely.box(np.minimum(a[:, 0], b[:, 0]), np.minimum(a[:, 1], b[:, 1]),
                        np.maximum(a[:, 0], b[:, 0]), np.maximum(a[:, 1], b[:, 1]))  # fmt: skip
    piece, caster = tree.query(boxes)
    key = np.unique(owner[piece] * np.int64(len(tree.geometries)) + caster)
    return key // len(tree.geometries), key % len(tree.geometries)


class FacadeCache:
    """The existing casters blocking each (point, lit sample) ray tested so far.

    A pair's key is ``point * samples + sample``; :meth:`blockers` computes the missing ones.
    """

    def __init__(self, samples: int) -> None:
        self.samples = int(samples)
        self.known = np.empty(0, np.int64)  # sorted keys tested
        self.pair_key = np.empty(0, np.int64)  # (key, caster) blocking, unsorted
        self.pair_caster = np.empty(0, np.int64)

    def missing(self, keys: np.ndarray) -> np.ndarray:
        """The keys of ``keys`` (unique) not tested yet."""
        return keys[~np.isin(keys, self.known, assume_unique=False)]

    def add(self, tested: np.ndarray, key: np.ndarray, caster: np.ndarray) -> None:
        self.known = np.union1d(self.known, tested)
        self.pair_key = np.concatenate([self.pair_key, key])
        self.pair_caster = np.concatenate([self.pair_caster, caster])

    def shaded(self, keys: np.ndarray, standing: np.ndarray | None = None) -> np.ndarray:
        """(len(keys),) bool: the ray of each key is blocked by an existing caster (one of those
        flagged in ``standing``, when given)."""
        blocking = self.pair_key
        if standing is not None:
            blocking = blocking[np.asarray(standing, bool)[self.pair_caster]]
        return np.isin(keys, blocking)


@dataclass
class FacadeChange:
    """The façade points a change can touch, and per point the net change of sunlit samples
    (after − before)."""

    points: FacadePoints
    delta: np.ndarray


class FacadeStudy:
    """Façade sun of the existing buildings, kept between edits.

    Parameters
    ----------
    polygons, base_m, top_m
        Every existing caster, metric CRS; the first ``buildings`` rows are buildings (they have
        façades), the others trees or canopy.
    track, samples
        The sun (:class:`layers.sun.shadow_map.SunTrack` over the casters) and its lit samples.
    """

    def __init__(
        self,
        polygons: np.ndarray,
        base_m: np.ndarray,
        top_m: np.ndarray,
        buildings: int,
        track: SunTrack,
        samples: np.ndarray,
    ) -> None:
        self.polygons = np.asarray(polygons, dtype=object)
        self.base_m = np.asarray(base_m, float)
        self.top_m = np.asarray(top_m, float)
        self.buildings = int(buildings)
        self.track = track
        self.samples = np.asarray(samples, np.int64)
        self.casters = shapely.STRtree(self.polygons)
        self.footprints = shapely.STRtree(self.polygons[: self.buildings])
        self.points = FacadePoints.empty()
        self.sampled = np.zeros(len(self.polygons), bool)
        self.cache = FacadeCache(len(self.samples))

    def _offsets(self, b: int, track: SunTrack, count: int) -> tuple[np.ndarray, np.ndarray]:
        offset, lit = track.at(int(self.samples[b]))
        offsets = per_part(offset, count)
        flags = np.broadcast_to(np.asarray(lit, bool), (count,)) if len(lit) == 1 else np.asarray(lit, bool)
        return offsets, flags

    def change(
        self,
        project: tuple[np.ndarray, np.ndarray, np.ndarray],
        project_track: SunTrack,
        bounds: tuple[float, float, float, float],
        demolished: np.ndarray,
    ) -> FacadeChange:
        """The change ``project`` (polygons, base, top; its own sun track) makes on the façades
        within ``bounds`` (the study's reach), existing casters flagged ``demolished`` taken away."""
        polygons, base, top = (
            np.asarray(a, dtype=object if i == 0 else float) for i, a in enumerate(project)
        )
        demolished = np.asarray(demolished, bool)
        reach = self._reach_boxes(polygons, base, top, project_track)
        clipped = [_clip_boxes(r, bounds) for r in reach]
        boxes = np.concatenate([c[:, :4] for c in clipped]) if clipped else np.empty((0, 4))
        if len(boxes):
            _, near = self.footprints.query(shapely.box(*boxes.T))
            owners = np.unique(near)
        else:
            owners = np.empty(0, np.int64)
        new = owners[~self.sampled[owners]]
        if len(new):
            self.points = self.points.extended(
                facade_points(self.polygons, self.base_m, self.top_m, new, self.footprints)
            )
            self.sampled[new] = True
        chosen = np.flatnonzero(np.isin(self.points.owner, owners) & ~demolished[self.points.owner])
        points = FacadePoints(
            self.points.xy[chosen],
            self.points.z_m[chosen],
            self.points.normal[chosen],
            self.points.area_m2[chosen],
            self.points.owner[chosen],
        )
        if not len(chosen):
            return FacadeChange(points, np.zeros(0, np.int64))
        gone = np.flatnonzero(demolished)
        gone_reach = (
            self._reach_boxes(self.polygons[gone], self.base_m[gone], self.top_m[gone], self.track, rows=gone)
            if len(gone)
            else []
        )
        project_keys = self._hits(points, chosen, reach, polygons, base, top)
        gone_keys = (
            self._hits(points, chosen, gone_reach, self.polygons[gone], self.base_m[gone], self.top_m[gone])
            if len(gone)
            else np.empty(0, np.int64)
        )
        keys = np.union1d(project_keys, gone_keys)
        missing = self.cache.missing(keys)
        if len(missing):
            point, b = missing // len(self.samples), missing % len(self.samples)
            rows = np.searchsorted(chosen, point)
            ray_offset = np.empty((len(missing), 2))
            for bb in np.unique(b).tolist():
                at = b == bb
                offsets, _ = self._offsets(bb, self.track, len(self.polygons))
                ray_offset[at] = offsets[points.owner[rows[at]]]
            ray, caster = blocking_pairs(
                points.xy[rows],
                points.z_m[rows],
                ray_offset,
                self.polygons,
                self.base_m,
                self.top_m,
                self.casters,
            )
            self.cache.add(missing, missing[ray], caster)
        before_lit = ~self.cache.shaded(keys)
        after_lit = ~(self.cache.shaded(keys, ~demolished) | np.isin(keys, project_keys))
        rows = np.searchsorted(chosen, keys // len(self.samples))
        delta = np.bincount(rows, weights=after_lit.astype(float) - before_lit, minlength=len(chosen))
        return FacadeChange(points, np.round(delta).astype(np.int64))

    def _reach_boxes(
        self,
        polygons: np.ndarray,
        base: np.ndarray,
        top: np.ndarray,
        track: SunTrack,
        rows: np.ndarray | None = None,
    ) -> list[np.ndarray]:
        """Per lit sample, (m, 5) boxes of the shadows of the given casters (``rows`` of the
        track's parts, else all of its parts), with their caster's index in the last column."""
        boxes = shapely.bounds(polygons)
        count = len(polygons)
        out = []
        for b in range(len(self.samples)):
            offsets, lit = self._offsets(b, track, len(self.polygons) if rows is not None else count)
            if rows is not None:
                offsets, lit = offsets[rows], lit[rows]
            lo = np.minimum(np.minimum(base[:, None] * offsets, top[:, None] * offsets), 0.0)
            hi = np.maximum(np.maximum(base[:, None] * offsets, top[:, None] * offsets), 0.0)
            box = np.column_stack([boxes[:, :2] + lo, boxes[:, 2:] + hi, np.arange(count)])
            out.append(box[lit])
        return out

    def _hits(
        self,
        points: FacadePoints,
        chosen: np.ndarray,
        reach: list[np.ndarray],
        polygons: np.ndarray,
        base: np.ndarray,
        top: np.ndarray,
    ) -> np.ndarray:
        """Keys (point of the study × samples + sample) of the rays from ``points`` that the given
        casters block, the sun in front of the wall."""
        rays: list[np.ndarray] = []
        casters: list[np.ndarray] = []
        keys: list[np.ndarray] = []
        offsets_all: list[np.ndarray] = []
        for b, box in enumerate(reach):
            if not len(box):
                continue
            inside = (
                (points.xy[:, None, 0] >= box[None, :, 0])
                & (points.xy[:, None, 0] <= box[None, :, 2])
                & (points.xy[:, None, 1] >= box[None, :, 1])
                & (points.xy[:, None, 1] <= box[None, :, 3])
            )
            point, which = np.nonzero(inside)
            if not len(point):
                continue
            offsets, lit = self._offsets(b, self.track, len(self.polygons))
            s = offsets[points.owner[point]]
            front = lit[points.owner[point]] & (np.einsum("ij,ij->i", points.normal[point], s) < 0)
            point, which, s = point[front], which[front], s[front]
            rays.append(point)
            casters.append(box[which, 4].astype(np.int64))
            keys.append(chosen[point] * len(self.samples) + b)
            offsets_all.append(s)
        if not rays:
            return np.empty(0, np.int64)
        ray = np.concatenate(rays)
        key = np.concatenate(keys)
        ray_index, _ = blocking_pairs(
            points.xy[ray],
            points.z_m[ray],
            np.concatenate(offsets_all),
            polygons,
            base,
            top,
            candidates=(np.arange(len(ray)), np.concatenate(casters)),
        )
        return np.unique(key[ray_index])


def _clip_boxes(boxes: np.ndarray, bounds: tuple[float, float, float, float]) -> np.ndarray:
    out = boxes.copy()
    out[:, 0] = np.maximum(out[:, 0], bounds[0])
    out[:, 1] = np.maximum(out[:, 1], bounds[1])
    out[:, 2] = np.minimum(out[:, 2], bounds[2])
    out[:, 3] = np.minimum(out[:, 3], bounds[3])
    return out[(out[:, 0] < out[:, 2]) & (out[:, 1] < out[:, 3])]
