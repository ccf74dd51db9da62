"""The area a study of a store reads: sized from the index, grown by the shadows' reach, refused
when too big, read whatever the view loaded."""

from __future__ import annotations

import math

import numpy as np
import pytest

from layers.core.errors import InputError
from layers.core.reading import open_layer
from layers.streamed import studies
from layers.streamed.layer import StreamedBuildingsLayer

# the small store: 6 × 4 tiles of 500 m from (650 000, 6 860 000), 300 buildings each, 4-40 m high
AREA = (650_600.0, 6_860_600.0, 650_900.0, 6_860_900.0)


def test_the_margin_is_the_tallest_shadow_capped():
    assert studies.shadow_margin_m(40.0, 45.0) == pytest.approx(40.0)
    assert studies.shadow_margin_m(40.0, 10.0) == pytest.approx(40.0 / math.tan(math.radians(10.0)))
    assert studies.shadow_margin_m(40.0, 0.0) == studies.MAX_MARGIN_M


def test_the_area_is_sized_from_the_index_and_read_from_the_store(small_store):
    layer = open_layer(small_store)
    assert isinstance(layer, StreamedBuildingsLayer)
    high_sun = studies.plan_area(layer, AREA, 60.0)
    assert len(high_sun.tiles) == 1  # the area and 23 m around: one tile
    assert 20 < high_sun.margin_m < 24 and high_sun.buildings == 300
    low_sun = studies.plan_area(layer, AREA, 5.0)
    assert 450 < low_sun.margin_m <= studies.MAX_MARGIN_M and len(low_sun.tiles) == 9  # 40 m / tan 5°
    assert low_sun.buildings == 9 * 300
    assert layer.store.reads == {}  # sized without reading a tile
    buildings = studies.area_buildings(layer, AREA, 60.0)
    assert buildings.kind == "buildings" and buildings.crs is not None and buildings.crs.equals(layer.crs)
    box = high_sun.read_box
    bounds = np.array([g.bounds for g in buildings.frame.geometry])
    assert len(bounds) > 0 and len(bounds) <= high_sun.buildings
    assert (bounds[:, 2] >= box[0]).all() and (bounds[:, 0] <= box[2]).all()
    assert ((buildings.height_m >= 4) & (buildings.height_m <= 40)).all()
    assert set(buildings.frame["usage"].dropna()) <= {"Résidentiel", "Commercial et services", "Industriel"}
    assert layer.memory.loaded_count() == 0  # the view's tiles are not involved


def test_an_area_over_the_budget_is_refused_before_reading(small_store):
    layer = open_layer(small_store)
    assert isinstance(layer, StreamedBuildingsLayer)
    with pytest.raises(InputError, match="over the 1 MB a study may take") as caught:
        studies.area_buildings(layer, None, 5.0, budget_mb=1.0)
    assert "--bbox" in caught.value.one_line() and layer.store.reads == {}
    with pytest.raises(InputError, match="no building"):
        studies.area_buildings(layer, (600_000.0, 6_000_000.0, 600_100.0, 6_000_100.0), 60.0)
