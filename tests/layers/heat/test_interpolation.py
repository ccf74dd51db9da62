"""The precomputed station field is scipy's thin-plate spline, with missing stations left out."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.interpolate import RBFInterpolator

from layers.heat.interpolation import StationField, nearest_distance, station_spacing, thin_plate


@pytest.fixture(scope="module")
def network():
    rng = np.random.default_rng(7)
    stations = rng.uniform(0, 3000, (30, 2)) + [350_000.0, 6_780_000.0]
    xs, ys = np.meshgrid(np.linspace(0, 3000, 60), np.linspace(0, 3000, 50))
    points = np.column_stack([xs.ravel(), ys.ravel()]) + [350_000.0, 6_780_000.0]
    values = 22 + 0.002 * (stations[:, 0] - 350_000) + rng.normal(0, 0.8, len(stations))
    return stations, points, values, StationField(stations, points)


def test_kernel():
    assert thin_plate(np.array([0.0, 1.0, np.e])).tolist() == pytest.approx([0.0, 0.0, np.e**2])


def test_same_surface_as_scipy(network):
    stations, points, values, field = network
    ours = field.evaluate(values)
    theirs = RBFInterpolator(stations, values, kernel="thin_plate_spline", degree=1)(points)
    assert ours.dtype == np.float32 and ours.shape == (len(points),)
    assert np.abs(ours - theirs).max() < 2e-3


def test_missing_stations_are_left_out_not_zero(network):
    stations, points, values, field = network
    gappy = values.copy()
    gappy[[3, 11, 17]] = np.nan
    have = np.isfinite(gappy)
    ours = field.evaluate(gappy)
    theirs = RBFInterpolator(stations[have], gappy[have], kernel="thin_plate_spline", degree=1)(points)
    assert np.abs(ours - theirs).max() < 2e-3
    zeros = np.where(have, gappy, 0.0)
    assert np.abs(field.evaluate(zeros) - ours).max() > 1.0  # a zero would have pulled the surface down


def test_smoothing_matches_scipy(network):
    stations, points, values, _ = network
    field = StationField(stations, points, smoothing=0.5)
    theirs = RBFInterpolator(stations, values, kernel="thin_plate_spline", degree=1, smoothing=0.5)(points)
    assert np.abs(field.evaluate(values) - theirs).max() < 2e-3


def test_few_stations():
    stations = np.array([[0.0, 0.0], [100.0, 0.0], [200.0, 0.0], [0.0, 100.0]])
    points = np.array([[50.0, 50.0], [150.0, 20.0]])
    field = StationField(stations, points)
    assert np.isnan(field.evaluate(np.full(4, np.nan))).all()
    assert field.evaluate(np.array([np.nan, 21.5, np.nan, np.nan])).tolist() == pytest.approx([21.5, 21.5])
    two = field.evaluate(np.array([20.0, 22.0, np.nan, np.nan]))
    assert np.isfinite(two).all() and 19.0 < two.min() and two.max() < 23.0
    collinear = field.evaluate(np.array([20.0, 21.0, 22.0, np.nan]))  # three stations on a line
    assert np.isfinite(collinear).all()
    assert field.weights(np.array([20.0, 21.0, 22.0, 23.0])).stations == 4


def test_distances():
    stations = np.array([[0.0, 0.0], [10.0, 0.0], [100.0, 0.0]])
    assert station_spacing(stations) == 10.0
    assert nearest_distance(np.array([[0.0, 5.0], [60.0, 0.0]]), stations).tolist() == [5.0, 40.0]
    assert station_spacing(stations[:1]) == 0.0
