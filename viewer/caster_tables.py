"""The view's shadow casters, one table per layer, so an edited layer alone is read again.

:class:`viewer.shadows.SunLighting` keeps a :class:`CasterTable` per visible layer casting shadows
(buildings, the planned project, trees, canopy), keyed by the layer's identity, its
:attr:`~layers.core.base.Layer.revision` and its feature count (:func:`caster_key`). When the
planned project is edited (its revision bumped), only the plan's table is made again: the
100,000 buildings of a city keep theirs. Each table also keeps the last ground shade it computed
(for one instant and one pixel grid), so the ground shadows after an edit are the unchanged
tables' shade, kept, OR'ed with the edited one's, computed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from pyproj import CRS

from layers.core.base import Layer
from layers.sun.casters import gather, roofs_out_of_canopies
from layers.sun.position import SunPosition, SunSite
from layers.sun.shadow_map import Footprints
from layers.sun.shadow_raster import PixelGrid, RingTable

#: how far (m) a caster's shadow reaches at most, as a multiple of its tallest prism
REACH_PER_HEIGHT = 3.0
#: and at most this many metres
MAX_REACH_M = 400.0

Key = tuple[Any, ...]


def caster_key(layer: Layer[Any], others: tuple[Key, ...] = ()) -> Key:
    """What a layer's table depends on: the layer, its revision, its feature count (and, for a
    canopy, ``others``: the keys of the buildings taken out of it)."""
    key: Key = (id(layer), layer.revision, layer.feature_count())
    return key + others if _is_canopy(layer) else key


@dataclass
class CasterTable:
    """One layer's prisms ready for the ground shadows.

    Attributes
    ----------
    key
        :func:`caster_key` of the layer when the table was made.
    footprints
        The prisms and the sun's site (:class:`~layers.sun.shadow_map.Footprints`, scene CRS).
    table
        The rings swept at every instant (:class:`~layers.sun.shadow_raster.RingTable`).
    reach_box
        The ground the layer's shadows can reach (xmin, ymin, xmax, ymax), scene CRS metres.
    """

    key: Key
    footprints: Footprints
    table: RingTable
    reach_box: tuple[float, float, float, float]
    _shade_for: tuple[datetime, PixelGrid] | None = field(default=None, repr=False)
    _shade: tuple[tuple[slice, slice], np.ndarray] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, layer: Layer[Any], key: Key, crs: CRS, timezone: str) -> CasterTable | None:
        """The table of ``layer``'s prisms in the scene CRS ``crs``; ``None`` when it casts nothing."""
        prisms = gather([layer], crs)
        if prisms is None or not len(prisms):
            return None
        polygons, top, base = prisms.polygons, prisms.top_m, prisms.base_m
        footprints = Footprints.from_arrays(polygons, top, base, crs, timezone, metric=crs)
        table = RingTable.from_polygons(polygons, top, base)
        if len(table) == 0:
            return None
        boxes = table.boxes
        xmin, ymin = (float(v) for v in boxes[:, :2].min(axis=0))
        xmax, ymax = (float(v) for v in boxes[:, 2:].max(axis=0))
        reach = min(REACH_PER_HEIGHT * float(np.max(top)), MAX_REACH_M)
        return cls(key, footprints, table, (xmin - reach, ymin - reach, xmax + reach, ymax + reach))

    def offsets(
        self, t: datetime, sun: tuple[SunSite, SunPosition] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(N, 2) shadow offsets and (N,) lit flags of the layer's prisms at ``t``: from ``sun``
        (a site and the sun there at ``t``, shared by the view's tables: one SPA call per instant)
        unless the layer spreads over several sun cells, else from its own site."""
        n = self.table.source_count
        if sun is None or self.footprints.cells is not None:
            _, offset, lit = self.footprints.offsets(t)
            return offset, lit
        site, position = sun
        if not position.casts_shadows:
            return np.zeros((n, 2)), np.zeros(n, bool)
        return np.broadcast_to(site.shadow_offset(position), (n, 2)), np.ones(n, bool)

    def shade(
        self, t: datetime, grid: PixelGrid, sun: tuple[SunSite, SunPosition] | None = None
    ) -> tuple[tuple[slice, slice], np.ndarray] | None:
        """The layer's ground shadow at ``t`` on the part of ``grid`` it can reach: the rows and
        columns of that window and its (rows, cols) bool shade; ``None`` when it casts none there
        (the sun too low, or the shadows out of the grid). The last one is kept and given again
        for the same ``t`` and grid, so an unchanged layer costs nothing after an edit. ``sun``: see
        :meth:`offsets`."""
        if self._shade_for is not None and self._shade_for == (t, grid):
            return self._shade
        offset, lit = self.offsets(t, sun)
        shade = None
        if lit.any():
            window = _window(grid, self.table.reach(offset[self.table.index])[lit[self.table.index]])
            if window is not None:
                (rows, cols), sub = window
                shade = ((rows, cols), self.table.shade(offset, sub, lit))
        self._shade_for, self._shade = (t, grid), shade
        return shade


def _window(grid: PixelGrid, reach: np.ndarray) -> tuple[tuple[slice, slice], PixelGrid] | None:
    """The rows and columns of ``grid`` that (n, 4) shadow bounds ``reach`` can cover, and that
    window as a grid of its own (same pixels); ``None`` when they miss the grid."""
    if not len(reach):
        return None
    size = grid.size_m
    c0 = max(int(np.floor((reach[:, 0].min() - grid.x0) / size)) - 1, 0)
    c1 = min(int(np.ceil((reach[:, 2].max() - grid.x0) / size)) + 1, grid.cols)
    r0 = max(int(np.floor((grid.y0 - reach[:, 3].max()) / size)) - 1, 0)
    r1 = min(int(np.ceil((grid.y0 - reach[:, 1].min()) / size)) + 1, grid.rows)
    if c1 <= c0 or r1 <= r0:
        return None
    sub = PixelGrid(grid.x0 + c0 * size, grid.y0 - r0 * size, size, r1 - r0, c1 - c0)
    return (slice(r0, r1), slice(c0, c1)), sub


def caster_tables(
    layers: list[Layer[Any]], old: dict[int, CasterTable], crs: CRS, timezone: str
) -> dict[int, CasterTable]:
    """The tables of ``layers`` (the visible casters, in the scene's order) by ``id(layer)``: those
    of ``old`` whose layer did not change, kept; the others made again."""
    canopies = [layer for layer in layers if _is_canopy(layer)]
    plain = tuple(caster_key(layer) for layer in layers if not _is_canopy(layer))
    keys = {id(layer): caster_key(layer, plain) for layer in layers}
    if canopies and any(old.get(id(c)) is None or old[id(c)].key != keys[id(c)] for c in canopies):
        roofs_out_of_canopies(list(layers))  # roofs in a height model are not trees
    tables: dict[int, CasterTable] = {}
    for layer in layers:
        key = keys[id(layer)]
        kept = old.get(id(layer))
        table = kept if kept is not None and kept.key == key else CasterTable.of(layer, key, crs, timezone)
        if table is not None:
            tables[id(layer)] = table
    return tables


def _is_canopy(layer: Layer[Any]) -> bool:
    """A height model's canopy (its kind, not its class: the canopy module loads rasterio)."""
    return layer.kind == "canopy"


def reach_of(tables: dict[int, CasterTable]) -> tuple[float, float, float, float] | None:
    """The ground every table's shadows can reach, ``None`` without tables."""
    if not tables:
        return None
    boxes = np.array([t.reach_box for t in tables.values()])
    return (
        float(boxes[:, 0].min()),
        float(boxes[:, 1].min()),
        float(boxes[:, 2].max()),
        float(boxes[:, 3].max()),
    )
