"""The Hilbert curve and the tile grid of a store."""

from __future__ import annotations

import numpy as np
import pytest

from layers.store.grid import HILBERT_ORDER, Grid, hilbert_cell, hilbert_index


@pytest.mark.parametrize("order", [1, 2, 3, 6])
def test_the_curve_visits_every_cell_once_by_steps_to_a_neighbour(order):
    n = 1 << order
    d = np.arange(n * n, dtype=np.uint64)
    x, y = hilbert_cell(d, order)
    assert len({(int(a), int(b)) for a, b in zip(x, y, strict=True)}) == n * n
    np.testing.assert_array_equal(hilbert_index(x, y, order), d)
    steps = np.abs(np.diff(x.astype(np.int64))) + np.abs(np.diff(y.astype(np.int64)))
    assert (steps == 1).all()


def test_a_tile_key_is_the_prefix_of_its_points_keys():
    grid = Grid.covering((351_234.0, 6_788_765.0, 359_100.0, 6_791_000.0), 1000.0)
    assert grid.origin == (351_000.0, 6_788_000.0) and grid.level == 4  # 9 tiles wide: 16 per side
    rng = np.random.default_rng(1)
    x = rng.uniform(351_234.0, 359_100.0, 5000)
    y = rng.uniform(6_788_765.0, 6_791_000.0, 5000)
    hilbert, tile = grid.keys(x, y)
    assert hilbert.dtype == np.uint64 and tile.dtype == np.int64
    np.testing.assert_array_equal(
        tile, (hilbert >> np.uint64(2 * (HILBERT_ORDER - grid.level))).astype(np.int64)
    )
    cells = grid.tile_bounds(tile)
    assert ((x >= cells[:, 0]) & (x < cells[:, 2]) & (y >= cells[:, 1]) & (y < cells[:, 3])).all()
    order = np.argsort(hilbert)
    assert (np.diff(tile[order]) >= 0).all()  # sorted by key: sorted by tile


def test_a_point_on_the_far_edge_has_a_tile():
    grid = Grid.covering((0.0, 0.0, 4000.0, 1000.0), 1000.0)
    assert grid.side_m > 4000.0
    _, tile = grid.keys(np.array([4000.0]), np.array([1000.0]))
    cell = grid.tile_bounds(tile)[0]
    assert cell[0] <= 4000.0 < cell[2]


def test_a_single_tile_grid():
    grid = Grid.covering((10.0, 10.0, 20.0, 20.0), 1000.0)
    assert grid.level == 0
    _, tile = grid.keys(np.array([15.0]), np.array([15.0]))
    assert tile[0] == 0 and list(grid.tile_bounds(tile)[0]) == [0.0, 0.0, 1000.0, 1000.0]
    assert Grid.from_json(grid.to_json()) == grid
