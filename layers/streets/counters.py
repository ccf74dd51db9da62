"""Counters placed on the street network: which street a counter measures, and flows at a time.

Bike, car and pedestrian counters are points near a street. :func:`link_counters` joins each
counter of a :class:`~layers.sensors.layer.SensorLayer` to its nearest street of a
:class:`~layers.streets.layer.StreetsLayer` (both in the scene CRS, metres), within ``max_distance_m``,
and cuts the piece of that street around the counter (``reach_m`` on each side) that the viewer
colours by the count at the clock time. Two counters on one street (one per direction, as loops
usually are) get opposite ``side`` values, so they are drawn as two offset ribbons.

All joins are vectorised (``shapely.STRtree.query_nearest``, ``line_locate_point``); only the
cutting of the few matched pieces walks the counters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import shapely
import shapely.ops

from layers.core.geometry import Polylines, line_arrays

if TYPE_CHECKING:
    from layers.sensors.layer import SensorLayer
    from layers.streets.layer import StreetsLayer

#: a counter further than this from every street is not placed on the network (metres)
MAX_DISTANCE_M = 40.0
#: the piece of street coloured on each side of a counter (metres)
REACH_M = 90.0
_BACKWARD = re.compile(
    r"(vers|direction|dir\.?)\s+(sud|ouest|s\b|o\b|w\b)|\b(sortie|retour|inbound|southbound|westbound)\b|reversed",
    re.I,
)
_FORWARD = re.compile(
    r"(vers|direction|dir\.?)\s+(nord|est|n\b|e\b)|\b(entr[ée]e|aller|outbound|northbound|eastbound)\b", re.I
)


@dataclass
class CounterLinks:
    """Counters joined to streets.

    Attributes
    ----------
    sensor : (K,) int   row of the counter in the sensor layer
    street : (K,) int   row of its street in the streets layer's frame
    distance_m : (K,) float
    side : (K,) int     0 alone on its street; -1 / +1 for the two directions of one street
    pieces : Polylines  the piece of street coloured for each link (``owner`` = link index)
    """

    sensor: np.ndarray
    street: np.ndarray
    distance_m: np.ndarray
    side: np.ndarray
    pieces: Polylines

    @property
    def count(self) -> int:
        return len(self.sensor)


def link_counters(
    streets: StreetsLayer,
    sensors: SensorLayer,
    *,
    max_distance_m: float = MAX_DISTANCE_M,
    reach_m: float = REACH_M,
) -> CounterLinks:
    """Join every counter of ``sensors`` to the nearest street of ``streets`` (same metric CRS)."""
    geoms = np.asarray(shapely.force_2d(np.asarray(streets.frame.geometry.values)))
    points = np.asarray(shapely.points(np.asarray(sensors.xy, dtype=float)))
    tree = shapely.STRtree(geoms)
    (which, street), distance = tree.query_nearest(
        points, max_distance=max_distance_m, return_distance=True, all_matches=False
    )
    order = np.argsort(which, kind="stable")
    sensor_rows, street_rows, distance = which[order], street[order], distance[order]
    lines = geoms[street_rows]
    along = np.asarray(shapely.line_locate_point(lines, points[sensor_rows]), dtype=np.float64)
    length = np.asarray(shapely.length(lines), dtype=np.float64)
    start = np.clip(along - reach_m, 0, None)
    end = np.minimum(along + reach_m, length)
    pieces = (
        [shapely.ops.substring(line, a, b) if b > a else line for line, a, b in zip(lines, start, end)]
        if len(lines)
        else []
    )
    side = _sides(street_rows, sensor_rows, sensors)
    arrays = (
        line_arrays(np.asarray(pieces, dtype=object))
        if pieces
        else Polylines(np.empty((0, 2)), np.zeros(1, np.int64), np.empty(0, np.int64))
    )
    return CounterLinks(sensor_rows.astype(np.int64), street_rows.astype(np.int64), distance, side, arrays)


def _sides(street_rows: np.ndarray, sensor_rows: np.ndarray, sensors: SensorLayer) -> np.ndarray:
    """-1 / +1 for counters sharing a street (the one whose name says south / west / exit is -1),
    0 for a counter alone on its street."""
    side = np.zeros(len(street_rows), dtype=np.int64)
    names = [str(sensors.names[i]) for i in sensor_rows]
    for street in np.unique(street_rows):
        members = np.flatnonzero(street_rows == street)
        if len(members) < 2:
            continue
        scores = [
            (-1 if _BACKWARD.search(names[m]) else (1 if _FORWARD.search(names[m]) else 0)) for m in members
        ]
        ranked = sorted(range(len(members)), key=lambda k: (scores[k], k))
        for rank, k in enumerate(ranked):
            side[members[k]] = -1 if rank < len(members) / 2 else 1
    return side


def counts_at(
    sensors: SensorLayer, links: CounterLinks, t: datetime | int, frame_advance_s: float | None = None
) -> np.ndarray:
    """(K,) the count of each linked counter at ``t`` (NaN: no reading); ``frame_advance_s`` as
    :meth:`layers.sensors.layer.SensorLayer.values_at` takes it (hourly / daily means in a fast
    replay)."""
    values, _ = sensors.values_at(t, frame_advance_s=frame_advance_s)
    return np.asarray(values, dtype=np.float64)[links.sensor] if links.count else np.empty(0)


def street_flows_at(
    streets: StreetsLayer,
    sensors: SensorLayer,
    links: CounterLinks,
    t: datetime | int,
    frame_advance_s: float | None = None,
) -> np.ndarray:
    """(n streets,) the counted flow at ``t`` on each street carrying a counter (the sum of its
    counters, e.g. both directions), NaN elsewhere."""
    out = np.full(streets.feature_count(), np.nan)
    if not links.count:
        return out
    counts = counts_at(sensors, links, t, frame_advance_s)
    have = np.isfinite(counts)
    sums = np.bincount(links.street[have], weights=counts[have], minlength=len(out))
    seen = np.bincount(links.street[have], minlength=len(out)) > 0
    out[seen] = sums[seen]
    return out
