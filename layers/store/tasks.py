"""What the Dask workers run: one source partition into store rows (stage one), one run of tiles
into the final files (stage two). Each task writes its files under temporary names, renames them,
then writes its marker (a small JSON) last: a partition with a marker is finished, kept by a rerun.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from layers.store import layout

if TYPE_CHECKING:
    import geopandas as gpd

    from layers.store.grid import Grid
    from layers.store.sources import Partition, Source


def stage_one_paths(store: Path, part: Partition) -> tuple[Path, Path]:
    """The rows file and the marker of a source partition."""
    folder = store / layout.WORK / "stage1"
    return folder / f"{part.key}.parquet", folder / f"{part.key}.json"


def stage_two_paths(store: Path, number: int) -> tuple[Path, Path, Path]:
    """The LOD0 file, the LOD1 file and the marker of an output partition."""
    name = layout.part_name(number)
    return (
        store / layout.LEVEL_FOLDERS[0] / name,
        store / layout.LEVEL_FOLDERS[1] / name,
        store / layout.WORK / "stage2" / f"{Path(name).stem}.json",
    )


def overview_sums_path(store: Path, number: int) -> Path:
    """The partial sums per overview cell of an output partition (:mod:`layers.store.overview`)."""
    return store / layout.WORK / "stage2" / f"{Path(layout.part_name(number)).stem}.overview.parquet"


def stage_one(
    frame: gpd.GeoDataFrame | None,
    source: Source,
    part: Partition,
    store: Path,
    store_crs: str,
    crs_json: str,
    grid: Grid,
) -> dict[str, object]:
    """Turn one partition (read here when ``frame`` is ``None``) into store rows, written to its
    stage-one file; returns its statistics (:class:`~layers.store.footprints.PartStats` as JSON)."""
    from layers.io.atomic import atomic_write_text
    from layers.store.footprints import store_rows
    from layers.store.sources import read_gdal_rows, read_parquet_rows

    if frame is None:
        frame = read_parquet_rows(source, part) if source.parquet else read_gdal_rows(source, part)
    rows, stats = store_rows(frame, source, store_crs, grid)
    data, marker = stage_one_paths(store, part)
    data.parent.mkdir(parents=True, exist_ok=True)
    layout.write_rows(data, rows, crs_json)
    out = stats.to_json()
    atomic_write_text(marker, json.dumps(out))
    return out


def read_rows(files: list[Path], first_tile: int, last_tile: int) -> gpd.GeoDataFrame:
    """The rows of tiles ``first_tile`` to ``last_tile`` (included) of stage-one files (only their
    row groups that may hold them are read), sorted by Hilbert key then identifier."""
    import geopandas as gpd
    import pyarrow as pa
    import pyarrow.dataset as ds
    import shapely

    dataset = ds.dataset([str(f) for f in files], format="parquet")
    wanted = (ds.field("tile") >= first_tile) & (ds.field("tile") <= last_tile)
    table = dataset.to_table(
        columns=["geometry", "height_m", "usage", "id", "tile", "hilbert"], filter=wanted
    )
    if table.num_rows == 0:
        table = pa.table({name: table.column(name) for name in table.column_names})
    hilbert = table.column("hilbert").to_numpy()
    ids = table.column("id").to_numpy(zero_copy_only=False)
    order = np.lexsort((ids.astype(str), hilbert))
    frame = gpd.GeoDataFrame(
        {
            "height_m": table.column("height_m").to_numpy()[order],
            "usage": table.column("usage").to_numpy(zero_copy_only=False)[order],
            "id": ids[order],
            "tile": table.column("tile").to_numpy()[order],
            "hilbert": hilbert[order],
        },
        geometry=gpd.GeoSeries(
            shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False)[order])
        ),
    )
    return frame


def stage_two(
    number: int,
    first_tile: int,
    last_tile: int,
    files: list[Path],
    store: Path,
    crs_json: str,
    grid: Grid,
) -> list[dict[str, object]]:
    """Write output partition ``number``: the footprints of tiles ``first_tile`` to ``last_tile``
    (LOD0), their merged blocks (LOD1) and their partial sums per overview cell; returns their
    index rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from layers.io.atomic import atomic_write_text, replacing
    from layers.store.lod import merged_blocks
    from layers.store.overview import cell_sums

    frame = read_rows(files, first_tile, last_tile)
    lod0, lod1, marker = stage_two_paths(store, number)
    rows = layout.write_tiles(lod0, frame, crs_json, 0, f"{layout.LEVEL_FOLDERS[0]}/{lod0.name}")
    blocks = merged_blocks(frame)
    rows += layout.write_tiles(lod1, blocks, crs_json, 1, f"{layout.LEVEL_FOLDERS[1]}/{lod1.name}")
    sums = overview_sums_path(store, number)
    sums.parent.mkdir(parents=True, exist_ok=True)
    with replacing(sums) as temp:
        pq.write_table(pa.Table.from_pandas(cell_sums(frame, grid), preserve_index=False), temp)
    marker.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(marker, json.dumps(rows))
    return rows
