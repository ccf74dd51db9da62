"""Canopy: a height model as vegetation, every pixel accounted for, buildings taken out, prisms."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine

from layers.canopy.layer import BUILDING, GROUND, LOW, NODATA, ROOF, CanopyLayer, exclude_buildings
from layers.core.scene import Scene
from layers.core.style import StyleError


@pytest.fixture(scope="module")
def dhm_path(shared_data):
    return next((shared_data / "lidar_hd/montpellier_0770_6277").glob("DHM_*.tif"))


@pytest.fixture()
def dhm(dhm_path):
    return CanopyLayer.load(dhm_path)


def test_every_pixel_of_the_montpellier_tile_is_accounted_for(dhm, dhm_path):
    with rasterio.open(dhm_path) as ds:
        raw = ds.read(1, masked=True)
    stats = dhm.stats
    assert stats["features_in"] == 100 * 100
    assert stats["features"] + stats["dropped"] == stats["features_in"]
    reasons = stats["dropped_reasons"]
    assert reasons[NODATA] == int(raw.mask.sum())
    assert reasons[GROUND] == int(((raw < 0) & ~raw.mask).sum())  # surface − terrain noise: ground
    assert reasons[GROUND] + reasons[NODATA] == 17
    # the tall pixels are trees, or the flat roof in the middle of the tile (no footprints here)
    assert stats["features"] + reasons[ROOF] == int(((raw >= 2.0) & ~raw.mask).sum())
    assert 1000 < reasons[ROOF] < 2500
    assert reasons[LOW] == int(((raw >= 0) & (raw < 2.0) & ~raw.mask).sum())
    assert stats["canopy_area_m2"] == pytest.approx(stats["features"] * 0.25)


def test_min_height_is_a_style(dhm):
    before = dhm.stats["features"]
    dhm.update_style(min_height_m=5.0)
    assert dhm.stats["features"] < before
    assert dhm.stats["features"] + dhm.stats["dropped"] == 10_000
    with pytest.raises(StyleError):
        dhm.update_style(min_height_m=-1.0)


def test_prisms_cover_the_canopy_at_its_heights(dhm):
    polygons, base, top = dhm.shadow_prisms()
    area = shapely.area(polygons)
    assert area.sum() == pytest.approx(dhm.stats["canopy_area_m2"])  # the canopy, no more, no less
    mask = dhm.canopy_mask()
    heights = dhm.heights_m[mask]
    # the tops are the heights within a class (2 m): the mean height weighted by area agrees
    assert (area * top).sum() / area.sum() == pytest.approx(heights.mean(), abs=1.0)
    assert top.max() <= heights.max() + 1e-6 and top.min() >= 2.0
    np.testing.assert_allclose(base, 0.4 * top)
    assert len(polygons) < mask.sum() / 4  # polygons of classes, not pixel squares


def test_prisms_stay_within_their_budget(dhm):
    from layers.canopy.prisms import canopy_prisms

    grid = dhm.grid
    polygons, _, top = canopy_prisms(dhm.heights_m, dhm.canopy_mask(), grid.transform(), max_polygons=30)
    assert 0 < len(polygons) <= 30
    assert shapely.area(polygons).sum() >= dhm.stats["canopy_area_m2"] * 0.9


def test_one_tree_of_known_size(tmp_path):
    heights = np.zeros((20, 20), dtype=np.float32)
    heights[5:9, 5:9] = 10.0  # a 2 m × 2 m crown, 10 m high, on 0.5 m pixels
    path = tmp_path / "chm_tree.tif"
    with rasterio.open(
        path, "w", driver="GTiff", width=20, height=20, count=1, dtype="float32", crs="EPSG:2154",
        transform=Affine(0.5, 0, 1000.0, 0, -0.5, 2000.0), nodata=-9999.0,
    ) as ds:  # fmt: skip
        ds.write(heights, 1)
    layer = CanopyLayer.load(path)
    polygons, base, top = layer.shadow_prisms()
    assert len(polygons) == 1 and shapely.area(polygons[0]) == pytest.approx(4.0)
    assert top[0] == pytest.approx(10.0, abs=1.0) and base[0] == pytest.approx(0.4 * top[0])
    assert shapely.equals(polygons[0], shapely.box(1002.5, 1995.5, 1004.5, 1997.5))


def test_buildings_are_taken_out(dhm, tiny_building):
    dhm.update_style(roof_area_m2=0.0)  # every tall pixel a tree until the footprints say otherwise
    assert ROOF not in dhm.stats["dropped_reasons"]
    scene = Scene()
    scene.add(dhm)
    scene.add(tiny_building)
    before = dhm.stats["features"]
    exclude_buildings(scene)
    removed = dhm.stats["dropped_reasons"][BUILDING]
    assert removed > 0 and dhm.stats["features"] == before - removed
    assert dhm.stats["features"] + dhm.stats["dropped"] == 10_000
    exclude_buildings(scene)  # again: the same pixels, not twice
    assert dhm.stats["dropped_reasons"][BUILDING] == removed
    dhm.update_style(roof_area_m2=20.0)  # footprints known: no roof guessed
    assert ROOF not in dhm.stats["dropped_reasons"] and dhm.stats["dropped_reasons"][BUILDING] == removed
    polygons, _, _ = dhm.shadow_prisms()
    assert shapely.area(polygons).sum() == pytest.approx(dhm.stats["canopy_area_m2"])


@pytest.fixture()
def tiny_building():
    import geopandas as gpd

    from layers.buildings.layer import BuildingsLayer

    box = shapely.box(770570, 6277570, 770590, 6277590)
    frame = gpd.GeoDataFrame({"hauteur": [10.0]}, geometry=[box], crs="EPSG:2154")
    return BuildingsLayer("one building", frame, np.array([10.0]))


def test_a_flat_roof_is_not_a_tree_without_footprints(tmp_path):
    rng = np.random.default_rng(1)
    heights = np.zeros((60, 60), dtype=np.float32)
    heights[5:25, 5:35] = 6.0 + rng.normal(0, 0.02, (20, 30))  # a 10 m × 15 m roof, 6 m high
    heights[35:50, 35:50] = 8.0 + rng.uniform(-3, 3, (15, 15))  # a rough crown
    path = tmp_path / "dhm_roof.tif"
    with rasterio.open(
        path, "w", driver="GTiff", width=60, height=60, count=1, dtype="float32", crs="EPSG:2154",
        transform=Affine(0.5, 0, 1000.0, 0, -0.5, 2000.0), nodata=-9999.0,
    ) as ds:  # fmt: skip
        ds.write(heights, 1)
    layer = CanopyLayer.load(path)
    mask = layer.canopy_mask()
    assert not mask[5:25, 5:35].any() and layer.stats["dropped_reasons"][ROOF] == 600
    assert mask[35:50, 35:50].sum() == 225
    layer.update_style(roof_area_m2=0.0)
    assert layer.canopy_mask()[5:25, 5:35].all()


def test_the_crown_of_one_tree_shades_the_ground_beyond_its_trunk(tmp_path):
    from layers.sun.shadow import building_shadows

    heights = np.zeros((20, 20), dtype=np.float32)
    heights[5:9, 5:9] = 10.0  # a 2 m × 2 m crown, 10 m high
    path = tmp_path / "chm_tree.tif"
    with rasterio.open(
        path, "w", driver="GTiff", width=20, height=20, count=1, dtype="float32", crs="EPSG:2154",
        transform=Affine(0.5, 0, 1000.0, 0, -0.5, 2000.0), nodata=-9999.0,
    ) as ds:  # fmt: skip
        ds.write(heights, 1)
    polygons, base, top = CanopyLayer.load(path).shadow_prisms()
    # sun at 45° in the west: 1 m of shadow eastwards per metre of height
    (shadow,) = building_shadows(polygons, top, base, np.array([1.0, 0.0]))
    crown_bottom, crown_top = base[0], top[0]
    assert shadow.area == pytest.approx(2.0 * (2.0 + crown_top - crown_bottom), rel=1e-6)
    # light passes under the crown: the ground by the trunk is lit, the shadow starts 4 m away
    assert shadow.bounds[0] == pytest.approx(1002.5 + crown_bottom)
    assert shadow.bounds[2] == pytest.approx(1004.5 + crown_top)


def test_an_area_reads_only_its_window_of_the_canopy(dhm_path):
    from layers.core.area import Area

    area = Area.from_bbox((770549.75, 6277550.25, 770599.75, 6277575.25), "EPSG:2154")
    layer = CanopyLayer.load(dhm_path, area=area)
    assert layer.heights_m.shape == (50, 100) and layer.stats["features_in"] == 5000
    assert layer.stats["features"] + layer.stats["dropped"] == 5000
    assert "area" not in layer.options  # the project keeps its own area, not the layer


def test_a_study_without_a_view_takes_the_roofs_out_too(dhm, tiny_building):
    """maquette shade / sunlight gather the casters without drawing them: roofs still are not trees."""
    from layers.sun.casters import gather

    dhm.update_style(roof_area_m2=0.0)
    alone = gather([dhm])
    assert alone is not None
    canopy_alone = shapely.area(alone.polygons).sum()
    both = gather([dhm, tiny_building])
    assert both is not None
    canopy_beside = dhm.stats["canopy_area_m2"]
    assert dhm.stats["dropped_reasons"][BUILDING] > 0 and canopy_beside < canopy_alone
    assert both.counts[dhm.name] < alone.counts[dhm.name]
