"""Roofs in a height model when the scene has no buildings: what is tall, flat and wide.

A height model (surface − terrain) holds roofs as well as trees. When the scene has buildings their
footprints take the roofs out (:meth:`layers.canopy.layer.CanopyLayer.exclude`); without them, a
roof still differs from a crown: a crown is rough (heights jump by metres between 0.5 m pixels), a
roof is a few planes. Pixels whose 3 × 3 neighbourhood varies by less than :data:`FLAT_STD_M`
(standard deviation), in connected patches of at least ``min_area_m2``, are roofs, with their
edges (three pixels: gutters and walls). Only for fine models (pixels of 1 m or less); coarser
ones cannot tell a roof from a crown this way.
"""

from __future__ import annotations

import numpy as np

#: standard deviation of heights in a 3 × 3 window below which a surface is flat, metres
FLAT_STD_M = 0.2
#: finest pixel size for which flatness is judged, metres
MAX_PIXEL_M = 1.0


def flat_roofs(heights_m: np.ndarray, tall: np.ndarray, pixel_m: float, min_area_m2: float) -> np.ndarray:
    """(rows, cols) True where a ``tall`` pixel belongs to a flat patch of ``min_area_m2`` or more."""
    from scipy import ndimage

    if min_area_m2 <= 0 or pixel_m > MAX_PIXEL_M or not tall.any():
        return np.zeros(tall.shape, dtype=bool)
    h = np.where(tall, np.nan_to_num(heights_m), 0.0).astype(np.float64)
    mean = ndimage.uniform_filter(h, 3)
    spread = np.sqrt(np.maximum(ndimage.uniform_filter(h * h, 3) - mean * mean, 0.0))
    flat = tall & (spread < FLAT_STD_M)
    labels, count = ndimage.label(flat)
    if not count:
        return np.zeros(tall.shape, dtype=bool)
    sizes = np.bincount(labels.ravel())
    wide = sizes * pixel_m * pixel_m >= min_area_m2
    wide[0] = False
    roofs = wide[labels]
    return ndimage.binary_dilation(roofs, iterations=3) & tall
