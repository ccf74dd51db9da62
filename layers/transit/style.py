"""How a transit layer is drawn: routes in the feed's own colours, stops, vehicles as pucks.

The feed itself says how its routes look (``route_color``, ``route_text_color``) and the sizes are
set in screen pixels by the viewer (:mod:`viewer.visuals.transit`), so the kind has no display
option of its own yet; its style still keeps the keys of a later version (``extra``).
"""

from __future__ import annotations

from dataclasses import dataclass

from layers.core.style import LayerStyle


@dataclass(frozen=True)
class TransitStyle(LayerStyle):
    """The display options of a :class:`~layers.transit.layer.TransitLayer` (none yet)."""
