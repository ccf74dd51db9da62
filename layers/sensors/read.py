"""The shapes of sensor tables, read into one dense ``(times, sensors)`` array.

Every reader returns a :class:`SensorData`: sorted unique times, the sensor ids, a float32 array of
readings (NaN = no reading) and, when the file says where the sensors are, their sites. The shapes:

* **long** — one reading per row: a time, a sensor id (or coordinates), a value;
* **wide by hour** — one row per sensor and day, one column per hour (``Jour`` + ``00``..``23``,
  Nantes' bicycle loops);
* **wide by sensor** — one row per time, one column per sensor (``time;T01;T02;...``); the
  locations file is joined on the column names;
* **wide by time** — one row per sensor, one column per time (``station;2023-08-12 00:00;...``);
* **typical day** — hours of the day (0..23) and no dates: a mean daily cycle, replayed on any day
  (:attr:`SensorData.cycle_s` = 86 400).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.core.errors import InputError
from layers.io.tables import (
    ID_NAMES,
    ID_WORDS,
    NAME_NAMES,
    TIME_NAMES,
    TIME_WORDS,
    find_column,
    named_column,
    normalise_name,
    table_coordinates,
    times_to_ns,
)
from layers.sensors.detect import HOUR_NAMES, hour_columns
from layers.sensors.sites import id_strings, sites_from_rows

NS_PER_S = 1_000_000_000
DAY_S = 86_400.0


@dataclass
class SensorData:
    """Readings on a dense grid, before their sites are joined.

    Attributes
    ----------
    sensor_ids : (S,) object
    times_ns : (N,) int64, sorted unique (UTC ns; for a typical day, ns since local midnight)
    values : (N, S) float32, NaN where a sensor has no reading
    sites : DataFrame or None
        ``id, name, x, y`` (+ extra columns), ``attrs["crs"]``; ``None`` when the file has no positions.
    id_field : the readings' id column (to find the same column in a locations file)
    """

    sensor_ids: np.ndarray
    times_ns: np.ndarray
    values: np.ndarray
    sites: pd.DataFrame | None = None
    value_field: str | None = None
    id_field: str | None = None
    names: np.ndarray | None = None
    quantity: str | None = None
    unit: str | None = None
    step_s: float | None = None
    cycle_s: float | None = None
    warnings: list[str] = field(default_factory=list)


# -- the pivot -----------------------------------------------------------------------------------
def pivot(
    times_ns: np.ndarray, ids: np.ndarray, readings: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """``(sensor_ids (S,), times_ns (N,), values (N, S) float32, duplicates)`` of long arrays;
    repeated (time, sensor) readings are averaged, NaN readings ignored."""
    ids = np.asarray(ids, dtype=object)
    keep = ids != ""
    times_ns, ids, readings = times_ns[keep], ids[keep], np.asarray(readings, float)[keep]
    times, t_index = np.unique(times_ns, return_inverse=True)
    sensor_ids = natural_sort(pd.unique(ids))
    s_index = pd.Index(sensor_ids).get_indexer(ids)
    flat = t_index.astype(np.int64) * len(sensor_ids) + s_index
    ok = np.isfinite(readings)
    size = len(times) * len(sensor_ids)
    counts = np.bincount(flat[ok], minlength=size)
    sums = np.bincount(flat[ok], weights=readings[ok], minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan).reshape(
            len(times), len(sensor_ids)
        )
    duplicates = int((counts[counts > 1] - 1).sum())
    return sensor_ids, times, values.astype(np.float32), duplicates


def natural_sort(ids: np.ndarray) -> np.ndarray:
    """Ids in natural order: numbers as numbers (``2`` before ``10``), else as text."""
    ids = np.asarray(ids, dtype=object)
    if all(isinstance(i, str) and i.isdigit() for i in ids):
        return ids[np.argsort([int(i) for i in ids], kind="stable")]
    return np.array(sorted(ids, key=str), dtype=object)


def from_long(
    times_ns: np.ndarray, ids: np.ndarray, readings: np.ndarray, warnings: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sensor_ids, times, values, duplicates = pivot(times_ns, ids, readings)
    if duplicates:
        warnings.append(f"{duplicates} readings share a time and a sensor with another one: averaged")
    return sensor_ids, times, values


# -- times -----------------------------------------------------------------------------------------
def parse_times(
    series: pd.Series,
    zone: str,
    path: Path,
    field: str,
    *,
    warnings: list[str] | None = None,
    groups: np.ndarray | None = None,
) -> np.ndarray:
    """int64 ns UTC of a time column (ISO text, dd/mm/yyyy, ISO intervals, epoch numbers).

    ``warnings`` receives what was decided about DST gaps, overlaps and mixed offsets; ``groups``
    (the sensor of each row) tells a repeated autumn hour from its first pass
    (:func:`layers.io.tables.times_to_ns`)."""
    if pd.api.types.is_numeric_dtype(series):
        numbers = series.to_numpy(float)
        if np.all(numbers == np.round(numbers)) and numbers.min() >= 0 and numbers.max() <= 24:
            raise InputError(path, "holds hours of the day but no dates", field=field)
        if 1e8 <= numbers.min() and numbers.max() < 1e10:
            return (numbers * NS_PER_S).astype(np.int64)
        if 1e11 <= numbers.min() and numbers.max() < 1e13:
            return (numbers * 1e6).astype(np.int64)
        raise InputError(
            path,
            "holds numbers, not times",
            field=field,
            hint="expected ISO 8601 times such as 2023-08-12 14:00",
        )
    if pd.api.types.is_datetime64_any_dtype(series):
        series = (
            series.dt.strftime("%Y-%m-%dT%H:%M:%S.%f%z")
            if series.dt.tz is not None
            else series.astype("string")
        )
    text = series.astype("string").str.strip().reset_index(drop=True)
    sample = text.dropna().head(500)
    if len(sample) and sample.str.fullmatch(r"\d{1,2}(:\d{2}){0,2}|\d{1,2}\s*h(\d{2})?").all():
        raise InputError(path, "holds times of day but no dates", field=field)
    if len(sample) and sample.str.match(r"\d{4}-\d{2}-\d{2}[^/]*/\d{4}-").all():
        text = text.str.split("/", n=1).str[0]  # an ISO interval: its start
    dayfirst = bool(len(sample)) and bool(sample.str.match(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}").all())
    try:
        return times_to_ns(text, zone, dayfirst=dayfirst, notes=warnings, groups=groups)
    except (ValueError, TypeError, OverflowError) as exc:
        raise InputError(
            path,
            str(exc),
            field=field,
            hint="expected ISO 8601 times such as 2023-08-12 14:00 or 2023-08-12T14:00+02:00",
        ) from None


def interval_step_s(series: pd.Series) -> float | None:
    """The median length (s) of ISO intervals ``start/end`` in a text column, ``None`` otherwise."""
    text = series.dropna().astype("string").head(2000)
    if not len(text) or not text.str.match(r"\d{4}-\d{2}-\d{2}[^/]*/\d{4}-").all():
        return None
    parts = text.str.split("/", n=1)
    start = pd.to_datetime(parts.str[0], errors="coerce", utc=True, format="ISO8601")
    end = pd.to_datetime(parts.str[1], errors="coerce", utc=True, format="ISO8601")
    lengths = (end - start).dt.total_seconds().dropna()
    return float(lengths.median()) if len(lengths) else None


# -- columns ---------------------------------------------------------------------------------------
def guess_time_column(frame: pd.DataFrame) -> str | None:
    return find_column(list(frame.columns), TIME_NAMES, TIME_WORDS)


def guess_value_column(frame: pd.DataFrame, path: Path, used: set[str]) -> str:
    candidates = [
        c
        for c in frame.columns
        if c not in used
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
        and normalise_name(c) not in HOUR_NAMES
    ]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise InputError(
            path, "no numeric column of readings", hint=f"columns are: {', '.join(map(str, frame.columns))}"
        )
    raise InputError(
        path,
        f"several columns could hold the readings: {', '.join(map(str, candidates))}",
        hint="choose one with value=...",
    )


def numeric_columns(frame: pd.DataFrame, used: set[str]) -> list[str]:
    return [
        c
        for c in frame.columns
        if c not in used
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]


def date_columns(columns: list[str]) -> list[str]:
    """Columns whose names are dates or date-times (a table with one column per time)."""
    pattern = re.compile(
        r"^\d{4}-\d{2}-\d{2}([ T]\d{1,2}(:\d{2}){1,2})?$|^\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2})?$"
    )
    return [c for c in columns if pattern.match(str(c).strip())]


# -- shapes ----------------------------------------------------------------------------------------
def read_long(
    frame: pd.DataFrame,
    path: Path,
    *,
    zone: str,
    time: str | None,
    id: str | None,
    value: str | None,
    x: str | None,
    y: str | None,
    crs: Any,
    points: tuple | None,
    need_sites: bool,
) -> SensorData:
    """A long table (or the attribute table of a point file): one reading per row.

    ``need_sites``: the table must carry its own coordinates (no locations file to join).
    """
    warnings: list[str] = []
    columns = list(frame.columns)
    time_col = named_column(frame, path, time, "time") if time else guess_time_column(frame)
    if time_col is None:
        raise InputError(
            path,
            "no time column",
            hint=f"expected one named time, date, datetime, timestamp...; columns are: {', '.join(map(str, columns))}; or give time=...",
        )
    used = {time_col}
    id_col = (
        named_column(frame, path, id, "sensor id")
        if id
        else find_column(columns, ID_NAMES, ID_WORDS, exclude=used)
    )
    coords = None
    if points is None:
        coords = table_coordinates(frame, path, x=x, y=y, crs=crs, warnings=warnings)
    located = points is not None or coords is not None
    if id_col is None:
        if not located:
            raise _NoSensorColumn(path, columns)
        id_col = "__position__"
        xs, ys = (coords[0], coords[1]) if coords is not None else (points[0], points[1])
        frame[id_col] = np.array([f"{a:.6f} {b:.6f}" for a, b in zip(xs, ys)], dtype=object)
        warnings.append("no sensor id column: sensors are told apart by their coordinates")
    used.add(id_col)
    if coords is not None:
        used.update(coords[3])
    name_col = find_column(columns, NAME_NAMES, exclude=used)
    if name_col is not None:
        used.add(name_col)
    value_col = named_column(frame, path, value, "value") if value else guess_value_column(frame, path, used)
    used.add(value_col)
    readings = pd.to_numeric(frame[value_col], errors="coerce").to_numpy(float)
    if not np.isfinite(readings).any():
        raise InputError(path, "the value column holds no numbers", field=value_col)

    keep = frame[time_col].notna().to_numpy()
    if not keep.all():
        warnings.append(f"{int((~keep).sum())} rows without a time skipped")
    ids = id_strings(frame.loc[keep, id_col])
    times = parse_times(frame.loc[keep, time_col], zone, path, time_col, warnings=warnings, groups=ids)
    sensor_ids, times_ns, values = from_long(times, ids, readings[keep], warnings)

    sites = None
    if located:
        xs, ys, site_crs = points if points is not None else coords[:3]
        sites = sites_from_rows(frame, id_col, xs, ys, site_crs, used - {name_col})
    names = None
    if name_col is not None:
        by_id = pd.Series(
            frame[name_col].astype("string").str.strip().to_numpy(), index=id_strings(frame[id_col])
        )
        by_id = by_id[~by_id.index.duplicated()].reindex(sensor_ids)
        names = by_id.where(by_id.notna(), None).to_numpy(dtype=object)
    return SensorData(
        sensor_ids,
        times_ns,
        values,
        sites=sites,
        value_field=value_col,
        id_field=None if id_col == "__position__" else id_col,
        names=names,
        step_s=interval_step_s(frame[time_col]),
        warnings=warnings,
    )


class _NoSensorColumn(InputError):
    """A table with a time column but neither a sensor id nor coordinates (maybe one column per sensor)."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        super().__init__(
            path,
            "the sensors have no coordinates and no id column",
            hint="add x/y or lon/lat columns, or a sensor id column and a locations file joined on it",
        )
        self.columns = columns


def read_wide_hours(
    frame: pd.DataFrame,
    path: Path,
    hours: list[str],
    *,
    zone: str,
    time: str | None,
    id: str | None,
    value: str | None,
    x: str | None,
    y: str | None,
    crs: Any,
) -> SensorData:
    """One row per sensor and day, one column per hour of the day (local time)."""
    warnings: list[str] = []
    columns = list(frame.columns)
    used = set(hours)
    date_col = (
        named_column(frame, path, time, "date")
        if time
        else find_column([c for c in columns if c not in used], TIME_NAMES, TIME_WORDS)
    )
    if date_col is None:
        raise InputError(
            path,
            "has one column per hour but no date column",
            hint="expected a column named date, jour, day...",
        )
    used.add(date_col)
    # a second formatted copy of the date (Nantes' "Date formatée") is no sensor attribute
    for column in columns:
        if column not in used and "date" in normalise_name(column):
            used.add(column)
    id_col = (
        named_column(frame, path, id, "sensor id")
        if id
        else find_column([c for c in columns if c not in used], ID_NAMES, ID_WORDS)
    )
    coords = table_coordinates(frame, path, x=x, y=y, crs=crs, warnings=warnings)
    if id_col is None:
        if coords is None:
            raise InputError(
                path,
                "has one column per hour but no sensor id column",
                hint="expected a column named station, sensor, compteur, boucle...",
            )
        id_col = "__position__"
        frame[id_col] = np.array([f"{a:.6f} {b:.6f}" for a, b in zip(coords[0], coords[1])], dtype=object)
    used.add(id_col)
    if coords is not None:
        used.update(coords[3])
    days = pd.to_datetime(
        frame[date_col].astype("string").str.strip(),
        errors="coerce",
        dayfirst=bool(frame[date_col].astype("string").str.match(r"\d{1,2}/").all()),
    )
    bad = days.isna() & frame[date_col].notna()
    if bad.any():
        raise InputError(
            path,
            f"cannot read {frame[date_col][bad].iloc[0]!r} as a date (row {int(np.flatnonzero(bad.to_numpy())[0]) + 2})",
            field=date_col,
        )
    keep = days.notna().to_numpy()
    hour_numbers = np.array([int(re.search(r"\d{1,2}", str(h)).group()) for h in hours])
    cells = frame.loc[keep, hours].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    local = (
        days[keep].to_numpy().astype("datetime64[ns]")[:, None]
        + hour_numbers[None, :].astype("timedelta64[h]")
    ).ravel()
    text = pd.Series(pd.DatetimeIndex(local).strftime("%Y-%m-%dT%H:%M:%S"))
    times = times_to_ns(text, zone)
    ids = np.repeat(id_strings(frame.loc[keep, id_col]), len(hours))
    sensor_ids, times_ns, values = from_long(times, ids, cells.ravel(), warnings)
    anomalies = find_column(
        columns, ("probabilite_de_presence_d_anomalies", "anomalie", "anomalies", "anomaly"), ("anomal",)
    )
    if anomalies is not None:
        flagged = (
            frame[anomalies]
            .astype("string")
            .str.strip()
            .str.lower()
            .isin(["forte", "high", "oui", "yes", "true", "1"])
        )
        if flagged.any():
            warnings.append(
                f"{int(flagged.sum())} sensor-days are flagged with a strong probability of anomalies ({anomalies}): shown as read"
            )
        used.add(anomalies)
    for column in columns:  # daily totals are no sensor attribute either
        if normalise_name(column) in {
            "total",
            "somme",
            "sum",
            "jour_de_la_semaine",
            "day_of_week",
            "vacances",
            "holidays",
        }:
            used.add(column)
    name_col = find_column(
        [c for c in columns if c not in used],
        NAME_NAMES + ("boucle_de_comptage", "libelle_boucle", "nom_boucle"),
    )
    names = None
    if name_col is not None:
        used.add(name_col)
        by_id = pd.Series(
            frame[name_col].astype("string").str.strip().to_numpy(), index=id_strings(frame[id_col])
        )
        names = by_id[~by_id.index.duplicated()].reindex(sensor_ids).to_numpy(dtype=object)
    sites = (
        sites_from_rows(
            frame, id_col, coords[0], coords[1], coords[2], used - {name_col} if name_col else used
        )
        if coords is not None
        else None
    )
    return SensorData(
        sensor_ids,
        times_ns,
        values,
        sites=sites,
        value_field=None,
        id_field=None if id_col == "__position__" else id_col,
        names=names,
        step_s=3600.0,
        warnings=warnings,
    )


def read_wide_sensors(
    frame: pd.DataFrame, path: Path, columns: list[str], *, zone: str, time_col: str
) -> SensorData:
    """One row per time, one column per sensor (named by its id)."""
    warnings: list[str] = []
    keep = frame[time_col].notna().to_numpy()
    times = parse_times(
        frame.loc[keep, time_col], zone, path, time_col, warnings=warnings, groups=np.zeros(int(keep.sum()))
    )
    cells = frame.loc[keep, columns].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    ids = np.tile(np.array([str(c).strip() for c in columns], dtype=object), len(times))
    sensor_ids, times_ns, values = from_long(np.repeat(times, len(columns)), ids, cells.ravel(), warnings)
    return SensorData(
        sensor_ids, times_ns, values, step_s=interval_step_s(frame[time_col]), warnings=warnings
    )


def read_wide_times(
    frame: pd.DataFrame, path: Path, time_columns: list[str], *, zone: str, id_col: str
) -> SensorData:
    """One row per sensor, one column per time."""
    warnings: list[str] = []
    times = parse_times(pd.Series([str(c).strip() for c in time_columns]), zone, path, "columns")
    cells = frame[time_columns].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    ids = np.repeat(id_strings(frame[id_col]), len(time_columns))
    sensor_ids, times_ns, values = from_long(np.tile(times, len(frame)), ids, cells.ravel(), warnings)
    return SensorData(sensor_ids, times_ns, values, id_field=id_col, warnings=warnings)


def read_typical_day(
    frame: pd.DataFrame,
    path: Path,
    hour_col: str,
    *,
    id: str | None,
    value: str | None,
    x: str | None,
    y: str | None,
    crs: Any,
) -> SensorData:
    """Hours of the day and no dates: a mean daily cycle. Times are ns since local midnight."""
    warnings: list[str] = []
    hours = pd.to_numeric(frame[hour_col], errors="coerce").to_numpy(float)
    if not np.isfinite(hours).any() or np.nanmin(hours) < 0 or np.nanmax(hours) > 24:
        raise InputError(path, "the hour column does not hold hours of the day (0 to 23)", field=hour_col)
    columns = list(frame.columns)
    used = {hour_col}
    id_col = (
        named_column(frame, path, id, "sensor id")
        if id
        else find_column([c for c in columns if c not in used], ID_NAMES, ID_WORDS)
    )
    coords = table_coordinates(frame, path, x=x, y=y, crs=crs, warnings=warnings)
    if id_col is None:
        if coords is None:
            raise _NoSensorColumn(path, columns)
        id_col = "__position__"
        frame[id_col] = np.array([f"{a:.6f} {b:.6f}" for a, b in zip(coords[0], coords[1])], dtype=object)
    used.add(id_col)
    if coords is not None:
        used.update(coords[3])
    name_col = find_column(columns, NAME_NAMES, exclude=used)
    if name_col:
        used.add(name_col)
    value_col = named_column(frame, path, value, "value") if value else _first_value_column(frame, used, path)
    used.add(value_col)
    other = [c for c in numeric_columns(frame, used) if c != value_col]
    if other and not value:
        warnings.append(
            f"{value_col} shown; other columns that could be shown: {', '.join(map(str, other))} (choose with value=...)"
        )
    keep = np.isfinite(hours)
    times = (np.round(hours[keep] * 3600.0) * NS_PER_S).astype(np.int64) % int(DAY_S * NS_PER_S)
    readings = pd.to_numeric(frame[value_col], errors="coerce").to_numpy(float)[keep]
    sensor_ids, times_ns, values = from_long(times, id_strings(frame.loc[keep, id_col]), readings, warnings)
    sites = (
        sites_from_rows(
            frame, id_col, coords[0], coords[1], coords[2], used - {name_col} if name_col else used
        )
        if coords is not None
        else None
    )
    warnings.append("a typical day (hours of the day, no dates): replayed on whatever day the clock shows")
    return SensorData(
        sensor_ids,
        times_ns,
        values,
        sites=sites,
        value_field=value_col,
        id_field=None if id_col == "__position__" else id_col,
        step_s=3600.0,
        cycle_s=DAY_S,
        warnings=warnings,
    )


def _first_value_column(frame: pd.DataFrame, used: set[str], path: Path) -> str:
    candidates = [
        c
        for c in numeric_columns(frame, used)
        if normalise_name(c) not in HOUR_NAMES and not _is_index(frame[c])
    ]
    if not candidates:
        raise InputError(
            path, "no numeric column of readings", hint=f"columns are: {', '.join(map(str, frame.columns))}"
        )
    return candidates[0]


def _is_index(series: pd.Series) -> bool:
    values = series.to_numpy()
    return (
        pd.api.types.is_integer_dtype(series)
        and len(values) > 1
        and np.array_equal(values, np.arange(values[0], values[0] + len(values)))
    )


def classify(frame: pd.DataFrame, *, time: str | None) -> tuple[str, Any]:
    """``(shape, detail)`` of a table: ``("wide_hours", hour columns)``, ``("typical_day", hour
    column)``, ``("wide_times", time columns)`` or ``("long", None)``."""
    columns = list(frame.columns)
    hours = hour_columns(columns)
    if hours:
        return "wide_hours", hours
    if time is None and guess_time_column(frame) is None:
        hour = find_column(columns, HOUR_NAMES)
        if hour is not None:
            return "typical_day", hour
        stamps = date_columns(columns)
        if len(stamps) >= 3:
            return "wide_times", stamps
    return "long", None
