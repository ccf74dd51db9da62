"""layers.terrain.style: the typed style of a terrain, as a project keeps it."""

from __future__ import annotations

import numpy as np
import pytest

from layers.core.style import StyleError
from layers.io.grid import Grid
from layers.terrain.layer import TerrainLayer
from layers.terrain.style import TerrainStyle


def test_round_trip_bad_value_and_unknown_keys():
    style = TerrainStyle.from_dict({"cmap": "terrain", "relief": 2})
    assert style.cmap == "terrain" and style.extra == {"relief": 2}
    assert TerrainStyle.from_dict(style.to_dict()) == style
    assert style.to_dict() == {"relief": 2, "cmap": "terrain"}
    assert TerrainStyle().cmap is None and TerrainStyle().to_dict() == {}
    with pytest.raises(StyleError) as error:
        TerrainStyle.from_dict({"cmap": ["terrain"]})
    assert error.value.field == "cmap"


def test_a_terrain_layer_holds_a_terrain_style():
    grid = Grid(values=np.array([[1.0, 2.0], [3.0, np.nan]], np.float32), x0=0.0, y0=2.0, dx=1.0, dy=1.0)
    layer = TerrainLayer("dem", grid, style={"cmap": "terrain"})
    assert isinstance(layer.style, TerrainStyle) and layer.style.cmap == "terrain"
    assert layer.dem is grid and layer.heights_m.shape == (2, 2)
    assert layer.elevation_range() == (1.0, 3.0)
