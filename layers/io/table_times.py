"""Time columns as instants: texts with or without an offset, local times across DST changes.

:func:`times_to_ns` reads a column of time texts into int64 nanoseconds since the epoch (UTC),
naive texts in the table's time zone, the spring gap and the autumn overlap read as a logger that
writes local time means them; dates written with numbers only (``03/04/2025``) are read in one
order for the whole column (:mod:`layers.io.date_order`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from layers.io.date_order import MixedDateOrder, numeric_dates_as_iso

__all__ = ["MixedDateOrder", "times_to_ns"]

_OFFSET = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$", re.I)


def times_to_ns(
    text: pd.Series,
    tz: str | None = None,
    *,
    dayfirst: bool = True,
    notes: list[str] | None = None,
    groups: np.ndarray | None = None,
    column: str | None = None,
) -> np.ndarray:
    """int64 nanoseconds since the epoch (UTC) of a column of time texts.

    Texts with an offset (``+02:00``, ``Z``) are honoured, naive ones are taken in ``tz`` (default
    Europe/Paris); both may be mixed in one column. A local time in the spring DST gap (02:30 on
    the last Sunday of March in Paris, a time clocks skip) is read with the offset before the
    change, i.e. one hour later in summer time (never onto the next real reading). A local time of
    the autumn overlap (02:30 on the last Sunday of October happens twice) is read as the first,
    summer-time one; when it comes back for the same sensor (``groups``: the sensor of each row),
    the repeat is read as the second, standard-time one, so an hour of a logger that writes local
    time is kept whole. The nanosecond unit is forced, so the result does not depend on the
    resolution pandas infers. Dates written with numbers only are read in one order for the whole
    column (:func:`layers.io.date_order.numeric_dates_as_iso`; ``dayfirst``: the order when nothing
    decides it). ``notes`` receives a sentence for each of these cases, ``column`` names the
    column in them.

    Raises
    ------
    ValueError
        Naming the first value that is not a time, and its row; :class:`MixedDateOrder` (a
        ``ValueError``) when the column mixes day-first and month-first dates.
    """

    text = pd.Series(text).astype("string").str.strip().reset_index(drop=True)
    iso = numeric_dates_as_iso(text, column=column, notes=notes, groups=groups, dayfirst=dayfirst)
    out = np.zeros(len(text), dtype=np.int64)
    aware = text.str.contains(_OFFSET).fillna(False).to_numpy(bool)
    for mask, utc in ((aware, True), (~aware, False)):
        if not mask.any():
            continue
        part = iso[mask]
        parsed = pd.to_datetime(part, errors="coerce", format="mixed", utc=utc)
        if parsed.isna().any():
            bad = text[mask][parsed.isna()]
            raise ValueError(
                _unreadable(str(bad.iloc[0]), str(iso[mask][parsed.isna()].iloc[0]), bad.index[0])
            )
        try:
            parsed = parsed.dt.as_unit("ns")
        except (OverflowError, ValueError):  # pandas' OutOfBoundsDatetime: beyond 1677-2262
            raise ValueError(_beyond(text[mask], parsed)) from None
        if utc:
            out[mask] = parsed.dt.tz_convert("UTC").astype("int64").to_numpy()
        else:
            try:
                out[mask] = _local_ns(parsed, tz, notes, None if groups is None else np.asarray(groups)[mask])
            except (OverflowError, ValueError):  # a local time at the very ends of the range
                raise ValueError(_beyond(text[mask], parsed)) from None
    low, high = _range_ns()
    outside = (out < low) | (out >= high)
    if outside.any():  # held by pandas, but too near its ends for a day's or an hour's arithmetic
        row = int(np.flatnonzero(outside)[0])
        from layers.core.timeutil import OUTSIDE

        raise ValueError(f"cannot read {text[row]!r} as a time (row {row + 1}): it {OUTSIDE}")
    if notes is not None and aware.any() and not aware.all():
        notes.append(
            f"the times mix explicit offsets (e.g. {text[aware].iloc[0]}) and local times without one "
            f"(e.g. {text[~aware].iloc[0]}): those without are read in {tz or 'Europe/Paris'}"
        )
    return out


def _range_ns() -> tuple[int, int]:
    """The first and past-the-last nanoseconds (UTC) of the times Maquette holds."""
    from layers.core.timeutil import FIRST_DAY, LAST_DAY

    first = pd.Timestamp(FIRST_DAY, tz="UTC")
    return int(first.value), int((pd.Timestamp(LAST_DAY, tz="UTC") + pd.Timedelta("1D")).value)


def _unreadable(value: str, written: str, index: int) -> str:
    """Why the time text ``value`` (``written`` in ISO order) at row ``index`` (from 0) is not read."""
    from layers.core.timeutil import impossible

    why = impossible(written)
    if why is not None:
        return f"cannot read {value!r} as a time (row {int(index) + 1}): it {why}"
    return f"cannot read {value!r} as a time (row {int(index) + 1})"


def _beyond(text: pd.Series, parsed: pd.Series) -> str:
    """The first time of ``parsed`` that nanoseconds since 1970 cannot hold, with its row."""
    from layers.core.timeutil import FIRST_DAY, LAST_DAY, OUTSIDE

    first, last = pd.Timestamp(FIRST_DAY), pd.Timestamp(LAST_DAY) + pd.Timedelta("1D")
    for position in range(len(parsed)):
        try:
            wall = pd.Timestamp(parsed.iloc[position]).as_unit("ns").tz_localize(None)
        except (OverflowError, ValueError, TypeError):
            wall = None
        if wall is None or not first <= wall < last:
            row = int(str(text.index[position])) + 1
            return f"cannot read {text.iloc[position]!r} as a time (row {row}): it {OUTSIDE}"
    return f"a time {OUTSIDE}"


def _local_ns(
    parsed: pd.Series, tz: str | None, notes: list[str] | None, groups: np.ndarray | None
) -> np.ndarray:
    """int64 ns UTC of naive local times in ``tz``, the DST gap and overlap handled as
    :func:`times_to_ns` says."""
    from layers.core.timeutil import zone

    place = zone(tz)
    name = tz or "Europe/Paris"
    n = len(parsed)
    first = parsed.dt.tz_localize(place, nonexistent=pd.Timedelta(hours=1), ambiguous=np.ones(n, bool))
    ns = first.dt.tz_convert("UTC").astype("int64").to_numpy().copy()
    gap = parsed.dt.tz_localize(place, nonexistent="NaT", ambiguous=np.ones(n, bool)).isna().to_numpy()
    overlap = (
        parsed.dt.tz_localize(place, nonexistent=pd.Timedelta(hours=1), ambiguous="NaT").isna().to_numpy()
        & ~gap
    )
    if notes is not None and gap.any():
        example = parsed[gap].iloc[0]
        notes.append(
            f"{int(gap.sum())} local times fall in the spring DST gap of {name} "
            f"(e.g. {example:%Y-%m-%d %H:%M}, a time clocks skip): read with the "
            f"offset before the change ({first[gap].iloc[0]:%H:%M} summer time)"
        )
    if overlap.any():
        keys = pd.DataFrame(
            {"g": groups[overlap] if groups is not None else 0, "t": parsed[overlap].to_numpy()}
        )
        repeat = (keys.groupby(["g", "t"]).cumcount().to_numpy() % 2) == 1
        if repeat.any():
            rows = np.flatnonzero(overlap)[repeat]
            second = parsed.iloc[rows].dt.tz_localize(place, ambiguous=np.zeros(len(rows), bool))
            ns[rows] = second.dt.tz_convert("UTC").astype("int64").to_numpy()
        if notes is not None:
            example = parsed[overlap].iloc[0]
            how = (
                "a time seen again for the same sensor is read as the second "
                "(standard time), the others as the first (summer time)"
                if repeat.any()
                else (
                    "read as the first (summer time); give times with "
                    "an offset (+01:00 / +02:00) to tell them apart"
                )
            )
            notes.append(
                f"{int(overlap.sum())} local times fall in the autumn DST overlap of {name} "
                f"(e.g. {example:%Y-%m-%d %H:%M}, which happens twice): {how}"
            )
    return ns
