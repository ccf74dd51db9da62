"""The sunlight kind: its palette follows what the values are, the style can override it; an
export keeps the tags that make the file a sunlight layer again."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import CRS

from layers.core.style import StyleError
from layers.io.grid import Grid
from layers.io.raster_file import write_geotiff
from layers.sunlight.layer import SunlightLayer
from layers.sunlight.style import SunlightStyle


def test_round_trip_and_checks():
    style = SunlightStyle.from_dict({"clim": [0, 12], "note": "kept"})
    assert style.clim == (0.0, 12.0) and style.to_dict() == {"note": "kept", "clim": [0.0, 12.0]}
    with pytest.raises(StyleError, match="cmap"):
        SunlightStyle.from_dict({"cmap": ["magma"]})


@pytest.mark.parametrize(
    ("quantity", "cmap", "limits"),
    [("sunlight hours", "magma", (0.0, 12.0)), ("sunlight hours difference", "RdBu", (-3.0, 3.0))],
)
def test_palette_and_limits_follow_the_quantity(tmp_path, quantity, cmap, limits):
    values = np.linspace(-2.5, 2.5, 100, dtype=np.float32).reshape(10, 10)
    if quantity == "sunlight hours":
        values = values + 8.0
    grid = Grid(values=values, x0=351_500, y0=6_789_100, dx=10, dy=10, crs=CRS.from_epsg(2154))
    tags = {
        "UNIT": "h",
        "QUANTITY": quantity,
        "DATE": "2025-06-21",
        "MAX_HOURS": "11.5",
        "MAQUETTE_KIND": "sunlight",
    }
    layer = SunlightLayer.load(write_geotiff(grid, tmp_path / "hours.tif", tags=tags))
    assert layer.palette.name == cmap and layer.colour_scale().limits == limits
    layer.update_style(cmap="viridis")
    assert layer.colour_scale().cmap == "viridis"
    assert layer.export_tags() == {
        "QUANTITY": quantity,
        "DATE": "2025-06-21",
        "MAX_HOURS": "11.5",
        "MAQUETTE_KIND": "sunlight",
    }


def test_the_change_reads_in_classes_of_sun_lost():
    import numpy as np

    from layers.sunlight.layer import CHANGE_CLASSES, change_class

    hours = np.array([-3.0, -2.0, -1.9, -1.0, -0.5, -0.001, 0.0, 0.4, np.nan])
    classes = change_class(hours)
    labels = [CHANGE_CLASSES[int(c)][2] if np.isfinite(c) else None for c in classes]
    assert labels == [
        "2 h of sun or more lost",
        "2 h of sun or more lost",  # exactly 2 h is "2 h or more", as the study's figures count it
        "1 to 2 h lost",
        "1 to 2 h lost",
        "less than 1 h lost",
        None,  # under a minute: no change, transparent
        None,
        "sun gained",
        None,
    ]
