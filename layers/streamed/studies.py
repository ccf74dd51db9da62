"""The shade and sunlight studies on a store: the buildings of the study's area read from the store.

A study needs every building that can shade its area, whatever the view has loaded: the level-0
tiles meeting the area grown by a margin — the tallest building near it over the tangent of the
lowest sun elevation the study uses (:func:`shadow_margin_m`, at most :data:`MAX_MARGIN_M`) — are
read straight from the store (:meth:`layers.store.reader.Store.read_bbox`: only their row groups)
into a plain buildings layer (kind ``buildings``), which the studies take as any file's buildings.
The area is sized from the tile index before anything is read (:func:`plan_area`), and refused
when its buildings would not fit :data:`DEFAULT_BUDGET_MB` (:func:`area_buildings`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from layers.core.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from layers.buildings.layer import BuildingsLayer
    from layers.core.base import Bounds, Layer

    from .layer import StreamedBuildingsLayer

#: the lowest sun elevation (degrees) whose shadows the margin covers by default (a whole day's study)
LOWEST_ELEVATION_DEG = 5.0
#: the margin at most (m): longer shadows are faint and cross many other buildings
MAX_MARGIN_M = 500.0
#: memory a building of a study takes, about (bytes: footprint, prisms, swept rings, shadows)
STUDY_BYTES_PER_BUILDING = 6_000
#: memory a study's buildings may take by default (MB)
DEFAULT_BUDGET_MB = 2_000.0


@dataclass(frozen=True)
class StudyArea:
    """The part of a store a study reads (store CRS metres).

    Attributes
    ----------
    area
        The study's area (xmin, ymin, xmax, ymax).
    margin_m
        How far around it buildings can shade it (m).
    tiles
        The level-0 tiles meeting the area grown by the margin.
    buildings
        Their buildings (from the index).
    """

    area: Bounds
    margin_m: float
    tiles: tuple[int, ...]
    buildings: int

    @property
    def read_box(self) -> Bounds:
        """The area grown by the margin: the buildings read."""
        x0, y0, x1, y1 = self.area
        m = self.margin_m
        return (x0 - m, y0 - m, x1 + m, y1 + m)

    @property
    def megabytes(self) -> float:
        """The memory its buildings take in a study, about (MB)."""
        return self.buildings * STUDY_BYTES_PER_BUILDING / 1e6


def shadow_margin_m(tallest_m: float, lowest_elevation_deg: float) -> float:
    """How far (m) a building ``tallest_m`` high casts its shadow with the sun at
    ``lowest_elevation_deg``, at most :data:`MAX_MARGIN_M`."""
    elevation = max(float(lowest_elevation_deg), 0.1)
    return float(min(max(tallest_m, 0.0) / math.tan(math.radians(elevation)), MAX_MARGIN_M))


def plan_area(
    layer: StreamedBuildingsLayer,
    area: Bounds | None = None,
    lowest_elevation_deg: float = LOWEST_ELEVATION_DEG,
) -> StudyArea:
    """The tiles and buildings a study of ``area`` (store CRS metres; ``None``: the whole store)
    reads, from the tile index alone. The margin uses the tallest building of the tiles within
    :data:`MAX_MARGIN_M` of the area."""
    index = layer.tile_index(0)
    if area is None:
        area = tuple(float(v) for v in layer.store.meta["bounds"])  # type: ignore[assignment]
    assert area is not None
    x0, y0, x1, y1 = area
    if not (x0 < x1 and y0 < y1):
        raise InputError(None, f"the study's area {list(area)} is empty (xmin < xmax and ymin < ymax)")

    def meeting(m: float) -> np.ndarray:
        return (
            (index["xmax"].to_numpy() >= x0 - m)
            & (index["xmin"].to_numpy() <= x1 + m)
            & (index["ymax"].to_numpy() >= y0 - m)
            & (index["ymin"].to_numpy() <= y1 + m)
        )

    near = meeting(MAX_MARGIN_M)
    if "height_max_m" in index and near.any():
        tallest = float(np.nanmax(index["height_max_m"].to_numpy(np.float64)[near]))
    else:
        tallest = layer.height_range()[1]
    margin = shadow_margin_m(tallest, lowest_elevation_deg)
    hit = meeting(margin)
    tiles = tuple(int(t) for t in index["tile"].to_numpy()[hit])
    return StudyArea(area, margin, tiles, int(index["count"].to_numpy()[hit].sum()))


def area_buildings(
    layer: StreamedBuildingsLayer,
    area: Bounds | None = None,
    lowest_elevation_deg: float = LOWEST_ELEVATION_DEG,
    budget_mb: float | None = None,
) -> BuildingsLayer:
    """The buildings that can shade ``area`` (store CRS; ``None``: the whole store) read from the
    store as a buildings layer in the layer's CRS, whatever the view loaded. :class:`InputError`
    (one line) when the area holds more than ``budget_mb`` (default :data:`DEFAULT_BUDGET_MB`) of
    buildings or none at all."""
    from layers.buildings.layer import BuildingsLayer

    budget_mb = DEFAULT_BUDGET_MB if budget_mb is None else budget_mb
    plan = plan_area(layer, area, lowest_elevation_deg)
    if plan.megabytes > budget_mb:
        raise InputError(
            layer.store.path,
            f"the study's area holds {plan.buildings} buildings with its {plan.margin_m:.0f} m margin "
            f"(about {plan.megabytes:.0f} MB), over the {budget_mb:.0f} MB a study may take",
            hint="study a smaller area (--bbox XMIN,YMIN,XMAX,YMAX in the store's CRS)",
        )
    frame = layer.store.read_bbox(plan.read_box, 0) if plan.tiles else None
    if frame is None or not len(frame):
        raise InputError(layer.store.path, "no building within reach of the study's area")
    if layer.crs is not None and not layer.crs.equals(layer.store_crs):
        frame = frame.to_crs(layer.crs)
    keep = [c for c in ("id", "usage", "height_m") if c in frame]
    frame = frame[[*keep, frame.geometry.name]].reset_index(drop=True)
    buildings = BuildingsLayer(
        layer.name, frame, frame["height_m"].to_numpy(np.float64), source=layer.store.path, crs=layer.crs
    )
    return buildings


def with_store_areas(
    layers: Sequence[Layer[Any]],
    area: Bounds | None,
    lowest_elevation_deg: float = LOWEST_ELEVATION_DEG,
) -> list[Layer[Any]]:
    """``layers`` with each streamed store replaced by the buildings that can shade ``area`` (the
    layers' CRS, metres: the scene's; ``None``: the whole store), read from the store
    (:func:`area_buildings`): the window's sunlight study takes them as any buildings."""
    from .layer import StreamedBuildingsLayer

    out: list[Layer[Any]] = []
    for layer in layers:
        if not isinstance(layer, StreamedBuildingsLayer):
            out.append(layer)
            continue
        box = area
        if box is not None and layer.crs is not None and not layer.crs.equals(layer.store_crs):
            from pyproj import Transformer

            moved = Transformer.from_crs(layer.crs, layer.store_crs, always_xy=True).transform_bounds(*box)
            box = (float(moved[0]), float(moved[1]), float(moved[2]), float(moved[3]))
        out.append(area_buildings(layer, box, lowest_elevation_deg))
    return out
