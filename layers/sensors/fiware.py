"""FIWARE / NGSI observations (``TrafficFlowObserved``, ``WeatherObserved``, ``NoiseLevelObserved``...).

Smart-city platforms export their entities as JSON: one object per observation, written as an
array, one object per line, or (Montpellier's ``MMM_EcoCompt_*_archive.json``) objects simply
following one another, several on a line. Attributes come in the *keyValues* form
(``"intensity": 524``), the NGSI v2 *normalized* form (``{"type": "Number", "value": 524}``) or
the NGSI-LD form (``{"type": "Property", "value": 524, "observedAt": ...}``).

:func:`read_observations` reads one file or a folder of them (one counter per file is common) into
flat arrays: time, sensor id, value, and a position per sensor.

* The time is ``dateObserved`` (an ISO interval ``start/end`` counts at its start, and its length
  is the sampling step), else ``dateObservedFrom``, ``observedAt``, ``TimeInstant``.
* The sensor is ``refDevice`` / ``refPointOfInterest`` when given, else the entity ``id`` with a
  trailing date stamp removed (``MMM_EcoCompt_X2H19070220_202012170000`` → ``MMM_EcoCompt_X2H19070220``).
* The value is the entity type's main attribute (``intensity`` for traffic, ``temperature`` for
  weather, ``LAeq`` for noise, a pollutant for air quality), else the one numeric attribute.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.core.errors import InputError

#: suffixes of files holding NGSI entities
SUFFIXES = (".json", ".jsonl", ".ndjson", ".ngsi")
#: the attribute read for each entity type, in order of preference
MAIN_ATTRIBUTES = {
    "trafficflowobserved": ("intensity", "occupancy", "averageVehicleSpeed"),
    "weatherobserved": ("temperature", "relativeHumidity", "precipitation", "windSpeed"),
    "noiselevelobserved": ("LAeq", "LAeq_d", "LAmax", "LAS"),
    "airqualityobserved": ("no2", "NO2", "pm10", "PM10", "pm25", "PM25", "o3", "O3"),
    "crowdflowobserved": ("peopleCount", "occupancy"),
    "onstreetparking": ("availableSpotNumber",),
    "parkingspot": ("status",),
}
TIME_ATTRIBUTES = (
    "dateObserved",
    "dateObservedFrom",
    "observedAt",
    "TimeInstant",
    "dateModified",
    "timestamp",
)
SENSOR_ATTRIBUTES = ("refDevice", "refPointOfInterest", "refRoadSegment")
#: attributes that are never the reading
NOT_VALUES = {
    "laneId",
    "laneDirection",
    "reversedLane",
    "location",
    "id",
    "type",
    "address",
    "name",
    "source",
    "dataProvider",
}
_STAMP = re.compile(r"[_:\-]\d{8,14}$")


@dataclass
class Observations:
    """NGSI observations as flat arrays (R rows) and one row per sensor."""

    times: pd.Series  # (R,) str: ISO times (an interval's start)
    sensor: np.ndarray  # (R,) object sensor ids
    value: np.ndarray  # (R,) float64
    step_s: float | None  # the observation interval, when the times are intervals
    value_field: str
    entity_type: str
    sites: pd.DataFrame  # id, x, y (lon/lat, NaN when unknown), name, vehicle_type
    files: int = 1
    warnings: list[str] = field(default_factory=list)


def read_objects(path: Path) -> list[dict]:
    """Every JSON object of ``path``: an array, an ``{"value"|"data"|"entities": [...]}`` wrapper,
    one object per line, or objects following one another."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None
    text = text.strip()
    if not text:
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if data is None:
        # objects one after the other: join them into an array when that parses, else walk them
        try:
            data = json.loads("[" + re.sub(r"\}\s*\{", "},{", text) + "]")
        except json.JSONDecodeError:
            data = _walk(text, path)
    if isinstance(data, dict):
        for key in ("value", "data", "entities", "results", "features"):
            if isinstance(data.get(key), list):
                return [o for o in data[key] if isinstance(o, dict)]
        return [data]
    if isinstance(data, list):
        return [o for o in data if isinstance(o, dict)]
    raise InputError(path, "holds no JSON objects")


def _walk(text: str, path: Path) -> list[Any]:
    decoder = json.JSONDecoder()
    objects: list[Any] = []
    i, space = 0, re.compile(r"[\s,]*")
    while True:
        gap = space.match(text, i)  # "[\s,]*" matches anywhere, maybe empty
        i = gap.end() if gap is not None else i
        if i >= len(text):
            return objects
        try:
            obj, i = decoder.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"is not valid JSON near line {exc.lineno}: {exc.msg}") from None
        objects.append(obj)


def _plain(value: object) -> object:
    """The value of an attribute in keyValues, normalized or NGSI-LD form."""
    if isinstance(value, dict) and "value" in value and ("type" in value or len(value) <= 3):
        return value["value"]
    return value


def files_of(path: Path) -> list[Path]:
    """The NGSI files of a folder (sorted), or ``[path]``."""
    if path.is_dir():
        from layers.sensors.detect import is_fiware_json

        files = sorted(
            p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file() and is_fiware_json(p)
        )
        if not files:
            raise InputError(path, "the folder holds no FIWARE / NGSI observation files (.json)")
        return files
    return [path]


def read_observations(path: Path, *, value: str | None = None) -> Observations:
    """Read NGSI entities from a file or a folder of files.

    Parameters
    ----------
    path
        A ``.json`` / ``.jsonl`` file, or a folder of them.
    value
        The attribute holding the readings (default: the entity type's main attribute).

    Raises
    ------
    InputError
        When no object has a time, or no numeric attribute can be the reading.
    """
    files = files_of(path)
    objects = []
    for file in files:
        objects.extend(read_objects(file))
    if not objects:
        raise InputError(path, "holds no NGSI entities")
    frame = pd.DataFrame.from_records([{k: _plain(v) for k, v in o.items()} for o in objects])
    warnings: list[str] = []

    time_field = next((t for t in TIME_ATTRIBUTES if t in frame.columns), None)
    if time_field is None:
        raise InputError(
            path,
            "the NGSI entities have no observation time",
            hint=f"expected one of {', '.join(TIME_ATTRIBUTES)}",
        )
    entity_type = (
        str(frame["type"].dropna().mode().iloc[0]) if "type" in frame and frame["type"].notna().any() else ""
    )
    value_field = _value_field(frame, entity_type, value, path)

    times = frame[time_field].astype("string").str.strip()
    step_s = None
    interval = times.str.contains("/", regex=False).fillna(False)
    if interval.any():
        parts = times[interval].str.split("/", n=1)
        starts = pd.to_datetime(parts.str[0], errors="coerce", utc=True, format="ISO8601")
        ends = pd.to_datetime(parts.str[1], errors="coerce", utc=True, format="ISO8601")
        lengths = (ends - starts).dt.total_seconds().dropna()
        if len(lengths):
            step_s = float(lengths.median())
        times = times.where(~interval, times.str.split("/", n=1).str[0])
    elif "dateObservedTo" in frame and time_field == "dateObservedFrom":
        lengths = (
            (
                pd.to_datetime(frame["dateObservedTo"], errors="coerce", utc=True)
                - pd.to_datetime(times, errors="coerce", utc=True)
            )
            .dt.total_seconds()
            .dropna()
        )
        step_s = float(lengths.median()) if len(lengths) else None

    sensor = _sensor_ids(frame)
    readings = pd.to_numeric(frame[value_field], errors="coerce").to_numpy(float)
    keep = times.notna().to_numpy() & (sensor != "")
    if not keep.all():
        warnings.append(f"{int((~keep).sum())} entities without a time or an id skipped")
    sites = _sites(frame, sensor)
    return Observations(
        times=times[keep].reset_index(drop=True),
        sensor=sensor[keep],
        value=readings[keep],
        step_s=step_s,
        value_field=value_field,
        entity_type=entity_type,
        sites=sites,
        files=len(files),
        warnings=warnings,
    )


def _value_field(frame: pd.DataFrame, entity_type: str, value: str | None, path: Path) -> str:
    if value is not None:
        if value not in frame.columns:
            raise InputError(
                path,
                f"no attribute {value!r} in the NGSI entities",
                field=value,
                hint=f"attributes: {', '.join(map(str, frame.columns))}",
            )
        return value
    for name in MAIN_ATTRIBUTES.get(entity_type.lower(), ()):
        if name in frame.columns and pd.to_numeric(frame[name], errors="coerce").notna().any():
            return name
    numeric = [
        c
        for c in frame.columns
        if c not in NOT_VALUES
        and c not in TIME_ATTRIBUTES
        and not str(c).startswith(("date", "ref"))
        and pd.to_numeric(frame[c], errors="coerce").notna().mean() > 0.5
    ]
    if len(numeric) == 1:
        return numeric[0]
    if not numeric:
        raise InputError(path, "the NGSI entities have no numeric attribute to replay")
    raise InputError(
        path,
        f"several attributes could be the readings: {', '.join(map(str, numeric))}",
        hint="choose one with value=...",
    )


def _sensor_ids(frame: pd.DataFrame) -> np.ndarray:
    for name in SENSOR_ATTRIBUTES:
        if name in frame and frame[name].notna().any():
            ids = frame[name].astype("string").str.strip()
            if "id" in frame:
                ids = ids.fillna(frame["id"].astype("string").str.replace(_STAMP, "", regex=True))
            return ids.fillna("").to_numpy(dtype=object)
    if "id" not in frame:
        return np.full(len(frame), "sensor", dtype=object)
    ids = frame["id"].astype("string").str.strip().str.replace(_STAMP, "", regex=True)
    return ids.fillna("").to_numpy(dtype=object)


def _sites(frame: pd.DataFrame, sensor: np.ndarray) -> pd.DataFrame:
    """One row per sensor: the median of its records' positions (records without one ignored)."""
    lon = np.full(len(frame), np.nan)
    lat = np.full(len(frame), np.nan)
    if "location" in frame:
        for i, loc in enumerate(frame["location"].to_numpy()):
            loc = _plain(loc)
            if isinstance(loc, dict) and loc.get("type") == "Point":
                coords = loc.get("coordinates") or []
                if len(coords) >= 2 and coords[0] is not None and coords[1] is not None:
                    lon[i], lat[i] = float(coords[0]), float(coords[1])
    table = pd.DataFrame({"id": sensor, "x": lon, "y": lat})
    table = table[table["id"] != ""]
    sites = table.groupby("id", sort=False)[["x", "y"]].median().reset_index()
    names = frame["name"].astype("string") if "name" in frame else None
    sites["name"] = None
    if names is not None:
        first = pd.Series(names.to_numpy(), index=sensor).groupby(level=0).first()
        sites["name"] = first.reindex(sites["id"]).to_numpy(dtype=object)
    for extra in ("vehicleType", "laneId", "laneDirection", "reversedLane"):
        if extra in frame:
            first = (
                pd.Series(frame[extra].to_numpy(), index=sensor)
                .groupby(level=0)
                .agg(lambda v: v.dropna().mode().iloc[0] if v.notna().any() else None)
            )
            sites[extra] = first.reindex(sites["id"]).to_numpy(dtype=object)
    return sites
