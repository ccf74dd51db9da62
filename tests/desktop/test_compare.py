"""View › Compare two moments in the window: one camera for both halves, each at its own time, the
still of both, and ``maquette render --compare`` refusing a time it cannot read."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from layers.core.timeutil import zone
from viewer.split import camera_pose

from .conftest import wait_loaded

pytestmark = pytest.mark.usefixtures("private_autosave")


def test_compare_two_moments_in_the_window(window, qtbot, tmp_path):
    from PIL import Image

    window.open_paths_async([])
    wait_loaded(qtbot, window)
    compare = window.compare
    assert not window.compare_dock.isVisible()
    window.compare_action.trigger()
    assert compare.active and window.compare_action.isChecked()
    assert window.compare_dock.isVisible()
    main, twin = window.scene_view, compare.twin
    assert window.centralWidget() is not window.plotter and window.plotter.isVisible()
    assert main.sun.enabled and twin.sun.enabled  # shadows are what two hours show
    left, right = compare.times()
    assert (left.hour, right.hour) == (8, 18) and left.date() == right.date()
    # moving the camera in the window moves the other half
    camera = main.renderer.GetActiveCamera()
    camera.Azimuth(35)
    camera.Elevation(10)
    assert camera_pose(main) == camera_pose(twin)
    twin.renderer.GetActiveCamera().Dolly(1.2)  # and the other way round
    assert camera_pose(main) == camera_pose(twin)
    qtbot.wait(400)  # the shadows follow the camera once it rests
    # a layer hidden in the window is hidden on both sides (the same layer objects); one removed
    # leaves both
    layer = next(layer for layer in window.scene.layers if layer.kind == "streets")
    window.remove_layer(layer)
    assert layer not in twin.scene.layers and twin.visual(layer) is None
    # one time changed: the right half only
    tz = zone(window.scene.timezone)
    winter = datetime(left.year, 12, 21, 15, 0, tzinfo=tz)
    compare.set_times(right=winter)
    assert twin.scene.clock.time == winter and window.scene.clock.time == left
    assert window.compare_dock.widget().right_edit.dateTime().date().month() == 12
    assert "21 d" in twin.decorations.clock.GetInput() and "juin" not in twin.decorations.clock.GetInput()
    compare.summer_winter()
    assert (window.scene.clock.time.month, twin.scene.clock.time.month) == (6, 12)
    compare.morning_evening()
    # the still of both moments
    window.grab().save(str(tmp_path / "fenetre.png"))
    output = tmp_path / "deux moments.png"
    compare.export_still(output, (1366, 768), "fr")
    image = np.asarray(Image.open(output).convert("RGB")).astype(int)
    assert image.shape == (768, 1366, 3)
    halves = image[:, :680], image[:, 686:]
    assert all(half.std() > 10 for half in halves)
    assert np.abs(halves[0][:, :680] - halves[1][:, :680]).mean() > 1  # the two moments differ
    # Export › Image… offers both moments while the view is split
    dialog = window.exports.open_image_dialog()
    assert dialog.both_box.isVisible() and dialog.both_box.isChecked()
    dialog.size_box.setCurrentIndex(dialog.size_box.count() - 1)  # custom
    dialog.width_box.setValue(800)
    dialog.height_box.setValue(450)
    dialog.update_preview()
    dialog.grab().save(str(tmp_path / "dialogue-apercu.png"))
    dialog.start(tmp_path / "dialogue.png")
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    still = np.asarray(Image.open(tmp_path / "dialogue.png").convert("RGB")).astype(int)
    assert still.shape == (450, 800, 3) and still[:, :396].std() > 10 and still[:, 404:].std() > 10
    assert window.scene.clock.time == compare.times()[0]  # the window's clocks untouched
    dialog.close()
    # Esc ends it: one view again, at the left time
    window.activateWindow()  # window shortcuts are the active window's
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(window.plotter, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not compare.active, timeout=3000)
    assert window.centralWidget() is window.plotter and not window.compare_action.isChecked()
    assert not window.compare_dock.isVisible()
    assert not main.sun.enabled  # put back as it was
    window.compare_action.trigger()  # and again
    assert compare.active
    window.compare_action.trigger()
    assert not compare.active
    dialog = window.exports.open_image_dialog()  # one view: one moment
    assert not dialog.both_box.isVisible() and dialog.both_times() is None
    dialog.close()


def test_closing_the_window_while_comparing(window, qtbot):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    assert window.compare.start()
    window.session.mark_clean()
    window.close()
    assert not window.compare.active and window.compare.twin is None


def test_render_compare_writes_both_halves(tmp_path, capsys):
    from PIL import Image

    from desktop.cli import main

    output = tmp_path / "deux.png"
    argv = ["render", "--compare", "2025-06-21T08:00", "2025-12-21T14:00", "-o", str(output)]
    assert main([*argv, "--size", "400x200", "--json"]) == 0
    image = np.asarray(Image.open(output).convert("RGB")).astype(int)
    assert image.shape == (200, 400, 3) and image[:, :195].std() > 10 and image[:, 205:].std() > 10
    assert '"clocks"' in capsys.readouterr().out


def test_render_compare_refuses_a_time_it_cannot_read(tmp_path, capsys):
    from desktop.cli import main

    output = tmp_path / "x.png"
    code = main(["render", "--compare", "2025-06-21T08:00", "demain", "-o", str(output), "--size", "160x120"])
    assert code == 2 and not output.exists()
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-1].startswith("maquette: error: --compare:") and "Traceback" not in "".join(lines)
