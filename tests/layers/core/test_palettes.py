"""The colour conventions: NF S 31-130 noise bands, temperature and sequential limits."""

from __future__ import annotations

import numpy as np
import pytest

from layers.core import palettes
from layers.core.palettes import (
    NOISE_BANDS,
    TEMPERATURE,
    band_level_db,
    diverging_limits,
    hex_to_rgb,
    noise_band_index,
    noise_color,
    noise_rgba,
    sequential_limits,
)


def test_nf_s_31_130_bands_are_the_standard_ones():
    expected = [
        (None, 45, "#48C901"),
        (45, 50, "#53FE00"),
        (50, 55, "#B6FE74"),
        (55, 60, "#FFFE02"),
        (60, 65, "#FFA800"),
        (65, 70, "#FD0000"),
        (70, 75, "#CF03FD"),
        (75, None, "#920167"),
    ]
    assert [(b.low_db, b.high_db, b.hex) for b in NOISE_BANDS] == expected
    assert NOISE_BANDS[3].label == "55-60 dB(A)" and NOISE_BANDS[3].color == "#FFFE02"
    assert palettes.NFS31130_BANDS is NOISE_BANDS
    assert NOISE_BANDS[0].label == "< 45 dB(A)"
    assert NOISE_BANDS[-1].label == "> 75 dB(A)"


def test_levels_are_classified_with_the_lower_limit_included():
    levels = np.array([30.0, 44.9, 45.0, 57.3, 60.0, 74.99, 75.0, 98.0, np.nan])
    assert noise_band_index(levels).tolist() == [0, 0, 1, 3, 4, 6, 7, 7, -1]
    assert noise_color(62.0) == "#FFA800"
    assert noise_color(float("nan")) is None


def test_noise_rgba_is_transparent_for_nodata():
    rgba = noise_rgba(np.array([57.0, np.nan, 80.0]))
    assert rgba.dtype == np.uint8 and rgba.shape == (3, 4)
    assert rgba[0].tolist() == [0xFF, 0xFE, 0x02, 255]
    assert rgba[1, 3] == 0
    assert rgba[2, :3].tolist() == list(hex_to_rgb("#920167"))


def test_open_bands_take_the_colour_beside_their_limit():
    levels = band_level_db(np.array([75.0, np.nan, 55.0, 68.0]), np.array([np.nan, 45.0, 60.0, np.nan]))
    assert levels.tolist() == [75.5, 44.5, 57.5, 68.5]
    assert [NOISE_BANDS[i].hex for i in noise_band_index(levels)] == [
        "#920167",
        "#48C901",
        "#FFFE02",
        "#FD0000",
    ]


def test_diverging_limits_are_symmetric_around_the_median():
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.normal(30.0, 2.0, 10_000), [np.nan] * 10, [80.0]])
    vmin, center, vmax = diverging_limits(values)
    assert center == pytest.approx(np.nanmedian(values))
    assert center - vmin == pytest.approx(vmax - center)
    assert vmax < 40.0  # the single outlier at 80 °C does not stretch the scale
    assert diverging_limits(values, center=0.0)[1] == 0.0
    assert diverging_limits(np.full(4, np.nan)) is None
    flat = diverging_limits(np.full(10, 21.0))
    assert flat[0] < 21.0 < flat[2]


def test_sequential_limits_are_robust():
    values = np.concatenate([np.linspace(0, 100, 1001), [1e6]])
    low, high = sequential_limits(values)
    assert low == pytest.approx(2.0, abs=0.2) and high == pytest.approx(98.1, abs=0.5)
    assert sequential_limits(np.array([np.nan])) is None


def test_named_colormaps():
    assert TEMPERATURE.name == "RdYlBu_r" and TEMPERATURE.kind == "diverging"
    assert palettes.SEQUENTIAL_DEFAULT.kind == "sequential"
    assert hex_to_rgb("48C901") == (0x48, 0xC9, 0x01)
    with pytest.raises(ValueError):
        hex_to_rgb("#123")
