"""Writing small prepared stores for tests and the benchmark, following the store format of
issue 20 (``store.json``, ``index.parquet``, ``buildings/lod0`` footprints, ``buildings/lod1``
merged blocks), without the preparation's pipeline: rows grouped by square tile, one row group
per tile, a Hilbert key per row."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from pyproj import CRS

LAMBERT_93 = 2154
#: a grid cell of the merged blocks (level 1), metres
BLOCK_M = 40.0


def synthetic_footprints(
    tiles_x: int, tiles_y: int, per_tile: int, *, tile_size_m: float = 500.0, seed: int = 0
) -> dict[str, np.ndarray]:
    """``per_tile`` rectangular footprints (8–20 m a side, 4–40 m high) in each of ``tiles_x`` ×
    ``tiles_y`` tiles of a Lambert-93 grid starting at (650 000, 6 860 000): columns ``xmin``,
    ``ymin``, ``xmax``, ``ymax``, ``height_m``, ``usage``, ``id``."""
    rng = np.random.default_rng(seed)
    n = tiles_x * tiles_y * per_tile
    tile = np.repeat(np.arange(tiles_x * tiles_y), per_tile)
    tx, ty = tile // tiles_y, tile % tiles_y
    x0, y0 = 650_000.0, 6_860_000.0
    # buildings on a street grid inside each tile, jittered, never crossing the tile's edge
    side = int(np.ceil(np.sqrt(per_tile)))
    slot = tile_size_m / side
    k = np.arange(n) % per_tile
    cx = x0 + tx * tile_size_m + (k // side + 0.5) * slot + rng.uniform(-0.1, 0.1, n) * slot
    cy = y0 + ty * tile_size_m + (k % side + 0.5) * slot + rng.uniform(-0.1, 0.1, n) * slot
    half = np.minimum(rng.uniform(4.0, 10.0, (2, n)), slot * 0.35)
    usage = np.array(["Résidentiel", "Commercial et services", "Industriel", None], dtype=object)
    return {
        "xmin": cx - half[0],
        "ymin": cy - half[1],
        "xmax": cx + half[0],
        "ymax": cy + half[1],
        "height_m": rng.uniform(4.0, 40.0, n).astype(np.float32),
        "usage": usage[rng.integers(0, 4, n)],
        "id": np.array([f"BATIMENT{i:010d}" for i in range(n)], dtype=object),
    }


def write_store(folder: Path, rows: dict[str, np.ndarray], *, tile_size_m: float = 500.0) -> Path:
    """Write the store of the box footprints ``rows`` (see :func:`synthetic_footprints`) into
    ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    crs = CRS.from_epsg(LAMBERT_93)
    cx = (rows["xmin"] + rows["xmax"]) / 2
    cy = (rows["ymin"] + rows["ymax"]) / 2
    origin = (
        float(rows["xmin"].min()) // tile_size_m * tile_size_m,
        float(rows["ymin"].min()) // tile_size_m * tile_size_m,
    )
    index_rows: list[dict[str, object]] = []
    lod0 = dict(rows)
    lod0["geometry"] = shapely.to_wkb(shapely.box(rows["xmin"], rows["ymin"], rows["xmax"], rows["ymax"]))
    _write_level(folder, 0, lod0, cx, cy, origin, tile_size_m, index_rows)
    blocks = _blocks(rows, cx, cy)
    bcx = (blocks["xmin"] + blocks["xmax"]) / 2
    bcy = (blocks["ymin"] + blocks["ymax"]) / 2
    _write_level(folder, 1, blocks, bcx, bcy, origin, tile_size_m * 2, index_rows)
    pq.write_table(pa.Table.from_pylist(index_rows), folder / "index.parquet")
    heights = rows["height_m"]
    meta = {
        "format": "maquette-store",
        "version": 1,
        "crs": crs.to_wkt(),
        "epsg": LAMBERT_93,
        "bounds": [
            float(rows[k].min() if k[1:] == "min" else rows[k].max())
            for k in ("xmin", "ymin", "xmax", "ymax")
        ],
        "tile_size_m": tile_size_m,
        "count": len(heights),
        "height_range_m": [float(heights.min()), float(heights.max())],
        "sources": [
            {"path": "synthetic", "read": len(heights), "kept": len(heights), "dropped": {}, "repaired": 0}
        ],
        "levels": [
            {"level": 0, "tile_size_m": tile_size_m, "content": "footprints"},
            {"level": 1, "tile_size_m": tile_size_m * 2, "content": "merged blocks"},
        ],
        "created": datetime.now(UTC).isoformat(),
        "complete": True,
    }
    (folder / "store.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def _blocks(rows: dict[str, np.ndarray], cx: np.ndarray, cy: np.ndarray) -> dict[str, np.ndarray]:
    """Merged blocks: the box around the footprints of each :data:`BLOCK_M` cell, at their mean
    height, with the cell's most frequent usage left out (null)."""
    frame = pd.DataFrame(
        {
            "cell_x": np.floor(cx / BLOCK_M).astype(np.int64),
            "cell_y": np.floor(cy / BLOCK_M).astype(np.int64),
            "xmin": rows["xmin"],
            "ymin": rows["ymin"],
            "xmax": rows["xmax"],
            "ymax": rows["ymax"],
            "height_m": rows["height_m"].astype(np.float64),
        }
    )
    grouped = frame.groupby(["cell_x", "cell_y"], sort=False).agg(
        xmin=("xmin", "min"),
        ymin=("ymin", "min"),
        xmax=("xmax", "max"),
        ymax=("ymax", "max"),
        height_m=("height_m", "mean"),
    )
    out = {k: grouped[k].to_numpy() for k in ("xmin", "ymin", "xmax", "ymax")}
    out["height_m"] = grouped["height_m"].to_numpy().astype(np.float32)
    out["usage"] = np.full(len(grouped), None, dtype=object)
    out["geometry"] = shapely.to_wkb(shapely.box(out["xmin"], out["ymin"], out["xmax"], out["ymax"]))
    return out


def _hilbert(x: np.ndarray, y: np.ndarray, order: int = 16) -> np.ndarray:
    """The Hilbert curve index of integer cells (x, y) in [0, 2**order)."""
    x, y = x.astype(np.uint64).copy(), y.astype(np.uint64).copy()
    d = np.zeros(len(x), np.uint64)
    s = np.uint64(1 << (order - 1))
    while s > 0:
        rx = ((x & s) > 0).astype(np.uint64)
        ry = ((y & s) > 0).astype(np.uint64)
        d += s * s * ((np.uint64(3) * rx) ^ ry)
        flip = ry == 0
        swap_x = np.where(flip & (rx == 1), s - np.uint64(1) - x, x)
        swap_y = np.where(flip & (rx == 1), s - np.uint64(1) - y, y)
        x, y = np.where(flip, swap_y, swap_x), np.where(flip, swap_x, swap_y)
        s = s >> np.uint64(1)
    return d


def _write_level(
    folder: Path,
    level: int,
    rows: dict[str, np.ndarray],
    cx: np.ndarray,
    cy: np.ndarray,
    origin: tuple[float, float],
    tile_size_m: float,
    index_rows: list[dict[str, object]],
) -> None:
    tx = np.floor((cx - origin[0]) / tile_size_m).astype(np.int64)
    ty = np.floor((cy - origin[1]) / tile_size_m).astype(np.int64)
    tile = tx * 100_000 + ty
    hilbert = _hilbert(((cx - origin[0]) / 4).astype(np.int64), ((cy - origin[1]) / 4).astype(np.int64))
    order = np.lexsort((hilbert, tile))
    columns = {
        "geometry": pa.array(rows["geometry"][order], pa.binary()),
        "bbox": pa.StructArray.from_arrays(
            [pa.array(rows[k][order], pa.float64()) for k in ("xmin", "ymin", "xmax", "ymax")],
            names=["xmin", "ymin", "xmax", "ymax"],
        ),
        "height_m": pa.array(rows["height_m"][order], pa.float32()),
        "usage": pa.array(rows["usage"][order], pa.string()),
    }
    if level == 0:
        columns["id"] = pa.array(rows["id"][order], pa.string())
    columns["tile"] = pa.array(tile[order], pa.int64())
    columns["hilbert"] = pa.array(hilbert[order], pa.uint64())
    table = pa.table(columns)
    geo = {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": ["Polygon"],
                "crs": CRS.from_epsg(LAMBERT_93).to_json_dict(),
                "covering": {"bbox": {k: ["bbox", k] for k in ("xmin", "ymin", "xmax", "ymax")}},
            }
        },
    }
    table = table.replace_schema_metadata({"geo": json.dumps(geo)})
    relative = f"buildings/lod{level}/part-0.parquet"
    (folder / relative).parent.mkdir(parents=True, exist_ok=True)
    sorted_tiles = tile[order]
    keys, starts = np.unique(sorted_tiles, return_index=True)
    stops = np.r_[starts[1:], len(sorted_tiles)]
    with pq.ParquetWriter(folder / relative, table.schema) as writer:
        for group, (key, start, stop) in enumerate(zip(keys, starts, stops, strict=True)):
            writer.write_table(
                table.slice(int(start), int(stop - start)), row_group_size=int(stop - start) + 1
            )
            part = {k: rows[k][order][start:stop] for k in ("xmin", "ymin", "xmax", "ymax", "height_m")}
            index_rows.append(
                {
                    "level": level,
                    "tile": int(key),
                    "xmin": float(part["xmin"].min()),
                    "ymin": float(part["ymin"].min()),
                    "xmax": float(part["xmax"].max()),
                    "ymax": float(part["ymax"].max()),
                    "count": int(stop - start),
                    "height_min_m": float(part["height_m"].min()),
                    "height_max_m": float(part["height_m"].max()),
                    "file": relative,
                    "row_groups": [group],
                }
            )
