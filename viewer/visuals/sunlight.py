"""Sunlight hours on the ground: a dark-to-bright ramp, and a red / blue ramp for a difference.

Hours go from deep violet (no sun) to pale yellow (sun all day), ``magma``. A difference (after −
before) goes red where a project takes sun away and blue where it gives some back; unchanged
pixels are left transparent, so only what the project changes covers the city. The palettes and
limits are the model's (:class:`layers.sunlight.layer.SunlightLayer`), overridden by the style's
``clim`` / ``cmap``.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkCommonCore import vtkLookupTable

from layers.sunlight.layer import SunlightLayer

from ..colors import continuous_lut, nice_ticks
from ..legends import Legend
from ..words import say
from .raster import TRANSPARENT, RasterVisual

#: a change smaller than this (hours) is shown as no change
UNCHANGED_H = 1e-3


class SunlightVisual(RasterVisual[SunlightLayer]):
    """Hours of sun (or their change) through the layer's colour scale, titled with the day."""

    layer_type = SunlightLayer
    kind = "sunlight"
    z_role = "heat"

    def colouring(self) -> tuple[vtkLookupTable, Legend]:
        layer = self.layer
        scale = layer.colour_scale()
        lut = continuous_lut(scale.cmap, scale.limits, nan_rgba=TRANSPARENT)
        language = self.view.language
        day = f" {say('on', language)} {_day(layer.day, language)}" if layer.day else ""
        what = "Sun gained / lost" if layer.is_difference else "Hours of sun"
        title = f"{say(what, language)}{day} (h)"
        ticks = nice_ticks(scale.limits[0], scale.limits[1], 5)
        return lut, Legend(title, lut, label_format="%.0f", ticks=ticks)

    def display_values(self, values: np.ndarray) -> np.ndarray:
        if self.layer.is_difference:
            values = np.where(np.abs(values) < UNCHANGED_H, np.nan, values)
        return values


def _day(text: str, language: str = "fr") -> str:
    """``2025-06-21`` → ``21/06/2025`` in French (as it is in English)."""
    parts = str(text).split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 and language == "fr" else str(text)
