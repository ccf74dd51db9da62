"""layers.buildings.citymodel: CityJSON and CityGML buildings with their own surfaces, CRS rules,
accounting.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from layers.buildings.citymodel import CityModelLayer, is_city_model
from layers.core.detect import detect_kind
from layers.core.errors import CRSMissing, InputError
from layers.core.reading import open_layer

CJ = "citymodel/cjio_samples/"
GML = "citymodel/lyon_citygml/"

REAL = [
    # file, --crs, buildings shown, features in, EPSG, LoD, parts, height range (m)
    (CJ + "delft.json", None, 160, 570, 28992, "1", 0, (0.75, 8.57)),
    (CJ + "zurich_subset_lod2.json", None, 49, 49, 2056, "2", 161, (4.0, 31.36)),
    (CJ + "rotterdam_subset.json", "EPSG:28992", 16, 16, 28992, "2", 0, (10.19, 18.29)),
    (CJ + "DH_01_subs.city.json", "EPSG:28992", 4, 4, 28992, "2", 8, (8.6, 9.51)),
    (GML + "LYON_1ER_BATI_2015_small_house.gml", "EPSG:3946", 1, 1, 3946, "2", 1, (10.38, 10.38)),
    (GML + "LYON_2EME_BATI_2015_small_house.gml", "EPSG:3946", 1, 1, 3946, "2", 1, (4.8, 4.8)),
]


def _signed_volumes(mesh, n):
    pts = mesh.points - np.r_[mesh.points[:, :2].mean(axis=0), 0.0]
    a, b, c = (pts[mesh.triangles[:, k]] for k in range(3))
    return np.bincount(mesh.owner, weights=np.einsum("ij,ij->i", a, np.cross(b, c)) / 6.0, minlength=n)


@pytest.mark.parametrize(
    "relative,crs,shown,features_in,epsg,lod,parts,heights", REAL, ids=[r[0].split("/")[-1] for r in REAL]
)
def test_real_city_models(shared_data, relative, crs, shown, features_in, epsg, lod, parts, heights):
    path = shared_data / relative
    assert is_city_model(path) and detect_kind(path) == "buildings"
    layer = open_layer(path, crs=crs)
    assert isinstance(layer, CityModelLayer) and layer.kind == "buildings"
    assert layer.feature_count() == shown and layer.crs.to_epsg() == epsg
    info = layer.describe()
    # no silent loss: every top-level city object is shown or dropped with a reason
    assert info["features_in"] == features_in == shown + info["dropped"]
    assert sum(info["dropped_reasons"].values()) == info["dropped"]
    assert info["lod"] == {lod: shown} and info["building_parts"] == parts
    assert layer.height_m.min() == pytest.approx(heights[0], abs=0.01)
    assert layer.height_m.max() == pytest.approx(heights[1], abs=0.01)
    mesh = layer.mesh()
    # the model's own surfaces, seated on each building's lowest point, one owner row per building
    assert set(np.unique(mesh.owner)) == set(range(shown))
    assert mesh.points[:, 2].min() == pytest.approx(0.0, abs=1e-6)
    assert np.isfinite(layer.ground_m).all()
    assert mesh.is_roof.any() and (~mesh.is_roof).any()
    assert (layer.frame.geometry.area > 1.0).all()
    json.dumps(info)
    json.dumps(layer.attributes(0))


def test_delft_counts_other_objects_by_type(shared_data):
    layer = open_layer(shared_data / CJ / "delft.json", "buildings")
    reasons = layer.describe()["dropped_reasons"]
    assert reasons == {
        "not a building: Road": 143,
        "not a building: PlantCover": 126,
        "not a building: LandUse": 81,
        "not a building: GenericCityObject": 54,
        "not a building: Bridge": 3,
        "not a building: WaterBody": 3,
    }
    assert any("143" in w and "Road" in w for w in layer.warnings)
    # transform applied: RD New metres, and the LoD1 blocks are closed solids wound outward
    x0, y0, x1, y1 = layer.bounds()
    assert 84_000 < x0 < x1 < 86_500 and 446_000 < y0 < y1 < 448_500
    assert (_signed_volumes(layer.mesh(), layer.feature_count()) > 0).all()
    assert layer.attributes(0)["measuredHeight"] == layer.height_m[0]


def test_zurich_parts_merged_into_their_building(shared_data):
    layer = open_layer(shared_data / CJ / "zurich_subset_lod2.json", "buildings")
    assert layer.frame["parts"].sum() == 161
    assert set(layer.frame["type"]) == {"Building"}
    mesh = layer.mesh()
    # semantic RoofSurfaces are roofs, and LoD2 roofs are not flat
    roof_z = mesh.points[mesh.triangles[mesh.is_roof]][:, :, 2]
    assert np.ptp(roof_z, axis=1).max() > 1.0


@pytest.mark.parametrize(
    "relative,candidate",
    [
        (CJ + "rotterdam_subset.json", "EPSG:28992"),
        (CJ + "DH_01_subs.city.json", "EPSG:28992"),
        (GML + "LYON_1ER_BATI_2015_small_house.gml", "EPSG:3946"),
    ],
)
def test_no_crs_asks_for_one_naming_candidates(shared_data, relative, candidate):
    with pytest.raises(CRSMissing) as info:
        open_layer(shared_data / relative, "buildings")
    error = info.value
    assert candidate in error.candidates
    text = error.one_line()
    assert "declares no CRS" in text and f"--crs {candidate}" in text and "\n" not in text


def test_citygml_reads_lod2_surfaces_and_generic_attributes(shared_data):
    layer = open_layer(shared_data / GML / "LYON_1ER_BATI_2015_small_house.gml", "buildings", crs="EPSG:3946")
    attributes = layer.attributes(0)
    assert attributes["id"] == "BU_69381AB133" and attributes["NOMCOMMUNE"] == "LYON 1ER"
    assert (
        attributes["height_m"] == pytest.approx(10.38, abs=0.01)
        and attributes["height_source"] == "measuredHeight"
    )
    assert layer.ground_m[0] == pytest.approx(197.4)
    assert "NBMAIS" not in attributes or attributes["NBMAIS"] is None  # -9999 means no data
    mesh = layer.mesh()
    # 7 polygons (2 roofs, 4 walls, 1 ground), the lod2Solid's xlinks not read twice
    assert mesh.is_roof.sum() == 4
    assert layer.frame.geometry.area[0] == pytest.approx(91.0, rel=0.02)  # SURFTOIT = 91 m²


def test_citygml_parser_refuses_entities_and_reports_bad_xml(tmp_path):
    bomb = tmp_path / "bomb.gml"
    bomb.write_text(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY ext SYSTEM "file:///etc/passwd">]>\n'
        '<CityModel xmlns="http://www.opengis.net/citygml/2.0" '
        'xmlns:bldg="http://www.opengis.net/citygml/building/2.0" xmlns:gml="http://www.opengis.net/gml">'
        '<cityObjectMember><bldg:Building gml:id="B1"><gml:name>&lol2;&ext;</gml:name>'
        "</bldg:Building></cityObjectMember></CityModel>"
    )
    with pytest.raises(InputError) as info:
        open_layer(bomb, "buildings", crs="EPSG:2154")
    assert "no building with geometry" in str(info.value) and "root:" not in str(info.value)
    broken = tmp_path / "cut.gml"
    broken.write_text(
        '<CityModel xmlns="http://www.opengis.net/citygml/2.0"><cityObjectMember><bldg:Building'
    )
    with pytest.raises(InputError, match="not readable as CityGML"):
        open_layer(broken, "buildings", crs="EPSG:2154")


def _cityjson(tmp_path: Path, **extra) -> Path:
    """A small CityJSON 2.0: one LoD1 cube building (with a part at LoD2), a road, an empty object."""
    cube = [[[0, 3, 2, 1]], [[4, 5, 6, 7]], [[0, 1, 5, 4]], [[1, 2, 6, 5]], [[2, 3, 7, 6]], [[3, 0, 4, 7]]]
    data = {
        "type": "CityJSON",
        "version": "2.0",
        "transform": {"scale": [0.01, 0.01, 0.01], "translate": [351000.0, 6789000.0, 40.0]},
        "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/2154"},
        "CityObjects": {
            "B1": {
                "type": "Building",
                "attributes": {"nom": "Halle", "yearOfConstruction": 2005},
                "children": ["B1-P"],
                "geometry": [{"type": "Solid", "lod": "1", "boundaries": [cube]}],
            },
            "B1-P": {
                "type": "BuildingPart",
                "parents": ["B1"],
                "geometry": [
                    {"type": "MultiSurface", "lod": "1", "boundaries": [[[8, 9, 10]]]},
                    {
                        "type": "MultiSurface",
                        "lod": "2.2",
                        "boundaries": [[[8, 9, 10, 11]]],
                        "semantics": {"surfaces": [{"type": "RoofSurface"}], "values": [0]},
                    },
                ],
            },
            "R1": {
                "type": "Road",
                "geometry": [{"type": "MultiSurface", "lod": "1", "boundaries": [[[0, 1, 2]]]}],
            },
            "E1": {"type": "Building"},
        },
        "vertices": [
            [0, 0, 0],
            [1000, 0, 0],
            [1000, 1000, 0],
            [0, 1000, 0],
            [0, 0, 1200],
            [1000, 0, 1200],
            [1000, 1000, 1200],
            [0, 1000, 1200],
            [2000, 0, 500],
            [3000, 0, 500],
            [3000, 1000, 800],
            [2000, 1000, 800],
        ],
    }
    data.update(extra)
    path = tmp_path / "small.city.json"
    path.write_text(json.dumps(data))
    return path


def test_small_cityjson_transform_parts_lod_and_accounting(tmp_path):
    layer = open_layer(_cityjson(tmp_path), "buildings")
    assert layer.name == "small" and layer.crs.to_epsg() == 2154
    assert layer.feature_count() == 1
    info = layer.describe()
    assert info["features_in"] == 3 and info["dropped_reasons"] == {
        "not a building: Road": 1,
        "no geometry": 1,
    }
    assert layer.frame["parts"].tolist() == [1] and layer.frame["nom"].tolist() == ["Halle"]
    assert layer.ground_m[0] == pytest.approx(40.0)
    assert layer.height_m[0] == pytest.approx(12.0)  # 0 .. 12 m: cube top; the part's roof is lower
    mesh = layer.mesh()
    # the cube: 6 quads → 12 triangles; the part at its highest LoD (2.2): one quad → 2 roof triangles
    assert len(mesh.triangles) == 14
    assert mesh.is_roof.sum() == 2 + 2  # the cube's top (no semantics: faces looking up) + the part's roof
    x0, y0, x1, y1 = layer.bounds()
    assert (x0, y0, x1, y1) == pytest.approx((351000.0, 6789000.0, 351030.0, 6789010.0))
    assert _signed_volumes(mesh, 1)[0] > 0


def test_cityjson_crs_given_and_wrong(tmp_path):
    path = _cityjson(tmp_path, metadata={})
    with pytest.raises(CRSMissing) as info:
        open_layer(path, "buildings")
    assert "EPSG:2154" in info.value.candidates
    layer = open_layer(path, "buildings", crs="EPSG:2154")
    assert layer.options["crs"] == "EPSG:2154"
    with pytest.raises(InputError, match="in degrees"):
        open_layer(path, "buildings", crs="EPSG:4326")


def test_broken_cityjson(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('{"type": "CityJSON", "version": "2.0", "CityObjects": {"a": ')
    with pytest.raises(InputError, match="not readable as CityJSON"):
        open_layer(path, "buildings")
    empty = tmp_path / "none.json"
    empty.write_text('{"type": "CityJSON", "version": "2.0", "CityObjects": {}, "vertices": []}')
    with pytest.raises(InputError, match="holds no building"):
        open_layer(empty, "buildings")


def test_reproject_moves_prebuilt_mesh(tmp_path):
    layer = open_layer(_cityjson(tmp_path), "buildings")
    z = layer.mesh().points[:, 2].copy()
    layer.reproject(layer.crs.from_epsg(3948))
    points = layer.mesh().points
    assert 1.3e6 < points[:, 0].min() < 1.4e6 and 7.2e6 < points[:, 1].min() < 7.3e6
    np.testing.assert_allclose(points[:, 2], z)
    assert 1.3e6 < layer.bounds()[0] < 1.4e6


# -- faces pointing to vertices the file does not have --------------------------------------------------
def _with_objects(tmp_path: Path, objects: dict, vertices: list | None = None) -> Path:
    path = _cityjson(tmp_path)
    data = json.loads(path.read_text())
    data["CityObjects"].update(objects)
    data["vertices"].extend(vertices or [])
    path.write_text(json.dumps(data))
    return path


def _surfaces(*faces: list[int]) -> list[dict]:
    return [{"type": "MultiSurface", "lod": "1", "boundaries": [[list(face)] for face in faces]}]


def test_faces_with_missing_vertices_are_left_out_whole_and_counted(tmp_path):
    path = _with_objects(
        tmp_path,
        {
            # one good face, one with an index past the end, one with a negative index
            "B2": {"type": "Building", "geometry": _surfaces([8, 9, 10], [8, 9, 999], [8, -1, 10])},
            # one face on a vertex whose coordinates are not numbers (null in the file)
            "B3": {"type": "Building", "geometry": _surfaces([0, 1, 2], [0, 1, 12])},
            # nothing left
            "B4": {"type": "Building", "geometry": _surfaces([500, 501, 502])},
        },
        vertices=[[None, 0, 0]],
    )
    layer = open_layer(path, "buildings")
    assert layer.frame["id"].tolist() == ["B1", "B2", "B3"]
    assert len(layer.mesh().triangles) == 14 + 1 + 1  # only whole faces: none with a corner missing
    assert layer.describe()["dropped_reasons"] == {
        "not a building: Road": 1,
        "no geometry": 1,
        "faces pointing to vertices the file does not have": 1,
    }
    assert (
        "4 faces of 3 buildings point to vertices the file does not have or that are not numbers "
        "and were left out (B2, B3, B4)"
    ) in layer.warnings
    assert any(
        "left out: faces pointing to vertices the file does not have (B4)" in w for w in layer.warnings
    )


def test_a_model_whose_faces_mostly_point_nowhere_is_refused(tmp_path, capsys):
    from desktop.cli import main

    path = _with_objects(tmp_path, {"B2": {"type": "Building", "geometry": _surfaces(*[[0, 1, 99]] * 8)}})
    expected = (
        f"{path}: most of its faces (8 of 15) point to vertices the file does not have or that are "
        "not numbers (the file is damaged: export it again)"
    )
    with pytest.raises(InputError) as info:
        open_layer(path, "buildings")
    assert info.value.one_line() == expected
    assert main(["info", str(path)]) == 2
    assert capsys.readouterr().err == f"maquette: error: {expected}\n"
