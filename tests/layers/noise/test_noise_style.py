"""The noise kind's style: façades, their limit value, the gaps filled on screen."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import CRS

from layers.core.style import StyleError
from layers.io.grid import Grid
from layers.noise.layer import NoiseLayer
from layers.noise.style import NoiseStyle


def test_defaults_and_round_trip():
    assert NoiseStyle().to_dict() == {}
    assert not NoiseStyle().shows_facades and NoiseStyle().shows_map and NoiseStyle().fill_gaps
    written = {"facades": "only", "facade_limit_db": 70, "fill_gaps": False, "later": [1, 2]}
    style = NoiseStyle.from_dict(written)
    assert style.facades == "only" and style.facade_limit_db == 70.0 and style.fill_gaps is False
    assert style.shows_facades and not style.shows_map
    assert style.to_dict() == {
        "later": [1, 2],
        "facades": "only",
        "facade_limit_db": 70.0,
        "fill_gaps": False,
    }
    on = NoiseStyle.from_dict({"facades": True})
    assert on.shows_facades and on.shows_map and on.to_dict() == {"facades": True}


def test_older_projects_wrote_null_for_map_only():
    style = NoiseStyle.from_dict({"facades": None})
    assert not style.shows_facades and style.shows_map
    assert style.to_dict() == {"facades": None}  # as it was written


@pytest.mark.parametrize(
    ("key", "value"), [("facades", "walls"), ("facades", 1.5), ("facade_limit_db", "68"), ("fill_gaps", "no")]
)
def test_a_bad_value_names_its_key(key, value):
    with pytest.raises(StyleError, match=key):
        NoiseStyle.from_dict({key: value})


def test_the_limit_value_follows_the_indicator_unless_the_style_sets_it():
    grid = Grid(values=np.full((4, 4), 60.0, np.float32), x0=0, y0=40, dx=10, dy=10, crs=CRS.from_epsg(2154))
    lden = NoiseLayer("lden", grid)
    night = NoiseLayer("ln", grid, indicator="Ln")
    assert lden.facade_limit_db() == 68.0 and night.facade_limit_db() == 62.0
    night.update_style(facade_limit_db=65)
    assert night.facade_limit_db() == 65.0
    with pytest.raises(StyleError, match="facades"):
        lden.update_style(facades="sometimes")
