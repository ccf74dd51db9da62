"""Two moments side by side: one camera for two views, each view at its own clock time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from layers.buildings.layer import BuildingsLayer
from layers.core.scene import Scene
from viewer.export_image import twin_scene
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.split import CameraLink, burn_of_side, camera_pose, half_widths, render_compare, side_by_side

X0, Y0 = 351_000.0, 6_789_000.0  # Rennes, Lambert-93
PARIS = ZoneInfo("Europe/Paris")
MORNING = datetime(2025, 6, 21, 8, 0, tzinfo=PARIS)
EVENING = datetime(2025, 6, 21, 18, 0, tzinfo=PARIS)


def towers(tmp_path) -> BuildingsLayer:
    frame = gpd.GeoDataFrame(
        {"hauteur": [45.0, 12.0]},
        geometry=[box(X0, Y0, X0 + 20, Y0 + 20), box(X0 + 80, Y0 - 60, X0 + 110, Y0 - 30)],
        crs=2154,
    )
    path = tmp_path / "tours.geojson"
    frame.to_file(path, driver="GeoJSON")
    return BuildingsLayer.load(path, height_field="hauteur")


def scene_of(tmp_path) -> Scene:
    scene = Scene(timezone="Europe/Paris")
    scene.add(towers(tmp_path))
    return scene


def picture(view: SceneView) -> np.ndarray:
    window = view.plotter.ren_win
    window.Render()
    return np.asarray(view.plotter.screenshot(return_img=True))[..., :3].astype(int)


def test_the_two_sides_share_one_camera_and_keep_their_own_time(tmp_path):
    scene = scene_of(tmp_path)
    scene.clock.time = MORNING
    left = SceneView(make_plotter((320, 240)), scene, auto_render=False)
    right = SceneView(make_plotter((320, 240)), twin_scene(scene), auto_render=False)
    moved: list[int] = []
    link = CameraLink(left, right, on_moved=lambda: moved.append(1))
    left.reset_camera()
    for view in (left, right):
        view.set_sun(True)
    right.scene.clock.time = EVENING
    assert left.scene.clock.time == MORNING and right.scene.clock.time == EVENING
    assert camera_pose(left) == camera_pose(right)
    assert moved  # the window is told, to draw the other side again
    # the shadows differ: cast to the west at 8:00, to the east at 18:00
    assert not np.array_equal(left.sun.shadow_mask(), right.sun.shadow_mask())
    assert np.abs(picture(left) - picture(right)).sum(axis=2).astype(bool).mean() > 0.005
    # moving one side moves the other
    camera = right.renderer.GetActiveCamera()
    camera.Azimuth(40)
    camera.Zoom(1.3)
    assert camera_pose(left) == camera_pose(right)
    count = len(moved)
    right.renderer.ResetCameraClippingRange()  # what every render does: not a move
    assert len(moved) == count
    link.unlink()
    camera.Azimuth(10)
    assert camera_pose(left) != camera_pose(right)
    for view in (left, right):
        view.close()
        view.plotter.close()


def test_side_by_side_halves_and_what_each_writes():
    assert half_widths(1366) == (683, 683) and half_widths(1365) == (682, 683)
    left = np.zeros((100, 60, 3), np.uint8)
    right = np.full((100, 40, 3), 50, np.uint8)
    both = side_by_side(left, right, divider_px=2)
    assert both.shape == (100, 100, 3)
    assert (both[:, 59:61] == 255).all() and (both[:, 10] == 0).all() and (both[:, 90] == 50).all()
    with pytest.raises(ValueError):
        side_by_side(left, right[:50])
    from viewer.export_image import BurnIn

    burn = BurnIn()
    assert not burn_of_side(burn, "left").legends and not burn_of_side(burn, "left").credits
    assert burn_of_side(burn, "left").clock and burn_of_side(burn, "right").clock
    assert not burn_of_side(burn, "right").title and burn_of_side(burn, "right").legends


def test_a_still_of_both_moments(tmp_path):
    from PIL import Image

    scene = scene_of(tmp_path)
    output = tmp_path / "deux.png"
    stats = render_compare(scene, output, (MORNING, EVENING), size=(640, 300), language="en")
    image = np.asarray(Image.open(output).convert("RGB")).astype(int)
    assert image.shape == (300, 640, 3)
    left, right = image[:, :318], image[:, 322:]
    for half in (left, right):
        assert half.std() > 10  # not blank
    assert np.abs(left[:, :318] - right[:, :318]).sum() > 0
    assert "8:00" in stats["clocks"][0] or "08:00" in stats["clocks"][0]
    assert "18:00" in stats["clocks"][1] or "6:00" in stats["clocks"][1]
    assert scene.clock.time is None  # the session's own clock was not moved
