"""What the streamed layer needs of a prepared store (``maquette prepare``), and how it finds one.

The store and its reader are :mod:`layers.store` (:func:`layers.store.reader.open_store`); the
streamed layer reads through :class:`TileSource`, the part of that reader it uses, so the view
depends on the reader's contract and not on its files. Coordinates are the store's CRS (metres);
heights ``height_m`` are metres above the ground, already resolved by the preparation.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from layers.store import layout
from layers.store.reader import store_folder

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd
    from geopandas import GeoDataFrame

#: the store's description file
STORE_FILE = layout.STORE_JSON
#: columns of a tile read for drawing and picking (``id`` exists at level 0 only)
TILE_COLUMNS = ("geometry", "height_m", "usage", "id", "tile")

__all__ = ["STORE_FILE", "TILE_COLUMNS", "TileSource", "is_store", "open_source", "store_folder"]


class TileSource(Protocol):
    """What the streamed layer needs of a store (:class:`layers.store.reader.Store`)."""

    #: ``store.json`` as a dict (``crs``, ``bounds``, ``count``, ``height_range_m``, ``levels``...)
    meta: dict[str, Any]
    #: the folder of the store
    path: Path

    def tiles(self, level: int = 0) -> pd.DataFrame:
        """The index rows of ``level``: ``tile``, ``xmin``, ``ymin``, ``xmax``, ``ymax`` (store CRS
        metres), ``count``, ``height_min_m``, ``height_max_m``, ``file``, ``row_groups``."""
        ...

    def read_tile(self, tile: int, level: int = 0, columns: Sequence[str] | None = None) -> GeoDataFrame:
        """The features of ``tile`` at ``level`` (store CRS), only ``columns`` when given."""
        ...

    def read_bbox(self, bounds: tuple[float, float, float, float], level: int = 0) -> GeoDataFrame:
        """The features whose bounding box meets ``bounds`` (store CRS), reading only the row
        groups of the tiles concerned (the shade and sunlight studies)."""
        ...


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
    return f'"{layout.FORMAT}"' in head


def open_source(path: str | Path) -> TileSource:
    """The store at ``path`` (its folder or its ``store.json``); :class:`InputError` when it is not
    one, is incomplete or is of a newer version."""
    from layers.store.reader import open_store

    return open_store(path)
