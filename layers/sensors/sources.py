"""Which reader a sensor source needs: :func:`read_source`.

It looks at the path (a folder of NGSI files, a FIWARE or SensorThings JSON, a Parquet or large
CSV, a table of any shape, a point file) and returns its readings as a
:class:`layers.sensors.read.SensorData`; the sensors' positions are found afterwards
(:func:`layers.sensors.load.resolve_sites`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.errors import InputError
from layers.io.tables import ID_NAMES, ID_WORDS, TABLE_SUFFIXES, find_column, read_table, times_to_ns
from layers.sensors.detect import is_fiware_json, is_sensor_folder, is_sensorthings_json
from layers.sensors.quantities import guess_quantity, per_step
from layers.sensors.read import (
    NoSensorColumn,
    SensorData,
    classify,
    from_long,
    guess_time_column,
    numeric_columns,
    parse_times,
    read_long,
)
from layers.sensors.sites import find_sibling, read_locations, read_points, resolve, sample, sidecar
from layers.sensors.wide import read_typical_day, read_wide_hours, read_wide_sensors, read_wide_times

JSON_SUFFIXES = {".json", ".jsonl", ".ndjson", ".ngsi", ".geojson"}


#: vehicle types of FIWARE TrafficFlowObserved → quantity
VEHICLE_QUANTITIES = {
    "bicycle": "bicycle count",
    "pedestrian": "pedestrian count",
    "car": "vehicle count",
    "motorvehicle": "vehicle count",
}


def read_source(
    path: Path,
    *,
    zone: str,
    crs: CRS | None,
    locations: Any,
    locations_id: str | None,
    time: str | None,
    id: str | None,
    value: str | None,
    x: str | None,
    y: str | None,
) -> tuple[SensorData, str]:
    """The readings of ``path`` and the kind of source (``"table"``, ``"observations"``, ``"points"``)."""
    if not path.exists():
        raise InputError(path, "no such file or folder")
    suffix = path.suffix.lower()
    if path.is_dir():
        if not is_sensor_folder(path):
            raise InputError(
                path, "the folder holds no sensor observation files (FIWARE / NGSI or SensorThings .json)"
            )
        return _from_fiware(path, zone, value), "observations"
    if suffix in JSON_SUFFIXES:
        if is_fiware_json(path):
            return _from_fiware(path, zone, value), "observations"
        if is_sensorthings_json(path):
            return _from_sensorthings(path, zone, value), "observations"
    from layers.sensors.fast import read_fast, usable

    if usable(path):
        data = read_fast(path, zone=zone, time=time, id=id, value=value, x=x, y=y, crs=crs)
        if data is not None:
            return data, "table"
    if suffix in TABLE_SUFFIXES or suffix in {".parquet", ".pq"}:
        frame = read_table(path) if suffix in TABLE_SUFFIXES else _parquet_frame(path)
        return _from_table(
            frame,
            path,
            zone=zone,
            crs=crs,
            locations=locations,
            locations_id=locations_id,
            time=time,
            id=id,
            value=value,
            x=x,
            y=y,
        ), "table"
    frame, xs, ys, points_crs = read_points(path, crs)
    return read_long(
        frame,
        path,
        zone=zone,
        time=time,
        id=id,
        value=value,
        x=x,
        y=y,
        crs=crs,
        points=(xs, ys, points_crs),
        need_sites=True,
    ), "points"


def _parquet_frame(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path).to_pandas()
    except Exception as exc:  # noqa: BLE001
        raise InputError(path, f"cannot be read as Parquet: {str(exc).splitlines()[0]}") from None


def _from_table(
    frame: pd.DataFrame,
    path: Path,
    *,
    zone: str,
    crs: CRS | None,
    locations: Any,
    locations_id: str | None,
    time: str | None,
    id: str | None,
    value: str | None,
    x: str | None,
    y: str | None,
) -> SensorData:
    shape, detail = classify(frame, time=time)
    if shape == "wide_hours":
        return read_wide_hours(
            frame, path, detail, zone=zone, time=time, id=id, value=value, x=x, y=y, crs=crs
        )
    if shape == "typical_day":
        return read_typical_day(frame, path, detail, id=id, value=value, x=x, y=y, crs=crs)
    if shape == "wide_times":
        id_col = (
            find_column([c for c in frame.columns if c not in detail], ID_NAMES, ID_WORDS)
            if id is None
            else id
        )
        if id_col is None:
            raise InputError(path, "has one column per time but no sensor id column")
        return read_wide_times(frame, path, detail, zone=zone, id_col=id_col)
    try:
        return read_long(
            frame,
            path,
            zone=zone,
            time=time,
            id=id,
            value=value,
            x=x,
            y=y,
            crs=crs,
            points=None,
            need_sites=locations is None,
        )
    except NoSensorColumn as exc:
        time_col = time or guess_time_column(frame)
        if time_col is None:
            raise exc from None
        columns = [c for c in numeric_columns(frame, {time_col}) if c != time_col]
        if len(columns) >= (1 if locations is not None else 2):
            ids = np.array([str(c).strip() for c in columns], dtype=object)
            if _locations_for(path, ids, locations, locations_id, crs) is not None:
                data = read_wide_sensors(frame, path, columns, zone=zone, time_col=time_col)
                data.warnings.append(
                    f"one column per sensor ({sample(ids, 4)}): joined to the locations by column name"
                )
                return data
        raise exc from None


def _locations_for(
    path: Path, ids: np.ndarray, locations: Any, locations_id: str | None, crs: CRS | None
) -> Path | None:
    """A locations file that locates at least half of ``ids`` (given, named after ``path``, or next to it)."""
    candidates = (
        [resolve(locations, path)] if locations is not None else [c for c in [sidecar(path)] if c is not None]
    )
    for candidate in candidates:
        try:
            sites = read_locations(candidate, ids, id_name=locations_id, crs=crs, warnings=[])
        except InputError:
            continue
        if len(sites) >= 0.5 * len(ids):
            return candidate
    if locations is None:
        found = find_sibling(path, ids, crs=crs)
        if found is not None:
            return found[0]
    return None


# -- observations ----------------------------------------------------------------------------------
def _from_fiware(path: Path, zone: str, value: str | None) -> SensorData:
    from layers.sensors.fiware import read_observations

    obs = read_observations(path, value=value)
    warnings = list(obs.warnings)
    try:
        times = times_to_ns(obs.times, zone)
    except ValueError as exc:
        raise InputError(path, f"dateObserved: {exc}") from None
    sensor_ids, times_ns, values = from_long(times, obs.sensor, obs.value, warnings)
    if obs.files > 1:
        warnings.insert(0, f"{obs.files} files read as one layer")
    sites = obs.sites
    sites.attrs["crs"] = crs_util.WGS84
    quantity = None
    if "vehicleType" in sites and sites["vehicleType"].notna().any():
        kind = str(sites["vehicleType"].dropna().mode().iloc[0]).lower()
        quantity = VEHICLE_QUANTITIES.get(kind)
    if quantity is None and obs.entity_type.lower() == "trafficflowobserved":
        quantity = "vehicle count"
    unit = None
    if quantity is not None:
        unit = per_step(
            obs.step_s or (float(np.median(np.diff(times_ns))) / 1e9 if len(times_ns) > 1 else None)
        )
    return SensorData(
        sensor_ids,
        times_ns,
        values,
        sites=sites,
        value_field=obs.value_field,
        id_field="id",
        quantity=quantity,
        unit=unit,
        step_s=obs.step_s,
        warnings=warnings,
    )


def _from_sensorthings(path: Path, zone: str, value: str | None) -> SensorData:
    from layers.sensors.sensorthings import read_streams

    streams = read_streams(path, value=value)
    warnings = list(streams.warnings)
    keep = streams.times.notna().to_numpy()
    if not keep.all():
        warnings.append(f"{int((~keep).sum())} observations without a time skipped")
    times = parse_times(streams.times[keep].reset_index(drop=True), zone, path, "phenomenonTime")
    sensor_ids, times_ns, values = from_long(times, streams.sensor[keep], streams.value[keep], warnings)
    sites = streams.sites
    sites.attrs["crs"] = crs_util.WGS84

    guessed, guessed_unit = guess_quantity(streams.quantity, streams.step_s)
    quantity = guessed if guessed != streams.quantity else streams.quantity
    return SensorData(
        sensor_ids,
        times_ns,
        values,
        sites=sites,
        value_field=streams.quantity,
        id_field="@iot.id",
        quantity=quantity,
        unit=streams.unit or guessed_unit,
        step_s=streams.step_s,
        warnings=warnings,
    )
