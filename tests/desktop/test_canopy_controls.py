"""The canopy's controls: the height from which a pixel is a tree, written to the style."""

from __future__ import annotations

from desktop.controls import controls_class
from layers.canopy.layer import CanopyLayer


def test_canopy_controls_write_the_minimum_height(qtbot, shared_data):
    path = next((shared_data / "lidar_hd/montpellier_0770_6277").glob("DHM_*.tif"))
    layer = CanopyLayer.load(path)
    controls = controls_class(CanopyLayer)(layer)
    qtbot.addWidget(controls)
    assert controls.min_height.value() == 2.0
    before = layer.stats["features"]
    controls.min_height.setValue(6.0)
    assert layer.style.min_height_m == 6.0 and layer.stats["features"] < before


def test_canopy_controls_account_for_every_pixel_in_french(qtbot, shared_data):
    path = next((shared_data / "lidar_hd/montpellier_0770_6277").glob("DHM_*.tif"))
    layer = CanopyLayer.load(path)
    controls = controls_class(CanopyLayer)(layer)
    qtbot.addWidget(controls)
    text = controls.account.text()
    assert "m²" in text and text.count("\n") == len(layer.stats["dropped_reasons"])
