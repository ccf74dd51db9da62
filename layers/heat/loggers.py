"""What a network of loggers decides for its heat surface: where the grid lies, which is the reference.

The grid covers the loggers' box plus a margin, in cells of ``resolution_m`` (default: about
:data:`DEFAULT_CELLS` across); the surface reaches ``reach_m`` around the loggers (default
:data:`REACH_SPACINGS` × the median spacing between neighbouring loggers). The reference logger of
the heat island is named by id or name, or found by its attributes ("reference", "rural").
Coordinates are metres in the scene CRS.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pyproj import CRS

from layers.core.errors import InputError
from layers.heat.interpolation import station_spacing
from layers.io.grid import Grid

if TYPE_CHECKING:
    from layers.sensors.layer import SensorLayer

#: cells across the longer side when no resolution is given
DEFAULT_CELLS = 400
#: largest grid, cells
MAX_CELLS = 1_000_000
#: largest precomputed kernel (cells × (loggers + 3) float32), bytes
MAX_KERNEL_BYTES = 256 * 2**20
#: default reach of the surface: this many times the median spacing of neighbouring loggers
REACH_SPACINGS = 2.5
#: words that mark the reference logger in its attributes or name
_REFERENCE_WORDS = re.compile(r"\b(r[ée]f[ée]rence|reference|rural|ref)\b", re.I)


@dataclass(frozen=True)
class SurfaceGrid:
    """The empty grid of a loggers' surface (NaN values, float32), its cell size and its reach, m."""

    grid: Grid
    cell_m: float
    reach_m: float


def surface_grid(
    xy: np.ndarray, crs: CRS | None, *, resolution_m: float | None = None, reach_m: float | None = None
) -> SurfaceGrid:
    """The grid around loggers at ``xy`` (S, 2) metres: their box plus a margin of at most
    ``reach_m``, cells of ``resolution_m`` made coarser when the grid or the interpolation kernel
    (cells × loggers) would be too large."""
    spacing = station_spacing(xy)
    span = float(np.ptp(xy, axis=0).max()) if len(xy) > 1 else 0.0
    reach = float(reach_m) if reach_m else max(REACH_SPACINGS * spacing, 100.0)
    margin = min(reach, max(0.1 * span, 50.0))
    xmin, ymin = xy.min(axis=0) - margin
    xmax, ymax = xy.max(axis=0) + margin
    width, height = xmax - xmin, ymax - ymin
    resolution = float(resolution_m) if resolution_m else max(width, height) / DEFAULT_CELLS
    cols, rows = max(2, math.ceil(width / resolution)), max(2, math.ceil(height / resolution))
    most = min(MAX_CELLS, MAX_KERNEL_BYTES // (4 * (len(xy) + 3)))
    if cols * rows > most:
        resolution *= math.sqrt(cols * rows / most)
        cols, rows = max(2, math.ceil(width / resolution)), max(2, math.ceil(height / resolution))
    grid = Grid(
        values=np.full((rows, cols), np.nan, dtype=np.float32),
        x0=float(xmin),
        y0=float(ymin + rows * resolution),
        dx=resolution,
        dy=resolution,
        crs=crs,
    )
    return SurfaceGrid(grid, resolution, reach)


def find_reference(stations: SensorLayer, wanted: str | None, source: str | Path | None) -> int | None:
    """Index of the reference logger in ``stations``: the one whose id or name is ``wanted`` (exact,
    then ignoring case; :class:`InputError` naming the loggers when none is), or with no ``wanted``
    the first whose name or text attributes say "reference" or "rural"; ``None`` when none does."""
    ids = [str(i) for i in stations.sensor_ids]
    names = [str(n) for n in stations.names]
    if wanted is not None:
        text = str(wanted).strip()
        for labels in (ids, names):
            if text in labels:
                return labels.index(text)
        folded = text.casefold()
        for labels in (ids, names):
            matches = [i for i, label in enumerate(labels) if label.casefold() == folded]
            if matches:
                return matches[0]
        raise InputError(
            source,
            f"no logger {wanted!r} to take as the reference",
            field="reference",
            hint=f"loggers: {', '.join(ids[:12])}{' …' if len(ids) > 12 else ''}",
        )
    extra = stations.extra
    for i in range(len(ids)):
        texts = [names[i]] + [
            str(v) for v in (extra.iloc[i].tolist() if len(extra.columns) else []) if isinstance(v, str)
        ]
        if any(_REFERENCE_WORDS.search(t) for t in texts):
            return i
    return None
