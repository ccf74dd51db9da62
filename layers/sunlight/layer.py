"""Sunlight layers: hours of direct sun over a day, or their change with a planned project.

:class:`SunlightLayer` (kind ``sunlight``) is a raster of hours written by ``maquette sunlight`` or
computed in the app (:mod:`layers.sunlight.hours`). It knows whether it holds hours (0 to the
day's maximum) or a difference (after − before, negative where a project takes sun away), the day
and the most hours a pixel could get, from the GeoTIFF's tags (``QUANTITY``, ``DATE``,
``MAX_HOURS``; ``MAQUETTE_KIND=sunlight`` is what makes Maquette open it as this kind). Hours go
from deep violet (no sun) to pale yellow (sun all day); a difference goes red where sun is lost and
blue where it is gained.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from layers.core.palettes import ColormapSpec
from layers.raster.grid_layer import GridLayer
from layers.sunlight.style import SunlightStyle

HOURS = "sunlight hours"
DIFFERENCE = "sunlight hours difference"
#: hours of sun: dark (none) to bright (all day)
HOURS_PALETTE = ColormapSpec("magma", "sequential", "from 0 to the day's most hours, rounded up")
#: after − before: red where a project takes sun away, blue where it gives some back
DIFFERENCE_PALETTE = ColormapSpec("RdBu", "diverging", "centred on 0; symmetric limits in whole hours")
#: what a project changes, in classes a citizen reads at a glance (hours, after − before): (upper
#: bound of the change, colour, label); the thresholds are the study's figures (≥ 1 h, ≥ 2 h lost)
CHANGE_CLASSES: tuple[tuple[float, str, str], ...] = (
    (-2.0, "#b2182b", "2 h of sun or more lost"),
    (-1.0, "#ef6548", "1 to 2 h lost"),
    (0.0, "#fdbb84", "less than 1 h lost"),
    (math.inf, "#4393c3", "sun gained"),
)
#: a change smaller than this (hours: under a minute) is no change
UNCHANGED_H = 1 / 60


def change_class(hours: np.ndarray) -> np.ndarray:
    """The :data:`CHANGE_CLASSES` index (0..3, float) of each change of hours, NaN where nothing
    changes (within :data:`UNCHANGED_H`) or nothing is known."""
    values = np.asarray(hours, dtype=float)
    bounds = np.array([bound for bound, _, _ in CHANGE_CLASSES[:-1]])
    classes = np.searchsorted(bounds, values, side="left").astype(float)  # -2.0 itself: ≥ 2 h lost
    classes[~np.isfinite(values) | (np.abs(values) < UNCHANGED_H)] = np.nan
    return classes


#: tags of a sunlight GeoTIFF that say what it holds (kept when the layer is exported again)
SUNLIGHT_TAGS = ("QUANTITY", "DATE", "MAX_HOURS")


class SunlightLayer(GridLayer[SunlightStyle]):
    """Hours of direct sun (kind ``sunlight``), or their difference, in hours.

    Attributes
    ----------
    quantity
        :data:`HOURS` or :data:`DIFFERENCE`.
    day
        The day computed (``YYYY-MM-DD``), ``None`` when the file does not say.
    max_hours
        The most hours a pixel could get that day (``None`` when unknown).
    """

    kind: ClassVar[str] = "sunlight"
    style_class = SunlightStyle
    default_unit: ClassVar[str | None] = "h"
    accepts_images: ClassVar[bool] = False
    what: ClassVar[str] = "hours of sun"

    quantity: str = HOURS
    day: str | None = None
    max_hours: float | None = None

    def _loaded(self, path: Path, **options: Any) -> None:
        tags = self.source_info.tags
        quantity = str(tags.get("QUANTITY", "")).lower()
        self.quantity = DIFFERENCE if "difference" in quantity else HOURS
        self.day = tags.get("DATE") or None
        try:
            self.max_hours = float(tags["MAX_HOURS"])
        except (KeyError, ValueError):
            self.max_hours = None

    @property
    def is_difference(self) -> bool:
        """The values are a difference of hours (after − before a project), not hours."""
        return self.quantity == DIFFERENCE

    @property
    def palette(self) -> ColormapSpec:
        """:data:`DIFFERENCE_PALETTE` for a difference, else :data:`HOURS_PALETTE`."""
        return DIFFERENCE_PALETTE if self.is_difference else HOURS_PALETTE

    @property
    def display_quantity(self) -> str:
        return self.quantity

    def export_tags(self) -> dict[str, str]:
        """The file's own ``QUANTITY``, ``DATE``, ``MAX_HOURS`` and ``MAQUETTE_KIND=sunlight``, so
        that an export opens again as a sunlight layer with its day."""
        tags = super().export_tags()
        tags.update({k: str(v) for k, v in self.source_info.tags.items() if k in SUNLIGHT_TAGS})
        tags["MAQUETTE_KIND"] = "sunlight"
        return tags

    def color_limits(self) -> tuple[float, float]:
        """0 → the day's maximum (rounded up) for hours; symmetric round limits for a difference."""
        values = self.grid_values()
        finite = values[np.isfinite(values)]
        if self.is_difference:
            largest = float(np.max(np.abs(finite))) if len(finite) else 1.0
            bound = max(1.0, math.ceil(largest))
            return -bound, bound
        top = self.max_hours if self.max_hours else (float(finite.max()) if len(finite) else 1.0)
        return 0.0, float(max(1.0, math.ceil(top)))

    def attributes_at(self, x: float, y: float) -> dict[str, Any]:
        info = super().attributes_at(x, y)
        if info and "value" in info:
            hours = float(info["value"])
            key = "difference_h" if self.is_difference else "sunlight_h"
            info = {key: round(hours, 2), "value": hours, "unit": "h", "duration": format_hours(hours)}
            if self.day:
                info["date"] = self.day
        return info

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info.update(quantity=self.quantity, date=self.day, max_hours=self.max_hours)
        return info


def format_hours(hours: float) -> str:
    """``4 h 15`` (or ``−1 h 30`` for a loss)."""
    sign = "−" if hours < 0 else ""
    minutes = int(round(abs(hours) * 60))
    return f"{sign}{minutes // 60} h {minutes % 60:02d}"
