"""The timeline (speeds, go to a date, moments, time zone) and the chart dock, on the sample city."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def city(window):
    """The main window showing the sample city (opened directly: no autosave recovery)."""
    from layers.session.opening import open_paths

    window.files.show_session(open_paths([], prepare=True))
    return window


def test_speeds_and_go_to_a_date_in_the_scene_zone(city, qtbot):
    from PySide6.QtCore import QDateTime

    from desktop.panels.timeline import SPEEDS

    timeline = city.timeline
    assert [label for label, _ in SPEEDS][0] == "1 min/s" and "1 day/s" in [label for label, _ in SPEEDS]
    timeline.speed_box.setCurrentIndex(4)
    assert city.scene.clock.speed_s_per_s == 86_400
    # typed local time, read in the scene's zone (summer time: +02:00)
    timeline.date_edit.setDateTime(QDateTime(2025, 7, 2, 4, 30, 0))
    timeline._on_date_edited()
    assert city.scene.clock.time == datetime(2025, 7, 2, 4, 30, tzinfo=PARIS)
    assert "UTC+02:00" in timeline.zone_button.text() and "Europe/Paris" in timeline.zone_button.text()
    # leaving the editor without typing does not move the clock
    city.scene.clock.time = datetime(2025, 7, 2, 9, 0, tzinfo=PARIS)
    timeline._on_date_edited()
    assert city.scene.clock.time.hour == 9
    timeline.go_to(datetime(2030, 1, 1, tzinfo=PARIS))  # kept in the range
    assert city.scene.clock.time == city.scene.clock.end
    timeline.step(-1)
    assert city.scene.clock.time == city.scene.clock.end - timedelta(days=1)


def test_the_clock_keeps_the_speed_shown_when_frames_are_slow(city, monkeypatch):
    """A laptop without a GPU draws a frame in half a second: frames are dropped, time is not slowed
    (at "10 min/s", half a second of the room is five minutes of the scene)."""
    import desktop.panels.timeline as module

    timeline, clock = city.timeline, city.scene.clock
    clock.speed_s_per_s = 600
    clock.loop = False
    clock.time = clock.start
    now = [100.0]
    monkeypatch.setattr(module, "perf_counter", lambda: now[0])
    timeline.set_playing(True)
    start = clock.time
    for _ in range(4):  # four slow frames of 0.5 s
        now[0] += 0.5
        timeline._tick()
    assert (clock.time - start).total_seconds() == pytest.approx(4 * 0.5 * 600)
    now[0] += 60  # the window was busy for a minute: the clock moves at most a frame's worth
    timeline._tick()
    assert (clock.time - start).total_seconds() == pytest.approx((2 + module.MAX_TICK_S) * 600)
    timeline.set_playing(False)


def test_time_zone_choice_moves_labels_not_the_instant(city):
    timeline = city.timeline
    instant = city.scene.clock.time
    assert timeline.set_timezone("UTC")
    assert city.scene.clock.time == instant and city.scene.timezone == "UTC"
    assert "UTC" in timeline.time_label.text() and "UTC+00:00" in timeline.zone_button.text()
    assert city.session.dirty
    assert not timeline.set_timezone("Mars/Olympus")
    timeline.set_timezone("Europe/Paris")
    city.session.mark_clean()


def test_moments_suggested_and_named(city):
    timeline = city.timeline
    names = [m.title("fr") for m in timeline.moments]
    assert "Nuit la plus chaude" in names and "Heure de pointe du matin" in names
    night = next(m for m in timeline.moments if m.title("fr") == "Nuit la plus chaude")
    index = next(
        i
        for i in range(timeline.moment_box.count())
        if timeline.moment_box.itemText(i).startswith("Nuit la plus chaude")
    )
    timeline.moment_box.activated.emit(index)
    assert city.scene.clock.time == night.time
    city.scene.clock.time = datetime(2025, 7, 2, 22, 0, tzinfo=PARIS)
    moment = timeline.name_current_moment("Soirée du débat")
    assert moment is not None and city.session.dirty
    saved = city.files.document()  # as it would be saved
    assert saved["moments"] == [{"name": "Soirée du débat", "time": "2025-07-02T22:00:00+02:00"}]
    assert any(m.name == "Soirée du débat" and not m.suggested for m in timeline.moments)
    city.session.mark_clean()
    # the same moments in English: the suggestions' words follow the language, the user's stay
    timeline.language = "en"
    timeline.refresh_moments()
    items = [timeline.moment_box.itemText(i) for i in range(timeline.moment_box.count())]
    assert any(text.startswith("Hottest night — ") for text in items)
    assert any(text.startswith("Morning rush hour — ") for text in items)
    assert any(text.startswith("★ Soirée du débat — ") for text in items)
    assert not any("Nuit la plus chaude" in text for text in items)
    timeline.language = "fr"


def test_picked_sensor_goes_to_the_chart_and_a_click_moves_the_clock(city, qtbot):
    chart = city.chart
    layer = next(layer for layer in city.scene.layers if layer.kind == "sensors" and layer.visible)
    visual = city.scene_view.visual(layer)
    points, ids = visual.pick_points()
    display, _ = city.scene_view.project(points[:1])
    ratio = city.plotter.devicePixelRatioF()
    from PySide6.QtCore import QPoint

    pos = QPoint(int(display[0, 0] / ratio), int(city.plotter.height() - display[0, 1] / ratio))
    pick = city.picking.pick_at(pos)
    assert pick is not None and pick.layer is layer
    assert chart.series == [(layer, pick.index)] and city.chart_dock.isVisible()
    curves = [item for item in chart._items if getattr(item, "name", lambda: None)()]
    assert len(curves) == 1 and len(curves[0].xData) == layer.reading_counts[pick.index]
    # the cursor is at the clock's wall time
    from desktop.panels.chart import from_wall_seconds, wall_seconds

    t = city.scene.clock.time
    assert chart.clock_line.value() == pytest.approx(
        wall_seconds(np.array([int(t.timestamp() * 1e9)]), "Europe/Paris")[0]
    )
    target = datetime(2025, 7, 3, 5, 0, tzinfo=PARIS)
    assert (
        from_wall_seconds(
            wall_seconds(np.array([int(target.timestamp() * 1e9)]), "Europe/Paris")[0], "Europe/Paris"
        )
        == target
    )
    chart.move_clock(target)
    assert city.scene.clock.time == target
    chart.clear()
    assert not chart._items


def test_long_series_are_charted_as_means_with_an_envelope(qtbot):
    import pandas as pd
    import pyqtgraph as pg

    from desktop.panels.chart import ChartPanel
    from layers.core import crs as crs_util
    from layers.core.scene import Scene
    from layers.sensors.layer import SensorLayer

    times = pd.date_range("2024-01-01", periods=365 * 144, freq="10min", tz=PARIS).as_unit("ns").asi8
    values = np.random.default_rng(0).normal(15, 3, (len(times), 2)).astype(np.float32)
    layer = SensorLayer(
        "an",
        sensor_ids=np.array(["a", "b"]),
        names=np.array(["A", "B"]),
        xy=np.zeros((2, 2)),
        times_ns=times,
        values=values,
        crs=crs_util.LAMBERT93,
        quantity="air temperature",
        unit="°C",
    )
    scene = Scene()
    scene.add(layer)
    chart = ChartPanel()
    qtbot.addWidget(chart)
    chart.set_scene(scene)
    chart.add_sensor(layer, 0)
    fills = [item for item in chart._items if isinstance(item, pg.FillBetweenItem)]
    assert len(fills) == 1
    curve = [item for item in chart._items if getattr(item, "name", lambda: None)()][0]
    assert "moyenne" in curve.name() and len(curve.xData) <= 6000
