"""The display options of a terrain (kind ``terrain``)."""

from __future__ import annotations

from dataclasses import dataclass

from layers.core.style import LayerStyle

#: the colour map of altitudes
TERRAIN_CMAP = "gist_earth"


@dataclass(frozen=True, kw_only=True)
class TerrainStyle(LayerStyle):
    """How a terrain is drawn.

    Attributes
    ----------
    cmap
        Matplotlib colour map of the altitudes, over the DEM's own range (metres).
    """

    cmap: str = TERRAIN_CMAP
