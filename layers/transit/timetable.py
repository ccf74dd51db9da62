"""A GTFS timetable as flat arrays, and the vehicles' positions it gives, all vectorised.

At load the trips become:

* one *knot* per arrival and per departure of every trip, sorted by (trip, time), with its
  position: a stop, or a fractional point index along the trip's shape;
* per trip: its route, service, direction, shape, first and last times;
* per stop time (row): its trip, stop and departure, for the departures of a stop.

:meth:`Timetable.positions` then finds every running trip's knot with one ``searchsorted`` and
interpolates positions, between stops or along shapes. Times are service-day seconds (GTFS: from
"noon minus 12 h" local time, past 24:00:00 for trips running after midnight).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.core.errors import InputError
from layers.transit.gtfs import Shapes, gtfs_seconds, sample

#: a knot key is trip_row << TIME_BITS | time_s (times up to 2**21 s ≈ 24 days)
TIME_BITS = 21


@dataclass
class Timetable:
    """The trips of a feed: T trips, R stop times (rows), K = 2 R knots.

    Attributes
    ----------
    trip_ids : numpy.ndarray
        (T,) str, the trips kept (those with at least two timed, located stops).
    trip_route, trip_service, trip_direction, trip_shape : numpy.ndarray
        (T,) int64: row of the layer's routes, column of its service days, ``direction_id``,
        index of its shape (-1: unknown route, unknown service, no direction, no shape).
    trip_start, trip_end : numpy.ndarray
        (T,) float64 service-day seconds of each trip's first and last knot.
    trip_last_knot : numpy.ndarray
        (T,) int64 index of each trip's last knot.
    lookback_days : int
        Days a trip can reach past its service day (1 for a trip ending at 25:15).
    knot_key : numpy.ndarray
        (K,) int64 ``trip << TIME_BITS | seconds``, non-decreasing.
    knot_stop : numpy.ndarray
        (K,) int32 row of the layer's stops.
    knot_point : numpy.ndarray
        (K,) float64 fractional index into the shape points (NaN: no shape).
    row_trip, row_stop : numpy.ndarray
        (R,) int32 trip and stop of each stop time, in trip and stop order.
    row_departure : numpy.ndarray
        (R,) float32 service-day seconds of each departure.
    row_last : numpy.ndarray
        (R,) bool: the last stop of its trip (no departure).
    knot_arc, shape_cum : numpy.ndarray
        (K,) and (P,) arc lengths along the shapes in the layer's current CRS (shapes laid end to
        end with a gap of 1), kept by :meth:`update_arcs`.
    """

    trip_ids: np.ndarray
    trip_route: np.ndarray
    trip_service: np.ndarray
    trip_direction: np.ndarray
    trip_shape: np.ndarray
    trip_start: np.ndarray
    trip_end: np.ndarray
    trip_last_knot: np.ndarray
    lookback_days: int
    knot_key: np.ndarray
    knot_stop: np.ndarray
    knot_point: np.ndarray
    row_trip: np.ndarray
    row_stop: np.ndarray
    row_departure: np.ndarray
    row_last: np.ndarray
    knot_arc: np.ndarray = field(default_factory=lambda: np.empty(0))
    shape_cum: np.ndarray = field(default_factory=lambda: np.empty(0))

    def knot_time(self, k: np.ndarray) -> np.ndarray:
        """Service-day seconds of knots ``k`` (the low bits of their keys)."""
        return (self.knot_key[k] & ((1 << TIME_BITS) - 1)).astype(np.float64)

    def update_arcs(self, shapes: Shapes) -> None:
        """Arc lengths in the shapes' current CRS: of shape points (with a gap between shapes),
        of knots."""
        self.shape_cum = _cumulative_lengths(shapes.points, shapes.offsets, gap=1.0)
        self.knot_arc = np.full(len(self.knot_point), np.nan)
        on = np.isfinite(self.knot_point)
        if on.any():
            g = self.knot_point[on]
            shape = self.trip_shape[self.knot_key[on] >> TIME_BITS]
            j = np.minimum(np.floor(g).astype(np.int64), shapes.offsets[shape + 1] - 2)
            self.knot_arc[on] = self.shape_cum[j] + (g - j) * (self.shape_cum[j + 1] - self.shape_cum[j])

    def positions(
        self, trips: np.ndarray, seconds: np.ndarray, stops_xy: np.ndarray, shapes: Shapes
    ) -> np.ndarray:
        """(V, 2) positions of running ``trips`` at service-day ``seconds`` (V,), in the CRS of
        ``stops_xy`` and ``shapes``: interpolated in time between consecutive knots, along the
        shape when both knots are on one (a vehicle dwells at a stop between its arrival and its
        departure)."""
        query = (trips << TIME_BITS) | np.floor(seconds).astype(np.int64)
        k = np.searchsorted(self.knot_key, query, side="right") - 1
        k = np.minimum(k, self.trip_last_knot[trips] - 1)
        t0, t1 = self.knot_time(k), self.knot_time(k + 1)
        span = t1 - t0
        f = np.clip(np.divide(seconds - t0, span, out=np.zeros_like(span), where=span > 0), 0.0, 1.0)
        xy = np.empty((len(trips), 2))
        on_shape = np.isfinite(self.knot_arc[k]) & np.isfinite(self.knot_arc[k + 1])
        if (~on_shape).any():
            a = stops_xy[self.knot_stop[k[~on_shape]]]
            b = stops_xy[self.knot_stop[k[~on_shape] + 1]]
            xy[~on_shape] = a + f[~on_shape, None] * (b - a)
        if on_shape.any():
            kk = k[on_shape]
            arc = self.knot_arc[kk] + f[on_shape] * (self.knot_arc[kk + 1] - self.knot_arc[kk])
            shape = self.trip_shape[trips[on_shape]]
            cum = self.shape_cum
            j = np.searchsorted(cum, arc, side="right") - 1
            j = np.clip(j, shapes.offsets[shape], shapes.offsets[shape + 1] - 2)
            seg = cum[j + 1] - cum[j]
            u = np.clip(np.divide(arc - cum[j], seg, out=np.zeros_like(seg), where=seg > 0), 0.0, 1.0)
            p, q = shapes.points[j], shapes.points[j + 1]
            xy[on_shape] = p + u[:, None] * (q - p)
        return xy


def build_timetable(
    feed: Any,
    path: Path,
    *,
    stop_ids: np.ndarray,
    stops_xy: np.ndarray,
    route_ids: pd.Index,
    service_ids: pd.Index,
    shapes: Shapes,
    geographic: bool,
    warnings: list[str],
) -> Timetable:
    """The timetable of ``feed``'s trips and stop times, placed on the layer's stops (``stop_ids``
    (K,), ``stops_xy`` (K, 2)), routes, service days and ``shapes`` (``geographic``: their CRS is
    lon/lat); :class:`InputError` when no trip can be placed, what was left out noted in
    ``warnings``."""
    trips = feed.trips.reset_index(drop=True)
    trip_ids = trips["trip_id"].str.strip()
    st = feed.stop_times
    st_trip = pd.Index(trip_ids).get_indexer(st["trip_id"].str.strip())
    st_stop = pd.Index(stop_ids).get_indexer(st["stop_id"].str.strip())
    sequence = pd.to_numeric(st["stop_sequence"], errors="coerce").fillna(-1).to_numpy(np.int64)
    arrival = gtfs_seconds(st["arrival_time"], path, "arrival_time")
    departure = gtfs_seconds(st["departure_time"], path, "departure_time")
    arrival = np.where(np.isnan(arrival), departure, arrival)
    departure = np.where(np.isnan(departure), arrival, departure)
    dist = (
        pd.to_numeric(st["shape_dist_traveled"], errors="coerce").to_numpy(float)
        if "shape_dist_traveled" in st
        else np.full(len(st), np.nan)
    )

    # rows of unknown trips are dropped; so are stops without a position (vehicles go
    # straight from the stop before to the stop after)
    unknown = (st_stop < 0) & (st_trip >= 0)
    absent = np.setdiff1d(
        st["stop_id"].str.strip().to_numpy(dtype=str)[unknown],
        feed.stops["stop_id"].str.strip().to_numpy(dtype=str),
    )
    if len(absent):
        warnings.append(f"stop_times name stops absent from stops.txt, skipped: {sample(absent)}")
    order = np.lexsort((sequence, st_trip))
    order = order[(st_trip[order] >= 0) & (st_stop[order] >= 0)]
    st_trip, st_stop, arrival, departure, dist = (
        st_trip[order],
        st_stop[order],
        arrival[order],
        departure[order],
        dist[order],
    )
    departure, arrival = _interpolate_missing(st_trip, departure, arrival)
    rows_per_trip = np.bincount(st_trip, minlength=len(trips))
    incomplete = np.zeros(len(trips), dtype=bool)
    incomplete[st_trip[np.isnan(departure)]] = True
    drop = incomplete | (rows_per_trip < 2)
    if incomplete.any():
        warnings.append(f"{int(incomplete.sum())} trips lack a first or last time: left out")
    keep_rows = ~drop[st_trip]
    st_trip, st_stop, arrival, departure, dist = (
        st_trip[keep_rows],
        st_stop[keep_rows],
        arrival[keep_rows],
        departure[keep_rows],
        dist[keep_rows],
    )
    kept = np.flatnonzero(~drop)
    if len(kept) == 0:
        raise InputError(
            path,
            "no trip of the GTFS feed can be placed (stop_times.txt empty, "
            "or every trip lacks times or stops)",
        )
    renumber = np.full(len(trips), -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    st_trip = renumber[st_trip]
    trips = trips.iloc[kept].reset_index(drop=True)

    route_row = route_ids.get_indexer(trips["route_id"].str.strip())
    if (route_row < 0).any():
        warnings.append(f"{int((route_row < 0).sum())} trips name a route absent from routes.txt")
    direction = (
        pd.to_numeric(trips["direction_id"], errors="coerce")
        if "direction_id" in trips
        else pd.Series(np.nan, index=trips.index)
    )
    shape_of_trip = (
        shapes.ids.get_indexer(trips["shape_id"].str.strip())
        if "shape_id" in trips and len(shapes.ids)
        else np.full(len(trips), -1)
    )
    trip_shape = np.asarray(shape_of_trip, dtype=np.int64)

    # one knot per arrival and per departure; times made non-decreasing within each trip
    time_s = np.column_stack([arrival, departure]).ravel()
    time_s = np.clip(np.round(time_s), 0, (1 << TIME_BITS) - 1).astype(np.int64)
    knot_trip = np.repeat(st_trip, 2)
    key = np.maximum.accumulate((knot_trip << TIME_BITS) | time_s)
    first = np.searchsorted(knot_trip, np.arange(len(kept)), side="left")
    last = np.searchsorted(knot_trip, np.arange(len(kept)), side="right") - 1
    times = (key & ((1 << TIME_BITS) - 1)).astype(np.float64)
    trip_end = times[last]
    point = _shape_positions(st_trip, st_stop, dist, trip_shape, shapes, stops_xy, geographic, warnings)
    timetable = Timetable(
        trip_ids=trips["trip_id"].str.strip().to_numpy(dtype=object),
        trip_route=route_row,
        trip_service=service_ids.get_indexer(trips["service_id"].str.strip()),
        trip_direction=direction.fillna(-1).to_numpy(np.int64),
        trip_shape=trip_shape,
        trip_start=times[first],
        trip_end=trip_end,
        trip_last_knot=last,
        # days a trip can reach past its service day (a trip ending at 25:15 shows the day after)
        lookback_days=max(0, int(math.ceil(trip_end.max() / 86_400.0)) - 1),
        knot_key=key,
        knot_stop=np.repeat(st_stop, 2).astype(np.int32),
        knot_point=point,
        row_trip=st_trip.astype(np.int32),
        row_stop=st_stop.astype(np.int32),
        row_departure=departure.astype(np.float32),
        row_last=np.r_[st_trip[1:] != st_trip[:-1], True],
    )
    timetable.update_arcs(shapes)
    return timetable


def _shape_positions(
    st_trip: np.ndarray,
    st_stop: np.ndarray,
    dist: np.ndarray,
    trip_shape: np.ndarray,
    shapes: Shapes,
    stops_xy: np.ndarray,
    geographic: bool,
    warnings: list[str],
) -> np.ndarray:
    """(2R,) fractional index into the shape points of every knot (NaN: no shape)."""
    rows = len(st_trip)
    point = np.full(rows, np.nan)
    shape = trip_shape[st_trip]
    on_shape = shape >= 0
    if not on_shape.any():
        return np.repeat(point, 2)
    by_distance = np.zeros(rows, dtype=bool)
    if shapes.dist is not None:
        by_distance[on_shape] = np.isfinite(dist[on_shape])
    if shapes.dist is not None and by_distance.any():
        point[by_distance] = _fractional_index(
            shapes.dist, shapes.offsets, shape[by_distance], dist[by_distance]
        )
    project = on_shape & ~by_distance
    if project.any():
        point[project] = _project_stops(shape[project], st_stop[project], shapes, stops_xy, geographic)
    # vehicles never move backwards along the shape; a loop's last stop is the shape's end
    previous = np.r_[np.nan, point[:-1]]
    last_row = np.r_[st_trip[1:] != st_trip[:-1], True]
    same_trip = np.r_[False, st_trip[1:] == st_trip[:-1]]
    backwards = same_trip & on_shape & (point < previous)
    loop_end = backwards & last_row
    point[loop_end] = shapes.offsets[shape[loop_end] + 1] - 1
    # a shape drawn against the stop order (or not passing by the stops): straight lines instead
    trip_count = int(st_trip.max()) + 1
    steps = np.bincount(st_trip, minlength=trip_count) - 1
    reversed_trip = np.bincount(st_trip[backwards & ~last_row], minlength=trip_count) > 0.25 * np.maximum(
        steps, 1
    )
    if reversed_trip.any():
        warnings.append(
            f"{int(reversed_trip.sum())} trips run against their shape's direction: drawn stop to stop"
        )
        unusable = reversed_trip[st_trip]
        point[unusable] = np.nan
        on_shape &= ~unusable
    starts, ends = shapes.offsets[shape[on_shape]], shapes.offsets[shape[on_shape] + 1]
    big = float(len(shapes.points) + 1)
    filled = np.where(on_shape, point, 0.0) + st_trip * big
    point = np.where(on_shape, np.maximum.accumulate(filled) - st_trip * big, np.nan)
    point[on_shape] = np.clip(point[on_shape], starts, ends - 1)
    return np.repeat(point, 2)


def _project_stops(
    shape: np.ndarray, stop: np.ndarray, shapes: Shapes, stops_xy: np.ndarray, geographic: bool
) -> np.ndarray:
    """Fractional shape-point index of the stops' projections on their trips' shapes."""
    import shapely

    pairs, inverse = np.unique(np.column_stack([shape, stop]), axis=0, return_inverse=True)
    lat0 = math.radians(float(np.nanmean(shapes.points[:, 1]))) if geographic else 0.0
    scale = np.array([math.cos(lat0), 1.0]) if geographic else np.ones(2)
    points = shapes.points * scale
    lines = np.asarray(
        shapely.linestrings(points, indices=np.repeat(np.arange(len(shapes.ids)), np.diff(shapes.offsets)))
    )
    located = shapely.points(stops_xy[pairs[:, 1]] * scale)
    along = np.asarray(shapely.line_locate_point(lines[pairs[:, 0]], located), dtype=np.float64)
    cumulative = _cumulative_lengths(points, shapes.offsets)
    return _fractional_index(cumulative, shapes.offsets, pairs[:, 0], along)[inverse.ravel()]


def _interpolate_missing(
    trip: np.ndarray, departure: np.ndarray, arrival: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Times of untimed stops, linear in stop order between the timed ones of the same trip."""
    missing = np.isnan(departure)
    if not missing.any():
        return departure, arrival
    index = np.arange(len(departure))
    previous = np.maximum.accumulate(np.where(~missing, index, -1))
    following = np.minimum.accumulate(np.where(~missing, index, len(index))[::-1])[::-1]
    ok = missing & (previous >= 0) & (following < len(index))
    ok[ok] &= (trip[previous[ok]] == trip[ok]) & (trip[following[ok]] == trip[ok])
    p, n = previous[ok], following[ok]
    filled = departure[p] + (arrival[n] - departure[p]) * (index[ok] - p) / (n - p)
    departure, arrival = departure.copy(), arrival.copy()
    departure[ok] = filled
    arrival[ok] = filled
    return departure, arrival


def _cumulative_lengths(points: np.ndarray, offsets: np.ndarray, gap: float = 0.0) -> np.ndarray:
    """Arc length at every point, restarting at each line (plus ``gap`` × line index when > 0, so
    that the lines' ranges never touch and one ``searchsorted`` serves them all)."""
    if len(points) == 0:
        return np.empty(0)
    step = np.r_[0.0, np.hypot(*np.diff(points, axis=0).T)]
    step[offsets[:-1]] = 0.0
    cumulative = np.cumsum(step)
    line = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    base = cumulative[offsets[:-1]]
    result = cumulative - base[line]
    if gap > 0:
        lengths = result[offsets[1:] - 1]
        starts = np.r_[0.0, np.cumsum(lengths + gap)[:-1]]
        result = result + starts[line]
    return result


def _fractional_index(
    measure: np.ndarray, offsets: np.ndarray, line: np.ndarray, value: np.ndarray
) -> np.ndarray:
    """Fractional point index where each line's per-point ``measure`` (non-decreasing within a
    line, restarting per line) reaches ``value``; clamped to the line's ends."""
    start, end = offsets[line], offsets[line + 1]
    # lift every line above the previous ones so that one searchsorted serves them all
    span = float(np.nanmax(np.abs(measure))) * 2 + 1 if len(measure) else 1.0
    point_line = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    lifted = np.maximum.accumulate(measure + point_line * span)
    target = value + line * span
    j = np.clip(np.searchsorted(lifted, target, side="right") - 1, start, end - 2)
    seg = lifted[j + 1] - lifted[j]
    f = np.clip(np.divide(target - lifted[j], seg, out=np.zeros_like(seg), where=seg > 0), 0.0, 1.0)
    return j + f
