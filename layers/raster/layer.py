"""Raster overlays (kind ``raster``): any GeoTIFF-like file shown as a draped picture.

:class:`RasterLayer` is a :class:`~layers.raster.grid_layer.GridLayer` with the ``raster`` kind's
style (:class:`~layers.raster.style.RasterStyle`). A 3- or 4-band 8-bit file (or a paletted one)
is a *rendered colour image* (a map someone already coloured, such as an NO2 estimate exported as
RGB): it is shown as an image and never read as measurements. The kinds of measured grids
(:class:`layers.noise.layer.NoiseLayer`, :class:`layers.heat.layer.HeatLayer`,
:class:`layers.sunlight.layer.SunlightLayer`, :class:`layers.terrain.layer.TerrainLayer`) refuse such
images.
"""

from __future__ import annotations

from typing import ClassVar

from layers.raster.grid_layer import GridLayer
from layers.raster.style import RasterStyle


class RasterLayer(GridLayer[RasterStyle]):
    """Any raster overlay (kind ``raster``): values with a unit, or a colour image (see
    :class:`GridLayer` for its attributes)."""

    kind: ClassVar[str] = "raster"
    style_class = RasterStyle
