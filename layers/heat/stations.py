"""A network of air-temperature loggers as a temperature surface that follows the clock.

Kind ``heat``, read from the same files as a sensors layer (a long table of readings and the
loggers' positions; every option of :meth:`layers.sensors.layer.SensorLayer.load` applies). The readings
at the clock time are interpolated onto a grid by a thin-plate spline
(:class:`layers.heat.interpolation.StationField`, precomputed once because the loggers do not move):
a logger without a reading at that time is left out of the interpolation, never read as 0, and
with no reading at all the surface is empty.

The urban heat island (UHI) intensity is the difference to a *reference* logger (option
``reference``: its id or name; by default a logger whose attributes say "reference" or "rural"):
the difference surface (style ``show: "uhi"``) and, per logger, in the inspector. When the
reference has no reading at a time, the intensity is unknown at that time (NaN), not 0.

The grid covers the loggers' box plus a margin, in cells of ``resolution_m`` (default: about 400
cells across); cells farther than ``reach_m`` from every logger (default 2.5 × the median spacing
between neighbouring loggers) are left empty rather than extrapolated, and so are, at a given time,
the cells that only loggers without a reading reach. The surface never leaves the range of the
readings of its time (a spline overshoots a few kelvin away from the data; a public meeting must
not see a cold spot no logger measured).

Colour limits are fixed over the whole period, so the legend does not move while the clock plays:
temperatures on the diverging palette centred on the median of all readings, differences centred
on 0 (:data:`layers.core.palettes.TEMPERATURE_DIFFERENCE`).
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core import timeutil
from layers.core.errors import InputError
from layers.core.palettes import TEMPERATURE, TEMPERATURE_DIFFERENCE, ColormapSpec, diverging_limits
from layers.heat.interpolation import StationField, nearest_distance, station_spacing
from layers.heat.layer import AIR, DIFFERENCE, HeatLayer
from layers.io.grid import Grid
from layers.io.raster_file import RasterSource

#: cells across the longer side when no resolution is given
DEFAULT_CELLS = 400
#: largest grid, cells
MAX_CELLS = 1_000_000
#: largest precomputed kernel (cells × (loggers + 3) float32), bytes
MAX_KERNEL_BYTES = 256 * 2**20
#: a cell is drawn when one of its this many nearest loggers within reach has a reading
NEAR_LOGGERS = 8
#: default reach of the surface: this many times the median spacing of neighbouring loggers
REACH_SPACINGS = 2.5
#: quantities (or value columns) that are already differences to a reference
_DIFFERENCE_QUANTITY = re.compile(r"heat island|uhi|icu|[ée]cart|difference|anomal", re.I)
#: words that mark the reference logger in its attributes or name
_REFERENCE_WORDS = re.compile(r"\b(r[ée]f[ée]rence|reference|rural|ref)\b", re.I)
SHOW_TEMPERATURE = "temperature"
SHOW_UHI = "uhi"


class StationHeatLayer(HeatLayer):
    """Air temperature interpolated from loggers (kind ``heat``), in °C, at the clock time.

    Attributes
    ----------
    stations
        The :class:`layers.sensors.layer.SensorLayer` of the readings (positions in :attr:`crs`).
    grid
        The :class:`~layers.io.grid.Grid` of the surface last computed (:meth:`values_at`), °C,
        NaN where empty; shape and position fixed.
    reference
        Index of the reference logger in ``stations``, ``None`` when there is none.
    time
        The clock time of :attr:`grid`, ``None`` before the first :meth:`values_at`.
    """

    @classmethod
    def accepts(cls, path: Path) -> bool:
        return is_station_source(path)

    time_aware: ClassVar[bool] = True
    #: drawn by the surface visual (the viewer looks at this flag, not at the class)
    interpolated: ClassVar[bool] = True

    def __init__(
        self,
        name: str,
        stations: Any,
        *,
        resolution_m: float | None = None,
        reach_m: float | None = None,
        smoothing: float = 0.0,
        reference: str | None = None,
        source: str | Path | None = None,
        style: dict[str, Any] | None = None,
        attribution: str | None = None,
    ) -> None:
        if len(stations.sensor_ids) == 0:
            raise InputError(source, "no logger to interpolate")
        self.stations = stations
        self.resolution_option = resolution_m
        self.reach_option = reach_m
        self.smoothing = float(smoothing)
        grid = self._make_grid()
        super().__init__(
            name,
            grid,
            source=source,
            unit="°C",
            source_info=RasterSource(),
            style=style,
            attribution=attribution,
        )
        #: the readings already are heat island intensities (differences to a reference, K)
        self.differences = bool(
            _DIFFERENCE_QUANTITY.search(f"{stations.quantity} {stations.value_field or ''}")
        )
        self.quantity = DIFFERENCE if self.differences else AIR
        self.reference = None if self.differences else self._find_reference(reference, source)
        self.time: datetime | None = None
        self._field: StationField | None = None
        self._limits: dict[str, tuple[float, float]] = {}

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        style: dict[str, Any] | None = None,
        attribution: str | None = None,
        reference: str | None = None,
        resolution_m: float | None = None,
        reach_m: float | None = None,
        smoothing: float | None = None,
        **options: Any,
    ) -> StationHeatLayer:
        """Read loggers and their readings (see :meth:`layers.sensors.layer.SensorLayer.load` for
        ``options``: ``locations``, ``time``, ``id``, ``value``, ``crs``, ``timezone``...)."""
        from layers.sensors.layer import SensorLayer

        path = Path(path)
        options.pop("kind", None)
        stations = SensorLayer.load(path, **options)
        if stations.crs is not None and not crs_util.is_metric_projected(stations.crs):
            xmin, ymin, xmax, ymax = stations.bounds()
            stations.reproject(crs_util.choose_scene_crs(stations.crs, (xmin, ymin, xmax, ymax)))
        for key, value in (("resolution_m", resolution_m), ("reach_m", reach_m), ("smoothing", smoothing)):
            if value is not None and not (
                isinstance(value, (int, float))
                and math.isfinite(value)
                and value >= 0
                and (value > 0 or key == "smoothing")
            ):
                raise InputError(path, f"{key} must be a positive number, not {value!r}", field=key)
        layer = cls(
            name or path.stem,
            stations,
            resolution_m=resolution_m,
            reach_m=reach_m,
            smoothing=smoothing or 0.0,
            reference=reference,
            source=path,
            style=style,
            attribution=attribution,
        )
        layer.warnings.extend(stations.warnings)
        layer.options = dict(stations.options)
        for key, value in (
            ("reference", reference),
            ("resolution_m", resolution_m),
            ("reach_m", reach_m),
            ("smoothing", smoothing),
        ):
            if value is not None:
                layer.options[key] = value
        if layer.differences:
            layer.warnings.append(
                f"the readings are {stations.quantity!r}: shown as differences to their reference, centred on 0"
            )
        elif stations.quantity and not re.search(
            r"temp|°c|air", f"{stations.quantity} {stations.unit}", re.I
        ):
            layer.warnings.append(
                f"the readings are {stations.quantity!r} ({stations.unit or 'no unit'}), shown as temperatures"
            )
        return layer

    def _find_reference(self, wanted: str | None, source: Any) -> int | None:
        ids = [str(i) for i in self.stations.sensor_ids]
        names = [str(n) for n in self.stations.names]
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
        extra = self.stations.extra
        for i in range(len(ids)):
            texts = [names[i]] + [
                str(v) for v in (extra.iloc[i].tolist() if len(extra.columns) else []) if isinstance(v, str)
            ]
            if any(_REFERENCE_WORDS.search(t) for t in texts):
                return i
        return None

    def set_reference(self, wanted: str | None) -> None:
        """Take logger ``wanted`` (id or name; ``None``: none) as the reference; saved as the
        ``reference`` option, and the viewer redraws (a ``style_changed("reference", id)`` event)."""
        self.reference = None if wanted is None else self._find_reference(wanted, self.source)
        self._limits.pop(SHOW_UHI, None)
        if self.reference is None:
            self.options.pop("reference", None)
            self.style_changed.emit(frozenset({"reference"}))
        else:
            self.options["reference"] = str(self.stations.sensor_ids[self.reference])
            self.style_changed.emit(frozenset({"reference"}))

    # -- the grid ------------------------------------------------------------------------------
    def _make_grid(self) -> Grid:
        xy = self.stations.xy
        spacing = station_spacing(xy)
        span = float(np.ptp(xy, axis=0).max()) if len(xy) > 1 else 0.0
        self.reach_m = float(self.reach_option) if self.reach_option else max(REACH_SPACINGS * spacing, 100.0)
        margin = min(self.reach_m, max(0.1 * span, 50.0))
        xmin, ymin = xy.min(axis=0) - margin
        xmax, ymax = xy.max(axis=0) + margin
        width, height = xmax - xmin, ymax - ymin
        resolution = (
            float(self.resolution_option) if self.resolution_option else max(width, height) / DEFAULT_CELLS
        )
        cols, rows = max(2, math.ceil(width / resolution)), max(2, math.ceil(height / resolution))
        most = min(MAX_CELLS, MAX_KERNEL_BYTES // (4 * (len(xy) + 3)))
        if cols * rows > most:
            resolution *= math.sqrt(cols * rows / most)
            cols, rows = max(2, math.ceil(width / resolution)), max(2, math.ceil(height / resolution))
        self.cell_m = resolution
        values = np.full((rows, cols), np.nan, dtype=np.float32)
        return Grid(
            values=values,
            x0=float(xmin),
            y0=float(ymin + rows * resolution),
            dx=resolution,
            dy=resolution,
            crs=self.stations.crs,
        )

    def field(self) -> StationField:
        """The precomputed interpolation for the cells within reach (built on first use)."""
        if self._field is None:
            from scipy.spatial import cKDTree

            xs, ys = self.grid.cell_centers()
            points = np.column_stack([np.tile(xs, len(ys)), np.repeat(ys, len(xs))])
            self._inside = nearest_distance(points, self.stations.xy) <= self.reach_m
            kept = points[self._inside]
            self._field = StationField(self.stations.xy, kept, smoothing=self.smoothing)
            # the nearest loggers of every cell kept, to blank the cells that only a logger without
            # a reading covers (they would be extrapolated from far away)
            k = min(NEAR_LOGGERS, len(self.stations.xy))
            distance, index = cKDTree(self.stations.xy).query(kept, k=k)
            self._near_index = np.asarray(index, dtype=np.int32).reshape(len(kept), k)
            self._near_ok = np.asarray(distance).reshape(len(kept), k) <= self.reach_m
        return self._field

    def inside(self) -> np.ndarray:
        """(rows, cols) bool: the cells within reach of a logger (the others stay empty)."""
        self.field()
        return self._inside.reshape(self.grid.shape)

    def prepare(self) -> None:
        self.field()

    def reproject(self, crs: CRS) -> None:
        crs = crs_util.parse_crs(crs)
        self.stations.reproject(crs)
        self.crs = crs
        self.grid = self._make_grid()
        self._field = None
        self._range_cache = None
        if self.time is not None:
            self.values_at(self.time)

    def bounds(self) -> tuple[float, float, float, float]:
        return self.grid.bounds()

    def focus_points(self):
        return self.stations.xy

    # -- time ----------------------------------------------------------------------------------
    def time_range(self) -> tuple[datetime, datetime] | None:
        return self.stations.time_range()

    def readings_at(self, t: datetime | int) -> np.ndarray:
        """(S,) the loggers' readings at ``t``, °C; NaN for a logger without a current reading."""
        values, _ = self.stations.values_at(t)
        return np.asarray(values, dtype=np.float64)

    def uhi_at(self, t: datetime | int) -> np.ndarray:
        """(S,) each logger's difference to the reference at ``t``, kelvin (°C); all NaN without a
        reference or when the reference has no reading (readings that already are differences are
        returned as they are)."""
        values = self.readings_at(t)
        if self.differences:
            return values
        if self.reference is None:
            return np.full(len(values), np.nan)
        return values - values[self.reference]

    def surface_at(self, t: datetime | int, show: str = SHOW_TEMPERATURE) -> np.ndarray:
        """(rows, cols) float32 surface at ``t``: temperature (°C), or its difference to the
        reference (``show="uhi"``); NaN outside reach, and everywhere when no logger has a reading."""
        field = self.field()
        readings = self.uhi_at(t) if show == SHOW_UHI else self.readings_at(t)
        out = np.full(self.grid.shape, np.nan, dtype=np.float32)
        have = np.isfinite(readings)
        if have.any():
            surface = field.evaluate(readings)
            # a spline overshoots away from the loggers: never beyond the readings of that time
            np.clip(surface, np.float32(np.nanmin(readings)), np.float32(np.nanmax(readings)), out=surface)
            if not have.all():
                covered = (self._near_ok & have[self._near_index]).any(axis=1)
                surface[~covered] = np.nan
            out.reshape(-1)[self._inside.reshape(-1)] = surface
        return out

    def values_at(self, t: datetime | int) -> np.ndarray:
        """The surface shown at ``t`` (style ``show``), kept as :attr:`grid` for the probe and the
        inspector."""
        surface = self.surface_at(t, self.show)
        self.grid.values = surface
        self.time = t if isinstance(t, datetime) else timeutil.from_ns(int(t), self.stations.timezone)
        return surface

    @property
    def show(self) -> str:
        """``"temperature"`` or ``"uhi"`` (style ``show``; ``uhi`` needs a reference logger)."""
        wanted = self.style.get("show", SHOW_TEMPERATURE)
        if self.differences:
            return SHOW_UHI
        return SHOW_UHI if wanted == SHOW_UHI and self.reference is not None else SHOW_TEMPERATURE

    # -- colours -------------------------------------------------------------------------------
    @property
    def palette(self) -> ColormapSpec:  # type: ignore[override]
        return TEMPERATURE_DIFFERENCE if self.show == SHOW_UHI else TEMPERATURE

    @palette.setter
    def palette(self, value: ColormapSpec) -> None:  # HeatLayer sets it for difference rasters
        pass

    @property
    def display_quantity(self) -> str:
        return "heat island intensity" if self.show == SHOW_UHI else AIR

    def color_limits(self) -> tuple[float, float] | None:
        """Fixed over the whole period: centred on the median of all readings (temperatures) or on
        0 (differences to the reference), symmetric, reaching the farther robust percentile."""
        show = self.show
        if show not in self._limits:
            values = self.stations.values.astype(np.float64)
            if show == SHOW_UHI:
                if not self.differences:
                    values = values - values[:, [self.reference]]
                limits = diverging_limits(values, center=0.0)
            else:
                limits = diverging_limits(values)
            self._limits[show] = (0.0, 1.0) if limits is None else (limits[0], limits[2])
        return self._limits[show]

    def color_center(self) -> float | None:
        low, high = self.color_limits()
        return (low + high) / 2.0

    def value_range(self) -> tuple[float, float] | None:
        return self.color_limits()

    # -- inspection ----------------------------------------------------------------------------
    def attributes_at(self, x: float, y: float) -> dict[str, Any]:
        info = super().attributes_at(x, y)
        if info and self.show == SHOW_UHI and self.reference is not None:
            info["quantity"] = f"difference to {self.stations.names[self.reference]}"
        return info

    def station_attributes(self, index: int, t: datetime | int | None = None) -> dict[str, Any]:
        """A logger for the inspector: its attributes, its reading at ``t`` and its heat island
        intensity (difference to the reference), °C."""
        info = dict(self.stations.attributes(index))
        t = self.time if t is None else t
        if t is None:
            return info
        readings = self.readings_at(t)
        if self.differences:
            info["uhi_k"] = None if math.isnan(readings[index]) else round(float(readings[index]), 2)
            return info
        info["temperature_c"] = None if math.isnan(readings[index]) else round(float(readings[index]), 2)
        if self.reference is not None:
            reference = readings[self.reference]
            info["reference"] = str(self.stations.names[self.reference])
            info["reference_c"] = None if math.isnan(reference) else round(float(reference), 2)
            uhi = readings[index] - reference
            info["uhi_k"] = None if math.isnan(uhi) else round(float(uhi), 2)
        return info

    def feature_count(self) -> int:
        return len(self.stations.sensor_ids)

    def describe(self) -> dict[str, Any]:
        info = HeatLayer.describe(self)
        rows, cols = self.grid.shape
        info.update(
            quantity=self.quantity,
            interpolated_from=f"{len(self.stations.sensor_ids)} loggers",
            method="thin-plate spline (scipy RBF), linear trend",
            size=[cols, rows],
            resolution_m=[round(self.cell_m, 2)] * 2,
            reach_m=round(self.reach_m, 1),
            reference=None if self.reference is None else str(self.stations.sensor_ids[self.reference]),
            readings=int(np.isfinite(self.stations.values).sum()),
        )
        info.pop("value_range", None)
        info.pop("nodata", None)
        info.pop("dtype", None)
        info.pop("bands", None)
        info.pop("band", None)
        limits = self.color_limits()
        info["palette_limits"] = [round(limits[0], 2), round(limits[1], 2)]
        return info

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} (heat, {len(self.stations.sensor_ids)} loggers)>"


def is_station_source(path: Path) -> bool:
    """True when ``path`` holds readings (a table, or points) rather than a raster."""
    from layers.io import formats

    return "raster" not in formats.families_of(path.suffix)


__all__ = ["StationHeatLayer", "is_station_source", "SHOW_UHI", "SHOW_TEMPERATURE", "DIFFERENCE"]
