"""Measuring: known distances, path lengths, areas in m² and ha, a crossing outline refused, heights."""

from __future__ import annotations

import math

import pytest

from layers.core.messages import word
from layers.measure.geometry import (
    AreaRefused,
    crossing_sides,
    distance_3d_m,
    ground_distance_m,
    hectares,
    height_above_m,
    height_difference_m,
    path_length_m,
    planar_area_m2,
)
from layers.measure.result import Measurement, Unit

X0, Y0 = 351_912.37, 6_789_345.11  # Lambert-93 magnitudes: float32 would lose centimetres here


def test_distances_keep_centimetres_at_lambert93_magnitudes():
    a, b = (X0, Y0, 0.0), (X0 + 3.0, Y0 + 4.0, 12.0)
    assert ground_distance_m(a, b) == pytest.approx(5.0, abs=1e-9)
    assert distance_3d_m(a, b) == pytest.approx(13.0, abs=1e-9)
    assert height_difference_m(a, b) == pytest.approx(12.0)
    assert height_difference_m(b, a) == pytest.approx(-12.0)
    near = (X0 + 0.01, Y0, 0.0)  # one centimetre
    assert ground_distance_m(a, near) == pytest.approx(0.01, abs=1e-6)


def test_two_dimensional_points_stand_on_the_ground():
    assert distance_3d_m((X0, Y0), (X0 + 6.0, Y0 + 8.0)) == pytest.approx(10.0)


def test_path_length_along_the_ground_and_in_3d():
    path = [(X0, Y0, 0.0), (X0 + 30.0, Y0, 0.0), (X0 + 30.0, Y0 + 40.0, 30.0)]
    assert path_length_m(path) == pytest.approx(70.0)
    assert path_length_m(path, ground=False) == pytest.approx(30.0 + 50.0)
    assert path_length_m(path[:1]) == 0.0


def test_planar_area_in_square_metres_and_hectares():
    square = [(X0, Y0), (X0 + 100.0, Y0), (X0 + 100.0, Y0 + 100.0), (X0, Y0 + 100.0)]
    assert planar_area_m2(square) == pytest.approx(10_000.0, abs=1e-6)
    assert hectares(planar_area_m2(square)) == pytest.approx(1.0)
    # heights are left out: the same outline on a slope has the same planar area
    sloped = [(x, y, 0.1 * (x - X0)) for x, y in square]
    assert planar_area_m2(sloped) == pytest.approx(10_000.0, abs=1e-6)
    # clockwise or not, an L shape
    ell = [(X0, Y0), (X0, Y0 + 20), (X0 + 10, Y0 + 20), (X0 + 10, Y0 + 10), (X0 + 20, Y0 + 10), (X0 + 20, Y0)]
    assert planar_area_m2(ell) == pytest.approx(300.0, abs=1e-6)


def test_a_self_crossing_outline_is_refused_with_its_reason():
    bow_tie = [(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10)]
    assert crossing_sides(bow_tie) == (0, 2)
    with pytest.raises(AreaRefused) as refused:
        planar_area_m2(bow_tie)
    assert "sides 1 and 3" in str(refused.value)
    assert word(str(refused.value), "fr") == (
        "les côtés 1 et 3 du contour se croisent : aucune surface ne peut être mesurée"
    )
    with pytest.raises(AreaRefused):
        planar_area_m2([(X0, Y0), (X0 + 1, Y0)])
    assert crossing_sides([(X0, Y0), (X0 + 1, Y0), (X0 + 1, Y0 + 1), (X0, Y0 + 1)]) is None


def test_height_of_a_facade_point_above_its_ground():
    assert height_above_m(17.25, 3.0) == pytest.approx(14.25)


def test_results_written_per_language():
    assert Measurement(12.344).text("fr") == "12,34 m"
    assert Measurement(12.344).text("en") == "12.34 m"
    area = Measurement(1234.5, Unit.SQUARE_METRE)
    assert area.text("fr") == "1\u202f234,5 m² (0,12 ha)"
    assert area.text("en") == "1,234.5 m² (0.12 ha)"
    assert not math.isnan(Measurement(0.0).value)
