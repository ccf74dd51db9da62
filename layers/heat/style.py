"""Display options of the heat kind: a temperature raster, or loggers interpolated into a surface.

Both share the colour scale (:class:`~layers.core.style.ColourScaleStyle`: ``clim`` in °C,
``cmap``); ``show`` and ``stations`` only concern a surface interpolated from loggers
(:class:`layers.heat.stations.StationHeatLayer`). The reference logger of the heat island is a load
option of that layer (``reference``), not a style: it chooses which data the surface is computed
from, and changes with :meth:`~layers.heat.stations.StationHeatLayer.set_reference`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from layers.core.style import ColourScaleStyle

#: values of :attr:`HeatStyle.show`
SHOW_TEMPERATURE = "temperature"
SHOW_UHI = "uhi"


@dataclass(frozen=True)
class HeatStyle(ColourScaleStyle):
    """The options of a heat layer.

    Attributes
    ----------
    show
        Loggers' surface: ``"temperature"`` (°C), or ``"uhi"``, the heat island intensity
        (difference to the reference logger, K, centred on 0; needs a reference).
    stations
        Loggers' surface: draw a puck at each logger, coloured by its reading.
    """

    show: Literal["temperature", "uhi"] = "temperature"
    stations: bool = True

    rebuild_fields: ClassVar[frozenset[str]] = frozenset({"show", "stations"})
