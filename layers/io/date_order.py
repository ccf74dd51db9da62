"""Dates written with numbers only, whose order a reader must decide: ``03/04/2025`` is 3 April in
France and 4 March in the United States.

:func:`numeric_dates_as_iso` finds the values of a column written ``dd/mm/yyyy`` or
``mm/dd/yyyy`` (``/``, ``.`` or ``-``, two- or four-digit years, a time and an offset may follow),
decides their order for the whole column and rewrites them as ISO 8601 (``2025-04-03 10:00+02:00``)
so that every later reading is plain. A column is never read both ways:

* a number above 12 first (``13/04/2025``) can only be a day, one second (``04/13/2025``) only a
  day too: when the column has both, it mixes the two orders and is refused
  (:class:`MixedDateOrder`, naming an example of each);
* month first when only the second number ever passes 12, said in a note;
* day first when only the first one does (the French way, no note);
* when no number passes 12, the column is ambiguous: the order that keeps the rows in time order
  (per sensor when ``groups`` is given) is chosen if only one does, day first otherwise, and a note
  says so.

ISO dates (``2025-04-03``), years first (``2025/04/03``) and month names are left as they are.
:func:`one_date_as_iso` does the same for one time typed by a user (``--at``, ``--time``), which
has no column to decide with: ``03/04/2025`` is refused there.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

#: ``13/04/2025``, ``13.04.25``, ``04-13-2025 10:00+02:00``: day and month (either order), year, rest
_NUMERIC_DATE = r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})((?:[\sT].*)?)$"
_MONTHS = (
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


class MixedDateOrder(ValueError):
    """A column holds dates that can only be day first and others that can only be month first;
    :attr:`hint` says what to do, with an example of the column written in ISO 8601."""

    def __init__(self, message: str, example: str) -> None:
        super().__init__(message)
        self.hint = f"write the dates in one order, best as ISO 8601 ({example})"


def numeric_dates_as_iso(
    text: pd.Series,
    *,
    column: str | None = None,
    notes: list[str] | None = None,
    groups: np.ndarray | None = None,
    dayfirst: bool = True,
) -> pd.Series:
    """``text`` (stripped strings) with its day/month dates rewritten as ISO 8601, in one order.

    ``column`` names the column in the notes; ``groups`` (the sensor of each row) lets the time
    order decide an ambiguous column; ``dayfirst`` is the order of a column nothing decides.

    Raises
    ------
    MixedDateOrder
        When some dates can only be day first and others only month first (examples and rows,
        1-based, named).
    """
    text = pd.Series(text).astype("string").reset_index(drop=True)
    parts = text.str.extract(_NUMERIC_DATE)
    found = parts[0].notna().to_numpy(bool)
    if not found.any():
        return text
    rows = np.flatnonzero(found)
    first = parts.loc[found, 0].astype(int).to_numpy()
    second = parts.loc[found, 2].astype(int).to_numpy()
    only_day_first = (first > 12) & (second <= 12)
    only_month_first = (second > 12) & (first <= 12)
    years = np.array([_full_year(y) for y in parts.loc[found, 3]], dtype=np.int64)
    name = f"the dates of {column}" if column else "the dates"
    if only_day_first.any() and only_month_first.any():
        k = int(np.flatnonzero(only_day_first)[0])
        day_row, month_row = rows[k], rows[only_month_first][0]
        raise MixedDateOrder(
            f"mixes day-first and month-first dates: {text[day_row]!r} (row {day_row + 1}) can only be "
            f"day/month/year, {text[month_row]!r} (row {month_row + 1}) only month/day/year",
            _iso(years[k], second[k], first[k]),
        )
    if only_month_first.any():
        day_first = False
        example = rows[only_month_first][0]
        _note(notes, f"{name} are written month first (e.g. {text[example]}): all read month first")
    elif only_day_first.any():
        day_first = True
    else:
        day_first = dayfirst
        differ = first != second
        if differ.any():  # 03/04/2025 could be either; 05/05/2025 could not
            k = int(np.flatnonzero(differ)[0])
            keys_day = years * 10_000 + second * 100 + first
            keys_month = years * 10_000 + first * 100 + second
            in_order = (_in_order(keys_day, groups, rows), _in_order(keys_month, groups, rows))
            why = "as in France"
            if in_order[0] != in_order[1]:
                day_first = in_order[0]
                why = "the only order that keeps the rows in time order"
            day, month = (first[k], second[k]) if day_first else (second[k], first[k])
            _note(
                notes,
                f"{name} could be day/month or month/day (no number above 12, e.g. {text[rows[k]]}): "
                f"read {'day' if day_first else 'month'} first ({_spoken(years[k], month, day)}), {why}; "
                f"write ISO dates ({_iso(years[k], month, day)}) to be sure",
            )
    days, months = (first, second) if day_first else (second, first)
    rest = parts.loc[found, 4].fillna("").to_numpy(str)
    rewritten = [
        _iso(y, m, d) + r for y, m, d, r in zip(years.tolist(), months.tolist(), days.tolist(), rest)
    ]
    out = text.copy()
    out.loc[found] = pd.Series(rewritten, index=np.flatnonzero(found), dtype="string")
    return out


def one_date_as_iso(text: str) -> str:
    """A time typed by a user (a flag, a project's field) with its day/month date as ISO 8601: the
    order its numbers allow; ``text`` as it is without such a date.

    Raises
    ------
    ValueError
        When both numbers could be the month (``03/04/2025``): which is meant cannot be told.
    """
    match = re.match(_NUMERIC_DATE, text.strip())
    if match is None:
        return text
    first, second, year = int(match.group(1)), int(match.group(3)), _full_year(match.group(4))
    if first <= 12 and second <= 12 and first != second:
        raise ValueError(
            f"{text!r} could be day/month or month/day: write the date as ISO 8601 "
            f"({_iso(year, second, first)} for {_spoken(year, second, first)})"
        )
    day, month = (second, first) if second > 12 else (first, second)
    return _iso(year, month, day) + match.group(5)


def _full_year(text: str) -> int:
    """A year of the text: four digits as written; two digits within 50 years of today (as
    pandas and dateutil read them)."""
    year = int(text)
    if len(text) > 2:
        return year
    now = date.today().year
    year += now // 100 * 100
    if year >= now + 50:
        year -= 100
    elif year < now - 50:
        year += 100
    return year


def _in_order(keys: np.ndarray, groups: np.ndarray | None, rows: np.ndarray) -> bool:
    """True when ``keys`` never decrease from one row to the next (of the same group)."""
    if len(keys) < 2:
        return True
    if groups is None:
        return bool(np.all(np.diff(keys) >= 0))
    codes = pd.factorize(pd.Series(np.asarray(groups, dtype=object)[rows]))[0]
    order = np.argsort(codes, kind="stable")
    same = np.diff(codes[order]) == 0
    return bool(np.all(np.diff(keys[order])[same] >= 0))


def _iso(year: int, month: int, day: int) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def _spoken(year: int, month: int, day: int) -> str:
    """``3 April 2025`` (the month's name when it is one)."""
    return f"{int(day)} {_MONTHS[month - 1]} {int(year)}" if 1 <= month <= 12 else _iso(year, month, day)


def _note(notes: list[str] | None, text: str) -> None:
    if notes is not None:
        notes.append(text)
