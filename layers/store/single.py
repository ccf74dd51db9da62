"""Writing a whole store in one process from rows already in memory (no Dask).

For what fits in memory: a district's buildings, the tests' and benchmarks' synthetic regions, and
the single-process side of ``bench/prepare.py``. The files are those of ``maquette prepare``
(:mod:`layers.store.layout`): footprints (level 0), merged blocks (level 1) by runs of whole tiles,
the overview levels (:mod:`layers.store.overview`), ``index.parquet`` and ``store.json``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from layers.store import layout
from layers.store.grid import Grid
from layers.store.overview import OVERVIEW_LEVELS, cell_sums, overview_blocks, usage_totals

if TYPE_CHECKING:
    import geopandas as gpd


def keyed_rows(frame: gpd.GeoDataFrame, grid: Grid) -> gpd.GeoDataFrame:
    """``frame`` (geometry, ``height_m``, ``usage``, ``id``; store CRS) with each footprint's
    ``hilbert`` and ``tile`` keys (from its centroid), sorted along the curve then by id."""
    import shapely

    centre = shapely.centroid(np.asarray(frame.geometry.values))
    hilbert, tile = grid.keys(shapely.get_x(centre), shapely.get_y(centre))
    out = frame.copy()
    out["tile"], out["hilbert"] = tile, hilbert
    ids = out["id"].to_numpy(object).astype(str) if "id" in out else np.zeros(len(out), str)
    order = np.lexsort((ids, hilbert))
    return out.iloc[order].reset_index(drop=True)


def tile_runs(tiles: np.ndarray, rows_per_file: int) -> list[tuple[int, int]]:
    """(start, end) of runs of about ``rows_per_file`` rows of whole tiles (``tiles`` sorted)."""
    cuts = [0]
    while cuts[-1] < len(tiles):
        end = min(cuts[-1] + rows_per_file, len(tiles))
        while end < len(tiles) and tiles[end] == tiles[end - 1]:
            end += 1
        cuts.append(end)
    return list(zip(cuts[:-1], cuts[1:], strict=True))


def write_store(
    rows: gpd.GeoDataFrame,
    folder: Path,
    *,
    tile_size_m: float = 1000.0,
    rows_per_file: int = 250_000,
    sources: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Write the store of ``rows`` (geometry, ``height_m`` in metres, ``usage``, ``id``; a projected
    CRS in metres) into ``folder``; returns its ``store.json``. ``sources``: the per-source counts
    to record (by default one source, every row read and kept)."""
    import pandas as pd
    import shapely

    from layers.core.errors import InputError
    from layers.io.atomic import atomic_write_text
    from layers.store.lod import merged_blocks

    crs = rows.crs
    if crs is None:
        raise InputError(None, "rows without a CRS cannot make a store")
    crs_json = crs.to_json()
    geoms = np.asarray(rows.geometry.values)
    box = shapely.total_bounds(geoms)
    grid = Grid.covering(tuple(float(v) for v in box), tile_size_m)  # type: ignore[arg-type]
    frame = keyed_rows(rows, grid)
    index_rows: list[dict[str, Any]] = []
    sums = []
    tiles = frame["tile"].to_numpy(np.int64)
    for number, (start, end) in enumerate(tile_runs(tiles, rows_per_file)):
        chunk = frame.iloc[start:end]
        name = layout.part_name(number)
        for number_of_level, level_rows in ((0, chunk), (1, merged_blocks(chunk))):
            path = f"{layout.LEVEL_FOLDERS[number_of_level]}/{name}"
            index_rows += layout.write_tiles(folder / path, level_rows, crs_json, number_of_level, path)
        sums.append(cell_sums(chunk, grid))
    all_sums = pd.concat(sums, ignore_index=True)
    levels = []
    for level in OVERVIEW_LEVELS:
        path = f"{layout.LEVEL_FOLDERS[level.level]}/{layout.part_name(0)}"
        written = layout.write_tiles(
            folder / path, overview_blocks(all_sums, grid, level, crs), crs_json, level.level, path
        )
        index_rows += written
        levels.append(
            {
                "level": level.level,
                "path": layout.LEVEL_FOLDERS[level.level],
                "what": "built-up blocks",
                "cell_m": level.cell_m(grid),
                "tile_shift": level.shift(grid),
                "count": sum(int(str(r["count"])) for r in written),
                "tiles": len(written),
            }
        )
    layout.write_index(folder / layout.INDEX, index_rows)
    by_level = {lv: [r for r in index_rows if r["level"] == lv] for lv in (0, 1)}
    heights = frame["height_m"].to_numpy(np.float64)
    meta: dict[str, Any] = {
        "format": layout.FORMAT,
        "version": layout.VERSION,
        "crs": crs.to_wkt(),
        "epsg": crs.to_epsg(),
        "bounds": [float(v) for v in box],
        "tile_size_m": tile_size_m,
        "grid": grid.to_json(),
        "count": len(frame),
        "height_range_m": [float(heights.min()), float(heights.max())] if len(heights) else [0.0, 0.0],
        "sources": sources
        or [{"path": "in memory", "read": len(frame), "kept": len(frame), "dropped": {}, "repaired": 0}],
        "levels": [
            {
                "level": lv,
                "path": layout.LEVEL_FOLDERS[lv],
                "what": what,
                "count": sum(int(r["count"]) for r in by_level[lv]),
                "tiles": len(by_level[lv]),
            }
            for lv, what in ((0, "footprints"), (1, "merged blocks"))
        ]
        + levels,
        "usage_counts": usage_totals(all_sums),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "complete": True,
    }
    atomic_write_text(folder / layout.STORE_JSON, json.dumps(meta, indent=1, ensure_ascii=False))
    return meta
