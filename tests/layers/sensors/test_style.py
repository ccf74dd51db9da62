"""The sensors' typed style: read from a project, checked, written back; how long a reading stays."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from layers.core import crs as crs_util
from layers.core.style import StyleError
from layers.sensors.layer import SensorLayer
from layers.sensors.style import SensorsStyle

PARIS = ZoneInfo("Europe/Paris")


def _hourly(hours: int = 6) -> SensorLayer:
    times = pd.date_range("2025-07-02", periods=hours, freq="h", tz=PARIS).as_unit("ns").asi8
    values = np.arange(hours * 2, dtype=np.float32).reshape(hours, 2)
    return SensorLayer(
        "capteurs",
        sensor_ids=np.array(["a", "b"]),
        names=np.array(["a", "b"]),
        xy=np.array([[351_000.0, 6_789_000.0], [351_100.0, 6_789_000.0]]),
        times_ns=times,
        values=values,
        crs=crs_util.LAMBERT93,
        quantity="air temperature",
        unit="°C",
    )


def test_style_round_trip_keeps_only_what_changed_and_unknown_keys():
    written = {"clim": [20, 40], "cmap": "turbo", "labels": "off", "max_age_s": 1800, "glow": 0.5}
    style = SensorsStyle.from_dict(written)
    assert style.clim == (20.0, 40.0) and style.cmap == "turbo" and style.labels == "off"
    assert style.max_age_s == 1800.0 and style.radius_m is None
    assert style.extra == {"glow": 0.5}  # a key of a later version survives
    assert style.to_dict() == {
        "glow": 0.5,
        "clim": [20.0, 40.0],
        "cmap": "turbo",
        "labels": "off",
        "max_age_s": 1800.0,
    }
    assert SensorsStyle().to_dict() == {}  # a project without changes keeps an empty style


@pytest.mark.parametrize(
    ("key", "value"),
    [("clim", [1, 2, 3]), ("cmap", 3), ("radius_m", "large"), ("labels", "yes"), ("max_age_s", "1 h")],
)
def test_a_bad_style_value_names_its_key(key, value):
    with pytest.raises(StyleError) as caught:
        SensorsStyle.from_dict({key: value})
    assert caught.value.field == key and key in str(caught.value)


def test_labels_auto_on_off():
    assert SensorsStyle().shows_labels(40, 40) and not SensorsStyle().shows_labels(41, 40)
    assert SensorsStyle(labels="on").shows_labels(500, 40) and SensorsStyle(labels=True).shows_labels(500, 40)
    assert not SensorsStyle(labels="off").shows_labels(3, 40)
    assert not SensorsStyle(labels=False).shows_labels(3, 40)


def test_the_style_max_age_overrides_the_layers_own_and_says_so():
    layer = _hourly()
    assert layer.max_age_s.tolist() == [3 * 3600.0, 3 * 3600.0]  # 3 × the hourly step
    t = datetime(2025, 7, 2, 5, 40, tzinfo=PARIS)
    assert np.isfinite(layer.values_at(t)[0]).all()
    changed: list[frozenset[str]] = []
    layer.style_changed.connect(changed.append)
    layer.update_style(max_age_s=1800.0)
    assert changed == [frozenset({"max_age_s"})]
    assert layer.max_age_s.tolist() == [1800.0, 1800.0]
    assert np.isnan(layer.values_at(t)[0]).all()  # 40 min old: no longer shown
    layer.update_style(max_age_s=None)
    assert layer.max_age_s.tolist() == [3 * 3600.0, 3 * 3600.0]


def test_load_takes_a_style_and_keeps_it_out_of_the_options(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("time,station,temp_c,lon,lat\n2025-07-02T10:00,A,21.5,-1.68,48.11\n")
    layer = SensorLayer.load(path, style={"cmap": "viridis", "clim": [15, 35]})
    assert layer.style.cmap == "viridis" and layer.style.clim == (15.0, 35.0)
    assert "style" not in layer.options
    with pytest.raises(StyleError):
        SensorLayer.load(path, style={"clim": "hot"})
