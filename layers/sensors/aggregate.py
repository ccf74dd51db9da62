"""Aggregated levels of a sensor series: hourly and daily means, minima and maxima.

A year of 10-minute readings replayed at one day per second moves the clock by about an hour per
frame: showing the raw reading of that instant makes the glyphs flicker with whatever 10 minutes
the frame lands on. The replay reads instead the mean of the bin the clock is in, from the finest
level whose bins are at least half a frame long (see :func:`choose_level`). The chart draws the
same levels' minima and maxima as envelopes when a series has more points than pixels.

Levels are computed once at load from the dense ``(times, sensors)`` array, bins of equal length
reduced together as ``(bins, rows, sensors)`` blocks (no Python loop over bins or sensors). Hourly
bins follow UTC hours (whole-hour time zones share them); daily bins follow local midnights, so a
day of the change to summer time has 23 hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

NS_PER_S = 1_000_000_000
HOUR_S, DAY_S = 3600.0, 86_400.0
#: build the hourly level when readings are finer than an hour and span at least this long
HOURLY_MIN_SPAN_S = 2 * DAY_S
#: build the daily level when readings are finer than a day and span at least this long
DAILY_MIN_SPAN_S = 45 * DAY_S


@dataclass
class Level:
    """Readings aggregated in bins.

    Attributes
    ----------
    step_s : float
        Nominal bin length in seconds (3600, 86 400).
    start_ns, end_ns : numpy.ndarray
        (M,) int64 bin bounds (UTC ns); only bins holding at least one reading time are kept.
    mean, low, high : numpy.ndarray
        (M, S) float32 mean, minimum and maximum of the readings in each bin (NaN when none).
    count : numpy.ndarray
        (M, S) int32 number of readings.
    label : str
        ``"hourly mean"`` / ``"daily mean"``, for legends (English; worded per language where
        shown: :func:`viewer.words.say`).
    """

    step_s: float
    start_ns: np.ndarray
    end_ns: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    count: np.ndarray
    label: str

    def row_at(self, t_ns: int) -> int:
        """The bin holding ``t_ns``, -1 when none does."""
        row = int(np.searchsorted(self.start_ns, t_ns, side="right")) - 1
        if row < 0 or t_ns >= self.end_ns[row]:
            return -1
        return row

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.start_ns, self.end_ns, self.mean, self.low, self.high, self.count))


def bin_edges(times_ns: np.ndarray, step_s: float, timezone: str) -> np.ndarray:
    """The bin start (UTC ns) of every time: the UTC hour, or the local day's midnight."""
    if step_s >= DAY_S:
        local = pd.DatetimeIndex(times_ns.astype("datetime64[ns]"), tz="UTC").tz_convert(timezone)
        days = local.normalize()
        return days.tz_convert("UTC").asi8
    step_ns = int(step_s * NS_PER_S)
    return times_ns - np.mod(times_ns, step_ns)


def aggregate(times_ns: np.ndarray, values: np.ndarray, step_s: float, timezone: str, label: str) -> Level:
    """One level of ``values`` (N, S) at times ``times_ns`` (N,) sorted, in bins of ``step_s``."""
    starts_of_rows = bin_edges(times_ns, step_s, timezone)
    first = np.flatnonzero(np.r_[True, starts_of_rows[1:] != starts_of_rows[:-1]])
    start_ns = starts_of_rows[first]
    count, sums, low, high = _reduce_bins(first, len(times_ns), values, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (sums / count).astype(np.float32)
    return Level(step_s, start_ns, _ends(start_ns, step_s, timezone), mean, low, high, count, label)


def coarsen(level: Level, step_s: float, timezone: str, label: str) -> Level:
    """A coarser level from a finer one (exact: sums and counts, minima of minima...)."""
    starts_of_rows = bin_edges(level.start_ns, step_s, timezone)
    first = np.flatnonzero(np.r_[True, starts_of_rows[1:] != starts_of_rows[:-1]])
    start_ns = starts_of_rows[first]
    count, sums, low, high = _reduce_bins(first, len(level.start_ns), level.mean, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (sums / count).astype(np.float32)
    return Level(step_s, start_ns, _ends(start_ns, step_s, timezone), mean, low, high, count, label)


#: bins reduced at once (bounds the temporary copies to a few tens of megabytes)
CHUNK_CELLS = 12_000_000


def _reduce_bins(
    first: np.ndarray, rows: int, values: np.ndarray, finer: Level | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(count int32, sum float64, min, max)`` (M, S) of the rows of each bin.

    Bins are grouped by their number of rows k; each group is gathered as a (bins, k, S) block
    (a view when the bins are regular) and reduced along its middle axis, which is many times
    faster than ``ufunc.reduceat`` along axis 0 of a C-ordered array. With ``finer``, ``values``
    are its means and the counts, sums, minima and maxima combine its own.
    """
    sizes = np.diff(np.r_[first, rows])
    bins, sensors = len(first), values.shape[1]
    count = np.zeros((bins, sensors), np.int32)
    sums = np.zeros((bins, sensors), np.float64)
    low = np.full((bins, sensors), np.nan, np.float32)
    high = np.full((bins, sensors), np.nan, np.float32)
    for k in np.unique(sizes):
        group = np.flatnonzero(sizes == k)
        step = max(1, CHUNK_CELLS // max(int(k) * sensors, 1))
        for start in range(0, len(group), step):
            b = group[start : start + step]
            index = first[b][:, None] + np.arange(k)
            if finer is None:
                block = values[index]
                valid = ~np.isnan(block)
                count[b] = valid.sum(axis=1)
                sums[b] = np.where(valid, block, np.float32(0)).sum(axis=1, dtype=np.float64)
                low[b] = np.fmin.reduce(block, axis=1)
                high[b] = np.fmax.reduce(block, axis=1)
            else:
                counts = finer.count[index]
                count[b] = counts.sum(axis=1)
                sums[b] = np.where(counts > 0, finer.mean[index].astype(np.float64) * counts, 0.0).sum(axis=1)
                low[b] = np.fmin.reduce(finer.low[index], axis=1)
                high[b] = np.fmax.reduce(finer.high[index], axis=1)
    return count, sums, low, high


def _ends(start_ns: np.ndarray, step_s: float, timezone: str) -> np.ndarray:
    if step_s >= DAY_S:
        local = pd.DatetimeIndex(start_ns.astype("datetime64[ns]"), tz="UTC").tz_convert(timezone)
        return (local + pd.DateOffset(days=1)).tz_convert("UTC").asi8
    return start_ns + int(step_s * NS_PER_S)


def build_levels(times_ns: np.ndarray, values: np.ndarray, step_s: float, timezone: str) -> list[Level]:
    """The levels worth keeping for a series sampled every ``step_s`` seconds (finest first):
    hourly when finer than an hour over two days or more, daily when finer than a day over
    45 days or more."""
    if len(times_ns) < 2 or values.size == 0:
        return []
    span_s = (int(times_ns[-1]) - int(times_ns[0])) / NS_PER_S
    levels: list[Level] = []
    if step_s < HOUR_S and span_s >= HOURLY_MIN_SPAN_S:
        levels.append(aggregate(times_ns, values, HOUR_S, timezone, "hourly mean"))
    if step_s < DAY_S and span_s >= DAILY_MIN_SPAN_S:
        daily = (
            coarsen(levels[-1], DAY_S, timezone, "daily mean")
            if levels
            else aggregate(times_ns, values, DAY_S, timezone, "daily mean")
        )
        levels.append(daily)
    return levels


def choose_level(levels: list[Level], raw_step_s: float, frame_advance_s: float | None) -> Level | None:
    """The level to replay from when the clock moves ``frame_advance_s`` per frame: the finest
    whose bins last at least half a frame's advance; ``None`` means the raw readings."""
    if not frame_advance_s or frame_advance_s <= 0:
        return None
    need = frame_advance_s / 2.0
    if raw_step_s >= need:
        return None
    for level in levels:
        if level.step_s >= need:
            return level
    return levels[-1] if levels else None


def level_for_points(levels: list[Level], raw_points: int, max_points: int) -> Level | None:
    """The finest level with at most ``max_points`` bins (``None``: the raw series fits)."""
    if raw_points <= max_points:
        return None
    for level in levels:
        if len(level.start_ns) <= max_points:
            return level
    return levels[-1] if levels else None
