"""Temperature rasters: the layer's diverging palette (cool blue → hot red) and a °C legend.

Colours come from the model (:meth:`layers.heat.layer.HeatLayer.color_limits` and ``palette``): limits
symmetric around the median of the raster (around 0 for a difference such as a heat island
intensity), so white means "as usual here" and the two ends mean the same distance from it. A
``clim`` / ``cmap`` style overrides them. Layers interpolated from a network of loggers are drawn by
:class:`viewer.visuals.heat_surface.HeatSurfaceVisual`, which this class hands over to.
"""

from __future__ import annotations

from layers.heat.layer import HeatLayer
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


class HeatVisual(RasterVisual):
    layer_type = HeatLayer
    kind = "heat"
    z_role = "heat"

    def colouring(self):
        limits = self.layer.style.get("clim") or self.layer.color_limits() or (0.0, 1.0)
        cmap = self.layer.style.get("cmap") or self.layer.palette.name
        lut = continuous_lut(cmap, tuple(limits), nan_rgba=TRANSPARENT)
        quantity = getattr(self.layer, "display_quantity", None) or getattr(self.layer, "quantity", None)
        title = heat_title(quantity, getattr(self.layer, "unit", None), self.view.language)
        low, high = lut.GetRange()
        return lut, Legend(title, lut, label_format="%.3g", ticks=nice_ticks(low, high, 7))

    def probe(self, x: float, y: float) -> str | None:
        info = self.layer.attributes_at(x, y)
        value = info.get("value") if info else None
        if value is None:
            return None
        name = heat_name(getattr(self.layer, "quantity", None), self.view.language)
        return f"{name} {value:.1f} {info.get('unit') or '°C'}"
