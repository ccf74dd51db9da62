"""Display options of a sunlight layer (kind ``sunlight``): its colour scale.

``clim`` (hours) and ``cmap`` override the kind's own: 0 to the day's maximum on a dark-to-bright
ramp for hours, symmetric round limits on a red / blue ramp for a difference (see
:class:`layers.sunlight.layer.SunlightLayer`: ``color_limits`` and ``palette``).
"""

from __future__ import annotations

from dataclasses import dataclass

from layers.core.style import ColourScaleStyle


@dataclass(frozen=True)
class SunlightStyle(ColourScaleStyle):
    """The options of a sunlight layer: ``clim`` in hours, ``cmap``."""
