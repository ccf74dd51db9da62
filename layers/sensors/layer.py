"""Sensors: time series of readings at fixed points (temperature loggers, noise meters, counters).

:meth:`SensorLayer.load` reads the shapes cities publish (see :mod:`layers.sensors.read` for
tables, :mod:`layers.sensors.fast` for large CSV / Parquet, :mod:`layers.sensors.fiware` for NGSI
observations, :mod:`layers.sensors.sensorthings` for OGC SensorThings exports) and joins the sensors to
their locations (:mod:`layers.sensors.sites`).

The readings are a dense ``(times, sensors)`` float32 array with a forward-filled index of the
last reading, so that :meth:`SensorLayer.values_at` is one ``searchsorted`` and one fancy index
whatever the number of sensors. Long series also get hourly / daily levels
(:mod:`layers.sensors.aggregate`) that a fast replay and the chart read instead of the raw readings.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core import timeutil
from layers.core.base import Layer
from layers.core.errors import InputError
from layers.sensors.aggregate import Level, build_levels, choose_level, level_for_points
from layers.sensors.quantities import COUNT_QUANTITIES, duration_label, guess_quantity
from layers.sensors.read import SensorData
from layers.sensors.sites import sample

NS_PER_S = 1_000_000_000
DAY_NS = 86_400 * NS_PER_S
#: how long a reading stays valid when a sensor's step cannot be measured (a single time), seconds
SINGLE_READING_MAX_AGE_S = 86_400.0
#: a default max age is this many times the sensor's median sampling step
MAX_AGE_STEPS = 3.0
#: readings sampled to find the colour range of a large layer
RANGE_SAMPLE = 2_000_000


class SensorLayer(Layer):
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
    max_age_s : numpy.ndarray
        (S,) float64: how long a reading stays shown, in seconds (default 3 × the sensor's median
        sampling step).
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
    """

    kind = "sensors"
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
    ) -> None:
        super().__init__(name, source=source, crs=crs, attribution=attribution)
        self.sensor_ids = np.asarray(sensor_ids, dtype=object)
        self.names = np.asarray(names, dtype=object)
        self.xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
        self.times_ns = np.asarray(times_ns, dtype=np.int64)
        self.values = np.asarray(values, dtype=np.float32).reshape(len(self.times_ns), len(self.sensor_ids))
        self.quantity = quantity
        self.unit = unit
        self.timezone = timezone or timeutil.DEFAULT_TIMEZONE
        self.cycle_s = cycle_s
        self.extra = extra if extra is not None else pd.DataFrame(index=range(len(self.sensor_ids)))
        self._columns = np.arange(len(self.sensor_ids))
        valid = ~np.isnan(self.values)
        self.reading_counts = valid.sum(axis=0)
        # last_index[n, s]: row of the last reading of sensor s at or before time n, -1 if none;
        # None when no reading is missing (then it is n itself)
        self._last_index: np.ndarray | None = None
        if not self.reading_counts.sum() == self.values.size:
            self._last_index = _forward_index(valid)
        self.step_s = self._median_steps(valid)
        del valid
        if max_age_s is None:
            self.max_age_s = MAX_AGE_STEPS * self.step_s
        else:
            self.max_age_s = np.broadcast_to(
                np.asarray(max_age_s, dtype=np.float64), (len(self.sensor_ids),)
            ).copy()
        self._value_range: tuple[float, float] | None = None
        step = float(np.median(self.step_s)) if len(self.step_s) else 3600.0
        self.levels: list[Level] = (
            build_levels(self.times_ns, self.values, step, self.timezone)
            if levels and cycle_s is None
            else []
        )
        #: the column the readings came from, and the file the locations came from (if separate)
        self.value_field: str | None = None
        self.locations_source: Path | None = None

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
        **options
            ``max_age_s``: how long a reading stays shown (default 3 × the sampling step).

        Raises
        ------
        InputError
            For a missing column, unreadable times, no located sensor.
        """
        from layers.sensors.load import read_source, resolve_sites

        path = Path(path)
        try:
            zone = timeutil.zone(timezone).key
        except ValueError as exc:
            raise InputError(path, str(exc), field="timezone") from None
        given_crs = _parse_crs(crs, path)
        columns = {"time": time, "id": id, "value": value, "x": x, "y": y}
        data, location_hint = read_source(
            path, zone=zone, crs=given_crs, locations=locations, locations_id=locations_id, **columns
        )
        sites, location_file = resolve_sites(
            path,
            data,
            locations=locations,
            locations_id=locations_id,
            crs=given_crs,
            x=x,
            y=y,
            hint=location_hint,
        )
        layer = cls._from_data(
            path, name, data, sites, zone, quantity, unit, _max_age_option(options.get("max_age_s"), path)
        )
        layer.locations_source = location_file
        given = {
            "crs": crs,
            "time": time,
            "id": id,
            "value": value,
            "locations": locations,
            "locations_id": locations_id,
            "x": x,
            "y": y,
            "quantity": quantity,
            "unit": unit,
            "timezone": timezone,
        }
        layer.options = {
            k: (str(v) if isinstance(v, (Path, CRS)) else v)
            for k, v in {**given, **options}.items()
            if v is not None
        }
        return layer

    @classmethod
    def _from_data(
        cls,
        path: Path,
        name: str | None,
        data: SensorData,
        sites: pd.DataFrame,
        zone: str,
        quantity: str | None,
        unit: str | None,
        max_age_s: float | None,
    ) -> SensorLayer:
        """The layer from read readings and their sites (``id, name, x, y``, one row per sensor id)."""
        warnings = list(data.warnings)
        rows = (
            pd.Index(sites["id"]).get_indexer(data.sensor_ids)
            if sites["id"].is_unique
            else pd.Index(sites["id"].drop_duplicates()).get_indexer(data.sensor_ids)
        )
        if (rows >= 0).any():
            have_xy = np.isfinite(sites["x"].to_numpy(float)) & np.isfinite(sites["y"].to_numpy(float))
            rows = np.where((rows >= 0) & have_xy[np.maximum(rows, 0)], rows, -1)
        missing = rows < 0
        if missing.all():
            raise InputError(
                path,
                "no sensor of the readings has a location",
                field=data.id_field,
                hint=f"ids in the readings: {sample(data.sensor_ids)}; ids in the locations: {sites.attrs.get('ids_sample') or sample(sites['id'])}",
            )
        sensor_ids, values = data.sensor_ids, data.values
        names_in_data = data.names
        if missing.any():
            warnings.append(
                f"{int(missing.sum())} sensors without a location left out: {sample(sensor_ids[missing])}"
            )
            sensor_ids, values, rows = sensor_ids[~missing], values[:, ~missing], rows[~missing]
            names_in_data = names_in_data[~missing] if names_in_data is not None else None
        site_crs = sites.attrs["crs"]
        picked = sites.iloc[rows].reset_index(drop=True)
        names = picked["name"].where(picked["name"].notna(), None).to_numpy(dtype=object)
        if names_in_data is not None:
            names = np.where(pd.isna(names), names_in_data, names)
        names = np.where(pd.isna(names) | (names == ""), sensor_ids, names).astype(str).astype(object)
        step = data.step_s or (
            float(np.median(np.diff(data.times_ns))) / NS_PER_S if len(data.times_ns) > 1 else None
        )
        label = data.value_field or (path.stem if not data.quantity else data.quantity)
        guessed_quantity, guessed_unit = guess_quantity(label, step)
        if data.value_field is None and guessed_unit == "" and data.quantity is None:
            guessed_quantity, guessed_unit = guess_quantity(path.stem, step)
        layer = cls(
            name or (path.name if path.is_dir() else path.stem),
            sensor_ids=sensor_ids,
            names=names,
            xy=picked[["x", "y"]].to_numpy(float),
            times_ns=data.times_ns,
            values=values,
            crs=site_crs,
            quantity=quantity or data.quantity or guessed_quantity,
            unit=unit if unit is not None else (data.unit if data.unit is not None else guessed_unit),
            timezone=zone,
            max_age_s=max_age_s,
            extra=picked.drop(columns=["id", "name", "x", "y"]),
            source=path,
            cycle_s=data.cycle_s,
        )
        if data.step_s and max_age_s is None and data.cycle_s is None:
            # readings that stand for an interval (a daily count) stay shown for that interval
            layer.max_age_s = np.maximum(layer.max_age_s, data.step_s)
        layer.value_field = data.value_field
        layer.warnings.extend(warnings)
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
            flat = self.values.reshape(-1)
            if flat.size > RANGE_SAMPLE:
                flat = flat[:: flat.size // RANGE_SAMPLE + 1]
            finite = flat[~np.isnan(flat)]
            if finite.size == 0:
                self._value_range = (0.0, 1.0)
            else:
                low, high = np.percentile(finite, [2, 98])
                self._value_range = (float(low), float(high) if high > low else float(low) + 1.0)
        return self._value_range

    @property
    def is_count(self) -> bool:
        """True for counts (bikes, pedestrians, vehicles): a zero is a reading, the scale starts at 0.

        Known from the quantity (``bicycle count``, or a name such as ``Vélos``, ``Comptage``) or
        from a unit per time (``/h``, ``vélos/h``, ``/jour``)."""
        if self.quantity in COUNT_QUANTITIES or self.unit.startswith("/"):
            return True
        if re.search(r"/\s*(h|heure|jour|j|d|day|\d+\s*min)\b", self.unit or "", re.I):
            return True
        return guess_quantity(self.quantity or "", None)[0] in COUNT_QUANTITIES

    # -- geometry and description ----------------------------------------------------------
    def bounds(self) -> tuple[float, float, float, float]:
        xmin, ymin = self.xy.min(axis=0)
        xmax, ymax = self.xy.max(axis=0)
        return float(xmin), float(ymin), float(xmax), float(ymax)

    def reproject(self, crs: CRS) -> None:
        if self.crs is not None and crs_util.normalise(crs) == self.crs:
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

    def _median_steps(self, valid: np.ndarray, sample_rows: int = 4096) -> np.ndarray:
        """(S,) median time between consecutive readings of each sensor, in seconds.

        Measured at up to ``sample_rows`` times spread over the series (the step to the previous
        reading comes from the forward-filled index), so a year of minutes stays cheap.
        """
        count = valid.shape[1]
        overall = (
            float(np.median(np.diff(self.times_ns))) / NS_PER_S
            if len(self.times_ns) > 1
            else SINGLE_READING_MAX_AGE_S / MAX_AGE_STEPS
        )
        steps = np.full(count, overall)
        if len(self.times_ns) < 2 or count == 0:
            return steps
        rows = np.unique(
            np.linspace(1, len(self.times_ns) - 1, min(sample_rows, len(self.times_ns) - 1)).astype(np.int64)
        )
        previous = (
            self._last_index[rows - 1]
            if self._last_index is not None
            else np.broadcast_to((rows - 1)[:, None], (len(rows), count))
        )
        usable = valid[rows] & (previous >= 0)
        gaps = (self.times_ns[rows][:, None] - self.times_ns[np.maximum(previous, 0)]) / NS_PER_S
        gaps = np.where(usable, gaps, np.nan)
        measured = usable.any(axis=0)
        if measured.any():
            steps[measured] = np.nanmedian(gaps[:, measured], axis=0)
        # sensors too sparse to be caught by the sample: their mean step
        counts = self.reading_counts
        sparse = ~measured & (counts >= 2)
        if sparse.any():
            first = self.times_ns[np.argmax(valid[:, sparse], axis=0)]
            last = (
                self.times_ns[self._last_index[-1, sparse]]
                if self._last_index is not None
                else np.full(int(sparse.sum()), self.times_ns[-1])
            )
            steps[sparse] = (last - first) / NS_PER_S / (counts[sparse] - 1)
        return steps


def _forward_index(valid: np.ndarray) -> np.ndarray:
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


# -- options ---------------------------------------------------------------------------------------
def _parse_crs(value: Any, path: Path) -> CRS | None:
    if value is None:
        return None
    try:
        return crs_util.parse_crs(value, source=path)
    except ValueError as exc:
        raise InputError(path, str(exc), field="crs") from None


def _max_age_option(value: Any, path: Path) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise InputError(
            path, f"max_age_s must be a number of seconds, not {value!r}", field="max_age_s"
        ) from None
    if not seconds > 0:
        raise InputError(path, "max_age_s must be positive", field="max_age_s")
    return seconds


# -- units -----------------------------------------------------------------------------------
def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
