"""The credit line of IGN's downloads, recognised by their file names.

IGN's open data (Licence Ouverte 2.0) asks for "Source : IGN – <product>" ("Source: …" in the
model's English, said in French by :mod:`layers.core.messages`). Its products are named after
themselves: LiDAR HD tiles ``LHD_FXX_0770_6277_MNT_O_0M50_LAMB93_IGN69.tif`` (and the
``…_LA93_IGN69_…`` names of IGN's own tools), BD ORTHO tiles in a ``BDORTHO_…`` folder,
``ORTHOHR`` for the 20 cm orthophoto. A file whose name says none of them gets no credit line
from here.
"""

from __future__ import annotations

import re
from pathlib import Path

_LIDAR = re.compile(r"(^lhd_)|((?<![a-z])la(mb)?93_ign69(?![a-z]))", re.I)
_ORTHO = re.compile(r"(?<![a-z])(bdortho|bd_ortho|orthohr|ortho_hr)(?![a-z])", re.I)

LIDAR_HD = "Source: IGN – LiDAR HD"
BD_ORTHO = "Source: IGN – BD ORTHO®"


def ign_credit(path: str | Path) -> str | None:
    """The credit line of an IGN product named by ``path`` (its name or a folder above it)."""
    path = Path(path)
    if _LIDAR.search(path.stem):
        return LIDAR_HD
    if any(_ORTHO.search(part) for part in (path.stem, *(p.name for p in path.parents[:3]))):
        return BD_ORTHO
    return None
