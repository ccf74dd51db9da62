"""Sensor columns, streets with flows and counters, transit pucks: what the viewer draws at a time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString

from layers.core import crs as crs_util
from layers.core.scene import Scene
from layers.sensors.layer import SensorLayer
from layers.streets.layer import StreetsLayer
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.visuals.sensors import NO_READING_RGBA, legend_title

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def plotter():
    p = make_plotter((800, 500))
    yield p
    p.close()


def _sensors(hours=24 * 60, count=4, quantity="air temperature", unit="°C", gaps=True) -> SensorLayer:
    times = pd.date_range("2025-06-01", periods=hours * 6, freq="10min", tz=PARIS).as_unit("ns").asi8
    values = (20 + 5 * np.sin(np.arange(len(times))[:, None] / 144 * 2 * np.pi) + np.arange(count)).astype(
        np.float32
    )
    if gaps:
        values[:, 1] = np.nan  # a sensor that never answered
        values[500:, 2] = np.nan  # one that stopped
    xy = np.column_stack([351_000 + 100 * np.arange(count), np.full(count, 6_789_000.0)])
    return SensorLayer(
        "capteurs",
        sensor_ids=np.array([f"s{i}" for i in range(count)]),
        names=np.array([f"s{i}" for i in range(count)]),
        xy=xy,
        times_ns=times,
        values=values,
        crs=crs_util.LAMBERT93,
        quantity=quantity,
        unit=unit,
    )


def test_sensor_columns_follow_the_clock_and_gaps_are_no_reading(plotter):
    layer = _sensors()
    scene = Scene()
    scene.add(layer)
    view = SceneView(plotter, scene, auto_render=False)
    visual = view.visual(layer)
    legend = visual.legends()[0]
    assert legend.nan_label == "pas de mesure" and legend.title == "Température de l'air (°C)"
    scene.clock.time = datetime(2025, 6, 5, 6, 0, tzinfo=PARIS)
    rgba = visual.cloud._arrays["rgba"]
    heights = visual.cloud._arrays["scale"][:, 2]
    assert (rgba[1] == NO_READING_RGBA).all() and (rgba[2] == NO_READING_RGBA).all()
    assert heights[1] < visual.base_m and heights[0] >= visual.base_m  # a stub, never a zero-height reading
    first = heights.copy()
    scene.clock.time = datetime(2025, 6, 5, 12, 0, tzinfo=PARIS)
    assert not np.allclose(
        first[[0, 3]], visual.cloud._arrays["scale"][[0, 3], 2]
    )  # columns moved with the clock
    assert (
        visual.discs._arrays["rgba"] == visual.cloud._arrays["rgba"]
    ).all()  # the ground disc says the same
    # an old reading fades towards grey, but stays a reading
    layer.max_age_s[:] = 10 * 86_400
    t = datetime(2025, 6, 6, 12, 0, tzinfo=PARIS)
    visual.set_time(t)
    faded = visual.cloud._arrays["rgba"][2]
    assert not (faded == NO_READING_RGBA).all() and abs(int(faded[0]) - int(faded[2])) < 80
    view.close()


def test_fast_replay_reads_hourly_means_and_says_so(plotter):
    layer = _sensors(gaps=False)
    scene = Scene()
    scene.add(layer)
    view = SceneView(plotter, scene, auto_render=False)
    visual = view.visual(layer)
    scene.clock.speed_s_per_s = 86_400.0
    scene.clock.time = datetime(2025, 6, 10, 14, 25, tzinfo=PARIS)
    assert visual._level_label == "hourly mean"
    assert "moyenne horaire" in view.legend_stack.legends[0].title
    scene.clock.speed_s_per_s = 600.0
    scene.clock.time = datetime(2025, 6, 10, 15, 25, tzinfo=PARIS)
    assert visual._level_label is None
    view.close()


def test_legend_titles_for_counts_and_typical_days():
    layer = _sensors(quantity="bicycle count", unit="/h", gaps=False)
    assert legend_title(layer) == "Vélos par heure"
    assert layer.is_count
    layer.cycle_s = 86_400.0
    assert legend_title(layer, "hourly mean") == "Vélos par heure – journée type – moyenne horaire"


def _streets(**columns) -> StreetsLayer:
    frame = gpd.GeoDataFrame(
        {
            **columns,
            "geometry": [
                LineString([(351_000, 6_789_000), (351_400, 6_789_000)]),
                LineString([(351_000, 6_788_800), (351_400, 6_788_800)]),
            ],
        },
        crs="EPSG:2154",
    )
    return StreetsLayer("rues", frame, crs=crs_util.LAMBERT93)


def test_traffic_per_direction_draws_two_ribbons_and_one_way_arrows(plotter):
    one = _streets(tmja=[1000.0, 2000.0])
    two = _streets(
        tmja_sens1=[1000.0, 200.0], tmja_sens2=[300.0, 2000.0], sens=["Double sens", "Sens direct"]
    )
    scene = Scene()
    scene.add(one)
    scene.add(two)
    view = SceneView(plotter, scene, auto_render=False)
    single, double = view.visual(one), view.visual(two)
    assert double.polydata.n_cells == 2 * single.polydata.n_cells
    assert "par sens" in double.legends()[0].title
    assert single.arrows_actor is None and double.arrows_actor is not None
    assert (
        double.arrows_actor.GetMapper().GetInput().GetNumberOfPoints() == 5
    )  # one every 70 m on the 400 m one-way street
    view.close()


def test_counters_colour_the_street_they_sit_on(plotter):
    streets = _streets(tmja=[1000.0, 2000.0])
    times = pd.date_range("2025-07-01", periods=48, freq="h", tz=PARIS).as_unit("ns").asi8
    values = np.tile(np.r_[np.full(8, 5.0), np.full(16, 150.0)], 2)[:, None].astype(np.float32)
    counters = SensorLayer(
        "vélos",
        sensor_ids=np.array(["c"]),
        names=np.array(["Quai"]),
        xy=np.array([[351_200.0, 6_789_010.0]]),
        times_ns=times,
        values=values,
        crs=crs_util.LAMBERT93,
        quantity="bicycle count",
        unit="/h",
    )
    scene = Scene()
    scene.add(streets)
    view = SceneView(plotter, scene, auto_render=False)
    visual = view.visual(streets)
    assert visual._links is None
    scene.add(counters)  # added after the streets: the streets visual follows
    assert visual._links is not None and visual._links.street.tolist() == [0]
    scene.clock.time = datetime(2025, 7, 1, 3, 0, tzinfo=PARIS)
    quiet = visual._counted_mesh.cell_data["rgba"].copy()
    scene.clock.time = datetime(2025, 7, 1, 9, 0, tzinfo=PARIS)
    busy = visual._counted_mesh.cell_data["rgba"]
    assert not np.array_equal(quiet[0], busy[0])
    assert "compteur Quai" in visual.attributes(0)
    counters.visible = False
    assert not visual._counted_actor.GetVisibility()
    view.close()


def test_vehicle_pucks_keep_their_size_on_screen(plotter, sample_city):
    from layers.transit.layer import TransitLayer

    layer = TransitLayer.load(sample_city / "gtfs.zip")
    scene = Scene()
    scene.add(layer)
    view = SceneView(plotter, scene, auto_render=False)
    view.reset_camera()
    visual = view.visual(layer)
    scene.clock.time = datetime(2025, 7, 2, 8, 15, tzinfo=PARIS)
    assert visual.vehicle_count > 0
    plotter.ren_win.Render()
    far = visual.vehicles._arrays["scale"][:, 0].copy()
    camera = plotter.renderer.GetActiveCamera()
    camera.Zoom(4.0)
    plotter.ren_win.Render()
    near = visual.vehicles._arrays["scale"][:, 0]
    assert near.mean() < far.mean()  # closer camera, smaller pucks in metres: same size in pixels
    assert (near >= 6.0).all()
    stop = int(np.argmax(np.bincount(layer.timetable.row_stop)))
    info = visual.attributes(stop)
    assert any(key.startswith("départs 08 h") for key in info)
    view.close()


def test_values_are_written_above_few_columns_without_overlap(plotter):
    layer = _sensors(count=6, gaps=False)
    layer.xy[:, 0] = 351_000 + np.array([0, 1, 2, 300, 600, 900])  # three columns on top of each other
    scene = Scene()
    scene.add(layer)
    view = SceneView(plotter, scene, auto_render=False)
    view.reset_camera()
    visual = view.visual(layer)
    scene.clock.time = datetime(2025, 6, 2, 15, 0, tzinfo=PARIS)
    assert (
        visual.labels is not None and visual.labels.texts[0].endswith("°") and "," in visual.labels.texts[0]
    )
    plotter.ren_win.Render()
    shown = visual.labels.shown()
    assert sum(bool(t) for t in shown[:3]) == 1 and all(shown[3:])  # the stacked ones: one label
    many = _sensors(count=50, gaps=False)
    scene.add(many)
    assert view.visual(many).labels is None  # too many to read: no labels
    view.close()


@pytest.mark.parametrize("fps", [10, 30])
def test_a_video_averages_like_the_gui_at_the_same_clock_rate(plotter, fps):
    """Sensors average over what the clock moves between two frames (Clock.frame_step_s): a
    video moving 30 min a frame reads hourly means at 10 fps as at 30 fps, as the GUI does when
    its 40-ms tick moves the clock 30 min. (The frame step used to be guessed from the speed and
    the GUI's tick, so a 10 fps GIF read the raw 10-minute readings and flickered.)"""
    from viewer.video_plan import ReplayPlan

    layer = _sensors(gaps=False)
    scene = Scene()
    scene.add(layer)
    view = SceneView(plotter, scene, auto_render=False)
    visual = view.visual(layer)
    start = datetime(2025, 6, 10, 14, 25, tzinfo=PARIS)

    scene.clock.frame_interval_s = 0.04  # the GUI: as the timeline sets it
    scene.clock.speed_s_per_s = 1800 / 0.04
    scene.clock.time = start
    gui = visual._level_label, view.legend_stack.legends[0].title
    assert gui[0] == "hourly mean"

    plan = ReplayPlan(start, start.replace(hour=20), step_s=1800.0, fps=fps)
    labels = {(visual._level_label, view.legend_stack.legends[0].title) for _ in plan.frames(view)}
    assert labels == {gui}
    assert scene.clock.frame_step_s == pytest.approx(1800.0)
    view.close()
