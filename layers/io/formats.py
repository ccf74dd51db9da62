"""The file formats Maquette reads and writes, declared once.

Every suffix list of the application comes from :data:`FORMATS`: kind detection groups files by
:attr:`FileFormat.family`, the Open dialog lists :func:`open_patterns`, exports check an output's
suffix with :func:`writable`. A new format is one row here (plus its reader in ``layers/io/`` or in
the kind that claims it), or a :func:`register_format` call in the package of a kind from elsewhere.

Families:

* ``vector``: features with geometry, read through GDAL (:mod:`layers.io.vector_file`);
* ``table``: delimited text (CSV...), read by :mod:`layers.io.tables`; a table with coordinates or
  a WKT column is vector data, one with times is sensor readings;
* ``raster``: grids read through rasterio (:mod:`layers.raster.grid`);
* ``json``: JSON documents that are not GeoJSON: city models, observations, projects;
* ``xml``: CityGML and GML;
* ``archive``: a zip (a GTFS feed, a zipped shapefile);
* ``tiles``: raster tile pyramids (MBTiles, PMTiles), read by :mod:`layers.basemap`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileFormat:
    """One file format: its name as users know it, its suffixes (lower case, with the dot)."""

    name: str
    suffixes: tuple[str, ...]
    family: str
    reads: bool = True
    writes: bool = False


#: every format, Maquette's own first; a kind from elsewhere adds its own (:func:`register_format`)
FORMATS: list[FileFormat] = [
    FileFormat("GeoJSON", (".geojson", ".json"), "vector", writes=True),
    FileFormat("Shapefile", (".shp", ".dbf", ".shx"), "vector"),
    FileFormat("GeoPackage", (".gpkg",), "vector", writes=True),
    FileFormat("FlatGeobuf", (".fgb",), "vector"),
    FileFormat("GeoParquet", (".parquet", ".geoparquet"), "vector"),
    FileFormat("Parquet table of readings", (".pq",), "columnar"),
    FileFormat("KML", (".kml",), "vector"),
    FileFormat("OpenStreetMap extract", (".osm.pbf", ".pbf", ".osm"), "vector"),
    FileFormat("GML", (".gml",), "xml"),
    FileFormat("CityGML", (".gml", ".xml"), "xml"),
    FileFormat("CityJSON", (".json", ".jsonl"), "json"),
    FileFormat("FIWARE / NGSI", (".json", ".jsonl", ".ndjson", ".ngsi"), "json"),
    FileFormat("CSV", (".csv", ".tsv", ".txt"), "table", writes=True),
    FileFormat("GeoTIFF", (".tif", ".tiff"), "raster", writes=True),
    FileFormat("ASCII grid", (".asc",), "raster"),
    FileFormat("GDAL virtual raster", (".vrt",), "raster"),
    FileFormat("JPEG 2000", (".jp2",), "raster"),
    FileFormat("ERDAS Imagine", (".img",), "raster"),
    FileFormat("NetCDF", (".nc",), "raster"),
    FileFormat("MBTiles", (".mbtiles",), "tiles"),
    FileFormat("PMTiles", (".pmtiles",), "tiles"),
    FileFormat("Zip archive (GTFS, shapefile)", (".zip",), "archive"),
    FileFormat("Maquette project", (".maquette.json",), "project", writes=True),
]


def register_format(file_format: FileFormat) -> None:
    """Add a format (a kind's own: its package declares it next to its ``KIND``)."""
    if file_format not in FORMATS:
        FORMATS.append(file_format)


#: what an error message says Maquette reads, in the words users know
READ_SUMMARY = (
    "GeoJSON, Shapefile, GeoPackage, FlatGeobuf, GeoParquet, CSV, GeoTIFF, CityJSON, CityGML or a GTFS zip"
)


def suffixes(family: str | None = None, *, writes: bool = False) -> frozenset[str]:
    """Every suffix of ``family`` (all families when ``None``); only written ones with ``writes``."""
    return frozenset(
        s
        for f in FORMATS
        if (family is None or f.family == family) and (f.writes or not writes) and f.family != "project"
        for s in f.suffixes
    )


def families_of(suffix: str) -> frozenset[str]:
    """The families a file with ``suffix`` may belong to (``.json``: vector or json)."""
    suffix = suffix.lower()
    return frozenset(f.family for f in FORMATS if suffix in f.suffixes)


def open_patterns() -> str:
    """``*.geojson *.json ...``: the file names the Open dialog shows as data."""
    seen: dict[str, None] = {}
    for f in FORMATS:
        if f.reads and f.family != "project":
            seen.update(dict.fromkeys(s for s in f.suffixes if s not in (".dbf", ".shx")))
    return " ".join(f"*{s}" for s in seen)


def format_names(family: str | None = None) -> str:
    """``GeoJSON, Shapefile, ...``: what an error message says Maquette reads."""
    return ", ".join(
        dict.fromkeys(f.name for f in FORMATS if f.reads and (family is None or f.family == family))
    )
