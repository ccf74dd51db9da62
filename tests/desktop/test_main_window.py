"""The main window as a user meets it: the sample city on screen, clicks, the timeline, saving."""

from __future__ import annotations

import json

import numpy as np
from PySide6.QtCore import QPoint, Qt

from desktop.dialogs.missing import OutsideFolderBox

from .conftest import shown, wait_loaded


def screen_image(win) -> np.ndarray:
    """The 3D view as pixels (rendered by VTK, what the user sees)."""
    win.plotter.render()
    return np.asarray(win.plotter.screenshot(None, return_img=True)).astype(int)


def qt_point(win, display_xy) -> QPoint:
    ratio = win.plotter.devicePixelRatioF()
    return QPoint(int(display_xy[0] / ratio), int(win.plotter.height() - display_xy[1] / ratio))


def test_sample_city_opens_with_buildings_legend_and_clock(window, qtbot):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    kinds = {layer.kind for layer in window.scene.layers}
    assert {"buildings", "streets", "sensors", "transit", "noise", "heat", "vector"} <= kinds
    image = screen_image(window)
    assert image.std() > 15, "the 3D view is blank"
    # buildings coloured by height: many distinct colours in the middle of the view
    h, w = image.shape[:2]
    centre = image[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4].reshape(-1, 3)
    assert len(np.unique(centre // 8, axis=0)) > 200
    assert window.layer_panel.list.count() == len(window.scene.layers)
    assert window.timeline.play_button.isEnabled()
    assert "CEST" in window.timeline.time_label.text()
    assert window.scene_view.legend_stack.legends, "no legend shown"
    window.grab().save(str(qtbot_tmp(qtbot) / "sample_city_window.png"))


def qtbot_tmp(qtbot):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.gettempdir()) / "maquette-test-shots"
    folder.mkdir(exist_ok=True)
    return folder


def test_click_on_a_building_shows_its_attributes(window, qtbot, tiny_city):
    window.open_paths_async([tiny_city / "buildings.geojson"])
    wait_loaded(qtbot, window, 1)
    window.plotter.render()
    layer = window.scene.layers[0]
    roof_centre = np.array(
        [
            [
                layer.frame.geometry.iloc[7].centroid.x,
                layer.frame.geometry.iloc[7].centroid.y,
                layer.height_m[7],
            ]
        ]
    )
    display, _ = window.scene_view.project(window.scene_view.to_local(roof_centre))
    pick = window.picking.pick_at(qt_point(window, display[0]))
    assert pick is not None and pick.layer is layer
    rows = window.inspector.rows()
    assert rows["Height (m)"] in {  # hauteur, by its label and unit (English: no translator installed)
        f"{layer.height_m[pick.index]:g}",
        f"{layer.height_m[pick.index]:.2f}".rstrip("0").rstrip("."),
    }
    assert "Use" in rows


def test_visibility_checkbox_hides_the_layer(window, qtbot, tiny_city):
    window.open_paths_async([tiny_city / "buildings.geojson"])
    wait_loaded(qtbot, window, 1)
    item = window.layer_panel.list.item(0)
    item.setCheckState(Qt.CheckState.Unchecked)
    layer = window.scene.layers[0]
    assert layer.visible is False
    assert all(not actor.GetVisibility() for actor in window.scene_view.visual(layer).actors)


def test_timeline_plays_and_scrubs_the_clock(window, qtbot):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    clock = window.scene.clock
    start = clock.time
    window.timeline.set_playing(True)
    qtbot.waitUntil(lambda: clock.time != start, timeout=10_000)
    window.timeline.set_playing(False)
    window.timeline.slider.setValue(5000)
    assert abs(clock.fraction() - 0.5) < 0.01
    assert window.timeline.time_label.text().endswith("(CEST)")


def test_status_bar_shows_real_coordinates_under_the_cursor(window, qtbot, tiny_city):
    window.open_paths_async([tiny_city / "buildings.geojson"])
    wait_loaded(qtbot, window, 1)
    window.plotter.render()
    window.picking.show_coordinates_at(QPoint(window.plotter.width() // 2, window.plotter.height() // 2))
    text = window.coords_label.text()
    assert "EPSG:2154" in text and "X 351" in text and "° N" in text


def test_save_project_then_reopen_it(window, qtbot, tiny_city, tmp_path):
    window.open_paths_async([tiny_city / "buildings.geojson", tiny_city / "streets.geojson"])
    wait_loaded(qtbot, window, 2)
    window.scene.layers[0].update_style(color_by="hauteur")
    window.scene.layers[1].opacity = 0.5
    target = tmp_path / "projets" / "essai.maquette.json"
    assert window.files.save_to(target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert [spec["kind"] for spec in data["layers"]] == ["buildings", "streets"]
    assert not data["layers"][0]["source"].startswith("/")  # relative to the project file
    assert data["layers"][0]["style"]["color_by"] == "hauteur"
    before = window.scene
    window.open_paths_async([target])
    shown(window, OutsideFolderBox).open_button.click()  # the data lies beside the test, outside its folder
    qtbot.waitUntil(
        lambda: not window.tasks.busy and window.scene is not before and window.project.path == target,
        timeout=60_000,
    )
    assert window.scene.layers[1].opacity == 0.5
    assert window.scene.layers[0].style.color_by == "hauteur"


def test_a_bad_file_shows_a_message_and_keeps_the_scene(window, qtbot, tiny_city, tmp_path):
    window.open_paths_async([tiny_city / "buildings.geojson"])
    wait_loaded(qtbot, window, 1)
    garbage = tmp_path / "abime.shp"
    garbage.write_bytes(b"\x00garbage" * 50)
    window.add_files_async([garbage])
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30_000)
    box = shown(window)
    assert box is not None and box.isVisible()
    assert "abime.shp" in box.text()
    assert len(window.scene.layers) == 1
    box.close()


def test_click_on_a_sensor_shows_its_reading(window, qtbot):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    window.plotter.render()
    layer = next(layer for layer in window.scene.layers if layer.kind == "sensors" and layer.visible)
    visual = window.scene_view.visual(layer)
    points, ids = visual.pick_points()
    display, in_front = window.scene_view.project(points)
    width, height = window.plotter.ren_win.GetSize()
    on_screen = [
        i
        for i in range(len(ids))
        if in_front[i] and 30 < display[i, 0] < width - 300 and 60 < display[i, 1] < height - 60
    ]
    assert on_screen, "no sensor in view"
    pick = window.picking.pick_at(qt_point(window, display[on_screen[0]]))
    assert pick is not None and pick.layer is layer
    # the reading at the clock's time (on a loaded machine, a moment after the click)
    qtbot.waitUntil(
        lambda: any("°C" in value or "pas de mesure" in value for value in window.inspector.rows().values()),
        timeout=10_000,
    )


def test_autosave_time_is_shown_on_the_local_clock():
    from desktop.controllers.files import local_time_text

    text = local_time_text("2026-11-26T11:19:27+00:00")
    assert "26" in text and "+00:00" not in text and "T11" not in text
    assert local_time_text("not a time") == "not a time"


def test_a_window_leaves_garbage_collection_to_the_application(qtbot):
    """Only the application's start-up moves collection to the GUI thread (desktop/gc_guard.py)."""
    import gc

    from desktop import gc_guard
    from desktop.main_window import MainWindow

    win = MainWindow(language="en")
    qtbot.addWidget(win)
    assert gc.isenabled() and not gc_guard.installed()
    gc_guard.install()
    assert not gc.isenabled() and gc_guard.installed()
    gc_guard.uninstall()
    assert gc.isenabled() and not gc_guard.installed()
