"""Synthetic prepared stores for tests and the benchmark: regular footprints written by the store's
single-process writer (:mod:`layers.store.single`), the files ``maquette prepare`` writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely

LAMBERT_93 = 2154


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
    ``folder`` with the store's own single-process writer; returns it."""
    import geopandas as gpd

    from layers.store.single import write_store as write_whole_store

    frame = gpd.GeoDataFrame(
        {"height_m": rows["height_m"], "usage": rows["usage"], "id": rows["id"]},
        geometry=gpd.GeoSeries(shapely.box(rows["xmin"], rows["ymin"], rows["xmax"], rows["ymax"])),
        crs=f"EPSG:{LAMBERT_93}",
    )
    folder.mkdir(parents=True, exist_ok=True)
    write_whole_store(
        frame,
        folder,
        tile_size_m=tile_size_m,
        sources=[{"path": "synthetic", "read": len(frame), "kept": len(frame), "dropped": {}, "repaired": 0}],
    )
    return folder
