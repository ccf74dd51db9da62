"""Time parsing and conversion: every time in Maquette is timezone-aware.

Series are stored as ``int64`` nanoseconds since the Unix epoch (UTC) so that lookups on the clock
are vectorised ``numpy.searchsorted`` calls. A naive time (no offset) means the scene's time zone;
an explicit offset or ``Z`` is honoured.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

DEFAULT_TIMEZONE = "Europe/Paris"
#: the longest IANA zone name (America/Argentina/ComodRivadavia is 30), and the longest text read
#: as a time (an ISO 8601 time with nanoseconds and an offset is 35 characters)
MAX_ZONE_NAME = 64
MAX_TIME_TEXT = 100


def zone(name: str | None) -> ZoneInfo:
    """The IANA time zone ``name`` (default Europe/Paris); ``ValueError`` if unknown."""
    try:
        if name is not None and len(name) > MAX_ZONE_NAME:
            raise ValueError(name)
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        if name is not None and len(name) > MAX_ZONE_NAME:
            name = name[:MAX_ZONE_NAME] + "…"
        raise ValueError(f"unknown time zone {name!r} (expected an IANA name such as Europe/Paris)") from exc


def parse_time(text: str | datetime, tz: str | None = None) -> datetime:
    """Parse an ISO 8601 time; a naive time is taken in ``tz`` (the scene's zone).

    Raises ``ValueError`` with a readable message when ``text`` is not a time, or when its date is
    written with numbers in an order that cannot be told (``03/04/2025``; ``13/04/2025`` is read
    day first, ``04/13/2025`` month first: :func:`layers.io.date_order.one_date_as_iso`). A local
    time that does not exist (the spring DST gap) is moved forward; an ambiguous one (autumn) takes
    the first.
    """
    if isinstance(text, datetime):
        stamp = pd.Timestamp(text)
    else:
        from layers.io.date_order import one_date_as_iso

        if len(str(text)) > MAX_TIME_TEXT:  # parsed in seconds, never a time: said at once
            raise ValueError(f"{str(text)[:40]!r}… ({len(str(text)):,} characters) is not an ISO 8601 time")
        written = one_date_as_iso(str(text).strip())  # ValueError when its order cannot be told
        if _FAR_YEAR.match(written):
            raise ValueError(f"{text!r} {OUTSIDE}")
        try:
            stamp = pd.Timestamp(written)
        except (ValueError, TypeError, OverflowError) as exc:
            raise ValueError(_not_a_time(text, written)) from exc
        if stamp is pd.NaT:
            raise ValueError(f"{text!r} is not an ISO 8601 time")
    if not _IN_RANGE_NAIVE[0] <= stamp.replace(tzinfo=None) <= _IN_RANGE_NAIVE[1]:
        raise ValueError(f"{text!r} {OUTSIDE}")
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(zone(tz), nonexistent="shift_forward", ambiguous=True)
    return stamp.to_pydatetime()


#: the times Maquette holds: nanoseconds since 1970 in 64 bits (pandas), less a day at each end
#: for time zones: 1677-09-22 to 2262-04-10
FIRST_DAY, LAST_DAY = "1677-09-22", "2262-04-10"
OUTSIDE = (
    f"is outside the dates Maquette can hold ({FIRST_DAY} to {LAST_DAY}: times are counted in "
    "nanoseconds since 1970)"
)
_IN_RANGE_NAIVE = (pd.Timestamp(FIRST_DAY), pd.Timestamp(LAST_DAY) + pd.Timedelta("1D") - pd.Timedelta("1ns"))
#: a year of five digits or more, negative, or 0
_FAR_YEAR = re.compile(r"^\s*(?:[+-]\d{4,}|\d{5,}|0000)-")


def impossible(written: str) -> str | None:
    """Why the ISO text ``written`` is no time although written as one: a date or an hour that does
    not exist (``day is out of range for month``, ``hour must be in 0..23``), a year Maquette cannot
    hold (:data:`OUTSIDE`); ``None`` for any other text."""
    if _FAR_YEAR.match(written):
        return OUTSIDE
    try:
        datetime.fromisoformat(written.strip().replace(" ", "T", 1))
    except ValueError as exc:
        reason = str(exc)
        if "range" in reason or "must be in" in reason:
            return f"is not a time that exists ({reason})"
    return None


def _not_a_time(text: object, written: str) -> str:
    why = impossible(written)
    if why is not None:
        return f"{text!r} {why}"
    return f"{text!r} is not an ISO 8601 time (expected e.g. 2025-07-02T14:00 or 2025-07-02T14:00+02:00)"


def check_day(day: date, text: object) -> date:
    """``day`` if Maquette can hold it; ``ValueError`` (naming ``text``) otherwise."""
    if not date.fromisoformat(FIRST_DAY) <= day <= date.fromisoformat(LAST_DAY):
        raise ValueError(f"{text!r} {OUTSIDE}")
    return day


def to_ns(t: datetime) -> int:
    """Nanoseconds since the epoch (UTC) of an aware datetime."""
    if t.tzinfo is None:
        raise ValueError("naive datetime: Maquette only handles timezone-aware times")
    return int(pd.Timestamp(t).value)


def from_ns(ns: int, tz: str | None = None) -> datetime:
    """The aware datetime, in ``tz``, of ``ns`` nanoseconds since the epoch."""
    return pd.Timestamp(int(ns), tz="UTC").tz_convert(zone(tz)).to_pydatetime()


def utc_now() -> datetime:
    return datetime.now(UTC)


def format_local(t: datetime, tz: str | None = None, *, seconds: bool = False) -> str:
    """A time as shown to users, in the scene's zone: ``2025-07-02 14:00 CEST``."""
    local = t.astimezone(zone(tz))
    pattern = "%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z"
    return local.strftime(pattern)


_FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_FR_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day_and_month(day: date, lang: str = "fr") -> str:
    """A day of the year as ``lang`` writes it in a name: ``21 juin``, ``1er juillet`` / ``21 June``."""
    if lang.startswith("fr"):
        return f"{'1er' if day.day == 1 else day.day} {_FR_MONTHS[day.month - 1]}"
    return f"{day.day} {_EN_MONTHS[day.month - 1]}"


def format_long(t: datetime, tz: str | None = None, lang: str = "fr") -> str:
    """A time for an audience, in the scene's zone: ``mardi 1 juillet 2025 · 16:00 (CEST)``."""
    local = t.astimezone(zone(tz))
    abbrev = local.strftime("%Z")
    if lang.startswith("fr"):
        day = _FR_DAYS[local.weekday()]
        text = f"{day} {local.day} {_FR_MONTHS[local.month - 1]} {local.year} · {local:%H:%M}"
    else:
        text = (
            f"{_EN_DAYS[local.weekday()]} {local.day} "
            f"{_EN_MONTHS[local.month - 1]} {local.year} · {local:%H:%M}"
        )
    return f"{text} ({abbrev})"
