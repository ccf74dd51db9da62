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
    roof_area_m2
        Flat patches at least this wide (m²) are roofs, not trees, when no building footprint
        says where the roofs are (:mod:`layers.canopy.roofs`); 0 keeps them.
    clim, cmap
        The colour scale of the heights (``None``: greens from ``min_height_m`` to the tallest).
    """

    min_height_m: float = 2.0
    roof_area_m2: float = 20.0

    rebuild_fields: ClassVar[frozenset[str]] = frozenset({"min_height_m", "roof_area_m2"})

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_height_m <= 100.0:
            raise StyleError(
                None,
                f"min_height_m {self.min_height_m} is not a height between 0 and 100 m",
                field="min_height_m",
            )
        if self.roof_area_m2 < 0:
            raise StyleError(None, f"roof_area_m2 {self.roof_area_m2} is negative", field="roof_area_m2")
