"""Reading a store (:mod:`layers.store.layout`): its description, its tiles, one tile, an area.

``open_store(path)`` checks the folder and reads ``store.json`` and ``index.parquet``;
:meth:`Store.read_tile` and :meth:`Store.read_bbox` read only the row groups the index names for
the tiles concerned (no scan of the files). Geometries come back in the store CRS (metres).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from layers.core.errors import InputError
from layers.store import layout

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pyproj import CRS

    from layers.store.grid import Grid

#: decoded row groups kept (the last read), and the largest kept (rows)
CACHED_GROUPS = 4
CACHED_GROUP_ROWS = layout.MIN_ROW_GROUP * 4


class Store:
    """A prepared store: :attr:`meta` (``store.json``), its tiles, their rows.

    Thread-safe: the streamed view reads tiles from background threads. Each data file's footer is
    parsed once; :attr:`reads` counts the tiles read, by ``(level, tile)``."""

    def __init__(self, path: Path, meta: dict[str, Any], index: pd.DataFrame) -> None:
        self.path = path
        self.meta = meta
        self._index = index
        self._lock = threading.Lock()
        self._footers: dict[str, pq.FileMetaData] = {}
        self.reads: dict[tuple[int, int], int] = {}
        self._crs: CRS | None = None
        self._levels: dict[int, pd.DataFrame] = {}
        #: the row groups read last, decoded (neighbouring small tiles share one)
        self._groups: OrderedDict[tuple[str, int, tuple[str, ...] | None], pa.Table] = OrderedDict()

    @property
    def grid(self) -> Grid:
        """The tiling (origin, tile size, level) of the store."""
        from layers.store.grid import Grid

        return Grid.from_json(self.meta["grid"])

    @property
    def crs(self) -> CRS:
        """The store's CRS (its EPSG code when it has one, else its WKT)."""
        if self._crs is None:
            from pyproj import CRS

            epsg = self.meta.get("epsg")
            self._crs = CRS.from_epsg(epsg) if epsg else CRS.from_user_input(self.meta["crs"])
        return self._crs

    def tiles(self, level: int = 0) -> pd.DataFrame:
        """The index rows of ``level`` (one per tile: ``tile``, bounds of its rows, ``count``,
        heights, ``file``, ``row_groups``), by tile key. Kept once made: do not modify it."""
        with self._lock:
            rows = self._levels.get(level)
            if rows is None:
                rows = self._index[self._index["level"] == level]
                rows = rows.sort_values("tile", kind="stable").reset_index(drop=True)
                self._levels[level] = rows
            return rows

    def _footer(self, relative: str) -> pq.FileMetaData:
        import pyarrow.parquet as pq

        with self._lock:
            if relative not in self._footers:
                self._footers[relative] = pq.read_metadata(self.path / relative)
            return self._footers[relative]

    def _read(
        self, rows: pd.DataFrame, columns: Sequence[str] | None = None, tiles: Sequence[int] | None = None
    ) -> gpd.GeoDataFrame:
        """The row groups named by index ``rows``; only the rows of ``tiles`` when given (kept
        before decoding: a row group shared by small tiles is not decoded whole for one)."""
        import geopandas as gpd
        import pandas as pd
        import pyarrow as pa
        import pyarrow.compute as pc
        import shapely

        frames = []
        for file, group in rows.groupby("file", sort=True):
            row_groups = sorted({int(g) for groups in group["row_groups"] for g in groups})
            table = self._row_groups(str(file), row_groups, columns)
            if tiles is not None:
                table = table.filter(pc.is_in(table.column("tile"), pa.array(list(tiles), pa.int64())))
            frames.append(table.to_pandas())
        if frames:
            frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        else:
            frame = pd.DataFrame(
                {"geometry": pd.Series([], dtype=object), "tile": pd.Series([], dtype="int64")}
            )
        geometry = shapely.from_wkb(frame.pop("geometry").to_numpy())
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=self.crs))

    def _row_groups(self, file: str, groups: list[int], columns: Sequence[str] | None) -> pa.Table:
        """Row groups ``groups`` of ``file`` (``columns`` of them), the last few kept decoded: the
        small neighbouring tiles sharing a row group, asked one after the other, read it once."""
        import pyarrow.parquet as pq

        handle = pq.ParquetFile(self.path / file, metadata=self._footer(file))
        names = None if columns is None else tuple(c for c in columns if c in handle.schema_arrow.names)
        if len(groups) != 1:
            return handle.read_row_groups(groups, columns=None if names is None else list(names))
        key = (file, groups[0], names)
        with self._lock:
            kept = self._groups.get(key)
            if kept is not None:
                self._groups.move_to_end(key)
                return kept
        table = handle.read_row_group(groups[0], columns=None if names is None else list(names))
        if table.num_rows <= CACHED_GROUP_ROWS:
            with self._lock:
                self._groups[key] = table
                while len(self._groups) > CACHED_GROUPS:
                    self._groups.popitem(last=False)
        return table

    def read_tile(self, tile: int, level: int = 0, columns: Sequence[str] | None = None) -> gpd.GeoDataFrame:
        """The rows of one tile (sorted by Hilbert key), only ``columns`` when given (``geometry``
        and ``tile`` always); empty when the store has no such tile."""
        with self._lock:
            self.reads[(level, int(tile))] = self.reads.get((level, int(tile)), 0) + 1
        rows = self.tiles(level)
        keys = rows["tile"].to_numpy()
        at = int(np.searchsorted(keys, int(tile)))
        rows = rows.iloc[at : at + 1] if at < len(keys) and keys[at] == int(tile) else rows.iloc[:0]
        wanted = None if columns is None else list(dict.fromkeys(["geometry", "tile", *columns]))
        return self._read(rows, wanted, [int(tile)])

    def read_tiles(
        self, tiles: Sequence[int], level: int = 0, columns: Sequence[str] | None = None
    ) -> gpd.GeoDataFrame:
        """The rows of several tiles at once (each row group read once, however many of them share
        it), as :meth:`read_tile` reads one; by tile key, then Hilbert key."""
        keys = {int(t) for t in tiles}
        with self._lock:
            for key in keys:
                self.reads[(level, key)] = self.reads.get((level, key), 0) + 1
        rows = self.tiles(level)
        rows = rows[rows["tile"].isin(keys)]
        wanted = None if columns is None else list(dict.fromkeys(["geometry", "tile", *columns]))
        frame = self._read(rows, wanted, sorted(keys))
        if len(frame):
            frame = frame.iloc[np.argsort(frame["tile"].to_numpy(), kind="stable")].reset_index(drop=True)
        return frame

    def read_bbox(self, bounds: tuple[float, float, float, float], level: int = 0) -> gpd.GeoDataFrame:
        """The rows whose bounding box meets ``bounds`` (xmin, ymin, xmax, ymax in the store CRS),
        reading only the row groups of the tiles whose rows' extent meets it."""
        import shapely

        xmin, ymin, xmax, ymax = (float(v) for v in bounds)
        rows = self.tiles(level)
        meets = (
            (rows["xmin"] <= xmax) & (rows["xmax"] >= xmin) & (rows["ymin"] <= ymax) & (rows["ymax"] >= ymin)
        )
        frame = self._read(rows[meets])
        if not len(frame):
            return frame
        box = shapely.bounds(frame.geometry.to_numpy())
        inside = (box[:, 0] <= xmax) & (box[:, 2] >= xmin) & (box[:, 1] <= ymax) & (box[:, 3] >= ymin)
        return frame[inside].reset_index(drop=True)


def store_folder(path: str | Path) -> Path:
    """The store folder of ``path`` (the folder itself or its ``store.json``)."""
    path = Path(path)
    return path.parent if path.name == layout.STORE_JSON else path


def open_store(path: str | Path) -> Store:
    """Open the store at ``path`` (its folder or its ``store.json``); :class:`InputError` when it
    is not a complete Maquette store."""
    import pandas as pd

    path = store_folder(path)
    meta_path = path / layout.STORE_JSON
    if not path.is_dir() or not meta_path.exists():
        raise InputError(
            path, "is not a Maquette store (no store.json)", hint="prepare it with maquette prepare"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(path, f"its store.json cannot be read ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != layout.FORMAT:
        raise InputError(path, "is not a Maquette store (store.json of another kind)")
    if int(meta.get("version", 0)) > layout.VERSION:
        raise InputError(path, f"is a store of version {meta.get('version')}, newer than this Maquette reads")
    if not meta.get("complete"):
        raise InputError(
            path,
            "is an incomplete store (its preparation did not finish)",
            hint="run the same maquette prepare again",
        )
    for key in ("crs", "bounds", "count"):
        if key not in meta:
            raise InputError(meta_path, f"the store description has no {key!r}")
    try:
        index = pd.read_parquet(path / layout.INDEX)
    except (OSError, ValueError) as exc:
        raise InputError(path / layout.INDEX, f"cannot read the store's tile index: {exc}") from None
    needed = {"level", "tile", "xmin", "ymin", "xmax", "ymax", "count", "file", "row_groups"}
    missing = needed - set(index.columns)
    if missing:
        raise InputError(path / layout.INDEX, f"the tile index lacks {', '.join(sorted(missing))}")
    return Store(path, meta, index)
