"""Aggregated levels: hourly / daily means, minima, maxima, and which one a replay reads."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from layers.core import crs as crs_util
from layers.sensors.aggregate import aggregate, build_levels, choose_level, level_for_points
from layers.sensors.layer import SensorLayer

NS = 1_000_000_000
PARIS = ZoneInfo("Europe/Paris")


def _year_layer(sensors=3, days=60, step_min=10):
    times = (
        pd.date_range("2025-03-01", periods=days * 24 * 60 // step_min, freq=f"{step_min}min", tz=PARIS)
        .as_unit("ns")
        .asi8
    )
    rng = np.random.default_rng(0)
    values = rng.normal(15, 3, (len(times), sensors)).astype(np.float32)
    values[100:160, 1] = np.nan  # ten hours without readings
    return SensorLayer(
        "t",
        sensor_ids=np.array([f"s{i}" for i in range(sensors)]),
        names=np.array([f"s{i}" for i in range(sensors)]),
        xy=np.zeros((sensors, 2)),
        times_ns=times,
        values=values,
        crs=crs_util.LAMBERT93,
        timezone="Europe/Paris",
    )


def test_hourly_level_matches_pandas_resample():
    layer = _year_layer()
    hourly, daily = layer.levels
    assert (hourly.step_s, daily.step_s) == (3600.0, 86_400.0)
    frame = pd.DataFrame(layer.values, index=pd.DatetimeIndex(layer.times_ns, tz="UTC"))
    expected = frame.resample("1h").mean()
    got = pd.DataFrame(hourly.mean, index=pd.DatetimeIndex(hourly.start_ns, tz="UTC"))
    assert np.allclose(got.to_numpy(), expected.loc[got.index].to_numpy(), equal_nan=True, atol=1e-5)
    assert np.allclose(hourly.low, frame.resample("1h").min().loc[got.index].to_numpy(), equal_nan=True)
    assert np.allclose(hourly.high, frame.resample("1h").max().loc[got.index].to_numpy(), equal_nan=True)
    assert hourly.count[20, 1] == 0 and np.isnan(hourly.mean[20, 1])  # a gap stays a gap


def test_daily_bins_follow_local_midnights_across_the_clock_change():
    layer = _year_layer()
    daily = layer.levels[1]
    local = pd.DatetimeIndex(daily.start_ns, tz="UTC").tz_convert(PARIS)
    assert (local.hour == 0).all() and (local.minute == 0).all()
    spring = np.flatnonzero(local.date == pd.Timestamp("2025-03-30").date())[0]  # 23 hours long
    assert (daily.end_ns[spring] - daily.start_ns[spring]) == 23 * 3600 * NS
    assert daily.count[spring, 0] == 23 * 6
    frame = pd.DataFrame(layer.values, index=pd.DatetimeIndex(layer.times_ns, tz="UTC").tz_convert(PARIS))
    expected = frame.groupby(frame.index.date).mean()
    assert np.allclose(daily.mean, expected.to_numpy(), atol=1e-4)


def test_replay_reads_the_level_matching_the_speed():
    layer = _year_layer()
    t = datetime(2025, 4, 10, 14, 25, tzinfo=PARIS)
    raw, age = layer.values_at(t)
    assert (age == 300).all()
    assert layer.level_for(None) is None and layer.level_for(600) is None  # 10 min/s at 25 fps
    hourly, _ = layer.values_at(t, frame_advance_s=86_400 * 0.04)  # 1 day/s
    row = layer.levels[0].row_at(int(pd.Timestamp(t).value))
    assert np.allclose(hourly, layer.levels[0].mean[row]) and not np.allclose(hourly, raw)
    assert layer.level_for(7 * 86_400 * 0.04).step_s == 86_400  # 1 week/s
    assert choose_level(layer.levels, 600.0, 1000.0) is None


def test_levels_only_for_long_fine_series_and_chart_points():
    short = _year_layer(days=1)
    assert short.levels == []
    hourly_data = _year_layer(days=60, step_min=60)
    assert [level.step_s for level in hourly_data.levels] == [86_400.0]
    layer = _year_layer()
    times, mean, low, high, label = layer.envelope(0, max_points=5_000)
    assert label == "hourly mean" and len(times) == len(layer.levels[0].start_ns)
    assert (low <= mean).all() and (mean <= high).all()
    times, values, low, high, label = layer.envelope(0, max_points=100_000)
    assert label is None and low is None and len(times) == layer.reading_counts[0]
    assert level_for_points(layer.levels, 100, 200) is None


def test_aggregate_handles_irregular_bins():
    times = np.array([0, 600, 1200, 3600, 3700, 7300, 7400, 7500], dtype=np.int64) * NS
    values = np.arange(16, dtype=np.float32).reshape(8, 2)
    level = aggregate(times, values, 3600.0, "UTC", "h")
    assert level.count[:, 0].tolist() == [3, 2, 3]
    assert level.mean[:, 0].tolist() == pytest.approx([2.0, 7.0, 12.0])
    assert level.low[:, 1].tolist() == [1.0, 7.0, 11.0] and level.high[:, 1].tolist() == [5.0, 9.0, 15.0]
    assert build_levels(times, values, 600.0, "UTC") == []
