"""Opendatasoft exports, which most French open data portals publish, as vector data.

Two shapes of file:

* **CSV exports** (``;`` or ``,`` separated): geometry in a ``geo_shape`` column (GeoJSON text, a
  geometry or a Feature: polygons, lines, points), else in ``geo_point_2d`` / ``geo_point``
  (``"lat, lon"`` text). :func:`table_geometries` reads those columns; the table itself is read by
  :mod:`layers.io.text_table`.
* **JSON dumps**: API v1 (``{"nhits": .., "records": [{"fields": {..}, "geometry": {..}}]}``),
  API v2 (``{"total_count": .., "records": [{"record": {"fields": {..}}}]}``), API v2.1
  (``{"total_count": .., "results": [{.., "geo_point_2d": {"lon": .., "lat": ..}, "geo_shape":
  {"type": "Feature", "geometry": ..}}]}``) and the portal's JSON export (a list of records, with
  ``fields`` / ``geometry`` or flat). :func:`read_opendatasoft_json` reads them.

Opendatasoft always writes a point as **latitude first** (``"48.39, -4.49"``, ``[48.39, -4.49]``
in ``geom_x_y``); a ``{"lon": .., "lat": ..}`` object says which is which. Nothing is swapped on a
guess. Coordinates are WGS84 (EPSG:4326). A row whose geometry text cannot be read is left out
with its reason; the caller accounts for it (``frame.attrs["unreadable_rows"]``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.core.errors import InputError
from layers.io.table_columns import columns_by_name, normalise_name

#: the CRS of every Opendatasoft geometry
ODS_CRS = "EPSG:4326"
#: columns (folded names) holding a GeoJSON geometry as text or as an object
SHAPE_NAMES = ("geo_shape", "geoshape", "geom_shape")
#: columns (folded names) holding one point, latitude first
POINT_NAMES = ("geo_point_2d", "geo_point", "geopoint", "geom_x_y", "geo_point_2d_")
#: top-level keys that mark an Opendatasoft API answer (v1: nhits; v2, v2.1: total_count)
_API_START = re.compile(r'^\{\s*"(nhits|total_count|parameters|links|facet_groups|records|results)"\s*:')
#: keys that mark a record of the portal's JSON export
_EXPORT_KEYS = re.compile(
    r'"(fields"\s*:\s*\{|recordid"|datasetid"|geo_point_2d"|geo_shape"|geom_x_y"|geo_point")'
)
_LATLON = re.compile(r"^\s*\[?\s*([-+]?\d+(?:\.\d+)?)\s*[,;]\s*([-+]?\d+(?:\.\d+)?)\s*\]?\s*$")


# -- CSV exports --------------------------------------------------------------------------------
def geometry_columns(columns: list[str]) -> tuple[str | None, str | None]:
    """``(shape column, point column)`` of an Opendatasoft table (each ``None`` when absent).

    Only Opendatasoft's own names count here (``geo_shape``, ``geo_point_2d``...); a column named
    ``location`` or ``coordinates`` is taken for a point only when its values read as points
    (:func:`layers.io.table_columns.split_latlon_text`)."""
    folded = columns_by_name(columns)
    shape = next((folded[n] for n in SHAPE_NAMES if n in folded), None)
    point = next((folded[n] for n in POINT_NAMES if n in folded), None)
    return shape, point


def table_geometries(
    table: pd.DataFrame, shape: str | None, point: str | None
) -> tuple[np.ndarray, dict[int, str]]:
    """The geometry of each row (lon/lat, EPSG:4326) and ``{row position: reason}`` of the rows
    whose geometry text is there but unreadable (their geometry is ``None``).

    ``shape`` (GeoJSON text) wins; a row with an empty shape takes its point (``"lat, lon"``).
    """
    n = len(table)
    geoms = np.full(n, None, dtype=object)
    reasons: dict[int, str] = {}
    shapes = _texts(table, shape, n)
    points = _texts(table, point, n)
    for i in range(n):
        if shapes[i]:
            try:
                geoms[i] = geojson_geometry(json.loads(shapes[i]))
            except (ValueError, TypeError) as exc:
                reasons[i] = f"{shape} is not valid GeoJSON ({_short(exc)})"
                continue
        if geoms[i] is None and points[i]:  # no shape (or a Feature without geometry)
            try:
                geoms[i] = latlon_point(points[i])
            except ValueError as exc:
                reasons[i] = f"{point} {exc}"
    return geoms, reasons


def _texts(table: pd.DataFrame, column: str | None, n: int) -> list[str]:
    if column is None:
        return [""] * n
    return [v.strip() if isinstance(v, str) else "" for v in table[column].tolist()]


def latlon_point(value: Any) -> shapely.Point:
    """A point from ``"lat, lon"`` text, a ``[lat, lon]`` list or a ``{"lon": .., "lat": ..}`` object.

    Raises :class:`ValueError` (a sentence starting with a verb) when it is none of those or out of
    range.
    """
    if isinstance(value, dict):
        folded = {str(k).lower(): v for k, v in value.items()}
        lon, lat = folded.get("lon", folded.get("lng")), folded.get("lat")
        try:
            return _checked_point(float(lat), float(lon))  # type: ignore[arg-type]  # None: TypeError
        except (TypeError, ValueError):
            raise ValueError(f'is not {{"lon": .., "lat": ..}} ({_preview(value)})') from None
    if isinstance(value, (list, tuple)) and len(value) == 2:
        try:
            return _checked_point(float(value[0]), float(value[1]))
        except (TypeError, ValueError):
            raise ValueError(f'is not "lat, lon" ({_preview(value)})') from None
    match = _LATLON.match(str(value))
    if match is None:
        raise ValueError(f'is not "lat, lon" ({_preview(value)})')
    return _checked_point(float(match.group(1)), float(match.group(2)))


def _checked_point(lat: float, lon: float) -> shapely.Point:
    if not (np.isfinite(lat) and np.isfinite(lon) and -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError(f"is out of range (latitude {lat:g}, longitude {lon:g})")
    return shapely.Point(lon, lat)


def geojson_geometry(value: Any) -> shapely.Geometry | None:
    """A shapely geometry from a GeoJSON geometry or Feature (parsed JSON); ``None`` for null.

    Raises :class:`ValueError` when it is no GeoJSON geometry.
    """
    if isinstance(value, str):  # a geometry written as GeoJSON text inside the JSON
        value = json.loads(value) if value.strip() else None
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError(f"expected a GeoJSON object, found {_preview(value)}")
    if value.get("type") == "Feature":
        return geojson_geometry(value.get("geometry"))
    try:
        return shapely.from_geojson(json.dumps(value))
    except shapely.errors.GEOSException as exc:
        raise ValueError(_short(exc)) from None


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:120]


def _preview(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return repr(text[:40] + ("…" if len(text) > 40 else ""))


# -- JSON dumps ---------------------------------------------------------------------------------
def is_opendatasoft_json(path: Path) -> bool:
    """True when a ``.json`` file starts like an Opendatasoft API answer, or like the portal's JSON
    export (a list of records with ``fields``, ``recordid``, ``geo_point_2d``, ``geo_shape``...);
    GeoJSON, CityJSON, other lists of objects (NGSI entities) and the rest answer False. Reads the
    first 64 KiB only."""
    with open(path, "rb") as handle:
        head = handle.read(65536).decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if head.startswith("["):
        return bool(re.match(r"^\[\s*\{", head)) and bool(_EXPORT_KEYS.search(head))
    return bool(_API_START.match(head))


def read_opendatasoft_json(path: Path, notes: list[str]) -> gpd.GeoDataFrame:
    """An Opendatasoft JSON dump (see the module docstring) as a frame in EPSG:4326.

    Records without geometry keep a missing one (the caller drops them, counted); records whose
    geometry cannot be read are listed in ``frame.attrs["unreadable_rows"]`` with a note.

    Raises
    ------
    InputError
        Invalid JSON, no list of records, or no record with a geometry or a point.
    """
    try:
        data = json.loads(Path(path).read_bytes())
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(path, f"is not valid JSON: {_short(exc)}") from None
    records = _records(path, data)
    rows: list[dict[str, Any]] = []
    geoms = np.full(len(records), None, dtype=object)
    reasons: dict[int, str] = {}
    for i, record in enumerate(records):
        fields, geometry, point, point_name = _split_record(record)
        rows.append(fields)
        try:
            if geometry is not None:
                geoms[i] = geojson_geometry(geometry)
        except ValueError as exc:
            reasons[i] = f"geometry is not valid GeoJSON ({exc})"
            continue
        try:
            if geoms[i] is None and point is not None:  # no shape (or a Feature without geometry)
                geoms[i] = latlon_point(point)
        except ValueError as exc:
            reasons[i] = f"{point_name} {exc}"
    if records and all(g is None for g in geoms) and not reasons:
        raise InputError(
            path,
            "is an Opendatasoft export without geometry (no geometry, geo_shape, geo_point_2d "
            "nor geom_x_y in its records)",
            hint="export the dataset again with its geographic columns",
        )
    frame = gpd.GeoDataFrame(pd.DataFrame.from_records(rows), geometry=geoms, crs=ODS_CRS)
    note_unreadable(path, frame, reasons, notes, [f"record {i}" for i in range(len(records))])
    return frame


def _records(path: Path, data: Any) -> list[dict[str, Any]]:
    """The list of records of an API answer or export; :class:`InputError` when there is none."""
    if isinstance(data, dict):
        for key in ("records", "results"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            raise InputError(
                path,
                "is neither GeoJSON nor an Opendatasoft JSON export (no 'features', 'records' "
                "or 'results' list)",
            )
    if not isinstance(data, list):
        raise InputError(path, "is neither GeoJSON nor an Opendatasoft JSON export")
    bad = next((i for i, r in enumerate(data) if not isinstance(r, dict)), None)
    if bad is not None:
        raise InputError(path, "is not an Opendatasoft JSON export: a record is not an object", feature=bad)
    if not data:
        raise InputError(path, "holds no records", hint="export the dataset again with its records")
    return [r["record"] if isinstance(r.get("record"), dict) else r for r in data]  # API v2: {"record": {..}}


def _split_record(record: dict[str, Any]) -> tuple[dict[str, Any], Any, Any, str]:
    """``(attributes, GeoJSON geometry or None, point value or None, point field name)``.

    A v1 / export record keeps its attributes under ``fields`` (its ``geometry`` beside them); a
    v2.1 record is flat. ``geo_shape`` / ``geometry`` win over the point fields, which are kept as
    attributes (as text) so that nothing read is lost.
    """
    nested = record.get("fields")
    fields = dict(nested) if isinstance(nested, dict) else dict(record)
    if isinstance(nested, dict):  # recordid, record_timestamp...: kept unless a field has the name
        for key, value in record.items():
            if key not in ("fields", "geometry") and _scalar(value):
                fields.setdefault(key, value)
    folded = {normalise_name(k): k for k in fields}
    geometry = record.get("geometry") if isinstance(record.get("geometry"), dict) else None
    if not isinstance(nested, dict) and geometry is not None:
        fields.pop("geometry")
    shape_key = next((folded[n] for n in SHAPE_NAMES if n in folded), None)
    if shape_key is not None:
        shape = fields.pop(shape_key)
        if geometry is None and shape is not None:
            geometry = shape
    point_key = next((folded[n] for n in POINT_NAMES if n in folded), None)
    point = fields.get(point_key) if point_key is not None else None
    if point_key is not None and not _scalar(point):
        fields[point_key] = json.dumps(point)
    for key, value in list(fields.items()):
        if not _scalar(value):
            fields[key] = json.dumps(value, ensure_ascii=False)  # lists and objects kept as JSON text
    return fields, geometry, point, point_key or "point"


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def note_unreadable(
    path: Path, frame: gpd.GeoDataFrame, reasons: dict[int, str], notes: list[str], places: list[str]
) -> None:
    """Record the rows whose geometry could not be read: ``frame.attrs["unreadable_rows"]`` (their
    positions) and one note naming each by its place in the file (``places[position]``: ``"line
    8"``, ``"record 3"``; five at most) with its reason."""
    if not reasons:
        return
    positions = sorted(reasons)
    frame.attrs["unreadable_rows"] = frame.index.to_numpy()[positions]
    listed = "; ".join(f"{places[p]}: {reasons[p]}" for p in positions[:5])
    more = f"; and {len(positions) - 5} more" if len(positions) > 5 else ""
    rows = "row was skipped: its" if len(positions) == 1 else "rows were skipped: their"
    notes.append(f"{path.name}: {len(positions)} {rows} geometry is unreadable ({listed}{more})")
