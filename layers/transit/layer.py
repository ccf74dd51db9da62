"""Public transport from a GTFS feed: stops, route lines and the vehicles running at a time.

The feed is read by :mod:`layers.transit.gtfs`; its calendar becomes a (service day × service)
boolean table (:mod:`layers.transit.service_days`) and its trips flat arrays
(:mod:`layers.transit.timetable`). :meth:`TransitLayer.vehicles_at` then masks the trips running
at ``t`` (for the service day of ``t`` and the previous ones, for trips past 24:00:00) and
interpolates their positions, all vectorised.

Service-day times are counted from "noon minus 12 h" local time, as GTFS defines them, in the
agency's time zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core import timeutil
from layers.core.base import Bounds, Layer
from layers.core.geometry import Polylines
from layers.transit import gtfs
from layers.transit.gtfs import Shapes
from layers.transit.service_days import ServiceDays, as_date, read_calendar
from layers.transit.style import TransitStyle
from layers.transit.timetable import Timetable, build_timetable

NS_PER_S = 1_000_000_000


class TransitLayer(Layer[TransitStyle]):
    """A GTFS timetable: stops, routes, route lines and vehicle positions at any time.

    Attributes
    ----------
    stops : pandas.DataFrame
        One row per stop placed on the map (GTFS columns, plus the extension's).
    stops_xy : numpy.ndarray
        (K, 2) float64 stop positions in :attr:`crs` (WGS84 lon/lat at load, metres once in the
        scene CRS).
    stop_ids, stop_names : numpy.ndarray
        (K,) str.
    routes : pandas.DataFrame
        One row per route: ``route_id``, ``short_name``, ``long_name``, ``color`` and
        ``text_color`` (``"#rrggbb"``), ``type`` (GTFS route_type), plus extension columns.
    shapes : layers.transit.gtfs.Shapes
        The shapes' points in :attr:`crs`.
    service_days : layers.transit.service_days.ServiceDays
        Which services run on which day.
    timetable : layers.transit.timetable.Timetable
        The trips as flat arrays.
    timezone : str
        The agency's IANA zone; service days and :meth:`frequency_at` hours are local to it.
    agency_names : list[str]
        The agencies of the feed.
    """

    kind = "transit"
    style_class = TransitStyle
    time_aware = True

    def __init__(
        self,
        name: str,
        *,
        stops: pd.DataFrame,
        routes: pd.DataFrame,
        shapes: Shapes,
        service_days: ServiceDays,
        timetable: Timetable,
        timezone: str = timeutil.DEFAULT_TIMEZONE,
        agency_names: list[str] | None = None,
        crs: CRS = crs_util.WGS84,
        source: str | Path | None = None,
        attribution: str | None = None,
        style: TransitStyle | dict[str, Any] | None = None,
    ) -> None:
        super().__init__(name, source=source, crs=crs, style=style, attribution=attribution)
        self.stops = stops
        self.stop_ids: np.ndarray = stops["stop_id"].to_numpy(dtype=object)
        self.stop_names: np.ndarray = (
            stops["stop_name"].fillna("").astype(str).to_numpy(dtype=object)
            if "stop_name" in stops
            else self.stop_ids.copy()
        )
        self.stops_xy: np.ndarray = np.column_stack(
            [stops["stop_lon"].to_numpy(float), stops["stop_lat"].to_numpy(float)]
        )
        self.routes = routes
        self.shapes = shapes
        self.service_days = service_days
        self.timetable = timetable
        self.timezone = timezone
        self.agency_names = agency_names or []
        self._route_lines: Polylines | None = None

    # -- loading ---------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        style: TransitStyle | dict[str, Any] | None = None,
        **options: Any,
    ) -> TransitLayer:
        """Read a GTFS feed (zip, or folder of ``.txt`` files).

        Raises
        ------
        InputError
            When the path is no GTFS feed, a required file is missing or unreadable, or no trip
            can be placed.
        """
        path = Path(path)
        warnings: list[str] = []
        feed = gtfs.read_feed(path, warnings)
        agencies = gtfs.agency_names(feed)
        timezone = gtfs.agency_timezone(feed, warnings)
        extensions = gtfs.read_extensions(path)
        stops = gtfs.read_stops(feed, extensions.get("stops"), warnings)
        routes = gtfs.read_routes(feed, extensions.get("routes"))
        service_days = read_calendar(feed, path)
        shapes = gtfs.read_shapes(feed)
        timetable = build_timetable(
            feed,
            path,
            stop_ids=stops["stop_id"].to_numpy(dtype=object),
            stops_xy=np.column_stack([stops["stop_lon"].to_numpy(float), stops["stop_lat"].to_numpy(float)]),
            route_ids=pd.Index(routes["route_id"]),
            service_ids=service_days.service_ids,
            shapes=shapes,
            geographic=True,
            warnings=warnings,
        )
        if feed.frequencies is not None and len(feed.frequencies):
            warnings.append("frequencies.txt is not used: headway-based trips run once, at their stop_times")
        layer = cls(
            name or path.stem,
            stops=stops,
            routes=routes,
            shapes=shapes,
            service_days=service_days,
            timetable=timetable,
            timezone=timezone,
            agency_names=agencies,
            source=path,
            attribution=gtfs.attribution(feed, agencies),
            style=style,
        )
        layer.warnings.extend(warnings)
        layer.options = {k: v for k, v in options.items() if v is not None}
        return layer

    @property
    def trip_ids(self) -> np.ndarray:
        """(T,) str, the trips kept (those with at least two timed, located stops)."""
        return self.timetable.trip_ids

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
        xy = self.timetable.positions(trips, seconds, self.stops_xy, self.shapes)
        return xy, self.timetable.trip_route[trips], self.timetable.trip_ids[trips]

    def values_at(self, t: datetime | int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Same as :meth:`vehicles_at` (the time-aware layer contract)."""
        return self.vehicles_at(t)

    def _running(self, t_ns: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the trips running at ``t_ns`` and ``t`` in seconds of each one's service day."""
        table = self.timetable
        local_day = timeutil.from_ns(t_ns, self.timezone).date()
        found, seconds = [], []
        for back in range(table.lookback_days + 1):
            day = local_day - timedelta(days=back)
            active = self.service_days.services_on(day)
            if active is None or not active.any():
                continue
            s = (t_ns - self.service_day_origin_ns(day)) / 1e9
            running = (table.trip_start <= s) & (s < table.trip_end)
            running &= np.where(table.trip_service >= 0, active[table.trip_service], False)
            rows = np.flatnonzero(running)
            found.append(rows)
            seconds.append(np.full(len(rows), s))
        if not found:
            return np.empty(0, dtype=np.int64), np.empty(0)
        return np.concatenate(found).astype(np.int64), np.concatenate(seconds)

    def service_day_origin_ns(self, day: date) -> int:
        """Noon minus 12 h, local time, of a service day (the zero of GTFS times), ns UTC."""
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=timeutil.zone(self.timezone))
        return timeutil.to_ns(noon) - 12 * 3600 * NS_PER_S

    # -- timetable questions ---------------------------------------------------------------
    def service_dates(self) -> list[date]:
        """The dates on which at least one service runs, sorted."""
        return self.service_days.dates()

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
        table = self.timetable
        day = as_date(day)
        rows = np.flatnonzero((table.row_stop == stop_index) & ~table.row_last)
        routes, seconds = [], []
        for back in range(table.lookback_days + 1):
            active = self.service_days.services_on(day - timedelta(days=back))
            if active is None:
                continue
            services = table.trip_service[table.row_trip[rows]]
            running = np.where(services >= 0, active[np.maximum(services, 0)], False)
            shifted = table.row_departure[rows].astype(np.float64) - 24 * 3600 * back
            keep = running & (shifted >= 0)
            routes.append(table.trip_route[table.row_trip[rows[keep]]])
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
        days, services = self.service_days, self.timetable.trip_service
        rows = np.array([d.toordinal() - days.first_day for d in dates])
        trips_per_service = np.bincount(services[services >= 0], minlength=days.active.shape[1])
        trips = days.active[rows].astype(np.int64) @ trips_per_service
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
        table = self.timetable
        count = len(table.trip_ids)
        stop_patterns = pd.Series(table.row_stop).groupby(table.row_trip).agg(tuple).reindex(range(count))
        keys = [("shape", int(s)) if s >= 0 else p for s, p in zip(table.trip_shape, stop_patterns)]
        codes, patterns = pd.factorize(pd.Series(keys, dtype=object))
        trips = pd.DataFrame({"route": table.trip_route, "direction": table.trip_direction, "pattern": codes})
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
                line = self.shapes.points[self.shapes.offsets[s] : self.shapes.offsets[s + 1]]
            else:
                line = self.stops_xy[list(pattern)]
            points.append(line)
            counts.append(len(line))
            owner.append(route)
        if not points:
            return Polylines(np.empty((0, 2)), np.zeros(1, np.int64), np.empty(0, np.int64))
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return Polylines(np.concatenate(points), offsets, np.asarray(owner, np.int64))

    def bounds(self) -> Bounds:
        points = self.shapes.points
        xy = np.concatenate([self.stops_xy, points]) if len(points) else self.stops_xy
        return float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()), float(xy[:, 1].max())

    def reproject(self, crs: CRS) -> None:
        if self.crs is None:
            raise ValueError(f"{self.name}: stops without a CRS cannot be reprojected")
        if crs_util.normalise(crs) == self.crs:
            return
        move = crs_util.transformer(self.crs, crs)
        x, y = move.transform(self.stops_xy[:, 0], self.stops_xy[:, 1])
        self.stops_xy = np.column_stack([x, y])
        if len(self.shapes.points):
            x, y = move.transform(self.shapes.points[:, 0], self.shapes.points[:, 1])
            self.shapes.points = np.column_stack([x, y])
        self.crs = crs
        self._route_lines = None
        self.timetable.update_arcs(self.shapes)

    # -- description -----------------------------------------------------------------------
    def feature_count(self) -> int:
        return len(self.stop_ids)

    def attributes(self, index: int) -> dict[str, object]:
        """What the inspector shows for stop ``index``: id, name, routes serving it, GTFS fields."""
        table = self.timetable
        row = self.stops.iloc[index]
        info: dict[str, object] = {"stop_id": self.stop_ids[index], "name": self.stop_names[index]}
        served = np.unique(table.trip_route[table.row_trip[table.row_stop == index]])
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
            shapes=len(self.shapes.ids),
            agency=", ".join(self.agency_names),
        )
        return info


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value)) or value == ""
    except (TypeError, ValueError):
        return False
