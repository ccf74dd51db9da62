"""Heat: a temperature raster in °C (land surface temperature, air temperature, heat island).

The values are shown with a diverging colour map (:data:`layers.core.palettes.TEMPERATURE`, blue = cool,
red = hot) centred on the median of the raster, so a public meeting sees at once which streets are
hotter than usual. A temperature *difference* (urban heat island intensity, anomaly) is centred on 0
instead. Kelvin and Fahrenheit files are converted to °C on load, with a warning. A ``clim`` /
``cmap`` style (:class:`layers.heat.style.HeatStyle`) overrides the limits and the palette.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from layers.core.palettes import TEMPERATURE, TEMPERATURE_DIFFERENCE, ColormapSpec, diverging_limits
from layers.heat.style import HeatStyle
from layers.io.raster_file import unit_from_tags
from layers.raster.grid_layer import GridLayer

SURFACE = "surface temperature"
AIR = "air temperature"
DIFFERENCE = "temperature difference"
TEMPERATURE_QUANTITY = "temperature"

_CELSIUS = re.compile(r"^(°\s*c|º\s*c|deg\s*c|degc|degrees?\s*c(elsius)?|celsius|c)$", re.I)
_KELVIN = re.compile(r"^(k|kelvin|degk|°k)$", re.I)
_FAHRENHEIT = re.compile(r"^(°\s*f|degf|deg\s*f|fahrenheit|f)$", re.I)
_DIFFERENCE_WORDS = re.compile(r"(uhi|delta|anomal|diff|[ée]cart|intensit)", re.I)
_SURFACE_WORDS = re.compile(r"(lst|surface|tsurf|skin|\bts\b|land)", re.I)
_AIR_WORDS = re.compile(r"(\bair\b|tair|t2m|\btas\b|2\s*m\b)", re.I)
QUANTITY_TAGS = (
    "QUANTITY",
    "quantity",
    "long_name",
    "standard_name",
    "DESCRIPTION",
    "description",
    "TITLE",
    "title",
)


def quantity_from_text(text: str) -> str | None:
    """The temperature quantity named in a tag or a file name, ``None`` when none is."""
    words = re.sub(r"[_\-.]+", " ", text)
    if _DIFFERENCE_WORDS.search(words):
        return DIFFERENCE
    if _SURFACE_WORDS.search(words):
        return SURFACE
    if _AIR_WORDS.search(words):
        return AIR
    return None


class HeatLayer(GridLayer[HeatStyle]):
    """A temperature raster (kind ``heat``), values in °C.

    Attributes
    ----------
    quantity
        ``"surface temperature"``, ``"air temperature"``, ``"temperature difference"`` or
        ``"temperature"``: from the ``quantity`` option, the file's tags, or its name.
    palette
        :data:`~layers.core.palettes.TEMPERATURE` (or ``TEMPERATURE_DIFFERENCE`` for a difference).
    center_c
        The value at the middle of the colour map, °C (``None``: the median; 0 for a difference).
    """

    kind: ClassVar[str] = "heat"
    style_class = HeatStyle
    default_unit: ClassVar[str | None] = "°C"
    accepts_images: ClassVar[bool] = False
    what: ClassVar[str] = "temperatures"

    quantity: str = TEMPERATURE_QUANTITY
    center_c: float | None = None

    # A temperature raster is read by GridLayer.load; loggers' readings (a table or points) by the
    # kind's variant layers.heat.stations.StationHeatLayer, a surface interpolated at the clock time.

    def _loaded(
        self, path: Path, *, quantity: str | None = None, center: float | None = None, **options: Any
    ) -> None:
        self._to_celsius(path)
        texts = [str(self.source_info.tags.get(key, "")) for key in QUANTITY_TAGS]
        texts += [self.source_info.description or "", path.stem]
        found = quantity or next((q for q in map(quantity_from_text, texts) if q), None)
        self.quantity = found or TEMPERATURE_QUANTITY
        if self.quantity == DIFFERENCE:
            self.center_c = 0.0
        if center is not None:
            self.center_c = float(center)
            self.options["center"] = float(center)
        if quantity is not None:
            self.options["quantity"] = quantity

    def _to_celsius(self, path: Path) -> None:
        declared = self.options.get("unit") or unit_from_tags(self.source_info.tags)
        unit = (declared or "").strip()  # self.unit already holds the default °C
        values = self.grid_values()
        if _CELSIUS.match(unit) or not unit:
            median = float(np.nanmedian(values))
            if not unit and 200.0 < median < 400.0 and not _DIFFERENCE_WORDS.search(path.stem):
                values -= np.float32(273.15)
                self.warnings.append(
                    f"no unit given and values around {median:.0f}: read as kelvin and converted to °C"
                )
            self.unit = "°C"
        elif _KELVIN.match(unit):
            if float(np.nanmedian(values)) > 150.0:  # absolute temperatures, not differences
                values -= np.float32(273.15)
            self.warnings.append("values in kelvin converted to °C")
            self.unit = "°C"
        elif _FAHRENHEIT.match(unit):
            values[:] = (values - np.float32(32.0)) * np.float32(5.0 / 9.0)
            self.warnings.append("values in °F converted to °C")
            self.unit = "°C"
        else:
            self.warnings.append(f"unit {unit!r} is not a temperature unit; values shown as they are")
        self._range_cache = None

    @property
    def palette(self) -> ColormapSpec:
        """:data:`~layers.core.palettes.TEMPERATURE_DIFFERENCE` for a difference, else
        :data:`~layers.core.palettes.TEMPERATURE`."""
        return TEMPERATURE_DIFFERENCE if self.quantity == DIFFERENCE else TEMPERATURE

    @property
    def display_quantity(self) -> str:
        """What the values shown are: :attr:`quantity`."""
        return self.quantity

    def color_center(self) -> float | None:
        """The value at the middle of the diverging colour map: the median (0 for a difference)."""
        limits = diverging_limits(self.grid_values(), center=self.center_c)
        return None if limits is None else limits[1]

    def color_limits(self) -> tuple[float, float] | None:
        """(vmin, vmax) symmetric around :meth:`color_center`, reaching the farther of the 2nd and
        98th percentiles."""
        limits = diverging_limits(self.grid_values(), center=self.center_c)
        return None if limits is None else (limits[0], limits[2])

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info["quantity"] = self.quantity
        info["palette"] = self.palette.name
        center = self.color_center()
        if center is not None:
            info["palette_center"] = round(center, 3)
        return info
