"""A scene's buildings as the 3D Tiles input: visible layers only, standing rows, the app's colours
(a planned project in orange), identifiers and usages from the source's fields."""

from __future__ import annotations

import numpy as np

from layers.buildings.layer import BuildingsLayer
from layers.buildings.planned import PROPOSED_COLOR, mark_proposed
from layers.buildings.style import DEFAULT_COLOR
from layers.core.palettes import hex_to_rgb
from layers.core.scene import Scene
from layers.tiles3d.content import srgb_to_linear
from layers.tiles3d.scene import scene_buildings
from layers.tiles3d.writer import write_tileset

from .reading import _accessor, content, tiles


def test_planned_project_in_orange_and_hidden_layers_left_out(tmp_path, sample_city):
    scene = Scene()
    city = scene.add(BuildingsLayer.load(sample_city / "buildings.gpkg"))
    tower = scene.add(BuildingsLayer.load(sample_city / "proposed_tower.geojson"))
    mark_proposed(tower)
    frame, colours = scene_buildings(scene)
    assert len(frame) == len(city.frame) + len(tower.frame)
    assert frame["id"].iloc[0] == str(city.frame["id"].iloc[0])
    assert (frame["usage"].iloc[: len(city.frame)] != "").mean() > 0.9
    stone, orange = (np.array(hex_to_rgb(c)) / 255 for c in (DEFAULT_COLOR, PROPOSED_COLOR))
    assert np.allclose(colours[: len(city.frame)], stone)
    assert np.allclose(colours[len(city.frame) :], orange)

    folder = tmp_path / "out"
    write_tileset(frame, folder, colors=colours)
    tower_id = frame["id"].iloc[-1]
    found = 0
    for tile in tiles(folder)[1]:
        decoded = content(folder, tile)
        gltf = decoded.gltf
        primitive = gltf.meshes[0].primitives[0]
        rows = np.flatnonzero(decoded.table["id"] == tower_id)
        if not len(rows):
            continue
        found += 1
        rgba = _accessor(gltf, gltf.binary_blob(), primitive.attributes.COLOR_0)
        tower_rgb = rgba[decoded.feature == rows[0]][:, :3] / 255
        assert np.allclose(tower_rgb, srgb_to_linear(orange), atol=1 / 255)
    assert found == 1

    tower.visible = False
    frame, _ = scene_buildings(scene)
    assert len(frame) == len(city.frame)
    city.visible = False
    assert len(scene_buildings(scene)[0]) == 0
