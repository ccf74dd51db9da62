"""Say what a file is (buildings, noise, heat, sensors, transit...) from cheap metadata.

Detection reads headers, not whole files: ``pyogrio.read_info`` for vectors, the raster profile and
file name for rasters, the first lines of a table, the member list of a zip. The rules, in order:

* ``*.maquette.json`` → ``project``
* a zip or folder holding ``stops.txt`` and ``stop_times.txt`` → ``transit`` (GTFS)
* CityJSON / CityGML → ``buildings``
* raster: a colour image (3-4 bands of 8 bits, or paletted) → ``raster``; a ``UNIT`` tag in dB(A)
  → ``noise``, in °C or K → ``heat``; name says noise (lden, lnight, bruit...) → ``noise``;
  temperature (temp, lst, chaleur, icu...) → ``heat``; elevation (dem, mnt, dtm, alti...) →
  ``terrain``; else ``raster``
* table with a time column and a sensor id or coordinates → ``sensors``; so are tables with hours
  of the day as columns or beside a sensor id, FIWARE / SensorThings JSON, a folder of them, and a
  Parquet table with a time column and no geometry (:mod:`layers.sensors.detect`)
* polygons with a height field → ``buildings``; with noise band fields → ``noise``
* lines → ``streets``; other features → ``vector``
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from layers.buildings.heights import find_height_field
from layers.core.errors import InputError
from layers.sensors.detect import is_observation_json, is_sensor_folder, is_sensor_parquet, table_is_sensors

VECTOR_SUFFIXES = {
    ".shp",
    ".gpkg",
    ".fgb",
    ".geojson",
    ".json",
    ".parquet",
    ".geoparquet",
    ".gml",
    ".kml",
    ".csv",
    ".tsv",
    ".txt",
}
RASTER_SUFFIXES = {".tif", ".tiff", ".asc", ".vrt", ".img", ".nc"}
TABLE_SUFFIXES = {".csv", ".tsv", ".txt"}
GTFS_FILES = {
    "agency.txt",
    "stops.txt",
    "routes.txt",
    "trips.txt",
    "stop_times.txt",
    "calendar.txt",
    "calendar_dates.txt",
}

NOISE_WORDS = re.compile(r"(lden|lnight|\bln\b|_ln_|bruit|noise|laeq|_ld_|isophone|cbs)", re.I)
HEAT_WORDS = re.compile(r"(temp|lst|chaleur|heat|icu|uhi|thermal|surface_t)", re.I)
TERRAIN_WORDS = re.compile(r"(dem|mnt|dtm|dsm|mns|alti|elev|terrain|relief)", re.I)
TIME_COLUMNS = re.compile(
    r"^(time|date|datetime|timestamp|jour|heure|horodatage|dateobserved|date_heure|t)$", re.I
)
NOISE_FIELDS = {
    "legende",
    "lden_min",
    "lden_max",
    "ln_min",
    "ln_max",
    "lnight_min",
    "lnight_max",
    "db_min",
    "db_max",
    "dbmin",
    "dbmax",
    "isolvl",
    "isolabel",
    "noiselevel",
    "db_lo",
    "db_hi",
}
DB_UNIT = re.compile(r"^d\s*b\s*(\(?\s*a\s*\)?)?$", re.I)
TEMPERATURE_UNIT = re.compile(r"^(°\s*c|º\s*c|deg\s*c|degc|degrees?\s*c(elsius)?|celsius|k|kelvin)$", re.I)
NOISE_VALUE = re.compile(
    r"^(lden|lnight|ln)\s*\d|greaterthan|^\[\d+\s*[,;]\s*\d+\s*[\[\]]$|^>=?\s*\d+$|^\d{2}\s*(-|à)\s*\d{2}\s*(db)?",
    re.I,
)


def detect_kind(path: str | Path) -> str:
    """The layer kind of ``path``; :class:`InputError` when it is no data Maquette can read."""
    from layers.core.safety import check_local

    check_local(path)  # a web address or /vsicurl/... is refused before anything is opened
    path = Path(path)
    if not path.exists():
        raise InputError(
            path,
            "no such file or folder",
            hint="check the name; a file that moved must be opened from its new place",
        )
    name = path.name.lower()
    if name.endswith(".maquette.json"):
        return "project"
    if path.is_dir():
        if (path / "stops.txt").exists() and (path / "stop_times.txt").exists():
            return "transit"
        if is_sensor_folder(path):
            return "sensors"
        raise InputError(
            path, "is a folder, not a data file (a GTFS folder needs stops.txt and stop_times.txt)"
        )
    if path.stat().st_size == 0:
        raise InputError(path, "the file is empty", hint="copy, download or export it again")
    suffix = path.suffix.lower()
    if suffix == ".gfs":
        raise InputError(
            path,
            f"is the schema GDAL wrote beside {path.with_suffix('.gml').name}, not data",
            hint="open the .gml file",
        )
    if suffix == ".zip":
        return _detect_zip(path)
    if suffix in RASTER_SUFFIXES:
        return _detect_raster(path)
    if suffix in {".json", ".geojson"} and _is_cityjson(path):
        return "buildings"
    if suffix in {".json", ".geojson", ".jsonl", ".ndjson", ".ngsi"} and is_observation_json(path):
        return "sensors"  # FIWARE / NGSI observations, OGC SensorThings exports
    if suffix in {".parquet", ".pq"} and is_sensor_parquet(path):
        return "sensors"
    if suffix in {".gml", ".xml"} and _is_citygml(path):
        return "buildings"
    if suffix in TABLE_SUFFIXES:
        kind = _detect_table(path)
        if kind:
            return kind
    if suffix in VECTOR_SUFFIXES or suffix in {".dbf", ".shx"}:
        return _detect_vector(path)
    raise InputError(
        path,
        f"unknown file type {suffix or '(no extension)'!r}",
        hint="expected GeoJSON, Shapefile, GeoPackage, FlatGeobuf, GeoParquet, CSV, GeoTIFF, CityJSON, CityGML or a GTFS zip",
    )


def _detect_zip(path: Path) -> str:
    try:
        from layers.core.safety import unsafe_member

        with zipfile.ZipFile(path) as archive:
            names = {
                Path(n).name for n in archive.namelist() if not unsafe_member(n) or n.lower().endswith(".txt")
            }
    except zipfile.BadZipFile:
        raise InputError(
            path, "not a valid zip archive (truncated or corrupted)", hint="copy, download or export it again"
        ) from None
    if {"stops.txt", "stop_times.txt"} <= names:
        return "transit"
    if any(n.lower().endswith(".shp") for n in names):
        return _detect_vector(path)
    if names & GTFS_FILES:
        return "transit"  # a GTFS feed missing files: its reader says which
    raise InputError(path, "zip archive holds no GTFS feed (stops.txt, stop_times.txt) nor shapefile")


def _detect_raster(path: Path) -> str:
    """A colour image (3-4 bands of 8 bits, or a palette) is a plain ``raster`` whatever its name;
    then the ``UNIT`` tag (dB(A) → noise, °C / K → heat); then keywords of the file name."""
    from layers.raster.layer import read_header

    header = read_header(path)
    if header.is_image:
        return "raster"
    from layers.sunlight.layer import is_sunlight_tags

    if is_sunlight_tags(header.tags):
        return "sunlight"  # hours of sun written by maquette sunlight (MAQUETTE_KIND tag)
    unit = (header.unit or "").strip()
    if DB_UNIT.match(unit):
        return "noise"
    if TEMPERATURE_UNIT.match(unit):
        return "heat"
    stem = path.stem
    if NOISE_WORDS.search(stem):
        return "noise"
    if HEAT_WORDS.search(stem):
        return "heat"
    if TERRAIN_WORDS.search(stem):
        return "terrain"
    return "raster"


def _head(path: Path, size: int = 4096) -> str:
    with open(path, "rb") as handle:
        return handle.read(size).decode("utf-8", errors="replace")


def _is_cityjson(path: Path) -> bool:
    head = _head(path, 2048)
    # the "type" member may come last (delft.json): a document opening on CityObjects is CityJSON too
    return bool(re.search(r'"type"\s*:\s*"CityJSON', head) or re.search(r'^\s*\{\s*"CityObjects"\s*:', head))


def _is_citygml(path: Path) -> bool:
    head = _head(path, 4096)
    return "citygml" in head.lower()


def _detect_table(path: Path) -> str | None:
    """``sensors`` for a time + location/id table, ``vector`` for WKT geometry, else ``None``."""
    head = _head(path, 8192).lstrip("\ufeff")
    first = head.splitlines()[0] if head.splitlines() else ""
    sep = max([";", ",", "\t", "|"], key=first.count)
    columns = [c.strip().strip('"').strip() for c in first.split(sep)]
    lowered = {c.lower() for c in columns}
    if lowered & {"wkt", "geometry", "geom", "the_geom"}:
        return "vector"
    if any(TIME_COLUMNS.match(c) for c in columns) or table_is_sensors(columns):
        return "sensors"
    if path.suffix.lower() == ".txt":
        return None
    return "sensors" if _wide_time_table(columns) else None


def _wide_time_table(columns: list[str]) -> bool:
    hours = [c for c in columns if re.fullmatch(r"\d{1,2}(h|:00)?", c)]
    return len(hours) >= 12


def _detect_vector(path: Path) -> str:
    from layers.io.vector_file import vector_info  # zipped shapefiles, GeoPackage layers, GeoParquet

    info = vector_info(path)
    target = str(info["target"])
    geometry = str(info["geometry_type"]).lower()
    fields = list(info["fields"])
    lowered = {f.lower() for f in fields}
    if "polygon" in geometry:
        if find_height_field(fields) is not None:
            return "buildings"
        if lowered & NOISE_FIELDS or _has_noise_values(target, fields):
            return "noise"
        return "vector"
    if "line" in geometry:
        return "streets"
    if "point" in geometry and any(TIME_COLUMNS.match(f) for f in fields):
        return "sensors"
    if "point" in geometry and TERRAIN_WORDS.search(path.stem):
        return "terrain"  # spot heights of a DEM (interpolated by layers.terrain.layer)
    if not geometry or geometry == "unknown":
        if info.get("features", 0) == 0:
            raise InputError(path, "holds no features", hint="export the layer again with its features")
    return "vector"


def _has_noise_values(target: str, fields: list[str]) -> bool:
    """True when a text field of the first features holds noise band labels (Lden5559, [62,66]...)."""
    candidates = [
        f
        for f in fields
        if f.lower()
        in {"category", "categorie", "classe", "class", "bande", "band", "label", "libelle", "type"}
    ]
    if not candidates:
        return False
    import pyogrio

    try:
        frame = pyogrio.read_dataframe(target, columns=candidates, read_geometry=False, max_features=20)
    except Exception:  # noqa: BLE001
        return False
    for column in candidates:
        values = frame[column].dropna().astype(str)
        if len(values) and values.map(lambda v: bool(NOISE_VALUE.search(v.strip()))).mean() > 0.5:
            return True
    return False


def is_project(path: str | Path) -> bool:
    """True for a ``*.maquette.json`` file (or any JSON with a ``maquette`` version key)."""
    path = Path(path)
    if path.name.lower().endswith(".maquette.json"):
        return True
    if path.suffix.lower() == ".json" and path.is_file():
        try:
            head = _head(path, 512)
        except OSError:
            return False
        return '"maquette"' in head and '"version"' in head and not _is_cityjson(path)
    return False
