"""The display options of flat vector features (kind ``vector``)."""

from __future__ import annotations

from dataclasses import dataclass

from layers.core.style import LayerStyle

#: the colour of features when no category colours them: a pale green-grey
PLAIN_COLOR = "#cfd8c4"


@dataclass(frozen=True, kw_only=True)
class VectorStyle(LayerStyle):
    """How flat features are drawn.

    Attributes
    ----------
    color_by
        The text column whose categories colour the features (a legend lists them); ``None``:
        the layer's guessed :attr:`~layers.vector.layer.VectorLayer.category_field`, if any.
    color
        ``"#rrggbb"`` of every feature when no category colours them.
    """

    color_by: str | None = None
    color: str = PLAIN_COLOR
