"""The sniffer of the raster kind: any raster; a colour image whatever its name or tags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from layers.core.kinds import Claim

if TYPE_CHECKING:
    from layers.io.probe import FileProbe


def sniff_header(probe: FileProbe) -> Claim | None:
    """A colour image (3-4 bands of 8 bits, or paletted) is a picture, never measurements: its
    format says so; any other raster falls back here when no kind knows it better."""
    if "raster" not in probe.families:
        return None
    return Claim.FORMAT if probe.raster_header.is_image else Claim.FALLBACK
