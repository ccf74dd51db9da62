"""Time parsing and conversion: every time in Maquette is timezone-aware.

Series are stored as ``int64`` nanoseconds since the Unix epoch (UTC) so that lookups on the clock
are vectorised ``numpy.searchsorted`` calls. A naive time (no offset) means the scene's time zone;
an explicit offset or ``Z`` is honoured.
"""

from __future__ import annotations

from datetime import UTC, datetime
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
        try:
            stamp = pd.Timestamp(written)
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"{text!r} is not an ISO 8601 time (expected e.g. 2025-07-02T14:00 or 2025-07-02T14:00+02:00)"
            ) from exc
        if stamp is pd.NaT:
            raise ValueError(f"{text!r} is not an ISO 8601 time")
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(zone(tz), nonexistent="shift_forward", ambiguous=True)
    return stamp.to_pydatetime()


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
