"""Sunlight hours on the ground: a dark-to-bright ramp, and classes of sun lost for a difference.

Hours go from deep violet (no sun) to pale yellow (sun all day), ``magma``. A difference (after −
before) is drawn in the classes a citizen reads at a glance (:data:`layers.sunlight.layer.
CHANGE_CLASSES`: 2 h or more lost in deep red, 1 to 2 h in red, less than 1 h in orange, sun gained
in blue); unchanged pixels are left transparent, so only what the project changes covers the city.
A ``clim`` or ``cmap`` set in the style draws the difference on that continuous scale instead.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkCommonCore import vtkLookupTable

from layers.sunlight.layer import CHANGE_CLASSES, SunlightLayer, change_class

from ..colors import continuous_lut, indexed_lut, nice_ticks
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

    @property
    def in_classes(self) -> bool:
        """A difference drawn in :data:`CHANGE_CLASSES` (no colour scale set by the user)."""
        style = self.layer.style
        return self.layer.is_difference and style.cmap is None and style.clim is None

    def colouring(self) -> tuple[vtkLookupTable, Legend]:
        layer = self.layer
        language = self.view.language
        day = f" {say('on', language)} {_day(layer.day, language)}" if layer.day else ""
        if self.in_classes:
            lut = indexed_lut(
                [colour for _, colour, _ in CHANGE_CLASSES],
                [say(label, language) for _, _, label in CHANGE_CLASSES],
                nan_rgba=TRANSPARENT,
            )
            return lut, Legend(f"{say('Sun the project takes away', language)}{day}", lut, categorical=True)
        scale = layer.colour_scale()
        lut = continuous_lut(scale.cmap, scale.limits, nan_rgba=TRANSPARENT)
        what = "Sun gained / lost" if layer.is_difference else "Hours of sun"
        title = f"{say(what, language)}{day} (h)"
        ticks = nice_ticks(scale.limits[0], scale.limits[1], 5)
        return lut, Legend(title, lut, label_format="%.0f", ticks=ticks)

    def display_values(self, values: np.ndarray) -> np.ndarray:
        if self.in_classes:
            return change_class(values)
        if self.layer.is_difference:
            values = np.where(np.abs(values) < UNCHANGED_H, np.nan, values)
        return values


def _day(text: str, language: str = "fr") -> str:
    """``2025-06-21`` → ``21/06/2025`` in French (as it is in English)."""
    parts = str(text).split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 and language == "fr" else str(text)
