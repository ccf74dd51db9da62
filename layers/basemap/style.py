"""Display options of a basemap (kind ``basemap``)."""

from __future__ import annotations

from dataclasses import dataclass

from layers.core.style import LayerStyle


@dataclass(frozen=True)
class BasemapStyle(LayerStyle):
    """How a basemap is drawn: ``detail`` shifts the zoom chosen for the view (+1: tiles twice as
    fine as the screen's pixels, -1: twice as coarse, lighter)."""

    detail: int = 0
