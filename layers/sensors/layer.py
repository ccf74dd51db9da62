"""Sensors: time series of readings at fixed points (temperature loggers, noise meters, counters).

:meth:`SensorLayer.load` reads the shapes cities publish and joins the sensors to their locations
(:mod:`layers.sensors.load`: tables in :mod:`~layers.sensors.read` and :mod:`~layers.sensors.wide`,
large CSV / Parquet in :mod:`~layers.sensors.fast`, NGSI observations in
:mod:`~layers.sensors.fiware`, OGC SensorThings exports in :mod:`~layers.sensors.sensorthings`,
positions in :mod:`~layers.sensors.sites`). How it is drawn is its
:class:`~layers.sensors.style.SensorsStyle`.

The readings are a dense ``(times, sensors)`` float32 array with a forward-filled index of the
last reading, so that :meth:`SensorLayer.values_at` is one ``searchsorted`` and one fancy index
whatever the number of sensors (:mod:`layers.sensors.sampling`). Long series also get hourly / daily levels
(:mod:`layers.sensors.aggregate`) that a fast replay and the chart read instead of the raw readings.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core import timeutil
from layers.core.base import Bounds, Layer
from layers.sensors.aggregate import Level, build_levels, choose_level, level_for_points
from layers.sensors.quantities import duration_label, is_count
from layers.sensors.sampling import MAX_AGE_STEPS, forward_index, median_steps, robust_range
from layers.sensors.style import SensorsStyle

NS_PER_S = 1_000_000_000


class SensorLayer(Layer[SensorsStyle]):
    """Readings of fixed sensors over time.

    Attributes
    ----------
    sensor_ids : numpy.ndarray
        (S,) str, the ids as in the file (trimmed).
    names : numpy.ndarray
        (S,) str, a display name per sensor (the id when the files give none).
    xy : numpy.ndarray
        (S, 2) float64 sensor positions in :attr:`crs` (metres once in the scene CRS).
    times_ns : numpy.ndarray
        (N,) int64, sorted unique reading times, nanoseconds since the epoch (UTC); for a typical
        day (:attr:`cycle_s` set), nanoseconds since local midnight.
    values : numpy.ndarray
        (N, S) float32 readings in :attr:`unit`, NaN where a sensor has no reading at that time.
    reading_counts : numpy.ndarray
        (S,) int, the readings of each sensor.
    step_s : numpy.ndarray
        (S,) float64, each sensor's median time between readings, seconds.
    max_age_s : numpy.ndarray
        (S,) float64: how long a reading stays shown, in seconds (the style's ``max_age_s`` when
        set, else the load option, else 3 × the sensor's median sampling step).
    quantity, unit : str
        What is measured (``"air temperature"``) and its unit (``"°C"``; ``""`` when unknown).
    timezone : str
        The IANA zone naive times were read in and :meth:`time_range` answers in.
    extra : pandas.DataFrame
        (S rows) other columns of the locations (shown by :meth:`attributes`).
    levels : list[layers.sensors.aggregate.Level]
        Hourly / daily means, minima and maxima of long series (finest first; may be empty).
    cycle_s : float or None
        86 400 for a typical day (hours of the day without dates), replayed on any date.
    value_field : str or None
        The column the readings came from.
    locations_source : pathlib.Path or None
        The file the locations came from, when not the readings' own.
    """

    kind = "sensors"
    style_class = SensorsStyle
    time_aware = True

    def __init__(
        self,
        name: str,
        *,
        sensor_ids: np.ndarray,
        names: np.ndarray,
        xy: np.ndarray,
        times_ns: np.ndarray,
        values: np.ndarray,
        crs: CRS,
        quantity: str = "",
        unit: str = "",
        timezone: str | None = None,
        max_age_s: float | np.ndarray | None = None,
        extra: pd.DataFrame | None = None,
        source: str | Path | None = None,
        attribution: str | None = None,
        cycle_s: float | None = None,
        levels: bool = True,
        style: SensorsStyle | dict[str, Any] | None = None,
    ) -> None:
        super().__init__(name, source=source, crs=crs, style=style, attribution=attribution)
        self.sensor_ids: np.ndarray = np.asarray(sensor_ids, dtype=object)
        self.names: np.ndarray = np.asarray(names, dtype=object)
        self.xy: np.ndarray = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
        self.times_ns: np.ndarray = np.asarray(times_ns, dtype=np.int64)
        self.values: np.ndarray = np.asarray(values, dtype=np.float32).reshape(
            len(self.times_ns), len(self.sensor_ids)
        )
        self.quantity = quantity
        self.unit = unit
        self.timezone: str = timezone or timeutil.DEFAULT_TIMEZONE
        self.cycle_s = cycle_s
        self.extra = extra if extra is not None else pd.DataFrame(index=range(len(self.sensor_ids)))
        self._columns = np.arange(len(self.sensor_ids))
        valid = ~np.isnan(self.values)
        self.reading_counts: np.ndarray = valid.sum(axis=0)
        # last_index[n, s]: row of the last reading of sensor s at or before time n, -1 if none;
        # None when no reading is missing (then it is n itself)
        self._last_index: np.ndarray | None = None
        if not self.reading_counts.sum() == self.values.size:
            self._last_index = forward_index(valid)
        self.step_s: np.ndarray = median_steps(self.times_ns, valid, self._last_index, self.reading_counts)
        del valid
        self._own_max_age_s: np.ndarray = (
            MAX_AGE_STEPS * self.step_s
            if max_age_s is None
            else np.broadcast_to(np.asarray(max_age_s, dtype=np.float64), (len(self.sensor_ids),)).copy()
        )
        self._value_range: tuple[float, float] | None = None
        step = float(np.median(self.step_s)) if len(self.step_s) else 3600.0
        self.levels: list[Level] = (
            build_levels(self.times_ns, self.values, step, self.timezone)
            if levels and cycle_s is None
            else []
        )
        self.value_field: str | None = None
        self.locations_source: Path | None = None

    @property
    def max_age_s(self) -> np.ndarray:
        """(S,) seconds a reading stays shown: the style's ``max_age_s`` for every sensor when set,
        else the layer's own (the load option, or 3 × each sensor's sampling step)."""
        if self.style.max_age_s is not None:
            return np.full(len(self.sensor_ids), self.style.max_age_s)
        return self._own_max_age_s

    @max_age_s.setter
    def max_age_s(self, seconds: np.ndarray) -> None:
        self._own_max_age_s = np.broadcast_to(
            np.asarray(seconds, dtype=np.float64), (len(self.sensor_ids),)
        ).copy()

    # -- loading ---------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        crs: Any = None,
        time: str | None = None,
        id: str | None = None,
        value: str | None = None,
        locations: str | Path | None = None,
        locations_id: str | None = None,
        x: str | None = None,
        y: str | None = None,
        quantity: str | None = None,
        unit: str | None = None,
        timezone: str | None = None,
        style: SensorsStyle | dict[str, Any] | None = None,
        **options: Any,
    ) -> SensorLayer:
        """Read readings and their locations.

        Parameters
        ----------
        path
            A table (CSV / TSV / Parquet: long, one column per hour, per sensor or per time), a
            point file with a time field, FIWARE / NGSI observations (a ``.json`` file or a folder
            of them) or an OGC SensorThings JSON export.
        crs
            CRS of ``x``/``y`` columns (``EPSG:2154``...); ``lon``/``lat`` columns are WGS84.
        time, id, value
            Column (or attribute, observed property) names; guessed when ``None``.
        locations
            A file of sensor positions joined on the id (a table with coordinates, possibly a long
            one, or a point file); relative paths are taken from the readings' folder. When
            ``None`` and the readings carry no positions, a file next to them is looked for.
        locations_id
            The id column of ``locations`` when it cannot be found by its values.
        x, y
            Coordinate columns, when not found by name.
        quantity, unit
            What is measured and its unit; guessed from the value's name otherwise.
        timezone
            IANA zone of naive times (default Europe/Paris); explicit offsets are honoured.
        style
            The display options (:class:`~layers.sensors.style.SensorsStyle` or its JSON form).
        **options
            ``max_age_s``: how long a reading stays shown (default 3 × the sampling step).

        Raises
        ------
        InputError
            For a missing column, unreadable times, no located sensor.
        """
        from layers.sensors.load import read_sensors

        path = Path(path)
        read = read_sensors(
            path,
            name=name,
            crs=crs,
            time=time,
            id=id,
            value=value,
            locations=locations,
            locations_id=locations_id,
            x=x,
            y=y,
            quantity=quantity,
            unit=unit,
            timezone=timezone,
            **options,
        )
        layer = cls(
            read.name,
            sensor_ids=read.sensor_ids,
            names=read.names,
            xy=read.xy,
            times_ns=read.times_ns,
            values=read.values,
            crs=read.crs,
            quantity=read.quantity,
            unit=read.unit,
            timezone=read.timezone,
            max_age_s=read.max_age_s,
            extra=read.extra,
            source=path,
            cycle_s=read.cycle_s,
            style=style,
        )
        if read.min_max_age_s is not None:
            layer._own_max_age_s = np.maximum(layer._own_max_age_s, read.min_max_age_s)
        layer.value_field = read.value_field
        layer.locations_source = read.locations_source
        layer.warnings.extend(read.warnings)
        layer.options = read.options
        return layer

    # -- time ------------------------------------------------------------------------------
    def _t_ns(self, t: datetime | int) -> int:
        t_ns = int(t) if isinstance(t, (int, np.integer)) else timeutil.to_ns(t)
        if self.cycle_s is None:
            return t_ns
        local = timeutil.from_ns(t_ns, self.timezone)
        return int(
            ((local.hour * 60 + local.minute) * 60 + local.second) * NS_PER_S + local.microsecond * 1000
        )

    def values_at(
        self, t: datetime | int, *, frame_advance_s: float | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The reading of every sensor at ``t``.

        Parameters
        ----------
        t
            An aware datetime, or nanoseconds since the epoch (UTC).
        frame_advance_s
            How far the clock moves per replay frame (seconds). When the raw readings are much
            finer, the mean of the aggregated bin holding ``t`` is returned (see
            :func:`layers.sensors.aggregate.choose_level`); ``None``: the raw readings.

        Returns
        -------
        values : numpy.ndarray
            (S,) float64 in :attr:`unit`; NaN where the sensor has no reading within
            :attr:`max_age_s` before ``t`` (a gap in the series stays a gap).
        age_s : numpy.ndarray
            (S,) float64 seconds since the sensor's last reading at or before ``t`` (also when it
            is too old to be shown); NaN when it has none; 0 for an aggregated bin.
        """
        t_ns = self._t_ns(t)
        count = len(self.sensor_ids)
        level = self.level_for(frame_advance_s)
        if level is not None:
            row = level.row_at(t_ns)
            if row < 0:
                return np.full(count, np.nan), np.full(count, np.nan)
            values = level.mean[row].astype(np.float64)
            return values, np.where(np.isfinite(values), 0.0, np.nan)
        row = int(np.searchsorted(self.times_ns, t_ns, side="right")) - 1
        if self.cycle_s is not None and row < 0 and len(self.times_ns):
            row = len(self.times_ns) - 1  # before the first hour of a typical day: the evening before
            t_ns += int(self.cycle_s * NS_PER_S)
        if row < 0 or count == 0:
            return np.full(count, np.nan), np.full(count, np.nan)
        if self._last_index is None:
            values = self.values[row].astype(np.float64)
            age_s = np.full(count, (t_ns - self.times_ns[row]) / NS_PER_S)
        else:
            last = self._last_index[row]
            have = last >= 0
            safe = np.where(have, last, 0)
            values = self.values[safe, self._columns].astype(np.float64)
            age_s = (t_ns - self.times_ns[safe]) / NS_PER_S
            age_s[~have] = np.nan
            values[~have] = np.nan
        values[age_s > self.max_age_s] = np.nan
        return values, age_s

    def level_for(self, frame_advance_s: float | None) -> Level | None:
        """The aggregated level a replay moving ``frame_advance_s`` per frame reads (``None``: raw)."""
        if not self.levels:
            return None
        step = float(np.median(self.step_s)) if len(self.step_s) else 0.0
        return choose_level(self.levels, step, frame_advance_s)

    def time_range(self) -> tuple[datetime, datetime] | None:
        """First and last reading times, aware, in :attr:`timezone`; ``None`` for a typical day
        (it fits any date)."""
        if len(self.times_ns) == 0 or self.cycle_s is not None:
            return None
        return timeutil.from_ns(self.times_ns[0], self.timezone), timeutil.from_ns(
            self.times_ns[-1], self.timezone
        )

    def suggested_range(self) -> tuple[datetime, datetime] | None:
        """For a typical day alone in a scene: today, midnight to midnight, local time."""
        if self.cycle_s is None:
            return None
        today = datetime.now(timeutil.zone(self.timezone)).replace(hour=0, minute=0, second=0, microsecond=0)
        return today, today + timedelta(hours=23, minutes=59)

    def series(self, index: int, *, gaps: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The readings of sensor ``index``: ``(times_ns int64, values float64)``.

        Only times with a reading are returned; with ``gaps=True`` a NaN value is inserted after
        every gap longer than the sensor's :attr:`max_age_s`, so that a plotted line breaks there.
        """
        column = self.values[:, index]
        have = ~np.isnan(column)
        times, values = self.times_ns[have], column[have].astype(np.float64)
        if gaps and len(times) > 1:
            breaks = np.flatnonzero(np.diff(times) > self.max_age_s[index] * NS_PER_S)
            if len(breaks):
                times = np.insert(times, breaks + 1, times[breaks] + 1)
                values = np.insert(values, breaks + 1, np.nan)
        return times, values

    def envelope(
        self, index: int, max_points: int = 4000
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None, str | None]:
        """What a chart draws for sensor ``index`` in at most about ``max_points`` points.

        Returns ``(times_ns, mean, low, high, label)``: the raw readings (``low``/``high`` and
        ``label`` ``None``) when they fit, else the finest aggregated level that fits, with its
        minima and maxima (NaN where a bin has no reading: the line breaks there).
        """
        level = level_for_points(self.levels, int(self.reading_counts[index]), max_points)
        if level is None:
            times, values = self.series(index, gaps=True)
            return times, values, None, None, None
        mid = level.start_ns + (level.end_ns - level.start_ns) // 2
        return (
            mid,
            level.mean[:, index].astype(np.float64),
            level.low[:, index].astype(np.float64),
            level.high[:, index].astype(np.float64),
            level.label,
        )

    def value_range(self) -> tuple[float, float]:
        """A robust colour range: the 2nd and 98th percentiles of the readings (``unit``), on an
        even sample of at most 2 million readings."""
        if self._value_range is None:
            self._value_range = robust_range(self.values)
        return self._value_range

    @property
    def is_count(self) -> bool:
        """True for counts (bikes, pedestrians, vehicles): a zero is a reading, the scale starts at 0
        (see :func:`layers.sensors.quantities.is_count`)."""
        return is_count(self.quantity, self.unit)

    # -- geometry and description ----------------------------------------------------------
    def bounds(self) -> Bounds:
        xmin, ymin = self.xy.min(axis=0)
        xmax, ymax = self.xy.max(axis=0)
        return float(xmin), float(ymin), float(xmax), float(ymax)

    def reproject(self, crs: CRS) -> None:
        if self.crs is None:
            raise ValueError(f"{self.name}: positions without a CRS cannot be reprojected")
        if crs_util.normalise(crs) == self.crs:
            return
        x, y = crs_util.transformer(self.crs, crs).transform(self.xy[:, 0], self.xy[:, 1])
        self.xy = np.column_stack([x, y]).astype(np.float64)
        self.crs = crs

    def feature_count(self) -> int:
        return len(self.sensor_ids)

    def attributes(self, index: int) -> dict[str, object]:
        """What the inspector shows for sensor ``index``: id, name, coordinates, last reading..."""
        info: dict[str, object] = {
            "id": self.sensor_ids[index],
            "name": self.names[index],
            "x": float(self.xy[index, 0]),
            "y": float(self.xy[index, 1]),
            "crs": crs_util.label(self.crs),
        }
        times, values = self.series(index)
        info["readings"] = int(len(times))
        if len(times):
            info["last_reading"] = float(values[-1])
            if self.cycle_s is None:
                info["last_reading_time"] = timeutil.from_ns(times[-1], self.timezone).isoformat()
            info["mean"] = float(np.mean(values))
        info["quantity"] = self.quantity
        info["unit"] = self.unit
        for key, item in self.extra.iloc[index].items():
            if key not in info and not _is_missing(item):
                info[str(key)] = item.item() if isinstance(item, np.generic) else item
        return info

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info.update(
            sensors=len(self.sensor_ids),
            readings=int(self.reading_counts.sum()),
            quantity=self.quantity,
            unit=self.unit,
            step=duration_label(float(np.median(self.step_s))) if len(self.step_s) else None,
        )
        if self.cycle_s is not None:
            info["typical_day"] = True
        if self.levels:
            info["levels"] = [level.label for level in self.levels]
        if self.value_field:
            info["value_field"] = self.value_field
        if self.locations_source is not None:
            info["locations"] = str(self.locations_source)
        return info


# -- units -----------------------------------------------------------------------------------
def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
