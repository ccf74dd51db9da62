"""Buildings drawn off screen: city models, terrain, filters, level of detail, picking, accounting."""

from __future__ import annotations

import json
import time

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PIL import Image

from layers.buildings.layer import BuildingsLayer
from layers.core.scene import Scene
from layers.session.opening import open_paths
from viewer import camera as camera_util
from viewer.lod import block_boxes, box_roofs
from viewer.render import make_plotter, render_still
from viewer.scene_view import SceneView

GROUND_RGB = np.array([0xEF, 0xEC, 0xE6])
X0, Y0 = 351_000.0, 6_789_000.0


def load(path):
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def not_ground(image: np.ndarray) -> float:
    h, w = image.shape[:2]
    middle = image[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4]
    return float((np.abs(middle - GROUND_RGB).sum(axis=2) > 40).mean())


CITY_MODELS = [
    ("citymodel/cjio_samples/delft.json", None),
    ("citymodel/cjio_samples/zurich_subset_lod2.json", None),
    ("citymodel/cjio_samples/rotterdam_subset.json", "EPSG:28992"),
    ("citymodel/cjio_samples/DH_01_subs.city.json", "EPSG:28992"),
    ("citymodel/lyon_citygml/LYON_1ER_BATI_2015_small_house.gml", "EPSG:3946"),
    ("citymodel/lyon_citygml/LYON_2EME_BATI_2015_small_house.gml", "EPSG:3946"),
]


@pytest.mark.parametrize("relative,crs", CITY_MODELS, ids=[c[0].split("/")[-1] for c in CITY_MODELS])
def test_every_shared_city_model_renders(shared_data, tmp_path, relative, crs):
    session = open_paths([shared_data / relative], crs=crs)
    (layer,) = session.scene.layers
    out = tmp_path / "model.png"
    plotter = make_plotter((640, 400))
    view = SceneView(plotter, session.scene, auto_render=False)
    # frame the first building (sample files scatter them over kilometres)
    rows = slice(0, 1)
    bounds = tuple(shapely.total_bounds(np.asarray(layer.frame.geometry.values)[rows]))
    view.go_to(camera_util.oblique_view(bounds, aspect=1.6, pitch_deg=50))
    image = np.asarray(plotter.screenshot(None, return_img=True)).astype(int)
    Image.fromarray(image.astype(np.uint8)).save(out)
    plotter.close()
    assert not_ground(image) > 0.02, relative
    stats = render_still(session, tmp_path / "whole.png", size=(640, 400))
    assert stats["features"] == layer.feature_count()
    assert stats["features_in"] == stats["features"] + stats["dropped"]
    json.dumps(stats)


def test_terrain_seats_buildings_and_drapes_overlays(shared_data, tmp_path):
    dem = shared_data / "dem/lyon_partdieu_mnt10m_cc46.tif"
    buildings = shared_data / "buildings/lyon1_bdtopo/buildings_lyon1.geojson"
    session = open_paths([dem, buildings])
    terrain, layer = session.scene.layers
    plotter = make_plotter((640, 400))
    view = SceneView(plotter, session.scene, auto_render=False)
    visual = view.visual(layer)
    reference = session.scene.ground_reference_m
    ground = layer.seat_on(terrain)
    covered = np.flatnonzero(np.isfinite(ground))
    row = int(covered[np.argmax(ground[covered])])
    # the lowest drawn point of that building is the DEM under it, above the reference
    assert visual.ground_offset(row) == pytest.approx(ground[row] - reference, abs=1e-3)
    points = np.concatenate(
        [np.asarray(a.GetMapper().GetInput().GetPoints().GetData()) for a, _ in visual.tiles]
    )
    assert points[:, 2].max() > ground[row] - reference + layer.height_m[row] - 0.5
    # off the DEM, buildings stand on the flat ground plane (z = 0)
    off = np.flatnonzero(~np.isfinite(ground))
    assert len(off) and visual.ground_offset(int(off[0])) == 0.0
    # a flat overlay added afterwards lies on the terrain, subdivided to follow it
    footprint = gpd.GeoDataFrame(
        {"kind": ["park"]}, geometry=[shapely.box(*terrain.bounds())], crs=terrain.crs
    )
    path = tmp_path / "park.geojson"
    footprint.to_file(path)
    from layers.vector.layer import VectorLayer

    park = VectorLayer.load(path)
    session.scene.add(park)
    draped = view.visual(park).actors[0].GetMapper().GetInput()
    assert draped.GetNumberOfPoints() > 1000
    z = np.asarray(draped.GetPoints().GetData())[:, 2]
    lo, hi = terrain.elevation_range()
    assert z.max() > (hi - reference) * 0.8 and z.min() < 5.0
    plotter.close()


def test_filter_hides_or_greys_and_counts_in_the_legend(tiny_city):
    session = open_paths([tiny_city / "buildings.geojson"])
    (layer,) = session.scene.layers
    plotter = make_plotter((400, 300))
    view = SceneView(plotter, session.scene, auto_render=False)
    full = view.visual(layer).triangle_count()
    layer.update_style(color_by="usage", filter={"field": "hauteur", "min": 30})
    visual = view.visual(layer)
    passing = int((layer.height_m >= 30).sum())
    assert 0 < visual.triangle_count() < full and visual.grey_actor is None
    (legend,) = visual.legends()
    assert f"{passing}/36" in legend.title
    assert sum(int(label.rsplit("(", 1)[1].rstrip(")")) for _, label in legend.entries()) == passing
    layer.update_style(filter={"field": "hauteur", "min": 30, "mode": "grey"})
    visual = view.visual(layer)
    assert (
        visual.grey_actor is not None
        and visual.grey_actor.GetMapper().GetInput().GetNumberOfCells() == full - visual.triangle_count()
    )
    layer.update_style(filter={"field": "nope", "min": 1})
    assert view.visual(layer).triangle_count() == full
    assert any("filter ignored" in w for w in layer.warnings)
    plotter.close()


def _grid_city(tmp_path, n_side: int = 80):
    """n_side² boxes 20 m apart (a 3-vertex roof each is too few: make L-shapes too)."""
    boxes = []
    for i in range(n_side):
        for j in range(n_side):
            x, y = X0 + 20 * i, Y0 + 20 * j
            boxes.append(
                shapely.box(x, y, x + 12, y + 12)
                if (i + j) % 2
                else shapely.Polygon(
                    [(x, y), (x + 12, y), (x + 12, y + 6), (x + 6, y + 6), (x + 6, y + 12), (x, y + 12)]
                )
            )
    frame = gpd.GeoDataFrame(
        {"ID": [f"B{k}" for k in range(len(boxes))], "HAUTEUR": np.arange(len(boxes)) % 30 + 3.0},
        geometry=boxes,
        crs="EPSG:2154",
    )
    path = tmp_path / "grid.parquet"
    frame.to_parquet(path)
    return path


def test_level_of_detail_swaps_and_picking_is_fast(tmp_path, monkeypatch):
    import viewer.visuals.buildings as module

    monkeypatch.setattr(module, "LOD_MIN_TRIANGLES", 10_000)
    monkeypatch.setattr(module, "TILE_TRIANGLES", 20_000)
    layer = BuildingsLayer.load(_grid_city(tmp_path))
    layer.update_style(color_by="height_m")
    scene = Scene()
    scene.add(layer)
    plotter = make_plotter((640, 400))
    view = SceneView(plotter, scene, auto_render=False)
    visual = view.visual(layer)
    assert len(visual.tiles) >= 4
    # street view: one flat roof per building while moving
    cx, cy = X0 + 800, Y0 + 800
    view.go_to(camera_util.oblique_view((cx - 100, cy - 100, cx + 100, cy + 100), aspect=1.6))
    view.lod.begin()
    roofs = visual._coarse_actor
    assert roofs is not None and roofs.GetVisibility() and not any(a.GetVisibility() for a, _ in visual.tiles)
    assert roofs.GetMapper().GetInput().GetNumberOfCells() == 2 * layer.feature_count()
    view.lod.end(render=False)
    assert all(a.GetVisibility() for a, _ in visual.tiles) and not roofs.GetVisibility()
    # far view: merged blocks
    monkeypatch.setattr(module, "FAR_VIEW_M", 300.0)
    monkeypatch.setattr(module, "BLOCKS_ACROSS", 20)
    view.reset_camera()
    view.lod.begin()
    blocks = visual._coarse_actor
    assert (
        blocks is not roofs
        and blocks.GetMapper().GetInput().GetNumberOfCells() < 10 * layer.feature_count() / 4
    )
    view.lod.end(render=False)
    # picking a roof through the per-tile locators
    plotter.ren_win.Render()
    row = 3321
    centre = np.array([[*shapely.centroid(layer.frame.geometry.iloc[row]).coords[0], layer.height_m[row]]])
    centre[0, :2] = shapely.box(*layer.frame.geometry.iloc[row].bounds).centroid.coords[0]
    view.go_to(
        camera_util.oblique_view(
            (centre[0, 0] - 30, centre[0, 1] - 30, centre[0, 0] + 30, centre[0, 1] + 30),
            aspect=1.6,
            pitch_deg=80,
        )
    )
    plotter.ren_win.Render()
    display, _ = view.project(
        view.to_local(
            np.array(
                [
                    [
                        layer.frame.geometry.iloc[row].representative_point().x,
                        layer.frame.geometry.iloc[row].representative_point().y,
                        layer.height_m[row],
                    ]
                ]
            )
        )
    )
    view.prepare_picking()
    t0 = time.perf_counter()
    pick = view.pick(float(display[0, 0]), float(display[0, 1]))
    assert time.perf_counter() - t0 < 0.5
    assert pick is not None and pick.layer is layer and pick.index == row
    view.highlight(pick)
    assert visual._highlight_actor is not None
    plotter.close()


def test_box_roofs_and_blocks():
    polygons = np.array([shapely.box(0, 0, 10, 4), shapely.Polygon([(20, 0), (20, 10), (30, 10)])])
    points, triangles, rows = box_roofs(polygons, np.array([5.0, 8.0]))
    assert len(triangles) == 4 and set(rows) == {0, 1}
    a, b, c = (points[triangles[:, k]] for k in range(3))
    assert (np.cross(b - a, c - a)[:, 2] > 0).all()
    np.testing.assert_allclose(points[:4, 2], 5.0)
    xy = np.array([[1.0, 1.0], [3.0, 1.0], [50.0, 50.0]])
    points, triangles, rows, mean = block_boxes(
        xy,
        np.array([10.0, 30.0, 5.0]),
        np.zeros(3),
        np.array([4.0, 8.0, 2.0]),
        20.0,
        np.array([1.0, 3.0, 7.0]),
    )
    assert len(triangles) == 20 and set(rows) == {1, 2}  # the larger building names the first block
    assert points[:8, 2].max() == pytest.approx(7.0)  # area-weighted top (10·4 + 30·8) / 40
    assert mean[0] == pytest.approx(2.5)
