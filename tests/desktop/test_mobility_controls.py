"""The sensors' and transit's controls: what they show and the style they write."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from desktop.controls import controls_class
from layers.core import crs as crs_util
from layers.sensors.layer import SensorLayer

PARIS = ZoneInfo("Europe/Paris")


def _counters() -> SensorLayer:
    times = pd.date_range("2025-07-02", periods=48, freq="h", tz=PARIS).as_unit("ns").asi8
    values = np.tile(np.arange(48, dtype=np.float32)[:, None] * 10, (1, 3))
    return SensorLayer(
        "compteurs",
        sensor_ids=np.array(["a", "b", "c"]),
        names=np.array(["a", "b", "c"]),
        xy=np.array([[351_000.0, 6_789_000.0], [351_100.0, 6_789_000.0], [351_200.0, 6_789_000.0]]),
        times_ns=times,
        values=values,
        crs=crs_util.LAMBERT93,
        quantity="bicycle count",
        unit="/h",
    )


def test_sensor_controls_write_the_style(qtbot):
    layer = _counters()
    controls = controls_class(SensorLayer)(layer)
    qtbot.addWidget(controls)
    assert type(controls).__name__ == "SensorsControls"
    assert controls.palette_box.currentData() is None and not controls.fixed.isChecked()
    assert controls.low.value() == 0.0  # counts start at 0
    changes: list[frozenset[str]] = []
    layer.style_changed.connect(changes.append)

    controls.palette_box.setCurrentIndex(controls.palette_box.findData("viridis"))
    assert layer.style.cmap == "viridis"
    controls.palette_box.setCurrentIndex(0)
    assert layer.style.cmap is None

    controls.low.setValue(10.0)
    controls.high.setValue(300.0)
    controls.fixed.setChecked(True)
    assert layer.style.clim == (10.0, 300.0)
    controls.fixed.setChecked(False)
    assert layer.style.clim is None

    assert controls.max_age.value() == 180  # 3 × the hourly step, in minutes
    controls.max_age.setValue(30)
    controls.max_age.editingFinished.emit()
    assert layer.style.max_age_s == 1800.0 and layer.max_age_s.tolist() == [1800.0] * 3
    assert changes == [frozenset({"cmap"})] * 2 + [frozenset({"clim"})] * 2 + [frozenset({"max_age_s"})]


def test_transit_controls_list_the_routes(qtbot, sample_city):
    from layers.transit.layer import TransitLayer

    layer = TransitLayer.load(sample_city / "gtfs.zip")
    controls = controls_class(TransitLayer)(layer)
    qtbot.addWidget(controls)
    assert controls.routes.count() == len(layer.routes)
    assert layer.routes["short_name"].iloc[0] in controls.routes.item(0).text()
