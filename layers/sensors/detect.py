"""Cheap tests that say a file (or folder) holds sensor readings: the kind's sniffers.

They read a few kilobytes, never the whole file:

* FIWARE / NGSI observations: JSON objects with an NGSI observation time (``dateObserved``...)
  or an entity ``type`` ending in ``Observed``;
* OGC SensorThings exports: ``@iot.id`` / ``Datastreams`` / ``Observations`` / ``phenomenonTime``;
* a folder of such files;
* a table whose columns are hours of the day (a mean daily cycle, or one row per day with one
  column per hour), whatever its time column;
* a Parquet table without geometry that has a time column.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from layers.core.kinds import Claim
from layers.io.tables import normalise_name

if TYPE_CHECKING:
    from layers.io.probe import FileProbe

_FIWARE = re.compile(
    r'"(dateObserved|dateObservedFrom|observedAt|TimeInstant)"\s*:|"type"\s*:\s*"[A-Za-z]*Observed"'
)
_STA = re.compile(r'"@iot\.(id|selfLink)"|"Datastreams?"\s*:|"Observations"\s*:|"phenomenonTime"\s*:')
_HOUR_COLUMN = re.compile(r"^(h|heure_?)?\d{1,2}(h(00)?|:00(:00)?|_00)?$", re.I)
HOUR_NAMES = ("hour", "heure", "hour_of_day", "heure_du_jour", "h", "hr")
TIME_NAMES = re.compile(
    r"^(time|date|datetime|timestamp|jour|heure|horodatage|dateobserved|date_heure|t|day)$", re.I
)


def _head(path: Path, size: int = 8192) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(size).decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError:
        return ""


def is_fiware_json(path: Path) -> bool:
    """True for a JSON file of FIWARE / NGSI observations."""
    head = _head(path)
    return (
        head.lstrip()[:1] in "[{"
        and bool(_FIWARE.search(head))
        and '"CityJSON' not in head
        and '"FeatureCollection"' not in head
    )


def is_sensorthings_json(path: Path) -> bool:
    """True for an OGC SensorThings JSON export."""
    head = _head(path)
    return head.lstrip()[:1] in "[{" and bool(_STA.search(head))


def is_observation_json(path: Path) -> bool:
    return path.suffix.lower() in {".json", ".jsonl", ".ndjson", ".ngsi", ".geojson"} and (
        is_fiware_json(path) or is_sensorthings_json(path)
    )


def is_sensor_folder(path: Path) -> bool:
    """True for a folder holding FIWARE / SensorThings observation files."""
    try:
        files = [
            p
            for p in path.iterdir()
            if p.is_file() and p.suffix.lower() in {".json", ".jsonl", ".ndjson", ".ngsi"}
        ]
    except OSError:
        return False
    return any(is_observation_json(p) for p in files[:20])


def hour_columns(columns: list[str]) -> list[str]:
    """Columns named as hours of the day (``00``..``23``, ``0h``, ``08:00``, ``h08``), in order."""
    found = []
    for column in columns:
        text = str(column).strip()
        digits = re.search(r"\d{1,2}", text) if _HOUR_COLUMN.match(text) else None
        if digits is not None:
            hour = int(digits.group())
            if 0 <= hour <= 24:
                found.append((hour, column))
    hours = [h for h, _ in found]
    if len(found) < 12 or len(set(hours)) != len(hours):
        return []
    return [c for _, c in sorted(found)]


def table_is_sensors(columns: list[str]) -> bool:
    """True for the header of a sensor table that has no ordinary time column: hours of the day
    as columns, or an hour-of-day column beside a sensor id or coordinates."""
    if hour_columns(columns):
        return True
    folded = {normalise_name(c) for c in columns}
    if folded & set(HOUR_NAMES):
        from layers.io.tables import ID_NAMES, XY_PAIRS

        located = any(a in folded and b in folded for (a, b), _ in XY_PAIRS)
        return (
            located
            or bool(folded & set(ID_NAMES))
            or any(w in c for c in folded for w in ("logger", "station", "sensor", "capteur"))
        )
    return False


def is_sensor_parquet(path: Path) -> bool:
    """True for a Parquet table with no geometry and a time column."""
    try:
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
    except Exception:  # noqa: BLE001 - not readable as Parquet: let the vector reader say why
        return False
    metadata = schema.metadata or {}
    if b"geo" in metadata:
        return False
    import pyarrow as pa

    return any(pa.types.is_timestamp(f.type) or TIME_NAMES.match(f.name) for f in schema)


# -- the sniffers of the kind (layers.core.kinds) ----------------------------------------------
#: a time column of a table or of point features (a sensors table has one)
TIME_COLUMNS = re.compile(
    r"^(time|date|datetime|timestamp|jour|heure|horodatage|dateobserved|date_heure|t)$", re.I
)
GEOMETRY_COLUMNS = {"wkt", "geometry", "geom", "the_geom"}
OBSERVATION_SUFFIXES = {".json", ".geojson", ".jsonl", ".ndjson", ".ngsi"}


def _wide_time_table(columns: list[str]) -> bool:
    hours = [c for c in columns if re.fullmatch(r"\d{1,2}(h|:00)?", c)]
    return len(hours) >= 12


def sniff_header(probe: FileProbe) -> Claim | None:
    """FIWARE / SensorThings JSON (or a folder of them), a Parquet table of readings: the format;
    a table with a time column, hours as columns or an hour beside a sensor id: its content."""
    if probe.is_dir:
        return Claim.FORMAT if is_sensor_folder(probe.path) else None
    if probe.suffix in OBSERVATION_SUFFIXES and is_observation_json(probe.path):
        return Claim.FORMAT
    if probe.suffix in {".parquet", ".pq"} and is_sensor_parquet(probe.path):
        return Claim.FORMAT
    if "table" in probe.families:
        columns = probe.table_columns
        if {c.lower() for c in columns} & GEOMETRY_COLUMNS:
            return None  # features with a time column: vector data (WKT), see layers.vector
        if any(TIME_COLUMNS.match(c) for c in columns) or table_is_sensors(columns):
            return Claim.CONTENT
        if probe.suffix != ".txt" and _wide_time_table(columns):
            return Claim.CONTENT
    return None


def sniff_features(probe: FileProbe) -> Claim | None:
    """Points with a time field: readings at places."""
    if "point" in probe.geometry_type and any(TIME_COLUMNS.match(f) for f in probe.fields):
        return Claim.CONTENT
    return None
