"""Grids on the ground sized by what the camera looks at, never by the scene: two cities 500 km apart."""

from __future__ import annotations

from datetime import datetime

import geopandas as gpd
import numpy as np
import pytest

from layers.core.timeutil import zone
from layers.session.opening import open_paths
from layers.session.views import CameraView
from viewer import camera as camera_util
from viewer.ground_view import MIN_HORIZON_M, ground_footprint
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.shadows import SHADOW_TEXELS

PARIS = zone("Europe/Paris")
#: from the tiny city (Rennes) to Lyon, Lambert-93 metres
FAR_SHIFT = (490_000.0, -270_000.0)


@pytest.fixture
def two_cities(tiny_city, tmp_path):
    frame = gpd.read_file(tiny_city / "buildings.geojson")
    frame.geometry = frame.geometry.translate(*FAR_SHIFT)
    far = tmp_path / "far_city.geojson"
    frame.to_file(far, driver="GeoJSON")
    session = open_paths([tiny_city / "buildings.geojson", far])
    plotter = make_plotter((480, 320))
    view = SceneView(plotter, session.scene, auto_render=False)
    view.scene.clock.time = datetime(2025, 6, 21, 15, 0, tzinfo=PARIS)
    yield view
    view.close()
    plotter.close()


def look_at(view: SceneView, x: float, y: float, size_m: float = 600.0) -> None:
    view.go_to(camera_util.oblique_view((x, y, x + size_m, y + size_m), aspect=1.5))


def test_the_footprint_of_an_oblique_view_is_the_ground_it_shows():
    down = ground_footprint(np.array([0.0, 0.0, 1000.0]), np.zeros(3), np.array([0.0, 1.0, 0.0]), 30.0, 1.5)
    half = 1000.0 * np.tan(np.radians(15.0))
    assert np.allclose(down, (-half * 1.5, -half, half * 1.5, half), rtol=1e-6)
    # looking at the horizon: the rays above it are cut at the horizon of what is drawn
    level = ground_footprint(
        np.array([0.0, 0.0, 50.0]), np.array([0.0, 1000.0, 50.0]), np.array([0, 0, 1.0]), 30, 1.5
    )
    assert 1000 < level[3] <= MIN_HORIZON_M + 1e-6 and level[1] >= 0


def test_ground_shadows_of_two_cities_far_apart_cover_the_city_looked_at(two_cities):
    view = two_cities
    look_at(view, 351_500.0, 6_789_000.0)
    view.set_sun(True)
    grid = view.sun.shadow_grid
    assert grid is not None and grid.pixels <= SHADOW_TEXELS
    x0, y0, x1, y1 = grid.bounds()
    assert x1 - x0 < 5_000 and y1 - y0 < 5_000  # the city, not 500 km of empty ground
    assert x0 < 351_700 < x1 and y0 < 6_789_200 < y1
    assert view.sun.shadow_mask().any() and view.sun.note is None
    # the other city: the grid follows the camera there
    look_at(view, 351_500.0 + FAR_SHIFT[0], 6_789_000.0 + FAR_SHIFT[1])
    moved = view.sun.shadow_grid
    assert moved is not None and moved.pixels <= SHADOW_TEXELS
    assert moved.bounds()[0] > 800_000 and view.sun.shadow_mask().any()


def test_a_view_over_both_cities_degrades_and_says_so(two_cities):
    """From 600 km up the ground looked at is 500 km wide: the plan is cut to the budget around
    the view's centre, the note says so, nothing near the scene's extent is allocated."""
    view = two_cities
    centre = np.array([351_500.0 + FAR_SHIFT[0] / 2, 6_789_000.0 + FAR_SHIFT[1] / 2, 0.0])
    view.go_to(CameraView("haut", tuple(centre + [0, -1.0, 600_000.0]), tuple(centre), (0, 1.0, 0), 30.0))
    view.set_sun(True)
    plan = view.sun.plan_shadow_grid()
    assert plan is not None and plan.cropped and plan.grid.pixels <= SHADOW_TEXELS
    assert view.sun.shadow_grid is None or view.sun.shadow_grid.pixels <= SHADOW_TEXELS
    assert "km" in (view.sun.note or "")
