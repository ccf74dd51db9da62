"""The scene: one metric CRS, one origin, one clock, an ordered list of layers.

Every layer is reprojected into the scene CRS when added. The origin (a round point near the first
layer's centre, in scene CRS metres) is what the viewer subtracts before geometry reaches VTK,
because float32 cannot hold Lambert-93 coordinates to the centimetre.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.base import Bounds, HasElevation, Layer, SuggestsStart, SuggestsTime
from layers.core.clock import Clock
from layers.core.events import Event
from layers.core.timeutil import DEFAULT_TIMEZONE

#: data whose extents are further apart than this (metres between their nearest edges) are two
#: places, not one: a city and its suburbs fit in 50 km, two cities rarely do. One scene spanning
#: both makes every view an empty plain with two specks, and any grid over its whole extent
#: (ground shadows, a sunlight study) hundreds of millions of pixels, so the user is warned.
FAR_APART_M = 50_000.0


class Scene:
    """Layers in one CRS and on one clock.

    Parameters
    ----------
    crs
        The scene CRS; chosen from the first layer when ``None``.
    timezone
        IANA zone of the clock (naive times are read in it).

    Events
    ------
    layer_added(layer), layer_removed(layer), layers_reordered()
    """

    def __init__(self, crs: CRS | None = None, timezone: str = DEFAULT_TIMEZONE) -> None:
        self.crs: CRS | None = crs_util.parse_crs(crs) if crs is not None else None
        self.origin: np.ndarray | None = None
        self.clock = Clock(timezone)
        #: the clock range comes from a layer without dates (a timetable's typical day)
        self._provisional_range = False
        self.layers: list[Layer] = []
        self.layer_added = Event("layer_added")
        self.layer_removed = Event("layer_removed")
        self.layers_reordered = Event("layers_reordered")

    @property
    def timezone(self) -> str:
        return self.clock.timezone

    def add(self, layer: Layer) -> Layer:
        """Reproject ``layer`` into the scene CRS, start the clock on its range, and add it."""
        if layer.crs is None:
            raise ValueError(f"layer {layer.name!r} has no CRS")
        if self.crs is None:
            self.crs = crs_util.choose_scene_crs(layer.crs, layer.bounds())
        if not layer.crs.equals(self.crs):
            layer.reproject(self.crs)
        if self.origin is None:
            xmin, ymin, xmax, ymax = focus_box(layer.focus_points(), layer.bounds())
            # a round origin (100 m) keeps coordinates shown in debugging readable
            self.origin = np.round(np.array([(xmin + xmax) / 2, (ymin + ymax) / 2]) / 100.0) * 100.0
        if layer.time_aware:
            rng = layer.time_range()
            if rng is not None:
                if self._provisional_range:
                    self._provisional_range = False
                    self.clock.set_range(*rng)
                else:
                    self.clock.extend_range(*rng)
            elif self.clock.start is None and isinstance(layer, SuggestsTime):
                # a timetable or a typical day fits any date: replay the one it suggests until a
                # layer with real dates sets the range
                hint = layer.suggested_range()
                if hint is not None:
                    self.clock.set_range(*hint)
                    self._provisional_range = True
                    start = layer.suggested_time() if isinstance(layer, SuggestsStart) else None
                    if start is not None:
                        self.clock.time = start
        self.layers.append(layer)
        self.layer_added.emit(layer)
        return layer

    def remove(self, layer: Layer) -> None:
        self.layers.remove(layer)
        self.layer_removed.emit(layer)

    def move(self, layer: Layer, index: int) -> None:
        """Put ``layer`` at ``index`` in the drawing / panel order."""
        self.layers.remove(layer)
        self.layers.insert(index, layer)
        self.layers_reordered.emit()

    def terrain(self) -> HasElevation | None:
        """The scene's terrain (its first DEM layer, a terrain model before a surface model), on
        which buildings stand and overlays lie; ``None`` for a flat scene."""
        grounds = [layer for layer in self.layers if isinstance(layer, HasElevation)]
        return next((g for g in grounds if not g.surface_model), grounds[0] if grounds else None)

    @property
    def ground_reference_m(self) -> float:
        """The altitude (metres) drawn at z = 0: the lowest point of the terrain, 0 without one.

        One vertical reference for everything: the terrain is drawn at its altitude minus this,
        buildings at the ground under them minus this (:meth:`BuildingsLayer.seat_on`), flat
        overlays draped on the terrain. Without a terrain the scene is flat and every building
        stands on z = 0 (heights above its own ground).
        """
        terrain = self.terrain()
        rng = terrain.elevation_range() if terrain is not None else None
        return float(rng[0]) if rng else 0.0

    def find(self, name: str) -> Layer | None:
        return next((layer for layer in self.layers if layer.name == name), None)

    def of_kind(self, kind: str) -> list[Layer]:
        return [layer for layer in self.layers if layer.kind == kind]

    def bounds(self) -> tuple[float, float, float, float] | None:
        """Union of the layers' bounds in scene CRS metres, ``None`` when empty."""
        boxes = [box for box in (layer.bounds() for layer in self.layers) if np.isfinite(box).all()]
        if not boxes:  # no layer, or only empty ones (a planned project not yet drawn)
            return None
        arr = np.array(boxes, dtype=float)
        return (arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max())

    def bounds_near(self, layer: Layer) -> tuple[float, float, float, float]:
        """Union of the bounds of ``layer`` and of the layers within :data:`FAR_APART_M` of it (scene
        CRS metres): the place ``layer`` belongs to, so that sizes chosen from it (a sensor column,
        a label) do not grow with a far-off city opened in the same scene."""
        own = _finite_bounds(layer)
        if own is None:
            return layer.bounds()
        boxes = [own]
        for other in self.layers:
            box = _finite_bounds(other) if other is not layer else None
            if box is not None and gap_m(own, box) <= FAR_APART_M:
                boxes.append(box)
        arr = np.array(boxes, dtype=float)
        return (arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max())

    def focus_bounds(self) -> tuple[float, float, float, float] | None:
        """Where the features mostly are (scene CRS): the bounds without far-off outliers.

        A file of one campus plus a few buildings in another town 90 km away should open on the
        campus, not on an empty 90 km view with two specks.
        """
        bounds = self.bounds()
        if bounds is None:
            return None
        points = [p for p in (layer.focus_points() for layer in self.layers) if p is not None and len(p)]
        if not points:
            return bounds
        return focus_box(np.concatenate(points), bounds)

    def time_range(self) -> tuple[datetime, datetime] | None:
        found = [layer.time_range() for layer in self.layers if layer.time_aware]
        ranges = [r for r in found if r is not None]
        if not ranges:
            return None
        return min(r[0] for r in ranges), max(r[1] for r in ranges)

    def to_local(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Scene CRS metres → origin-relative metres (what the viewer hands VTK)."""
        origin = self._origin()
        return np.asarray(x) - origin[0], np.asarray(y) - origin[1]

    def to_world(self, x: float, y: float) -> tuple[float, float]:
        """Origin-relative metres → scene CRS metres (picking, status bar)."""
        origin = self._origin()
        return float(x + origin[0]), float(y + origin[1])

    def _origin(self) -> np.ndarray:
        """The origin, (0, 0) until a first layer sets it."""
        return np.zeros(2) if self.origin is None else self.origin

    def attributions(self) -> list[str]:
        """Distinct credit lines of the visible layers, in layer order."""
        seen: list[str] = []
        for layer in self.layers:
            if layer.visible and layer.attribution and layer.attribution not in seen:
                seen.append(layer.attribution)
        return seen


def focus_box(
    points: np.ndarray | None, bounds: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """Bounds of ``points`` within 3 × the 75th-percentile distance of their median; ``bounds`` if
    there are too few points to judge."""
    if points is None or len(points) < 10:
        return bounds
    points = points[np.isfinite(points).all(axis=1)]
    if len(points) < 10:
        return bounds
    if len(points) > 200_000:
        points = points[:: len(points) // 200_000 + 1]
    centre = np.median(points, axis=0)
    distance = np.hypot(points[:, 0] - centre[0], points[:, 1] - centre[1])
    reach = 3.0 * max(float(np.percentile(distance, 75)), 50.0)
    near = points[distance <= reach]
    pad = 0.02 * reach
    return (
        float(near[:, 0].min() - pad),
        float(near[:, 1].min() - pad),
        float(near[:, 0].max() + pad),
        float(near[:, 1].max() + pad),
    )


def gap_m(a: Bounds, b: Bounds) -> float:
    """Distance (metres, same CRS) between the nearest edges of boxes ``a`` and ``b`` (xmin, ymin,
    xmax, ymax); 0 when they touch or overlap."""
    dx = max(a[0] - b[2], b[0] - a[2], 0.0)
    dy = max(a[1] - b[3], b[1] - a[3], 0.0)
    return float(np.hypot(dx, dy))


@dataclass(frozen=True)
class FarApart:
    """``layer`` lies ``gap_m`` metres from ``nearest``, the closest of the layers before it."""

    layer: Layer
    nearest: Layer
    gap_m: float

    def describe(self) -> str:
        """One line naming both files (or layers) and the distance in km."""
        return (
            f"{_label(self.layer)} is {self.gap_m / 1000:,.0f} km from {_label(self.nearest)}: "
            "places this far apart are best opened in scenes of their own"
        )


def far_from(layers: Sequence[Layer], layer: Layer, threshold_m: float = FAR_APART_M) -> FarApart | None:
    """``layer`` against ``layers`` (all in one CRS): a :class:`FarApart` when even the nearest of
    them is more than ``threshold_m`` away, ``None`` when it is near one of them (or there are none).
    Layers without finite bounds are left out."""
    box = _finite_bounds(layer)
    if box is None:
        return None
    best: tuple[float, Layer] | None = None
    for other in layers:
        if other is layer:
            continue
        other_box = _finite_bounds(other)
        if other_box is None:
            continue
        gap = gap_m(box, other_box)
        if best is None or gap < best[0]:
            best = (gap, other)
    if best is None or best[0] <= threshold_m:
        return None
    return FarApart(layer, best[1], best[0])


def far_apart(layers: Sequence[Layer], threshold_m: float = FAR_APART_M) -> list[FarApart]:
    """Each layer (in order) that lies more than ``threshold_m`` from all the layers before it."""
    found = []
    for i, layer in enumerate(layers):
        far = far_from(layers[:i], layer, threshold_m) if i else None
        if far is not None:
            found.append(far)
    return found


def _finite_bounds(layer: Layer) -> Bounds | None:
    try:
        box = tuple(float(v) for v in layer.bounds())
    except (ValueError, TypeError):  # a layer without features has no extent
        return None
    if len(box) != 4 or not np.isfinite(box).all():
        return None
    return (box[0], box[1], box[2], box[3])


def _label(layer: Layer) -> str:
    """The layer's file name, else its name."""
    return layer.source.name if layer.source is not None else layer.name
