"""Opendatasoft exports read as vector data: CSV (geo_shape, geo_point_2d), the API's JSON dumps
(v1, v2, v2.1, the portal's export), GeoJSON exports; latitude first, never swapped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely

from layers.core.errors import InputError
from layers.io.opendatasoft import is_opendatasoft_json, latlon_point
from layers.io.vector_file import read_vector
from tests.conftest import SHARED_DATA

DATA = SHARED_DATA
needs_data = pytest.mark.skipif(not (DATA / "opendatasoft").is_dir(), reason="the shared data are not here")

BREST = (-4.49, 48.39)  # lon, lat: swapped, it would lie in the Indian Ocean
QUIMPER = (-4.10, 48.00)
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-4.5, 48.3], [-4.4, 48.3], [-4.4, 48.4], [-4.5, 48.4], [-4.5, 48.3]]],
}


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _csv_shape(value: dict) -> str:
    return '"' + json.dumps(value).replace('"', '""') + '"'


# -- CSV ------------------------------------------------------------------------------------------
def test_geo_point_2d_is_latitude_first(tmp_path: Path) -> None:
    path = _write(tmp_path, "sites.csv", "nom;geo_point_2d\nBrest;48.39, -4.49\nQuimper;48.0, -4.1\n")
    data = read_vector(path)
    assert data.crs.to_epsg() == 4326
    assert [(round(p.x, 2), round(p.y, 2)) for p in data.frame.geometry] == [BREST, QUIMPER]
    assert list(data.frame["nom"]) == ["Brest", "Quimper"]


def test_semicolon_export_with_bom_quoted_newlines_and_trailing_spaces(tmp_path: Path) -> None:
    shape = _csv_shape({"type": "Polygon", "coordinates": SQUARE["coordinates"]}).replace("], [", "],\n[")
    text = (
        "\ufeffcommune ;Geo Point ;Geo Shape \n"
        f'Brest ;"48.35, -4.45 ";{shape}\n'
        f'Quimper ;"48.0, -4.1";{_csv_shape({"type": "Point", "coordinates": list(QUIMPER)})}\n'
    )
    data = read_vector(_write(tmp_path, "export.csv", text))
    assert list(data.frame.columns[:1]) == ["commune"]
    assert list(data.frame["commune"]) == ["Brest", "Quimper"]
    polygon, point = data.frame.geometry
    assert polygon.geom_type == "Polygon" and polygon.equals(shapely.geometry.shape(SQUARE))
    assert (round(point.x, 2), round(point.y, 2)) == QUIMPER


def test_geo_shape_feature_and_empty_shape_falls_back_to_the_point(tmp_path: Path) -> None:
    feature = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[-4.5, 48.3], [-4.4, 48.4]]},
    }
    text = f'id,geo_point_2d,geo_shape\n1,"48.35, -4.45",{_csv_shape(feature)}\n2,"48.39, -4.49",\n'
    data = read_vector(_write(tmp_path, "lignes.csv", text))
    line, point = data.frame.geometry
    assert line.geom_type == "LineString"
    assert (round(point.x, 2), round(point.y, 2)) == BREST


def test_broken_geometry_dropped_with_its_line(tmp_path: Path) -> None:
    good = _csv_shape({"type": "Point", "coordinates": list(BREST)})
    broken = '"{ ""type"": ""Point"", ""coordinates"": [ -4.\n1, 48.0 ] }"'
    text = f'nom,geo_point_2d,geo_shape\nBrest,"48.39, -4.49",{good}\nQuimper,"48.0, -4.1",{broken}\nX,,\n'
    data = read_vector(_write(tmp_path, "casse.csv", text))
    assert list(data.frame["nom"]) == ["Brest"]
    assert list(data.skipped["unreadable geometry"]) == [1]
    assert list(data.skipped["no geometry"]) == [2]
    note = next(w for w in data.warnings if "unreadable" in w)
    assert "line 3: geo_shape is not valid GeoJSON" in note


def test_garbage_points_everywhere_is_one_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "faux.csv", "nom;geo_point_2d\nA;nord-ouest\nB;quelque part\n")
    with pytest.raises(
        InputError, match=r'none of its rows has a readable geometry \(line 2: geo_point_2d is not "lat, lon"'
    ):
        read_vector(path)


def test_out_of_range_point_is_not_swapped(tmp_path: Path) -> None:
    path = _write(tmp_path, "inverse.csv", "nom;geo_point_2d\nA;-4.49, 48.39\nB;48.0, -4.1\n")
    data = read_vector(path)  # "-4.49, 48.39" is a latitude of -4.49: kept as written
    assert len(data.frame) == 2
    assert round(data.frame.geometry.iloc[0].y, 2) == -4.49
    with pytest.raises(ValueError, match="out of range"):
        latlon_point("120, 3")


def test_plain_csv_columns_and_values_trimmed(tmp_path: Path) -> None:
    data = read_vector(_write(tmp_path, "xy.csv", "nom ,lon ,lat \nBrest ,-4.49 ,48.39 \n"))
    assert list(data.frame["nom"]) == ["Brest"]
    point = data.frame.geometry.iloc[0]
    assert (round(point.x, 2), round(point.y, 2)) == BREST


@needs_data
def test_lille_quarters() -> None:
    data = read_vector(DATA / "opendatasoft" / "lille_geo_quartier.csv")
    frame = data.frame
    assert data.features_read == 12
    assert len(frame) == 11 and set(frame.geometry.geom_type) == {"Polygon"}
    assert list(data.skipped["unreadable geometry"]) == [6]  # Lomme, its geo_shape cut by a line break
    assert any("line 8: geo_shape is not valid GeoJSON" in w for w in data.warnings)
    assert "quartier" in frame.columns and "Lomme" not in set(frame["commune"])
    assert "Wazemmes" in set(frame["quartier"])
    xmin, ymin, xmax, ymax = frame.total_bounds
    assert 2.9 < xmin < xmax < 3.2 and 50.5 < ymin < ymax < 50.7  # Lille, not the Indian Ocean


# -- JSON -----------------------------------------------------------------------------------------
def _records_v1() -> list[dict]:
    return [
        {
            "datasetid": "d",
            "recordid": "a",
            "fields": {"nom": "Brest", "geom_x_y": [48.39, -4.49], "hauteur": 12.0},
            "geometry": {"type": "Point", "coordinates": list(BREST)},
        },
        {"datasetid": "d", "recordid": "b", "fields": {"nom": "Quimper", "geom_x_y": [48.0, -4.1]}},
        {"datasetid": "d", "recordid": "c", "fields": {"nom": "Nulle part"}},
    ]


@pytest.mark.parametrize(
    "wrap",
    [
        lambda records: {"nhits": len(records), "parameters": {}, "records": records},
        lambda records: records,  # the portal's JSON export
    ],
    ids=["api-v1", "export"],
)
def test_api_v1_and_export(tmp_path: Path, wrap) -> None:
    path = _write(tmp_path, "arbres.json", json.dumps(wrap(_records_v1())))
    assert is_opendatasoft_json(path)
    data = read_vector(path)
    assert list(data.frame["nom"]) == ["Brest", "Quimper"]
    points = [(round(p.x, 2), round(p.y, 2)) for p in data.frame.geometry]
    assert points == [BREST, QUIMPER]  # geometry, else geom_x_y read latitude first
    assert list(data.skipped["no geometry"]) == [2]
    assert data.frame["hauteur"].iloc[0] == 12.0


def test_api_v21_results(tmp_path: Path) -> None:
    results = [
        {"nom": "Brest", "geo_point_2d": {"lon": -4.49, "lat": 48.39}, "geo_shape": None},
        {
            "nom": "Zone",
            "geo_point_2d": {"lon": -4.45, "lat": 48.35},
            "geo_shape": {"type": "Feature", "geometry": SQUARE, "properties": {}},
        },
    ]
    path = _write(tmp_path, "v21.json", json.dumps({"total_count": 2, "results": results}))
    data = read_vector(path)
    point, square = data.frame.geometry
    assert (round(point.x, 2), round(point.y, 2)) == BREST
    assert square.geom_type == "Polygon"
    assert "geo_shape" not in data.frame.columns


def test_api_v2_records(tmp_path: Path) -> None:
    records = [
        {
            "links": [],
            "record": {"id": "a", "fields": {"nom": "Brest", "geo_point_2d": {"lon": -4.49, "lat": 48.39}}},
        }
    ]
    data = read_vector(
        _write(tmp_path, "v2.json", json.dumps({"total_count": 1, "links": [], "records": records}))
    )
    point = data.frame.geometry.iloc[0]
    assert (round(point.x, 2), round(point.y, 2)) == BREST


def test_unreadable_record_geometry_is_dropped_with_reason(tmp_path: Path) -> None:
    records = _records_v1()[:2] + [{"fields": {"nom": "Faux", "geom_x_y": ["nord", "ouest"]}}]
    data = read_vector(_write(tmp_path, "faux.json", json.dumps(records)))
    assert list(data.skipped["unreadable geometry"]) == [2]
    assert any("record 2: geom_x_y is not" in w for w in data.warnings)


def test_json_that_is_neither_says_so(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="neither GeoJSON nor an Opendatasoft JSON export"):
        read_vector(_write(tmp_path, "autre.json", json.dumps({"total_count": 3, "items": []})))
    with pytest.raises(InputError, match="Opendatasoft export without geometry"):
        read_vector(_write(tmp_path, "sans.json", json.dumps([{"fields": {"nom": "A"}}])))
    with pytest.raises(InputError, match="not readable as GeoJSON or an Opendatasoft JSON export"):
        read_vector(_write(tmp_path, "liste.json", json.dumps({"name": "x", "values": [1, 2]})))


def test_geojson_is_not_taken_for_a_dump(tmp_path: Path) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"records": 1},
                "geometry": {"type": "Point", "coordinates": list(BREST)},
            }
        ],
    }
    path = _write(tmp_path, "vrai.json", json.dumps(collection))
    assert not is_opendatasoft_json(path)
    entities = _write(tmp_path, "ngsi.json", json.dumps([{"id": "urn:ngsi:1", "type": "AirQualityObserved"}]))
    assert not is_opendatasoft_json(entities)
    assert len(read_vector(path).frame) == 1


@needs_data
def test_paris_remarkable_trees() -> None:
    data = read_vector(DATA / "trees" / "paris_remarquables" / "arbres.json")
    frame = data.frame
    assert len(frame) == 185 and set(frame.geometry.geom_type) == {"Point"}
    xmin, ymin, xmax, ymax = frame.total_bounds
    assert 2.2 < xmin < xmax < 2.5 and 48.8 < ymin < ymax < 48.91  # Paris
    latlon = frame["geom_x_y"].map(json.loads)  # [lat, lon] kept as text, the geometry agrees
    assert all(
        abs(ll[0] - p.y) < 1e-6 and abs(ll[1] - p.x) < 1e-6
        for ll, p in zip(latlon, frame.geometry, strict=True)
    )
    assert "com_nom_usuel" in frame.columns


@needs_data
def test_finistere_festivals_stay_in_finistere() -> None:
    data = read_vector(DATA / "opendatasoft" / "festivals-du-finistere.geojson")
    frame = data.frame
    assert len(frame) == 55 and set(frame.geometry.geom_type) == {"Point"}
    xmin, ymin, xmax, ymax = frame.total_bounds
    assert -5.2 < xmin < xmax < -3.3 and 47.7 < ymin < ymax < 48.8  # Finistère
    assert "coordonnees_insee" in frame.columns  # [lat, lon] kept as an attribute, not the geometry


def test_kinds_see_the_geometry_of_an_export(tmp_path: Path) -> None:
    from layers.core.detect import detect_kind
    from layers.io.vector_layers import vector_info

    square = _csv_shape(SQUARE)
    noise = _write(tmp_path, "bruit.csv", f"categorie;geo_shape\nLden5559;{square}\nLden6064;{square}\n")
    info = vector_info(noise)
    assert info["geometry_type"] == "Unknown" and info["fields"] == ["categorie"]
    assert detect_kind(noise) == "noise"
    points = _write(tmp_path, "sites.csv", "nom;geo_point_2d\nBrest;48.39, -4.49\n")
    assert vector_info(points)["geometry_type"] == "Point"
    dump = _write(tmp_path, "arbres.json", json.dumps(_records_v1()))
    assert vector_info(dump)["geometry_type"] == "Point" and vector_info(dump)["features"] == 3


def test_flat_export_records(tmp_path: Path) -> None:
    records = [
        {"nom": "Brest", "geo_point_2d": [48.39, -4.49]},
        {"nom": "Zone", "geo_point_2d": [48.35, -4.45], "geo_shape": {"type": "Feature", "geometry": SQUARE}},
    ]
    data = read_vector(_write(tmp_path, "export.json", json.dumps(records)))
    point, square = data.frame.geometry
    assert (round(point.x, 2), round(point.y, 2)) == BREST and square.geom_type == "Polygon"


def test_new_messages_in_french() -> None:
    from layers.core.messages import error_line

    error = InputError(
        "/d/x.csv",
        "none of its rows has a readable geometry (line 2: geo_point_2d is not \"lat, lon\" ('x'))",
        hint='an Opendatasoft export writes geo_point_2d as "lat, lon" and geo_shape as GeoJSON',
    )
    line = error_line(error, "fr")
    assert line.startswith("/d/x.csv : aucune de ses lignes n'a de géométrie lisible")
    assert line.endswith(
        "(un export Opendatasoft écrit geo_point_2d en « lat, lon » et geo_shape en GeoJSON)"
    )


def test_an_area_reads_only_the_records_that_meet_it(tmp_path: Path) -> None:
    from layers.core.area import Area

    path = _write(tmp_path, "arbres.json", json.dumps({"nhits": 3, "records": _records_v1()}))
    around_brest = Area.from_bbox((-4.6, 48.3, -4.4, 48.5), "EPSG:4326", name="Brest")
    data = read_vector(path, area=around_brest)
    assert list(data.frame["nom"]) == ["Brest"] and data.outside == 1


def test_a_commune_sized_geo_shape(tmp_path: Path) -> None:
    """A geo_shape of more than the csv module's 128 KiB field limit (a commune's outline)."""
    import math

    ring = [[-4.5 + 0.1 * math.cos(a / 1000), 48.4 + 0.1 * math.sin(a / 1000)] for a in range(6283)]
    shape = _csv_shape({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
    assert len(shape) > 140_000
    path = _write(tmp_path, "commune.csv", f"nom;geo_point_2d;geo_shape\nBrest;48.4, -4.5;{shape}\nX;;{{\n")
    data = read_vector(path)
    assert data.frame.geometry.iloc[0].geom_type == "Polygon"
    assert any("line 3: geo_shape is not valid GeoJSON" in w for w in data.warnings)
