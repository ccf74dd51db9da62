"""The figures engine: incremental = from scratch, = the sunlight study, and hand-checked cases."""

from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import CRS

from layers.buildings.layer import BuildingsLayer
from layers.core.scene import Scene
from layers.io.grid import Grid
from layers.noise.layer import NoiseLayer
from layers.plan import edits
from layers.plan.effects import PlanEffects
from layers.plan.model import BuildingRef, Plan
from layers.sun.position import SunSite
from layers.sun.shadow_map import Footprints
from layers.sun.shadow_raster import PixelGrid, RingTable
from layers.sunlight.hours import sunlight_change, sunlight_hours

L93 = CRS.from_epsg(2154)
X0, Y0 = 351_000.0, 6_789_000.0  # Rennes, Lambert-93 metres
DAY = date(2026, 3, 21)
TZ = "Europe/Paris"


def box(x: float, y: float, w: float, d: float) -> list[tuple[float, float]]:
    return [(x, y), (x + w, y), (x + w, y + d), (x, y + d)]


def city_layer(n_side: int = 6, seed: int = 1, name: str = "Bâtiments") -> BuildingsLayer:
    """A block of ``n_side²`` boxes 30 m apart, 6 to 21 m high, around (X0, Y0)."""
    rng = np.random.default_rng(seed)
    polygons, heights, names = [], [], []
    for i in range(n_side):
        for j in range(n_side):
            x = X0 - 90 + 30 * i + rng.uniform(-2, 2)
            y = Y0 - 90 + 30 * j + rng.uniform(-2, 2)
            polygons.append(shapely.Polygon(box(x, y, rng.uniform(10, 18), rng.uniform(10, 18))))
            heights.append(rng.uniform(6, 21))
            names.append(f"Immeuble {i}-{j}")
    frame = gpd.GeoDataFrame({"nom": names}, geometry=gpd.GeoSeries(polygons, crs=L93), crs=L93)
    return BuildingsLayer(name, frame, np.array(heights), crs=L93)


def scene_of(*layers) -> Scene:
    scene = Scene(crs=L93, timezone=TZ)
    for layer in layers:
        scene.add(layer)
    return scene


def footprints_of(polygons, heights, metric=None) -> Footprints:
    polygons = np.asarray(polygons, dtype=object)
    return Footprints.from_arrays(
        polygons, np.asarray(heights, float), np.zeros(len(polygons)), L93, TZ, metric=metric
    )


def same_figures(a, b) -> None:
    assert a.ground_loss_m2 == pytest.approx(b.ground_loss_m2, rel=1e-9, abs=1e-9)
    assert a.facade_loss_m2 == pytest.approx(b.facade_loss_m2, rel=1e-9, abs=1e-9)
    assert [(n.layer, n.feature) for n in a.neighbours] == [(n.layer, n.feature) for n in b.neighbours]
    for x, y in zip(a.neighbours, b.neighbours):
        assert x.facade_loss_m2 == pytest.approx(y.facade_loss_m2) and x.hours_lost_max == y.hours_lost_max


def test_incremental_figures_equal_a_fresh_engine_on_random_edits():
    layer = city_layer()
    scene = scene_of(layer)
    engine = PlanEffects.for_scene(scene, DAY, step_min=30.0)
    rng = np.random.default_rng(17)
    plan, first = edits.add_building(Plan(crs="EPSG:2154"), box(X0 + 5, Y0 + 5, 14, 10))
    plan = edits.set_height(plan, first, 30.0)
    idents = [first]
    seen_loss = False
    for step in range(8):
        action = ["add", "move", "height", "demolish", "height", "move", "remove", "height"][step]
        target = idents[int(rng.integers(len(idents)))]
        if action == "add":
            plan, ident = edits.add_building(plan, box(X0 - 40 + rng.uniform(-5, 5), Y0 + 35, 12, 9))
            plan = edits.set_height(plan, ident, float(rng.uniform(12, 40)))
            idents.append(ident)
        elif action == "move":
            plan = edits.move_building(plan, target, float(rng.uniform(-6, 6)), float(rng.uniform(-6, 6)))
        elif action == "height":
            plan = edits.set_height(plan, target, float(rng.uniform(9, 45)))
        elif action == "demolish":
            plan = edits.set_demolished(plan, [BuildingRef("Bâtiments", int(f)) for f in rng.choice(36, 3)])
        elif action == "remove" and len(idents) > 1:
            plan = edits.remove_building(plan, idents.pop())
        kept = engine.figures(plan.variant)
        fresh = PlanEffects.for_scene(scene, DAY, step_min=30.0).figures(plan.variant)
        same_figures(kept, fresh)
        seen_loss |= kept.ground_loss_m2[1] > 0 and kept.facade_loss_m2[1] > 0
    assert seen_loss
    assert engine.figures(plan.variant).seconds == 0.0  # nothing changed: nothing recomputed


def test_ground_loss_is_the_sunlight_study_on_the_same_pixels():
    layer = city_layer(seed=3)
    scene = scene_of(layer)
    plan, ident = edits.add_building(Plan(crs="EPSG:2154"), box(X0 + 3, Y0 - 4, 16, 12))
    plan = edits.set_height(plan, ident, 36.0)
    engine = PlanEffects.for_scene(scene, DAY, step_min=20.0)
    figures = engine.figures(plan.variant)
    existing = footprints_of(layer.frame.geometry.values, layer.height_m)
    project = footprints_of([plan.variant.buildings[0].polygon], [36.0], metric=existing.crs)
    study = sunlight_change(existing, project, DAY, step_min=20.0, resolution_m=1.0)
    assert figures.ground_loss_m2[1] > 100
    assert figures.ground_loss_m2 == pytest.approx(
        {1: study.area_loss_m2[1.0], 2: study.area_loss_m2[2.0]}, rel=1e-9
    )


def test_a_demolition_in_the_after_state_matches_two_plain_sunlight_studies():
    layer = city_layer(seed=5)
    scene = scene_of(layer)
    plan, ident = edits.add_building(Plan(crs="EPSG:2154"), box(X0 + 3, Y0 - 4, 16, 12))
    plan = edits.set_height(plan, ident, 30.0)
    gone = [14, 15, 20]
    plan = edits.set_demolished(plan, [BuildingRef("Bâtiments", f) for f in gone])
    engine = PlanEffects.for_scene(scene, DAY, step_min=20.0)
    figures = engine.figures(plan.variant)
    polygons = np.asarray(layer.frame.geometry.values)
    existing = footprints_of(polygons, layer.height_m)
    project = footprints_of([plan.variant.buildings[0].polygon], [30.0], metric=existing.crs)
    bounds = engine.study_bounds(project)
    standing = np.ones(len(polygons), bool)
    standing[gone] = False
    after_polygons = np.concatenate([polygons[standing], project.polygons])
    after_heights = np.concatenate([layer.height_m[standing], [30.0]])
    before = sunlight_hours(existing, DAY, step_min=20.0, resolution_m=1.0, bounds=bounds)
    after = sunlight_hours(
        Footprints(after_polygons, after_heights, np.zeros(len(after_polygons)), L93, L93, existing.site),
        DAY,
        step_min=20.0,
        resolution_m=1.0,
        bounds=bounds,
    )
    with np.errstate(invalid="ignore"):
        difference = after.hours - before.hours
        expected = {
            h: float(np.count_nonzero(difference <= -h + 1e-6)) / existing.site.scale_factor**2
            for h in (1, 2)
        }
    assert figures.ground_loss_m2[1] > 100
    assert figures.ground_loss_m2[1] == pytest.approx(expected[1], rel=0.01)
    assert figures.ground_loss_m2[2] == pytest.approx(expected[2], rel=0.01)
    without = PlanEffects.for_scene(scene, DAY, step_min=20.0).figures(
        edits.set_demolished(plan, [], False).variant
    )
    assert without.ground_loss_m2[1] >= figures.ground_loss_m2[1]


def test_a_box_shadow_has_the_hand_computed_area_and_length():
    # 20 m × 12 m, 24 m high, at Rennes, 21 March 2026 at 15:00 local time
    site = SunSite(L93, X0, Y0, TZ)
    sun = site.position(datetime(2026, 3, 21, 15, 0, tzinfo=ZoneInfo(TZ)))
    assert 25 < sun.elevation_deg < 40
    w, d, h = 20.0, 12.0, 24.0
    offset = site.shadow_offset(sun)
    length = h * site.scale_factor / math.tan(math.radians(sun.elevation_deg))  # the hand formula
    bearing = math.radians(sun.azimuth_deg + site.convergence_deg)
    lx, ly = abs(length * math.sin(bearing)), abs(length * math.cos(bearing))
    hand_area = w * ly + d * lx  # the rectangle swept along the shadow, less its footprint
    table = RingTable.from_polygons(
        np.array([shapely.Polygon(box(X0, Y0, w, d))]), np.array([h]), np.zeros(1)
    )
    grid = PixelGrid.covering((X0 - 60, Y0 - 60, X0 + 80, Y0 + 70), 0.1)
    shade = table.shade(offset, grid, np.ones(1, bool)) & ~table.ground_mask(grid)
    assert np.count_nonzero(shade) * 0.01 == pytest.approx(hand_area, rel=0.01)
    rows, cols = np.nonzero(shade)
    xy = np.column_stack([grid.x0 + (cols + 0.5) * 0.1, grid.y0 - (rows + 0.5) * 0.1])
    unit = offset / np.hypot(*offset)
    corners = np.array(box(X0, Y0, w, d))
    reach = (xy @ unit).max() - (corners @ unit).max()
    assert reach == pytest.approx(length, rel=0.01)


def test_a_neighbour_north_of_a_tower_loses_facade_sun_one_south_does_not():
    north = shapely.Polygon(box(X0, Y0 + 45, 20, 10))
    south = shapely.Polygon(box(X0, Y0 - 35, 20, 10))
    frame = gpd.GeoDataFrame(
        {"nom": ["Nord", "Sud"]}, geometry=gpd.GeoSeries([north, south], crs=L93), crs=L93
    )
    scene = scene_of(BuildingsLayer("Bâtiments", frame, np.array([12.0, 12.0]), crs=L93))
    plan, ident = edits.add_building(Plan(crs="EPSG:2154"), box(X0, Y0, 20, 12))
    plan = edits.set_storeys(plan, ident, 16)
    figures = PlanEffects.for_scene(scene, DAY).figures(plan.variant)
    assert [n.label for n in figures.neighbours] == ["Nord"]
    assert figures.neighbours[0].hours_lost_max >= 1.5
    assert figures.facade_loss_m2[1] >= figures.neighbours[0].facade_loss_m2[1] > 50


def test_facade_rays_agree_with_the_clipped_ground_shadow():
    """The ray test of the façade points, against the brief's formula: P + z·s outside the ground
    shadow of the prisms clipped to [max(base, z), top], with shapely polygons one by one."""
    from layers.plan.facades import blocking_pairs, facade_points
    from layers.sun.shadow import building_shadows

    layer = city_layer(n_side=4, seed=9)
    polygons = np.asarray(layer.frame.geometry.values)
    tree = shapely.STRtree(polygons)
    points = facade_points(polygons, layer.base_m, layer.height_m, np.arange(len(polygons)), tree)
    site = SunSite(L93, X0, Y0, TZ)
    offset = site.shadow_offset(site.position(datetime(2026, 3, 21, 17, 0, tzinfo=ZoneInfo(TZ))))
    offsets = np.broadcast_to(offset, (len(points), 2))
    ray, _ = blocking_pairs(points.xy, points.z_m, offsets, polygons, layer.base_m, layer.height_m, tree)
    blocked = np.zeros(len(points), bool)
    blocked[ray] = True
    rng = np.random.default_rng(0)
    for i in rng.choice(len(points), 150, replace=False):
        z = points.z_m[i]
        base = np.maximum(layer.base_m, z)
        shadows = building_shadows(polygons, layer.height_m, base, offset)
        ground = shapely.Point(points.xy[i] + z * offset)
        inside = any(shapely.intersects(s, ground) for s in shadows if not s.is_empty)
        assert inside == blocked[i], i


def test_floor_area_of_eight_storeys_on_a_20_by_12_box():
    plan, ident = edits.add_building(Plan(crs="EPSG:2154"), box(X0, Y0, 20, 12))
    plan = edits.set_storeys(plan, ident, 8)
    figures = PlanEffects.for_scene(scene_of(city_layer(n_side=2)), DAY).figures(plan.variant)
    assert figures.floor_area_m2 == pytest.approx(1920.0)
    assert figures.footprint_area_m2 == pytest.approx(240.0)
    assert (figures.top_m, figures.storeys_max, figures.buildings) == (24.0, 8, 1)
    assert figures.seconds > 0


def test_the_noise_figure_appears_only_with_a_noise_layer():
    plan, ident = edits.add_building(Plan(crs="EPSG:2154"), box(X0, Y0, 20, 12))
    plan = edits.set_storeys(plan, ident, 5)
    assert PlanEffects.for_scene(scene_of(city_layer(n_side=2)), DAY).figures(plan.variant).noise is None
    yy, xx = np.mgrid[0:100, 0:100]
    levels = (40.0 + 0.5 * xx).astype(np.float32)  # louder to the east: 65 dB at the west wall, 70 east
    noise = NoiseLayer("Bruit Lden", Grid(values=levels, x0=X0 - 100, y0=Y0 + 100, dx=2.0, dy=2.0, crs=L93))
    figures = PlanEffects.for_scene(scene_of(city_layer(n_side=2), noise), DAY).figures(plan.variant)
    assert figures.noise is not None
    assert figures.noise.indicator == "Lden" and figures.noise.threshold_db == 68.0
    assert 64 < figures.noise.mean_db < figures.noise.max_db < 72
    assert 0 < figures.noise.exposed_m2 < 2 * (20 + 12) * 15
    assert any("Bruit" in label or "noise" in label for label, _ in figures.rows("en"))
