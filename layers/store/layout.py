"""The store's files: names, GeoParquet 1.1 tables with their bbox covering column, written whole.

::

    STORE/store.json                        what the store holds (below)
    STORE/index.parquet                     one row per tile and level (:data:`INDEX_COLUMNS`)
    STORE/buildings/lod0/part-00000.parquet footprints: geometry, bbox, height_m, usage, id, tile, hilbert
    STORE/buildings/lod1/part-00000.parquet merged blocks: the same columns less ``id``
    STORE/buildings/lod2/part-00000.parquet built-up blocks of 250 m cells, tiles of 8 km
    STORE/buildings/lod3/part-00000.parquet built-up blocks of 2 km cells, tiles of 64 km
    STORE/_work/                            partitions done so far (removed once complete)

``store.json``: ``format`` ("maquette-store"), ``version`` (1), ``crs`` (WKT2), ``epsg``, ``bounds``
(of the rows, store CRS metres), ``tile_size_m``, ``grid`` (origin, level, Hilbert order:
:class:`~layers.store.grid.Grid`), ``count``, ``height_range_m``, ``sources`` (per file: ``path``,
``read``, ``kept``, ``dropped`` by reason, ``repaired``, ``heights_defaulted``), ``levels``,
``created``, ``complete`` (true once every partition is written) and ``settings`` (the inputs and
options: a rerun with others is refused).

Rows are sorted by ``hilbert``; each tile is in one row group (shared by small neighbouring tiles)
or a few (:func:`write_tiles`).
Every file is written under a temporary name and renamed (:mod:`layers.io.atomic`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import geopandas as gpd
    import pyarrow as pa

FORMAT = "maquette-store"
VERSION = 1
STORE_JSON = "store.json"
INDEX = "index.parquet"
WORK = "_work"
#: folders of each level, by level number
LEVEL_FOLDERS = {0: "buildings/lod0", 1: "buildings/lod1", 2: "buildings/lod2", 3: "buildings/lod3"}
#: rows per row group at most (a tile with more spans a few)
MAX_ROW_GROUP = 50_000
#: small tiles share a row group until it holds this many rows
MIN_ROW_GROUP = 4_000
INDEX_COLUMNS = (
    "level",
    "tile",
    "xmin",
    "ymin",
    "xmax",
    "ymax",
    "count",
    "height_min_m",
    "height_max_m",
    "file",
    "row_groups",
)


def part_name(number: int) -> str:
    return f"part-{number:05d}.parquet"


def geo_metadata(crs_json: str, bounds: list[float], types: list[str]) -> bytes:
    """The ``geo`` key of a GeoParquet 1.1 file: WKB geometry with its CRS (PROJJSON), bounds,
    and the ``bbox`` covering column."""
    column = {
        "encoding": "WKB",
        "geometry_types": types,
        "crs": json.loads(crs_json),
        "bbox": bounds,
        "covering": {
            "bbox": {
                "xmin": ["bbox", "xmin"],
                "ymin": ["bbox", "ymin"],
                "xmax": ["bbox", "xmax"],
                "ymax": ["bbox", "ymax"],
            }
        },
    }
    geo = {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}
    return json.dumps(geo).encode()


def _texts(values: np.ndarray) -> list[str | None]:
    """Each value as text, ``None`` where missing (``None`` or NaN)."""
    return [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in values]


def to_table(frame: gpd.GeoDataFrame, crs_json: str) -> pa.Table:
    """``frame`` (store rows) as an Arrow table with WKB geometry, the bbox struct and geo metadata."""
    import pyarrow as pa
    import shapely

    geoms = np.asarray(frame.geometry.values)
    boxes = shapely.bounds(geoms) if len(geoms) else np.empty((0, 4))
    bbox = pa.StructArray.from_arrays(
        [pa.array(boxes[:, i], pa.float64()) for i in range(4)], names=["xmin", "ymin", "xmax", "ymax"]
    )
    columns: dict[str, pa.Array] = {
        "geometry": pa.array(shapely.to_wkb(geoms, output_dimension=2), pa.binary()),
        "bbox": bbox,
        "height_m": pa.array(frame["height_m"].to_numpy(np.float32), pa.float32()),
        "usage": pa.array(_texts(frame["usage"].to_numpy(object)), pa.string()),
    }
    if "id" in frame.columns:
        columns["id"] = pa.array(_texts(frame["id"].to_numpy(object)), pa.string())
    columns["tile"] = pa.array(frame["tile"].to_numpy(np.int64), pa.int64())
    columns["hilbert"] = pa.array(frame["hilbert"].to_numpy(np.uint64), pa.uint64())
    table = pa.table(columns)
    types = sorted({str(t) for t in shapely.get_type_id(geoms)})
    names = [{"3": "Polygon", "6": "MultiPolygon"}.get(t, "Polygon") for t in types]
    bounds = (
        [
            float(boxes[:, 0].min()),
            float(boxes[:, 1].min()),
            float(boxes[:, 2].max()),
            float(boxes[:, 3].max()),
        ]
        if len(boxes)
        else [0.0, 0.0, 0.0, 0.0]
    )
    return table.replace_schema_metadata({b"geo": geo_metadata(crs_json, bounds, names)})


def row_groups(tiles: np.ndarray) -> list[tuple[int, int]]:
    """Row groups (start, end) of rows sorted by tile: whole tiles, small neighbours sharing one
    up to :data:`MIN_ROW_GROUP` rows, a large tile cut into groups of :data:`MAX_ROW_GROUP`."""
    n = len(tiles)
    starts = np.flatnonzero(np.r_[True, tiles[1:] != tiles[:-1]]) if n else np.empty(0, np.int64)
    ends = np.r_[starts[1:], n]
    groups: list[tuple[int, int]] = []
    first = 0
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if end - start > MAX_ROW_GROUP:
            if first < start:
                groups.append((first, start))
            groups += [(a, min(a + MAX_ROW_GROUP, end)) for a in range(start, end, MAX_ROW_GROUP)]
            first = end
        elif start - first >= MIN_ROW_GROUP or end - first > MAX_ROW_GROUP:
            groups.append((first, start))
            first = start
    if first < n:
        groups.append((first, n))
    return groups


def write_rows(path: Path, frame: gpd.GeoDataFrame, crs_json: str) -> None:
    """Write ``frame`` (store rows) to ``path`` in row groups of :data:`MAX_ROW_GROUP`."""
    import pyarrow.parquet as pq

    from layers.io.atomic import replacing

    with replacing(path) as temp:
        pq.write_table(to_table(frame, crs_json), temp, row_group_size=MAX_ROW_GROUP, compression="zstd")


def write_tiles(
    path: Path, frame: gpd.GeoDataFrame, crs_json: str, level: int, file: str
) -> list[dict[str, object]]:
    """Write ``frame`` (sorted by ``hilbert``, hence by tile) to ``path`` in row groups of whole
    tiles (:func:`row_groups`); returns one index row per tile (see :data:`INDEX_COLUMNS`)."""
    import pyarrow.parquet as pq

    from layers.io.atomic import replacing

    table = to_table(frame, crs_json)
    tiles = frame["tile"].to_numpy(np.int64)
    heights = frame["height_m"].to_numpy(np.float64)
    boxes = np.column_stack([table.column("bbox").combine_chunks().field(i).to_numpy() for i in range(4)])
    starts = np.flatnonzero(np.r_[True, tiles[1:] != tiles[:-1]]) if len(tiles) else np.empty(0, np.int64)
    ends = np.r_[starts[1:], len(tiles)]
    groups = row_groups(tiles)
    group_starts = np.array([a for a, _ in groups], np.int64)
    rows: list[dict[str, object]] = []
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temp:
        with pq.ParquetWriter(temp, table.schema, compression="zstd") as writer:
            for a, b in groups:
                writer.write_table(table.slice(a, b - a), row_group_size=b - a)
    for start, end in zip(starts, ends, strict=True):
        first = int(np.searchsorted(group_starts, start, side="right")) - 1
        last = int(np.searchsorted(group_starts, end - 1, side="right")) - 1
        box = boxes[start:end]
        rows.append(
            {
                "level": level,
                "tile": int(tiles[start]),
                "xmin": float(box[:, 0].min()),
                "ymin": float(box[:, 1].min()),
                "xmax": float(box[:, 2].max()),
                "ymax": float(box[:, 3].max()),
                "count": int(end - start),
                "height_min_m": float(heights[start:end].min()),
                "height_max_m": float(heights[start:end].max()),
                "file": file,
                "row_groups": list(range(first, last + 1)),
            }
        )
    return rows


def write_index(path: Path, rows: list[dict[str, object]]) -> None:
    """``index.parquet``: ``rows`` sorted by level and tile."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from layers.io.atomic import replacing

    rows = sorted(rows, key=lambda r: (int(str(r["level"])), int(str(r["tile"]))))
    schema = pa.schema(
        [
            ("level", pa.int8()),
            ("tile", pa.int64()),
            ("xmin", pa.float64()),
            ("ymin", pa.float64()),
            ("xmax", pa.float64()),
            ("ymax", pa.float64()),
            ("count", pa.int64()),
            ("height_min_m", pa.float32()),
            ("height_max_m", pa.float32()),
            ("file", pa.string()),
            ("row_groups", pa.list_(pa.int32())),
        ]
    )
    table = pa.Table.from_pylist(rows, schema=schema)
    with replacing(path) as temp:
        pq.write_table(table, temp)
