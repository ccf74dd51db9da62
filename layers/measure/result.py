"""A measurement's value with its unit, written in the interface's language."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from layers.core.numbers import number

from .geometry import hectares


class Unit(Enum):
    METRE = "m"
    SQUARE_METRE = "m²"


@dataclass(frozen=True)
class Measurement:
    """``value`` in ``unit`` (metres, or square metres for an area; float64, scene CRS)."""

    value: float
    unit: Unit = Unit.METRE

    def text(self, language: str = "fr") -> str:
        """``12,34 m``, ``1 234,5 m² (0,12 ha)`` in French; ``12.34 m``, ``1,234.5 m² (0.12 ha)`` in
        English."""
        if self.unit is Unit.SQUARE_METRE:
            return f"{number(self.value, language, 1)} m² ({number(hectares(self.value), language, 2)} ha)"
        return f"{number(self.value, language, 2)} m"
