"""The sniffer of the basemap kind: MBTiles and PMTiles files, by their format."""

from __future__ import annotations

from typing import TYPE_CHECKING

from layers.core.kinds import Claim

if TYPE_CHECKING:
    from layers.io.probe import FileProbe


def sniff_header(probe: FileProbe) -> Claim | None:
    """Tile pyramids (``.mbtiles``, ``.pmtiles``) are basemaps: their format says so (a broken
    one is refused when opened, with the reason)."""
    return Claim.FORMAT if "tiles" in probe.families else None
