"""Façade exposure: walls cut and oriented, party walls left out, levels read in front, shares by area."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from pyproj import CRS
from shapely.geometry import Polygon, box

from layers.buildings.layer import BuildingsLayer
from layers.core.scene import Scene
from layers.io.grid import Grid
from layers.noise.exposure import annotate, facade_exposure, wall_segments
from layers.noise.facade import link_facades
from layers.noise.layer import NoiseLayer

L93 = CRS.from_epsg(2154)
X0, Y0 = 351_000.0, 6_789_000.0


def buildings_of(polygons, heights) -> BuildingsLayer:
    frame = gpd.GeoDataFrame(
        {"id": [f"B{i}" for i in range(len(polygons))]}, geometry=list(polygons), crs=L93
    )
    return BuildingsLayer("b", frame, np.asarray(heights, float))


def gradient_noise(db_west: float, db_east: float) -> NoiseLayer:
    """A 1 m raster over 200 × 200 m whose level grows linearly from west to east."""
    cols = rows = 200
    values = np.tile(np.linspace(db_west, db_east, cols, dtype=np.float32), (rows, 1))
    return NoiseLayer("lden", Grid(values=values, x0=X0, y0=Y0 + rows, dx=1.0, dy=1.0, crs=L93))


def test_walls_are_cut_and_face_outwards():
    square = box(X0 + 10, Y0 + 10, X0 + 30, Y0 + 30)
    clockwise = Polygon(list(square.exterior.coords)[::-1])  # orientation of the file must not matter
    walls = wall_segments(np.array([clockwise]), np.array([12.0]), max_length_m=5.0)
    assert len(walls) == 16  # four 20 m walls in 5 m pieces
    assert np.allclose(walls.length_m, 5.0)
    centre = np.array([X0 + 20, Y0 + 20])
    outwards = ((walls.middle - centre) * walls.normal).sum(axis=1)
    assert (outwards > 0).all()
    assert np.allclose(walls.area_m2, 5.0 * 12.0)
    assert walls.exposed.all()


def test_courtyard_walls_face_the_courtyard():
    block = box(X0, Y0, X0 + 40, Y0 + 40).difference(box(X0 + 15, Y0 + 15, X0 + 25, Y0 + 25))
    walls = wall_segments(np.array([block]), np.array([9.0]), max_length_m=100.0)
    centre = np.array([X0 + 20, Y0 + 20])
    distance = np.abs(walls.middle - centre).max(axis=1)
    inner = distance < 6
    assert inner.sum() == 4 and (~inner).sum() == 4
    towards_centre = ((centre - walls.middle) * walls.normal).sum(axis=1)
    assert (towards_centre[inner] > 0).all()  # courtyard walls look into the courtyard
    assert (towards_centre[~inner] < 0).all()


def test_party_walls_between_terraced_houses_are_no_facade():
    left, right = box(X0, Y0, X0 + 10, Y0 + 10), box(X0 + 10, Y0, X0 + 20, Y0 + 10)
    walls = wall_segments(np.array([left, right]), np.array([8.0, 12.0]), max_length_m=100.0)
    shared = np.isclose(walls.middle[:, 0], X0 + 10)
    assert shared.sum() == 2
    assert not walls.exposed[shared].any()
    assert walls.exposed[~shared].all()


def test_share_above_the_limit_is_weighted_by_wall_area():
    # west walls at x = X0 + 20 read ~ 2 m further west, east walls 2 m further east
    noise = gradient_noise(50.0, 90.0)  # 0.2 dB per metre: 68 dB at x = X0 + 90
    quiet = box(X0 + 20, Y0 + 80, X0 + 40, Y0 + 100)
    straddling = box(X0 + 80, Y0 + 80, X0 + 100, Y0 + 100)
    loud = box(X0 + 150, Y0 + 80, X0 + 170, Y0 + 100)
    layer = buildings_of([quiet, straddling, loud], [10.0, 10.0, 30.0])
    exposure = facade_exposure(layer, noise)
    above, undecidable = exposure.shares_pct()
    assert above[0] == 0.0 and above[2] == 100.0
    # straddling: the east wall and the eastern half of the north / south walls are above 68
    assert 40.0 < above[1] < 60.0
    assert np.all(undecidable == 0.0)  # a raster decides every piece
    loudest = exposure.max_level_db()
    assert loudest[2] > loudest[1] > loudest[0]
    assert loudest[2] == pytest.approx(50 + 0.2 * (170 + 2 - 0.5), abs=1.5)
    summary = exposure.summary()
    assert summary["buildings_above"] == 2 and summary["limit_db"] == 68.0
    assert exposure.field_names()["above"] == "facade_lden_over_68_pct"


def test_isophone_bands_leave_the_straddling_band_undecided():
    zones = gpd.GeoDataFrame(
        {
            "db_low": [60.0, 65.0, 70.0],
            "db_high": [65.0, 70.0, np.nan],
            "label": ["60-65 dB(A)", "65-70 dB(A)", "> 70 dB(A)"],
        },
        geometry=[
            box(X0, Y0, X0 + 100, Y0 + 200),
            box(X0 + 100, Y0, X0 + 150, Y0 + 200),
            box(X0 + 150, Y0, X0 + 300, Y0 + 200),
        ],
        crs=L93,
    )
    noise = NoiseLayer("iso", bands=zones)
    layer = buildings_of(
        [box(X0 + 110, Y0 + 50, X0 + 140, Y0 + 80), box(X0 + 200, Y0 + 50, X0 + 230, Y0 + 80)], [10.0, 10.0]
    )
    exposure = facade_exposure(layer, noise)
    above, undecidable = exposure.shares_pct()
    assert above.tolist() == [0.0, 100.0]
    assert undecidable.tolist() == [100.0, 0.0]
    written = annotate(layer, exposure)
    assert written == ["facade_lden_max_db", "facade_lden_over_68_pct", "facade_lden_band_68_pct"]
    assert layer.frame["facade_lden_band_68_pct"].tolist() == [100.0, 0.0]


def test_ln_maps_use_62_and_the_limit_can_be_changed():
    noise = gradient_noise(50.0, 90.0)
    noise.indicator = "Ln"
    layer = buildings_of([box(X0 + 60, Y0 + 80, X0 + 70, Y0 + 90)], [10.0])
    assert facade_exposure(layer, noise).limit_db == 62.0
    assert facade_exposure(layer, noise, limit_db=55.0).shares_pct()[0][0] == 100.0
    noise.update_style(facade_limit_db=75.0)
    assert noise.facade_exposure(layer).limit_db == 75.0


def test_no_data_in_front_gives_no_share_not_zero():
    noise = gradient_noise(50.0, 90.0)
    far = buildings_of([box(X0 + 500, Y0 + 500, X0 + 520, Y0 + 520)], [10.0])
    above, _ = facade_exposure(far, noise).shares_pct()
    assert np.isnan(above[0])


def test_link_facades_annotates_buildings_of_the_scene():
    scene = Scene()
    layer = buildings_of([box(X0 + 150, Y0 + 80, X0 + 170, Y0 + 100)], [20.0])
    scene.add(layer)
    noise = gradient_noise(50.0, 90.0)
    scene.add(noise)
    assert link_facades(scene) == {}  # not asked
    noise.update_style(facades=True)
    done = link_facades(scene)
    assert list(done) == ["lden/b"]
    assert layer.frame["facade_lden_over_68_pct"].iloc[0] == 100.0
    assert "facade_lden_over_68_pct" in layer.color_fields()
    assert layer.attributes(0)["facade_lden_max_db"] > 68


def test_sample_city_facades(sample_city):
    from layers.core.reading import open_layer

    buildings = open_layer(sample_city / "buildings.gpkg", "buildings", height_field="hauteur")
    raster = open_layer(sample_city / "noise_lden.tif", "noise")
    bands = open_layer(sample_city / "noise_lden_isophones.gpkg", "noise")
    raster.reproject(buildings.crs)
    bands.reproject(buildings.crs)
    by_raster = raster.facade_exposure(buildings).summary()
    by_bands = bands.facade_exposure(buildings).summary()
    # terraced blocks: many party walls, every other façade has a level
    assert 0.3 < by_raster["party_walls"] / by_raster["walls"] < 0.6
    assert by_raster["buildings_with_data"] > 0.98 * len(buildings.frame)
    assert 5.0 < by_raster["share_above_pct"] < 25.0
    # the bands decide less (65-70 is undecidable) but never more than the raster says
    assert by_bands["share_above_pct"] <= by_raster["share_above_pct"]
    assert raster.facade_exposure(buildings) is raster.facade_exposure(buildings)  # cached
