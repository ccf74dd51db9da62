"""Snapping a drawn corner to the walls and corners of buildings, and to right angles."""

from __future__ import annotations

import time

import numpy as np
import pytest
import shapely

from layers.plan.snapping import SnapKind, Snapper, Walls, rings_of

X0, Y0 = 351_000.0, 6_789_000.0  # Lambert-93 magnitudes: no float32 anywhere


@pytest.fixture
def snapper() -> Snapper:
    block = shapely.box(X0, Y0, X0 + 20, Y0 + 10)
    return Snapper(Walls.of([block]))


def test_a_point_near_a_corner_snaps_to_it(snapper):
    snap = snapper.snap(X0 + 20.4, Y0 + 10.3, tolerance_m=1.0)
    assert snap.kind is SnapKind.CORNER
    assert snap.point == pytest.approx((X0 + 20, Y0 + 10), abs=1e-6)


def test_a_point_near_a_wall_snaps_onto_it(snapper):
    snap = snapper.snap(X0 + 7.3, Y0 - 0.6, tolerance_m=1.0)
    assert snap.kind is SnapKind.WALL
    assert snap.point == pytest.approx((X0 + 7.3, Y0), abs=1e-6)


def test_a_point_far_from_everything_stays_where_it_is(snapper):
    snap = snapper.snap(X0 + 50.0, Y0 + 50.0, tolerance_m=1.0)
    assert snap.kind is SnapKind.NONE and snap.point == (X0 + 50.0, Y0 + 50.0)


def test_the_tolerance_decides(snapper):
    assert snapper.snap(X0 + 7.3, Y0 - 0.6, tolerance_m=0.5).kind is SnapKind.NONE
    assert snapper.snap(X0 + 7.3, Y0 - 0.6, tolerance_m=0.7).kind is SnapKind.WALL


def test_right_angle_and_direction_of_the_side_being_drawn():
    snapper = Snapper()
    drawn = [(X0, Y0), (X0 + 10, Y0 + 10)]  # a side at 45°
    # almost square to it from (10, 10): put exactly square
    snap = snapper.snap(X0 + 10 - 5 + 0.3, Y0 + 10 + 5, tolerance_m=1.0, drawn=drawn)
    assert snap.kind is SnapKind.RIGHT_ANGLE
    side = np.subtract(drawn[1], drawn[0])
    assert float(np.dot(np.subtract(snap.point, drawn[1]), side)) == pytest.approx(0.0, abs=1e-6)
    # almost in line with it: put on the line
    snap = snapper.snap(X0 + 15.5, Y0 + 15 - 0.4, tolerance_m=1.0, drawn=drawn)
    assert snap.kind is SnapKind.DIRECTION
    assert snap.point[0] - X0 == pytest.approx(snap.point[1] - Y0, abs=1e-6)


def test_the_first_corner_closes_the_footprint():
    snapper = Snapper()
    drawn = [(X0, Y0), (X0 + 10, Y0), (X0 + 10, Y0 + 8)]
    snap = snapper.snap(X0 + 0.5, Y0 + 0.4, tolerance_m=1.0, drawn=drawn)
    assert snap.kind is SnapKind.CORNER and snap.point == (X0, Y0)


def test_corners_come_before_walls_and_walls_before_angles():
    block = shapely.box(X0, Y0, X0 + 20, Y0 + 10)
    snapper = Snapper(Walls.of([block]))
    drawn = [(X0 - 10, Y0 - 20), (X0 - 10, Y0 - 10)]
    snap = snapper.snap(X0 + 0.3, Y0 - 0.4, tolerance_m=1.0, drawn=drawn)
    assert snap.kind is SnapKind.CORNER


def test_holes_and_multipolygons_give_walls():
    outer = shapely.Polygon(
        [(0, 0), (30, 0), (30, 30), (0, 30)], holes=[[(10, 10), (20, 10), (20, 20), (10, 20)]]
    )
    other = shapely.MultiPolygon([shapely.box(50, 0, 60, 10), shapely.box(70, 0, 80, 10)])
    assert len(rings_of([outer, other, None])) == 4
    snap = Snapper(Walls.of([outer, other])).snap(15, 10.5, tolerance_m=1.0)
    assert snap.kind is SnapKind.WALL and snap.point == pytest.approx((15, 10))


def test_a_query_is_fast_on_many_buildings():
    rng = np.random.default_rng(1)
    origins = rng.uniform(0, 5000, size=(20_000, 2))
    boxes = shapely.box(origins[:, 0], origins[:, 1], origins[:, 0] + 12, origins[:, 1] + 9)
    snapper = Snapper(Walls.of(boxes))
    start = time.perf_counter()
    for x, y in rng.uniform(0, 5000, size=(200, 2)):
        snapper.snap(float(x), float(y), tolerance_m=2.0, drawn=[(0.0, 0.0), (1.0, 1.0)])
    per_query_ms = (time.perf_counter() - start) / 200 * 1000
    assert per_query_ms < 5, per_query_ms  # a mouse move, on a shared machine
