"""Interpolating a network of fixed stations onto a grid, fast enough to follow the clock.

The method is scipy's radial basis function interpolation (:class:`scipy.interpolate.RBFInterpolator`)
with a thin-plate-spline kernel and a linear trend — the same surface, computed differently. A
thin-plate spline is intrinsic kriging with a fixed generalised covariance (r² log r) and a linear
drift: a smooth field through the readings, with no variogram to fit, which twenty or a hundred
loggers cannot fit reliably hour by hour (a kriging library such as pykrige would refit one per
time step, or need a variogram chosen by hand).

Why not call scipy at every clock tick: the stations do not move, so for a given set of stations
with a reading the surface is a fixed linear map of their values. :class:`StationField` computes
the kernel between every grid cell and every station once (``K``, cells × stations). For a clock
time it solves the small (S + 3)² system of the stations that have a reading — a station without a
reading is *left out of the system*, never taken as 0 — and evaluates ``K @ weights`` plus the
trend: one matrix-vector product over the grid. This is exactly the scipy surface (checked in the
tests), at the cost of one BLAS call per frame instead of a new interpolator.

Coordinates are metres in a projected CRS (the scene CRS).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from layers.io.grid import Grid

#: default kernel (scipy name)
KERNEL = "thin_plate_spline"
#: a cell is drawn when one of its this many nearest loggers within reach has a reading
NEAR_LOGGERS = 8


def thin_plate(r: np.ndarray) -> np.ndarray:
    """φ(r) = r² log r (0 at r = 0), the thin-plate-spline kernel, on distances in scaled units."""
    r = np.asarray(r)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = r * r * np.log(r)
    return np.where(r > 0, out, 0.0).astype(r.dtype, copy=False)


@dataclass
class Weights:
    """The solution for one set of stations: kernel weights (S,) (0 for stations without a value)
    and trend coefficients (3,) on the scaled coordinates (constant, x, y)."""

    kernel: np.ndarray
    trend: np.ndarray
    stations: int


class StationField:
    """A thin-plate-spline surface through fixed stations, evaluated on fixed points.

    Parameters
    ----------
    stations_xy
        (S, 2) station positions, metres.
    points_xy
        (P, 2) positions where the surface is wanted (the centres of the grid cells kept).
    smoothing
        Added to the kernel matrix's diagonal, as scipy's ``smoothing`` (0: the surface passes
        through every reading).

    Notes
    -----
    Coordinates are shifted to the stations' centre and divided by their spread before the kernel
    is applied (scipy scales the trend the same way); with a thin-plate spline and a linear trend
    the surface does not depend on that scale, only the conditioning does.
    """

    def __init__(self, stations_xy: np.ndarray, points_xy: np.ndarray, *, smoothing: float = 0.0) -> None:
        stations_xy = np.asarray(stations_xy, dtype=np.float64).reshape(-1, 2)
        points_xy = np.asarray(points_xy, dtype=np.float64).reshape(-1, 2)
        self.count = len(stations_xy)
        self.smoothing = float(smoothing)
        self.center = stations_xy.mean(axis=0) if self.count else np.zeros(2)
        spread = float(np.ptp(stations_xy, axis=0).max()) if self.count > 1 else 1.0
        self.scale = spread if spread > 0 else 1.0
        self.stations = (stations_xy - self.center) / self.scale
        points = (points_xy - self.center) / self.scale
        diff = self.stations[:, None, :] - self.stations[None, :, :]
        self.station_kernel = thin_plate(np.hypot(diff[..., 0], diff[..., 1]))
        # (P, S + 3) float32: the kernel to every station, then the trend basis (1, x, y), so that a
        # surface is one matrix-vector product; the one big array, filled in blocks
        self.kernel = np.empty((len(points), self.count + 3), dtype=np.float32)
        block = max(1, 4_000_000 // max(self.count, 1))
        stations32 = self.stations.astype(np.float32)
        for first in range(0, len(points), block):
            part = points[first : first + block].astype(np.float32)
            dx = part[:, None, 0] - stations32[None, :, 0]
            dy = part[:, None, 1] - stations32[None, :, 1]
            self.kernel[first : first + block, : self.count] = thin_plate(np.sqrt(dx * dx + dy * dy))
        self.kernel[:, self.count] = 1.0
        self.kernel[:, self.count + 1 :] = points

    @property
    def point_count(self) -> int:
        return len(self.kernel)

    def weights(self, values: np.ndarray) -> Weights | None:
        """Solve for the stations whose value is finite; ``None`` when none has one.

        Three or more stations not on one line: thin-plate spline with a linear trend. One or two
        (or all on a line): the trend is only a constant.
        """
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        have = np.isfinite(values)
        n = int(have.sum())
        if n == 0:
            return None
        index = np.flatnonzero(have)
        xy = self.stations[index]
        trend_terms = (
            3
            if n >= 3 and np.linalg.matrix_rank(np.column_stack([np.ones(n), xy - xy.mean(axis=0)])) == 3
            else 1
        )
        lhs = np.zeros((n + trend_terms, n + trend_terms))
        lhs[:n, :n] = self.station_kernel[np.ix_(index, index)]
        # the kernel of scaled coordinates is scipy's divided by scale² (plus a trend term):
        # so is the smoothing
        lhs[:n, :n] += np.eye(n) * (self.smoothing / self.scale**2)
        basis = np.column_stack([np.ones(n), xy])[:, :trend_terms]
        lhs[:n, n:] = basis
        lhs[n:, :n] = basis.T
        rhs = np.concatenate([values[index], np.zeros(trend_terms)])
        try:
            solution = np.linalg.solve(lhs, rhs)
        except np.linalg.LinAlgError:  # coincident stations: least squares still gives a surface
            solution = np.linalg.lstsq(lhs, rhs, rcond=None)[0]
        kernel = np.zeros(self.count)
        kernel[index] = solution[:n]
        trend = np.zeros(3)
        trend[:trend_terms] = solution[n:]
        return Weights(kernel, trend, n)

    def evaluate(self, values: np.ndarray) -> np.ndarray:
        """(P,) float32 surface through ``values`` (S,) (NaN = no reading, left out); all NaN when
        no station has a value."""
        solved = self.weights(values)
        if solved is None:
            return np.full(self.point_count, np.nan, dtype=np.float32)
        return self.kernel @ np.concatenate([solved.kernel, solved.trend]).astype(np.float32)


class GridField:
    """A :class:`StationField` over the cells of a grid within ``reach_m`` of a station, which
    leaves the other cells empty, and at each time the cells that only stations without a value
    reach (they would be extrapolated from far away).

    Parameters
    ----------
    grid
        The grid of the surface (north-up, metres).
    stations_xy
        (S, 2) station positions, metres, in the grid's CRS.
    reach_m
        How far from a station the surface reaches.
    smoothing
        As :class:`StationField`'s.
    """

    def __init__(
        self, grid: Grid, stations_xy: np.ndarray, reach_m: float, *, smoothing: float = 0.0
    ) -> None:
        from scipy.spatial import cKDTree

        self.shape = grid.shape
        xs, ys = grid.cell_centers()
        points = np.column_stack([np.tile(xs, len(ys)), np.repeat(ys, len(xs))])
        #: (rows * cols,) bool: the cells within reach of a station
        self.within = nearest_distance(points, stations_xy) <= reach_m
        kept = points[self.within]
        self.field = StationField(stations_xy, kept, smoothing=smoothing)
        k = min(NEAR_LOGGERS, len(stations_xy))
        distance, index = cKDTree(np.asarray(stations_xy, dtype=np.float64)).query(kept, k=k)
        self._near_index = np.asarray(index, dtype=np.int32).reshape(len(kept), k)
        self._near_ok = np.asarray(distance).reshape(len(kept), k) <= reach_m

    def inside(self) -> np.ndarray:
        """(rows, cols) bool: the cells within reach of a station (the others stay empty)."""
        return self.within.reshape(self.shape)

    def surface(self, values: np.ndarray) -> np.ndarray:
        """(rows, cols) float32 surface through ``values`` (S,) (NaN = no value, left out), never
        beyond their range (a spline overshoots away from the data); NaN out of reach, and
        everywhere when no station has a value."""
        out = np.full(self.shape, np.nan, dtype=np.float32)
        have = np.isfinite(values)
        if have.any():
            surface = self.field.evaluate(values)
            np.clip(surface, np.float32(np.nanmin(values)), np.float32(np.nanmax(values)), out=surface)
            if not have.all():
                covered = (self._near_ok & have[self._near_index]).any(axis=1)
                surface[~covered] = np.nan
            out.reshape(-1)[self.within] = surface
        return out


def nearest_distance(points_xy: np.ndarray, stations_xy: np.ndarray) -> np.ndarray:
    """(P,) distance from each point to its nearest station, metres (scipy's cKDTree)."""
    from scipy.spatial import cKDTree

    if len(stations_xy) == 0:
        return np.full(len(points_xy), np.inf)
    distance, _ = cKDTree(np.asarray(stations_xy, dtype=np.float64)).query(
        np.asarray(points_xy, dtype=np.float64)
    )
    return distance


def station_spacing(stations_xy: np.ndarray) -> float:
    """Median distance from a station to its nearest neighbour, metres (0 for fewer than 2)."""
    from scipy.spatial import cKDTree

    stations_xy = np.asarray(stations_xy, dtype=np.float64)
    if len(stations_xy) < 2:
        return 0.0
    distance, _ = cKDTree(stations_xy).query(stations_xy, k=2)
    return float(np.median(distance[:, 1]))
