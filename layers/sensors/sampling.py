"""How a dense ``(times, sensors)`` array of readings is sampled: last readings and sampling steps.

:func:`forward_index` gives, at every time row, the row of each sensor's last reading (what
:meth:`layers.sensors.layer.SensorLayer.values_at` reads in one fancy index); :func:`median_steps`
measures each sensor's usual time between readings (how long a reading stays shown by default);
:func:`robust_range` finds a colour range that a few outliers do not stretch.
"""

from __future__ import annotations

import numpy as np

NS_PER_S = 1_000_000_000
#: how long a reading stays valid when a sensor's step cannot be measured (a single time), seconds
SINGLE_READING_MAX_AGE_S = 86_400.0
#: a default max age is this many times the sensor's median sampling step
MAX_AGE_STEPS = 3.0
#: readings sampled to find the colour range of a large layer
RANGE_SAMPLE = 2_000_000


def forward_index(valid: np.ndarray) -> np.ndarray:
    """(N, S) int32: the row of the last ``True`` at or before each row, per column (-1: none).

    ``maximum.accumulate`` along axis 0 of a C-ordered array walks it column by column; with many
    sensors one vectorised step per row is several times faster.
    """
    rows, count = valid.shape
    if count < 64 or rows == 0:
        return (
            np.maximum.accumulate(
                np.where(valid, np.arange(rows, dtype=np.int32)[:, None], np.int32(-1)), axis=0
            )
            if rows
            else np.empty((0, count), np.int32)
        )
    out = np.empty((rows, count), dtype=np.int32)
    last = np.full(count, -1, dtype=np.int32)
    for i in range(rows):
        np.copyto(last, np.int32(i), where=valid[i])
        out[i] = last
    return out


def median_steps(
    times_ns: np.ndarray,
    valid: np.ndarray,
    last_index: np.ndarray | None,
    reading_counts: np.ndarray,
    sample_rows: int = 4096,
) -> np.ndarray:
    """(S,) median time between consecutive readings of each sensor, in seconds.

    ``times_ns`` (N,) are the rows' times, ``valid`` (N, S) where a sensor has a reading,
    ``last_index`` its :func:`forward_index` (``None`` when no reading is missing) and
    ``reading_counts`` (S,) the readings per sensor. Measured at up to ``sample_rows`` times spread
    over the series (the step to the previous reading comes from the forward-filled index), so a
    year of minutes stays cheap.
    """
    count = valid.shape[1]
    overall = (
        float(np.median(np.diff(times_ns))) / NS_PER_S
        if len(times_ns) > 1
        else SINGLE_READING_MAX_AGE_S / MAX_AGE_STEPS
    )
    steps = np.full(count, overall)
    if len(times_ns) < 2 or count == 0:
        return steps
    rows = np.unique(np.linspace(1, len(times_ns) - 1, min(sample_rows, len(times_ns) - 1)).astype(np.int64))
    previous = (
        last_index[rows - 1]
        if last_index is not None
        else np.broadcast_to((rows - 1)[:, None], (len(rows), count))
    )
    usable = valid[rows] & (previous >= 0)
    gaps = (times_ns[rows][:, None] - times_ns[np.maximum(previous, 0)]) / NS_PER_S
    gaps = np.where(usable, gaps, np.nan)
    measured = usable.any(axis=0)
    if measured.any():
        steps[measured] = np.nanmedian(gaps[:, measured], axis=0)
    # sensors too sparse to be caught by the sample: their mean step
    sparse = ~measured & (reading_counts >= 2)
    if sparse.any():
        first = times_ns[np.argmax(valid[:, sparse], axis=0)]
        last = (
            times_ns[last_index[-1, sparse]]
            if last_index is not None
            else np.full(int(sparse.sum()), times_ns[-1])
        )
        steps[sparse] = (last - first) / NS_PER_S / (reading_counts[sparse] - 1)
    return steps


def robust_range(values: np.ndarray) -> tuple[float, float]:
    """The 2nd and 98th percentiles of the finite ``values`` (any shape), on an even sample of at
    most :data:`RANGE_SAMPLE` of them; ``(0, 1)`` when there is none, ``(low, low + 1)`` when
    they are all equal."""
    flat = values.reshape(-1)
    if flat.size > RANGE_SAMPLE:
        flat = flat[:: flat.size // RANGE_SAMPLE + 1]
    finite = flat[~np.isnan(flat)]
    if finite.size == 0:
        return 0.0, 1.0
    low, high = np.percentile(finite, [2, 98])
    return float(low), float(high) if high > low else float(low) + 1.0
