"""The sea of an OpenStreetMap extract, from its coastline.

OpenStreetMap draws no sea polygon: the sea is what lies on the right of the ``natural=coastline``
ways (land on their left, by the map's convention). A coastal town without its sea floats in a
void, so the extract's coastline is turned into the sea over the box the model covers:

1. the coastline ways are merged into lines; an open line is extended straight on from both ends
   (an extract cuts the coast at its edge) until it leaves the box;
2. the box is cut into faces by those lines (``shapely.polygonize``);
3. each face is sea or land by a vote of points set just to the right (sea) and to the left (land)
   of every segment of the coast.

Everything is in degrees (EPSG:4326), as the extract is read.
"""

from __future__ import annotations

import numpy as np
import shapely

#: how far beside the coast the vote's points are set, in degrees (about 10 cm)
SIDE_DEG = 1e-6


def sea_polygon(coastlines: np.ndarray, box: shapely.Polygon) -> shapely.Geometry | None:
    """The sea within ``box`` bounded by ``coastlines`` ((n,) LineStrings, land on their left);
    ``None`` when they do not cut the box into sea and land."""
    lines = [g for g in coastlines if g is not None and not shapely.is_empty(g)]
    if not lines:
        return None
    merged = shapely.line_merge(shapely.union_all(lines))
    parts = list(getattr(merged, "geoms", [merged]))
    reach = 2.0 * float(np.hypot(*(np.subtract(box.bounds[2:], box.bounds[:2]))))
    cutters = [_extended(line, reach) if not line.is_closed else line for line in parts]
    pieces = shapely.intersection(shapely.union_all([box.boundary, *cutters]), box)
    faces = np.asarray(shapely.get_parts(shapely.polygonize([pieces])))
    if len(faces) < 2:
        return None
    sea_points, land_points = _sides(parts)
    sea_votes = np.asarray([shapely.contains(face, sea_points).sum() for face in faces])
    land_votes = np.asarray([shapely.contains(face, land_points).sum() for face in faces])
    sea = faces[sea_votes > land_votes]
    if not len(sea) or len(sea) == len(faces):
        return None
    return shapely.union_all(sea)


def _extended(line: shapely.LineString, reach: float) -> shapely.LineString:
    """``line`` with both ends carried straight on by ``reach`` degrees."""
    xy = np.asarray(line.coords)[:, :2]
    start = xy[0] + _unit(xy[0] - xy[1]) * reach
    end = xy[-1] + _unit(xy[-1] - xy[-2]) * reach
    return shapely.LineString(np.vstack([start, xy, end]))


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.hypot(*v))
    return v / norm if norm > 0 else v


def _sides(parts: list[shapely.LineString]) -> tuple[np.ndarray, np.ndarray]:
    """Points just right (sea) and left (land) of the middle of every segment of ``parts``."""
    right, left = [], []
    for line in parts:
        xy = np.asarray(line.coords)[:, :2]
        if len(xy) < 2:
            continue
        mid = (xy[1:] + xy[:-1]) / 2
        d = xy[1:] - xy[:-1]
        length = np.hypot(d[:, 0], d[:, 1])
        keep = length > 0
        normal = np.column_stack([d[keep, 1], -d[keep, 0]]) / length[keep, None]  # to the right
        right.append(mid[keep] + normal * SIDE_DEG)
        left.append(mid[keep] - normal * SIDE_DEG)
    if not right:
        return np.empty(0, dtype=object), np.empty(0, dtype=object)
    return np.asarray(shapely.points(np.vstack(right))), np.asarray(shapely.points(np.vstack(left)))
