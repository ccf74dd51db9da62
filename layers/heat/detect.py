"""The sniffer of the heat kind: a raster in °C or K, or named like a temperature map.

Tables of logger readings are claimed by the sensors kind (a heat layer can be opened from them
by choice: :class:`layers.heat.stations.StationHeatLayer`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from layers.core.kinds import Claim

if TYPE_CHECKING:
    from layers.io.probe import FileProbe

HEAT_WORDS = re.compile(r"(temp|lst|chaleur|heat|icu|uhi|thermal|surface_t)", re.I)
TEMPERATURE_UNIT = re.compile(r"^(°\s*c|º\s*c|deg\s*c|degc|degrees?\s*c(elsius)?|celsius|k|kelvin)$", re.I)


def sniff_header(probe: FileProbe) -> Claim | None:
    if "raster" not in probe.families:
        return None
    if TEMPERATURE_UNIT.match((probe.raster_header.unit or "").strip()):
        return Claim.CONTENT
    return Claim.NAME if HEAT_WORDS.search(probe.stem) else None
