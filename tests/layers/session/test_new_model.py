"""A new model of a place from a folder of downloads (:mod:`layers.session.new_model`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from layers.core.area import Area
from layers.core.errors import InputError
from layers.session.new_model import make_model, write_model
from layers.session.new_scan import DOCUMENT, scan, walk
from layers.session.new_themes import kind_for_layer, role_of
from layers.session.project import load_project
from layers.session.scene_io import build_scene


def _redon(shared_data: Path) -> Path:
    folder = shared_data / "bdtopo" / "redon_v3_35236"
    if not folder.is_dir():
        pytest.skip("Redon's BD TOPO is not in the shared data")
    return folder


# -- the scan -----------------------------------------------------------------------------------
def test_the_scan_skips_sidecars_hidden_files_and_link_loops(tmp_path):
    frame = gpd.GeoDataFrame({"nature": ["Bois"]}, geometry=[shapely.box(0, 0, 10, 10)], crs="EPSG:2154")
    frame.to_file(tmp_path / "ZONE_DE_VEGETATION.shp")
    (tmp_path / ".hidden.geojson").write_text("{}")
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    (tmp_path / "notes.txt").write_text("hello\n")
    names = [p.name for p in walk([tmp_path])]
    assert names == ["ZONE_DE_VEGETATION.shp", "notes.txt"]
    found = scan([tmp_path])
    vegetation = next(f for f in found if f.path.name == "ZONE_DE_VEGETATION.shp")
    assert (vegetation.kind, vegetation.role) == ("topo", "vegetation")
    notes = next(f for f in found if f.path.name == "notes.txt")
    assert notes.kind is None and notes.reason == DOCUMENT  # said as what it is, not "unreadable"


def test_bdtopo_themes_say_their_role_and_correct_a_generic_kind():
    assert role_of("BATIMENT", "vector") == "buildings"
    assert kind_for_layer("BATIMENT", "vector") == "buildings"
    assert kind_for_layer("batiment", "topo") == "buildings"
    assert kind_for_layer("RESERVOIR", "topo") == "buildings"  # water towers, tanks: with heights
    assert kind_for_layer("HAIE", "streets") == "topo"  # drawn as the reference map draws them
    assert kind_for_layer("troncon_de_route", "buildings") == "topo"
    assert kind_for_layer("Plan d'eau", "vector") == "topo" and role_of("Plan d'eau", "vector") == "water"
    assert kind_for_layer("COMMUNE", "vector") == "vector" and role_of("COMMUNE", "vector") == "other"
    assert kind_for_layer("somewhere", "noise") == "noise"


def test_a_geopackage_is_taken_layer_by_layer(tmp_path):
    gpkg = tmp_path / "BDT_3-3_GPKG_LAMB93_D035.gpkg"
    box = shapely.box(318000, 6740000, 318100, 6740100)
    gpd.GeoDataFrame({"hauteur": [9.0]}, geometry=[box], crs="EPSG:2154").to_file(gpkg, layer="batiment")
    water = gpd.GeoDataFrame({"nature": ["Canal"]}, geometry=[box.buffer(50)], crs="EPSG:2154")
    water.to_file(gpkg, layer="surface_hydrographique")
    found = scan([gpkg])
    assert {(f.layer, f.kind, f.role) for f in found} == {
        ("batiment", "buildings", "buildings"),
        ("surface_hydrographique", "topo", "water"),
    }
    model = make_model([gpkg], tmp_path / "out")
    kinds = [(s["kind"], s["options"]["layer"]) for s in model.project.layer_specs]
    assert kinds == [("topo", "surface_hydrographique"), ("buildings", "batiment")]  # water under buildings


# -- Redon --------------------------------------------------------------------------------------
@pytest.mark.parametrize("commune", ["Redon", "35236", "REDON"])
def test_redon_by_name_or_insee_code(shared_data, tmp_path, commune):
    folder = _redon(shared_data)
    model = make_model([folder], tmp_path / "redon", commune=commune, language="fr")
    path = write_model(model)
    assert path.name == "redon.maquette.json"
    assert model.area.name == "Redon" and model.area.code == "35236"
    assert model.area.crs.to_epsg() == 2154
    data = json.loads(path.read_text())
    assert data["crs"] == "EPSG:2154"
    assert Area.from_dict(data["area"]).code == "35236"
    assert data["views"][0]["name"] == "Vue d'ensemble"
    assert all(not Path(s["source"]).is_absolute() for s in data["layers"])
    roles = [a.role for a in model.layers]
    assert roles == sorted(
        roles,
        key=[
            "terrain",
            "basemap",
            "water",
            "vegetation",
            "roads",
            "rail",
            "buildings",
            "trees",
            "other",
        ].index,
    )
    # every file is accounted for: a layer, or not used with the reason in words
    accounted = {a.label for a in model.layers} | {name for name, _ in model.unused}
    assert {f"{p.stem}.shp" for p in folder.glob("*.shp")} <= accounted
    for account in model.layers:
        assert account.features_in == account.shown + sum(account.dropped.values())
    reasons = dict(model.unused)
    for name in ("BATIMENT.shp", "TRONCON_DE_ROUTE.shp"):  # their .dbf is missing as delivered
        if name in reasons:
            assert ".dbf" in reasons[name]
    # reopened, the project reads the same features over the same area
    project = load_project(path)
    assert project.area is not None and project.area.name == "Redon"
    scene, report = build_scene(project)
    assert not report.errors
    assert sum(layer.feature_count() for layer in scene.layers) == sum(a.shown for a in model.layers)
    water = next(layer for layer in scene.layers if layer.name == "SURFACE_HYDROGRAPHIQUE")
    assert water.kind == "topo" and water.theme == "water"  # drawn as the reference map draws water
    assert not next(layer for layer in scene.layers if layer.name == "COMMUNE").visible


def test_redon_with_a_box_reads_less(shared_data, tmp_path):
    folder = _redon(shared_data)
    whole = make_model([folder], tmp_path / "a", commune="Redon")
    box = make_model([folder], tmp_path / "b", bbox="318000,6740000,319000,6741000")
    assert sum(a.shown for a in box.layers) < sum(a.shown for a in whole.layers)
    assert box.area.name is None and box.area.bounds == (318000, 6740000, 319000, 6741000)
    small = make_model([folder], tmp_path / "s", bbox="318000,6740000,318500,6740500")
    reasons = dict(small.unused)
    assert reasons["HAIE.shp"] == "empty in the box 318000, 6740000, 318500, 6740500 (EPSG:2154)"
    assert "HAIE.shp" not in {a.label for a in small.layers}
    vegetation = next(a for a in small.layers if a.label == "ZONE_DE_VEGETATION.shp")
    assert vegetation.outside + vegetation.features_in == 861  # the file's zones: read, or beyond the box
    assert not any(s["name"] == "HAIE" for s in small.project.layer_specs)  # not in the project either
    degrees = make_model([folder], tmp_path / "c", bbox="-2.09,47.64,-2.07,47.66")
    assert degrees.area.crs.to_epsg() == 2154  # given in degrees, kept in the scene's CRS


def test_commune_errors_are_said(shared_data, tmp_path):
    folder = _redon(shared_data)
    with pytest.raises(InputError, match="no commune 'Paris'.*Redon \\(35236\\)"):
        make_model([folder], tmp_path / "x", commune="Paris")
    with pytest.raises(InputError, match="no commune layer"):
        make_model([folder / "HAIE.shp"], tmp_path / "x", commune="Redon")
    with pytest.raises(InputError, match="is also an input: writing it would destroy that input"):
        make_model([folder], folder / "COMMUNE.shp", commune="Redon")
    with pytest.raises(InputError, match="no data Maquette can read"):
        (tmp_path / "empty").mkdir()
        (tmp_path / "empty" / "readme.txt").write_text("nothing\n")
        make_model([tmp_path / "empty"], tmp_path / "x")


def test_several_communes_of_one_name_are_listed(tmp_path):
    communes = gpd.GeoDataFrame(
        {"nom": ["Saint-Denis", "Saint Denis", "Redon"], "code_insee": ["93066", "97411", "35236"]},
        geometry=[
            shapely.box(0, 0, 1000, 1000),
            shapely.box(2000, 0, 3000, 1000),
            shapely.box(0, 2000, 500, 2500),
        ],
        crs="EPSG:2154",
    )
    communes.to_file(tmp_path / "commune.gpkg", layer="commune")
    with pytest.raises(
        InputError, match="2 communes are called 'saint denis': Saint-Denis \\(93066\\), Saint"
    ):
        make_model([tmp_path / "commune.gpkg"], tmp_path / "x", commune="saint denis")
    model = make_model([tmp_path / "commune.gpkg"], tmp_path / "x", commune="93066")
    assert model.area.name == "Saint-Denis"


def test_a_too_large_extent_asks_for_a_commune_or_a_box(tmp_path):
    wide = gpd.GeoDataFrame(
        {"nature": ["a", "b"]},
        geometry=[shapely.box(0, 0, 10, 10), shapely.box(90000, 90000, 90010, 90010)],
        crs="EPSG:2154",
    )
    wide.to_file(tmp_path / "zones.geojson")
    with pytest.raises(InputError, match="--commune NAME\\|INSEE or --bbox"):
        make_model([tmp_path / "zones.geojson"], tmp_path / "x")


# -- Montpellier's LiDAR tile, Monaco ----------------------------------------------------------
def test_montpellier_lidar_tile_with_its_orthophoto(shared_data, tmp_path):
    folder = shared_data / "lidar_hd" / "montpellier_0770_6277"
    if not folder.is_dir():
        pytest.skip("the LiDAR HD tile is not in the shared data")
    model = make_model([folder], tmp_path / "mtp", language="en")
    write_model(model)
    assert model.project.data["views"][0]["name"] == "Overview"
    roles = [a.role for a in model.layers]
    assert roles[0] == "terrain" and "basemap" in roles
    assert model.layers[0].label.startswith("DTM")  # the ground first: the orthophoto lies on it
    visible_terrains = [a for a in model.layers if a.role == "terrain" and a.visible]
    assert len(visible_terrains) == 1 and visible_terrains[0].label.startswith("DTM")
    shown = {a.label for a in model.layers if a.visible}
    assert "ortho_rgb_20cm.tif" in shown and "ortho_irc_20cm.tif" not in shown  # colour, not infrared
    canopy = next(a for a in model.layers if a.label.startswith("DHM"))
    assert canopy.kind == "canopy" and canopy.visible  # the height model's trees, in 3D on the photo
    assert not any(name.startswith("DSM") for name in shown)  # roofs and tree tops over everything


def test_monaco_extract(shared_data, tmp_path):
    pbf = shared_data / "osm" / "monaco-latest.osm.pbf"
    if not pbf.is_file():
        pytest.skip("Monaco's extract is not in the shared data")
    model = make_model([pbf], tmp_path / "monaco")
    assert model.area.crs.is_projected  # degrees in, a metric scene CRS out
    assert any(a.role == "buildings" and a.shown > 1000 for a in model.layers)
    themes = {a.label.split(" › ")[-1]: a for a in model.layers if a.kind == "topo"}
    assert {"road", "water", "vegetation", "sport"} <= set(themes)
    roads = themes["road"]
    assert roads.features_in == roads.shown + sum(roads.dropped.values())  # the extract's others, by reason
    assert roads.shown == 2208


def test_a_zip_of_themes_is_looked_into_without_unpacking(tmp_path):
    import zipfile

    box = shapely.box(318000, 6740000, 318100, 6740100)
    for name, frame in (
        ("SURFACE_HYDROGRAPHIQUE", gpd.GeoDataFrame({"NATURE": ["Canal"]}, geometry=[box], crs="EPSG:2154")),
        (
            "ZONE_DE_VEGETATION",
            gpd.GeoDataFrame({"NATURE": ["Bois"]}, geometry=[box.buffer(20)], crs="EPSG:2154"),
        ),
    ):
        frame.to_file(tmp_path / f"{name}.shp")
    archive = tmp_path / "downloads" / "BDTOPO_35.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as out:
        for part in tmp_path.glob("*.*"):
            out.write(part, f"BDTOPO/{part.name}")
    model = make_model([archive.parent], tmp_path / "zip")
    assert [(a.label, a.role, a.shown) for a in model.layers] == [
        ("BDTOPO_35.zip › SURFACE_HYDROGRAPHIQUE", "water", 1),
        ("BDTOPO_35.zip › ZONE_DE_VEGETATION", "vegetation", 1),
    ]
    assert sorted(p.name for p in archive.parent.iterdir()) == ["BDTOPO_35.zip"]  # nothing unpacked


def test_cancel_stops_before_anything_is_written(shared_data, tmp_path):
    from layers.core.errors import Cancelled

    folder = _redon(shared_data)
    steps: list[str] = []
    with pytest.raises(Cancelled):
        make_model(
            [folder],
            tmp_path / "x",
            commune="Redon",
            progress=lambda fraction, message: steps.append(message),
            cancelled=lambda: len(steps) >= 3,  # during the scan
        )
    assert not list(tmp_path.iterdir())


def test_web_mercator_data_gets_lambert_93_in_france(tmp_path):
    from pyproj import Transformer

    to_mercator = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    x, y = to_mercator.transform(-2.08, 47.65)  # Redon
    frame = gpd.GeoDataFrame(
        {"nature": ["Bois"]}, geometry=[shapely.box(x, y, x + 200, y + 200)], crs="EPSG:3857"
    )
    frame.to_file(tmp_path / "zone_de_vegetation.gpkg")
    model = make_model([tmp_path / "zone_de_vegetation.gpkg"], tmp_path / "m")
    assert model.area.crs.to_epsg() == 2154


def test_theme_recognition_is_open(monkeypatch):
    from layers.session import new_themes

    assert role_of("lavoir", "vector") == "other"
    monkeypatch.setattr(
        new_themes,
        "THEME_RECOGNISERS",
        [*new_themes.THEME_RECOGNISERS, lambda n: "water" if n == "lavoir" else None],
    )
    assert role_of("lavoir", "vector") == "water" and kind_for_layer("lavoir", "streets") == "vector"
