"""Sensor tables read into one dense ``(times, sensors)`` array: the common parts and the long shape.

Every reader returns a :class:`SensorData`: sorted unique times, the sensor ids, a float32 array of
readings (NaN = no reading) and, when the file says where the sensors are, their sites. This module
holds the pivot of long arrays into that grid, the reading of time columns, the guessing of
columns, :func:`classify` (which shape a table has) and the **long** shape, one reading per row (a
time, a sensor id or coordinates, a value). The wide shapes and typical days are read by
:mod:`layers.sensors.wide`, large tables by :mod:`layers.sensors.fast`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.core.errors import InputError
from layers.io.table_times import MixedDateOrder
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
#: readings beyond this (the largest float32) are no measurement; they are left out, said
MAX_READING = float(np.finfo(np.float32).max)
#: day numbers of a spreadsheet (days since 30 December 1899) from 1927 to 2173: refused as such
SPREADSHEET_DAYS = (10_000.0, 100_000.0)


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


def unusable_readings(readings: np.ndarray, warnings: list[str]) -> np.ndarray:
    """``readings`` (float64) with the infinite ones and those beyond a float32 (±3.4e38: no
    measurement is) as NaN, said in ``warnings`` with an example."""
    readings = np.asarray(readings, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        unusable = np.isinf(readings) | (np.abs(readings) > MAX_READING)
    if unusable.any():
        warnings.append(
            f"{int(unusable.sum())} readings are infinite or beyond any measurement "
            f"(e.g. {readings[unusable][0]:g}): left out"
        )
        readings = np.where(unusable, np.nan, readings)
    return readings


def from_long(
    times_ns: np.ndarray, ids: np.ndarray, readings: np.ndarray, warnings: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    readings = unusable_readings(readings, warnings)
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
        if SPREADSHEET_DAYS[0] <= numbers.min() and numbers.max() < SPREADSHEET_DAYS[1]:
            raise InputError(
                path,
                f"holds numbers such as {numbers[0]:g} that look like spreadsheet day numbers, not times",
                field=field,
                hint="format the column as dates in the spreadsheet before saving it as CSV, "
                "or write ISO 8601 times such as 2023-08-12 14:00",
            )
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
    try:
        return times_to_ns(text, zone, notes=warnings, groups=groups, column=field)
    except MixedDateOrder as exc:
        raise InputError(path, str(exc), field=field, hint=exc.hint) from None
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
    points: tuple[np.ndarray, np.ndarray, Any] | None,
    need_sites: bool,
) -> SensorData:
    """A long table (or the attribute table of a point file): one reading per row.

    ``points``: ``(x, y, crs)`` of the rows when they come from a point file; ``need_sites``: the
    table must carry its own coordinates (no locations file to join).
    """
    warnings: list[str] = []
    columns = list(frame.columns)
    time_col = named_column(frame, path, time, "time") if time else guess_time_column(frame)
    if time_col is None:
        raise InputError(
            path,
            "no time column",
            hint=(
                "expected one named time, date, datetime, timestamp...; "
                f"columns are: {', '.join(map(str, columns))}; or give time=..."
            ),
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
    #: (x, y, crs) of every row, when the table or its file says where they are
    position = points if points is not None else (coords[:3] if coords is not None else None)
    if id_col is None:
        if position is None:
            raise NoSensorColumn(path, columns)
        id_col = "__position__"
        xs, ys = position[0], position[1]
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
    if position is not None:
        xs, ys, site_crs = position
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


class NoSensorColumn(InputError):
    """A table with a time column but neither a sensor id nor coordinates (maybe one column per sensor)."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        super().__init__(
            path,
            "the sensors have no coordinates and no id column",
            hint="add x/y or lon/lat columns, or a sensor id column and a locations file joined on it",
        )
        self.columns = columns


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
