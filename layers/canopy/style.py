"""The display options of a canopy (kind ``canopy``): from which height a pixel is vegetation, and
the colour scale of the heights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from layers.core.style import ColourScaleStyle, StyleError


@dataclass(frozen=True)
class CanopyStyle(ColourScaleStyle):
    """How a canopy is drawn.

    Attributes
    ----------
    min_height_m
        Pixels at least this high above the ground (metres) are trees and shrubs; lower ones are
        grass, low plants or the ground, left out (counted in the layer's ``stats``).
    clim, cmap
        The colour scale of the heights (``None``: greens from ``min_height_m`` to the tallest).
    """

    min_height_m: float = 2.0

    rebuild_fields: ClassVar[frozenset[str]] = frozenset({"min_height_m"})

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_height_m <= 100.0:
            raise StyleError(
                None,
                f"min_height_m {self.min_height_m} is not a height between 0 and 100 m",
                field="min_height_m",
            )
