"""A network of air-temperature loggers as a temperature surface that follows the clock.

Kind ``heat``, read from the same files as a sensors layer (a long table of readings and the
loggers' positions; every option of :meth:`layers.sensors.layer.SensorLayer.load` applies). The readings
at the clock time are interpolated onto a grid by a thin-plate spline
(:class:`layers.heat.interpolation.StationField`, precomputed once because the loggers do not move):
a logger without a reading at that time is left out of the interpolation, never read as 0, and
with no reading at all the surface is empty.

The urban heat island (UHI) intensity is the difference to a *reference* logger (option
``reference``: its id or name; by default a logger whose attributes say "reference" or "rural";
changed with :meth:`StationHeatLayer.set_reference`, which emits ``reference_changed``): the
difference surface (style ``show: "uhi"``) and, per logger, in the inspector. When the reference
has no reading at a time, the intensity is unknown at that time (NaN), not 0.

The grid covers the loggers' box plus a margin (:mod:`layers.heat.loggers`); cells farther than
``reach_m`` from every logger are left empty rather than extrapolated, and so are, at a given time,
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
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core import timeutil
from layers.core.base import Bounds
from layers.core.errors import InputError
from layers.core.events import Event
from layers.core.palettes import TEMPERATURE, TEMPERATURE_DIFFERENCE, ColormapSpec, diverging_limits
from layers.heat.interpolation import GridField, StationField
from layers.heat.layer import AIR, DIFFERENCE, HeatLayer
from layers.heat.loggers import find_reference, surface_grid
from layers.heat.style import SHOW_TEMPERATURE, SHOW_UHI, HeatStyle
from layers.io.grid import Grid
from layers.io.raster_file import RasterSource

if TYPE_CHECKING:
    from layers.sensors.layer import SensorLayer

#: quantities (or value columns) that are already differences to a reference
_DIFFERENCE_QUANTITY = re.compile(r"heat island|uhi|icu|[ée]cart|difference|anomal", re.I)
#: what the values are when they are differences to the reference (:attr:`display_quantity`)
HEAT_ISLAND = "heat island intensity"


class StationHeatLayer(HeatLayer):
    """Air temperature interpolated from loggers (kind ``heat``), in °C, at the clock time.

    Attributes
    ----------
    stations
        The :class:`layers.sensors.layer.SensorLayer` of the readings (positions in :attr:`crs`).
    grid
        The :class:`~layers.io.grid.Grid` of the surface last computed (:meth:`values_at`), °C,
        NaN where empty; shape and position fixed.
    cell_m, reach_m
        The grid's cell size and how far from a logger the surface reaches, metres.
    resolution_option, reach_option, smoothing
        The ``resolution_m`` and ``reach_m`` options as given (``None``: chosen from the loggers'
        spacing, :mod:`layers.heat.loggers`) and the spline's smoothing.
    differences
        The readings already are heat island intensities (differences to a reference, K).
    reference
        Index of the reference logger in ``stations``, ``None`` when there is none.
    time
        The clock time of :attr:`grid`, ``None`` before the first :meth:`values_at`.

    Events
    ------
    reference_changed(str | None): the id of the new reference logger (:meth:`set_reference`).
    """

    time_aware: ClassVar[bool] = True

    @classmethod
    def accepts(cls, path: Path) -> bool:
        return is_station_source(path)

    def __init__(
        self,
        name: str,
        stations: SensorLayer,
        *,
        resolution_m: float | None = None,
        reach_m: float | None = None,
        smoothing: float = 0.0,
        reference: str | None = None,
        source: str | Path | None = None,
        style: HeatStyle | Mapping[str, Any] | None = None,
        attribution: str | None = None,
    ) -> None:
        if len(stations.sensor_ids) == 0:
            raise InputError(source, "no logger to interpolate")
        self.stations = stations
        self.resolution_option: float | None = resolution_m
        self.reach_option: float | None = reach_m
        self.smoothing: float = float(smoothing)
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
        self.differences: bool = bool(
            _DIFFERENCE_QUANTITY.search(f"{stations.quantity} {stations.value_field or ''}")
        )
        self.quantity = DIFFERENCE if self.differences else AIR
        self.reference: int | None = None if self.differences else find_reference(stations, reference, source)
        self.time: datetime | None = None
        self.reference_changed = Event("reference_changed")
        self._field: GridField | None = None
        self._limits: dict[str, tuple[float, float]] = {}

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        style: Mapping[str, Any] | None = None,
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
            stations.reproject(crs_util.choose_scene_crs(stations.crs, stations.bounds()))
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
        given = {
            "reference": reference,
            "resolution_m": resolution_m,
            "reach_m": reach_m,
            "smoothing": smoothing,
        }
        layer.options.update({key: value for key, value in given.items() if value is not None})
        if layer.differences:
            layer.warnings.append(
                f"the readings are {stations.quantity!r}: "
                "shown as differences to their reference, centred on 0"
            )
        elif stations.quantity and not re.search(
            r"temp|°c|air", f"{stations.quantity} {stations.unit}", re.I
        ):
            layer.warnings.append(
                f"the readings are {stations.quantity!r} "
                f"({stations.unit or 'no unit'}), shown as temperatures"
            )
        return layer

    def set_reference(self, wanted: str | None) -> None:
        """Take logger ``wanted`` (id or name; ``None``: none) as the reference; saved as the
        ``reference`` option. Emits ``reference_changed`` with the logger's id (or ``None``)."""
        self.reference = None if wanted is None else find_reference(self.stations, wanted, self.source)
        self._limits.pop(SHOW_UHI, None)
        if self.reference is None:
            self.options.pop("reference", None)
            self.reference_changed.emit(None)
        else:
            sensor_id = str(self.stations.sensor_ids[self.reference])
            self.options["reference"] = sensor_id
            self.reference_changed.emit(sensor_id)
        self.options_changed.emit()

    # -- the grid ------------------------------------------------------------------------------
    def _make_grid(self) -> Grid:
        found = surface_grid(
            self.stations.xy,
            self.stations.crs,
            resolution_m=self.resolution_option,
            reach_m=self.reach_option,
        )
        self.reach_m = found.reach_m
        self.cell_m = found.cell_m
        return found.grid

    def grid_field(self) -> GridField:
        """The precomputed interpolation over the cells within reach (built on first use)."""
        if self._field is None:
            self._field = GridField(
                self.require_grid(), self.stations.xy, self.reach_m, smoothing=self.smoothing
            )
        return self._field

    def field(self) -> StationField:
        """The thin-plate spline through the loggers, evaluated on the cells within reach."""
        return self.grid_field().field

    def inside(self) -> np.ndarray:
        """(rows, cols) bool: the cells within reach of a logger (the others stay empty)."""
        return self.grid_field().inside()

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

    def bounds(self) -> Bounds:
        return self.require_grid().bounds()

    def focus_points(self) -> np.ndarray:
        return np.asarray(self.stations.xy)

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

    def shown_readings_at(self, t: datetime | int) -> np.ndarray:
        """(S,) what each logger shows at ``t`` (style ``show``): its reading, °C, or its heat island
        intensity, K."""
        return self.uhi_at(t) if self.show == SHOW_UHI else self.readings_at(t)

    def surface_at(self, t: datetime | int, show: str = SHOW_TEMPERATURE) -> np.ndarray:
        """(rows, cols) float32 surface at ``t``: temperature (°C), or its difference to the
        reference (``show="uhi"``); NaN outside reach, and everywhere when no logger has a reading."""
        readings = self.uhi_at(t) if show == SHOW_UHI else self.readings_at(t)
        return self.grid_field().surface(readings)

    def values_at(self, t: datetime | int) -> np.ndarray:
        """The surface shown at ``t`` (style ``show``), kept as :attr:`grid` for the probe and the
        inspector."""
        surface = self.surface_at(t, self.show)
        self.require_grid().values = surface
        self.time = t if isinstance(t, datetime) else timeutil.from_ns(int(t), self.stations.timezone)
        return surface

    def export_values(self, t: datetime | None = None) -> np.ndarray:
        """The surface shown (style ``show``) at ``t`` (default: the clock time of :attr:`grid`),
        without changing what is drawn."""
        return self.grid_values() if t is None else self.surface_at(t, self.show)

    @property
    def show(self) -> str:
        """``"temperature"`` or ``"uhi"`` (style ``show``; ``uhi`` needs a reference logger)."""
        if self.differences:
            return SHOW_UHI
        return SHOW_UHI if self.style.show == SHOW_UHI and self.reference is not None else SHOW_TEMPERATURE

    # -- colours -------------------------------------------------------------------------------
    @property
    def palette(self) -> ColormapSpec:
        """Diverging around 0 for the heat island, the temperatures' palette otherwise."""
        return TEMPERATURE_DIFFERENCE if self.show == SHOW_UHI else TEMPERATURE

    @property
    def display_quantity(self) -> str:
        return HEAT_ISLAND if self.show == SHOW_UHI else AIR

    def color_limits(self) -> tuple[float, float]:
        """Fixed over the whole period: centred on the median of all readings (temperatures) or on
        0 (differences to the reference), symmetric, reaching the farther robust percentile."""
        show = self.show
        if show not in self._limits:
            values = self.stations.values.astype(np.float64)
            if show == SHOW_UHI:
                if not self.differences and self.reference is not None:
                    values = values - values[:, [self.reference]]
                limits = diverging_limits(values, center=0.0)
            else:
                limits = diverging_limits(values)
            self._limits[show] = (0.0, 1.0) if limits is None else (limits[0], limits[2])
        return self._limits[show]

    def color_center(self) -> float:
        low, high = self.color_limits()
        return (low + high) / 2.0

    def value_range(self) -> tuple[float, float]:
        return self.color_limits()

    # -- inspection ----------------------------------------------------------------------------
    def reference_name(self) -> str | None:
        """The reference logger's name, ``None`` without one."""
        return None if self.reference is None else str(self.stations.names[self.reference])

    def attributes_at(self, x: float, y: float) -> dict[str, Any]:
        info = super().attributes_at(x, y)
        if info and self.show == SHOW_UHI and self.reference is not None:
            info["quantity"] = f"difference to {self.reference_name()}"
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
            info["reference"] = self.reference_name()
            info["reference_c"] = None if math.isnan(reference) else round(float(reference), 2)
            uhi = readings[index] - reference
            info["uhi_k"] = None if math.isnan(uhi) else round(float(uhi), 2)
        return info

    def feature_count(self) -> int:
        return len(self.stations.sensor_ids)

    def describe(self) -> dict[str, Any]:
        info = HeatLayer.describe(self)
        rows, cols = self.require_grid().shape
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
        for key in ("value_range", "nodata", "dtype", "bands", "band"):
            info.pop(key, None)
        low, high = self.color_limits()
        info["palette_limits"] = [round(low, 2), round(high, 2)]
        return info

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} (heat, {len(self.stations.sensor_ids)} loggers)>"


def is_station_source(path: Path) -> bool:
    """True when ``path`` holds readings (a table, or points) rather than a raster."""
    from layers.io import formats

    return "raster" not in formats.families_of(path.suffix)


__all__ = ["HEAT_ISLAND", "SHOW_TEMPERATURE", "SHOW_UHI", "StationHeatLayer", "is_station_source"]
