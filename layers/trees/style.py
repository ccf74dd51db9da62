"""The display options of trees (kind ``trees``)."""

from __future__ import annotations

from dataclasses import dataclass

from layers.core.style import LayerStyle

#: crowns: a leaf green that reads as trees from above and from the street, species-free
CROWN_COLOR = "#5b8c3a"
#: trunks: bark brown
TRUNK_COLOR = "#6e5540"


@dataclass(frozen=True, kw_only=True)
class TreesStyle(LayerStyle):
    """How trees are drawn.

    Attributes
    ----------
    crown_color
        ``"#rrggbb"`` of the crowns (each tree a little lighter or darker, by its height).
    trunk_color
        ``"#rrggbb"`` of the trunks.
    trunks
        Draw the trunks (off: crowns only, lighter on very large inventories).
    """

    crown_color: str = CROWN_COLOR
    trunk_color: str = TRUNK_COLOR
    trunks: bool = True
