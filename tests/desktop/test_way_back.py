"""Finding one's way back: the 2D map view and back to 3D at the same place, File › Open recent, the
last camera restored when a project reopens, Help › User guide (offline, in the interface's language)
and Help › Keyboard shortcuts (made from the window's actions)."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence

from viewer import camera as camera_util

from .conftest import wait_loaded

pytestmark = pytest.mark.usefixtures("private_autosave", "french")


@pytest.fixture
def french(qapp):
    """The interface in French (installed before the window is made)."""
    from desktop.translation import install_translations

    installed = install_translations(qapp, "fr")
    yield
    for translator in installed:
        qapp.removeTranslator(translator)


ROOT = Path(__file__).resolve().parents[2]


def picture(window):
    view = window.scene_view.current_view("now")
    return view, camera_util.picture_half_height(view)


def test_the_map_view_keeps_the_place_and_the_scale_both_ways(window, qtbot, city_copy):
    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    before, half = picture(window)
    assert not window.map_action.isChecked()
    assert window.map_action.shortcut() == QKeySequence("F2")
    window.map_action.trigger()
    camera = window.scene_view.renderer.GetActiveCamera()
    assert window.camera.map_view_on and window.map_action.isChecked()
    assert camera.GetParallelProjection()
    flat, flat_half = picture(window)
    assert flat.focal_point == pytest.approx(before.focal_point, abs=0.01)
    assert flat_half == pytest.approx(half, rel=1e-3)
    assert flat.view_up == pytest.approx((0.0, 1.0, 0.0))  # north up
    assert camera.GetDirectionOfProjection() == pytest.approx((0.0, 0.0, -1.0))
    # pan and zoom only: the left button pans on the map
    assert "TrackballCamera" in type(window.plotter.iren.style).__name__
    # the whole scene, asked on the map, is shown as a map
    window.camera.reset_camera(animate=False)
    assert camera.GetParallelProjection() and window.camera.map_view_on
    moved, moved_half = picture(window)
    window.map_action.trigger()  # back to 3D, at the map's place and scale
    assert not camera.GetParallelProjection() and not window.map_action.isChecked()
    back, back_half = picture(window)
    assert back.focal_point == pytest.approx(moved.focal_point, abs=0.01)
    assert back_half == pytest.approx(moved_half, rel=1e-3)
    assert back.position[2] > back.focal_point[2]  # tilted again, looking down
    assert "Terrain" in type(window.plotter.iren.style).__name__


def test_the_last_camera_comes_back_with_the_project(window, qtbot, city_copy):
    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    window.camera.set_map_view(True)
    kept, _ = picture(window)
    assert window.files.save_to(city_copy)
    saved = json.loads(city_copy.read_text(encoding="utf-8"))
    assert saved["camera"]["parallel_scale"] == pytest.approx(kept.parallel_scale, abs=0.01)
    window.camera.set_map_view(False)
    window.camera.reset_camera(animate=False)
    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    again, _ = picture(window)
    assert window.camera.map_view_on and window.map_action.isChecked()
    assert again.focal_point == pytest.approx(kept.focal_point, abs=0.01)
    assert again.parallel_scale == pytest.approx(kept.parallel_scale, abs=0.01)
    # a damaged camera is left out with a word; the project opens all the same
    saved["camera"] = {"position": [0, 0, "haut"], "focal_point": [1, 2, 3]}
    city_copy.write_text(json.dumps(saved), encoding="utf-8")
    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    assert "caméra" in window.statusBar().currentMessage()
    # the project's first view instead, seen as the map the window was showing
    first = window.session.views[0]
    now, _ = picture(window)
    assert window.camera.map_view_on
    assert now.focal_point == pytest.approx(first.focal_point, abs=0.01)


def test_open_recent_lists_projects_and_data_files(window, qtbot, city_copy):
    window.settings.clear_recent_files()
    window.recent.fill()
    assert [a.text() for a in window.recent_menu.actions() if not a.isSeparator()][
        0
    ] == "Aucun fichier récent"
    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    assert window.settings.recent_files()[0] == str(city_copy.absolute())
    data = city_copy.parent / "bike_counters.geojson"
    count = len(window.scene.layers)
    window.add_files_async([data])
    wait_loaded(qtbot, window, count + 1)
    assert window.settings.recent_files()[:2] == [str(data.absolute()), str(city_copy.absolute())]
    window.recent.fill()
    texts = [a.text() for a in window.recent_menu.actions() if not a.isSeparator()]
    assert texts[:2] == ["bike_counters.geojson  (données)", "sample_city.maquette.json  (projet)"]
    assert texts[-1] == "Vider la liste"
    # a moved file stays in the list, greyed, with a word
    data.rename(data.with_suffix(".moved"))
    window.recent.fill()
    first = window.recent_menu.actions()[0]
    assert first.text() == "bike_counters.geojson (introuvable)" and not first.isEnabled()
    for path in range(12):  # ten at most, the newest first
        window.settings.add_recent_file(f"/nowhere/{path}.geojson")
    assert len(window.settings.recent_files()) == 10
    assert window.settings.recent_files()[0] == "/nowhere/11.geojson"
    window.recent_menu.actions()[-1].trigger()  # Clear the list
    assert window.settings.recent_files() == []


def test_the_user_guide_opens_offline_in_the_interface_language(window, qtbot):
    window.show_guide()
    guide = window.guide_window
    qtbot.waitExposed(guide)
    text = guide.browser.toPlainText()
    assert "Guide de Maquette" in text and "Carte (2D)" in text and "F2" in text
    assert guide.browser.source().isLocalFile()
    assert not guide.browser.openExternalLinks()
    guide.close()
    # both languages have the same sections, and the package carries them
    from desktop.dialogs.help import guide_path

    sections = [guide_path(lang).read_text(encoding="utf-8").count("<h2>") for lang in ("fr", "en")]
    assert sections[0] == sections[1] >= 7
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "help/*.html" in package_data["desktop"]


def test_the_shortcuts_dialog_is_made_from_the_actions(window, qtbot):
    window.show_shortcuts()
    rows = window.shortcuts_dialog.rows
    found = {(text, keys) for _, text, keys in rows}
    assert ("Carte (2D)", "F2") in found
    assert any(text == "Présenter le récit" and keys == "F5" for text, keys in found)
    assert any(group.startswith("Pendant la présentation") for group, _, _ in rows)
    window.shortcuts_dialog.close()
    # an action added to a menu is listed the next time: the list never goes stale
    added = QAction("Mesurer la distance", window)
    added.setShortcut(QKeySequence("Ctrl+Alt+M"))
    window.view_menu.addAction(added)
    window.show_shortcuts()
    rows = window.shortcuts_dialog.rows
    assert (
        "Affichage",
        "Mesurer la distance",
        QKeySequence("Ctrl+Alt+M").toString(QKeySequence.SequenceFormat.NativeText),
    ) in rows
    every = {keys for _, _, keys in rows}
    assert all(not math.isnan(len(k)) for k in every)
