"""Ground shadows: exact sweeps of prisms (courtyards, stilts), unions, real footprints."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from layers.buildings.layer import BuildingsLayer
from layers.core.timeutil import zone
from layers.sun.shadow import building_shadows, on_ground, union_shadows, wall_pieces
from layers.sun.shadow_map import Footprints, ground_shadows


def triangle_reference(polygons, height_m, base_m, offset) -> np.ndarray:
    """An independent sweep: constrained Delaunay triangles, each swept as the convex hull of the
    triangle at its base and at its top (exact for convex pieces), unioned per part."""
    out = []
    for poly, top, bottom in zip(polygons, height_m, base_m):
        triangles = shapely.get_parts(shapely.constrained_delaunay_triangles(poly))
        coords = shapely.get_coordinates(triangles).reshape(-1, 4, 2)[:, :3]
        both = np.concatenate([coords + bottom * offset, coords + top * offset], axis=1)
        hulls = shapely.convex_hull(shapely.multipoints(both))
        out.append(shapely.union_all(hulls))
    return np.array(out, dtype=object)


def random_footprints(rng: np.random.Generator, n: int) -> list[Polygon]:
    """Messy but valid footprints: L, U and T shapes, star-ish polygons, blocks with courtyards."""
    out = []
    for _ in range(n):
        kind = rng.integers(0, 4)
        x, y = rng.uniform(0, 200, 2)
        if kind == 0:  # star-shaped, non-convex
            k = rng.integers(5, 14)
            angles = np.sort(rng.uniform(0, 2 * np.pi, k))
            radii = rng.uniform(3, 15, k)
            poly = Polygon(np.column_stack([x + radii * np.cos(angles), y + radii * np.sin(angles)]))
        elif kind == 1:  # courtyard block, sometimes two courtyards, sometimes an L courtyard
            w, h = rng.uniform(20, 45, 2)
            poly = box(x, y, x + w, y + h).difference(box(x + 5, y + 5, x + w / 2 - 1, y + h - 5))
            if rng.random() < 0.5:
                poly = poly.difference(box(x + w / 2 + 2, y + 5, x + w - 5, y + h / 2))
            else:
                poly = poly.difference(box(x + w / 2 - 2, y + h / 2, x + w - 5, y + h - 5))
        elif kind == 2:  # U shape
            w, h = rng.uniform(15, 30, 2)
            poly = box(x, y, x + w, y + h).difference(box(x + w / 3, y + h / 3, x + 2 * w / 3, y + h + 1))
        else:  # rotated rectangle
            poly = shapely.affinity.rotate(
                box(x, y, x + rng.uniform(5, 30), y + rng.uniform(5, 30)), rng.uniform(0, 90)
            )
        poly = shapely.make_valid(poly)
        if poly.geom_type == "MultiPolygon":
            poly = max(poly.geoms, key=lambda g: g.area)
        out.append(poly)
    return out


def test_square_on_the_ground():
    square = box(0, 0, 10, 10)
    shadow = building_shadows(np.array([square]), np.array([10.0]), np.array([0.0]), np.array([0.0, 1.0]))[0]
    assert shadow.equals(box(0, 0, 10, 20))
    union = union_shadows(np.array([shadow]), np.array([square]))
    assert union.area_m2 == pytest.approx(100.0)
    assert union.geometry().equals(box(0, 10, 10, 20))


def test_part_on_stilts_shades_from_its_base():
    """A part from 5 m to 10 m casts a shadow starting 5 m away; the ground under it is ground."""
    square = box(0, 0, 10, 10)
    shadow = building_shadows(np.array([square]), np.array([10.0]), np.array([5.0]), np.array([0.0, 1.0]))[0]
    assert shadow.equals(box(0, 5, 10, 20))
    footprints = np.where(on_ground(np.array([10.0]), np.array([5.0])), [square], None)
    assert footprints[0] is None
    assert union_shadows(np.array([shadow]), footprints).area_m2 == pytest.approx(150.0)


def test_courtyard_walls_cast_shadows():
    block = box(0, 0, 30, 30).difference(box(10, 10, 20, 20))
    low = building_shadows(np.array([block]), np.array([3.0]), np.array([0.0]), np.array([0.0, 1.0]))[0]
    ground = union_shadows(np.array([low]), np.array([block]))
    # 3 m of the courtyard behind its south wall, 3 m north of the block
    assert ground.area_m2 == pytest.approx(30.0 + 90.0)
    high = building_shadows(np.array([block]), np.array([20.0]), np.array([0.0]), np.array([0.0, 1.0]))[0]
    assert shapely.get_num_interior_rings(high) == 0  # the courtyard is wholly in the shade
    assert union_shadows(np.array([high]), np.array([block])).area_m2 == pytest.approx(100.0 + 600.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_footprints_match_two_independent_sweeps(seed):
    rng = np.random.default_rng(seed)
    polys = np.array(random_footprints(rng, 60), dtype=object)
    height = rng.uniform(3, 40, len(polys))
    base = np.where(rng.random(len(polys)) < 0.2, rng.uniform(1, 2.5, len(polys)), 0.0)
    angle, length = rng.uniform(0, 2 * np.pi), rng.uniform(0.3, 4.0)
    offset = np.array([np.sin(angle), np.cos(angle)]) * length
    ours = building_shadows(polys, height, base, offset)
    assert shapely.is_valid(ours).all()
    reference = triangle_reference(polys, height, base, offset)
    pieces, owner = wall_pieces(polys, height, base, offset)
    for i in range(len(polys)):
        exact = shapely.union_all(pieces[owner == i])
        area = shapely.area(exact)
        assert shapely.area(shapely.symmetric_difference(ours[i], exact)) < 1e-6 * area
        assert shapely.area(shapely.symmetric_difference(ours[i], reference[i])) < 1e-6 * area


def test_per_part_offsets():
    squares = np.array([box(0, 0, 10, 10), box(100, 0, 110, 10)])
    offsets = np.array([[0.0, 1.0], [1.0, 0.0]])
    shadows = building_shadows(squares, np.array([10.0, 10.0]), np.zeros(2), offsets)
    assert shadows[0].equals(box(0, 0, 10, 20)) and shadows[1].equals(box(100, 0, 120, 10))


def test_union_equals_overlay_on_the_sample_city(sample_city):
    layer = BuildingsLayer.load(sample_city / "buildings.gpkg", height_field="hauteur")
    polys = np.asarray(layer.frame.geometry.values)
    offset = np.array([0.8, -1.1])
    shadows = building_shadows(polys, layer.height_m, layer.base_m, offset)
    union = union_shadows(shadows, np.where(on_ground(layer.height_m, layer.base_m), polys, None), workers=2)
    overlay = shapely.difference(shapely.union_all(shadows), shapely.union_all(polys))
    assert union.area_m2 == pytest.approx(shapely.area(overlay), rel=1e-7)  # slivers under 1 dm² dropped
    assert shapely.area(shapely.symmetric_difference(union.geometry(), overlay)) < 1e-6 * union.area_m2
    assert not shapely.intersects(union.geometry(), shapely.union_all(polys).buffer(-0.01))


def test_ground_shadows_follow_the_sun(sample_city):
    layer = BuildingsLayer.load(sample_city / "buildings.gpkg", height_field="hauteur")
    footprints = Footprints.from_layer(layer, "Europe/Paris")
    paris = zone("Europe/Paris")
    morning = ground_shadows(footprints, datetime(2025, 6, 21, 9, 0, tzinfo=paris))
    noon = ground_shadows(footprints, datetime(2025, 6, 21, 14, 0, tzinfo=paris))
    night = ground_shadows(footprints, datetime(2025, 6, 21, 23, 30, tzinfo=paris))
    assert 60 < morning.sun.azimuth_deg < 100 and noon.sun.elevation_deg > 60
    assert morning.area_m2 > noon.area_m2 > 0
    assert night.area_m2 == 0 and len(night.parts) == 0 and not night.sun.is_up
    # morning sun in the east: the shadows lie west of the buildings
    cx = np.mean(shapely.bounds(np.asarray(layer.frame.geometry.values))[:, [0, 2]])
    assert shapely.centroid(morning.frame().union_all()).x < cx
    frame = morning.frame()
    assert frame.crs.equals(layer.crs) and (frame["area_m2"] > 0).all()
    assert frame["sun_azimuth_deg"].iloc[0] == pytest.approx(morning.sun.azimuth_deg, abs=1e-3)


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "relative, options",
    [
        ("buildings/lyon1_bdtopo/buildings_lyon1.geojson", {}),
        ("buildings/rennes2_campus/campus_rennes2_bati_3d.geojson", {}),
        ("buildings/lorient_noisemodelling/buildings.shp", {}),
    ],
)
def test_real_footprints(shared_data, relative, options):
    layer = BuildingsLayer.load(shared_data / relative, **options)
    footprints = Footprints.from_layer(layer, "Europe/Paris")
    result = ground_shadows(footprints, datetime(2025, 6, 21, 17, 0, tzinfo=zone("Europe/Paris")))
    assert result.crs.equals(layer.crs)
    assert result.area_m2 > 1000
    assert shapely.is_valid(result.parts).all()
    if layer.crs.is_geographic:  # computed in a local transverse Mercator, returned in degrees
        assert not footprints.crs.equals(layer.crs) and footprints.crs.is_projected
        assert shapely.bounds(result.parts)[:, 1].min() > 40
