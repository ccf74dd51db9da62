"""viewer.visuals.trees: instanced trees, and their shadows on the ground of the 3D view."""

from __future__ import annotations

from datetime import datetime, timedelta

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from layers.core.timeutil import zone
from layers.session.opening import open_paths
from layers.trees.layer import TreesLayer
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.visuals.trees import TreesVisual

PARIS = zone("Europe/Paris")


@pytest.fixture
def view(tiny_city, tmp_path):
    buildings = gpd.read_file(tiny_city / "buildings.geojson")
    xmin, ymin, xmax, ymax = buildings.total_bounds
    trees = gpd.GeoDataFrame(
        {"hauteur_m": [12.0] * 20, "diametre_couronne": [8.0] * 20},
        geometry=[Point(xmin - 15, ymin + k * (ymax - ymin) / 19) for k in range(20)],
        crs=buildings.crs,
    )
    trees.to_file(tmp_path / "arbres.geojson")
    session = open_paths([tiny_city / "buildings.geojson", tmp_path / "arbres.geojson"])
    plotter = make_plotter((480, 320))
    scene_view = SceneView(plotter, session.scene, auto_render=False)
    scene_view.reset_camera()
    start = datetime(2025, 6, 21, tzinfo=PARIS)
    session.scene.clock.set_range(start, start + timedelta(days=1))
    yield scene_view
    scene_view.close()
    plotter.close()


def test_trees_are_two_glyph_actors_sized_per_tree(view):
    layer = view.scene.layers[1]
    assert isinstance(layer, TreesLayer) and layer.feature_count() == 20
    visual = next(v for v in view.visuals.values() if isinstance(v, TreesVisual))
    assert visual.crowns is not None and visual.crowns.count == 20
    assert visual.trunks is not None and visual.trunks.count == 20
    # crowns + trunks + the dots seen from afar: three actors for any number of trees
    assert len(visual.actors) == 3
    scale = visual.crowns._arrays["scale"]
    assert np.allclose(scale[:, :2], 8.0) and np.allclose(scale[:, 2], 12.0 - layer.crown_base_m)
    layer.update_style(trunks=False)
    visual = next(v for v in view.visuals.values() if isinstance(v, TreesVisual))
    assert visual.trunks is None and len(visual.actors) == 2


def test_the_ground_shadows_include_the_trees(view):
    view.set_sun(True)
    view.scene.clock.time = datetime(2025, 6, 21, 10, 0, tzinfo=PARIS)
    both = view.sun.shadow_mask().sum()
    assert view.sun.caster_count == 36 + 20  # the blocks' parts and the crowns
    view.scene.layers[1].visible = False
    view.legends_changed()
    view.scene.clock.time = datetime(2025, 6, 21, 10, 0, 1, tzinfo=PARIS)
    assert view.sun.shadow_mask().sum() < both


def test_trees_stand_on_the_terrain():
    from pyproj import CRS

    from layers.core.scene import Scene
    from layers.io.grid import Grid
    from layers.terrain.layer import TerrainLayer

    x0, y0 = 351_000.0, 6_789_000.0
    cols = np.arange(200) + 0.5
    slope = TerrainLayer(  # rising 1 m per 10 m eastwards, from 100 m
        "slope",
        Grid(
            values=np.tile(100.0 + cols / 10.0, (200, 1)), x0=x0, y0=y0 + 200, dx=1.0, dy=1.0, crs=CRS(2154)
        ),
        crs=CRS(2154),
    )
    xy = np.array([[x0 + 20.0, y0 + 100.0], [x0 + 120.0, y0 + 100.0]])
    trees = TreesLayer.from_points("two", xy, np.array([10.0, 10.0]), np.array([6.0, 6.0]), CRS(2154))
    scene = Scene()
    scene.add(slope)
    scene.add(trees)
    plotter = make_plotter((320, 240))
    view = SceneView(plotter, scene, auto_render=False)
    try:
        visual = next(v for v in view.visuals.values() if isinstance(v, TreesVisual))
        ground = visual.ground_m()
        assert ground == pytest.approx([2.0 - 0.05, 12.0 - 0.05], abs=0.1)  # above the lowest ground
        feet = visual.trunks._arrays["points"][:, 2]
        assert feet[1] - feet[0] == pytest.approx(10.0, abs=0.1)
    finally:
        view.close()
        plotter.close()


def test_a_large_inventory_moves_as_dots(view, monkeypatch):
    import viewer.visuals.trees as trees_visual

    visual = next(v for v in view.visuals.values() if isinstance(v, TreesVisual))
    assert visual.triangle_count() == 20 * (
        trees_visual.crown_source().n_cells + visual.trunks.mapper.GetSource().GetNumberOfPolys()
    )
    visual.set_detail(False)  # 20 trees: light enough to move at full detail
    assert visual.crowns.actor.GetVisibility()
    monkeypatch.setattr(trees_visual, "LOD_MIN_TREES", 10)
    visual.set_detail(False)
    assert not visual.crowns.actor.GetVisibility() and not visual.trunks.actor.GetVisibility()
    visual.set_detail(True)
    assert visual.crowns.actor.GetVisibility() and visual.trunks.actor.GetVisibility()
