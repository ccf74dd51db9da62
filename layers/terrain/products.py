"""LiDAR HD products (IGN) and other elevation models, recognised by their file names.

IGN names its LiDAR HD rasters ``LHD_FXX_0770_6277_MNT_O_0M50_LAMB93_IGN69.tif`` (``MNT``: terrain,
``MNS``: surface, ``MNH``: height above the ground); the same products are also published or
produced as ``DTM_…`` / ``DSM_…`` / ``DHM_…`` / ``CHM_…`` and ``mns_hydro_…``. Words are matched
between non-letters, so ``DHM_test_data`` is a height model and ``dhmaps`` is not.

- terrain models (MNT, DTM, DEM) and surface models (MNS, DSM) are the ``terrain`` kind, a surface
  model drawn as is (buildings and trees included: :data:`SURFACE`);
- height models (MNH, DHM, CHM, nDSM: surface − terrain) are the ``canopy`` kind.

:func:`tile_group` says which files are tiles of one product (their names differ only by digits:
the tile's coordinates), so that they open as one mosaic.
"""

from __future__ import annotations

import re

#: the ground's altitude
TERRAIN = "terrain model"
#: the altitude of the first surface met from above: roofs, tree tops, the ground elsewhere
SURFACE = "surface model"
#: heights above the ground (surface − terrain)
HEIGHT = "height model"

_HEIGHT_WORDS = re.compile(r"(?<![a-z])(mnh|dhm|chm|ndsm|canopy|canopee)(?![a-z])", re.I)
_SURFACE_WORDS = re.compile(r"(?<![a-z])(mns|dsm)(?![a-z])", re.I)
_TERRAIN_WORDS = re.compile(r"(?<![a-z])(mnt|dtm|dem)(?![a-z])", re.I)
_DIGITS = re.compile(r"\d+")


def product_of(stem: str) -> str | None:
    """:data:`TERRAIN`, :data:`SURFACE` or :data:`HEIGHT` as the file name ``stem`` says it;
    ``None`` when it names none of them (a height model wins over the other words)."""
    if _HEIGHT_WORDS.search(stem):
        return HEIGHT
    if _SURFACE_WORDS.search(stem):
        return SURFACE
    if _TERRAIN_WORDS.search(stem):
        return TERRAIN
    return None


def is_height_model(stem: str) -> bool:
    """True for a height model's name (MNH, DHM, CHM, nDSM: heights above the ground)."""
    return product_of(stem) == HEIGHT


def tile_group(stem: str) -> str:
    """The name of the product a tile belongs to: its stem with every run of digits as ``#``
    (``LHD_FXX_0770_6277_MNT_…`` and ``LHD_FXX_0771_6277_MNT_…`` are tiles of one product)."""
    return _DIGITS.sub("#", stem.lower())
