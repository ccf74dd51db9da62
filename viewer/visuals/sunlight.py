"""Sunlight hours on the ground: a dark-to-bright ramp, and a red / blue ramp for a difference.

Hours go from deep violet (no sun) to pale yellow (sun all day), ``magma``. A difference (after −
before) goes red where a project takes sun away and blue where it gives some back; unchanged
pixels are left transparent, so only what the project changes covers the city.
"""

from __future__ import annotations

import numpy as np

from layers.sunlight.layer import SunlightLayer

from ..colors import continuous_lut, nice_ticks
from ..legends import Legend
from .raster import TRANSPARENT, RasterVisual

HOURS_CMAP = "magma"
DIFFERENCE_CMAP = "RdBu"
#: a change smaller than this (hours) is shown as no change
UNCHANGED_H = 1e-3


class SunlightVisual(RasterVisual):
    layer_type = SunlightLayer
    kind = "sunlight"
    z_role = "heat"

    def colouring(self):
        layer = self.layer
        clim = tuple(layer.style.get("clim") or layer.color_limits())
        difference = getattr(layer, "is_difference", False)
        cmap = layer.style.get("cmap", DIFFERENCE_CMAP if difference else HOURS_CMAP)
        lut = continuous_lut(cmap, clim, nan_rgba=TRANSPARENT)
        day = f" le {_day(layer.day)}" if getattr(layer, "day", None) else ""
        title = f"Soleil gagné / perdu{day} (h)" if difference else f"Ensoleillement{day} (h)"
        ticks = nice_ticks(clim[0], clim[1], 5)
        return lut, Legend(title, lut, label_format="%.0f", ticks=ticks)

    def display_values(self, values: np.ndarray) -> np.ndarray:
        if getattr(self.layer, "is_difference", False):
            values = np.where(np.abs(values) < UNCHANGED_H, np.nan, values)
        return values


def _day(text: str) -> str:
    """``2025-06-21`` → ``21/06/2025``."""
    parts = str(text).split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else str(text)
