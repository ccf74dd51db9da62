"""Heat: temperature rasters in °C, quantity, Kelvin conversion, diverging colour limits."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from affine import Affine

from layers.core.detect import detect_kind
from layers.core.errors import InputError
from layers.core.reading import open_layer
from layers.heat.layer import AIR, DIFFERENCE, SURFACE, HeatLayer, quantity_from_text

X0, Y0 = 351_000.0, 6_789_000.0  # Rennes, Lambert-93


def write_temperature(path, values, *, tags=None, nodata=-9999.0, count=1, dtype="float32"):
    values = np.asarray(values, dtype=dtype)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=values.shape[-1],
        height=values.shape[-2],
        count=count,
        dtype=dtype,
        crs="EPSG:2154",
        transform=Affine(30, 0, X0, 0, -30, Y0),
        nodata=None if count > 1 else nodata,
    ) as ds:
        ds.write(values if values.ndim == 3 else values[None])
        if tags:
            ds.update_tags(**tags)
    return path


def summer_afternoon(seed=0):
    rng = np.random.default_rng(seed)
    values = 30.0 + rng.normal(0.0, 2.0, (60, 80))
    values[:5, :5] = 55.0  # a few very hot roofs
    values[-3:, -3:] = -9999.0
    return values


def test_surface_temperature_in_celsius(tmp_path):
    path = write_temperature(tmp_path / "surface_temperature.tif", summer_afternoon(), tags={"UNIT": "°C"})
    assert detect_kind(path) == "heat"
    layer = HeatLayer.load(path)
    assert layer.kind == "heat" and layer.unit == "°C" and layer.quantity == SURFACE
    assert layer.palette.name == "RdYlBu_r"
    assert np.isnan(layer.grid.values[-1, -1]) and layer.feature_count() == 60 * 80 - 9
    low, high = layer.value_range()
    assert 24.0 < low < 27.0 and 33.0 < high < 56.0
    vmin, vmax = layer.color_limits()
    center = layer.color_center()
    assert center == pytest.approx(np.nanmedian(layer.grid.values))
    assert center - vmin == pytest.approx(vmax - center)
    assert vmax < 45.0  # the hot roofs do not flatten the scale
    info = layer.describe()
    json.dumps(info)
    assert info["quantity"] == SURFACE and info["unit"] == "°C" and info["palette"] == "RdYlBu_r"


def test_detected_by_unit_tag_whatever_the_name(tmp_path):
    path = write_temperature(tmp_path / "campagne_2023.tif", summer_afternoon(), tags={"UNIT": "degC"})
    assert detect_kind(path) == "heat"
    layer = open_layer(path)
    assert isinstance(layer, HeatLayer) and layer.unit == "°C"


def test_kelvin_is_converted(tmp_path):
    kelvin = summer_afternoon() + 273.15
    kelvin[-3:, -3:] = -9999.0
    layer = HeatLayer.load(write_temperature(tmp_path / "lst_kelvin.tif", kelvin, tags={"UNIT": "K"}))
    assert layer.unit == "°C" and any("kelvin" in w for w in layer.warnings)
    assert np.nanmedian(layer.grid.values) == pytest.approx(30.0, abs=0.5)
    guessed = HeatLayer.load(write_temperature(tmp_path / "lst.tif", kelvin))
    assert np.nanmedian(guessed.grid.values) == pytest.approx(30.0, abs=0.5)
    assert any("kelvin" in w for w in guessed.warnings)


def test_fahrenheit_is_converted(tmp_path):
    layer = HeatLayer.load(write_temperature(tmp_path / "t.tif", np.full((3, 3), 86.0), tags={"UNIT": "°F"}))
    assert layer.grid.values[0, 0] == pytest.approx(30.0)


def test_heat_island_difference_is_centred_on_zero(tmp_path):
    delta = np.random.default_rng(2).normal(2.0, 1.5, (40, 40))
    layer = HeatLayer.load(write_temperature(tmp_path / "uhi_intensity.tif", delta, tags={"UNIT": "K"}))
    assert layer.quantity == DIFFERENCE and layer.color_center() == 0.0
    vmin, vmax = layer.color_limits()
    assert vmin == pytest.approx(-vmax)
    assert np.nanmean(layer.grid.values) == pytest.approx(2.0, abs=0.3)  # a difference is not shifted
    assert layer.palette.kind == "diverging"


def test_quantity_from_tags_and_option(tmp_path):
    path = write_temperature(
        tmp_path / "t.tif", summer_afternoon(), tags={"UNIT": "°C", "QUANTITY": "air temperature at 2 m"}
    )
    assert HeatLayer.load(path).quantity == AIR
    layer = HeatLayer.load(path, quantity="surface temperature", center=28.0)
    assert layer.quantity == SURFACE and layer.color_center() == 28.0
    assert layer.options == {"quantity": "surface temperature", "center": 28.0}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("LST_Landsat_2022", SURFACE), ("tair_2m", AIR), ("ICU_ecart", DIFFERENCE), ("mosaic", None)],
)
def test_quantity_from_text(text, expected):
    assert quantity_from_text(text) == expected


def test_colour_image_is_refused(tmp_path):
    rgb = np.zeros((3, 4, 4), np.uint8)
    path = write_temperature(tmp_path / "temperature_map.tif", rgb, count=3, dtype="uint8")
    assert detect_kind(path) == "raster"
    with pytest.raises(InputError, match="colour image.*not temperatures"):
        HeatLayer.load(path)


def test_unknown_unit_is_kept_with_a_warning(tmp_path):
    layer = HeatLayer.load(write_temperature(tmp_path / "t.tif", np.ones((2, 2)), tags={"UNIT": "W/m2"}))
    assert any("not a temperature unit" in w for w in layer.warnings)


def test_sample_city_surface_temperature(sample_city):
    path = sample_city / "surface_temperature.tif"
    if not path.exists():
        pytest.skip("sample city not generated yet")
    assert detect_kind(path) == "heat"
    layer = HeatLayer.load(path)
    assert layer.unit == "°C" and layer.quantity == SURFACE
    low, high = layer.value_range()
    assert -10.0 < low < high < 70.0
