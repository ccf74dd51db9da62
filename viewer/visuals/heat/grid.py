"""Temperature rasters: the layer's diverging palette (cool blue → hot red) and a °C legend.

Colours come from the model (:meth:`layers.heat.layer.HeatLayer.colour_scale`): limits symmetric
around the median of the raster (around 0 for a difference such as a heat island intensity), so
white means "as usual here" and the two ends mean the same distance from it. A ``clim`` / ``cmap``
style overrides them. Layers interpolated from a network of loggers are drawn by
:class:`viewer.visuals.heat.surface.HeatSurfaceVisual`, registered for their class.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from vtkmodules.vtkCommonCore import vtkLookupTable

from layers.heat.layer import HeatLayer
from layers.raster.grid_layer import GridLayer
from viewer.colors import continuous_lut, nice_ticks
from viewer.legends import Legend
from viewer.visuals.raster import TRANSPARENT, RasterVisual
from viewer.words import say

#: quantity (as :mod:`layers.heat.layer` names it) → legend title in English (French: viewer.words.say)
QUANTITY_TITLES = {
    "surface temperature": "Surface temperature",
    "air temperature": "Air temperature",
    "temperature difference": "Temperature difference",
    "heat island intensity": "Heat island, difference to the reference",
    "temperature": "Temperature",
}


def heat_name(quantity: str | None, language: str = "fr") -> str:
    """``"Température de surface"`` for a quantity of :mod:`layers.heat.layer` (other text kept)."""
    quantity = quantity or "temperature"
    known = QUANTITY_TITLES.get(quantity)
    return say(known, language) if known else quantity[:1].upper() + quantity[1:]


def heat_title(quantity: str | None, unit: str | None, language: str = "fr") -> str:
    """``"Température de surface (°C)"``: the legend title."""
    return f"{heat_name(quantity, language)} ({unit or '°C'})"


HeatT = TypeVar("HeatT", bound=HeatLayer)


class HeatVisual(RasterVisual[HeatT]):
    """A temperature raster; the base of the loggers' surface visual."""

    layer_type: ClassVar[type[GridLayer[Any]]] = HeatLayer
    kind = "heat"
    z_role = "heat"

    def colouring(self) -> tuple[vtkLookupTable, Legend]:
        scale = self.layer.colour_scale()
        lut = continuous_lut(scale.cmap, scale.limits, nan_rgba=TRANSPARENT)
        title = heat_title(self.layer.display_quantity, self.layer.unit, self.view.language)
        low, high = lut.GetRange()
        return lut, Legend(title, lut, label_format="%.3g", ticks=nice_ticks(low, high, 7))

    def probe(self, x: float, y: float) -> str | None:
        info = self.layer.attributes_at(x, y)
        value = info.get("value") if info else None
        if value is None:
            return None
        name = heat_name(self.layer.quantity, self.view.language)
        return f"{name} {value:.1f} {info.get('unit') or '°C'}"
