"""Long shapely calls cut into slices, so that a reading thread lets the window's thread run.

Shapely builds geometry objects with the interpreter lock held (``from_wkb``, ``get_rings``…): on
100,000 buildings one such call holds it ~0.1 s on a quiet machine and several tenths on a slow
one, and the window, whose thread needs the lock for every event, freezes that long. Cut into
slices, the interpreter switches threads between them (every ``sys.getswitchinterval()``, 5 ms),
and the result is the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import shapely

SLICE = 16_384
"""Geometries per slice: ~15 ms of shapely work on this project's reference machine."""


def in_slices(function: Callable[..., np.ndarray], values: Any, *args: Any, **kwargs: Any) -> np.ndarray:
    """``function(values, *args, **kwargs)`` for an element-wise array function, applied to slices
    of a long 1-D ``values`` and concatenated (a short one, or anything else, is passed whole)."""
    if not isinstance(values, np.ndarray) or values.ndim != 1 or len(values) <= SLICE:
        return function(values, *args, **kwargs)
    parts = [function(values[i : i + SLICE], *args, **kwargs) for i in range(0, len(values), SLICE)]
    return np.concatenate(parts)


_whole_from_wkb: Callable[..., Any] = shapely.from_wkb


def _from_wkb_in_slices(geometry: Any, on_invalid: str = "raise", **kwargs: Any) -> Any:
    if kwargs:  # ``out=`` and the like: the caller wants the call as it is
        return _whole_from_wkb(geometry, on_invalid=on_invalid, **kwargs)
    return in_slices(_whole_from_wkb, geometry, on_invalid=on_invalid)


def read_geometries_in_slices() -> None:
    """Make ``shapely.from_wkb``, which pyogrio calls on a whole file's geometries at once, build
    them slice by slice. Same results for every input; installed once, before reading files.

    pyogrio offers no hook between its Arrow read and its geometry decoding, and copying its
    conversion of columns (dates, JSON, encodings) to decode the geometries ourselves would drift
    from it: this one substitution is the smaller risk."""
    shapely.from_wkb = _from_wkb_in_slices


def ragged_polygons(polygons: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``shapely.to_ragged_array`` of single Polygons, slice by slice: ``coords`` (C, 2) float64,
    ``ring_offsets`` (R + 1,) and ``polygon_offsets`` (P + 1,) int64, as one call would give.

    :raises ValueError: when a geometry is not a single Polygon.
    """
    coords_parts, ring_parts, poly_parts = [], [np.zeros(1, np.int64)], [np.zeros(1, np.int64)]
    coord_base = ring_base = 0
    for start in range(0, len(polygons), SLICE):
        kind, coords, (ring_offsets, poly_offsets) = shapely.to_ragged_array(
            polygons[start : start + SLICE], include_z=False
        )
        if kind != shapely.GeometryType.POLYGON:
            raise ValueError("extrude expects single Polygons (split multi-polygons first)")
        coords_parts.append(np.asarray(coords, np.float64))
        ring_parts.append(np.asarray(ring_offsets[1:], np.int64) + coord_base)
        poly_parts.append(np.asarray(poly_offsets[1:], np.int64) + ring_base)
        coord_base += len(coords)
        ring_base += len(ring_offsets) - 1
    coords_all = np.concatenate(coords_parts) if coords_parts else np.empty((0, 2))
    return np.ascontiguousarray(coords_all), np.concatenate(ring_parts), np.concatenate(poly_parts)
