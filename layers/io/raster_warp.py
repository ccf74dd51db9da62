"""Rasters into another CRS, or made north-up: GDAL's warper through rasterio.

:func:`warp_grid` reprojects a :class:`~layers.io.grid.Grid` (into the scene CRS); :func:`warp`
also turns the pixels of a rotated or sheared file (:class:`RotatedSource`) into a north-up grid.
Values are resampled bilinearly with NaN kept as nodata, colour images by nearest pixel
(transparent outside).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from affine import Affine
from pyproj import CRS

from layers.io.grid import Grid


@dataclass
class RotatedSource:
    """Pixels as read from a rotated or sheared file: values (rows, cols) or RGBA (rows, cols, 4),
    their affine transform (pixel → CRS units) and CRS."""

    data: np.ndarray
    transform: Affine
    crs: CRS


def warp(
    source: Grid | RotatedSource, dst_crs: CRS, *, bounds: tuple[float, float, float, float] | None = None
) -> Grid:
    """``source`` warped into a north-up grid in ``dst_crs``; ``bounds`` (xmin, ymin, xmax, ymax) of
    the source in its CRS, needed for a :class:`RotatedSource` (a grid knows its own)."""
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    if isinstance(source, Grid):
        if source.crs is None:
            raise ValueError("a grid without a CRS cannot be warped")
        data, src_transform, src_crs, bounds = source.data, source.transform(), source.crs, source.bounds()
    else:
        data, src_transform, src_crs = source.data, source.transform, source.crs
    if bounds is None:
        raise ValueError("the bounds of rotated pixels are needed to warp them")
    rows, cols = data.shape[:2]
    resolution = None
    if src_crs.equals(dst_crs):  # a rotated grid made north-up keeps its pixel size
        resolution = (
            math.hypot(src_transform.a, src_transform.d),
            math.hypot(src_transform.b, src_transform.e),
        )
    dst_transform, width, height = calculate_default_transform(
        src_crs, dst_crs, cols, rows, *bounds, resolution=resolution
    )
    is_image = data.ndim == 3
    if is_image:
        dst = np.zeros((4, height, width), dtype=np.uint8)
        reproject(
            np.ascontiguousarray(np.moveaxis(data, -1, 0)),
            dst,
            src_transform=src_transform,
            src_crs=src_crs,
            dst_transform=dst_transform,
            dst_crs=dst_crs,
            resampling=Resampling.nearest,
        )
        return Grid(
            rgba=np.moveaxis(dst, 0, -1),
            x0=dst_transform.c,
            y0=dst_transform.f,
            dx=dst_transform.a,
            dy=-dst_transform.e,
            crs=dst_crs,
        )
    values = np.full((height, width), np.nan, dtype=np.float32)
    reproject(
        np.ascontiguousarray(data, dtype=np.float32),
        values,
        src_transform=src_transform,
        src_crs=src_crs,
        src_nodata=np.nan,
        dst_transform=dst_transform,
        dst_crs=dst_crs,
        dst_nodata=np.nan,
        resampling=Resampling.bilinear,
    )
    return Grid(
        values=values,
        x0=dst_transform.c,
        y0=dst_transform.f,
        dx=dst_transform.a,
        dy=-dst_transform.e,
        crs=dst_crs,
    )


def warp_grid(grid: Grid, crs: CRS) -> Grid:
    """``grid`` warped into ``crs``, north-up: bilinear for values (NaN kept as nodata), nearest
    for colour images (transparent outside)."""
    if grid.crs is not None and grid.crs.equals(crs):
        return replace(grid, crs=crs)
    return warp(grid, crs)
