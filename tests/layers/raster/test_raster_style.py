"""The raster kind's style: a colour scale over the layer's palette, checked, saved as written."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import CRS

from layers.core.style import StyleError
from layers.io.grid import Grid
from layers.raster.layer import RasterLayer
from layers.raster.style import RasterStyle


def layer(style: dict | None = None) -> RasterLayer:
    values = np.linspace(0.0, 100.0, 100, dtype=np.float32).reshape(10, 10)
    grid = Grid(values=values, x0=351_500.0, y0=6_789_100.0, dx=10.0, dy=10.0, crs=CRS.from_epsg(2154))
    return RasterLayer("no2", grid, unit="µg/m³", style=style)


def test_round_trip_writes_only_what_differs_and_keeps_unknown_keys():
    written = {"clim": [10, 40], "cmap": "magma", "from_a_later_version": {"x": 1}}
    style = RasterStyle.from_dict(written)
    assert style.clim == (10.0, 40.0) and style.cmap == "magma"
    assert style.to_dict() == {"from_a_later_version": {"x": 1}, "clim": [10.0, 40.0], "cmap": "magma"}
    assert RasterStyle.from_dict({}).to_dict() == {}


@pytest.mark.parametrize(("key", "value"), [("clim", [1, 2, 3]), ("clim", "0-10"), ("cmap", 3)])
def test_a_bad_value_names_its_key(key, value):
    with pytest.raises(StyleError, match=key) as caught:
        RasterStyle.from_dict({key: value})
    assert caught.value.field == key


def test_the_colour_scale_is_the_palette_unless_the_style_says():
    raster = layer()
    scale = raster.colour_scale()
    assert scale.cmap == "viridis" and scale.limits == pytest.approx(raster.color_limits())
    raster.update_style(clim=(0, 50), cmap="magma")
    assert raster.colour_scale().cmap == "magma" and raster.colour_scale().limits == (0.0, 50.0)
    assert layer({"clim": [5, 6]}).colour_scale().limits == (5.0, 6.0)


def test_a_style_change_says_which_field_changed():
    raster = layer()
    seen: list[frozenset[str]] = []
    raster.style_changed.connect(seen.append)
    raster.update_style(cmap="magma")
    raster.update_style(cmap="magma")  # no change, no event
    assert seen == [frozenset({"cmap"})]
