"""The store's overview levels: built-up blocks for views of a whole region or country.

Level 1 (merged blocks, :mod:`layers.store.lod`) keeps about one shape per building where buildings
stand apart, so a view of a country at level 1 would still draw millions of shapes. Levels 2 and 3
summarise the footprints on a grid of cells instead:

* level 2: cells of a quarter of a tile (250 m for 1 km tiles), grouped in tiles of 8 × 8 store
  tiles (8 km);
* level 3: cells of 2 tiles (2 km), grouped in tiles of 64 × 64 store tiles (64 km).

Each cell holding buildings becomes one block: a square whose side grows with the share of the
cell that is built (:data:`COVERAGE_POWER`: exaggerated, as a map's symbols are, so that towns read
from afar and denser places look bigger), centred on the buildings' area-weighted centroid and kept
inside the cell, as high as their area-weighted mean height, with the usage covering the largest
area. A view of a whole country then draws at most one block per 2 km cell.

The sums are exact whatever the cut into runs: each run of tiles (a Dask task of stage two) writes
its partial sums per cell and usage (:func:`cell_sums`), and the driver adds them up
(:func:`overview_blocks`). Vectorised: one groupby per level, no loop over buildings or cells.
Overview tile keys are prefixes of the store tiles' Hilbert keys (``tile >> shift``), so an
overview tile is exactly the 8 × 8 (or 64 × 64) store tiles under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    from pyproj import CRS

    from layers.store.grid import Grid


@dataclass(frozen=True)
class OverviewLevel:
    """One overview level: its number, its cell side and its tile side, in store tiles."""

    level: int
    #: cell side as a fraction (or multiple) of the store's tile size
    cell_tiles: float
    #: overview tile side, in store tiles per side (a power of 2)
    tile_tiles: int

    def shift(self, grid: Grid) -> int:
        """Bits to drop from a store tile key for this level's tile key (capped by the grid)."""
        return min(2 * int(np.log2(self.tile_tiles)), 2 * grid.level)

    def cell_m(self, grid: Grid) -> float:
        return self.cell_tiles * grid.tile_size_m


OVERVIEW_LEVELS = (OverviewLevel(2, 0.25, 8), OverviewLevel(3, 2.0, 64))
SUM_COLUMNS = ("count", "area", "area_h", "area_x", "area_y", "h_max")
#: a block's side is its cell's times the built share of the cell to this power: a fourth root
#: keeps towns readable from afar (a town centre built at 15 % gets 62 % of the side, a hamlet at
#: 0.1 % still 18 %), where the square of the built area itself (a power of 1/2) would be a speck
COVERAGE_POWER = 0.25


def cell_sums(frame: gpd.GeoDataFrame, grid: Grid) -> pd.DataFrame:
    """Partial sums of store rows ``frame`` per overview level, cell and usage: ``level``, ``ix``,
    ``iy`` (cell column and row from the grid's origin), ``usage`` ("" when unknown) and
    :data:`SUM_COLUMNS` (area m², area × height, area × x, area × y in store CRS metres, highest
    height m)."""
    import pandas as pd
    import shapely

    geoms = np.asarray(frame.geometry.values)
    centre = shapely.centroid(geoms)
    x, y = shapely.get_x(centre), shapely.get_y(centre)
    area = shapely.area(geoms)
    height = frame["height_m"].to_numpy(np.float64)
    usage = pd.Series(frame["usage"].to_numpy(object)).fillna("").astype(str).to_numpy()
    parts = []
    for level in OVERVIEW_LEVELS:
        cell = level.cell_m(grid)
        table = pd.DataFrame(
            {
                "level": np.full(len(geoms), level.level, np.int8),
                "ix": np.floor((x - grid.origin[0]) / cell).astype(np.int64),
                "iy": np.floor((y - grid.origin[1]) / cell).astype(np.int64),
                "usage": usage,
                "count": np.ones(len(geoms), np.int64),
                "area": area,
                "area_h": area * height,
                "area_x": area * x,
                "area_y": area * y,
                "h_max": height,
            }
        )
        parts.append(_add_up(table, ["level", "ix", "iy", "usage"]))
    return pd.concat(parts, ignore_index=True)


def _add_up(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    sums = {name: "sum" for name in SUM_COLUMNS if name != "h_max"} | {"h_max": "max"}
    return table.groupby(keys, sort=False, as_index=False).agg(sums)


def overview_blocks(sums: pd.DataFrame, grid: Grid, level: OverviewLevel, crs: CRS) -> gpd.GeoDataFrame:
    """The blocks of ``level`` from the partial sums of every run (:func:`cell_sums`, concatenated):
    store rows (geometry, ``height_m``, ``usage``, ``tile``, ``hilbert``) sorted by ``hilbert``."""
    import geopandas as gpd
    import shapely

    rows = sums[sums["level"] == level.level]
    by_usage = _add_up(rows, ["ix", "iy", "usage"])
    cells = _add_up(by_usage, ["ix", "iy"])
    main = by_usage.sort_values("area", ascending=False, kind="stable").drop_duplicates(["ix", "iy"])
    cells = cells.merge(main[["ix", "iy", "usage"]], on=["ix", "iy"], how="left")
    cell = level.cell_m(grid)
    area = cells["area"].to_numpy(np.float64)
    side = cell * np.clip(area / (cell * cell), 0.0, 1.0) ** COVERAGE_POWER
    weight = np.maximum(area, 1e-12)
    x0 = grid.origin[0] + cells["ix"].to_numpy(np.float64) * cell
    y0 = grid.origin[1] + cells["iy"].to_numpy(np.float64) * cell
    # the centroid of the buildings, moved so that the square stays inside its cell
    cx = np.clip(cells["area_x"].to_numpy() / weight, x0 + side / 2, x0 + cell - side / 2)
    cy = np.clip(cells["area_y"].to_numpy() / weight, y0 + side / 2, y0 + cell - side / 2)
    geometry = shapely.box(cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)
    hilbert, tile = grid.keys(cx, cy)
    usage = cells["usage"].to_numpy(object)
    usage[usage == ""] = None
    frame = gpd.GeoDataFrame(
        {
            "height_m": (cells["area_h"].to_numpy() / weight).astype(np.float32),
            "usage": usage,
            "tile": tile >> level.shift(grid),
            "hilbert": hilbert,
        },
        geometry=gpd.GeoSeries(geometry, crs=crs),
    )
    order = np.argsort(hilbert, kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def usage_totals(sums: pd.DataFrame) -> dict[str, int]:
    """``{usage: buildings}`` of the whole store from the partial sums (:func:`cell_sums` of every
    run), most frequent first; buildings without a usage are not counted (``store.json``'s
    ``usage_counts``: a legend or a filter over the whole store without reading it)."""
    level = sums[(sums["level"] == OVERVIEW_LEVELS[0].level) & (sums["usage"] != "")]
    totals = level.groupby("usage")["count"].sum()
    pairs = sorted(((str(k), int(v)) for k, v in totals.items()), key=lambda kv: (-kv[1], kv[0]))
    return dict(pairs)
