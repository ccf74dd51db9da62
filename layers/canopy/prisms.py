"""A canopy's shadow casters: its pixels polygonised in height classes, each a prism under the crowns.

Pixels of vegetation are binned into classes of ``step_m`` (2 m) and the classes polygonised
(``rasterio.features.shapes``: one polygon per connected run of a class, holes kept), so a tree is
a few stacked rings rather than thousands of pixel squares. Each polygon becomes a prism from
:data:`CROWN_BASE` of its height (light passes under the crowns) to the middle of its class. Beyond
``max_polygons`` the classes are widened, then the grid is halved (the highest pixel of each block
kept), until the count fits.
"""

from __future__ import annotations

import numpy as np
from affine import Affine

#: the bottom of a crown, as a fraction of the tree's height (trunks below let the light through)
CROWN_BASE = 0.4
#: height classes, metres
STEP_M = 2.0
#: polygons at most (the shade and sunlight studies stay interactive)
MAX_POLYGONS = 20_000


def canopy_prisms(
    heights_m: np.ndarray,
    canopy: np.ndarray,
    transform: Affine,
    *,
    step_m: float = STEP_M,
    max_polygons: int = MAX_POLYGONS,
    crown_base: float = CROWN_BASE,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(polygons, base_m, top_m)`` of the pixels where ``canopy`` is True.

    ``heights_m``: (rows, cols) heights above the ground, metres; ``transform``: the grid's affine
    transform (the polygons are in its CRS).
    """
    import shapely
    from rasterio.features import shapes

    heights = np.where(canopy, heights_m, np.nan).astype(np.float32)
    mask = canopy.copy()
    step = step_m
    while True:
        classes = np.zeros(heights.shape, dtype=np.int32)
        classes[mask] = np.floor(heights[mask] / step).astype(np.int32) + 1
        geoms: list[dict] = []
        values: list[float] = []
        for geom, value in shapes(classes, mask=mask, connectivity=4, transform=transform):
            geoms.append(geom)
            values.append(value)
            if len(geoms) > max_polygons:
                break
        if len(geoms) <= max_polygons:
            break
        if step < 4 * step_m:
            step *= 2
        else:
            heights, mask, transform = _halved(heights, mask, transform)
    if not geoms:
        empty = np.empty(0, dtype=float)
        return np.empty(0, dtype=object), empty, empty
    polygons = np.asarray(shapely.from_geojson([_geojson(g) for g in geoms]), dtype=object)
    top = (np.asarray(values, dtype=float) - 0.5) * step
    top = np.clip(top, float(np.nanmin(heights)), float(np.nanmax(heights)))
    return polygons, top * crown_base, top


def _geojson(geom: dict) -> str:
    rings = ",".join("[" + ",".join(f"[{x!r},{y!r}]" for x, y in ring) + "]" for ring in geom["coordinates"])
    return '{"type":"Polygon","coordinates":[' + rings + "]}"


def _halved(
    heights: np.ndarray, mask: np.ndarray, transform: Affine
) -> tuple[np.ndarray, np.ndarray, Affine]:
    """The grid at half resolution: the highest vegetation pixel of each 2 × 2 block."""
    rows, cols = heights.shape
    padded = np.full((rows + rows % 2, cols + cols % 2), np.nan, dtype=np.float32)
    padded[:rows, :cols] = heights
    blocks = padded.reshape(padded.shape[0] // 2, 2, padded.shape[1] // 2, 2)
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN blocks: no vegetation
            top = np.nanmax(blocks, axis=(1, 3))
    return top, np.isfinite(top), transform * Affine.scale(2.0)
