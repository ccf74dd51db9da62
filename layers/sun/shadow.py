"""Ground shadows of flat-roofed buildings on flat ground, exact and vectorised.

A building part is a prism: its footprint ``P`` from ``base_m`` to ``height_m``. With the sun's
shadow vector ``s`` (grid metres of shadow per metre of height, :meth:`layers.sun.position.SunSite.
shadow_offset`), the ground it darkens is the footprint swept along the shadow:
``P ⊕ [base_m·s, height_m·s]`` (a Minkowski sum with a segment), every wall included, courtyard
walls too. It is computed here without one overlay per wall:

1. **Convolution cycles.** Walking each ring (exteriors counter-clockwise, holes clockwise), an
   edge whose wall faces the sun stays at ``base_m·s``, an edge in its own shade moves to
   ``height_m·s``, and at each vertex where the two meet the connecting segment along ``s`` is
   inserted. For a footprint that is convex along ``s`` this is the shadow's outline; in general
   the sweep is the set of points with positive winding number of these cycles (Guibas, Ramshaw &
   Stolfi's convolution; Wein 2006 for Minkowski sums).
2. **Winding to polygon.** The cycles that cross themselves (an L or U footprint, a courtyard
   filled by the shadow) are resolved by GEOS's zero-width buffer, which keeps exactly the
   positive-winding region. Both steps are numpy array work plus one vectorised GEOS call.
3. **Union.** The per-building shadows are grouped into connected clusters (an STR-tree of their
   boxes and a connected-components pass), each cluster is unioned and its ground footprints
   removed, clusters in parallel threads (GEOS releases the GIL).

The result is the ground shadow of the whole city at one instant, building footprints excluded.
Nothing loops over buildings in Python: the only Python loop is over clusters of touching shadows.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import shapely

#: parts lower than this (metres between base and top) cast no shadow
MIN_PART_HEIGHT_M = 0.01
#: a part whose base is below this (metres) stands on the ground: its footprint is not ground
GROUND_BASE_M = 0.01
#: shadow polygons smaller than this (m²) are dropped: slivers between footprints that nearly touch
MIN_PART_AREA_M2 = 0.01


@dataclass
class ShadowUnion:
    """The union of ground shadows, footprints removed, with what it took.

    Attributes
    ----------
    parts
        (k,) shapely Polygons, disjoint, in the computation CRS.
    timings
        Seconds per step (``shadows_s``, ``union_s``).
    clusters
        Number of clusters of touching shadows unioned.
    """

    parts: np.ndarray
    timings: dict[str, float] = field(default_factory=dict)
    clusters: int = 0

    @property
    def area_m2(self) -> float:
        return float(shapely.area(self.parts).sum()) if len(self.parts) else 0.0

    def geometry(self) -> shapely.MultiPolygon:
        """All the parts as one MultiPolygon."""
        if not len(self.parts):
            return shapely.MultiPolygon()
        return cast(shapely.MultiPolygon, shapely.multipolygons(self.parts))


def casting(height_m: np.ndarray, base_m: np.ndarray) -> np.ndarray:
    """(n,) bool: parts tall enough to cast a shadow."""
    return np.asarray(height_m, float) - np.asarray(base_m, float) > MIN_PART_HEIGHT_M


def on_ground(height_m: np.ndarray, base_m: np.ndarray) -> np.ndarray:
    """(n,) bool: parts whose footprint is occupied ground (they stand on it)."""
    return (np.asarray(base_m, float) < GROUND_BASE_M) & (np.asarray(height_m, float) > MIN_PART_HEIGHT_M)


def building_shadows(
    polygons: np.ndarray, height_m: np.ndarray, base_m: np.ndarray, offset: np.ndarray
) -> np.ndarray:
    """The ground each part darkens: ``P ⊕ [base_m·offset, height_m·offset]``, per part.

    Parameters
    ----------
    polygons
        (n,) shapely Polygons (footprints) in a metric CRS.
    height_m, base_m
        (n,) top and bottom of the walls above the ground, metres.
    offset
        (2,) or (n, 2) grid metres of shadow per metre of height (pointing away from the sun), one
        for all parts or one per part.

    Returns
    -------
    (n,) Polygons or MultiPolygons in the same CRS (the footprint itself included for parts
    standing on the ground); empty for parts without height.
    """
    polygons = np.asarray(polygons, dtype=object)
    n = len(polygons)
    out = np.full(n, shapely.Polygon(), dtype=object)
    keep = np.flatnonzero(casting(height_m, base_m) & ~shapely.is_empty(polygons))
    if not len(keep):
        return out
    offset = per_part(offset, n)[keep]
    parts = shapely.orient_polygons(polygons[keep])
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring_of_point = shapely.get_coordinates(rings, return_index=True)
    part_base = np.asarray(base_m, float)[keep]
    part_top = np.asarray(height_m, float)[keep]
    base, top, ring_offset = part_base[ring_part], part_top[ring_part], offset[ring_part]
    cycle, cycle_ring = convolution_cycles(
        coords, ring_of_point, base[:, None] * ring_offset, top[:, None] * ring_offset
    )
    cycles = np.asarray(shapely.linearrings(cycle, indices=cycle_ring))
    swept = np.asarray(shapely.polygons(cycles, indices=ring_part))
    # a courtyard whose cycle turned counter-clockwise is wholly in the shadow (the sweep is
    # longer than the courtyard is deep): it is dropped; one whose cycle crosses itself is partly
    # filled in a way a polygon cannot hold: those parts are unioned from their wall pieces
    is_hole = np.ones(len(rings), bool)
    is_hole[np.unique(ring_part, return_index=True)[1]] = False
    simple = shapely.is_simple(cycles)
    filled = is_hole & simple & shapely.is_ccw(cycles)
    tangled = np.bincount(ring_part[is_hole & ~simple], minlength=len(parts)) > 0
    if filled.any():
        kept = ~filled
        swept = np.asarray(shapely.polygons(cycles[kept], indices=ring_part[kept]))
    crossed = ~tangled & ~shapely.is_valid(swept)
    if crossed.any():
        swept[crossed] = shapely.buffer(swept[crossed], 0.0)
    if tangled.any():
        swept[tangled] = _union_of_pieces(
            parts[tangled], part_top[tangled], part_base[tangled], offset[tangled]
        )
    out[keep] = swept
    return out


def per_part(offset: np.ndarray, n: int) -> np.ndarray:
    """An offset given once (2,) or per part (n, 2) as an (n, 2) float array."""
    offset = np.asarray(offset, float)
    if offset.ndim == 1:
        return np.broadcast_to(offset.reshape(1, 2), (n, 2))
    if offset.shape != (n, 2):
        raise ValueError(f"offsets must be (2,) or ({n}, 2), not {offset.shape}")
    return offset


def _union_of_pieces(
    polygons: np.ndarray, height_m: np.ndarray, base_m: np.ndarray, offset: np.ndarray
) -> np.ndarray:
    """Per-part union of :func:`wall_pieces`, in one GEOS call over a padded (parts, pieces) table."""
    pieces, owner = wall_pieces(polygons, height_m, base_m, offset)
    order = np.argsort(owner, kind="stable")
    pieces, owner = pieces[order], owner[order]
    counts = np.bincount(owner, minlength=len(polygons))
    column = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    table = np.full((len(polygons), max(int(counts.max()), 1)), None, dtype=object)
    table[owner, column] = pieces
    return np.asarray(shapely.union_all(table, axis=1))


def convolution_cycles(
    coords: np.ndarray, ring: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Convolution cycle of closed rings with their sweep segments, vectorised.

    Parameters
    ----------
    coords
        (P, 2) ring vertices, each ring closed (last == first), grouped by ring in order.
    ring
        (P,) ring index of each vertex (0..R-1, sorted).
    start, end
        (R, 2) sweep of each ring: from ``start`` to ``end`` (grid metres).

    Returns
    -------
    (Q, 2) closed cycles and (Q,) their ring index, ready for ``shapely.linearrings``.
    """
    counts = np.bincount(ring, minlength=len(start))
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    keep = np.ones(len(coords), bool)
    keep[first + counts - 1] = False  # the closing point
    p = coords[keep]
    pid = ring[keep]
    n = counts - 1
    begin = np.concatenate([[0], np.cumsum(n)[:-1]])
    idx = np.arange(len(p))
    local = idx - begin[pid]
    nxt = np.where(local == n[pid] - 1, begin[pid], idx + 1)
    prv = np.where(local == 0, begin[pid] + n[pid] - 1, idx - 1)
    d = p[nxt] - p
    sweep = end - start
    # edge p -> next: its outward normal (dy, -dx) (solid on the left of every ring) faces the
    # sun when normal · sweep <= 0: it stays at the start; otherwise it moves to the end
    stays = d[:, 1] * sweep[pid, 0] - d[:, 0] * sweep[pid, 1] <= 0
    stays_in = stays[prv]
    off_in = np.where(stays_in[:, None], start[pid], end[pid])
    off_out = np.where(stays[:, None], start[pid], end[pid])
    turn = stays_in != stays
    reps = 1 + turn
    out = np.repeat(p, reps, axis=0)
    slot = np.cumsum(reps) - reps
    shift = np.empty_like(out)
    shift[slot] = off_in
    shift[slot[turn] + 1] = off_out[turn]
    out += shift
    out_ring = np.repeat(pid, reps)
    # close every cycle
    cnt = np.bincount(out_ring, minlength=len(start))
    starts = np.concatenate([[0], np.cumsum(cnt)[:-1]])
    ends = starts + cnt
    closed = np.insert(out, ends, out[starts], axis=0)
    closed_ring = np.insert(out_ring, ends, np.arange(len(start)))
    return closed, closed_ring


def union_shadows(shadows: np.ndarray, footprints: np.ndarray, *, workers: int | None = None) -> ShadowUnion:
    """Union of per-building shadows minus the ground footprints, cluster by cluster.

    Parameters
    ----------
    shadows
        (n,) per-part shadows (:func:`building_shadows`), empty ones allowed.
    footprints
        (n,) the footprint of each part when it stands on the ground, else ``None`` / empty.
    workers
        Threads unioning clusters (default: the CPU count, at most 8).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    shadows = np.asarray(shadows, dtype=object)
    footprints = np.asarray(footprints, dtype=object)
    present = ~(shapely.is_missing(shadows) | shapely.is_empty(shadows))
    shadows, footprints = shadows[present], footprints[present]
    n = len(shadows)
    if n == 0:
        return ShadowUnion(np.empty(0, dtype=object))
    tree = shapely.STRtree(shadows)
    a, b = tree.query(shadows)
    graph = coo_matrix((np.ones(len(a), np.int8), (a, b)), shape=(n, n))
    count, labels = connected_components(graph, directed=False)
    order = np.argsort(labels, kind="stable")
    sizes = np.bincount(labels, minlength=count)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    results: list[np.ndarray] = []

    alone = sizes[labels[order]] == 1
    single = order[alone]
    if len(single):
        fp = footprints[single]
        has_fp = ~(shapely.is_missing(fp) | shapely.is_empty(fp))
        done = shadows[single].copy()
        if has_fp.any():
            done[has_fp] = shapely.difference(done[has_fp], fp[has_fp])
        results.append(done)

    groups = np.flatnonzero(sizes > 1)
    groups = groups[np.argsort(-sizes[groups], kind="stable")]  # big clusters first

    def union_cluster(label: int) -> shapely.Geometry:
        members = order[bounds[label] : bounds[label + 1]]
        merged = shapely.disjoint_subset_union_all(shadows[members])
        fp = footprints[members]
        fp = fp[~(shapely.is_missing(fp) | shapely.is_empty(fp))]
        if len(fp):
            merged = shapely.difference(merged, shapely.disjoint_subset_union_all(fp))
        return merged

    if len(groups):
        workers = workers or min(os.cpu_count() or 1, 8)
        if workers > 1 and len(groups) > 1:
            with ThreadPoolExecutor(workers) as pool:
                merged = list(pool.map(union_cluster, groups.tolist()))
        else:
            merged = [union_cluster(g) for g in groups.tolist()]
        results.append(np.array(merged, dtype=object))
    everything = np.concatenate(results) if results else np.empty(0, dtype=object)
    parts = shapely.get_parts(everything)
    parts = parts[(shapely.get_type_id(parts) == 3) & (shapely.area(parts) >= MIN_PART_AREA_M2)]
    return ShadowUnion(parts, clusters=int(count))


def wall_pieces(
    polygons: np.ndarray, height_m: np.ndarray, base_m: np.ndarray, offset: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The shadow as simple pieces: one quadrilateral per sunlit wall plus the footprint moved to
    the base and to the top (rasterising without unions, and an independent check).

    Returns (k,) Polygons and (k,) their part index. Their union per part equals
    :func:`building_shadows`.
    """
    polygons = np.asarray(polygons, dtype=object)
    keep = np.flatnonzero(casting(height_m, base_m) & ~shapely.is_empty(polygons))
    if not len(keep):
        return np.empty(0, dtype=object), np.empty(0, np.int64)
    offset = per_part(offset, len(polygons))[keep]
    parts = shapely.orient_polygons(polygons[keep])
    base = np.asarray(base_m, float)[keep]
    top = np.asarray(height_m, float)[keep]
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring_of_point = shapely.get_coordinates(rings, return_index=True)
    same_ring = ring_of_point[1:] == ring_of_point[:-1]
    a, b = coords[:-1][same_ring], coords[1:][same_ring]
    owner = ring_part[ring_of_point[:-1][same_ring]]
    d = b - a
    # a wall facing the sun: moving along +offset enters the solid through it
    sunlit = d[:, 1] * offset[owner, 0] - d[:, 0] * offset[owner, 1] < 0
    a, b, owner = a[sunlit], b[sunlit], owner[sunlit]
    v0 = base[owner, None] * offset[owner]
    v1 = top[owner, None] * offset[owner]
    quads = shapely.polygons(np.stack([a + v0, b + v0, b + v1, a + v1, a + v0], axis=1))
    point_part = ring_part[ring_of_point]
    moved_top = shapely.set_coordinates(parts.copy(), coords + top[point_part, None] * offset[point_part])
    moved_base = shapely.set_coordinates(parts.copy(), coords + base[point_part, None] * offset[point_part])
    pieces = np.concatenate([quads, moved_top, moved_base])
    index = np.concatenate([keep[owner], keep, keep])
    return pieces, index
