"""layers.trees: tree inventories read with their placeholders, sized, defaults counted."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from layers.core.detect import detect_kind
from layers.core.style import StyleError
from layers.trees.layer import TreesLayer
from layers.trees.sizes import DEFAULT_HEIGHT_M, crown_base_m, height_class_m
from layers.trees.style import CROWN_COLOR, TreesStyle

L93 = "EPSG:2154"


def test_style_round_trip_bad_value_and_unknown_keys():
    style = TreesStyle.from_dict({"trunks": False, "crown_color": "#336633"})
    assert TreesStyle.from_dict(style.to_dict()) == style
    assert TreesStyle().crown_color == CROWN_COLOR and TreesStyle().to_dict() == {}
    with pytest.raises(StyleError) as error:
        TreesStyle.from_dict({"trunks": "yes"})
    assert error.value.field == "trunks"
    kept = TreesStyle.from_dict({"trunks": False, "leaves": "autumn"})
    assert kept.extra == {"leaves": "autumn"}


def montpellier_like(path):
    """Five trees as Montpellier writes them: one measured, placeholders, a genus only, empty rows."""
    frame = gpd.GeoDataFrame(
        {
            "HAUTEUR_M": [12.0, 0.0, None, None, 95.0],
            "CIRCONF_CM": [120.0, 0.0, 80.0, None, None],
            "BOTANIQUE": ["Platanus hybrida", ".", None, "Platanus x acerifolia", None],
            "RELEVE": ["2006-09-01", "1900-01-01", None, None, None],
        },
        geometry=[Point(770575 + 10 * i, 6277575) for i in range(5)],
        crs=L93,
    )
    frame.to_file(path)
    return path


def test_placeholders_are_missing_and_every_default_is_counted(tmp_path):
    path = montpellier_like(tmp_path / "arbres.gpkg")
    assert detect_kind(path) == "trees"
    layer = TreesLayer.load(path)
    assert layer.feature_count() == 5 and layer.stats["features_in"] == 5 and layer.stats["dropped"] == 0
    # measured; 0 → by genus? no genus ('.') and no circumference (0) → 8 m; 80 cm → class; genus; absurd 95 m
    assert layer.height_m[0] == 12.0
    assert layer.height_m[1] == DEFAULT_HEIGHT_M
    assert layer.height_m[2] == height_class_m(np.array([80.0]))[0] == 10.0
    assert layer.height_m[3] == 20.0  # the usual height of a plane tree
    assert layer.height_m[4] == DEFAULT_HEIGHT_M  # 95 m is a typing error
    assert layer.stats["heights_defaulted"] == 4 and layer.stats["crowns_defaulted"] == 5
    assert layer.stats["defaults"]["height"] == {
        "from the trunk circumference's size class": 1,
        "the usual height of its genus": 1,
        "8 m, the default for a street tree": 2,
    }
    assert any("2 trees without height: 8 m, the default for a street tree" in w for w in layer.warnings)
    assert layer.attributes(1)["BOTANIQUE"] is None and layer.attributes(1)["RELEVE"] is None
    assert layer.genus[0] == "Platanus" and layer.species[1] is None


def test_paris_fields_and_english_fields(tmp_path):
    paris = gpd.GeoDataFrame(
        {
            "hauteurenm": [20, 0],
            "circonferenceencm": [300, 0],
            "libellefrancais": ["Platane", "Marronnier"],
            "genre": ["Platanus", "Aesculus"],
            "espece": ["x hispanica", "hippocastanum"],
        },
        geometry=[Point(2.35, 48.85), Point(2.351, 48.851)],
        crs="EPSG:4326",
    )
    paris.to_file(tmp_path / "remarquables.geojson")
    layer = TreesLayer.load(tmp_path / "remarquables.geojson")
    assert list(layer.height_m) == [20.0, 15.0]
    assert layer.species[0] == "Platanus x hispanica" and layer.genus[1] == "Aesculus"
    english = gpd.GeoDataFrame(
        {"height": [10.0], "crown_diameter": [6.0], "species": ["Tilia cordata"]},
        geometry=[Point(770575, 6277575)],
        crs=L93,
    )
    english.to_file(tmp_path / "t.gpkg")
    tree = TreesLayer.load(tmp_path / "t.gpkg")
    assert tree.crown_m[0] == 6.0 and tree.crown_base_m[0] == 4.0 and tree.stats["heights_defaulted"] == 0


def test_features_that_are_no_trees_are_counted(tmp_path):
    frame = gpd.GeoDataFrame(
        {"hauteur": [8.0, 9.0, 10.0]},
        geometry=[Point(770575, 6277575), shapely.box(770575, 6277575, 770576, 6277576), None],
        crs=L93,
    )
    frame.to_file(tmp_path / "mixed.geojson")
    layer = TreesLayer.load(tmp_path / "mixed.geojson")
    assert layer.feature_count() == 1
    assert layer.stats["features_in"] == 3 and layer.stats["dropped"] == 2
    assert layer.stats["dropped_reasons"] == {"not a point": 1, "no geometry": 1}


def test_crown_prisms_have_twelve_sides_from_the_crown_base_to_the_top():
    layer = TreesLayer.from_points("one", np.array([[0.0, 0.0]]), np.array([10.0]), np.array([6.0]), L93)
    polygons, base, top = layer.shadow_prisms()
    assert len(shapely.get_coordinates(polygons[0])) == 13  # closed ring of 12 sides
    assert base[0] == 4.0 and top[0] == 10.0
    assert shapely.area(polygons[0]) == pytest.approx(3 * 3.0**2)  # a regular 12-gon: 3 r²
    assert list(crown_base_m(np.array([20.0, 20.0]), np.array([4.0, 30.0]))) == [10.0, 4.0]


def test_points_named_after_trees_are_trees_and_streets_are_not(tmp_path):
    plain = gpd.GeoDataFrame({"id": [1]}, geometry=[Point(770575, 6277575)], crs=L93)
    plain.to_file(tmp_path / "street_trees.geojson")
    plain.to_file(tmp_path / "streets_points.geojson")
    assert detect_kind(tmp_path / "street_trees.geojson") == "trees"
    assert detect_kind(tmp_path / "streets_points.geojson") != "trees"


def test_montpellier_street_trees(shared_data):
    path = shared_data / "trees" / "montpellier_alignment" / "VilleMTP_MTP_ArbresAlign.shp"
    assert detect_kind(path) == "trees"
    layer = TreesLayer.load(path)
    stats = layer.stats
    assert layer.feature_count() == stats["features_in"] == 23_972 and stats["dropped"] == 0
    # the 23,229 empty rows (and the measured zeros with nothing else) get the street-tree default
    assert stats["defaults"]["height"]["8 m, the default for a street tree"] >= 23_229
    assert stats["heights_defaulted"] == sum(stats["defaults"]["height"].values())
    assert 0 < layer.height_m.min() and layer.height_m.max() <= 60
    tile = shapely.box(770549.75, 6277550.25, 770599.75, 6277600.25)  # the LiDAR HD tile beside them
    assert (shapely.distance(shapely.points(layer.points()), tile) <= 200).sum() == 39


def test_an_area_reads_only_the_trees_within_it(shared_data):
    from layers.core.area import Area

    path = shared_data / "trees" / "montpellier_alignment" / "VilleMTP_MTP_ArbresAlign.shp"
    area = Area.from_bbox((770349.75, 6277350.25, 770799.75, 6277800.25), "EPSG:2154")  # the tile ± 200 m
    layer = TreesLayer.load(path, area=area)
    assert 39 <= layer.feature_count() < 200
    assert layer.stats["features_in"] == layer.feature_count() + layer.stats["dropped"]
    assert layer.stats["outside_area"] == 23_972 - layer.stats["features_in"]


def test_height_classes_written_as_text_and_flattened_field_names(tmp_path):
    frame = gpd.GeoDataFrame(
        {
            "fields.hauteur": ["10 à 15 m", "moins de 5 m", "."],
            "fields.essence": ["Tilia", "Acer", "Pinus pinea"],
        },
        geometry=[Point(770575 + i, 6277575) for i in range(3)],
        crs=L93,
    )
    frame.to_file(tmp_path / "inventaire.gpkg")
    assert detect_kind(tmp_path / "inventaire.gpkg") == "trees"
    layer = TreesLayer.load(tmp_path / "inventaire.gpkg")
    assert list(layer.height_m) == [12.5, 5.0, 14.0]  # the middle of the class; a pine's usual height
    assert layer.crown_m[2] == pytest.approx(14.0 * 0.8)  # pines are wide


def test_paris_remarkable_trees_dump_sizes_each_tree_from_its_prefixed_fields(shared_data):
    """Paris' Opendatasoft dump joins two datasets: ``arbres_hauteurenm``, ``arbres_genre``..."""
    layer = TreesLayer.load(shared_data / "trees" / "paris_remarquables" / "arbres.json")
    assert layer.feature_count() == 185
    assert layer.stats["heights_defaulted"] == 0
    assert 3.0 <= float(layer.height_m.min()) and float(layer.height_m.max()) <= 45.0
    x, y = layer.frame.geometry.x.to_numpy(), layer.frame.geometry.y.to_numpy()
    assert ((2.2 < x) & (x < 2.5) & (48.8 < y) & (y < 48.91)).all()  # in Paris: lon/lat never swapped
