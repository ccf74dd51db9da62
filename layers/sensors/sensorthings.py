"""OGC SensorThings API exports: Things, their Locations, Datastreams and Observations.

A SensorThings server answers JSON such as ``/Things?$expand=Locations,Datastreams/Observations``:
a ``{"value": [...]}`` page of entities, each expanding the ones below it. Exports are saved from
such queries, so all these shapes are read:

* Things with ``Locations`` and ``Datastreams`` (each with ``Observations``);
* Datastreams with their ``Thing`` (and its ``Locations``) and ``Observations``;
* Observations with their ``Datastream`` (and ``Thing``) and ``FeatureOfInterest``;
* a bare list of any of them, or one entity.

A sensor is a Datastream (a Thing measuring two properties has two). Its position is the Thing's
first Location (a GeoJSON point, or a feature holding one), else the Datastream's
``observedArea``, else its observations' ``FeatureOfInterest``. The time of an observation is its
``phenomenonTime`` (an interval counts at its start), else its ``resultTime``. The unit is the
Datastream's ``unitOfMeasurement.symbol``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.core.errors import InputError
from layers.io.tables import normalise_name


@dataclass
class Streams:
    """SensorThings observations as flat arrays (R rows) and one row per datastream."""

    times: pd.Series  # (R,) ISO text (an interval's start)
    sensor: np.ndarray  # (R,) object datastream keys
    value: np.ndarray  # (R,) float64
    quantity: str
    unit: str
    step_s: float | None
    sites: pd.DataFrame  # id, name, x, y (lon/lat), thing, datastream
    warnings: list[str] = field(default_factory=list)


def load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(path, "the SensorThings export is not UTF-8 JSON") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, f"is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None


def _entities(data: Any) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("value"), list):
        return [e for e in data["value"] if isinstance(e, dict)]
    if isinstance(data, list):
        return [e for e in data if isinstance(e, dict)]
    return [data] if isinstance(data, dict) else []


def _key(entity: dict, fallback: str) -> str:
    for name in ("@iot.id", "id", "@iot.selfLink", "name"):
        if entity.get(name) not in (None, ""):
            return str(entity[name])
    return fallback


def _point(geo: Any) -> tuple[float, float] | None:
    """(lon, lat) of a GeoJSON point, feature, or the centre of a polygon's outer ring."""
    if not isinstance(geo, dict):
        return None
    if geo.get("type") == "Feature":
        return _point(geo.get("geometry"))
    coords = geo.get("coordinates")
    if coords is None:
        return None
    try:
        if geo.get("type") == "Point":
            return float(coords[0]), float(coords[1])
        if geo.get("type") == "Polygon":
            ring = np.asarray(coords[0], dtype=np.float64)
            return float(ring[:, 0].mean()), float(ring[:, 1].mean())
    except (TypeError, ValueError, IndexError):
        return None
    return None


def _thing_point(thing: dict | None) -> tuple[float, float] | None:
    if not thing:
        return None
    for location in thing.get("Locations") or []:
        found = _point(location.get("location"))
        if found:
            return found
    return None


def _streams(entities: list[dict]) -> Iterator[tuple[dict, dict | None, list[dict]]]:
    """(datastream, thing, observations) of every datastream found in ``entities``."""
    by_stream: dict[str, tuple[dict, dict | None, list[dict]]] = {}
    for i, entity in enumerate(entities):
        if "Datastreams" in entity or "Locations" in entity:  # a Thing
            for j, stream in enumerate(entity.get("Datastreams") or []):
                key = _key(stream, f"{i}.{j}")
                by_stream[key] = (stream, entity, list(stream.get("Observations") or []))
        elif "result" in entity and ("phenomenonTime" in entity or "resultTime" in entity):  # an Observation
            stream = entity.get("Datastream") or {}
            key = _key(stream, "datastream")
            if key not in by_stream:
                by_stream[key] = (stream, stream.get("Thing"), [])
            by_stream[key][2].append(entity)
        else:  # a Datastream
            key = _key(entity, str(i))
            by_stream[key] = (entity, entity.get("Thing"), list(entity.get("Observations") or []))
    for key, (stream, thing, observations) in by_stream.items():
        stream.setdefault("@key", key)
        yield stream, thing, observations


def _property(stream: dict) -> str:
    prop = stream.get("ObservedProperty") or {}
    return str(prop.get("name") or stream.get("name") or "value").strip()


def read_streams(path: Path, *, value: str | None = None) -> Streams:
    """Read a SensorThings JSON export.

    Parameters
    ----------
    value
        The observed property to keep when the datastreams measure several (matched on the
        property's or the datastream's name, ignoring case and accents); default: the property
        with the most observations.

    Raises
    ------
    InputError
        When the file holds no datastream with observations, or ``value`` matches none.
    """
    streams = [s for s in _streams(_entities(load_json(path))) if s[2]]
    if not streams:
        raise InputError(
            path,
            "the SensorThings export holds no observations",
            hint="export with $expand=Datastreams/Observations (or Observations with their Datastream)",
        )
    warnings: list[str] = []
    properties = pd.Series([_property(s) for s, _, _ in streams])
    counts = pd.Series([len(o) for _, _, o in streams]).groupby(properties).sum().sort_values(ascending=False)
    if value is not None:
        wanted = normalise_name(value)
        matching = [p for p in counts.index if wanted in normalise_name(p)]
        matching += [
            p
            for s, _, _ in streams
            for p in [_property(s)]
            if wanted in normalise_name(str(s.get("name", ""))) and p not in matching
        ]
        if not matching:
            raise InputError(
                path,
                f"no observed property {value!r}",
                field=value,
                hint=f"properties: {', '.join(counts.index)}",
            )
        chosen = matching[0]
    else:
        chosen = str(counts.index[0])
        if len(counts) > 1:
            warnings.append(
                f"several observed properties ({', '.join(counts.index)}): "
                f"{chosen} shown; choose with value=..."
            )
    keep = [s for s in streams if _property(s[0]) == chosen]

    times, sensor, readings, site_rows, steps = [], [], [], [], []
    units = []
    for stream, thing, observations in keep:
        key = stream["@key"]
        point = _thing_point(thing) or _point(stream.get("observedArea"))
        if point is None:
            point = next(
                (
                    p
                    for p in (_point((o.get("FeatureOfInterest") or {}).get("feature")) for o in observations)
                    if p
                ),
                None,
            )
        thing_name = str((thing or {}).get("name") or "").strip()
        stream_name = str(stream.get("name") or "").strip()
        site_rows.append(
            {
                "id": key,
                "name": thing_name or stream_name or key,
                "x": point[0] if point else np.nan,
                "y": point[1] if point else np.nan,
                "thing": thing_name or None,
                "datastream": stream_name or None,
                "description": (thing or {}).get("description") or stream.get("description"),
            }
        )
        unit = (stream.get("unitOfMeasurement") or {}).get("symbol")
        if unit:
            units.append(str(unit))
        for o in observations:
            stamp = o.get("phenomenonTime") or o.get("resultTime")
            if isinstance(stamp, str) and "/" in stamp:
                start, _, end = stamp.partition("/")
                steps.append((start, end))
                stamp = start
            times.append(stamp)
            sensor.append(key)
            readings.append(o.get("result"))
    sites = pd.DataFrame(site_rows)
    if sites["name"].duplicated().any():  # a Thing with two datastreams of one property
        twice = sites["name"].duplicated(keep=False)
        sites.loc[twice, "name"] = (
            sites.loc[twice, "name"] + " – " + sites.loc[twice, "datastream"].fillna(sites.loc[twice, "id"])
        )
    step_s = None
    if steps:
        pairs = pd.DataFrame(steps, columns=["a", "b"])
        lengths = (
            (
                pd.to_datetime(pairs["b"], errors="coerce", utc=True, format="ISO8601")
                - pd.to_datetime(pairs["a"], errors="coerce", utc=True, format="ISO8601")
            )
            .dt.total_seconds()
            .dropna()
        )
        step_s = float(lengths.median()) if len(lengths) else None
    unit = pd.Series(units).mode().iloc[0] if units else ""
    if len(set(units)) > 1:
        warnings.append(
            f"datastreams of {chosen} use several units ({', '.join(sorted(set(units)))}): {unit} shown"
        )
    return Streams(
        times=pd.Series(times, dtype="string"),
        sensor=np.asarray(sensor, dtype=object),
        value=pd.to_numeric(pd.Series(readings, dtype=object), errors="coerce").to_numpy(float),
        quantity=chosen,
        unit=_unit(unit),
        step_s=step_s,
        sites=sites,
        warnings=warnings,
    )


def _unit(symbol: str) -> str:
    """Common spellings of units as Maquette writes them (``degC`` → ``°C``, ``ug/m3`` → ``µg/m³``)."""
    folded = symbol.strip()
    table = {
        "degc": "°C",
        "cel": "°C",
        "°c": "°C",
        "celsius": "°C",
        "ug/m3": "µg/m³",
        "µg/m3": "µg/m³",
        "db": "dB(A)",
        "dba": "dB(A)",
        "db(a)": "dB(A)",
        "percent": "%",
    }
    return table.get(folded.lower(), folded)
