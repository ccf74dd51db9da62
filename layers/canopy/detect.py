"""The sniffer of the canopy kind: a height model (MNH, DHM, CHM...) by its name and its content.

A height model holds heights above the ground: its lowest values sit at the ground (about 0 m), its
highest are tree tops and roofs (tens of metres). A raster named like one (:mod:`layers.terrain.products`)
whose values say so is claimed by content; a name alone is a name claim (its values could not be read
cheaply, or say otherwise).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from layers.core.kinds import Claim
from layers.terrain.products import is_height_model

if TYPE_CHECKING:
    from layers.io.probe import FileProbe

#: pixels read, at most, to look at the values (an overview of the file)
SAMPLE_SIDE = 64


def sniff_header(probe: FileProbe) -> Claim | None:
    """A raster named as a height model: by content when its values start at the ground."""
    if "raster" not in probe.families or not is_height_model(probe.stem):
        return None
    if probe.raster_header.is_image:
        return None
    return Claim.CONTENT if looks_like_heights(probe.path) else Claim.NAME


def looks_like_heights(path: object) -> bool:
    """True when the file's values (read decimated) lie from about the ground (−2 to 2 m) to at most
    200 m: heights above the ground, not altitudes."""
    import rasterio

    try:
        with rasterio.open(path) as ds:
            side = (min(ds.height, SAMPLE_SIDE), min(ds.width, SAMPLE_SIDE))
            data = ds.read(1, out_shape=side, masked=True)
    except Exception:  # noqa: BLE001 - a file that cannot be read is judged by its name only
        return False
    values = np.ma.filled(data.astype(np.float64), np.nan)
    values = values[np.isfinite(values) & (np.abs(values) < 9000)]
    if not len(values):
        return False
    return -2.0 <= float(values.min()) <= 2.0 and float(values.max()) <= 200.0
