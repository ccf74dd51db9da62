"""The heat kind's style: a colour scale, and for loggers what the surface shows and the pucks."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import CRS

from layers.core.style import StyleError
from layers.heat.layer import HeatLayer
from layers.heat.style import HeatStyle
from layers.io.grid import Grid


def test_defaults_and_round_trip():
    assert HeatStyle().to_dict() == {} and HeatStyle().show == "temperature" and HeatStyle().stations
    written = {"show": "uhi", "stations": False, "clim": [-3, 3], "cmap": "coolwarm", "legend": "left"}
    style = HeatStyle.from_dict(written)
    assert (style.show, style.stations, style.clim, style.cmap) == ("uhi", False, (-3.0, 3.0), "coolwarm")
    assert style.extra == {"legend": "left"}
    assert HeatStyle.from_dict(style.to_dict()) == style


@pytest.mark.parametrize(("key", "value"), [("show", "wind"), ("stations", 1), ("clim", [0])])
def test_a_bad_value_names_its_key(key, value):
    with pytest.raises(StyleError, match=key):
        HeatStyle.from_dict({key: value})


def test_a_raster_takes_its_palette_and_centred_limits_unless_the_style_says():
    values = np.linspace(20, 40, 100, dtype=np.float32).reshape(10, 10)
    grid = Grid(values=values, x0=0, y0=100, dx=10, dy=10, crs=CRS.from_epsg(2154))
    heat = HeatLayer("lst", grid)
    assert heat.colour_scale().cmap == "RdYlBu_r"
    assert heat.colour_scale().limits == pytest.approx(heat.color_limits())
    heat.update_style(clim=(25, 35))
    assert heat.colour_scale().limits == (25.0, 35.0) and heat.colour_scale().cmap == "RdYlBu_r"
