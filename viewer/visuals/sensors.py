"""Sensors: one column per sensor whose height and colour follow its value at the clock time.

What an audience should read at a glance:

* a column rises above the roofs around it (its base is the usual roof height of the scene's
  buildings), its height and colour say the value, the legend says the unit;
* a disc on the ground under each column carries the same colour, so a view from above reads too;
* no reading (a gap, NaN) is a short grey stub, and the legend says "pas de mesure": never a zero;
* a reading getting old (a late sensor) fades towards grey;
* with few sensors (40 or less) the value is written above each column ("27,4°");
* during a fast replay the columns show the hourly / daily mean of the bin the clock is in
  (:meth:`layers.sensors.layer.SensorLayer.level_for`), and the legend says so.

Sizes and colours follow the layer's :class:`~layers.sensors.style.SensorsStyle`; what it leaves
at ``None`` is chosen here from the scene (its extent, its buildings' roofs) and the quantity.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pyvista as pv
from vtkmodules.vtkCommonCore import vtkLookupTable

from layers.sensors.layer import SensorLayer

from ..colors import continuous_lut
from ..legends import Legend
from ..point_labels import PointLabels
from ..words import say
from .base import GROUND_Z, Visual
from .glyphs import GlyphCloud, column_source, lut_table

if TYPE_CHECKING:
    from layers.core.scene import Scene

CMAPS = {"°C": "turbo", "K": "turbo", "dB(A)": "magma_r"}
COUNT_CMAP = "RdPu"
DEFAULT_CMAP = "viridis"
NO_READING_RGBA = np.array([150, 150, 150, 255], dtype=np.uint8)
STALE_RGB = np.array([205, 205, 205], dtype=np.float64)
#: values are written above the columns when a layer has at most this many sensors
LABEL_MAX = 40
LABEL_PT = 15
#: what an audience reads in the legend, by quantity
QUANTITY_TITLES = {
    "air temperature": "Air temperature",
    "heat island intensity": "Heat island (difference to the reference)",
    "noise level": "Noise level",
    "bicycle count": "Bicycles",
    "pedestrian count": "Pedestrians",
    "vehicle count": "Vehicles",
    "count": "Passages",
    "relative humidity": "Relative humidity",
    "concentration": "Concentration",
    "wind speed": "Wind speed",
    "precipitation": "Precipitation",
}
PER = {"/h": "per hour", "/jour": "per day", "/d": "per day", "/min": "per minute"}


def legend_title(layer: SensorLayer, level_label: str | None = None, language: str = "fr") -> str:
    """``"Température de l'air (°C)"``, ``"Vélos par heure"``, ``"… – moyenne horaire"`` (in
    ``language``, the level's label ``"hourly mean"`` too; a quantity the table does not know keeps
    its own name)."""
    quantity = layer.quantity or layer.name
    known = QUANTITY_TITLES.get(quantity)
    name = say(known, language) if known else quantity[:1].upper() + quantity[1:]
    unit = layer.unit or ""
    if unit.startswith("/"):
        per = say(PER[unit], language) if unit in PER else f"{say('per', language)} {unit[1:]}"
        text = f"{name} {per}"
    else:
        text = f"{name} ({unit})" if unit else name
    if layer.cycle_s:
        text += " – " + say("typical day", language)
    if level_label:
        text += f" – {say(level_label, language)}"
    return text


def roof_height_m(scene: Scene) -> float:
    """The usual roof height of the scene's buildings (80th percentile, metres), 0 without
    buildings."""
    candidates = [layer for layer in scene.layers if layer.kind == "buildings"]
    if not candidates:
        return 0.0
    from layers.buildings.layer import BuildingsLayer  # geopandas: only for a scene with buildings

    heights = [
        np.asarray(layer.height_m, dtype=float) for layer in candidates if isinstance(layer, BuildingsLayer)
    ]
    heights = [h[np.isfinite(h)] for h in heights]
    heights = [h for h in heights if len(h)]
    if not heights:
        return 0.0
    return float(np.percentile(np.concatenate(heights), 80))


def sensor_colors(layer: SensorLayer) -> tuple[vtkLookupTable, tuple[float, float]]:
    """The lookup table and colour range of a sensor layer (shared by its columns and by the
    streets its counters colour): counts from 0, other quantities over their rounded 2-98 %
    range; the style's ``clim`` and ``cmap`` override."""
    style = layer.style
    lo, hi = layer.value_range()
    if layer.is_count:
        lo = 0.0
        hi = float(np.ceil(hi)) if hi > 1 else 1.0
    else:
        lo, hi = float(np.floor(lo)), float(np.ceil(hi))
    unit = layer.unit or ""
    if unit == "dB(A)" and not style.cmap:  # sound levels: the NF S 31-130 bands, as noise maps
        from ..colors import NAN_RGBA
        from .noise import noise_lut

        lut = noise_lut(nan_rgba=NAN_RGBA)
        low, high = lut.GetRange()
        return lut, style.clim or (float(low), float(high))
    clim = style.clim or (lo, hi if hi > lo else lo + 1.0)
    cmap = style.cmap or (COUNT_CMAP if layer.is_count else CMAPS.get(unit, DEFAULT_CMAP))
    return continuous_lut(cmap, clim), clim


class SensorsVisual(Visual[SensorLayer]):
    layer_type = SensorLayer
    kind = "sensors"
    #: the values written above the columns (``None`` with too many columns to read)
    labels: PointLabels | None = None

    def build(self) -> None:
        layer = self.layer
        style = layer.style
        bounds = self.view.scene.bounds_near(layer)
        extent = max(bounds[2] - bounds[0], bounds[3] - bounds[1], 200.0)
        # what the style leaves to the viewer: sizes from the extent of the place (the sensors and
        # the layers near them, not a far-off city in the same scene) and its roofs (metres)
        auto_radius_m = float(np.clip(extent * 0.005, 2.5, 40.0))
        auto_base_m = max(roof_height_m(self.view.scene) * 1.15, 6.0)
        auto_span_m = float(np.clip(extent * 0.05, 20.0, 400.0))
        #: column radius, base height and height from the low to the high end of the range, metres
        self.radius_m = auto_radius_m if style.radius_m is None else style.radius_m
        self.base_m = auto_base_m if style.base_m is None else style.base_m
        self.span_m = auto_span_m if style.span_m is None else style.span_m
        if style.max_height_m is not None:
            self.span_m = max(style.max_height_m - self.base_m, 1.0)
        self.lut, self.clim = sensor_colors(layer)
        self._table = lut_table(self.lut)
        self._level_label: str | None = None
        self._legend = self._make_legend()

        self.points = self.view.to_local(np.asarray(layer.xy), z=0.0)
        count = len(self.points)
        self.cloud = GlyphCloud(column_source(self.radius_m), self.points)
        self.cloud.actor.GetProperty().SetAmbient(0.55)
        self.cloud.actor.GetProperty().SetDiffuse(0.55)
        self.add_actor(self.cloud.actor)
        # a disc on the ground under each column, in the column's colour (reads from above)
        disc = pv.Disc(
            center=(0, 0, 0), inner=0.0, outer=self.radius_m * 2.6, normal=(0, 0, 1), r_res=1, c_res=32
        ).triangulate()
        ground = self.points.copy()
        ground[:, 2] = GROUND_Z["transit"] + 0.2
        self.discs = GlyphCloud(disc, ground)
        prop = self.discs.actor.GetProperty()
        prop.LightingOff()
        prop.SetAmbient(1.0)
        prop.SetDiffuse(0.0)
        self.discs.actor.SetPickable(False)
        self.add_actor(self.discs.actor)
        self._values = np.full(count, np.nan)
        self._heights = np.full(count, self.base_m)
        self._scale = np.ones((count, 3), np.float32)
        self._build_labels(count)
        time = self.view.scene.clock.time
        if time is not None:
            self.set_time(time)

    def _build_labels(self, count: int) -> None:
        """The value above each column, when there are few enough columns to read them all."""
        self.labels = None
        if self.layer.style.shows_labels(count, LABEL_MAX):
            self.labels = PointLabels(self.view, LABEL_PT)
            self.add_actor(self.labels.actor)

    def remove_actors(self) -> None:
        if self.labels is not None:
            self.labels.remove()
        super().remove_actors()

    def _update_labels(self, values: np.ndarray, heights: np.ndarray) -> None:
        """Write ``values`` above the columns; where two collide on screen, the more telling one
        (further from the median) is written."""
        if self.labels is None:
            return
        tops = self.points.astype(np.float64).copy()
        tops[:, 2] = heights + self.radius_m
        unit = self.layer.unit or ""
        suffix = "°" if unit == "°C" else ("" if unit.startswith("/") or not unit else f" {unit}")
        decimals = 0 if self.layer.is_count or unit == "dB(A)" else 1
        numbers = ["" if not np.isfinite(v) else f"{v:.{decimals}f}".replace(".", ",") for v in values]
        texts = [n + suffix if n else "" for n in numbers]
        finite = np.isfinite(values)
        median = float(np.median(values[finite])) if finite.any() else 0.0
        self.labels.set(
            tops,
            texts,
            priority=np.where(finite, np.abs(values - median), -np.inf),
            short=[[n] if n and suffix else [] for n in numbers],  # the unit is in the legend
        )

    def _make_legend(self) -> Legend:
        language = self.view.language
        return Legend(
            legend_title(self.layer, self._level_label, language),
            self.lut,
            label_format="%.4g",
            nan_label=say("no reading", language),
        )

    def _frame_advance_s(self) -> float:
        """How far the clock moves per replayed frame (simulated seconds), as its player set it:
        the timeline's tick, a video's frame (:attr:`layers.core.clock.Clock.frame_step_s`)."""
        return self.view.scene.clock.frame_step_s

    def set_time(self, t: datetime) -> None:
        layer = self.layer
        advance = self._frame_advance_s()
        values, age_s = layer.values_at(t, frame_advance_s=advance)
        level = layer.level_for(advance)
        label = level.label if level is not None else None
        if label != self._level_label:
            self._level_label = label
            self._legend = self._make_legend()
            self.view.legends_changed()
        values = np.asarray(values, dtype=np.float64)
        self._values = values
        finite = np.isfinite(values)
        lo, hi = self.clim
        norm = np.clip((np.where(finite, values, lo) - lo) / ((hi - lo) or 1.0), 0.0, 1.0)
        heights = np.where(finite, self.base_m + norm * self.span_m, self.base_m * 0.45)
        self._heights = heights
        self._scale[:, 2] = heights
        table = self._table
        index = np.clip((norm * len(table)).astype(np.int64), 0, len(table) - 1)
        rgba = table[index].copy()
        rgba[~finite] = NO_READING_RGBA
        # a reading older than its sampling step fades towards light grey (still a reading)
        step = np.maximum(np.nan_to_num(layer.step_s, nan=600.0), 1.0)
        age = np.nan_to_num(np.asarray(age_s, float), nan=0.0)
        stale = np.clip((age - step) / (3 * step), 0.0, 0.65) * finite
        rgba[:, :3] = (rgba[:, :3] * (1 - stale[:, None]) + STALE_RGB * stale[:, None]).astype(np.uint8)
        self.cloud.update(scale=self._scale, rgba=rgba)
        self.discs.update(rgba=rgba)
        self._update_labels(values, heights)

    def legends(self) -> list[Legend]:
        return [self._legend]

    def pick_points(self) -> tuple[np.ndarray, np.ndarray] | None:
        tops = self.points.copy()
        tops[:, 2] = self._heights * 0.6
        return tops, np.arange(len(tops))

    def attributes(self, index: int) -> dict[str, Any]:
        attributes = dict(self.layer.attributes(index))
        value = self._values[index] if index < len(self._values) else np.nan
        unit = self.layer.unit or ""
        language = self.view.language
        shown = f"{value:.1f} {unit}".strip() if np.isfinite(value) else say("no reading", language)
        if self._level_label and np.isfinite(value):
            shown += f" ({say(self._level_label, language)})"
        attributes[say("value at the time shown", language)] = shown
        return attributes
