"""A building's height from its layer: the walls' top, the ridge of a planned pitched roof."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from layers.buildings.layer import BuildingsLayer
from layers.measure.heights import building_top_m, roof_z_m


def test_the_top_of_a_building_is_its_height_above_its_ground():
    frame = gpd.GeoDataFrame({"geometry": [box(0, 0, 10, 10), box(20, 0, 30, 10)]}, crs="EPSG:2154")
    layer = BuildingsLayer("b", frame, np.array([12.5, 31.0]))
    assert building_top_m(layer, 1) == pytest.approx(31.0)
    assert roof_z_m(layer, 0, 4.25) == pytest.approx(16.75)


def test_a_planned_pitched_roof_is_measured_to_its_ridge():
    from layers.plan.layer import PlanLayer
    from layers.plan.model import PlannedBuilding, Variant
    from layers.plan.roofs import ridge_height_m

    square = ((0.0, 0.0), (20.0, 0.0), (20.0, 10.0), (0.0, 10.0))
    flat = PlannedBuilding("f", square, 9.0)
    gable = PlannedBuilding("g", tuple((x + 40.0, y) for x, y in square), 12.0, roof="gable")
    layer = PlanLayer(Variant("A", (flat, gable)), None)
    assert building_top_m(layer, 0) == pytest.approx(9.0)
    assert building_top_m(layer, 1) == pytest.approx(ridge_height_m(gable))
    assert building_top_m(layer, 1) > 12.0
