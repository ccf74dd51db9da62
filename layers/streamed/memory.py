"""The tiles of a store loaded in memory: least recently used dropped beyond a budget in bytes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from layers.buildings.mesh import BuildingMesh

#: (level, tile) of a store
TileKey = tuple[int, int]


@dataclass
class LoadedTile:
    """One tile read and meshed (store CRS metres, heights above the ground).

    ``mesh.owner`` is the row of each triangle in ``height_m`` / ``usage`` / ``ids``; ``serial``
    numbers the loading (a pick's feature index carries it, see
    :meth:`layers.streamed.layer.StreamedBuildingsLayer.attributes`). A level-0 tile also keeps its
    ``footprints`` (shapely Polygons, the layer's CRS) and the row of each (``footprint_row``): its
    shadow casters.
    """

    key: TileKey
    serial: int
    mesh: BuildingMesh
    height_m: np.ndarray
    usage: np.ndarray
    ids: np.ndarray | None
    bounds: tuple[float, float, float, float]
    footprints: np.ndarray | None = None
    footprint_row: np.ndarray | None = None
    nbytes: int = field(init=False)

    def __post_init__(self) -> None:
        self.nbytes = array_bytes(
            self.mesh.points,
            self.mesh.triangles,
            self.mesh.owner,
            self.mesh.is_roof,
            self.mesh.point_owner,
            self.height_m,
            self.usage,
            self.ids,
            self.footprint_row,
        ) + _polygon_bytes(self.footprints)

    @property
    def count(self) -> int:
        return len(self.height_m)


def array_bytes(*arrays: np.ndarray | None) -> int:
    """Bytes held by ``arrays``; text arrays count their strings too (UTF-8 length + 49 bytes of
    Python object each)."""
    total = 0
    for array in arrays:
        if array is None:
            continue
        total += array.nbytes
        if array.dtype == object:
            total += sum(49 + len(s) for s in array if isinstance(s, str))
    return total


def _polygon_bytes(polygons: np.ndarray | None) -> int:
    """Bytes held by shapely ``polygons``, about: 16 per coordinate and 100 per geometry."""
    if polygons is None or not len(polygons):
        return 0
    import shapely

    return int(shapely.get_num_coordinates(polygons).sum()) * 16 + 100 * len(polygons)


class TileMemory:
    """An LRU of :class:`LoadedTile` by key, at most ``budget_bytes`` together (one tile larger than
    the budget is kept alone). Thread-safe: tiles arrive from background threads."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget_bytes = budget_bytes
        self._tiles: OrderedDict[TileKey, LoadedTile] = OrderedDict()
        self._lock = threading.Lock()
        self.evictions = 0

    def get(self, key: TileKey) -> LoadedTile | None:
        """The tile of ``key`` if loaded (marked as just used)."""
        with self._lock:
            tile = self._tiles.get(key)
            if tile is not None:
                self._tiles.move_to_end(key)
            return tile

    def touch(self, keys: list[TileKey]) -> None:
        """Mark ``keys`` as just used (the tiles a view shows), oldest first."""
        with self._lock:
            for key in keys:
                if key in self._tiles:
                    self._tiles.move_to_end(key)

    def put(self, tile: LoadedTile) -> list[TileKey]:
        """Keep ``tile``; returns the keys dropped to stay within the budget."""
        with self._lock:
            self._tiles[tile.key] = tile
            self._tiles.move_to_end(tile.key)
            dropped = []
            while self.total_bytes_locked() > self.budget_bytes and len(self._tiles) > 1:
                key, _ = self._tiles.popitem(last=False)
                dropped.append(key)
            self.evictions += len(dropped)
            return dropped

    def by_serial(self, serial: int) -> LoadedTile | None:
        with self._lock:
            return next((t for t in self._tiles.values() if t.serial == serial), None)

    def tiles(self) -> list[LoadedTile]:
        """The tiles loaded, oldest first (not marked as used)."""
        with self._lock:
            return list(self._tiles.values())

    def keys(self) -> list[TileKey]:
        with self._lock:
            return list(self._tiles)

    def __contains__(self, key: Any) -> bool:
        with self._lock:
            return key in self._tiles

    def total_bytes(self) -> int:
        with self._lock:
            return self.total_bytes_locked()

    def total_bytes_locked(self) -> int:
        return sum(t.nbytes for t in self._tiles.values())

    def loaded_count(self) -> int:
        """Buildings in the loaded tiles."""
        with self._lock:
            return sum(t.count for t in self._tiles.values())

    def clear(self) -> None:
        with self._lock:
            self._tiles.clear()
