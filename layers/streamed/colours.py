"""What a streamed store can be coloured and filtered by, with values taken from the whole store.

The legend's classes never come from the tiles that happen to be loaded, so the colours do not
change while flying: heights over the store's ``height_range_m`` (``store.json``), usages counted
over the whole store by :func:`usage_counts` — from ``store.json`` (counted by the preparation),
else the ``usage`` column alone of the level-0 files, read one row group at a time as a
dictionary-encoded column (a few bytes per building, no geometry), once per layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from .memory import LoadedTile
    from .source import TileSource

#: the columns of a store that colour or filter its buildings, and how
STORE_FIELDS: dict[str, Literal["numeric", "categorical"]] = {"height_m": "numeric", "usage": "categorical"}


def usage_counts(store: TileSource) -> dict[str, int]:
    """``{usage: buildings}`` over the whole store (level 0), most frequent first; buildings
    without a usage are not counted. Reads the ``usage`` column only."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    known = store.meta.get("usage_counts")
    if isinstance(known, dict):  # counted by the preparation
        return dict(sorted(((str(k), int(v)) for k, v in known.items()), key=lambda kv: (-kv[1], kv[0])))
    files = sorted({str(f) for f in store.tiles(0)["file"]})
    totals: dict[str, int] = {}
    for relative in files:
        handle = pq.ParquetFile(store.path / relative, read_dictionary=["usage"])
        if "usage" not in handle.schema_arrow.names:
            continue
        for group in range(handle.metadata.num_row_groups):
            column = handle.read_row_group(group, columns=["usage"]).column("usage")
            for chunk in column.chunks:
                if isinstance(chunk, pa.DictionaryArray):
                    codes = chunk.indices.drop_null().to_numpy(zero_copy_only=False)
                    counts = np.bincount(codes, minlength=len(chunk.dictionary))
                    for name, n in zip(chunk.dictionary.to_pylist(), counts.tolist(), strict=True):
                        if n and name:
                            totals[name] = totals.get(name, 0) + int(n)
                else:
                    for entry in pc.value_counts(chunk.drop_null()).to_pylist():
                        if entry["values"]:
                            totals[entry["values"]] = totals.get(entry["values"], 0) + int(entry["counts"])
    return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))


class TileRows:
    """One loaded tile seen as the rows a filter works on (:class:`layers.buildings.filters.Filterable`):
    its buildings' ``height_m`` (m) and ``usage``."""

    def __init__(self, tile: LoadedTile) -> None:
        import pandas as pd

        self.tile = tile
        self.frame = pd.DataFrame(index=np.arange(tile.count))

    def values(self, field: str) -> np.ndarray:
        if field == "height_m":
            return self.tile.height_m
        if field == "usage":
            return self.tile.usage
        raise KeyError(field)
