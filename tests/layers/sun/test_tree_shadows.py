"""One tree of known size: its ground shadow and the sun it takes, computed by hand."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pytest
import shapely
from pyproj import CRS

from layers.buildings.layer import BuildingsLayer
from layers.core.base import CastsShadows
from layers.core.timeutil import zone
from layers.sun.casters import casters, gather
from layers.sun.shadow_map import Footprints, ground_shadows
from layers.sunlight.hours import sunlight_hours
from layers.trees.layer import TreesLayer

L93 = CRS.from_epsg(2154)
#: a tree in Montpellier (Lambert-93 metres)
X, Y = 770575.0, 6277575.0
TZ = "Europe/Paris"


def one_tree() -> TreesLayer:
    """A 10 m tree with a 6 m crown: its crown from 4 m (as deep as it is wide) to 10 m."""
    return TreesLayer.from_points("tree", np.array([[X, Y]]), np.array([10.0]), np.array([6.0]), L93)


def test_a_tree_is_a_shadow_caster():
    tree = one_tree()
    assert isinstance(tree, CastsShadows)
    prisms = gather(casters([tree]))
    assert prisms is not None and len(prisms) == 1 and prisms.counts == {"tree": 1}
    assert prisms.base_m[0] == 4.0 and prisms.top_m[0] == 10.0


@pytest.mark.parametrize("when", ["2025-06-21T12:00", "2025-12-21T12:00", "2025-03-20T09:00"])
def test_the_shadow_of_one_tree_is_its_crown_swept_from_4_to_10_m(when):
    footprints = Footprints.from_layer(one_tree(), TZ)
    t = datetime.fromisoformat(when).replace(tzinfo=zone(TZ))
    shadows = ground_shadows(footprints, t)
    sun = shadows.sun
    # by hand: the crown (a regular 12-gon of radius 3 m: area 3 r² = 27 m²) swept along the shadow
    # of its bottom (4 m) to that of its top (10 m): area + width across the sun × 6 m / tan(elevation)
    length_per_m = 1.0 / math.tan(math.radians(sun.elevation_deg))
    bearing = math.radians(footprints.site.grid_bearing_deg(sun.azimuth_deg))
    across = np.array([math.cos(bearing), -math.sin(bearing)])  # perpendicular to the shadow
    ring = shapely.get_coordinates(footprints.polygons[0]) - [X, Y]
    width = float((ring @ across).max() - (ring @ across).min())
    assert 2 * 3 * math.cos(math.radians(15)) - 1e-9 <= width <= 6.0 + 1e-9
    expected = 27.0 + width * (10.0 - 4.0) * length_per_m
    assert shadows.area_m2 == pytest.approx(expected, rel=5e-3)
    # the shadow lies away from the sun, the crown's bottom casting it at 4 m × its length
    centre = shapely.centroid(shapely.union_all(shadows.parts))
    offset = np.array([centre.x - X, centre.y - Y])
    away = np.array([-math.sin(bearing), -math.cos(bearing)])
    assert float(offset @ away) == pytest.approx(7.0 * length_per_m, rel=2e-2)  # (4 + 10) / 2


def test_trees_and_buildings_cast_together_whatever_their_crs():
    import geopandas as gpd

    block = gpd.GeoSeries([shapely.box(X + 60, Y, X + 80, Y + 20)], crs=L93).to_crs(4326)
    buildings = BuildingsLayer("block", gpd.GeoDataFrame(geometry=block), np.array([12.0]), crs=CRS(4326))
    tree = one_tree()
    t = datetime(2025, 6, 21, 12, tzinfo=zone(TZ))
    both = Footprints.from_layers([tree, buildings], TZ)
    assert len(both) == 2 and both.source_crs.equals(L93)
    alone = [
        ground_shadows(Footprints.from_layers([layer], TZ, metric=L93), t).area_m2
        for layer in (tree, buildings)
    ]
    assert ground_shadows(both, t).area_m2 == pytest.approx(sum(alone), rel=1e-3)  # far apart: they add up


def test_sunlight_hours_drop_under_and_north_of_the_tree():
    footprints = Footprints.from_layer(one_tree(), TZ)
    day = date(2025, 6, 21)
    result = sunlight_hours(
        footprints, day, step_min=15, resolution_m=1.0, bounds=(X - 20, Y - 20, X + 20, Y + 20)
    )
    grid = result.grid

    def hours_at(x: float, y: float) -> float:
        col = int((x - grid.x0) // grid.size_m)
        row = int((grid.y0 - y) // grid.size_m)
        return float(result.hours[row, col])

    full = result.max_hours
    assert not np.isnan(result.hours).any()  # the ground under a crown is ground: no footprint
    assert hours_at(X + 15.5, Y - 15.5) == pytest.approx(full)  # south-east, out of reach
    under = hours_at(X + 0.5, Y + 0.5)
    north = hours_at(X + 0.5, Y + 3.5)
    # at midsummer noon (elevation ~66°) the crown's shadow lies 1.8 to 4.5 m north of its trunk
    # and covers both points around midday
    assert under < full - 1.0 and north < full - 1.0
    assert hours_at(X + 0.5, Y - 5.5) > under  # south of the tree the sun comes in
