"""Display options of raster overlays: a colour scale (``clim``, ``cmap``) over the kind's palette.

:class:`ColourScaleStyle` is the shared group of the kinds whose values go through a continuous
colour map (``raster``, ``heat``, ``sunlight``): neither option set means the kind's own palette
and limits (:meth:`layers.raster.grid_layer.GridLayer.colour_scale`). :class:`RasterStyle` is the
style of the ``raster`` kind itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from layers.core.style import LayerStyle


@dataclass(frozen=True)
class ColourScaleStyle(LayerStyle):
    """A colour scale set by the user over a kind's default one.

    Attributes
    ----------
    clim
        (low, high) values at the two ends of the colour map, in the layer's unit; ``None``: the
        kind's limits (robust percentiles, a diverging range...).
    cmap
        A matplotlib / VTK colour map name (``"viridis"``, ``"RdBu_r"``...); ``None``: the kind's
        palette.
    """

    clim: tuple[float, float] | None = None
    cmap: str | None = None


@dataclass(frozen=True)
class RasterStyle(ColourScaleStyle):
    """The ``raster`` kind's options: its colour scale (a colour image ignores it)."""
