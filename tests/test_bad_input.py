"""The catalogue of bad input: every kind of broken file a user brings, and what Maquette says.

Each :class:`Case` builds its file in ``tmp_path`` and states the outcome:

* ``error``: the exact one-line message of the :class:`~layers.core.errors.InputError` (``{path}`` is
  the file), raised by the API (``layers.core.reading.open_layer`` / ``layers.session.project``) and printed
  by ``maquette info`` and ``maquette render`` as ``maquette: error: <message>`` on one line of
  stderr with exit code 2; every such message says what to do (a hint in parentheses).
* ``warnings``: the file opens, and the layer's warnings are exactly these (``maquette info``
  prints them, exit 0); ``check`` then looks at what was read.

``docs/bad_input.md`` lists the same cases for users. Fixtures are generated here, nothing is
stored in the repository.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from layers.core.errors import CRSMissing, InputError
from layers.core.reading import open_layer
from tests.layers.io.osm_pbf import write_pbf

X0, Y0 = 351_500.0, 6_789_000.0
LAMBERT93_HINT = (
    "pass --crs on the command line (e.g. --crs EPSG:2154) or choose the CRS when opening it; "
    "the coordinates would fit EPSG:2154 (RGF93 / Lambert-93 (France)) or EPSG:32630 "
    "(WGS 84 / UTM 30N) or EPSG:32631 (WGS 84 / UTM 31N), which Maquette cannot confirm"
)
AGAIN = "(copy, download or export it again)"
EXTENSION = "(damaged file or wrong extension? open the original, or give the file its real extension)"
HEIGHTS_DEFAULTED = (
    "2 buildings had no usable height in hauteur (missing, zero, "
    "negative or above 1000 m) and were given 9 m (id=B0, id=B2)"
)


# -- fixtures ------------------------------------------------------------------------------------
def footprints(n: int = 3, crs: str | None = "EPSG:2154", **columns) -> gpd.GeoDataFrame:
    """``n`` 30 m squares in Rennes (Lambert-93) with ``id`` B0.. and ``hauteur`` 10 m, 11 m..."""
    frame = gpd.GeoDataFrame(
        {"id": [f"B{i}" for i in range(n)], "hauteur": [10.0 + i for i in range(n)]},
        geometry=[box(X0 + 50 * i, Y0, X0 + 50 * i + 30, Y0 + 30) for i in range(n)],
        crs=crs,
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def geojson(tmp: Path, name: str, frame: gpd.GeoDataFrame) -> Path:
    path = tmp / name
    frame.to_file(path, driver="GeoJSON")
    return path


def text(tmp: Path, name: str, content: str | bytes) -> Path:
    path = tmp / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def cut(path: Path, keep: float = 0.5) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def sqlite_without_tiles(tmp: Path, name: str) -> Path:
    import sqlite3

    path = tmp / name
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE metadata (name text, value text)")
    return path


def vector_mbtiles(tmp: Path, name: str) -> Path:
    from layers.basemap.mbtiles import write_mbtiles

    return write_mbtiles(tmp / name, {(14, 8110, 5850): bytes(100)}, metadata={"format": "pbf"})


def pmtiles(tmp: Path, name: str) -> Path:
    from layers.basemap.pmtiles import write_pmtiles

    return write_pmtiles(tmp / name, {(14, 8110, 5850): b"\x89PNG" + bytes(2000)})


GARBAGE = bytes(range(256)) * 16
READINGS = "time;sensor_id;lon;lat;temp_c\n"


def readings(tmp: Path, name: str, rows: list[str], header: str = READINGS) -> Path:
    return text(tmp, name, header + "\n".join(rows) + "\n")


def row(t: str, value: float, sensor: str = "A") -> str:
    lon = "-1.680" if sensor == "A" else "-1.670"
    return f"{t};{sensor};{lon};48.110;{value}"


def shapefile(tmp: Path, name: str, frame: gpd.GeoDataFrame, **kwargs) -> Path:
    path = tmp / name
    frame.to_file(path, **kwargs)
    return path


def _without(path: Path, suffix: str) -> Path:
    """``path`` once its ``suffix`` sidecar (``.shx``, ``.dbf``) is deleted."""
    path.with_suffix(suffix).unlink()
    return path


def latin1_shapefile(tmp: Path) -> Path:
    import pyogrio

    path = tmp / "noms.shp"
    pyogrio.write_dataframe(
        footprints(nom=["Hôtel de Ville", "Église", "Crèche"]), path, encoding="ISO-8859-1"
    )
    path.with_suffix(".cpg").unlink()
    return path


def gtfs(tmp: Path, name: str, members: dict[str, str]) -> Path:
    path = tmp / name
    with zipfile.ZipFile(path, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return path


STOPS = "stop_id,stop_name,stop_lat,stop_lon\nS1,Gare,48.10,-1.67\nS2,Mairie,48.11,-1.68\n"
STOP_TIMES = (
    "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "T1,08:00:00,08:00:00,S1,1\nT1,08:05:00,08:05:00,S2,2\n"
)


def project(tmp: Path, document: object, name: str = "etude.maquette.json") -> Path:
    return text(tmp, name, document if isinstance(document, str) else json.dumps(document))


def measured(tmp: Path) -> Path:
    ring = f"{X0} {Y0} 40 1, {X0 + 30} {Y0} 40 2, {X0 + 30} {Y0 + 30} 40 3, {X0} {Y0} 40 1"
    return text(tmp, "mesure.csv", f'id,hauteur,wkt\nB0,12,"SRID=2154;POLYGON ZM (({ring}))"\n')


def z_kept_m_dropped(layer) -> None:
    geoms = np.asarray(layer.frame.geometry.values)
    assert not shapely.has_m(geoms).any() and shapely.has_z(geoms).all()
    assert shapely.get_coordinates(geoms, include_z=True)[:, 2].tolist() == [40.0] * 4


def raster(tmp: Path, name: str, *, crs: str | None) -> Path:
    import rasterio
    from rasterio.transform import from_origin

    path = tmp / name
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=10,
        height=10,
        count=1,
        dtype="float32",
        crs=crs,
        transform=from_origin(X0, Y0 + 100, 10, 10),
    ) as ds:
        ds.write(np.full((1, 10, 10), 62.0, np.float32))
    return path


# -- checks on what was read ----------------------------------------------------------------------
def heights_are(*expected: float) -> Callable:
    def check(layer) -> None:
        assert layer.height_m.tolist() == list(expected)

    return check


def series_in_order(*expected: float, sensor: int = 0) -> Callable:
    def check(layer) -> None:
        times, values = layer.series(sensor)
        assert np.all(np.diff(times) > 0)
        assert values.tolist() == list(expected)

    return check


def local_times(*expected: str, sensor: int = 0) -> Callable:
    def check(layer) -> None:
        times, _ = layer.series(sensor)
        stamps = pd.to_datetime(times, utc=True).tz_convert("Europe/Paris")
        assert [t.isoformat(timespec="minutes") for t in stamps] == list(expected)

    return check


# -- the catalogue ---------------------------------------------------------------------------------
@dataclass
class Case:
    name: str
    make: Callable[[Path], Path | str]
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    check: Callable | None = None
    error_type: type = InputError


CASES = [
    # empty, truncated, garbage
    Case("empty GeoJSON", lambda t: text(t, "vide.geojson", b""), f"{{path}}: the file is empty {AGAIN}"),
    Case("empty shapefile", lambda t: text(t, "vide.shp", b""), f"{{path}}: the file is empty {AGAIN}"),
    Case("empty CSV", lambda t: text(t, "vide.csv", b""), f"{{path}}: the file is empty {AGAIN}"),
    Case(
        "truncated GeoJSON",
        lambda t: cut(geojson(t, "coupe.geojson", footprints())),
        "{path}: is not valid JSON at line 7, character 26: unterminated string "
        "(the file may be cut short or damaged: copy or export it again)",
    ),
    Case(
        "shapefile without its .shx index",
        lambda t: _without(shapefile(t, "sans_index.shp", footprints()), ".shx"),
        "{path}: the shapefile's .shx index is missing "
        "(a shapefile needs its .shp, .shx and .dbf side by side)",
    ),
    Case(
        "shapefile without its .dbf (BD TOPO's BATIMENT as some downloads deliver it)",
        lambda t: _without(shapefile(t, "BATIMENT.shp", footprints()), ".dbf"),
        warnings=[
            "BATIMENT.shp: the shapefile's .dbf attribute table is missing: read as geometry only "
            "(no attributes: heights, widths and names take their defaults)",
            "no height field found: every building is 9 m high (choose the field with the "
            "height_field option)",
        ],
        check=lambda layer: layer.stats["heights_defaulted"] == 3 or pytest.fail("not counted"),
    ),
    Case(
        "truncated shapefile",
        lambda t: cut(shapefile(t, "coupe.shp", footprints()), 0.9),
        "{path}: the file is truncated (457 of 508 bytes) (copy or download it again)",
    ),
    Case(
        "truncated GeoPackage",
        lambda t: cut(shapefile(t, "coupe.gpkg", footprints())),
        "{path}: is damaged or truncated: not a readable GeoPackage (copy or export it again)",
    ),
    Case(
        "truncated GeoTIFF",
        lambda t: cut(raster(t, "lden.tif", crs="EPSG:2154"), 0.6),
        "{path}: cannot be read as a raster: the file is truncated or corrupted: "
        "its pixels cannot be read (copy or export it again)",
    ),
    Case(
        "truncated GTFS zip",
        lambda t: cut(gtfs(t, "reseau.zip", {"stops.txt": STOPS, "stop_times.txt": STOP_TIMES})),
        f"{{path}}: not a valid zip archive (truncated or corrupted) {AGAIN}",
    ),
    Case(
        "empty OpenStreetMap extract",
        lambda t: text(t, "vide.osm.pbf", b""),
        f"{{path}}: the file is empty {AGAIN}",
    ),
    Case(
        "truncated OpenStreetMap extract",
        lambda t: cut(write_pbf(t / "coupe.osm.pbf"), 0.8),
        "{path}: is damaged or truncated: not readable past byte 73 (download the extract again)",
    ),
    Case(
        "not an OpenStreetMap extract",
        lambda t: text(t, "carte.osm.pbf", GARBAGE),
        "{path}: is not an OpenStreetMap extract: no OSM header at its start "
        "(damaged file or wrong extension? download the extract again)",
    ),
    Case(
        "OpenStreetMap extract",
        lambda t: write_pbf(t / "monaco.osm.pbf"),
        warnings=[
            "monaco.osm.pbf: heights of 2 buildings: 1 from height, "
            "1 from building:levels (+ roof:levels) × 3 m, 0 without either (the default height)"
        ],
        check=heights_are(12, 12),
    ),
    Case(
        "binary garbage as GeoJSON",
        lambda t: text(t, "bruit.geojson", GARBAGE),
        f"{{path}}: is not readable as GeoJSON {EXTENSION}",
    ),
    Case(
        "binary garbage as GeoPackage",
        lambda t: text(t, "bruit.gpkg", GARBAGE),
        f"{{path}}: is not readable as a GeoPackage {EXTENSION}",
    ),
    Case(
        "binary garbage as GeoTIFF",
        lambda t: text(t, "bruit.tif", GARBAGE),
        "{path}: cannot be read as a raster: it is not a raster "
        f"format GDAL can read (a GeoTIFF, ASCII grid...) {EXTENSION}",
    ),
    Case(
        "binary garbage as CSV",
        lambda t: text(t, "bruit.csv", GARBAGE),
        "{path}: is binary, not a CSV table with a WKT geometry column or "
        "coordinate columns (open the original file, or give it its right extension)",
    ),
    Case(
        "binary garbage as CityJSON",
        lambda t: text(t, "bruit.city.json", b'{"type": "CityJSON", "version": "2.0", ' + GARBAGE[128:]),
        "{path}: is not readable as CityJSON: 'utf-8' codec can't decode byte "
        "0x80 in position 39: invalid start byte (truncated or damaged file?)",
    ),
    Case(
        "binary garbage as CityGML",
        lambda t: text(
            t,
            "bruit.gml",
            b'<?xml version="1.0"?><core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0">'
            + GARBAGE[40:200],
        ),
        "{path}: is not readable as CityGML: StartTag: "
        "invalid element name, line 1, column 107 (bruit.gml, line 1)",
    ),
    Case(
        "CityJSON whose faces mostly point to missing vertices",
        lambda t: text(t, "casse.city.json", _cityjson_faces(bad=4)),
        "{path}: most of its faces (4 of 7) point to vertices the file does not have or that are not "
        "numbers (the file is damaged: export it again)",
    ),
    # wrong extension, unknown type, nothing there
    Case(
        "GeoJSON named .shp",
        lambda t: text(t, "routes.shp", footprints().to_json()),
        f"{{path}}: is not readable as an ESRI Shapefile (.shp with its .shx and .dbf beside it) {EXTENSION}",
    ),
    Case(
        "PNG named .geojson",
        lambda t: text(t, "plan.geojson", b"\x89PNG\r\n\x1a\n" + bytes(200)),
        f"{{path}}: is not readable as GeoJSON {EXTENSION}",
    ),
    Case(
        "unknown extension",
        lambda t: text(t, "compte-rendu.docx", "PK"),
        "{path}: unknown file type '.docx' (expected GeoJSON, Shapefile, GeoPackage, "
        "FlatGeobuf, GeoParquet, CSV, GeoTIFF, CityJSON, CityGML or a GTFS zip)",
    ),
    Case(
        "missing file",
        lambda t: t / "absent.geojson",
        "{path}: no such file or folder "
        "(check the name; a file that moved must be opened from its new place)",
    ),
    Case(
        "GeoJSON without features",
        lambda t: text(t, "rien.geojson", '{"type": "FeatureCollection", "features": []}'),
        "{path}: holds no features (export the layer again with its features)",
    ),
    Case(
        "web address",
        lambda t: "https://data.rennesmetropole.fr/batiments.geojson",
        "'https://data.rennesmetropole.fr/batiments.geojson' is a web address or "
        "a remote source: Maquette only opens files on this computer and never "
        "connects to a network (download the data and open the downloaded file)",
    ),
    Case(
        "GDAL /vsicurl/ path",
        lambda t: "/vsicurl/http://example.org/lden.tif",
        "'/vsicurl/http://example.org/lden.tif' is a web address or a remote source: "
        "Maquette only opens files on this computer and never connects "
        "to a network (download the data and open the downloaded file)",
    ),
    # CRS
    Case(
        "no CRS (shapefile without .prj)",
        lambda t: _without_prj(shapefile(t, "sansprj.shp", footprints())),
        "{path}: the file has no CRS and its coordinates "
        f"(351500, 6.789e+06, 351630, 6.78903e+06) are not degrees ({LAMBERT93_HINT})",
        error_type=CRSMissing,
    ),
    Case(
        "no CRS (GeoTIFF)",
        lambda t: raster(t, "lden_sans_crs.tif", crs=None),
        "{path}: the raster has no coordinate reference system and its coordinates "
        f"(351500, 6.789e+06, 351600, 6.7891e+06) are not degrees ({LAMBERT93_HINT})",
        error_type=CRSMissing,
    ),
    Case(
        "WGS84 degrees labelled Lambert-93",
        lambda t: geojson(t, "faux93.geojson", footprints().to_crs(4326).set_crs(2154, allow_override=True)),
        "{path}: the declared CRS EPSG:2154 is projected but the coordinates "
        "(-1.6852, 48.1083, -1.68343, 48.1086) look like degrees "
        "(if they are longitudes / latitudes, pass --crs EPSG:4326)",
    ),
    Case(
        "Lambert-93 metres labelled WGS84",
        lambda t: shapefile(t, "faux84.shp", footprints().set_crs(4326, allow_override=True)),
        "{path}: the declared CRS EPSG:4326 is in degrees but the coordinates "
        "(351500, 6.789e+06, 351630, 6.78903e+06) are not longitudes / latitudes "
        "(pass the right one with --crs (e.g. --crs EPSG:2154))",
    ),
    # coordinates and geometry
    Case(
        "3D coordinates (Z)",
        lambda t: geojson(
            t, "z.geojson", footprints().set_geometry(shapely.force_3d(footprints().geometry.values, 45.0))
        ),
        check=lambda layer: (
            np.testing.assert_allclose(layer.footprint_z, 45.0),
            heights_are(10, 11, 12)(layer),
        ),
    ),
    Case("measured coordinates (M)", measured, check=z_kept_m_dropped),
    Case(
        "self-intersecting polygon",
        lambda t: geojson(
            t,
            "noeud.geojson",
            _with_geometry(
                1, Polygon([(X0 + 50, Y0), (X0 + 80, Y0 + 30), (X0 + 80, Y0), (X0 + 50, Y0 + 30)])
            ),
        ),
        warnings=["1 invalid polygons were repaired (id=B1)"],
        check=lambda layer: layer.feature_count() == 3 or pytest.fail("lost"),
    ),
    Case(
        "zero-area polygon",
        lambda t: geojson(
            t, "plat.geojson", _with_geometry(1, Polygon([(X0, Y0), (X0 + 30, Y0), (X0 + 60, Y0)]))
        ),
        warnings=["1 polygons without area were dropped (id=B1)"],
        check=lambda layer: layer.stats["dropped_reasons"] == {"no area": 1} or pytest.fail("not counted"),
    ),
    Case(
        "only zero-area polygons",
        lambda t: geojson(
            t, "platitude.geojson", _with_geometry(0, Polygon([(X0, Y0), (X0 + 30, Y0), (X0 + 60, Y0)]), n=1)
        ),
        "{path}: none of its polygons has an area (expected building footprints)",
    ),
    Case(
        "polygons inside geometry collections",
        lambda t: text(t, "collections.geojson", _collections_geojson()),
        warnings=[
            "collections.geojson: 2 geometry collections were read as the polygons they hold; "
            "1 lines and 1 points inside them were left out (id=B1, id=B2)"
        ],
        check=lambda layer: (
            heights_are(10, 11, 11, 12)(layer),  # one row per polygon part
            layer.stats["features"] == 3 or pytest.fail("a building lost"),
        ),
    ),
    Case(
        "unclosed polygon",
        lambda t: text(t, "ouvert.geojson", _unclosed_geojson()),
        warnings=[
            "ouvert.geojson: 1 polygons had rings not closed "
            "(last point not repeating the first): closed (feature 0)"
        ],
        check=heights_are(12.0),
    ),
    Case(
        "CityJSON faces with out-of-range vertex indices",
        lambda t: text(t, "abime.city.json", _cityjson_faces(bad=1)),
        warnings=[
            "1 faces of 1 buildings point to vertices the file does not have or that are not numbers "
            "and were left out (B1)"
        ],
        check=lambda layer: (
            len(layer.mesh().triangles) == 3 or pytest.fail("a face with a missing corner drawn")
        ),
    ),
    # heights
    Case(
        "NaN heights",
        lambda t: geojson(t, "nan.geojson", footprints(hauteur=[np.nan, 12.0, np.nan])),
        warnings=[HEIGHTS_DEFAULTED],
        check=heights_are(9, 12, 9),
    ),
    Case(
        "negative heights",
        lambda t: geojson(t, "negatif.geojson", footprints(hauteur=[-5.0, 12.0, -1.0])),
        warnings=[HEIGHTS_DEFAULTED],
        check=heights_are(9, 12, 9),
    ),
    Case(
        "absurd heights (> 1000 m, 1e308)",
        lambda t: geojson(t, "tour.geojson", footprints(hauteur=[5000.0, 12.0, 1e308])),
        warnings=[HEIGHTS_DEFAULTED],
        check=heights_are(9, 12, 9),
    ),
    # text and attribute values
    Case(
        "Latin-1 shapefile without .cpg",
        latin1_shapefile,
        warnings=[
            "noms.shp has no .cpg file saying its text encoding: read as Windows-1252 "
            "(guessed from its bytes; give another with the encoding option if accents look wrong)"
        ],
        check=lambda layer: (
            layer.frame["nom"].tolist() == ["Hôtel de Ville", "Église", "Crèche"]
            or pytest.fail(str(layer.frame["nom"].tolist()))
        ),
    ),
    Case(
        "a 10 MB attribute value",
        lambda t: geojson(t, "long.geojson", footprints(note=["x" * 10_000_000, "a", "b"])),
        warnings=[
            "long.geojson: read without GDAL (a value is longer than GDAL's limit of 10 million characters)"
        ],
        check=lambda layer: len(layer.frame["note"].iloc[0]) == 10_000_000 or pytest.fail("cut"),
    ),
    Case(
        "1e308 attribute values",
        lambda t: geojson(t, "enorme.geojson", footprints(valeur=[1e308, -1e308, 1.0])),
        check=lambda layer: layer.frame["valeur"].tolist() == [1e308, -1e308, 1.0] or pytest.fail("changed"),
    ),
    # tables of readings
    Case(
        "CSV without positions nor sensor id",
        lambda t: readings(
            t, "releves.csv", ["2025-07-01T10:00;12", "2025-07-01T11:00;13"], header="time;temp_c\n"
        ),
        "{path}: the sensors have no coordinates and no id column (add x/y or "
        "lon/lat columns, or a sensor id column and a locations file joined on it)",
    ),
    Case(
        "CSV without a value column",
        lambda t: readings(
            t, "capteurs.csv", ["2025-07-01T10:00;A;-1.68;48.11"], header="time;sensor_id;lon;lat\n"
        ),
        "{path}: no numeric column of readings (columns are: time, sensor_id, lon, lat)",
    ),
    Case(
        "CSV with a time that is not one",
        lambda t: readings(t, "dates.csv", [row("2025-07-01T10:00", 12), row("hier", 13)]),
        "{path}: field 'time': cannot read 'hier' as a time (row 2) (expected "
        "ISO 8601 times such as 2023-08-12 14:00 or 2023-08-12T14:00+02:00)",
    ),
    Case(
        "CSV mixing day-first and month-first dates",
        lambda t: readings(
            t,
            "jours.csv",
            [row("01/02/2025 10:00", 12), row("13/02/2025 10:00", 13), row("02/14/2025 10:00", 14)],
        ),
        "{path}: field 'time': mixes day-first and month-first dates: '13/02/2025 10:00' (row 2) can only "
        "be day/month/year, '02/14/2025 10:00' (row 3) only month/day/year "
        "(write the dates in one order, best as ISO 8601 (2025-02-13))",
    ),
    Case(
        "CSV with spreadsheet day numbers for times",
        lambda t: readings(t, "excel.csv", [row("45717.5", 12), row("45717.75", 13)]),
        "{path}: field 'time': holds numbers such as 45717.5 that look like spreadsheet day numbers, not "
        "times (format the column as dates in the spreadsheet before saving it as CSV, or write ISO 8601 "
        "times such as 2023-08-12 14:00)",
    ),
    Case(
        "CSV with month-first dates",
        lambda t: readings(t, "us.csv", [row("02/13/2025 10:00", 12), row("02/14/2025 10:00", 13)]),
        warnings=["the dates of time are written month first (e.g. 02/13/2025 10:00): all read month first"],
        check=local_times("2025-02-13T10:00+01:00", "2025-02-14T10:00+01:00"),
    ),
    Case(
        "CSV with dates either day or month first",
        lambda t: readings(t, "ambigu.csv", [row("03/04/2025 10:00", 12), row("04/04/2025 10:00", 13)]),
        warnings=[
            "the dates of time could be day/month or month/day (no number above 12, e.g. 03/04/2025 "
            "10:00): read day first (3 April 2025), as in France; write ISO dates (2025-04-03) to be sure"
        ],
        check=local_times("2025-04-03T10:00+02:00", "2025-04-04T10:00+02:00"),
    ),
    Case(
        "CSV with a table but no geometry",
        lambda t: text(t, "liste.csv", "nom;surface\nparc;12\n"),
        "{path}: has no geometry: no WKT column (wkt, geometry, geom) "
        "and no coordinate columns (lon/lat, x/y) "
        "(its columns are: nom, surface; a table of readings also needs a time column)",
    ),
    Case(
        "Opendatasoft CSV whose geo_point_2d is garbage everywhere",
        lambda t: text(t, "sites.csv", "nom;geo_point_2d\nA;nord-ouest\nB;quelque part\n"),
        '{path}: none of its rows has a readable geometry (line 2: geo_point_2d is not "lat, lon" '
        "('nord-ouest')) (an Opendatasoft export writes geo_point_2d as \"lat, lon\" "
        "and geo_shape as GeoJSON)",
    ),
    Case(
        "JSON neither GeoJSON nor an Opendatasoft export",
        lambda t: text(t, "liste.json", '{"total_count": 3, "items": []}'),
        "{path}: is neither GeoJSON nor an Opendatasoft JSON export "
        "(no 'features', 'records' or 'results' list)",
    ),
    Case(
        "CSV with duplicated timestamps",
        lambda t: readings(
            t,
            "doublons.csv",
            [row("2025-07-01T10:00", 12), row("2025-07-01T10:00", 14), row("2025-07-01T11:00", 15)],
        ),
        warnings=["1 readings share a time and a sensor with another one: averaged"],
        check=series_in_order(13, 15),
    ),
    Case(
        "CSV with infinite or absurd readings",
        lambda t: readings(
            t,
            "infini.csv",
            [
                row("2025-07-01T10:00", float("inf")),
                row("2025-07-01T11:00", 1e308),
                row("2025-07-01T12:00", 12),
            ],
        ),
        warnings=["2 readings are infinite or beyond any measurement (e.g. inf): left out"],
        check=lambda layer: (
            layer.values[~np.isnan(layer.values)].tolist() == [12.0] or pytest.fail(str(layer.values))
        ),
    ),
    Case(
        "CSV with unsorted timestamps",
        lambda t: readings(
            t,
            "desordre.csv",
            [row("2025-07-01T12:00", 12), row("2025-07-01T10:00", 10), row("2025-07-01T11:00", 11)],
        ),
        check=series_in_order(10, 11, 12),
    ),
    Case(
        "CSV with mixed time zones",
        lambda t: readings(
            t,
            "fuseaux.csv",
            [row("2025-07-01T10:00+02:00", 10), row("2025-07-01T09:00Z", 11), row("2025-07-01T12:00", 12)],
        ),
        warnings=[
            "the times mix explicit offsets (e.g. 2025-07-01T10:00+02:00) and local times "
            "without one (e.g. 2025-07-01T12:00): those without are read in Europe/Paris"
        ],
        check=local_times("2025-07-01T10:00+02:00", "2025-07-01T11:00+02:00", "2025-07-01T12:00+02:00"),
    ),
    Case(
        "CSV in the spring DST gap",
        lambda t: readings(
            t,
            "printemps.csv",
            [row("2025-03-30T01:00", 1), row("2025-03-30T02:00", 2), row("2025-03-30T03:30", 3)],
        ),
        warnings=[
            "1 local times fall in the spring DST gap of Europe/Paris (e.g. 2025-03-30 02:00, "
            "a time clocks skip): read with the offset before the change (03:00 summer time)"
        ],
        check=local_times("2025-03-30T01:00+01:00", "2025-03-30T03:00+02:00", "2025-03-30T03:30+02:00"),
    ),
    Case(
        "CSV in the autumn DST overlap",
        lambda t: readings(
            t,
            "automne.csv",
            [
                row("2025-10-26T01:30", 1),
                row("2025-10-26T02:30", 2),
                row("2025-10-26T02:30", 3),
                row("2025-10-26T03:30", 4),
            ],
        ),
        warnings=[
            "2 local times fall in the autumn DST overlap of Europe/Paris (e.g. 2025-10-26 02:30, "
            "which happens twice): a time seen again for the same sensor is read "
            "as the second (standard time), the others as the first (summer time)"
        ],
        check=local_times(
            "2025-10-26T01:30+02:00",
            "2025-10-26T02:30+02:00",
            "2025-10-26T02:30+01:00",
            "2025-10-26T03:30+01:00",
        ),
    ),
    # GTFS
    Case(
        "GTFS without routes and trips",
        lambda t: gtfs(t, "gtfs.zip", {"stops.txt": STOPS, "stop_times.txt": STOP_TIMES}),
        "{path}: the GTFS feed has no routes.txt, trips.txt (a GTFS "
        "feed needs stops.txt, routes.txt, trips.txt and stop_times.txt)",
    ),
    Case(
        "GTFS without stop_times",
        lambda t: gtfs(
            t,
            "gtfs.zip",
            {"stops.txt": STOPS, "routes.txt": "route_id,route_short_name,route_type\nR1,C1,3\n"},
        ),
        "{path}: the GTFS feed has no trips.txt, stop_times.txt "
        "(a GTFS feed needs stops.txt, routes.txt, trips.txt and stop_times.txt)",
    ),
    Case(
        "GTFS without calendar",
        lambda t: gtfs(
            t,
            "gtfs.zip",
            {
                "stops.txt": STOPS,
                "stop_times.txt": STOP_TIMES,
                "routes.txt": "route_id,route_short_name,route_type\nR1,C1,3\n",
                "trips.txt": "route_id,service_id,trip_id\nR1,S,T1\n",
            },
        ),
        "{path}: the GTFS feed has neither calendar.txt nor calendar_dates.txt: "
        "no day has service (a GTFS feed needs one of them; export the feed again)",
    ),
    # projects
    Case(
        "project that is not JSON",
        lambda t: project(t, "layers: [batiments]\n"),
        "{path}: not a project file: not valid JSON at line 1, column 1 (Expecting value) "
        "(open a *.maquette.json saved by Maquette; a damaged one can be replaced by a backup copy)",
    ),
    Case(
        "project that is a JSON list",
        lambda t: project(t, [1, 2]),
        "{path}: not a project file (expected a JSON object) (open a *.maquette.json saved by Maquette)",
    ),
    Case(
        "project from a newer Maquette",
        lambda t: project(t, {"version": 7, "layers": []}),
        "{path}: made by a newer Maquette (project version 7, this one reads up to 1) (update Maquette)",
    ),
    Case(
        "project without version",
        lambda t: project(t, {"layers": []}),
        "{path}: not a Maquette project (field 'version' should be a positive integer, "
        "got None) (open a *.maquette.json saved by Maquette)",
    ),
    # tile pyramids (basemaps)
    Case(
        "MBTiles that is not SQLite",
        lambda t: text(t, "fond.mbtiles", GARBAGE),
        "{path}: is not an MBTiles file: it is not an SQLite database (an MBTiles file is an SQLite "
        "database with a tiles table; export it again from its tool)",
    ),
    Case(
        "MBTiles without a tiles table",
        lambda t: sqlite_without_tiles(t, "sans_tuiles.mbtiles"),
        "{path}: is an SQLite database without a tiles table (an MBTiles file is an SQLite database "
        "with a tiles table; export it again from its tool)",
    ),
    Case(
        "MBTiles of vector tiles",
        lambda t: vector_mbtiles(t, "vecteur.mbtiles"),
        "{path}: holds vector tiles (pbf): Maquette draws raster tiles (PNG, JPEG, WebP) (open a raster "
        "MBTiles or the data the vector tiles were made from)",
    ),
    Case(
        "PMTiles that is not PMTiles",
        lambda t: text(t, "fond.pmtiles", GARBAGE),
        "{path}: is not a PMTiles archive (no PMTiles header) (the file is damaged or cut short: "
        "download or export it again)",
    ),
    Case(
        "truncated PMTiles",
        lambda t: cut(pmtiles(t, "coupe.pmtiles")),
        "{path}: is cut short: 1,091 bytes where its header announces 2,182 (the file is damaged or "
        "cut short: download or export it again)",
    ),
    Case(
        "project whose area is a point",
        lambda t: project(
            t,
            {
                "version": 1,
                "layers": [],
                "area": {"crs": "EPSG:2154", "outline": {"type": "Point", "coordinates": [0, 0]}},
            },
        ),
        "{path}: field 'area.outline': the area's outline must be a GeoJSON Polygon or MultiPolygon "
        "(the project file was edited by hand or damaged: fix that value, or use a backup copy)",
    ),
]


def _without_prj(path: Path) -> Path:
    path.with_suffix(".prj").unlink()
    return path


def _with_geometry(index: int, geometry, n: int = 3) -> gpd.GeoDataFrame:
    frame = footprints(n)
    frame.loc[index, "geometry"] = geometry
    return frame


def _unclosed_geojson() -> str:
    ring = [[X0, Y0], [X0 + 30, Y0], [X0 + 30, Y0 + 30], [X0, Y0 + 30]]  # the first point not repeated
    return json.dumps(
        {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
            "features": [
                {
                    "type": "Feature",
                    "properties": {"hauteur": 12},
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            ],
        }
    )


def _collections_geojson() -> str:
    """B0 a square; B1 a collection of two squares, a line and a point; B2 a square in a collection
    in a collection."""

    def square(i: int) -> dict:
        x = X0 + 50 * i
        return {
            "type": "Polygon",
            "coordinates": [[[x, Y0], [x + 30, Y0], [x + 30, Y0 + 30], [x, Y0 + 30], [x, Y0]]],
        }

    def collection(*members: dict) -> dict:
        return {"type": "GeometryCollection", "geometries": list(members)}

    line = {"type": "LineString", "coordinates": [[X0, Y0], [X0 + 100, Y0 + 100]]}
    geometries = [
        square(0),
        collection(square(1), square(2), line, {"type": "Point", "coordinates": [X0, Y0]}),
        collection(collection(square(3))),
    ]
    return json.dumps(
        {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
            "features": [
                {"type": "Feature", "properties": {"id": f"B{i}", "hauteur": 10 + i}, "geometry": geometry}
                for i, geometry in enumerate(geometries)
            ],
        }
    )


def _cityjson_faces(bad: int) -> str:
    """A CityJSON building B0 of two triangles and B1 of ``bad`` triangles pointing past the
    vertices plus one good one."""
    faces = {"B0": [[0, 1, 2], [0, 2, 3]], "B1": [[0, 1, 9]] * bad + [[0, 1, 3]]}
    return json.dumps(
        {
            "type": "CityJSON",
            "version": "2.0",
            "transform": {"scale": [1, 1, 1], "translate": [X0, Y0, 40.0]},
            "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/2154"},
            "CityObjects": {
                key: {
                    "type": "Building",
                    "geometry": [
                        {"type": "MultiSurface", "lod": "1", "boundaries": [[f] for f in triangles]}
                    ],
                }
                for key, triangles in faces.items()
            },
            "vertices": [[0, 0, 0], [30, 0, 0], [30, 30, 10], [0, 30, 10]],
        }
    )


ERRORS = [c for c in CASES if c.error]
LOADS = [c for c in CASES if not c.error]


def test_the_catalogue_is_complete():
    assert len(CASES) >= 30 and len({c.name for c in CASES}) == len(CASES)
    assert len(ERRORS) >= 20 and len(LOADS) >= 10


def _expected(case: Case, path) -> str:
    return case.error.replace("{path}", str(path))


def _open(path):
    from layers.core.detect import detect_kind
    from layers.session.project import load_project

    if not isinstance(path, str) and path.exists() and detect_kind(path) == "project":
        return load_project(path)
    return open_layer(path)


@pytest.mark.parametrize("case", ERRORS, ids=[c.name for c in ERRORS])
def test_api_raises_the_exact_message(case, tmp_path):
    path = case.make(tmp_path)
    with pytest.raises(InputError) as info:
        _open(path)
    assert isinstance(info.value, case.error_type) and (case.error_type is CRSMissing) == isinstance(
        info.value, CRSMissing
    )
    assert info.value.one_line() == _expected(case, path)
    assert re.search(r"\(.+\)$", info.value.one_line()), "the message says what to do"


@pytest.mark.parametrize("case", LOADS, ids=[c.name for c in LOADS])
def test_api_loads_and_says_what_it_did(case, tmp_path):
    layer = open_layer(case.make(tmp_path))
    assert layer.warnings == case.warnings
    if case.check is not None:
        case.check(layer)


@pytest.mark.parametrize("case", ERRORS, ids=[c.name for c in ERRORS])
@pytest.mark.parametrize("command", ["info", "render"])
def test_cli_prints_one_line_and_exits_2(case, command, tmp_path, capsys):
    from desktop.cli import main

    path = case.make(tmp_path)
    argv = [command, str(path)] + (["-o", str(tmp_path / "out.png")] if command == "render" else [])
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert captured.err == f"maquette: error: {_expected(case, path)}\n"
    assert captured.out == ""


@pytest.mark.parametrize("case", LOADS, ids=[c.name for c in LOADS])
def test_cli_info_shows_the_warnings(case, tmp_path, capsys):
    from desktop.cli import main

    assert main(["info", str(case.make(tmp_path))]) == 0
    out = capsys.readouterr().out
    for warning in case.warnings:
        assert warning in out


@pytest.mark.parametrize("case", [c for c in LOADS if c.warnings], ids=[c.name for c in LOADS if c.warnings])
def test_cli_render_prints_the_warnings_as_info_does(case, tmp_path, capsys):
    """``render`` says what loading did, as ``info`` does: one ``maquette: warning:`` line each on
    stderr, the same lines in ``--json`` (and each layer's own in its entry)."""
    from desktop.cli import main

    path = case.make(tmp_path)
    out = tmp_path / "rendu.png"
    assert main(["render", str(path), "-o", str(out), "--size", "160x120", "--json"]) == 0
    captured = capsys.readouterr()
    name = Path(path).name
    lines = [w if w.startswith(f"{name}:") else f"{name}: {w}" for w in case.warnings]
    assert captured.err.splitlines() == [f"maquette: warning: {line}" for line in lines]
    stats = json.loads(captured.out)
    assert stats["warnings"] == lines
    # the layer that said them (an OpenStreetMap extract opens as its buildings and its themes)
    assert [layer["warnings"] for layer in stats["layers"] if layer.get("warnings")] == [case.warnings]


def test_no_traceback_from_a_real_process(tmp_path):
    """The installed command, not the function: one line on stderr, exit 2, for three kinds."""
    import subprocess
    import sys

    for case in (
        ERRORS[0],
        next(c for c in ERRORS if "GeoPackage" in c.name),
        next(c for c in ERRORS if "newer" in c.name),
    ):
        path = case.make(tmp_path)
        done = subprocess.run(
            [sys.executable, "-m", "desktop.cli", "info", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2
        assert done.stderr == f"maquette: error: {_expected(case, path)}\n"


# -- a project whose data moved ----------------------------------------------------------------------
@pytest.fixture
def moved_project(tmp_path) -> Path:
    footprints().to_file(tmp_path / "batiments.gpkg")
    return project(
        tmp_path,
        {
            "version": 1,
            "layers": [
                {"id": "bati", "kind": "buildings", "name": "Bâtiments", "source": "batiments.gpkg"},
                {
                    "id": "parc",
                    "kind": "vector",
                    "name": "Parcs",
                    "source": "donnees/parcs.geojson",
                    "style": {"color": "#2a2"},
                },
            ],
        },
    )


def test_project_with_moved_data_opens_the_rest_and_keeps_the_layer(moved_project, tmp_path):
    from layers.session.opening import open_paths
    from layers.session.project import save_project
    from layers.session.scene_io import update_from_scene

    session = open_paths([moved_project], strict=False)
    assert [layer.name for layer in session.scene.layers] == ["Bâtiments"]
    (error,) = session.report.errors
    assert error.one_line() == (
        f"{tmp_path / 'donnees' / 'parcs.geojson'}: data of layer 'Parcs' is missing (moved or deleted?) "
        "(locate it or remove the layer)"
    )
    assert [spec["id"] for spec in session.report.missing] == ["parc"]
    update_from_scene(session.project, session.scene)
    save_project(session.project, moved_project)
    saved = json.loads(moved_project.read_text(encoding="utf-8"))
    assert [s["id"] for s in saved["layers"]] == ["bati", "parc"]  # saving does not drop the missing layer
    assert saved["layers"][1]["source"] == "donnees/parcs.geojson" and saved["layers"][1]["style"] == {
        "color": "#2a2"
    }


def test_project_with_moved_data_in_the_cli(moved_project, tmp_path, capsys):
    from desktop.cli import main

    assert main(["info", str(moved_project)]) == 0
    assert "missing data: donnees/parcs.geojson" in capsys.readouterr().out
    assert main(["render", str(moved_project), "-o", str(tmp_path / "x.png"), "--size", "160x120"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"maquette: warning: layer skipped: {tmp_path / 'donnees' / 'parcs.geojson'}: "
        "data of layer 'Parcs' is missing (moved or deleted?) (locate it or remove the layer)"
    ]


# -- outputs: never over an input, never a torn file --------------------------------------------------
#: the refusal of an output that is one of the inputs
DESTROY = "writing it would destroy that input (choose another output file; nothing was written)"


def _permissions_apply() -> bool:
    """False for root (or a process allowed to override file permissions): they do not stop it."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "read-only"
        probe.write_bytes(b"")
        probe.chmod(0o444)
        return not os.access(probe, os.W_OK)


@dataclass
class OutputCase:
    """An output Maquette must refuse, or cannot write: ``make`` prepares the place and returns the
    output (the input is ``batiments.geojson`` beside it); ``previous`` is written there first when
    given (it must be intact after); ``error``: the exact one line (``{path}`` the output, ``{dir}``
    its folder). Tested through the API (:func:`layers.io.outputs.check_not_inputs` then
    :func:`viewer.export_image.write_image`) and through the command line (``argv``)."""

    name: str
    make: Callable[[Path], Path]
    error: str
    needs: Callable[[], bool] = lambda: True
    #: the command line, from the input and the output (default: ``maquette render``)
    argv: Callable[[Path, Path], list[str]] = lambda source, output: [
        "render",
        str(source),
        "--size",
        "160x120",
        "-o",
        str(output),
    ]


def _link(tmp: Path, name: str, to: str | Path) -> Path:
    (tmp / name).symlink_to(to)
    return tmp / name


def _folder(tmp: Path, name: str, mode: int | None = None) -> Path:
    (tmp / name).mkdir()
    if mode is not None:
        (tmp / name).chmod(mode)
    return tmp / name


def _read_only(tmp: Path) -> Path:
    path = tmp / "carte.png"
    path.write_bytes(b"previous picture")
    path.chmod(0o444)
    return path


OUTPUT_CASES = [
    OutputCase(
        "output is the input",
        lambda t: t / "batiments.geojson",
        f"{{path}}: is also an input: {DESTROY}",
        argv=lambda source, output: ["shade", str(source), "--at", "2025-06-21T10:00", "-o", str(output)],
    ),
    OutputCase(
        "output is the input through a link",
        lambda t: _link(t, "carte.png", t / "batiments.geojson"),
        f"{{path}}: is the same file as the input {{dir}}/batiments.geojson: {DESTROY}",
    ),
    OutputCase(
        "output is a folder",
        lambda t: _folder(t, "carte.png"),
        "{path}: cannot write: it is a folder (nothing was written)",
    ),
    OutputCase(
        "output is a device",
        lambda t: _link(t, "carte.png", "/dev/full"),
        "{path}: cannot write: it is a device, a pipe or a socket, not a file (nothing was written)",
        needs=lambda: Path("/dev/full").exists(),
    ),
    OutputCase(
        "output name too long",
        lambda t: t / ("c" * 300 + ".png"),
        "{path}: cannot write: the file name is too long (nothing was written)",
    ),
    OutputCase(
        "output is a read-only file",
        _read_only,
        "{path}: cannot write: the file is read-only (the previous file is kept)",
        needs=_permissions_apply,
    ),
    OutputCase(
        "output in a read-only folder",
        lambda t: _folder(t, "verrou", 0o555) / "carte.png",
        "{path}: cannot write: no permission to write in its folder (nothing was written)",
        needs=_permissions_apply,
    ),
]


def _output_case(case: OutputCase, tmp_path: Path) -> tuple[Path, Path, dict[Path, bytes]]:
    """(input, output, bytes of every file there before)."""
    if not case.needs():
        pytest.skip("not on this machine (root ignores permissions; no /dev/full)")
    source = geojson(tmp_path, "batiments.geojson", footprints())
    output = case.make(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()}
    return source, output, before


def _output_expected(case: OutputCase, output: Path) -> str:
    return case.error.replace("{path}", str(output)).replace("{dir}", str(output.parent))


@pytest.mark.parametrize("case", OUTPUT_CASES, ids=[c.name for c in OUTPUT_CASES])
def test_api_refuses_the_output_with_the_exact_message(case, tmp_path):
    from layers.core.errors import OutputError
    from layers.io.outputs import check_not_inputs
    from viewer.export_image import write_image

    source, output, before = _output_case(case, tmp_path)
    try:
        with pytest.raises(OutputError) as info:
            check_not_inputs([output], [source])
            write_image(np.zeros((8, 8, 3), np.uint8), output)
        assert info.value.one_line() == _output_expected(case, output)
        assert re.search(r"\(.+\)$", info.value.one_line()), "the message says what is on disk now"
        after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()}
        assert after == before
    finally:
        for folder in tmp_path.iterdir():
            if folder.is_dir() and not folder.is_symlink():
                folder.chmod(0o755)


@pytest.mark.parametrize("case", OUTPUT_CASES, ids=[c.name for c in OUTPUT_CASES])
def test_cli_refuses_the_output_in_one_line_exit_2(case, tmp_path, capsys):
    from desktop.cli import main

    source, output, before = _output_case(case, tmp_path)
    try:
        code = main(case.argv(source, output))
        captured = capsys.readouterr()
        assert code == 2, captured.err
        assert captured.err == f"maquette: error: {_output_expected(case, output)}\n"
        after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()}
        assert after == before
    finally:
        for folder in tmp_path.iterdir():
            if folder.is_dir() and not folder.is_symlink():
                folder.chmod(0o755)


def _full_disk(image, fp, *args, **kwargs) -> None:
    """Pillow's save finding the disk full halfway through the file."""
    import errno
    import os

    Path(fp).write_bytes(b"\x89PNG half a picture")
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_through_the_api_and_the_cli(tmp_path, capsys, monkeypatch):
    """``PATH: cannot write: the disk is full (the previous file is kept)``; the previous picture
    intact. (The same through every command, in the C libraries too, under a file size limit:
    tests/desktop/test_cli_outputs.py.)"""
    from PIL import Image

    from desktop.cli import main
    from layers.core.errors import OutputError
    from viewer.export_image import write_image

    source = geojson(tmp_path, "batiments.geojson", footprints())
    output = tmp_path / "carte.png"
    output.write_bytes(b"previous picture")
    monkeypatch.setattr(Image.Image, "save", _full_disk)
    message = f"{output}: cannot write: the disk is full (the previous file is kept)"
    with pytest.raises(OutputError) as info:
        write_image(np.zeros((8, 8, 3), np.uint8), output)
    assert info.value.one_line() == message
    assert main(["render", str(source), "--size", "160x120", "-o", str(output)]) == 2
    assert capsys.readouterr().err == f"maquette: error: {message}\n"
    assert output.read_bytes() == b"previous picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batiments.geojson", "carte.png"]
