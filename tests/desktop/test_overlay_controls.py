"""Noise and heat in the window: the value probe in the status bar, the façade and heat controls."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint

from tests.desktop.conftest import wait_loaded


@pytest.fixture(autouse=True)
def own_autosave(monkeypatch, tmp_path):
    """Style changes are autosaved: keep them out of the user's autosave folder."""
    monkeypatch.setenv("MAQUETTE_AUTOSAVE_DIR", str(tmp_path / "autosave"))


def _layer(win, project_id):
    return next(layer for layer in win.scene.layers if layer.project_id == project_id)


def test_status_bar_shows_the_level_under_the_cursor(window, qtbot):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    noise = _layer(window, "noise")
    noise.visible = True
    view = window.scene_view
    # the middle of the map, projected on screen
    xmin, ymin, xmax, ymax = noise.bounds()
    centre = view.to_local([[0.5 * (xmin + xmax), 0.5 * (ymin + ymax)]], z=0.0)
    display, _ = view.project(centre)
    ratio = window.plotter.devicePixelRatioF()
    window.picking.show_coordinates_at(
        QPoint(int(display[0, 0] / ratio), int(window.plotter.height() - display[0, 1] / ratio))
    )
    text = window.coords_label.text()
    assert "Lden" in text and "dB(A)" in text and "EPSG:2154" in text


def test_noise_controls_turn_facades_on(window, qtbot):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    noise = _layer(window, "noise")
    assert noise.style.facades is True  # the sample project asks for façades
    window.layer_panel.select(noise)
    controls = window.layer_panel.controls_area.widget()
    assert type(controls).__name__ == "NoiseControls"
    assert controls.facades.currentData() is True
    assert "%" in controls.report.text()
    controls.facades.setCurrentIndex(2)
    assert noise.style.facades == "only"
    assert window.scene_view.visual(noise).actor is None
    controls.limit.setValue(70)
    assert "facade_lden_over_70_pct" in _layer(window, "buildings").frame.columns


def test_heat_controls_switch_to_the_heat_island(window, qtbot, tmp_path):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    surface = _layer(window, "air_surface")
    window.layer_panel.select(surface)
    controls = window.layer_panel.controls_area.widget()
    assert type(controls).__name__ == "HeatControls"
    assert controls.show_box.currentData() == "uhi"
    controls.show_box.setCurrentIndex(0)
    assert surface.show == "temperature"
    assert window.session.dirty  # the display changed: an unsaved change
    assert window.files.save_to(tmp_path / "ilot.maquette.json")
    assert not window.session.dirty
    controls.reference.setCurrentIndex(0)  # no reference: no heat island
    assert surface.reference is None and not controls.show_box.isEnabled()
    assert "reference" not in surface.options
    assert window.session.dirty  # the reference logger is saved in the project: unsaved now
