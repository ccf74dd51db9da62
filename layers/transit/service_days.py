"""Which services run on which day: the calendar of a GTFS feed as one boolean table.

``calendar.txt`` (weekly patterns between two dates) and ``calendar_dates.txt`` (days added or
removed) become a (day × service) table, so that the services of a day are one row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.core.errors import InputError
from layers.transit.gtfs import WEEKDAYS, gtfs_dates


@dataclass
class ServiceDays:
    """The services running on each day of a feed's period.

    Attributes
    ----------
    service_ids : pandas.Index
        (S,) the feed's service ids (column order of :attr:`active`).
    first_day : int
        The ordinal (:meth:`datetime.date.toordinal`) of the first day of the period.
    active : numpy.ndarray
        (D, S) bool: service ``s`` runs on day ``first_day + d``.
    """

    service_ids: pd.Index
    first_day: int
    active: np.ndarray

    def services_on(self, day: date) -> np.ndarray | None:
        """(S,) bool: the services running on ``day``; ``None`` outside the feed's period."""
        row = day.toordinal() - self.first_day
        if row < 0 or row >= len(self.active):
            return None
        return self.active[row]

    def dates(self) -> list[date]:
        """The dates on which at least one service runs, sorted."""
        rows = np.flatnonzero(self.active.any(axis=1))
        return [date.fromordinal(int(r) + self.first_day) for r in rows]


def read_calendar(feed: Any, path: Path) -> ServiceDays:
    """The (day, service) activity table, from calendar.txt and calendar_dates.txt; an
    :class:`InputError` when the feed has neither."""
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
    service_ids = pd.Index(pd.unique(pd.concat(ids, ignore_index=True)))
    days = []
    if calendar is not None and len(calendar):
        starts = gtfs_dates(calendar["start_date"], path, "calendar.txt", "start_date")
        ends = gtfs_dates(calendar["end_date"], path, "calendar.txt", "end_date")
        days += [starts.min(), ends.max()]
    if exceptions is not None and len(exceptions):
        exception_days = gtfs_dates(exceptions["date"], path, "calendar_dates.txt", "date")
        days += [exception_days.min(), exception_days.max()]
    first_day = int(min(days))
    count = int(max(days)) - first_day + 1
    active = np.zeros((count, len(service_ids)), dtype=bool)
    day = np.arange(count) + first_day
    weekday = (day + 6) % 7  # 0001-01-01 (ordinal 1) was a Monday
    if calendar is not None and len(calendar):
        flags = np.column_stack(
            [pd.to_numeric(calendar[w], errors="coerce").fillna(0).to_numpy() == 1 for w in WEEKDAYS]
        )
        runs = (day[:, None] >= starts[None, :]) & (day[:, None] <= ends[None, :]) & flags[:, weekday].T
        column = service_ids.get_indexer(calendar["service_id"].str.strip())
        np.logical_or.at(active.T, column, runs.T)
    if exceptions is not None and len(exceptions):
        column = service_ids.get_indexer(exceptions["service_id"].str.strip())
        kind = pd.to_numeric(exceptions["exception_type"], errors="coerce").to_numpy()
        rows = exception_days - first_day
        active[rows[kind == 1], column[kind == 1]] = True
        active[rows[kind == 2], column[kind == 2]] = False
    return ServiceDays(service_ids, first_day, active)


def as_date(value: date | datetime | str) -> date:
    """A date given as a date, a datetime (its date) or ``YYYY-MM-DD`` / ``YYYYMMDD`` text;
    :class:`ValueError` otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.strptime(text, "%Y%m%d" if text.isdigit() else "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)") from None
