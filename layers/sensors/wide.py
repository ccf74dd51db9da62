"""Tables with one column per hour, per sensor or per time, and typical days (hours without dates).

The long shape (one reading per row) is read by :func:`layers.sensors.read.read_long`; the shapes
here spread the readings over columns:

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
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.core.errors import InputError
from layers.io.date_order import MixedDateOrder, numeric_dates_as_iso
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
from layers.sensors.detect import HOUR_NAMES
from layers.sensors.read import (
    DAY_S,
    NS_PER_S,
    NoSensorColumn,
    SensorData,
    from_long,
    interval_step_s,
    numeric_columns,
    parse_times,
)
from layers.sensors.sites import id_strings, sites_from_rows


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
    try:
        day_text = numeric_dates_as_iso(
            frame[date_col].astype("string").str.strip(),
            column=date_col,
            notes=warnings,
            groups=frame[id_col].to_numpy(),
        )
    except MixedDateOrder as exc:
        raise InputError(path, str(exc), field=date_col, hint=exc.hint) from None
    days = pd.Series(pd.to_datetime(day_text, errors="coerce", format="mixed").to_numpy(), index=frame.index)
    bad = days.isna() & frame[date_col].notna()
    if bad.any():
        raise InputError(
            path,
            f"cannot read {frame[date_col][bad].iloc[0]!r} as a date "
            f"(row {int(np.flatnonzero(bad.to_numpy())[0]) + 2})",
            field=date_col,
        )
    keep = days.notna().to_numpy()
    hour_numbers = np.array([int(re.findall(r"\d{1,2}", str(h))[0]) for h in hours])
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
                f"{int(flagged.sum())} sensor-days are flagged with a strong "
                f"probability of anomalies ({anomalies}): shown as read"
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
            raise NoSensorColumn(path, columns)
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
            f"{value_col} shown; other columns that could be shown: "
            f"{', '.join(map(str, other))} (choose with value=...)"
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
