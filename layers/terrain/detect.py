"""The sniffers of the terrain kind: an elevation raster, or spot heights, named as such.

A LiDAR HD terrain or surface model (MNT, DTM, MNS, DSM) is a terrain; a height model (MNH, DHM,
CHM: heights above the ground) is not, whatever else its name holds: it is the canopy kind's
(:mod:`layers.terrain.products`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from layers.core.kinds import Claim
from layers.terrain.products import is_height_model

if TYPE_CHECKING:
    from layers.io.probe import FileProbe

TERRAIN_WORDS = re.compile(r"(dem|mnt|dtm|dsm|mns|alti|elev|terrain|relief)", re.I)


def sniff_header(probe: FileProbe) -> Claim | None:
    """A raster named like a DEM (mnt, dtm, mns, alti...), not a height model."""
    if "raster" in probe.families and TERRAIN_WORDS.search(probe.stem) and not is_height_model(probe.stem):
        return Claim.NAME
    return None


def sniff_features(probe: FileProbe) -> Claim | None:
    """Points named like a DEM: spot heights (interpolated by :mod:`layers.terrain.layer`)."""
    if "point" in probe.geometry_type and TERRAIN_WORDS.search(probe.path.stem):
        return Claim.NAME
    return None
