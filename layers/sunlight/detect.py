"""The sniffer of the sunlight kind: a raster written by Maquette's sunlight study (its tags)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from layers.core.kinds import Claim

if TYPE_CHECKING:
    from layers.io.probe import FileProbe


def is_sunlight_tags(tags: dict[str, str]) -> bool:
    """True for a raster written by Maquette's sunlight computation."""
    kind = str(tags.get("MAQUETTE_KIND", "")).lower()
    quantity = str(tags.get("QUANTITY", "")).lower()
    return kind == "sunlight" or quantity.startswith("sunlight hours")


def sniff_header(probe: FileProbe) -> Claim | None:
    if "raster" in probe.families and is_sunlight_tags(probe.raster_header.tags):
        return Claim.FORMAT
    return None
