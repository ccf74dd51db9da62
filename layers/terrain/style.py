"""The display options of a terrain (kind ``terrain``): a colour scale of its altitudes."""

from __future__ import annotations

from dataclasses import dataclass

from layers.core.style import ColourScaleStyle


@dataclass(frozen=True)
class TerrainStyle(ColourScaleStyle):
    """How a terrain is drawn: ``cmap`` over the altitudes (``None``: the terrain palette,
    :data:`layers.core.palettes.TERRAIN`), ``clim`` in metres (``None``: the DEM's own range)."""
