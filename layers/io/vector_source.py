"""What a vector file is expected to be, and what is wrong with it, in one line for a user.

The checks made before GDAL opens a file (a local path, present, not empty: :func:`check_file`),
and GDAL's failures turned into one :class:`~layers.core.errors.InputError` each
(:func:`gdal_error`), naming what the file's extension promised (:data:`EXPECTED`).
"""

from __future__ import annotations

import re
from pathlib import Path

from layers.core.errors import InputError
from layers.io.shapefile import SHAPEFILE_EXPECTED

#: what each suffix is expected to hold, for error messages
EXPECTED = {
    ".shp": SHAPEFILE_EXPECTED,
    ".geojson": "GeoJSON",
    ".json": "GeoJSON or an Opendatasoft JSON export",
    ".gpkg": "a GeoPackage",
    ".fgb": "FlatGeobuf",
    ".parquet": "GeoParquet",
    ".geoparquet": "GeoParquet",
    ".csv": "a CSV table with a WKT geometry column or coordinate columns",
    ".tsv": "a TSV table with a WKT geometry column or coordinate columns",
    ".txt": "a delimited text table with a WKT geometry column or coordinate columns",
    ".zip": "a zipped shapefile",
    ".kml": "KML",
    ".gml": "GML",
}


KNOWN_FORMATS = "GeoJSON, Shapefile (or zipped), GeoPackage, FlatGeobuf, GeoParquet or CSV with a WKT column"


TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}


PARQUET_SUFFIXES = {".parquet", ".geoparquet"}


def expected_of(path: Path) -> str:
    """What a file with ``path``'s extension should hold, in words (``"a GeoPackage"``)."""
    return EXPECTED.get(path.suffix.lower(), f"a vector file ({KNOWN_FORMATS})")


def check_file(path: Path) -> None:
    """:class:`InputError` unless ``path`` is a local, existing, non-empty file."""
    from layers.core.safety import check_local, check_not_special

    check_local(path)  # GDAL never gets a web address, /vsicurl/... or a connection string
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, f"is a folder, not a vector file (expected {KNOWN_FORMATS})")
    check_not_special(path)
    if path.stat().st_size == 0:
        raise InputError(
            path,
            f"the file is empty (expected {expected_of(path)})",
            hint="copy, download or export it again",
        )


def gdal_error(path: Path, exc: Exception) -> InputError:
    """A one-line :class:`InputError` out of a GDAL / pyogrio failure."""
    text = " ".join(str(exc).split())
    expected = expected_of(path)
    if "not recognized as" in text or "not a supported file format" in text:
        return InputError(
            path,
            f"is not readable as {expected}",
            hint="damaged file or wrong extension? open the original, or give the file its real extension",
        )
    if re.search(r"unable to open .*\.shx", text, re.I):
        return InputError(
            path,
            "the shapefile's .shx index is missing",
            hint="a shapefile needs its .shp, .shx and .dbf side by side",
        )
    if re.search(r"malformed|file is not a database|file is encrypted", text):
        return InputError(
            path,
            f"is damaged or truncated: not a readable {expected.removeprefix('a ')}",
            hint="copy or export it again",
        )
    where = re.search(r"At line (\d+), character (\d+): (.+?)(?:;|$)", text)
    if where:
        return InputError(
            path,
            f"is not valid {'JSON' if expected.startswith('GeoJSON') else expected} "
            f"at line {where[1]}, character {where[2]}: {where[3].lower()}",
            hint="the file may be cut short or damaged: copy or export it again",
        )
    reason = text.split("; It might help")[0].replace(str(path), "the file").strip(" .;")
    return InputError(path, f"cannot be read as {expected}: {reason}")


def beyond_gdal_limit(path: Path, exc: Exception) -> bool:
    """True when GDAL refused a GeoJSON file for a value over its 10 million characters (read
    by :mod:`layers.io.geojson_text` instead)."""
    from layers.io.geojson_text import GDAL_TOKEN_LIMIT

    return path.suffix.lower() in {".geojson", ".json"} and GDAL_TOKEN_LIMIT in str(exc)
