"""The before / after swipe: the existing city on both sides, what the project replaces on the left only."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import box

from layers.buildings.layer import BuildingsLayer
from layers.buildings.planned import mark_proposed, replaced_rows
from layers.core.scene import Scene
from viewer.render import make_plotter
from viewer.scene_view import SceneView

X0, Y0 = 351_000.0, 6_789_000.0


def buildings(tmp_path, name: str, boxes: list[tuple[float, float, float, float]]) -> BuildingsLayer:
    frame = gpd.GeoDataFrame(
        {"hauteur": [12.0] * len(boxes)},
        geometry=[box(X0 + a, Y0 + b, X0 + c, Y0 + d) for a, b, c, d in boxes],
        crs=2154,
    )
    path = tmp_path / name
    frame.to_file(path, driver="GeoJSON")
    return BuildingsLayer.load(path, height_field="hauteur")


def test_what_a_project_replaces_is_what_it_covers(tmp_path):
    city = buildings(
        tmp_path,
        "existant.geojson",
        [(0, 0, 20, 20), (30, 0, 50, 20), (60, 0, 80, 20), (90, 0, 110, 20)],
    )
    # the tower covers the second block whole, half of the third; it touches the fourth along a wall
    project = buildings(tmp_path, "projet.geojson", [(28, -5, 70, 25), (110, 0, 120, 20)])
    assert replaced_rows(city, project).tolist() == [1, 2]
    assert replaced_rows(city, project, share=0.6).tolist() == [1]


def test_the_after_side_draws_the_city_less_what_the_project_replaces(tmp_path):
    city = buildings(tmp_path, "existant.geojson", [(0, 0, 20, 20), (30, 0, 50, 20), (60, 0, 80, 20)])
    project = buildings(tmp_path, "projet.geojson", [(28, -2, 52, 22)])
    mark_proposed(project)
    scene = Scene()
    scene.add(city)
    scene.add(project)
    view = SceneView(make_plotter((320, 200)), scene, auto_render=False)
    rows = replaced_rows(city, project)
    view.swipe.start([city], [project], replaced={city: rows})
    tiles = view.visual(city).tiles
    cells = sum(actor.GetMapper().GetInput().GetNumberOfCells() for actor, _ in tiles)
    per_building = cells // 3
    copies = view.swipe.after_copies
    assert sum(copy.GetMapper().GetInput().GetNumberOfCells() for copy in copies) == cells - per_building
    assert all(copy.GetMapper().GetClippingPlanes().GetNumberOfItems() == 1 for copy in copies)
    assert all(view.renderer.HasViewProp(copy) for copy in copies)
    # the copy shares the look of the tiles (colour, opacity follow the layer)
    assert copies[0].GetProperty() is tiles[0][0].GetProperty()
    view.swipe.stop()
    assert view.swipe.after_copies == [] and not any(view.renderer.HasViewProp(c) for c in copies)
