"""The 2D map view: top-down, north up, orthographic; the focal point and the scale kept when going to
the map and back; the scale bar exact on the map; a map view kept in a project stays a map."""

from __future__ import annotations

import math

import numpy as np
import pytest

from layers.session.opening import open_paths
from layers.session.views import CameraView
from viewer import camera as camera_util
from viewer.decorations import world_to_display
from viewer.export_image import ExportView

OBLIQUE = CameraView("v", (1000.0, -500.0, 800.0), (1000.0, 400.0, 0.0), (0.0, 0.0, 1.0), 30.0)


def test_the_map_looks_straight_down_north_up_at_the_same_point_and_scale():
    flat = camera_util.map_view(OBLIQUE)
    assert flat.focal_point == OBLIQUE.focal_point
    assert flat.position[:2] == OBLIQUE.focal_point[:2] and flat.position[2] > 0
    assert flat.view_up == (0.0, 1.0, 0.0)
    assert camera_util.is_map_view(flat) and not camera_util.is_map_view(OBLIQUE)
    assert flat.parallel_scale == pytest.approx(camera_util.picture_half_height(OBLIQUE))
    distance = math.dist(OBLIQUE.position, OBLIQUE.focal_point)
    assert flat.parallel_scale == pytest.approx(distance * math.tan(math.radians(15.0)))


def test_back_to_3d_keeps_the_point_the_scale_and_the_direction_left():
    flat = camera_util.map_view(OBLIQUE)
    back = camera_util.perspective_from_map(flat, OBLIQUE)
    assert back.parallel_scale is None
    assert back.focal_point == pytest.approx(OBLIQUE.focal_point)
    assert back.position == pytest.approx(OBLIQUE.position, abs=0.01)
    # a map moved and zoomed: the same direction, the new point and scale
    moved = CameraView("m", (1200.0, 600.0, 900.0), (1200.0, 600.0, 0.0), (0.0, 1.0, 0.0), 30.0, 150.0)
    back = camera_util.perspective_from_map(moved, OBLIQUE)
    assert back.focal_point == pytest.approx(moved.focal_point)
    assert camera_util.picture_half_height(back) == pytest.approx(150.0, rel=1e-4)
    # with no 3D view known: from the south, looking down
    fresh = camera_util.perspective_from_map(moved, None)
    assert fresh.position[1] < moved.focal_point[1] and fresh.position[2] > 0


def test_a_map_view_is_written_and_read_with_its_scale_and_a_3d_view_as_before():
    flat = camera_util.map_view(OBLIQUE)
    data = flat.to_dict()
    assert data["parallel_scale"] == pytest.approx(flat.parallel_scale)
    assert CameraView.from_dict(data) == flat
    assert "parallel_scale" not in OBLIQUE.to_dict()
    for wrong in ("far", -3, 0, float("nan"), True):
        with pytest.raises(ValueError, match="parallel_scale"):
            CameraView.from_dict({**data, "parallel_scale": wrong})


@pytest.fixture(scope="module")
def session():
    return open_paths([])


@pytest.fixture
def export(session):
    view = ExportView(session.scene, title=session.project.title, size=(800, 500))
    yield view
    view.close()


def test_the_scale_bar_spans_exactly_its_length_on_the_map(export):
    scene_view = export.view
    start = scene_view.default_view()
    assert start is not None
    scene_view.go_to(camera_util.map_view(start))
    camera = scene_view.renderer.GetActiveCamera()
    assert camera.GetParallelProjection()
    export.render((800, 500))
    assert scene_view.decorations.scale_bar_drawn is not None
    length_m, length_px = scene_view.decorations.scale_bar_drawn
    # a known length in the scene, along x and along y, spans the scale bar's pixels
    focal = np.array(camera.GetFocalPoint())
    a = world_to_display(scene_view.renderer, focal)
    east = world_to_display(scene_view.renderer, focal + np.array([length_m, 0.0, 0.0]))
    north = world_to_display(scene_view.renderer, focal + np.array([0.0, length_m, 0.0]))
    assert east[0] - a[0] == pytest.approx(length_px, abs=0.01)
    assert abs(east[1] - a[1]) < 0.01  # north up: east is straight right
    assert north[1] - a[1] == pytest.approx(length_px, abs=0.01)
    assert abs(north[0] - a[0]) < 0.01
    # the same on a building's roof as on the ground: no perspective on a map
    roof = world_to_display(scene_view.renderer, focal + np.array([length_m, 0.0, 40.0]))
    assert roof[0] - a[0] == pytest.approx(length_px, abs=0.01)


def test_a_map_view_stays_a_map_through_the_current_view_and_an_export(export):
    scene_view = export.view
    start = scene_view.default_view()
    assert start is not None
    flat = camera_util.map_view(start)
    scene_view.go_to(flat)
    kept = scene_view.current_view("kept")
    assert kept.parallel_scale == pytest.approx(flat.parallel_scale, abs=0.001)
    assert kept.view_up == pytest.approx((0.0, 1.0, 0.0))
    picture = export.render((640, 400))  # an export of the map: still a map, the camera unchanged
    assert picture.shape[:2] == (400, 640)
    assert scene_view.renderer.GetActiveCamera().GetParallelProjection()
    scene_view.go_to(start)  # a 3D view draws in perspective again
    assert not scene_view.renderer.GetActiveCamera().GetParallelProjection()


def test_flights_between_two_maps_stay_maps():
    a = camera_util.map_view(OBLIQUE)
    b = CameraView("b", (1500.0, 900.0, 700.0), (1500.0, 900.0, 0.0), (0.0, 1.0, 0.0), 30.0, 80.0)
    middle = camera_util.interpolate(a, b, 0.5)
    assert middle.parallel_scale is not None
    assert a.parallel_scale is not None and 80.0 < middle.parallel_scale < a.parallel_scale
    assert camera_util.interpolate(a, b, 1.0) == b
