"""Decoded tiles kept in memory: least recently used first out, within a memory budget."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from io import BytesIO

import numpy as np

from .webmercator import TILE_PX

#: memory kept for decoded tiles by default (a 256² RGBA tile is 256 KiB: 512 tiles)
DEFAULT_BUDGET_BYTES = 128 * 1024 * 1024

TileKey = tuple[int, int, int]


def decode_tile(data: bytes) -> np.ndarray:
    """(256, 256, 4) uint8 RGBA of an encoded PNG / JPEG / WebP tile (other sizes resampled)."""
    from PIL import Image

    with Image.open(BytesIO(data)) as image:
        rgba = image.convert("RGBA")
        if rgba.size != (TILE_PX, TILE_PX):
            rgba = rgba.resize((TILE_PX, TILE_PX), Image.Resampling.BILINEAR)
        return np.asarray(rgba, dtype=np.uint8)


class TileCache:
    """Decoded tiles by ``(z, x, y)``; a missing tile is remembered as ``None`` (costs nothing)."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self.used_bytes = 0
        self.hits = 0
        self.misses = 0
        self._tiles: OrderedDict[TileKey, np.ndarray | None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._tiles)

    def get(self, key: TileKey, load: Callable[[], np.ndarray | None]) -> np.ndarray | None:
        """The tile ``key``, decoded by ``load()`` on a miss and kept."""
        if key in self._tiles:
            self.hits += 1
            self._tiles.move_to_end(key)
            return self._tiles[key]
        self.misses += 1
        tile = load()
        self._tiles[key] = tile
        self.used_bytes += tile.nbytes if tile is not None else 0
        while self.used_bytes > self.budget_bytes and len(self._tiles) > 1:
            _, dropped = self._tiles.popitem(last=False)
            self.used_bytes -= dropped.nbytes if dropped is not None else 0
        return tile

    def clear(self) -> None:
        self._tiles.clear()
        self.used_bytes = 0
