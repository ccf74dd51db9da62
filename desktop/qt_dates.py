"""Qt's calendar types as Python's: :class:`QDate` → ``date``, :class:`QDateTime` → a naive ``datetime``.

The same values as PySide6's ``toPython()``, typed (its stubs say ``object``). A date-time editor's
value is a wall-clock reading with no zone: the caller gives it the scene's zone.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def to_naive_datetime(value: QDateTime) -> datetime:
    day, time = value.date(), value.time()
    return datetime(
        day.year(), day.month(), day.day(), time.hour(), time.minute(), time.second(), time.msec() * 1000
    )
