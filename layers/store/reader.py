"""Reading a store (:mod:`layers.store.layout`): its description, its tiles, one tile, an area.

``open_store(path)`` checks the folder and reads ``store.json`` and ``index.parquet``;
:meth:`Store.read_tile` and :meth:`Store.read_bbox` read only the row groups the index names for
the tiles concerned (no scan of the files). Geometries come back in the store CRS (metres).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from layers.core.errors import InputError
from layers.store import layout

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from layers.store.grid import Grid


class Store:
    """A prepared store: :attr:`meta` (``store.json``), its tiles, their rows."""

    def __init__(self, path: Path, meta: dict[str, Any], index: pd.DataFrame) -> None:
        self.path = path
        self.meta = meta
        self._index = index

    @property
    def grid(self) -> Grid:
        """The tiling (origin, tile size, level) of the store."""
        from layers.store.grid import Grid

        return Grid.from_json(self.meta["grid"])

    def tiles(self, level: int = 0) -> pd.DataFrame:
        """The index rows of ``level`` (one per tile: ``tile``, bounds of its rows, ``count``,
        heights, ``file``, ``row_groups``), by tile key."""
        rows = self._index[self._index["level"] == level]
        return rows.reset_index(drop=True)

    def _read(self, rows: pd.DataFrame) -> gpd.GeoDataFrame:
        import geopandas as gpd
        import pandas as pd
        import pyarrow.parquet as pq
        import shapely

        frames = []
        for file, group in rows.groupby("file", sort=True):
            row_groups = sorted({int(g) for groups in group["row_groups"] for g in groups})
            table = pq.ParquetFile(self.path / str(file)).read_row_groups(row_groups)
            frames.append(table.to_pandas())
        if frames:
            frame = pd.concat(frames, ignore_index=True)
        else:
            frame = pd.DataFrame({"geometry": pd.Series([], dtype=object)})
        geometry = shapely.from_wkb(frame.pop("geometry").to_numpy())
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=self.meta["crs"]))

    def read_tile(self, tile: int, level: int = 0) -> gpd.GeoDataFrame:
        """The rows of one tile (sorted by Hilbert key); empty when the store has no such tile."""
        rows = self.tiles(level)
        rows = rows[rows["tile"] == int(tile)]
        frame = self._read(rows)
        if len(frame):
            frame = frame[frame["tile"].to_numpy() == int(tile)].reset_index(drop=True)
        return frame

    def read_bbox(self, bounds: tuple[float, float, float, float], level: int = 0) -> gpd.GeoDataFrame:
        """The rows whose bounding box meets ``bounds`` (xmin, ymin, xmax, ymax in the store CRS),
        reading only the row groups of the tiles whose rows' extent meets it."""
        import numpy as np

        xmin, ymin, xmax, ymax = (float(v) for v in bounds)
        rows = self.tiles(level)
        meets = (
            (rows["xmin"] <= xmax) & (rows["xmax"] >= xmin) & (rows["ymin"] <= ymax) & (rows["ymax"] >= ymin)
        )
        frame = self._read(rows[meets])
        if not len(frame):
            return frame
        box = frame["bbox"]
        inside = np.array(
            [
                b["xmin"] <= xmax and b["xmax"] >= xmin and b["ymin"] <= ymax and b["ymax"] >= ymin
                for b in box
            ],
            dtype=bool,
        )
        return frame[inside].reset_index(drop=True)


def open_store(path: str | Path) -> Store:
    """Open the store at ``path``; :class:`InputError` when it is not a complete Maquette store."""
    import pandas as pd

    path = Path(path)
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
        raise InputError(path, "is a store not yet complete", hint="run the same maquette prepare again")
    index = pd.read_parquet(path / layout.INDEX)
    return Store(path, meta, index)
