"""Streets and vector areas in the window: their controls read and change the typed style."""

from __future__ import annotations

import pytest

from tests.desktop.conftest import wait_loaded


@pytest.fixture(autouse=True)
def own_autosave(monkeypatch, tmp_path):
    """Style changes are autosaved: keep them out of the user's autosave folder."""
    monkeypatch.setenv("MAQUETTE_AUTOSAVE_DIR", str(tmp_path / "autosave"))


def _controls(window, layer):
    window.layer_panel.select(layer)
    return window.layer_panel.controls_area.widget()


def test_streets_controls_offer_the_scene_counters(window, qtbot):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    streets = next(layer for layer in window.scene.layers if layer.kind == "streets")
    controls = _controls(window, streets)
    assert type(controls).__name__ == "StreetsControls"
    offered = [controls.counters.itemData(i) for i in range(controls.counters.count())]
    assert offered == ["auto", "none", "Compteurs vélo"]  # the sample's one layer of counts
    controls.counters.setCurrentIndex(2)
    assert streets.style.counters == "Compteurs vélo"
    controls.counters.setCurrentIndex(1)
    assert streets.style.counters == "none" and streets.style.counters_off


def test_vector_controls_colour_by_a_category(window, qtbot):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    landuse = next(layer for layer in window.scene.layers if layer.kind == "vector")
    controls = _controls(window, landuse)
    assert controls.color_by.currentData() == "type"  # the sample project's style
    controls.color_by.setCurrentIndex(0)
    assert landuse.style.color_by is None
    controls.color_by.setCurrentIndex(controls.color_by.findData("type"))
    assert landuse.style.color_by == "type"
