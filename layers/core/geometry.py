"""Vectorised geometry → numpy arrays: triangulated polygons, polygon rings, polylines.

Everything works on whole arrays of shapely geometries (GEOS does the loops), never one feature
at a time in Python. Coordinates stay float64 in the layer's CRS; ``owner`` arrays map each output
element back to the index of the input geometry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely


@dataclass
class Triangles:
    """A flat triangulation: ``points`` (P, 2) float64, ``triangles`` (T, 3) indices into points,
    ``owner`` (T,) index of the source geometry of each triangle. Triangles are counter-clockwise
    seen from above (normals point up)."""

    points: np.ndarray
    triangles: np.ndarray
    owner: np.ndarray


@dataclass
class Polylines:
    """Polylines as arrays: ``points`` (P, 2), ``offsets`` (L + 1,) start of each line in points,
    ``owner`` (L,) index of the source geometry of each line (a MultiLineString gives several)."""

    points: np.ndarray
    offsets: np.ndarray
    owner: np.ndarray

    @property
    def count(self) -> int:
        return len(self.owner)

    def segments(self) -> np.ndarray:
        """(S, 2) point-index pairs of every segment, lines not joined to each other."""
        starts = np.arange(len(self.points) - 1)
        # a segment may not start on the last point of a line
        last_points = self.offsets[1:] - 1
        keep = np.ones(len(self.points), bool)
        keep[last_points] = False
        starts = starts[keep[:-1]]
        return np.column_stack([starts, starts + 1])

    def segment_owner(self) -> np.ndarray:
        """Index of the source geometry of each segment of :meth:`segments`."""
        lengths = np.diff(self.offsets) - 1
        return np.repeat(self.owner, np.maximum(lengths, 0))


def triangulate_polygons(geoms: np.ndarray) -> Triangles:
    """Triangulate (Multi)Polygons, holes kept, with GEOS's constrained Delaunay triangulation.

    Invalid geometries must be repaired before (``shapely.make_valid``); empty ones give nothing.
    """
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0:
        return Triangles(np.empty((0, 2)), np.empty((0, 3), np.int64), np.empty(0, np.int64))
    collections = shapely.constrained_delaunay_triangles(geoms)
    counts = shapely.get_num_geometries(collections)
    if counts.sum() == 0:
        return Triangles(np.empty((0, 2)), np.empty((0, 3), np.int64), np.empty(0, np.int64))
    # read the coordinates of the collections at once (every triangle is 4 closed points) rather
    # than exploding into hundreds of thousands of small triangle objects
    coords = shapely.get_coordinates(collections).reshape(-1, 4, 2)[:, :3, :]
    owner = np.repeat(np.arange(len(geoms), dtype=np.int64), counts)
    # orient every triangle counter-clockwise (GEOS gives clockwise ones)
    a, b, c = coords[:, 0], coords[:, 1], coords[:, 2]
    signed = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * (b[:, 1] - a[:, 1])
    flip = signed < 0
    coords[flip] = coords[flip][:, [0, 2, 1]]
    keep = signed != 0
    coords = coords[keep]
    owner = owner[keep]
    points = coords.reshape(-1, 2)
    triangles = np.arange(len(points), dtype=np.int64).reshape(-1, 3)
    return Triangles(points, triangles, owner.astype(np.int64))


def polygon_rings(geoms: np.ndarray) -> Polylines:
    """Every ring (exteriors and holes) of (Multi)Polygons as closed polylines.

    The closing point is kept (first == last), so consecutive points give every wall segment.
    """
    geoms = np.asarray(geoms, dtype=object)
    parts, part_owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    return _as_polylines(rings, part_owner[ring_part])


def line_arrays(geoms: np.ndarray) -> Polylines:
    """(Multi)LineStrings as polylines (also accepts polygon boundaries)."""
    geoms = np.asarray(geoms, dtype=object)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    is_line = shapely.get_type_id(parts) == 1  # LineString
    return _as_polylines(parts[is_line], owner[is_line])


def _as_polylines(lines: np.ndarray, owner: np.ndarray) -> Polylines:
    if len(lines) == 0:
        return Polylines(np.empty((0, 2)), np.zeros(1, np.int64), np.empty(0, np.int64))
    coords, line_index = shapely.get_coordinates(lines, return_index=True)
    counts = np.bincount(line_index, minlength=len(lines))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    nonempty = counts > 0
    if not nonempty.all():
        offsets = np.concatenate([[0], np.cumsum(counts[nonempty])]).astype(np.int64)
        owner = owner[nonempty]
    return Polylines(coords, offsets, np.asarray(owner, np.int64))
