"""The topo kind: BD TOPO themes read as topographic frames, every feature accounted for."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, Polygon

from layers.core.area import Area
from layers.core.detect import detect_kind
from layers.core.errors import InputError
from layers.topo.layer import TopoLayer
from layers.topo.palette import DEFAULT_ROAD_WIDTH_M, ROAD_WIDTHS_M

X0, Y0 = 351_000.0, 6_789_000.0
REDON = "bdtopo/redon_v3_35236"


def _roads() -> gpd.GeoDataFrame:
    """A v3 GeoPackage-like road table: lower-case fields, one width missing."""
    return gpd.GeoDataFrame(
        {
            "cleabs": ["TRONROUT1", "TRONROUT2", "TRONROUT3"],
            "nature": ["Route à 2 chaussées", "Chemin", "Route à 1 chaussée"],
            "largeur_de_chaussee": [11.0, None, 0.0],
            "importance": ["2", "5", "4"],
            "nom_1_gauche": ["Avenue de la Gare", None, ""],
        },
        geometry=[
            LineString([(X0, Y0), (X0 + 200, Y0)]),
            LineString([(X0, Y0 + 50), (X0 + 200, Y0 + 60)]),
            LineString([(X0, Y0 + 100), (X0 + 200, Y0 + 100)]),
        ],
        crs="EPSG:2154",
    )


def test_a_v3_geopackage_theme(tmp_path):
    path = tmp_path / "bdtopo.gpkg"
    _roads().to_file(path, layer="troncon_de_route")
    layer = TopoLayer.load(path, layer="troncon_de_route")
    assert layer.theme == "road"
    assert list(layer.frame["category"]) == ["route à 2 chaussées", "chemin", "route à 1 chaussée"]
    assert list(layer.frame["name"]) == ["Avenue de la Gare", None, None]
    widths = layer.widths_m()
    assert widths[0] == 11.0  # the data's width
    assert widths[1] == ROAD_WIDTHS_M["chemin"] and widths[2] == ROAD_WIDTHS_M["route à 1 chaussée"]
    assert layer.stats["widths_defaulted"] == 2
    assert layer.stats["features_in"] == 3 == layer.stats["features"]
    assert layer.describe()["theme"] == "road"


def test_detected_by_name_and_by_fields(tmp_path):
    named = tmp_path / "TRONCON_DE_ROUTE.geojson"
    _roads().to_file(named)
    assert detect_kind(named) == "topo"
    anonymous = tmp_path / "voies.geojson"
    _roads().to_file(anonymous)
    assert detect_kind(anonymous) == "topo"  # nature + largeur_de_chaussee
    assert TopoLayer.load(anonymous).theme == "road"


def test_area_reads_only_what_meets_it(tmp_path):
    path = tmp_path / "troncon_de_route.gpkg"
    _roads().to_file(path)
    area = Area.from_bbox((X0 - 10, Y0 - 10, X0 + 210, Y0 + 20), "EPSG:2154")
    layer = TopoLayer.load(path, area=area)
    assert len(layer.frame) == 1 and layer.stats["outside_area"] == 2


def test_points_and_empty_features_are_counted_as_dropped():
    frame = gpd.GeoDataFrame(
        {"nature": ["Bois", "Bois", "Verger"]},
        geometry=[Polygon([(X0, Y0), (X0 + 10, Y0), (X0, Y0 + 10)]), Point(X0, Y0), Polygon()],
        crs="EPSG:2154",
    )
    layer = TopoLayer.from_frame(frame, "vegetation", features_in=4, dropped_reasons={"no geometry": 1})
    stats = layer.stats
    assert stats["features"] == 1
    assert stats["features_in"] == stats["features"] + stats["dropped"]
    assert set(stats["dropped_reasons"]) == {
        "no geometry",
        "empty geometry",
        "points (not drawn as a theme of the map)",
    }
    assert len(layer.triangles().triangles) == 1


def test_unknown_theme_refused(tmp_path):
    path = tmp_path / "something.geojson"
    _roads().drop(columns=["largeur_de_chaussee"]).to_file(path)
    with pytest.raises(InputError, match="not a theme of a reference map"):
        TopoLayer.load(path)
    with pytest.raises(InputError, match="no such topographic theme"):
        TopoLayer.load(path, theme="motorways")
    assert TopoLayer.load(path, theme="road").theme == "road"


def test_redon_roads_without_their_attribute_table(shared_data):
    """Redon's TRONCON_DE_ROUTE comes without its .dbf: every road drawn at the default width, counted."""
    layer = TopoLayer.load(shared_data / REDON / "TRONCON_DE_ROUTE.shp")
    assert layer.theme == "road" and len(layer.frame) == 2483
    assert layer.stats["widths_defaulted"] == 2483
    assert np.all(layer.widths_m() == DEFAULT_ROAD_WIDTH_M)
    assert any(".dbf attribute table is missing" in w for w in layer.warnings)


@pytest.mark.parametrize(
    ("stem", "theme", "count"),
    [
        ("SURFACE_HYDROGRAPHIQUE", "water", 36),
        ("ZONE_DE_VEGETATION", "vegetation", 861),
        ("HAIE", "hedge", 748),
        ("TRONCON_DE_VOIE_FERREE", "rail", 21),
        ("TERRAIN_DE_SPORT", "sport", 28),
        ("CIMETIERE", "cemetery", 2),
        ("ZONE_D_ACTIVITE_OU_D_INTERET", "activity", 114),
    ],
)
def test_redon_themes(shared_data, stem, theme, count):
    path = shared_data / REDON / f"{stem}.shp"
    assert detect_kind(path) == "topo"
    layer = TopoLayer.load(path)
    assert layer.theme == theme
    assert layer.stats["features_in"] == count == layer.stats["features"] + layer.stats["dropped"]


def test_the_themes_of_a_departement_geopackage(tmp_path):
    from layers.topo.geopackage import bdtopo_layers

    path = tmp_path / "BDT_3-3_GPKG_LAMB93_D035.gpkg"
    _roads().to_file(path, layer="troncon_de_route")
    _roads().to_file(path, layer="lieu_dit_non_habite")
    squares = gpd.GeoDataFrame({"hauteur": [9.0]}, geometry=[Polygon([(X0, Y0), (X0 + 9, Y0), (X0, Y0 + 9)])])
    squares.set_crs("EPSG:2154").to_file(path, layer="batiment")
    assert bdtopo_layers(path) == {"troncon_de_route": "road", "batiment": "buildings"}


def test_a_project_keeps_the_layer_and_its_style(tmp_path):
    from layers.core.scene import Scene
    from layers.session.project import Project, load_project, save_project
    from layers.session.scene_io import build_scene, update_from_scene

    path = tmp_path / "bdtopo.gpkg"
    _roads().to_file(path, layer="troncon_de_route")
    scene = Scene()
    layer = scene.add(TopoLayer.load(path, layer="troncon_de_route"))
    layer.update_style(widths="wide", casing=False)
    saved = save_project(update_from_scene(Project(), scene, tmp_path), tmp_path / "p.maquette.json")
    reopened, _ = build_scene(load_project(saved))
    (again,) = reopened.layers
    assert isinstance(again, TopoLayer) and again.theme == "road" and len(again.frame) == 3
    assert again.style.widths == "wide" and again.style.casing is False


def test_geometry_collections_are_counted_as_dropped():
    from shapely.geometry import GeometryCollection

    frame = gpd.GeoDataFrame(
        {"nature": ["Bois", "Bois"]},
        geometry=[
            Polygon([(X0, Y0), (X0 + 10, Y0), (X0, Y0 + 10)]),
            GeometryCollection([Point(X0, Y0), LineString([(X0, Y0), (X0 + 5, Y0)])]),
        ],
        crs="EPSG:2154",
    )
    stats = TopoLayer.from_frame(frame, "vegetation").stats
    assert stats["features"] == 1 and stats["dropped_reasons"] == {"geometry collection (not drawn)": 1}


def test_the_missing_dbf_note_in_french():
    from pathlib import Path

    from layers.core.messages import word
    from layers.io.shapefile import missing_dbf_note

    french = word(missing_dbf_note(Path("/data/BATIMENT.shp")), "fr")
    assert french.startswith("BATIMENT.shp : la table attributaire .dbf du shapefile manque : lu comme")
