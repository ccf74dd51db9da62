"""A file that holds a whole map opens as one layer per theme: a BD TOPO GeoPackage, an OSM extract."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from layers.session.file_layers import layer_choices
from layers.session.opening import open_paths, project_for_files

L93 = "EPSG:2154"


@pytest.fixture()
def departement(tmp_path):
    """A BD TOPO v3 GeoPackage as IGN ships it (lower-case layer and field names), four themes."""
    gpkg = tmp_path / "BDT_3-3_GPKG_LAMB93_D035-ED2024-03-15.gpkg"
    box = shapely.box(318000, 6740000, 318040, 6740030)
    gpd.GeoDataFrame(
        {"nom_officiel": ["Redon"], "code_insee": ["35236"]}, geometry=[box.buffer(500)], crs=L93
    ).to_file(gpkg, layer="commune")
    gpd.GeoDataFrame({"hauteur": [9.0], "nature": ["Indifférenciée"]}, geometry=[box], crs=L93).to_file(
        gpkg, layer="batiment"
    )
    road = shapely.LineString([(317900, 6739990), (318200, 6739990)])
    gpd.GeoDataFrame(
        {"nature": ["Route à 1 chaussée"], "largeur_de_chaussee": [6.0]}, geometry=[road], crs=L93
    ).to_file(gpkg, layer="troncon_de_route")
    gpd.GeoDataFrame({"nature": ["Bois"]}, geometry=[box.buffer(100)], crs=L93).to_file(
        gpkg, layer="zone_de_vegetation"
    )
    gpd.GeoDataFrame({"nom": ["Le Pré"]}, geometry=[shapely.Point(318000, 6740000)], crs=L93).to_file(
        gpkg, layer="lieu_dit_non_habite"
    )
    return gpkg


def test_a_bdtopo_geopackage_offers_its_themes_in_the_drawing_order(departement):
    choices = layer_choices(departement)
    assert [(c.key, c.kind, c.shown) for c in choices] == [
        ("zone_de_vegetation", "topo", True),
        ("troncon_de_route", "topo", True),
        ("batiment", "buildings", True),
        ("commune", "vector", False),  # the outline is context: offered, not ticked
    ]  # lieu_dit_non_habite is no theme Maquette draws


def test_opening_it_builds_every_theme_or_those_chosen(departement):
    project = project_for_files([departement])
    assert [(s["kind"], s["options"]["layer"]) for s in project.layer_specs] == [
        ("topo", "zone_de_vegetation"),
        ("topo", "troncon_de_route"),
        ("buildings", "batiment"),
        ("vector", "commune"),
    ]
    assert project.layer_specs[-1]["visible"] is False
    session = open_paths([departement], layers={departement: {"batiment", "troncon_de_route"}})
    kinds = {layer.name: layer.kind for layer in session.scene.layers}
    assert kinds == {"troncon_de_route": "topo", "batiment": "buildings"}
    road = next(layer for layer in session.scene.layers if layer.kind == "topo")
    assert road.feature_count() == 1


def test_a_plain_geopackage_is_one_layer(tmp_path):
    path = tmp_path / "zones.gpkg"
    gpd.GeoDataFrame({"v": [1]}, geometry=[shapely.box(0, 0, 1, 1)], crs=L93).to_file(path, layer="zones")
    assert layer_choices(path) == []
    assert len(project_for_files([path]).layer_specs) == 1


def test_an_openstreetmap_extract_opens_as_its_buildings_and_themes(shared_data):
    pbf = shared_data / "osm" / "monaco-latest.osm.pbf"
    project = project_for_files([pbf], language="fr")
    names = [s["name"] for s in project.layer_specs]
    assert "monaco-latest · Bâtiments" in names and "monaco-latest · Routes" in names
    assert names.index("monaco-latest · Eau") < names.index("monaco-latest · Routes")  # water under roads
    assert names.index("monaco-latest · Routes") < names.index("monaco-latest · Bâtiments")
