"""A prepared store (:mod:`layers.store`) → a 3D Tiles 1.1 tileset folder, a few store tiles at a time.

::

    write_store_tileset(open_store("region.store"), "out/")

Layout of the folder::

    tileset.json                 the root, no content: the overview tiles (store levels 3 and 2,
                                 :mod:`.store_overview`) over one entry per run of store tiles
    o3/<KEY>.glb, o2/<KEY>.glb   built-up blocks of 2 km and 250 m cells, for the farthest views
    t<TILE>/blocks.glb           the tile's merged blocks (store level 1), for far views
    t<TILE>/tileset.json         an external tileset: the tile's buildings as a quadtree
    t<TILE>/tiles/*.glb          (:func:`layers.tiles3d.writer.write_tree`, refined by addition)

Store tiles are taken in runs of neighbours along the Hilbert curve (:func:`batches`, about
:data:`BATCH_ROWS` buildings; a larger tile alone), named after the first tile of the run: a
prepared store has many tiles of a few buildings, and a file per tile would make the export ~100
times slower than :func:`~layers.tiles3d.writer.write_tileset` (``bench/tiles3d_store.md``).
A run's entry in the root shows its blocks and is refined by replacement (``REPLACE``): close
enough, the client swaps the blocks for the buildings' external tileset. Its ``geometricError`` is
:data:`~layers.tiles3d.writer.ERROR_PER_METRE` × the store tile size (the buildings' tree below it
starts at the same scale); the root's is that of the store's extent. A store whose level-1 blocks
are cut by other tiles than level 0's (:func:`blocks_match_tiles`) gets no far content: the store
tiles' tilesets only, refined by addition. Bounding regions are those of the vertices written
(radians, metres above the ellipsoid), joined upwards. The store has no ground heights: buildings
stand on the ellipsoid (0 m), as :func:`~layers.tiles3d.writer.write_tileset` places them without
``ground_m``.

Store tiles are read by :func:`batches` of about :data:`BATCH_ROWS` rows (small neighbours share
row groups), then written one tile at a time: memory holds one batch of rows and one tile's meshes
(plus one small JSON entry per tile). Batches are written one after the other, or by the workers
of a Dask client (``client``: one task a batch). The folder is written whole or not at all
(:mod:`.folder`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any

import numpy as np

from .content import SCHEMA, tile_glb
from .folder import replacing_folder, sync_files, write_synced, write_unsynced
from .frames import EnuFrame
from .store_overview import BLOCK_COLUMNS, OverviewShape, overview_children, padded_region, polygon_bounds
from .writer import ERROR_PER_METRE, TILESET, prepare_input, write_tree

if TYPE_CHECKING:
    import geopandas as gpd

    from layers.store.reader import Store

#: the columns of the store read per level
BUILDING_COLUMNS = ("height_m", "usage", "id")
NO_AREA = "no polygon with an area"


@dataclass
class StoreTileResult:
    """One store tile written: its root entry (JSON) and counts."""

    entry: dict[str, Any]
    region: np.ndarray
    buildings: int
    blocks: int
    dropped: dict[str, int]
    figures: dict[str, int] = field(default_factory=dict)


def _join(a: np.ndarray | None, b: np.ndarray) -> np.ndarray:
    if a is None:
        return b
    return np.r_[np.minimum(a[:2], b[:2]), np.maximum(a[2:4], b[2:4]), min(a[4], b[4]), max(a[5], b[5])]


def tile_size_m(store: Store) -> float:
    """The side of the store's level-0 tiles, metres."""
    return float(store.meta.get("tile_size_m") or store.grid.tile_size_m)


def blocks_match_tiles(store: Store) -> bool:
    """True when the store's level-1 blocks are cut by the level-0 tiles (same keys, as
    ``maquette prepare`` writes them), so each store tile's blocks can stand for its buildings."""
    for level in store.meta.get("levels", []):
        if int(level.get("level", -1)) == 1:
            size = level.get("tile_size_m")
            return size is None or float(size) == tile_size_m(store)
    return False


def write_store_tile(
    store: Store,
    tile: int,
    folder: Path,
    *,
    max_per_tile: int = 2000,
    blocks: bool = True,
    rows: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None] | None = None,
) -> StoreTileResult:
    """Write store tile ``tile`` (its buildings, and its level-1 blocks when ``blocks``) under
    ``folder / t<tile>``; its entry for the root tileset (empty when it holds no building with an
    area: its rows are then all in ``dropped``). ``rows``: its buildings and blocks already read
    (:func:`write_store_batch`), else read here."""
    crs = store.crs
    if rows is None:
        rows = (
            store.read_tile(tile, 0, BUILDING_COLUMNS),
            store.read_tile(tile, 1, BLOCK_COLUMNS) if blocks else None,
        )
    frame, block_frame = rows
    data = prepare_input(frame)
    del frame, rows
    if not len(data.owner):
        dropped = {NO_AREA: len(data.height_m)} if len(data.height_m) else {}
        return StoreTileResult({}, np.zeros(6), 0, 0, dropped)
    name = f"t{int(tile)}"
    block_data = None
    if blocks and block_frame is not None:
        block_data = prepare_input(block_frame)
        del block_frame
        if not len(block_data.owner):
            block_data = None
    entry: dict[str, Any] = {}
    top: EnuFrame | None = None
    region: np.ndarray | None = None
    block_count = 0
    if block_data is not None:
        keep = np.flatnonzero(np.bincount(block_data.owner, minlength=len(block_data.height_m)) > 0)
        parts = block_data.subset(keep)
        parts.ids = np.array([f"{name}-block-{i}" for i in range(parts.count)], dtype=object)
        x0, y0, x1, y1 = polygon_bounds(parts.polygons)
        top = EnuFrame.at(crs, (x0 + x1) / 2, (y0 + y1) / 2, 0.0)
        glb, mesh = tile_glb(parts, crs, top)
        (folder / name).mkdir(parents=True, exist_ok=True)
        write_unsynced(folder / name / "blocks.glb", glb)
        entry["transform"] = [float(v) for v in top.relative_to(None)]
        entry["content"] = {"uri": f"{name}/blocks.glb"}
        entry["refine"] = "REPLACE"
        region = padded_region(mesh.geodetic_bounds)
        block_count = parts.count
    tree = write_tree(data, crs, folder / name, parent=top, max_per_tile=max_per_tile, sync=False)
    external = {
        "asset": {"version": "1.1", "generator": "Maquette"},
        "schema": SCHEMA,
        "geometricError": tree.geometric_error,
        "root": tree.root,
    }
    write_unsynced(folder / name / TILESET, json.dumps(external, separators=(",", ":")).encode("utf-8"))
    region = _join(region, tree.region)
    buildings = {
        "boundingVolume": {"region": [float(v) for v in tree.region]},
        "geometricError": tree.geometric_error,
        "content": {"uri": f"{name}/{TILESET}"},
    }
    tile_error = max(tile_size_m(store) * ERROR_PER_METRE, tree.geometric_error)
    if block_data is None:  # nothing to show from afar: the buildings' tileset itself
        entry = buildings
    else:
        entry.update(
            {
                "boundingVolume": {"region": [float(v) for v in region]},
                "geometricError": tile_error,
                "children": [buildings],
            }
        )
    dropped = {NO_AREA: tree.dropped} if tree.dropped else {}
    return StoreTileResult(entry, region, tree.buildings, block_count, dropped, tree.figures)


#: rows written as one unit, about (consecutive store tiles: small tiles share row groups, and one
#: external tileset and one blocks glb serve them all)
BATCH_ROWS = 8_000


def batches(store: Store) -> list[list[int]]:
    """The level-0 tile keys in index order, in runs of about :data:`BATCH_ROWS` rows (a larger
    tile alone), never across two level-3 overview tiles (a run then has one parent there; it
    hangs under the level-2 tile of its first store tile, :mod:`.store_overview`)."""
    from .store_overview import OverviewShape

    shape = OverviewShape.of(store)
    shift = shape.shift[3] if shape is not None else 63
    index = store.tiles(0)
    out: list[list[int]] = []
    rows = 0
    for key, count in zip(index["tile"].tolist(), index["count"].tolist(), strict=True):
        if not out or rows + int(count) > BATCH_ROWS or (key >> shift) != (out[-1][0] >> shift):
            out.append([])
            rows = 0
        out[-1].append(int(key))
        rows += int(count)
    return out


def write_store_batch(
    store: Store, keys: list[int], folder: Path, max_per_tile: int, blocks: bool
) -> list[StoreTileResult]:
    """The store tiles ``keys`` (neighbours along the Hilbert curve) written as one unit by
    :func:`write_store_tile` under the name of the first: their rows of both levels read at once,
    one external tileset over their buildings, their blocks as its far content (a file per run of
    small tiles, not per tile)."""
    frame = store.read_tiles(keys, 0, BUILDING_COLUMNS)
    block_frame = store.read_tiles(keys, 1, BLOCK_COLUMNS) if blocks else None
    return [
        write_store_tile(
            store, keys[0], folder, max_per_tile=max_per_tile, blocks=blocks, rows=(frame, block_frame)
        )
    ]


def write_store_tiles(
    store_path: str, keys: list[int], folder: str, max_per_tile: int, blocks: bool
) -> list[StoreTileResult]:
    """:func:`write_store_batch` in a Dask task, the store opened here (the :class:`Store` holds
    a lock and does not travel)."""
    from layers.store.reader import open_store

    return write_store_batch(open_store(store_path), keys, Path(folder), max_per_tile, blocks)


def _results(
    store: Store, runs: list[list[int]], folder: Path, max_per_tile: int, blocks: bool, client: Any
) -> Iterator[StoreTileResult]:
    """Each run of store tiles (:func:`batches`) written, in order: here one after the other, or
    by the workers of the Dask ``client`` (one task a batch, all submitted at once, their small
    results gathered in order; pending tasks cancelled if one fails)."""
    if client is None:
        for keys in runs:
            yield from write_store_batch(store, keys, folder, max_per_tile, blocks)
        return
    futures = [
        client.submit(write_store_tiles, str(store.path), keys, str(folder), max_per_tile, blocks, pure=False)
        for keys in runs
    ]
    try:
        for future in futures:
            yield from future.result()
            future.release()
    finally:
        client.cancel(futures)


def write_store_tileset(
    store: Store,
    output: str | os.PathLike[str],
    *,
    max_per_tile: int = 2000,
    blocks: bool = True,
    extras: dict[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
    client: Any = None,
) -> dict[str, Any]:
    """Write the buildings of ``store`` as a 3D Tiles 1.1 tileset in the folder ``output`` (see the
    module's docstring; ``blocks``: the level-1 blocks as far content, when the store cuts them by
    the level-0 tiles, else the buildings' tilesets only, refined by addition), ``extras`` added
    to ``asset.extras``; ``progress(done, total)`` after each run of store tiles; ``client``: a Dask client
    whose workers write the tiles (they must see the store and ``output``'s folder at the same
    paths), else one tile after the other here. Returns figures:
    ``buildings`` written, ``dropped`` by reason (together the store's ``count``), ``blocks``,
    ``store_tiles``, ``far_view``, tiles, features, triangles, vertices, bytes, seconds."""
    from layers.core.errors import InputError

    t0 = perf_counter()
    output = Path(output)
    if not store.crs.is_projected:
        raise InputError(store.path, "3D Tiles export needs a store in a projected CRS in metres")
    blocks = blocks and blocks_match_tiles(store)
    index = store.tiles(0)
    keys = [int(k) for k in index["tile"]]
    figures = {"tiles": 0, "features": 0, "triangles": 0, "vertices": 0}
    dropped: dict[str, int] = {}
    children: list[dict[str, Any]] = []
    run_entries: list[tuple[int, dict[str, Any], np.ndarray]] = []
    region: np.ndarray | None = None
    buildings = blocks_written = 0
    runs = batches(store)
    shape = OverviewShape.of(store) if blocks else None
    overview_blocks = 0
    with replacing_folder(output, TILESET) as temp:
        for done, (run, result) in enumerate(
            zip(runs, _results(store, runs, temp, max_per_tile, blocks, client), strict=True), 1
        ):
            for reason, count in result.dropped.items():
                dropped[reason] = dropped.get(reason, 0) + count
            if result.entry:
                children.append(result.entry)
                run_entries.append((run[0], result.entry, result.region))
                region = _join(region, result.region)
                buildings += result.buildings
                blocks_written += result.blocks
                for name, value in result.figures.items():
                    figures[name] += value
            if progress is not None:
                progress(done, len(runs))
        if region is None:
            raise InputError(store.path, "no buildings to write")
        if shape is not None:
            children, overview_blocks = overview_children(store, temp, run_entries, shape)
            for child in children:  # the built-up blocks reach beyond the buildings' regions
                region = _join(region, np.asarray(child["boundingVolume"]["region"], np.float64))
        xmin, ymin, xmax, ymax = (float(v) for v in store.meta["bounds"])
        root_error = max(
            max(xmax - xmin, ymax - ymin) * ERROR_PER_METRE,
            *(float(c["geometricError"]) * 2 for c in children),
        )
        tileset = {
            "asset": {
                "version": "1.1",
                "generator": "Maquette",
                "extras": {
                    "source_crs": store.crs.to_string(),
                    "buildings": buildings,
                    "store": store.path.name,
                    **(extras or {}),
                },
            },
            "schema": SCHEMA,
            "geometricError": root_error * 2,
            "root": {
                "boundingVolume": {"region": [float(v) for v in region]},
                "geometricError": root_error,
                "refine": "ADD",
                "children": children,
            },
        }
        sync_files(temp)  # the tiles' files, written unsynced (one flush, not one per file)
        write_synced(temp / TILESET, json.dumps(tileset, separators=(",", ":")).encode("utf-8"))
    size = sum(f.stat().st_size for f in output.rglob("*") if f.is_file())
    missing = int(store.meta["count"]) - buildings - sum(dropped.values())
    if missing > 0:  # rows the index counts but no tile returned: say so rather than lose them
        dropped["not found in the store's files"] = missing
    return {
        "output": str(output),
        "format": "3D Tiles 1.1",
        "buildings": buildings,
        "dropped": dropped,
        "blocks": blocks_written,
        "overview_blocks": overview_blocks,
        "far_view": (
            "built-up blocks, then merged blocks, replaced by buildings"
            if overview_blocks
            else "merged blocks, replaced by buildings"
            if blocks
            else "buildings added"
        ),
        "store_tiles": len(keys),
        "tilesets": len(run_entries),
        **figures,
        "bytes": size,
        "seconds": round(perf_counter() - t0, 3),
    }
