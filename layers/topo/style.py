"""The display options of reference-map features (kind ``topo``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from layers.core.style import LayerStyle


@dataclass(frozen=True, kw_only=True)
class TopoStyle(LayerStyle):
    """How reference-map features are drawn.

    Attributes
    ----------
    widths
        ``"real"``: lines drawn at their width on the ground (metres, a default by category where
        the data has none); ``"wide"``: twice that, legible from afar.
    casing
        Roads drawn with a darker edge (a casing), as on a paper map.
    color
        ``"#rrggbb"`` of features whose category has no colour of its own; ``None``: the theme's.
    """

    widths: Literal["real", "wide"] = "real"
    casing: bool = True
    color: str | None = None

    rebuild_fields: ClassVar[frozenset[str]] = frozenset({"widths", "casing", "color"})

    @property
    def width_factor(self) -> float:
        """What line widths are multiplied by."""
        return 2.0 if self.widths == "wide" else 1.0
