"""Sunlight hours: the numpy shadow rasteriser, hours over a day, before / after a project."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import shapely
from rasterio.features import rasterize
from shapely.geometry import box

from layers.buildings.layer import BuildingsLayer
from layers.core.crs import LAMBERT93
from layers.core.errors import InputError
from layers.sun.shadow import building_shadows
from layers.sun.shadow_map import Footprints
from layers.sun.shadow_raster import PixelGrid, RingTable, winding_fill
from layers.sunlight.hours import choose_grid, sunlight_change, sunlight_hours

X0, Y0 = 351_800.0, 6_789_000.0


def footprints(polygons, heights, bases=None) -> Footprints:
    heights = np.asarray(heights, float)
    bases = np.zeros(len(heights)) if bases is None else np.asarray(bases, float)
    return Footprints.from_arrays(np.array(polygons, dtype=object), heights, bases, LAMBERT93, "Europe/Paris")


def test_winding_fill_counts_rings_and_holes():
    grid = PixelGrid.covering((0, 0, 10, 10), 1.0)
    outer = np.array([[1, 1], [9, 1], [9, 9], [1, 9], [1, 1]], float)  # counter-clockwise
    hole = np.array([[3, 3], [3, 7], [7, 7], [7, 3], [3, 3]], float)  # clockwise
    coords = np.concatenate([outer, hole, outer])
    ring = np.repeat([0, 1, 2], 5)
    counts = winding_fill(coords, ring, grid)
    assert counts[5, 5] == 1 and counts[1, 1] == 2 and counts[0, 0] == 0
    assert (counts > 0).sum() == 64  # 8 x 8 pixel centres, the 4 x 4 hole counted once


def test_shade_matches_rasterio_on_the_sample_city(sample_city):
    layer = BuildingsLayer.load(sample_city / "buildings.gpkg", height_field="hauteur")
    polygons = np.asarray(layer.frame.geometry.values)
    table = RingTable.from_polygons(polygons, layer.height_m, layer.base_m)
    grid = PixelGrid.covering((351_600, 6_789_000, 352_100, 6_789_400), 1.0)
    for offset in (np.array([0.6, 1.3]), np.array([-4.0, 0.5])):
        ours = table.shade(offset, grid)
        shadows = building_shadows(polygons, layer.height_m, layer.base_m, offset)
        reference = (
            rasterize(
                ((g, 1) for g in shadows if not g.is_empty), out_shape=grid.shape, transform=grid.transform()
            )
            > 0
        )
        assert (ours != reference).sum() == 0


def test_open_ground_gets_the_whole_day():
    building = footprints([box(X0, Y0, X0 + 10, Y0 + 10)], [3.0])
    bounds = (X0 - 200, Y0 - 200, X0 + 200, Y0 + 200)
    june = sunlight_hours(building, date(2025, 6, 21), step_min=15, resolution_m=1.0, bounds=bounds)
    assert june.max_hours == pytest.approx(15.75)
    assert np.nanmax(june.hours) == pytest.approx(june.max_hours)
    assert np.isnan(june.hours).sum() == 100  # the footprint is no ground
    north, south = (200 - 10 - 3, 205), (200 + 3, 205)  # 3 m north and 3 m south of the building
    # in June the midday shadow of 3 m is 1.4 m long: the north side stays lit, the south side
    # loses the low sun of the north-east morning and north-west evening
    assert june.hours[north] == pytest.approx(june.max_hours)
    assert june.hours[south] < june.max_hours
    december = sunlight_hours(building, date(2025, 12, 21), step_min=15, resolution_m=1.0, bounds=bounds)
    assert december.max_hours == pytest.approx(8.0, abs=0.3)
    assert december.hours[north] == 0 and december.hours[south] == pytest.approx(december.max_hours)


def test_a_tower_takes_sun_from_its_north():
    existing = footprints([box(X0 + 100, Y0, X0 + 110, Y0 + 10)], [6.0])
    tower = Footprints.from_arrays(
        np.array([box(X0, Y0, X0 + 20, Y0 + 20)], dtype=object),
        np.array([50.0]),
        np.zeros(1),
        LAMBERT93,
        "Europe/Paris",
        metric=existing.crs,
    )
    change = sunlight_change(existing, tower, date(2025, 3, 20), step_min=30, resolution_m=2.0)
    assert change.margin_m == pytest.approx(min(50 / np.tan(np.radians(5)), 600))
    assert change.area_loss_m2[1.0] > change.area_loss_m2[2.0] > 500
    assert change.project_footprint_m2 == pytest.approx(400, rel=0.02)
    assert np.nanmax(change.difference) <= 0
    grid = change.before.grid
    row = int((grid.y0 - (Y0 + 40)) / grid.size_m)
    col = int((X0 + 10 - grid.x0) / grid.size_m)
    assert change.difference[row, col] <= -2  # 20 m north of a 50 m tower in March: about 2.5 h


def test_grid_choice():
    assert choose_grid((0, 0, 1000, 1000), None).size_m == 1.0
    assert choose_grid((0, 0, 5000, 5000), None).size_m == 5.0
    with pytest.raises(InputError, match="pixels"):
        choose_grid((0, 0, 20_000, 20_000), 1.0)
    with pytest.raises(InputError):
        choose_grid((0, 0, 10, 10), -1.0)


@pytest.mark.shared_data
def test_real_footprints_in_cc46(shared_data):
    layer = BuildingsLayer.load(shared_data / "buildings/lyon1_bdtopo/buildings_lyon1.geojson")
    fp = Footprints.from_layer(layer, "Europe/Paris")
    x0, y0, x1, y1 = shapely.total_bounds(fp.polygons)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    result = sunlight_hours(
        fp, date(2025, 6, 21), step_min=30, resolution_m=2.0, bounds=(cx - 200, cy - 200, cx + 200, cy + 200)
    )
    assert result.crs.to_epsg() == 3946
    assert 2 < np.nanmean(result.hours) < 14 and np.nanmin(result.hours) >= 0


def test_a_study_over_places_far_apart_is_refused_before_any_allocation():
    """Buildings of places 500 km apart both ways: the automatic grid would hold 100 million pixels
    at its coarsest (50 m); the study is refused with the area, never allocated."""
    from layers.core.errors import InputError
    from layers.sunlight.hours import choose_grid

    with pytest.raises(InputError, match=r"spread over 500 km × 500 km.*--bbox"):
        choose_grid((0.0, 0.0, 500_000.0, 500_000.0), None)
    assert choose_grid((0.0, 0.0, 3_000.0, 3_000.0), None).pixels <= 4_000_000
