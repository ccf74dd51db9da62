"""The street network as segments between intersections, with traffic, and a routing graph."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

from .common import rng as make_rng


@dataclass
class Segments:
    """One row per street segment (local metres)."""

    geometry: np.ndarray  # LineString objects
    nom: list[str]
    classe: list[str]
    tmja: np.ndarray  # int, vehicles/day
    vitesse_kmh: np.ndarray  # int
    pont: np.ndarray  # bool
    corridor_m: np.ndarray  # float, street width used for the blocks


def street_segments(layout) -> Segments:
    """Node every street with every other one and cut them at the crossings."""
    rng = make_rng("segments")
    parts, owner = [], []
    for k, s in enumerate(layout.streets):
        for p in shapely.get_parts(s.geom):
            parts.append(p)
            owner.append(k)
    parts = np.array(parts, dtype=object)
    owner = np.array(owner)
    noded = shapely.get_parts(shapely.union_all(parts))  # cut at every crossing
    noded = np.array([g for g in noded if g.length > 0.01], dtype=object)
    noded = _drop_short_dangles(noded, 3.0)

    mids = shapely.line_interpolate_point(noded, 0.5, normalized=True)
    tree = shapely.STRtree(parts)
    nearest = tree.nearest(mids)
    src = [layout.streets[owner[i]] for i in nearest]
    variation = rng.lognormal(0.0, 0.09, len(noded))
    tmja = np.array([int(round(s.tmja_base * f, -1)) for s, f in zip(src, variation)])
    lo = np.array([{"principale": 10000, "secondaire": 2500, "desserte": 500}[s.classe] for s in src])
    hi = np.array([{"principale": 30000, "secondaire": 12000, "desserte": 3000}[s.classe] for s in src])
    tmja = np.clip(tmja, lo, hi)
    water = shapely.length(shapely.intersection(noded, layout.river))
    order = np.lexsort(
        (shapely.get_coordinates(mids)[:, 0].round(2), shapely.get_coordinates(mids)[:, 1].round(2))
    )
    return Segments(
        geometry=noded[order],
        nom=[src[i].nom for i in order],
        classe=[src[i].classe for i in order],
        tmja=tmja[order].astype(np.int64),
        vitesse_kmh=np.array([src[i].vitesse_kmh for i in order], dtype=np.int64),
        pont=(water > 0.5 * shapely.length(noded))[order],
        corridor_m=np.array([src[i].corridor_m for i in order]),
    )


def _drop_short_dangles(lines: np.ndarray, min_length_m: float) -> np.ndarray:
    """Remove stubs shorter than ``min_length_m`` that end in nothing (left over from clipping)."""
    ends = np.round(
        np.concatenate(
            [
                shapely.get_coordinates(shapely.get_point(lines, 0)),
                shapely.get_coordinates(shapely.get_point(lines, -1)),
            ]
        ),
        2,
    )
    _, inverse, counts = np.unique(ends, axis=0, return_inverse=True, return_counts=True)
    deg = counts[inverse.ravel()]
    n = len(lines)
    free = (deg[:n] == 1) | (deg[n:] == 1)
    keep = ~(free & (shapely.length(lines) < min_length_m))
    return lines[keep]


class RoadGraph:
    """Shortest paths along the segments (for bus routes): buses prefer the main streets and never
    take the narrow passages."""

    FACTOR = {"principale": 1.0, "secondaire": 1.3, "desserte": 2.2}

    def __init__(self, segments: Segments) -> None:
        geoms = segments.geometry
        a = np.round(shapely.get_coordinates(shapely.get_point(geoms, 0)), 2)
        b = np.round(shapely.get_coordinates(shapely.get_point(geoms, -1)), 2)
        nodes, inverse = np.unique(np.concatenate([a, b]), axis=0, return_inverse=True)
        inverse = inverse.ravel()
        n = len(geoms)
        self.nodes = nodes
        self.geoms = geoms
        self.start, self.end = inverse[:n], inverse[n:]
        length = shapely.length(geoms)
        cost = length * np.array([self.FACTOR[c] for c in segments.classe])
        cost = np.where(segments.vitesse_kmh <= 20, cost * 50.0, cost)
        m = len(nodes)
        rows = np.concatenate([self.start, self.end])
        cols = np.concatenate([self.end, self.start])
        w = np.concatenate([cost, cost])
        self.matrix = coo_matrix((w, (rows, cols)), shape=(m, m)).tocsr()
        self._edge = {}
        for k in range(n):
            for key in ((self.start[k], self.end[k]), (self.end[k], self.start[k])):
                if key not in self._edge or cost[k] < cost[self._edge[key]]:
                    self._edge[key] = k

    def nearest_node(self, point) -> int:
        d = np.hypot(self.nodes[:, 0] - point[0], self.nodes[:, 1] - point[1])
        return int(np.argmin(d))

    def path(self, waypoints) -> np.ndarray:
        """Coordinates (n, 2) of the shortest path through the nodes nearest the waypoints."""
        ids = [self.nearest_node(p) for p in waypoints]
        coords: list[np.ndarray] = []
        for a, b in zip(ids[:-1], ids[1:]):
            _, pred = dijkstra(self.matrix, indices=a, return_predecessors=True)
            chain = [b]
            while chain[-1] != a:
                chain.append(pred[chain[-1]])
                if chain[-1] < 0:
                    raise RuntimeError("waypoints not connected")
            chain.reverse()
            for u, v in zip(chain[:-1], chain[1:]):
                k = self._edge[(u, v)]
                xy = shapely.get_coordinates(self.geoms[k])
                if np.allclose(np.round(xy[0], 2), self.nodes[u]):
                    pass
                else:
                    xy = xy[::-1]
                coords.append(xy if not coords else xy[1:])
        return _without_spurs(np.concatenate(coords))


def _without_spurs(xy: np.ndarray) -> np.ndarray:
    """Remove there-and-back detours (A → B → A) left where a waypoint sat off the best path."""
    out: list[np.ndarray] = []
    for p in xy:
        if len(out) >= 2 and np.allclose(out[-2], p, atol=0.01):
            out.pop()
            continue
        if out and np.allclose(out[-1], p, atol=0.01):
            continue
        out.append(p)
    return np.array(out)
