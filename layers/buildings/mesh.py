"""Extruded building meshes from footprints, fast enough for a whole metropolis.

:func:`extrude` reads every footprint's coordinates at once (``shapely.to_ragged_array``), then works
on flat numpy arrays: each ring vertex becomes a bottom and a top point; walls are two triangles per
ring segment; roofs are triangulated in place on the top points, so nothing is duplicated.

Roofs: a convex footprint without courtyard (most buildings: rectangles, most row houses) is cut
into a fan, vectorised over all of them at once; the others (L-shapes, courtyards, irregular
outlines) go through earcut (``mapbox_earcut``, the C++ library behind Mapbox GL), one call per
footprint. Every face is wound so its normal points out of the building whatever the orientation of
the rings in the file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from layers.core.slices import ragged_polygons

#: a footprint edge shorter than this (metres) counts as a repeated point
EPSILON_M = 1e-9


@dataclass
class BuildingMesh:
    """Closed-looking building solids as one triangle mesh.

    Attributes
    ----------
    points
        (P, 3) float64 vertices: x, y in the layer CRS (scene CRS metres once reprojected), z in
        metres above the building's ground.
    triangles
        (T, 3) int64 indices into ``points``; counter-clockwise seen from outside (normals point out
        of the building, roofs up, floors of raised parts down).
    owner
        (T,) int64 row of :attr:`BuildingsLayer.frame` of each triangle.
    is_roof
        (T,) bool: the triangle belongs to a roof.
    point_owner
        (P,) int32 (int64 beyond two billion points) row of each point; ``None`` when unknown.
    """

    points: np.ndarray
    triangles: np.ndarray
    owner: np.ndarray
    is_roof: np.ndarray
    point_owner: np.ndarray | None = None

    @property
    def triangle_count(self) -> int:
        return len(self.triangles)

    @classmethod
    def empty(cls) -> BuildingMesh:
        return cls(
            np.empty((0, 3)),
            np.empty((0, 3), np.int64),
            np.empty(0, np.int64),
            np.empty(0, bool),
            np.empty(0, np.int64),
        )


@dataclass
class Rings:
    """The rings of Polygons as flat arrays (closing point kept).

    ``coords`` (C, 2); ring ``r`` is ``coords[ring_offsets[r]:ring_offsets[r + 1]]``; polygon ``p``
    owns rings ``poly_offsets[p]:poly_offsets[p + 1]``, the first one its exterior.
    """

    coords: np.ndarray
    ring_offsets: np.ndarray
    poly_offsets: np.ndarray

    @classmethod
    def of(cls, polygons: np.ndarray) -> Rings:
        polygons = np.asarray(polygons, dtype=object)
        if len(polygons) == 0:
            return cls(np.empty((0, 2)), np.zeros(1, np.int64), np.zeros(1, np.int64))
        return cls(*ragged_polygons(polygons))

    @property
    def ring_count(self) -> int:
        return len(self.ring_offsets) - 1

    def ring_polygon(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.poly_offsets) - 1), np.diff(self.poly_offsets))


def extrude(polygons: np.ndarray, height_m: np.ndarray, base_m: np.ndarray) -> BuildingMesh:
    """Extrude 2D Polygons from ``base_m`` to ``height_m`` (both (n,) metres); see :class:`BuildingMesh`.

    Rings may be oriented either way; polygons must be valid (``shapely.make_valid``) and single.
    """
    height_m = np.asarray(height_m, np.float64)
    base_m = np.asarray(base_m, np.float64)
    rings = Rings.of(polygons)
    coords = rings.coords
    c = len(coords)
    if c == 0:
        return BuildingMesh.empty()
    # a metropolis is tens of millions of vertices: indices in 32 bits where they fit, temporaries
    # freed as soon as used, the final arrays filled in place (no concatenation copies)
    index_type = np.int32 if 2 * c < 2**31 - 1 else np.int64
    ring_count = rings.ring_count
    ring_of_coord = np.repeat(np.arange(ring_count, dtype=index_type), np.diff(rings.ring_offsets))
    poly_of_coord = rings.ring_polygon().astype(index_type)[ring_of_coord]

    # segments i -> i + 1 inside a ring (the last, closing point starts none)
    is_last = np.zeros(c, bool)
    is_last[rings.ring_offsets[1:] - 1] = True
    starts = np.flatnonzero(~is_last).astype(index_type)
    del is_last
    seg_ring = ring_of_coord[starts]
    del ring_of_coord
    # relative to the middle of the data: areas and turns stay exact at Lambert-93 magnitudes
    centre = coords[len(coords) // 2]
    x0 = coords[starts, 0] - centre[0]
    y0 = coords[starts, 1] - centre[1]
    x1 = coords[starts + 1, 0] - centre[0]
    y1 = coords[starts + 1, 1] - centre[1]
    ring_area = np.bincount(seg_ring, weights=x0 * y1 - x1 * y0, minlength=ring_count) / 2.0
    edge = np.column_stack([x1 - x0, y1 - y0])
    del x0, y0, x1, y1
    is_exterior = np.zeros(ring_count, bool)
    is_exterior[rings.poly_offsets[:-1]] = True
    outward = (ring_area > 0) == is_exterior  # building on the left of the ring: walls face right
    length_ok = np.abs(edge).max(axis=1) > EPSILON_M

    roof, roof_owner = triangulate_rings(rings, ring_area, edge, starts, seg_ring, length_ok)
    del edge
    raised = base_m[roof_owner] > 0  # parts that do not touch the ground get a floor, facing down
    a = starts[length_ok]
    flip = ~outward[seg_ring[length_ok]]
    del starts, seg_ring, length_ok
    n_roof, n_floor, n_wall = len(roof), int(raised.sum()), 2 * len(a)
    total = n_roof + n_floor + n_wall
    triangles = np.empty((total, 3), np.int64)
    owner = np.empty(total, np.int64)
    triangles[:n_roof] = roof
    triangles[:n_roof] += c  # roofs on the top points
    triangles[n_roof : n_roof + n_floor] = roof[raised][:, ::-1]
    owner[:n_roof] = roof_owner
    owner[n_roof : n_roof + n_floor] = roof_owner[raised]
    del roof, roof_owner, raised
    # walls: two triangles per non-degenerate segment, (a, b, b') and (a, b', a') facing out
    walls = triangles[n_roof + n_floor :]
    b = a + 1
    walls[0::2, 0] = a
    walls[0::2, 1] = np.where(flip, b + c, b)
    walls[0::2, 2] = np.where(flip, b, b + c)
    walls[1::2, 0] = a
    walls[1::2, 1] = np.where(flip, a + c, b + c)
    walls[1::2, 2] = np.where(flip, b + c, a + c)
    owner[n_roof + n_floor :: 2] = poly_of_coord[a]
    owner[n_roof + n_floor + 1 :: 2] = poly_of_coord[a]
    del a, b, flip

    points = np.empty((2 * c, 3))
    points[:c, :2] = coords
    points[c:, :2] = coords
    points[:c, 2] = base_m[poly_of_coord]
    points[c:, 2] = height_m[poly_of_coord]
    is_roof = np.zeros(total, bool)
    is_roof[:n_roof] = True
    point_owner = np.concatenate([poly_of_coord, poly_of_coord])
    return BuildingMesh(points, triangles, owner, is_roof, point_owner)


def triangulate_rings(
    rings: Rings,
    ring_area: np.ndarray,
    edge: np.ndarray,
    starts: np.ndarray,
    seg_ring: np.ndarray,
    length_ok: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Roof triangles (indices into ``rings.coords``, counter-clockwise seen from above) and the
    polygon of each; see the module docstring for the fan / earcut split."""
    single = np.diff(rings.poly_offsets) == 1
    # convex: no right turn and no left turn together (collinear points allowed); a ring with a
    # repeated point hides its turn there, so it goes to earcut too
    nxt = np.arange(len(starts)) + 1
    ring_first_seg = np.searchsorted(seg_ring, np.arange(rings.ring_count))
    ring_last = np.r_[ring_first_seg[1:], len(starts)] - 1
    nxt[ring_last] = ring_first_seg
    turn = edge[:, 0] * edge[nxt, 1] - edge[:, 1] * edge[nxt, 0]
    scale = np.abs(edge).sum(axis=1) * np.abs(edge[nxt]).sum(axis=1)
    left = np.bincount(seg_ring, weights=turn > 1e-12 * scale, minlength=rings.ring_count) > 0
    right = np.bincount(seg_ring, weights=turn < -1e-12 * scale, minlength=rings.ring_count) > 0
    repeated = np.bincount(seg_ring, weights=~length_ok, minlength=rings.ring_count) > 0
    convex_ring = ~(left & right) & ~repeated
    fan_poly = single & convex_ring[rings.poly_offsets[:-1]]

    # fans over convex single-ring polygons: (v0, vj, vj+1), j = 1 .. k - 2
    fan_rings = rings.poly_offsets[:-1][fan_poly]
    k = np.diff(rings.ring_offsets)[fan_rings] - 1  # distinct vertices
    count = np.maximum(k - 2, 0)
    first = np.repeat(rings.ring_offsets[fan_rings], count)
    j = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count) + 1
    fans = np.column_stack([first, first + j, first + j + 1])
    fan_owner = np.repeat(np.flatnonzero(fan_poly), count)
    clockwise = np.repeat(ring_area[fan_rings] < 0, count)  # fans follow their ring; earcut gives CCW
    fans[clockwise] = fans[clockwise][:, ::-1]

    parts, owners = [fans], [fan_owner]
    other = np.flatnonzero(~fan_poly)
    if len(other):
        tri, own = _earcut(rings, other)
        parts.append(tri)
        owners.append(own)
    triangles = np.concatenate(parts).astype(np.int64, copy=False)
    owner = np.concatenate(owners).astype(np.int64, copy=False)
    return triangles, owner


def _earcut(rings: Rings, polygons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earcut each of ``polygons`` (indices); triangles index ``rings.coords``."""
    import mapbox_earcut

    triangulate = mapbox_earcut.triangulate_float64
    ring_offsets = rings.ring_offsets
    first_ring = rings.poly_offsets[polygons]
    last_ring = rings.poly_offsets[polygons + 1]
    starts = ring_offsets[first_ring]
    stops = ring_offsets[last_ring]
    # every polygon's points relative to its first point (earcut then works on small numbers), and
    # every ring's end relative to its polygon's first point, prepared at once
    sizes = stops - starts
    rel_coords = rings.coords[
        np.repeat(starts, sizes) + (np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes))
    ]
    rel_coords -= np.repeat(rings.coords[starts], sizes, axis=0)
    rel_offsets = np.r_[0, np.cumsum(sizes)]
    ring_counts = last_ring - first_ring
    ring_ends = (
        ring_offsets[1:][
            np.repeat(first_ring, ring_counts)
            + (np.arange(ring_counts.sum()) - np.repeat(np.cumsum(ring_counts) - ring_counts, ring_counts))
        ]
        - np.repeat(starts, ring_counts)
    ).astype(np.uint32)
    end_offsets = np.r_[0, np.cumsum(ring_counts)]
    out = []
    for i in range(len(polygons)):
        out.append(
            triangulate(
                rel_coords[rel_offsets[i] : rel_offsets[i + 1]],
                ring_ends[end_offsets[i] : end_offsets[i + 1]],
            )
        )
    counts = np.fromiter((len(t) for t in out), np.int64, len(out)) // 3
    if counts.sum() == 0:
        return np.empty((0, 3), np.int64), np.empty(0, np.int64)
    triangles = np.concatenate(out).astype(np.int64).reshape(-1, 3)
    triangles += np.repeat(starts, counts)[:, None]
    return triangles, np.repeat(polygons, counts).astype(np.int64)
