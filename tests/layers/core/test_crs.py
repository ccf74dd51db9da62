"""layers.core.crs: what a CRS given by a user or a file must be for Maquette to place data."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from layers.core.crs import parse_crs
from layers.core.errors import InputError
from layers.core.reading import open_layer


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("EPSG:4978", "geocentric"),
        ("EPSG:5773", "a vertical reference"),
        ("garbage", "is not a coordinate reference system"),
        ("EPSG:999999", "is not a coordinate reference system"),
    ],
)
def test_crss_that_cannot_place_data_are_refused_by_name(value, what):
    with pytest.raises(ValueError, match=what):
        parse_crs(value)


@pytest.mark.parametrize("value", ["EPSG:2154", "2154", "EPSG:4326", "EPSG:5698", "EPSG:7415", "EPSG:3946"])
def test_projected_geographic_and_compound_crss_are_taken(value):
    assert parse_crs(value).is_projected or parse_crs(value).is_geographic


def test_a_raster_given_degrees_it_does_not_hold_is_refused(tmp_path):
    path = tmp_path / "lden.tif"
    profile = {"driver": "GTiff", "width": 4, "height": 4, "count": 1, "dtype": "float32", "crs": "EPSG:2154",
               "transform": from_origin(351_500, 6_789_400, 50, 50)}  # fmt: skip
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(np.full((4, 4), 60, np.float32), 1)
    with pytest.raises(InputError, match=r"the CRS given EPSG:4326 is in degrees but the coordinates"):
        open_layer(path, crs="+proj=longlat")
    with pytest.raises(InputError, match="geocentric"):
        open_layer(path, crs="EPSG:4978")
