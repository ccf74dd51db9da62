"""Reading a prepared store (``maquette prepare``): its description, its tile index, one tile.

The store format is the one of issue 20 (a folder with ``store.json``, ``index.parquet`` and
``buildings/lod<N>/*.parquet`` GeoParquet files whose rows are grouped by tile). The streamed
layer reads a store only through :class:`TileSource`, opened by :func:`open_source`: the one seam
to switch to ``layers.store.reader.open_store`` once the store package is merged.

Coordinates are the store's CRS (metres); heights ``height_m`` are metres above the ground,
already resolved by the preparation.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pyproj import CRS

from layers.core.errors import InputError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow.parquet as pq
    from geopandas import GeoDataFrame

STORE_FILE = "store.json"
INDEX_FILE = "index.parquet"
FORMAT_NAME = "maquette-store"
#: columns of a tile read for drawing and picking (``id`` exists at level 0 only)
TILE_COLUMNS = ("geometry", "height_m", "usage", "id", "tile")


class TileSource(Protocol):
    """What the streamed layer needs of a store (the reader API of the store format)."""

    #: ``store.json`` as a dict (``crs``, ``bounds``, ``count``, ``height_range_m``, ``levels``...)
    meta: dict[str, Any]
    #: the folder of the store
    path: Path

    def tiles(self, level: int = 0) -> pd.DataFrame:
        """The index rows of ``level``: ``tile``, ``xmin``, ``ymin``, ``xmax``, ``ymax`` (store CRS
        metres), ``count``, ``height_min_m``, ``height_max_m``, ``file``, ``row_groups``."""
        ...

    def read_tile(self, tile: int, level: int = 0) -> GeoDataFrame:
        """The features of ``tile`` at ``level`` (store CRS)."""
        ...


def store_folder(path: str | Path) -> Path:
    """The store folder of ``path`` (the folder itself or its ``store.json``)."""
    path = Path(path)
    return path.parent if path.name == STORE_FILE else path


def is_store(path: str | Path) -> bool:
    """True when ``path`` is a store folder or its ``store.json`` (the format name is checked)."""
    file = store_folder(path) / STORE_FILE
    if not file.is_file():
        return False
    try:
        with open(file, "rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return False
    return f'"{FORMAT_NAME}"' in head


class ParquetTileSource:
    """A store read with pyarrow: ``store.json`` and the index at once, a tile's row groups when
    asked. Thread-safe (tiles are read from background threads); :attr:`reads` counts the tiles
    read, by (level, tile)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder
        self.meta = _read_meta(folder)
        self._index = _read_index(folder)
        self._lock = threading.Lock()
        self.reads: dict[tuple[int, int], int] = {}
        self._footers: dict[str, pq.FileMetaData] = {}
        self.crs = (
            CRS.from_epsg(self.meta["epsg"])
            if self.meta.get("epsg")
            else CRS.from_user_input(self.meta["crs"])
        )

    def tiles(self, level: int = 0) -> pd.DataFrame:
        rows = self._index[self._index["level"] == level]
        return rows.reset_index(drop=True)

    def read_tile(self, tile: int, level: int = 0) -> GeoDataFrame:
        import geopandas as gpd
        import pyarrow.parquet as pq
        import shapely

        rows = self._index[(self._index["level"] == level) & (self._index["tile"] == tile)]
        if rows.empty:
            raise KeyError(f"no tile {tile} at level {level}")
        with self._lock:
            self.reads[(level, tile)] = self.reads.get((level, tile), 0) + 1
        frames = []
        for _, row in rows.iterrows():
            file = pq.ParquetFile(self.path / str(row["file"]), metadata=self._metadata(str(row["file"])))
            names = [c for c in TILE_COLUMNS if c in file.schema_arrow.names]
            groups = [int(g) for g in row["row_groups"]]
            frames.append(file.read_row_groups(groups, columns=names))
        import pyarrow as pa

        table = pa.concat_tables(frames) if len(frames) > 1 else frames[0]
        table = table.filter(pa.compute.equal(table["tile"], pa.scalar(tile, pa.int64())))
        data = {name: table[name].to_numpy(zero_copy_only=False) for name in table.column_names}
        geometry = shapely.from_wkb(data.pop("geometry"))
        return gpd.GeoDataFrame(data, geometry=geometry, crs=self.crs)

    def _metadata(self, relative: str) -> pq.FileMetaData:
        """The footer of a data file, parsed once (a file holds a row group per tile)."""
        import pyarrow.parquet as pq

        with self._lock:
            if relative not in self._footers:
                self._footers[relative] = pq.read_metadata(self.path / relative)
            return self._footers[relative]


def open_source(path: str | Path) -> TileSource:
    """The store at ``path`` (its folder or its ``store.json``); :class:`InputError` when it is not
    one, is incomplete or is of a newer version."""
    folder = store_folder(path)
    if not is_store(folder):
        raise InputError(folder, "is not a prepared store (no store.json of format maquette-store)")
    return ParquetTileSource(folder)


def _read_meta(folder: Path) -> dict[str, Any]:
    file = folder / STORE_FILE
    try:
        meta = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(file, f"cannot be read as a store description: {exc}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise InputError(file, "is not a store description (format is not maquette-store)")
    if int(meta.get("version", 0)) > 1:
        raise InputError(file, f"store version {meta.get('version')} is newer than this Maquette reads")
    if not meta.get("complete", False):
        raise InputError(folder, "the store is incomplete (its preparation did not finish)")
    for key in ("crs", "bounds", "count"):
        if key not in meta:
            raise InputError(file, f"the store description has no {key!r}")
    return meta


def _read_index(folder: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    file = folder / INDEX_FILE
    try:
        index = pq.read_table(file).to_pandas()
    except (OSError, ValueError) as exc:
        raise InputError(file, f"cannot read the store's tile index: {exc}") from None
    needed = {"level", "tile", "xmin", "ymin", "xmax", "ymax", "count", "file", "row_groups"}
    missing = needed - set(index.columns)
    if missing:
        raise InputError(file, f"the tile index lacks {', '.join(sorted(missing))}")
    return index
