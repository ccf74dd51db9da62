"""Display options of raster overlays: a colour scale (``clim``, ``cmap``) over the kind's palette.

:class:`~layers.core.style.ColourScaleStyle` is the shared group of the kinds whose values go
through a continuous colour map (``raster``, ``heat``, ``sunlight``, ``terrain``): neither option set
means the kind's own palette and limits (:meth:`layers.raster.grid_layer.GridLayer.colour_scale`).
:class:`RasterStyle` is the style of the ``raster`` kind itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from layers.core.style import ColourScaleStyle


@dataclass(frozen=True)
class RasterStyle(ColourScaleStyle):
    """The ``raster`` kind's options: its colour scale (a colour image ignores it)."""
