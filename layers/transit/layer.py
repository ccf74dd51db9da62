"""Public transport from a GTFS feed: stops, route lines and the vehicles running at a time.

The feed is read with `gtfs_kit <https://github.com/mrcagney/gtfs_kit>`_ (typed columns, byte
order marks, quoted fields, CRLF, zip or folder, non-standard files ignored); everything after
that is numpy. At load the timetable becomes flat arrays:

* one *knot* per arrival and per departure of every trip, sorted by (trip, time), with its
  position: a stop, or a fractional point index along the trip's shape;
* a (service day × service) boolean calendar built from ``calendar.txt`` + ``calendar_dates.txt``.

:meth:`TransitLayer.vehicles_at` then masks the trips running at ``t`` (for the service day of
``t`` and the previous ones, for trips past 24:00:00), finds every running trip's knot with one
``searchsorted`` and interpolates positions, all vectorised.

Service-day times are counted from "noon minus 12 h" local time, as GTFS defines them, in the
agency's time zone.
"""

from __future__ import annotations

import math
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core import timeutil
from layers.core.base import Layer
from layers.core.errors import InputError
from layers.core.geometry import Polylines

REQUIRED_FILES = ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
#: colours of routes whose feed gives none, by route row (Tableau 10)
DEFAULT_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
#: a knot key is trip_row << TIME_BITS | time_s (times up to 2**21 s ≈ 24 days)
TIME_BITS = 21
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
STAR_NAMES = re.compile(r"\bstar\b|keolis rennes|rennes m[ée]tropole", re.I)


class TransitLayer(Layer):
    """A GTFS timetable: stops, routes, route lines and vehicle positions at any time.

    Attributes
    ----------
    stops_xy : numpy.ndarray
        (K, 2) float64 stop positions in :attr:`crs` (WGS84 lon/lat at load).
    stop_ids, stop_names : numpy.ndarray
        (K,) str.
    routes : pandas.DataFrame
        One row per route: ``route_id``, ``short_name``, ``long_name``, ``color`` and
        ``text_color`` (``"#rrggbb"``), ``type`` (GTFS route_type), plus extension columns.
    trip_ids : numpy.ndarray
        (T,) str, the trips kept (those with at least two timed, located stops).
    timezone : str
        The agency's IANA zone; service days and :meth:`frequency_at` hours are local to it.
    """

    kind = "transit"
    time_aware = True

    def __init__(
        self, name: str, *, source: str | Path | None = None, attribution: str | None = None
    ) -> None:
        super().__init__(name, source=source, crs=crs_util.WGS84, attribution=attribution)
        self.stops_xy = np.empty((0, 2))
        self.stop_ids = np.empty(0, dtype=object)
        self.stop_names = np.empty(0, dtype=object)
        self.stops = pd.DataFrame()
        self.routes = pd.DataFrame(
            columns=["route_id", "short_name", "long_name", "color", "text_color", "type"]
        )
        self.trip_ids = np.empty(0, dtype=object)
        self.timezone = timeutil.DEFAULT_TIMEZONE
        self.agency_names: list[str] = []
        self._route_lines: Polylines | None = None

    # -- loading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path, *, name: str | None = None, **options: Any) -> TransitLayer:
        """Read a GTFS feed (zip, or folder of ``.txt`` files).

        Raises
        ------
        InputError
            When the path is no GTFS feed, a required file is missing or unreadable, or no trip
            can be placed.
        """
        path = Path(path)
        _check_files(path)
        feed = _read_feed(path)
        layer = cls(name or path.stem, source=path)
        _check_columns(feed, path, layer.warnings)
        layer.options = {k: v for k, v in options.items() if v is not None}
        layer.agency_names = _agency_names(feed)
        layer.attribution = _attribution(feed, layer.agency_names)
        zone = _first(feed.agency, "agency_timezone") if feed.agency is not None else None
        try:
            layer.timezone = timeutil.zone(zone).key
        except ValueError:
            layer.warnings.append(f"unknown agency_timezone {zone!r}: {timeutil.DEFAULT_TIMEZONE} used")
        extensions = _read_extensions(path)
        layer._load_stops(feed, extensions.get("stops"))
        layer._load_routes(feed, extensions.get("routes"))
        layer._load_calendar(feed, path)
        layer._load_shapes(feed)
        layer._load_timetable(feed, path)
        if feed.frequencies is not None and len(feed.frequencies):
            layer.warnings.append(
                "frequencies.txt is not used: headway-based trips run once, at their stop_times"
            )
        return layer

    def _load_stops(self, feed: Any, extension: pd.DataFrame | None) -> None:
        stops = feed.stops.copy()
        stops["stop_id"] = stops["stop_id"].str.strip()
        referenced = set(pd.unique(feed.stop_times["stop_id"].str.strip()))
        kind = (
            stops["location_type"].fillna(0).to_numpy() if "location_type" in stops else np.zeros(len(stops))
        )
        located = stops["stop_lat"].notna().to_numpy() & stops["stop_lon"].notna().to_numpy()
        used = stops["stop_id"].isin(referenced).to_numpy()
        keep = located & ((kind == 0) | used)
        if (used & ~located).any():
            self.warnings.append(
                f"stops without coordinates, skipped by their trips: {_sample(stops['stop_id'][used & ~located])}"
            )
        stops = stops[keep].drop_duplicates("stop_id").reset_index(drop=True)
        if extension is not None and "stop_id" in extension:
            stops = stops.merge(
                extension.drop_duplicates("stop_id"), on="stop_id", how="left", suffixes=("", "_ext")
            )
        self.stops = stops
        self.stop_ids = stops["stop_id"].to_numpy(dtype=object)
        self.stop_names = (
            stops["stop_name"].fillna("").astype(str).to_numpy(dtype=object)
            if "stop_name" in stops
            else self.stop_ids.copy()
        )
        self.stops_xy = np.column_stack(
            [stops["stop_lon"].to_numpy(float), stops["stop_lat"].to_numpy(float)]
        )

    def _load_routes(self, feed: Any, extension: pd.DataFrame | None) -> None:
        raw = feed.routes.reset_index(drop=True)
        count = len(raw)
        routes = pd.DataFrame(
            {
                "route_id": raw["route_id"].str.strip().to_numpy(dtype=object),
                "short_name": _text(raw, "route_short_name", count),
                "long_name": _text(raw, "route_long_name", count),
            }
        )
        colors = [_hex_color(c) for c in _text(raw, "route_color", count)]
        routes["color"] = [c or DEFAULT_PALETTE[i % len(DEFAULT_PALETTE)] for i, c in enumerate(colors)]
        text_colors = [_hex_color(c) for c in _text(raw, "route_text_color", count)]
        routes["text_color"] = [t or _contrast(c) for t, c in zip(text_colors, routes["color"])]
        kinds = raw["route_type"] if "route_type" in raw else pd.Series([3] * count)
        routes["type"] = pd.to_numeric(kinds, errors="coerce").fillna(3).astype(int).to_numpy()
        blank = routes["short_name"] == ""
        routes.loc[blank, "short_name"] = routes.loc[blank, "long_name"].where(
            routes.loc[blank, "long_name"] != "", routes.loc[blank, "route_id"]
        )
        if extension is not None and "route_id" in extension:
            routes = routes.merge(
                extension.drop_duplicates("route_id"), on="route_id", how="left", suffixes=("", "_ext")
            )
        self.routes = routes

    def _load_calendar(self, feed: Any, path: Path) -> None:
        """The (day, service) activity table, from calendar.txt and calendar_dates.txt."""
        calendar, exceptions = feed.calendar, feed.calendar_dates
        if (calendar is None or calendar.empty) and (exceptions is None or exceptions.empty):
            raise InputError(
                path,
                "the GTFS feed has neither calendar.txt nor calendar_dates.txt: no day has service",
                hint="a GTFS feed needs one of them; export the feed again",
            )
        ids = []
        if calendar is not None:
            ids.append(calendar["service_id"].str.strip())
        if exceptions is not None:
            ids.append(exceptions["service_id"].str.strip())
        self._service_ids = pd.Index(pd.unique(pd.concat(ids, ignore_index=True)))
        days = []
        if calendar is not None and len(calendar):
            starts = _gtfs_dates(calendar["start_date"], path, "calendar.txt", "start_date")
            ends = _gtfs_dates(calendar["end_date"], path, "calendar.txt", "end_date")
            days += [starts.min(), ends.max()]
        if exceptions is not None and len(exceptions):
            exception_days = _gtfs_dates(exceptions["date"], path, "calendar_dates.txt", "date")
            days += [exception_days.min(), exception_days.max()]
        self._first_day = int(min(days))
        count = int(max(days)) - self._first_day + 1
        active = np.zeros((count, len(self._service_ids)), dtype=bool)
        day = np.arange(count) + self._first_day
        weekday = (day + 6) % 7  # 0001-01-01 (ordinal 1) was a Monday
        if calendar is not None and len(calendar):
            flags = np.column_stack(
                [pd.to_numeric(calendar[w], errors="coerce").fillna(0).to_numpy() == 1 for w in WEEKDAYS]
            )
            runs = (day[:, None] >= starts[None, :]) & (day[:, None] <= ends[None, :]) & flags[:, weekday].T
            column = self._service_ids.get_indexer(calendar["service_id"].str.strip())
            np.logical_or.at(active.T, column, runs.T)
        if exceptions is not None and len(exceptions):
            column = self._service_ids.get_indexer(exceptions["service_id"].str.strip())
            kind = pd.to_numeric(exceptions["exception_type"], errors="coerce").to_numpy()
            rows = exception_days - self._first_day
            active[rows[kind == 1], column[kind == 1]] = True
            active[rows[kind == 2], column[kind == 2]] = False
        self._active = active

    def _load_shapes(self, feed: Any) -> None:
        """Shape points (P, 2) lon/lat, concatenated, with ``offsets`` and distances."""
        self._shape_ids = pd.Index([], dtype=object)
        self._shape_points = np.empty((0, 2))
        self._shape_offsets = np.zeros(1, dtype=np.int64)
        self._shape_dist = None
        shapes = feed.shapes
        if shapes is None or shapes.empty:
            return
        shapes = shapes.assign(shape_id=shapes["shape_id"].str.strip())
        shapes = shapes.dropna(subset=["shape_pt_lat", "shape_pt_lon"]).sort_values(
            ["shape_id", "shape_pt_sequence"], kind="stable"
        )
        counts = shapes.groupby("shape_id", sort=False).size()
        shapes = shapes[shapes["shape_id"].isin(counts.index[counts >= 2])]
        counts = counts[counts >= 2]
        self._shape_ids = pd.Index(counts.index.to_numpy(dtype=object))
        self._shape_points = np.column_stack(
            [shapes["shape_pt_lon"].to_numpy(float), shapes["shape_pt_lat"].to_numpy(float)]
        )
        self._shape_offsets = np.concatenate([[0], np.cumsum(counts.to_numpy())]).astype(np.int64)
        if "shape_dist_traveled" in shapes and shapes["shape_dist_traveled"].notna().all():
            self._shape_dist = shapes["shape_dist_traveled"].to_numpy(float)

    def _load_timetable(self, feed: Any, path: Path) -> None:
        trips = feed.trips.reset_index(drop=True)
        trip_ids = trips["trip_id"].str.strip()
        st = feed.stop_times
        st_trip = pd.Index(trip_ids).get_indexer(st["trip_id"].str.strip())
        st_stop = pd.Index(self.stop_ids).get_indexer(st["stop_id"].str.strip())
        sequence = pd.to_numeric(st["stop_sequence"], errors="coerce").fillna(-1).to_numpy(np.int64)
        arrival = _gtfs_seconds(st["arrival_time"], path, "arrival_time")
        departure = _gtfs_seconds(st["departure_time"], path, "departure_time")
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
            self.warnings.append(f"stop_times name stops absent from stops.txt, skipped: {_sample(absent)}")
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
            self.warnings.append(f"{int(incomplete.sum())} trips lack a first or last time: left out")
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
                "no trip of the GTFS feed can be placed (stop_times.txt empty, or every trip lacks times or stops)",
            )
        renumber = np.full(len(trips), -1, dtype=np.int64)
        renumber[kept] = np.arange(len(kept))
        st_trip = renumber[st_trip]
        trips = trips.iloc[kept].reset_index(drop=True)

        self.trip_ids = trips["trip_id"].str.strip().to_numpy(dtype=object)
        route_row = pd.Index(self.routes["route_id"]).get_indexer(trips["route_id"].str.strip())
        if (route_row < 0).any():
            self.warnings.append(f"{int((route_row < 0).sum())} trips name a route absent from routes.txt")
        self._trip_route = route_row
        self._trip_service = self._service_ids.get_indexer(trips["service_id"].str.strip())
        direction = (
            pd.to_numeric(trips["direction_id"], errors="coerce")
            if "direction_id" in trips
            else pd.Series(np.nan, index=trips.index)
        )
        self._trip_direction = direction.fillna(-1).to_numpy(np.int64)
        shape_of_trip = (
            self._shape_ids.get_indexer(trips["shape_id"].str.strip())
            if "shape_id" in trips and len(self._shape_ids)
            else np.full(len(trips), -1)
        )
        self._trip_shape = np.asarray(shape_of_trip, dtype=np.int64)

        # one knot per arrival and per departure; times made non-decreasing within each trip
        time_s = np.column_stack([arrival, departure]).ravel()
        time_s = np.clip(np.round(time_s), 0, (1 << TIME_BITS) - 1).astype(np.int64)
        knot_trip = np.repeat(st_trip, 2)
        key = np.maximum.accumulate((knot_trip << TIME_BITS) | time_s)
        self._knot_key = key
        self._knot_stop = np.repeat(st_stop, 2).astype(np.int32)
        first = np.searchsorted(knot_trip, np.arange(len(kept)), side="left")
        last = np.searchsorted(knot_trip, np.arange(len(kept)), side="right") - 1
        self._trip_last_knot = last
        self._trip_start = self._knot_time(first)
        self._trip_end = self._knot_time(last)
        # days a trip can reach past its service day (a trip ending at 25:15 shows the day after)
        self._lookback_days = max(0, int(math.ceil(self._trip_end.max() / 86_400.0)) - 1)
        self._knot_point = self._shape_positions(st_trip, st_stop, dist)
        self._row_trip, self._row_stop = st_trip.astype(np.int32), st_stop.astype(np.int32)
        self._row_departure = departure.astype(np.float32)
        self._row_last = np.r_[st_trip[1:] != st_trip[:-1], True]
        self._update_arcs()

    def _shape_positions(self, st_trip: np.ndarray, st_stop: np.ndarray, dist: np.ndarray) -> np.ndarray:
        """(2R,) fractional index into the shape points of every knot (NaN: no shape)."""
        rows = len(st_trip)
        point = np.full(rows, np.nan)
        shape = self._trip_shape[st_trip]
        on_shape = shape >= 0
        if not on_shape.any():
            return np.repeat(point, 2)
        by_distance = np.zeros(rows, dtype=bool)
        if self._shape_dist is not None:
            by_distance[on_shape] = np.isfinite(dist[on_shape])
        if by_distance.any():
            point[by_distance] = _fractional_index(
                self._shape_dist, self._shape_offsets, shape[by_distance], dist[by_distance]
            )
        project = on_shape & ~by_distance
        if project.any():
            point[project] = self._project_stops(shape[project], st_stop[project])
        # vehicles never move backwards along the shape; a loop's last stop is the shape's end
        previous = np.r_[np.nan, point[:-1]]
        last_row = np.r_[st_trip[1:] != st_trip[:-1], True]
        same_trip = np.r_[False, st_trip[1:] == st_trip[:-1]]
        backwards = same_trip & on_shape & (point < previous)
        loop_end = backwards & last_row
        point[loop_end] = self._shape_offsets[shape[loop_end] + 1] - 1
        # a shape drawn against the stop order (or not passing by the stops): straight lines instead
        trip_count = int(st_trip.max()) + 1
        steps = np.bincount(st_trip, minlength=trip_count) - 1
        reversed_trip = np.bincount(st_trip[backwards & ~last_row], minlength=trip_count) > 0.25 * np.maximum(
            steps, 1
        )
        if reversed_trip.any():
            self.warnings.append(
                f"{int(reversed_trip.sum())} trips run against their shape's direction: drawn stop to stop"
            )
            unusable = reversed_trip[st_trip]
            point[unusable] = np.nan
            on_shape &= ~unusable
        starts, ends = self._shape_offsets[shape[on_shape]], self._shape_offsets[shape[on_shape] + 1]
        big = float(len(self._shape_points) + 1)
        filled = np.where(on_shape, point, 0.0) + st_trip * big
        point = np.where(on_shape, np.maximum.accumulate(filled) - st_trip * big, np.nan)
        point[on_shape] = np.clip(point[on_shape], starts, ends - 1)
        return np.repeat(point, 2)

    def _project_stops(self, shape: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """Fractional shape-point index of the stops' projections on their trips' shapes."""
        import shapely

        pairs, inverse = np.unique(np.column_stack([shape, stop]), axis=0, return_inverse=True)
        lat0 = math.radians(float(np.nanmean(self._shape_points[:, 1]))) if self.crs.is_geographic else 0.0
        scale = np.array([math.cos(lat0), 1.0]) if self.crs.is_geographic else np.ones(2)
        points = self._shape_points * scale
        lines = shapely.linestrings(
            points, indices=np.repeat(np.arange(len(self._shape_ids)), np.diff(self._shape_offsets))
        )
        stops = shapely.points(self.stops_xy[pairs[:, 1]] * scale)
        along = shapely.line_locate_point(lines[pairs[:, 0]], stops)
        cumulative = _cumulative_lengths(points, self._shape_offsets)
        return _fractional_index(cumulative, self._shape_offsets, pairs[:, 0], along)[inverse.ravel()]

    def _knot_time(self, k: np.ndarray) -> np.ndarray:
        """Service-day seconds of knots ``k`` (the low bits of their keys)."""
        return (self._knot_key[k] & ((1 << TIME_BITS) - 1)).astype(np.float64)

    def _update_arcs(self) -> None:
        """Arc lengths in the current CRS: of shape points (with a gap between shapes), of knots."""
        self._shape_cum = _cumulative_lengths(self._shape_points, self._shape_offsets, gap=1.0)
        self._knot_arc = np.full(len(self._knot_point), np.nan)
        on = np.isfinite(self._knot_point)
        if on.any():
            g = self._knot_point[on]
            shape = self._trip_shape[self._knot_key[on] >> TIME_BITS]
            j = np.minimum(np.floor(g).astype(np.int64), self._shape_offsets[shape + 1] - 2)
            self._knot_arc[on] = self._shape_cum[j] + (g - j) * (self._shape_cum[j + 1] - self._shape_cum[j])

    # -- time ------------------------------------------------------------------------------
    def time_range(self) -> None:
        """Always ``None``: a timetable repeats every service day and must not stretch the clock."""
        return None

    def vehicles_at(self, t: datetime | int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The vehicles running at ``t`` according to the timetable.

        Parameters
        ----------
        t
            An aware datetime, or nanoseconds since the epoch (UTC).

        Returns
        -------
        xy : numpy.ndarray
            (V, 2) float64 positions in :attr:`crs`, interpolated in time between consecutive stops
            (along the shape when the feed has shapes; a vehicle dwells at a stop between its
            arrival and departure).
        route_row : numpy.ndarray
            (V,) int64 row of :attr:`routes` of each vehicle (-1 for an unknown route).
        trip_ids : numpy.ndarray
            (V,) str.
        """
        t_ns = int(t) if isinstance(t, (int, np.integer)) else timeutil.to_ns(t)
        trips, seconds = self._running(t_ns)
        if len(trips) == 0:
            return np.empty((0, 2)), np.empty(0, dtype=np.int64), np.empty(0, dtype=object)
        query = (trips << TIME_BITS) | np.floor(seconds).astype(np.int64)
        k = np.searchsorted(self._knot_key, query, side="right") - 1
        k = np.minimum(k, self._trip_last_knot[trips] - 1)
        t0, t1 = self._knot_time(k), self._knot_time(k + 1)
        span = t1 - t0
        f = np.clip(np.divide(seconds - t0, span, out=np.zeros_like(span), where=span > 0), 0.0, 1.0)
        xy = np.empty((len(trips), 2))
        on_shape = np.isfinite(self._knot_arc[k]) & np.isfinite(self._knot_arc[k + 1])
        if (~on_shape).any():
            a, b = (
                self.stops_xy[self._knot_stop[k[~on_shape]]],
                self.stops_xy[self._knot_stop[k[~on_shape] + 1]],
            )
            xy[~on_shape] = a + f[~on_shape, None] * (b - a)
        if on_shape.any():
            kk = k[on_shape]
            arc = self._knot_arc[kk] + f[on_shape] * (self._knot_arc[kk + 1] - self._knot_arc[kk])
            shape = self._trip_shape[trips[on_shape]]
            j = np.searchsorted(self._shape_cum, arc, side="right") - 1
            j = np.clip(j, self._shape_offsets[shape], self._shape_offsets[shape + 1] - 2)
            seg = self._shape_cum[j + 1] - self._shape_cum[j]
            u = np.clip(
                np.divide(arc - self._shape_cum[j], seg, out=np.zeros_like(seg), where=seg > 0), 0.0, 1.0
            )
            p, q = self._shape_points[j], self._shape_points[j + 1]
            xy[on_shape] = p + u[:, None] * (q - p)
        return xy, self._trip_route[trips], self.trip_ids[trips]

    def values_at(self, t: datetime | int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Same as :meth:`vehicles_at` (the time-aware layer contract)."""
        return self.vehicles_at(t)

    def _running(self, t_ns: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the trips running at ``t_ns`` and ``t`` in seconds of each one's service day."""
        local_day = timeutil.from_ns(t_ns, self.timezone).date()
        found, seconds = [], []
        for back in range(self._lookback_days + 1):
            day = local_day - timedelta(days=back)
            active = self._services_on(day)
            if active is None or not active.any():
                continue
            s = (t_ns - self._service_day_origin_ns(day)) / 1e9
            running = (self._trip_start <= s) & (s < self._trip_end)
            running &= np.where(self._trip_service >= 0, active[self._trip_service], False)
            rows = np.flatnonzero(running)
            found.append(rows)
            seconds.append(np.full(len(rows), s))
        if not found:
            return np.empty(0, dtype=np.int64), np.empty(0)
        return np.concatenate(found).astype(np.int64), np.concatenate(seconds)

    def _services_on(self, day: date) -> np.ndarray | None:
        row = day.toordinal() - self._first_day
        if row < 0 or row >= len(self._active):
            return None
        return self._active[row]

    def _service_day_origin_ns(self, day: date) -> int:
        """Noon minus 12 h, local time, of a service day (the zero of GTFS times)."""
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=timeutil.zone(self.timezone))
        return timeutil.to_ns(noon) - 12 * 3600 * 1_000_000_000

    # -- timetable questions ---------------------------------------------------------------
    def service_dates(self) -> list[date]:
        """The dates on which at least one service runs, sorted."""
        rows = np.flatnonzero(self._active.any(axis=1))
        return [date.fromordinal(int(r) + self._first_day) for r in rows]

    def frequency_at(self, stop_index: int, hour: int, day: date | datetime | str) -> int:
        """Departures from stop ``stop_index`` between ``hour``:00 and ``hour + 1``:00 local time on
        ``day`` (a date, or ``YYYY-MM-DD`` / ``YYYYMMDD``), including trips of the previous
        service day running past midnight. The last stop of a trip is no departure."""
        _, seconds = self.departures(stop_index, day)
        low = int(hour) * 3600
        return int(((seconds >= low) & (seconds < low + 3600)).sum())

    def departures(self, stop_index: int, day: date | datetime | str) -> tuple[np.ndarray, np.ndarray]:
        """Every departure from stop ``stop_index`` on ``day``: ``(route_row (D,), seconds (D,))``,
        seconds counted from the day's service origin (past-midnight trips of the day before
        included, at their time on ``day``)."""
        day = _as_date(day)
        rows = np.flatnonzero((self._row_stop == stop_index) & ~self._row_last)
        routes, seconds = [], []
        for back in range(self._lookback_days + 1):
            active = self._services_on(day - timedelta(days=back))
            if active is None:
                continue
            services = self._trip_service[self._row_trip[rows]]
            running = np.where(services >= 0, active[np.maximum(services, 0)], False)
            shifted = self._row_departure[rows].astype(np.float64) - 24 * 3600 * back
            keep = running & (shifted >= 0)
            routes.append(self._trip_route[self._row_trip[rows[keep]]])
            seconds.append(shifted[keep])
        if not routes:
            return np.empty(0, np.int64), np.empty(0)
        return np.concatenate(routes).astype(np.int64), np.concatenate(seconds)

    def frequency_by_route(self, stop_index: int, hour: int, day: date | datetime | str) -> dict[str, int]:
        """Departures in the hour ``hour``:00–``hour + 1``:00 of ``day`` by route short name."""
        routes, seconds = self.departures(stop_index, day)
        low = int(hour) * 3600
        inside = routes[(seconds >= low) & (seconds < low + 3600) & (routes >= 0)]
        names = self.routes["short_name"].astype(str).to_numpy()
        counts = np.bincount(inside, minlength=len(names))
        return {names[i]: int(counts[i]) for i in np.flatnonzero(counts)}

    def typical_day(self) -> date | None:
        """A day to replay when nothing else sets the clock: the weekday with the most trips,
        Tuesday to Thursday preferred, the earliest such date in the service period."""
        dates = self.service_dates()
        if not dates:
            return None
        rows = np.array([d.toordinal() - self._first_day for d in dates])
        trips_per_service = np.bincount(
            self._trip_service[self._trip_service >= 0], minlength=self._active.shape[1]
        )
        trips = self._active[rows].astype(np.int64) @ trips_per_service
        midweek = np.array([d.weekday() in (1, 2, 3) for d in dates])
        score = trips + midweek * (trips.max() + 1)
        return dates[int(np.argmax(score))]

    def suggested_time(self) -> datetime | None:
        """Where a replay of :meth:`suggested_range` starts: 07:30, the morning rush."""
        rng = self.suggested_range()
        return rng[0].replace(hour=7, minute=30) if rng else None

    def suggested_range(self) -> tuple[datetime, datetime] | None:
        """The clock range for a feed alone in a scene: its typical day, 05:00 to 01:00 the next
        morning, in the agency's zone (:meth:`time_range` stays ``None``)."""
        day = self.typical_day()
        if day is None:
            return None
        zone = timeutil.zone(self.timezone)
        start = datetime(day.year, day.month, day.day, 5, tzinfo=zone)
        following = day + timedelta(days=1)
        return start, datetime(following.year, following.month, following.day, 1, tzinfo=zone)

    # -- geometry ----------------------------------------------------------------------------
    def route_lines(self) -> Polylines:
        """One line per route and direction (owner = row of :attr:`routes`): the shape used by
        most of its trips, else the stop sequence of its most frequent trip pattern."""
        if self._route_lines is None:
            self._route_lines = self._build_route_lines()
        return self._route_lines

    def _build_route_lines(self) -> Polylines:
        count = len(self.trip_ids)
        stop_patterns = pd.Series(self._row_stop).groupby(self._row_trip).agg(tuple).reindex(range(count))
        keys = [("shape", int(s)) if s >= 0 else p for s, p in zip(self._trip_shape, stop_patterns)]
        codes, patterns = pd.factorize(pd.Series(keys, dtype=object))
        trips = pd.DataFrame({"route": self._trip_route, "direction": self._trip_direction, "pattern": codes})
        trips = trips[trips["route"] >= 0]
        # the most frequent pattern of every (route, direction)
        sizes = trips.groupby(["route", "direction", "pattern"]).size().rename("trips").reset_index()
        best = sizes.sort_values(
            ["route", "direction", "trips"], ascending=[True, True, False]
        ).drop_duplicates(["route", "direction"])
        best = best.assign(pattern=[patterns[c] for c in best["pattern"]])
        points, counts, owner = [], [], []
        for route, pattern in zip(best["route"], best["pattern"]):
            if isinstance(pattern, tuple) and len(pattern) == 2 and pattern[0] == "shape":
                s = int(pattern[1])
                line = self._shape_points[self._shape_offsets[s] : self._shape_offsets[s + 1]]
            else:
                line = self.stops_xy[list(pattern)]
            points.append(line)
            counts.append(len(line))
            owner.append(route)
        if not points:
            return Polylines(np.empty((0, 2)), np.zeros(1, np.int64), np.empty(0, np.int64))
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return Polylines(np.concatenate(points), offsets, np.asarray(owner, np.int64))

    def bounds(self) -> tuple[float, float, float, float]:
        xy = np.concatenate([self.stops_xy, self._shape_points]) if len(self._shape_points) else self.stops_xy
        return float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()), float(xy[:, 1].max())

    def reproject(self, crs: CRS) -> None:
        if crs_util.normalise(crs) == self.crs:
            return
        move = crs_util.transformer(self.crs, crs)
        x, y = move.transform(self.stops_xy[:, 0], self.stops_xy[:, 1])
        self.stops_xy = np.column_stack([x, y])
        if len(self._shape_points):
            x, y = move.transform(self._shape_points[:, 0], self._shape_points[:, 1])
            self._shape_points = np.column_stack([x, y])
        self.crs = crs
        self._route_lines = None
        self._update_arcs()

    # -- description -----------------------------------------------------------------------
    def feature_count(self) -> int:
        return len(self.stop_ids)

    def attributes(self, index: int) -> dict[str, object]:
        """What the inspector shows for stop ``index``: id, name, routes serving it, GTFS fields."""
        row = self.stops.iloc[index]
        info: dict[str, object] = {"stop_id": self.stop_ids[index], "name": self.stop_names[index]}
        served = np.unique(self._trip_route[self._row_trip[self._row_stop == index]])
        served = served[served >= 0]
        info["routes"] = ", ".join(self.routes["short_name"].iloc[served].astype(str))
        info["longitude"], info["latitude"] = float(row["stop_lon"]), float(row["stop_lat"])
        info["x"], info["y"] = float(self.stops_xy[index, 0]), float(self.stops_xy[index, 1])
        for key, value in row.items():
            if key not in {"stop_id", "stop_name", "stop_lat", "stop_lon"} and not _missing(value):
                info[str(key)] = value.item() if isinstance(value, np.generic) else value
        return info

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        dates = self.service_dates()
        info.update(
            routes=len(self.routes),
            stops=len(self.stop_ids),
            trips=len(self.trip_ids),
            service_start=dates[0].isoformat() if dates else None,
            service_end=dates[-1].isoformat() if dates else None,
            timezone=self.timezone,
            shapes=len(self._shape_ids),
            agency=", ".join(self.agency_names),
        )
        return info


# -- reading -------------------------------------------------------------------------------------
def _check_files(path: Path) -> None:
    if not path.exists():
        raise InputError(path, "no such file or folder")
    if path.is_dir():
        names = {p.name for p in path.iterdir()}
    else:
        try:
            with zipfile.ZipFile(path) as archive:
                members = [n for n in archive.namelist() if not n.endswith("/")]
        except zipfile.BadZipFile:
            raise InputError(
                path,
                "not a valid zip archive (truncated or corrupted)",
                hint="copy, download or export it again",
            ) from None
        from gtfs_kit.constants import DTYPES  # the members gtfs_kit reads, by name

        from layers.core.safety import unsafe_member

        # the feed is read in place, never extracted: a member named ../evil.txt is ignored, but a
        # GTFS table under such a name (which gtfs_kit would read) is refused
        unsafe = [n for n in members if unsafe_member(n) and n.endswith(".txt") and Path(n).stem in DTYPES]
        if unsafe:
            raise InputError(
                path,
                f"the zip archive names files outside itself ({', '.join(unsafe[:3])})",
                hint="a GTFS zip holds its .txt files at its root: zip the feed again",
            )
        names = {Path(n).name for n in members}
    missing = [n for n in REQUIRED_FILES if n not in names]
    if missing:
        raise InputError(
            path,
            f"the GTFS feed has no {', '.join(missing)}",
            hint="a GTFS feed needs stops.txt, routes.txt, trips.txt and stop_times.txt",
        )


#: the columns Maquette reads in each GTFS table (GTFS requires them)
REQUIRED_COLUMNS = {
    "stops": ("stop_id", "stop_lat", "stop_lon"),
    "routes": ("route_id",),
    "trips": ("route_id", "service_id", "trip_id"),
    "stop_times": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
    "calendar": ("service_id", *WEEKDAYS, "start_date", "end_date"),
    "calendar_dates": ("service_id", "date", "exception_type"),
}
ID_COLUMNS = {"routes": "route_id", "trips": "trip_id"}


def _check_columns(feed: Any, path: Path, warnings: list[str]) -> None:
    """:class:`InputError` for a table lacking a column GTFS requires; repeated route and trip ids
    keep their first row (noted); shapes without their columns are left out (noted)."""
    for table, columns in REQUIRED_COLUMNS.items():
        frame = getattr(feed, table)
        if frame is None:
            continue
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise InputError(
                path,
                f"the GTFS feed's {table}.txt has no column {', '.join(missing)}",
                hint=f"GTFS requires {', '.join(columns)} in {table}.txt; export the feed again",
            )
    for table, column in ID_COLUMNS.items():
        frame = getattr(feed, table)
        ids = frame[column].astype("string").str.strip()
        if ids.duplicated().any():
            warnings.append(
                f"{table}.txt repeats {int(ids.duplicated().sum())} {column}s ({_sample(ids[ids.duplicated()].dropna().unique())}): the first row of each is used"
            )
            setattr(feed, table, frame[~ids.duplicated().to_numpy()].reset_index(drop=True))
    shapes = feed.shapes
    if shapes is not None and not {"shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"} <= set(
        shapes.columns
    ):
        warnings.append(
            "shapes.txt lacks shape_id, shape_pt_lat, shape_pt_lon or shape_pt_sequence: routes drawn stop to stop"
        )
        feed.shapes = None


def _read_feed(path: Path) -> Any:
    import gtfs_kit

    try:
        # dist_units only matters for gtfs_kit's own statistics; giving it skips a guess
        feed = gtfs_kit.read_feed(path, dist_units="km")
    except UnicodeDecodeError:
        raise InputError(path, "the GTFS feed is not UTF-8 text (GTFS requires UTF-8)") from None
    except Exception as exc:  # noqa: BLE001 - pandas / zip errors are all "unreadable" for a user
        raise InputError(
            path, f"cannot read the GTFS feed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        ) from None
    for table in ("stops", "routes", "trips", "stop_times"):
        if getattr(feed, table) is None:
            raise InputError(path, f"the GTFS feed's {table}.txt is empty")
    return feed


def _read_extensions(path: Path) -> dict[str, pd.DataFrame]:
    """Non-standard ``<table>_extensions.txt`` files (STAR: stop and route accessibility)."""
    found: dict[str, pd.DataFrame] = {}
    options = {"dtype": str, "encoding": "utf-8-sig", "skipinitialspace": True, "keep_default_na": False}
    try:
        if path.is_dir():
            for file in path.glob("*_extensions.txt"):
                found[file.name[: -len("_extensions.txt")]] = pd.read_csv(file, **options)
        else:
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    name = Path(member).name
                    if name.endswith("_extensions.txt"):
                        with archive.open(member) as handle:
                            found[name[: -len("_extensions.txt")]] = pd.read_csv(handle, **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return found
    for frame in found.values():
        frame.columns = [c.strip() for c in frame.columns]
        for column in frame.columns:
            frame[column] = frame[column].str.strip()
    return found


def _gtfs_seconds(series: pd.Series, path: Path, field: str) -> np.ndarray:
    """Seconds since the service day's origin of ``H:MM:SS`` texts (past 24:00:00 allowed);
    NaN for empty cells."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = series.astype("string").str.strip().replace("", pd.NA)
    parts = pc.split_pattern(pa.array(text, from_pandas=True, type=pa.string()), ":")
    try:
        h, m, s = (pc.cast(pc.list_element(parts, i), pa.float64()) for i in range(3))
    except (pa.ArrowInvalid, IndexError):
        bad = text[text.notna() & ~text.str.fullmatch(r"\d{1,3}:\d{2}:\d{2}").fillna(False)]
        example = bad.iloc[0] if len(bad) else "?"
        raise InputError(
            path, f"stop_times.txt: {example!r} is not a GTFS time (expected HH:MM:SS)", field=field
        ) from None
    seconds = pc.add(pc.add(pc.multiply(h, 3600.0), pc.multiply(m, 60.0)), s)
    return seconds.to_numpy(zero_copy_only=False).astype(np.float64)


def _gtfs_dates(series: pd.Series, path: Path, file: str, field: str) -> np.ndarray:
    """Day ordinals (``date.toordinal``) of ``YYYYMMDD`` texts."""
    parsed = pd.to_datetime(series.astype("string").str.strip(), format="%Y%m%d", errors="coerce")
    if parsed.isna().any():
        bad = series[parsed.isna()].iloc[0]
        raise InputError(path, f"{file}: {bad!r} is not a GTFS date (expected YYYYMMDD)", field=field)
    epoch = date(1970, 1, 1).toordinal()
    return (parsed.to_numpy().astype("datetime64[D]").astype(np.int64) + epoch).astype(np.int64)


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


# -- small helpers -----------------------------------------------------------------------------------
def _text(frame: pd.DataFrame, column: str, count: int) -> np.ndarray:
    if column not in frame:
        return np.array([""] * count, dtype=object)
    return frame[column].astype("string").fillna("").str.strip().to_numpy(dtype=object)


def _hex_color(value: str) -> str | None:
    text = str(value).strip().lstrip("#")
    return f"#{text.lower()}" if re.fullmatch(r"[0-9a-fA-F]{6}", text) else None


def _contrast(color: str) -> str:
    """Black or white text for a badge of ``color``: white unless the colour is bright (perceived
    YIQ brightness above 150 of 255), as transit signage does."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if (299 * red + 587 * green + 114 * blue) / 1000 > 150 else "#ffffff"


def _first(frame: pd.DataFrame | None, column: str) -> str | None:
    if frame is None or column not in frame or frame[column].dropna().empty:
        return None
    return str(frame[column].dropna().iloc[0]).strip()


def _agency_names(feed: Any) -> list[str]:
    if feed.agency is None or "agency_name" not in feed.agency:
        return []
    return [str(n).strip() for n in pd.unique(feed.agency["agency_name"].dropna()) if str(n).strip()]


def _attribution(feed: Any, agencies: list[str]) -> str | None:
    publisher = _first(feed.feed_info, "feed_publisher_name") if feed.feed_info is not None else None
    if any(STAR_NAMES.search(n) for n in agencies) or (publisher and STAR_NAMES.search(publisher)):
        return "Source : STAR / Rennes Métropole"
    if agencies:
        return "Source : " + ", ".join(agencies)
    return f"Source : {publisher}" if publisher else None


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.strptime(text, "%Y%m%d" if text.isdigit() else "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)") from None


def _sample(values: Any, limit: int = 8) -> str:
    items = [str(v) for v in pd.unique(np.asarray(values, dtype=object))]
    return ", ".join(items[:limit]) + (f" … ({len(items)} in all)" if len(items) > limit else "")


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value)) or value == ""
    except (TypeError, ValueError):
        return False
