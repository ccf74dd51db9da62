"""The overview levels of a store: built-up blocks per cell that keep the built area, the mean
height and the main usage, the same whatever the cut into runs, under their overview tile."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from layers.store.grid import Grid
from layers.store.overview import COVERAGE_POWER, OVERVIEW_LEVELS, cell_sums, overview_blocks
from layers.store.reader import open_store


def _frame(n: int = 3000, seed: int = 3):
    import geopandas as gpd

    rng = np.random.default_rng(seed)
    x = 350_000 + rng.uniform(0, 6000, n)
    y = 6_780_000 + rng.uniform(0, 3000, n)
    side = rng.uniform(6, 25, n)
    grid = Grid.covering((349_000, 6_779_000, 358_000, 6_786_000), 1000.0)
    frame = gpd.GeoDataFrame(
        {
            "height_m": rng.uniform(3, 40, n).astype(np.float32),
            "usage": rng.choice(np.array(["Residentiel", "Industriel", None], object), n, p=[0.6, 0.3, 0.1]),
        },
        geometry=gpd.GeoSeries(shapely.box(x, y, x + side, y + side)),
        crs="EPSG:2154",
    )
    hilbert, tile = grid.keys(x, y)
    frame["tile"], frame["hilbert"] = tile, hilbert
    return frame, grid


@pytest.mark.parametrize("level", OVERVIEW_LEVELS, ids=lambda level: f"level{level.level}")
def test_each_block_keeps_its_cells_built_area_mean_height_and_main_usage(level):
    frame, grid = _frame()
    blocks = overview_blocks(cell_sums(frame, grid), grid, level, frame.crs)
    cell = level.cell_m(grid)
    centre = shapely.centroid(np.asarray(frame.geometry.values))
    ix = np.floor((shapely.get_x(centre) - grid.origin[0]) / cell).astype(int)
    iy = np.floor((shapely.get_y(centre) - grid.origin[1]) / cell).astype(int)
    assert len(blocks) == len(set(zip(ix, iy, strict=True)))
    area = shapely.area(np.asarray(frame.geometry.values))
    got = shapely.area(np.asarray(blocks.geometry.values))
    per_cell = pd.Series(area).groupby([ix, iy]).sum().to_numpy()
    expected_side = cell * np.clip(per_cell / cell**2, 0, 1) ** COVERAGE_POWER
    assert got.sum() == pytest.approx((expected_side**2).sum(), rel=1e-6)
    assert got.min() >= per_cell.min() - 1e-6  # never smaller than what is built
    # one cell checked by hand: its block's height is the area-weighted mean, usage the largest
    key = (ix[0], iy[0])
    members = (ix == key[0]) & (iy == key[1])
    block_centre = shapely.centroid(np.asarray(blocks.geometry.values))
    bx = np.floor((shapely.get_x(block_centre) - grid.origin[0]) / cell).astype(int)
    by = np.floor((shapely.get_y(block_centre) - grid.origin[1]) / cell).astype(int)
    block = blocks[(bx == key[0]) & (by == key[1])]
    assert len(block) == 1
    mean = np.average(frame["height_m"].to_numpy()[members], weights=area[members])
    assert float(block["height_m"].iloc[0]) == pytest.approx(mean, rel=1e-4)
    by_usage = (
        pd.Series(area[members]).groupby(pd.Series(frame["usage"].to_numpy()[members]).fillna("")).sum()
    )
    main = by_usage.idxmax()
    assert block["usage"].iloc[0] == (main or None)
    share = min(area[members].sum() / cell**2, 1.0)
    assert shapely.area(block.geometry.iloc[0]) == pytest.approx((cell * share**COVERAGE_POWER) ** 2)
    # every block lies in its cell, and its overview tile is the prefix of its store tile
    boxes = shapely.bounds(np.asarray(blocks.geometry.values))
    x0 = grid.origin[0] + bx * cell
    y0 = grid.origin[1] + by * cell
    assert (boxes[:, 0] >= x0 - 1e-6).all() and (boxes[:, 2] <= x0 + cell + 1e-6).all()
    assert (boxes[:, 1] >= y0 - 1e-6).all() and (boxes[:, 3] <= y0 + cell + 1e-6).all()
    _, store_tile = grid.keys(shapely.get_x(block_centre), shapely.get_y(block_centre))
    assert (blocks["tile"].to_numpy() == store_tile >> level.shift(grid)).all()
    assert (np.diff(blocks["hilbert"].to_numpy().astype(np.float64)) >= 0).all()


def test_sums_of_two_runs_give_the_blocks_of_one():
    frame, grid = _frame()
    order = np.argsort(frame["hilbert"].to_numpy())
    frame = frame.iloc[order].reset_index(drop=True)
    half = len(frame) // 2
    whole = cell_sums(frame, grid)
    parts = pd.concat([cell_sums(frame.iloc[:half], grid), cell_sums(frame.iloc[half:], grid)])
    for level in OVERVIEW_LEVELS:
        one = overview_blocks(whole, grid, level, frame.crs)
        two = overview_blocks(parts, grid, level, frame.crs)
        assert len(one) == len(two)
        assert np.allclose(one["height_m"], two["height_m"], rtol=1e-5)
        assert shapely.equals_exact(
            np.asarray(one.geometry.values), np.asarray(two.geometry.values), 1e-6
        ).all()
        assert list(one["usage"]) == list(two["usage"])


def test_a_prepared_store_has_overview_levels_that_cover_its_footprints(prepared):
    store = open_store(prepared)
    levels = {entry["level"]: entry for entry in store.meta["levels"]}
    assert sorted(levels) == [0, 1, 2, 3]
    assert levels[2]["what"] == levels[3]["what"] == "built-up blocks"
    footprints = store.tiles(0)
    counts = [int(store.tiles(level)["count"].sum()) for level in range(4)]
    assert counts[0] == store.meta["count"] and counts[0] >= counts[1] > counts[2] > counts[3] > 0
    for level in (2, 3):
        index = store.tiles(level)
        assert index["count"].sum() == levels[level]["count"] and len(index) == levels[level]["tiles"]
        # each overview tile is the prefix of the store tiles under it
        parents = set((footprints["tile"].to_numpy() >> levels[level]["tile_shift"]).tolist())
        assert set(index["tile"].tolist()) <= parents
        blocks = store.read_tiles(index["tile"].tolist(), level)
        assert len(blocks) == index["count"].sum()
        assert (
            blocks["height_m"]
            .between(store.meta["height_range_m"][0] - 1e-3, store.meta["height_range_m"][1] + 1e-3)
            .all()
        )
    lod0 = store.read_tiles(footprints["tile"].tolist(), 0)
    built = shapely.area(np.asarray(lod0.geometry.values)).sum()
    for level in (2, 3):
        blocks = store.read_tiles(store.tiles(level)["tile"].tolist(), level)
        drawn = shapely.area(np.asarray(blocks.geometry.values)).sum()
        assert built < drawn <= len(blocks) * levels[level]["cell_m"] ** 2  # exaggerated, in their cells


def test_the_store_counts_its_buildings_by_usage(prepared):
    store = open_store(prepared)
    usage = store.read_tiles(store.tiles(0)["tile"].tolist(), 0)["usage"].dropna()
    expected = usage[usage != ""].value_counts()
    assert store.meta["usage_counts"] == {str(k): int(v) for k, v in expected.items()}
    assert list(store.meta["usage_counts"].values()) == sorted(expected.to_numpy(), reverse=True)
