"""Pitched roofs of planned buildings: their height, their surfaces, their shadows."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from pyproj import CRS

from layers.plan.layer import PlanLayer
from layers.plan.model import PlannedBuilding, Variant
from layers.plan.roofs import RoofFrame, ridge_height_m, roof_height_at, roof_mesh, roof_slices
from layers.sun.shadow_raster import PixelGrid, RingTable

L93 = CRS.from_epsg(2154)
X0, Y0 = 351_000.0, 6_789_000.0
#: 20 m × 12 m, the long side turned 30° from east (a ridge not along the axes)
TURN = math.radians(30)


def turned_box(length: float = 20.0, width: float = 12.0) -> tuple[tuple[float, float], ...]:
    u = np.array([math.cos(TURN), math.sin(TURN)])
    v = np.array([-u[1], u[0]])
    corners = [np.zeros(2), length * u, length * u + width * v, width * v]
    return tuple((X0 + float(c[0]), Y0 + float(c[1])) for c in corners)


def building(roof: str, footprint=None, pitch: float = 35.0, eaves: float = 15.0) -> PlannedBuilding:
    return PlannedBuilding("b1", footprint or turned_box(), eaves, roof=roof, roof_pitch_deg=pitch)  # type: ignore[arg-type]


def slopes(mesh) -> tuple[np.ndarray, np.ndarray]:
    """(t,) projected area (m², > 0 when facing up) and (t,) 3D area of each slope triangle."""
    p = mesh.points[mesh.triangles[mesh.is_roof]]
    a, b, c = p[:, 0], p[:, 1], p[:, 2]
    projected = ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])) / 2
    return projected, np.linalg.norm(np.cross(b - a, c - a), axis=1) / 2


def volume_above_eaves(mesh, eaves: float) -> float:
    """∫ rise dA over the slopes (exact for a roof that is a graph over the footprint)."""
    p = mesh.points[mesh.triangles[mesh.is_roof]]
    projected, _ = slopes(mesh)
    return float((projected * (p[:, :, 2].mean(axis=1) - eaves)).sum())


@pytest.mark.parametrize("roof", ["gable", "hip"])
def test_the_ridge_stands_half_the_width_times_the_slope_above_the_eaves(roof):
    b = building(roof)
    frame = RoofFrame.of(b.polygon)
    assert frame.half_length_m == pytest.approx(10.0) and frame.half_width_m == pytest.approx(6.0)
    assert abs(float(frame.along @ [math.cos(TURN), math.sin(TURN)])) == pytest.approx(
        1.0
    )  # along the long side
    expected = 15.0 + 6.0 * math.tan(math.radians(35.0))
    assert ridge_height_m(b) == pytest.approx(expected)
    mesh = roof_mesh(b)
    assert mesh.points[:, 2].max() == pytest.approx(expected)
    assert mesh.points[:, 2].min() == pytest.approx(15.0)
    centre = frame.centre
    assert roof_height_at(b, centre[None, :])[0] == pytest.approx(expected)
    assert ridge_height_m(building("flat")) == 15.0 and len(roof_mesh(building("flat")).triangles) == 0


def test_a_gable_roof_covers_the_footprint_with_two_slopes_and_closes_its_ends():
    b = building("gable")
    mesh = roof_mesh(b)
    projected, area = slopes(mesh)
    assert (projected > 0).all()  # every slope faces up
    assert projected.sum() == pytest.approx(240.0)
    assert area.sum() == pytest.approx(240.0 / math.cos(math.radians(35.0)))
    rise = 6.0 * math.tan(math.radians(35.0))
    assert volume_above_eaves(mesh, 15.0) == pytest.approx(0.5 * 12.0 * rise * 20.0)
    # the two gable ends: triangles 12 m wide, as high as the ridge, facing out of the ends
    ends = mesh.points[mesh.triangles[~mesh.is_roof]]
    end_area = np.linalg.norm(np.cross(ends[:, 1] - ends[:, 0], ends[:, 2] - ends[:, 0]), axis=1).sum() / 2
    assert end_area == pytest.approx(2 * 0.5 * 12.0 * rise)
    normals = np.cross(ends[:, 1] - ends[:, 0], ends[:, 2] - ends[:, 0])
    outward = ends.mean(axis=1)[:, :2] - np.mean(b.footprint, axis=0)
    assert ((normals[:, :2] * outward).sum(axis=1) > 0).all()
    assert np.allclose(normals[:, 2], 0.0, atol=1e-6)  # vertical


def test_a_hip_roof_has_four_slopes_and_no_gable():
    b = building("hip")
    mesh = roof_mesh(b)
    assert mesh.is_roof.all()
    projected, area = slopes(mesh)
    assert projected.sum() == pytest.approx(240.0)
    assert area.sum() == pytest.approx(240.0 / math.cos(math.radians(35.0)))
    w, half_l = 6.0, 10.0
    rise = w * math.tan(math.radians(35.0))
    # a ridge prism 2 (L − W) long and a pyramid on the 2W square left at its two ends
    assert volume_above_eaves(mesh, 15.0) == pytest.approx(w * rise * 2 * (half_l - w) + 4 * w * w * rise / 3)


@pytest.mark.parametrize("roof", ["gable", "hip"])
def test_an_l_shaped_footprint_gets_the_rectangle_roof_cut_to_it(roof):
    ring = ((0.0, 0.0), (24.0, 0.0), (24.0, 9.0), (9.0, 9.0), (9.0, 16.0), (0.0, 16.0))
    b = building(roof, footprint=tuple((X0 + x, Y0 + y) for x, y in ring))
    mesh = roof_mesh(b)
    projected, _ = slopes(mesh)
    assert projected.sum() == pytest.approx(b.footprint_area_m2)
    # the roof's volume is the integral of its height over the footprint (sampled on a fine grid)
    step = 0.05
    xs, ys = np.meshgrid(np.arange(step / 2, 24, step), np.arange(step / 2, 16, step))
    xy = np.column_stack([xs.ravel() + X0, ys.ravel() + Y0])
    inside = shapely.contains_xy(b.polygon, xy[:, 0], xy[:, 1])
    sampled = float((roof_height_at(b, xy[inside]) - 15.0).sum() * step * step)
    assert volume_above_eaves(mesh, 15.0) == pytest.approx(sampled, rel=2e-3)
    # the inner corner's walls rise from the eaves to the roof: the roof is closed
    assert (~mesh.is_roof).any()
    # the slope triangles' corners lie on the roof surface
    corners = mesh.points[np.unique(mesh.triangles[mesh.is_roof])]
    assert np.allclose(corners[:, 2], roof_height_at(b, corners[:, :2]), atol=1e-6)


def exact_shadow(b: PlannedBuilding, offset: np.ndarray) -> shapely.Polygon:
    """A convex building's shadow with its footprint: the hull of every corner cast on the ground."""
    mesh = roof_mesh(b)
    ground = np.column_stack([np.asarray(b.footprint), np.zeros(len(b.footprint))])
    corners = np.vstack([ground, mesh.points])
    return shapely.convex_hull(shapely.MultiPoint(corners[:, :2] + corners[:, 2:3] * offset))


def offset_for(elevation_deg: float, azimuth_deg: float) -> np.ndarray:
    """Shadow offset (m per m of height) for the sun at that elevation and azimuth (from north)."""
    a = math.radians(azimuth_deg)
    return -np.array([math.sin(a), math.cos(a)]) / math.tan(math.radians(elevation_deg))


@pytest.mark.parametrize("roof", ["gable", "hip"])
@pytest.mark.parametrize("sun", [(20.0, 135.0), (40.0, 200.0), (62.0, 250.0), (15.0, 240.0)])
def test_the_roof_slices_cast_the_roof_shadow(roof, sun):
    b = building(roof)
    offset = offset_for(*sun)
    exact = exact_shadow(b, offset)
    layer = PlanLayer(Variant("A", (b,)), L93)
    polygons, base, top = layer.shadow_prisms()
    assert len(polygons) > 1 and (base == 0).all() and top.max() == pytest.approx(ridge_height_m(b))
    # prism by prism, as layers.sun does it (a convex prism's shadow: hull of its foot and its top)
    cast = shapely.union_all(
        [
            shapely.convex_hull(shapely.union(p, shapely.affinity.translate(p, *(offset * t))))
            for p, t in zip(polygons, top)
        ]
    )
    assert cast.area == pytest.approx(exact.area, rel=0.03)
    assert shapely.symmetric_difference(cast, exact).area < 0.03 * exact.area
    flat = shapely.convex_hull(
        shapely.union(b.polygon, shapely.affinity.translate(b.polygon, *(offset * 15.0)))
    )
    if exact.area > flat.area * 1.05:  # a sun low along the ridge: the roof's shadow shows
        assert cast.area > flat.area * 1.04
    # the ground shadows' rasteriser (the view, the sunlight study) sees the same shadow
    grid = PixelGrid.covering(exact.buffer(5).bounds, 0.25)
    shade = RingTable.from_polygons(polygons, top, base).shade(offset, grid)
    assert shade.sum() * 0.25**2 == pytest.approx(exact.area, rel=0.03)


def test_slices_stay_inside_the_footprint_and_follow_the_pitch():
    b = building("gable", pitch=45.0)
    polygons, tops = roof_slices(b)
    assert len(polygons) == 6  # a 6 m rise in 1 m steps
    assert all(shapely.area(shapely.difference(p, b.polygon)) < 1e-6 for p in polygons)
    areas = [p.area for p in polygons]
    assert areas == sorted(areas, reverse=True) and tops == sorted(tops)
    assert roof_slices(building("flat")) == ([], [])


def test_the_plan_layer_mesh_has_walls_to_the_eaves_and_the_roofs_on_top():
    flat = building("flat")
    gable = PlannedBuilding("b2", tuple((x + 40.0, y) for x, y in turned_box()), 12.0, roof="gable")
    layer = PlanLayer(Variant("A", (flat, gable)), L93)
    mesh = layer.mesh()
    assert mesh.point_owner is not None and len(mesh.point_owner) == len(mesh.points)
    assert np.array_equal(mesh.point_owner[mesh.triangles[:, 0]], mesh.owner)
    tops = [mesh.points[mesh.triangles[mesh.owner == row]][:, :, 2].max() for row in (0, 1)]
    assert tops == pytest.approx([15.0, ridge_height_m(gable)])
    # the gable building's flat top at its eaves is gone: its roof triangles are the slopes
    roof_z = mesh.points[mesh.triangles[(mesh.owner == 1) & mesh.is_roof]][:, :, 2]
    assert roof_z.max() > 12.5
    projected = mesh.points[mesh.triangles[(mesh.owner == 1) & mesh.is_roof]]
    a, b, c = projected[:, 0], projected[:, 1], projected[:, 2]
    area = ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])) / 2
    assert area.sum() == pytest.approx(240.0)
    # a height change remakes the mesh, the roof rides on the new eaves
    from dataclasses import replace

    layer.show_variant(Variant("A", (flat, replace(gable, height_m=21.0))))
    assert layer.mesh().points[:, 2].max() == pytest.approx(ridge_height_m(gable) + 9.0)
