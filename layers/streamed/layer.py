"""Buildings streamed from a prepared store (kind ``streamed``): a region too big to hold at once.

Opening a store reads ``store.json`` and the tile index only (:meth:`StreamedBuildingsLayer.load`);
the bounds and the count come from them. A view asks :meth:`StreamedBuildingsLayer.choose_tiles`
which tiles it should draw — level 0 (footprints) near the camera, level 1 (merged blocks) where a
building would be a few pixels, levels 2 and 3 (built-up blocks of 250 m and 2 km cells,
:mod:`layers.store.overview`) for a region or a country — and
:meth:`StreamedBuildingsLayer.load_tile` reads and meshes one (from a background thread in the
window, see ``viewer/visuals/streamed.py``). Loaded tiles are kept in a
:class:`~layers.streamed.memory.TileMemory` within the style's ``memory_mb``, the least recently
shown dropped first.

What works on the tiles loaded (the view's): picking (a building's id, height, usage); the colours
(plain, by height over the store's height range, by usage with the buildings kind's palette over
the usages of the whole store, :mod:`layers.streamed.colours`: the legend never changes while
flying); the attribute filter on ``height_m`` / ``usage`` (the buildings kind's, applied to each tile
as it is drawn, later tiles included); the cast shadows of the 3D view (the layer is a
``CastsShadows``: :meth:`StreamedBuildingsLayer.shadow_prisms` gives the buildings of the level-0
tiles loaded, the view's shadows follow them; merged blocks cast none).
What reads the store, whatever is loaded: the shade and sunlight studies (``maquette shade`` /
``maquette sunlight STORE --bbox ...`` and the window's study: the buildings that can shade the
area studied, read from the store, refused past a memory budget, :mod:`layers.streamed.studies`).
What does not see streamed buildings (the layer is no ``HasFrame`` / ``Searchable``): search, the
attribute table, the glTF/OBJ export ("nothing visible to export"): they would need the whole
region in memory, which is what a store avoids.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

import numpy as np
from pyproj import CRS, Transformer

from layers.core.base import Bounds, Layer

from .colours import STORE_FIELDS, TileRows, usage_counts
from .memory import LoadedTile, TileKey, TileMemory
from .source import TILE_COLUMNS, TileSource, open_source, store_folder
from .style import StreamedStyle

if TYPE_CHECKING:
    import pandas as pd

#: a typical building's size (m): level 1 once it would be under :data:`MIN_BUILDING_PX` pixels
BUILDING_M = 12.0
MIN_BUILDING_PX = 8.0
#: memory a loaded building takes, about (bytes; mesh and attributes), to keep a view's tiles
#: within the budget before reading them (once tiles are loaded, their mean is used)
BYTES_PER_BUILDING = 1000
#: an overview level's cell is drawn once it would be under this many pixels
MIN_CELL_PX = 16.0
#: tiles drawn at most (the nearest)
MAX_VIEW_TILES = 400
#: a feature index is (tile serial << SERIAL_SHIFT) | row
SERIAL_SHIFT = 24
#: what works on the loaded tiles only, and what reads the store (:meth:`describe`)
LOADED_ONLY = (
    "on loaded tiles: picking, colours, filter, cast shadows; "
    "read from the store: shade and sunlight studies of an area; "
    "not available: search, attribute table, glTF export"
)


class StreamedBuildingsLayer(Layer[StreamedStyle]):
    """A prepared store drawn tile by tile (see the module docstring).

    Attributes
    ----------
    source
        The store (:class:`~layers.streamed.source.TileSource`).
    memory
        The tiles loaded (LRU within ``style.memory_mb``).
    stats
        ``features_in``: the store's count; ``dropped`` what the preparation dropped, by reason.
    """

    kind: ClassVar[str] = "streamed"
    style_class = StreamedStyle

    def __init__(
        self,
        name: str,
        source: TileSource,
        *,
        style: StreamedStyle | Mapping[str, Any] | None = None,
    ) -> None:
        meta = source.meta
        store_crs = CRS.from_epsg(meta["epsg"]) if meta.get("epsg") else CRS.from_user_input(meta["crs"])
        credits = dict.fromkeys(e["attribution"] for e in meta.get("sources", []) if e.get("attribution"))
        super().__init__(
            name, source=source.path, crs=store_crs, style=style, attribution=" ; ".join(credits) or None
        )
        self.store = source
        self.store_crs = store_crs
        self.memory = TileMemory(int(self.style.memory_mb * 1e6))
        self._serials = itertools.count(1)
        described = {int(entry["level"]): entry for entry in meta.get("levels", [])}
        levels = sorted(set(described) | {0, 1})
        self._index = {level: source.tiles(level) for level in levels}
        #: bits dropped from a store tile key for each level's tile key (its overview tiles)
        self._shift = {level: int(described.get(level, {}).get("tile_shift", 0)) for level in levels}
        #: the cell side (m) of each overview level
        self._cell_m = {
            level: float(entry["cell_m"]) for level, entry in described.items() if entry.get("cell_m")
        }
        self._boxes: dict[TileKey, Bounds] = {}
        dropped: dict[str, int] = {}
        for entry in meta.get("sources", []):
            for reason, count in (entry.get("dropped") or {}).items():
                dropped[reason] = dropped.get(reason, 0) + int(count)
        self.stats: dict[str, Any] = {
            "features_in": int(meta["count"]) + sum(dropped.values()),
            "dropped": sum(dropped.values()),
            "dropped_reasons": dropped,
        }

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        style: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> Self:
        """Open the store at ``path`` (its folder or its ``store.json``): its description and tile
        index, no tile."""
        folder = store_folder(path)
        layer = cls(name or folder.name, open_source(folder), style=style)
        layer.options = {key: value for key, value in options.items() if value is not None}
        return layer

    # -- the contract --------------------------------------------------------------------------
    def bounds(self) -> Bounds:
        index = self._index[0]
        if index.empty:
            box = tuple(float(v) for v in self.store.meta["bounds"])
        else:
            box = (
                float(index["xmin"].min()),
                float(index["ymin"].min()),
                float(index["xmax"].max()),
                float(index["ymax"].max()),
            )
        return self._to_layer_crs(box)  # type: ignore[arg-type]

    def reproject(self, crs: CRS) -> None:
        """Tiles are moved into ``crs`` as they are read; the loaded ones are dropped."""
        if self.crs is not None and self.crs.equals(crs):
            return
        self.crs = crs
        self.memory.clear()

    def feature_count(self) -> int:
        return int(self.store.meta["count"])

    def update_style(self, **changes: Any) -> None:
        super().update_style(**changes)
        self.memory.budget_bytes = int(self.style.memory_mb * 1e6)

    def apply_style(self, data: Mapping[str, Any]) -> None:
        super().apply_style(data)
        self.memory.budget_bytes = int(self.style.memory_mb * 1e6)

    def height_range(self) -> tuple[float, float]:
        """The store's (lowest, highest) building height, metres."""
        low, high = self.store.meta.get("height_range_m") or (0.0, 1.0)
        return float(low), float(high)

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        loaded = self.memory.loaded_count()
        info.update(
            store=str(self.store.path),
            tiles=len(self._index[0]),
            loaded=loaded,
            summary=f"{self.feature_count()} buildings, {loaded} loaded",
            memory_mb=round(self.memory.total_bytes() / 1e6, 1),
            loaded_only=LOADED_ONLY,
        )
        return info

    def attributes(self, index: int) -> dict[str, Any]:
        """The id, height (m) and usage of feature ``index`` (a loaded tile's serial and row, as
        the visual's picks number them); empty once its tile was dropped."""
        tile = self.memory.by_serial(index >> SERIAL_SHIFT)
        row = index & ((1 << SERIAL_SHIFT) - 1)
        if tile is None or row >= tile.count:
            return {}
        out: dict[str, Any] = {}
        if tile.ids is not None:
            out["id"] = tile.ids[row]
        out["height_m"] = round(float(tile.height_m[row]), 2)
        usage = tile.usage[row]
        out["usage"] = usage if isinstance(usage, str) else None
        if tile.key[0] == 1:
            out["level"] = "merged block"
        elif tile.key[0] > 1:
            out["level"] = f"built-up block of {self._cell_m.get(tile.key[0], 0.0):g} m"
        return out

    # -- the tiles a view needs ----------------------------------------------------------------
    def tile_bounds(self, key: TileKey) -> Bounds:
        """(xmin, ymin, xmax, ymax) of the features of tile ``key`` (store CRS metres)."""
        if not self._boxes:
            for level, index in self._index.items():
                boxes = index[["xmin", "ymin", "xmax", "ymax"]].to_numpy(np.float64)
                for tile, box in zip(index["tile"].to_numpy(), boxes, strict=True):
                    self._boxes[(level, int(tile))] = (box[0], box[1], box[2], box[3])
        return self._boxes[key]

    def tile_index(self, level: int) -> pd.DataFrame:
        """The index rows of ``level`` (store CRS)."""
        return self._index[level]

    def choose_tiles(
        self,
        view_bounds: Bounds,
        pixel_m: float,
        eye: tuple[float, float, float] | None = None,
        focal_distance_m: float | None = None,
    ) -> list[TileKey]:
        """The ``(level, tile)`` to draw for a view of ``view_bounds`` (layer CRS metres) whose
        screen pixel is ``pixel_m`` metres at the focal point, nearest first.

        With the camera's position ``eye`` (layer CRS, z metres above the ground) and its distance
        to the focal point, a tile's pixel grows with its distance to the eye; else every tile has
        ``pixel_m``. From the coarsest level down, a tile is drawn where its level is detailed
        enough for its pixel (:meth:`level_pixel_m`: a building under :data:`MIN_BUILDING_PX`
        pixels for merged blocks, a cell under :data:`MIN_CELL_PX` for the overview levels), else
        its tiles of the next finer level are considered in its place: the view is covered once,
        fine near the camera and coarse far away, whatever the store's size. The nearest tiles are
        kept within the memory budget and :data:`MAX_VIEW_TILES`.
        """
        view = self._to_store_crs(view_bounds)
        eye_store = None
        if eye is not None:
            ex, ey = self._point_to_store_crs(eye[0], eye[1])
            eye_store = (ex, ey, eye[2])
        levels = sorted(self._index)
        keys: list[TileKey] = []
        distances: list[np.ndarray] = []
        counts: list[np.ndarray] = []
        rows = _seen(self._index[levels[-1]], view)
        for position in range(len(levels) - 1, -1, -1):
            level = levels[position]
            distance = _distance(rows, eye_store)
            if eye_store is not None and focal_distance_m:
                pixel = pixel_m * distance / max(focal_distance_m, 1e-6)
            else:
                pixel = np.full(len(rows), pixel_m)
            drawn = pixel > self.level_pixel_m(level) if position > 0 else np.ones(len(rows), bool)
            tiles = rows["tile"].to_numpy(np.int64)
            keys += [(level, int(t)) for t in tiles[drawn]]
            distances.append(distance[drawn])
            counts.append(rows["count"].to_numpy(np.int64)[drawn])
            if position == 0 or drawn.all():
                break
            finer = levels[position - 1]
            shift = self._shift[level] - self._shift[finer]
            candidates = _seen(self._index[finer], view)
            parents = candidates["tile"].to_numpy(np.int64) >> shift
            rows = candidates[np.isin(parents, tiles[~drawn])]
        if not keys:
            return []
        distance = np.concatenate(distances)
        count = np.concatenate(counts)
        order = np.argsort(distance, kind="stable")
        budget = 0.8 * self.memory.budget_bytes
        loaded = self.memory.loaded_count()
        per_building = self.memory.total_bytes() / loaded if loaded else BYTES_PER_BUILDING
        chosen: list[TileKey] = []
        used = 0.0
        for i in order[:MAX_VIEW_TILES]:
            cost = int(count[i]) * per_building
            if chosen and used + cost > budget:
                break
            chosen.append(keys[i])
            used += cost
        return chosen

    def level_pixel_m(self, level: int) -> float:
        """The screen pixel (m) above which ``level`` is detailed enough: 0 for the footprints, a
        building of :data:`BUILDING_M` under :data:`MIN_BUILDING_PX` pixels for merged blocks, a
        cell under :data:`MIN_CELL_PX` pixels for an overview level."""
        if level == 0:
            return 0.0
        cell = self._cell_m.get(level)
        if cell is None:
            return BUILDING_M / MIN_BUILDING_PX
        return cell / MIN_CELL_PX

    def load_tile(self, key: TileKey) -> LoadedTile:
        """The tile ``key`` read, moved into the layer CRS and meshed (kept in :attr:`memory`);
        safe to call from a background thread."""
        kept = self.memory.get(key)
        if kept is not None:
            return kept
        import shapely

        from layers.buildings.mesh import extrude

        level, tile = key
        frame = self.store.read_tile(tile, level, TILE_COLUMNS)
        if self.crs is not None and not self.crs.equals(self.store_crs):
            frame = frame.to_crs(self.crs)
        geometry = np.asarray(frame.geometry.values)
        parts, owner = shapely.get_parts(geometry, return_index=True)
        parts = shapely.make_valid(parts) if not shapely.is_valid(parts).all() else parts
        polygons = shapely.get_type_id(parts) == 3
        parts, owner = parts[polygons], owner[polygons]
        height = frame["height_m"].to_numpy(np.float32)
        mesh = extrude(parts, height[owner], np.zeros(len(parts)))
        mesh.owner = owner[mesh.owner]
        if mesh.point_owner is not None:
            mesh.point_owner = owner[mesh.point_owner]
        usage = frame["usage"].to_numpy(object) if "usage" in frame else np.full(len(frame), None, object)
        ids = frame["id"].to_numpy(object) if "id" in frame else None
        xmin, ymin, xmax, ymax = (float(v) for v in frame.total_bounds) if len(frame) else (0.0,) * 4
        box = (xmin, ymin, xmax, ymax)
        # a level-0 tile keeps its footprints: its shadow casters (merged blocks cast none)
        footprints, rows = (parts, owner) if level == 0 else (None, None)
        loaded = LoadedTile(key, next(self._serials), mesh, height, usage, ids, box, footprints, rows)
        self.memory.put(loaded)
        return loaded

    # -- colours and filter (see :mod:`layers.streamed.colours`) -------------------------------
    def color_fields(self) -> dict[str, Literal["numeric", "categorical"]]:
        """``{field: "numeric" | "categorical"}`` the store keeps: ``height_m``, ``usage``."""
        return dict(STORE_FIELDS)

    def filter_fields(self) -> dict[str, Literal["numeric", "categorical"]]:
        """The fields a filter can use (those of :meth:`color_fields`)."""
        return dict(STORE_FIELDS)

    def unit(self, field: str) -> str:
        """``"m"`` for heights, ``""`` otherwise."""
        return "m" if field == "height_m" else ""

    def usage_counts(self) -> dict[str, int]:
        """``{usage: buildings}`` of the whole store, most frequent first (read once, the
        ``usage`` column only: :func:`layers.streamed.colours.usage_counts`)."""
        return dict(self._usage_totals)

    @cached_property
    def _usage_totals(self) -> dict[str, int]:
        return usage_counts(self.store)

    def passes_filter(self, tile: LoadedTile) -> np.ndarray:
        """(n,) bool: the buildings of ``tile`` the style's filter keeps (all without a filter).

        Raises ``KeyError`` naming a field the store does not keep."""
        from layers.buildings.filters import filter_mask

        return filter_mask(TileRows(tile), self.style.filter)

    # -- shadows ---------------------------------------------------------------------------------
    def shadow_prisms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(polygons, base_m, top_m)`` of the buildings of the level-0 tiles loaded now (layer CRS,
        metres above the ground; :class:`~layers.core.base.CastsShadows`): the view's shadows
        follow the tiles loaded. A study of an area reads the store instead
        (:mod:`layers.streamed.studies`)."""
        tiles = [t for t in self.memory.tiles() if t.footprints is not None and t.footprint_row is not None]
        if not tiles:
            return np.empty(0, object), np.empty(0), np.empty(0)
        polygons = np.concatenate([t.footprints for t in tiles if t.footprints is not None])
        top = np.concatenate(
            [t.height_m[t.footprint_row].astype(np.float64) for t in tiles if t.footprint_row is not None]
        )
        return polygons, np.zeros(len(top)), top

    def casting_tiles(self) -> frozenset[TileKey]:
        """The keys of the tiles whose buildings cast shadows now (the level-0 tiles loaded)."""
        return frozenset(t.key for t in self.memory.tiles() if t.footprints is not None)

    # -- CRS -----------------------------------------------------------------------------------
    def _to_layer_crs(self, box: Bounds) -> Bounds:
        if self.crs is None or self.crs.equals(self.store_crs):
            return box
        return _transformer(self.store_crs, self.crs).transform_bounds(*box)

    def _to_store_crs(self, box: Bounds) -> Bounds:
        if self.crs is None or self.crs.equals(self.store_crs):
            return box
        return _transformer(self.crs, self.store_crs).transform_bounds(*box)

    def _point_to_store_crs(self, x: float, y: float) -> tuple[float, float]:
        if self.crs is None or self.crs.equals(self.store_crs):
            return x, y
        out = _transformer(self.crs, self.store_crs).transform(x, y)
        return float(out[0]), float(out[1])


def _seen(index: pd.DataFrame, view: Bounds) -> pd.DataFrame:
    """The rows of ``index`` whose box meets ``view`` (store CRS)."""
    hit = (
        (index["xmax"].to_numpy() >= view[0])
        & (index["xmin"].to_numpy() <= view[2])
        & (index["ymax"].to_numpy() >= view[1])
        & (index["ymin"].to_numpy() <= view[3])
    )
    return index[hit]


def _distance(rows: pd.DataFrame, eye: tuple[float, float, float] | None) -> np.ndarray:
    """Distance (m) from ``eye`` to the nearest point of each tile's box (0 without an eye)."""
    if eye is None or rows.empty:
        return np.zeros(len(rows))
    dx = np.maximum.reduce(
        [rows["xmin"].to_numpy() - eye[0], np.zeros(len(rows)), eye[0] - rows["xmax"].to_numpy()]
    )
    dy = np.maximum.reduce(
        [rows["ymin"].to_numpy() - eye[1], np.zeros(len(rows)), eye[1] - rows["ymax"].to_numpy()]
    )
    return np.sqrt(dx * dx + dy * dy + eye[2] * eye[2])


@lru_cache(maxsize=8)
def _transformer(source: CRS, target: CRS) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)
