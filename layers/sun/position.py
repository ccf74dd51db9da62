"""The sun seen from the scene: position (NREL SPA), sunrise / sunset, direction in the scene grid.

Positions come from pvlib's implementation of NREL's Solar Position Algorithm (Reda & Andreas
2004, uncertainty ±0.0003°), ``pvlib.spa``, called as pvlib's own
``solarposition.get_solarposition(method="nrel_numpy")`` and ``sun_rise_set_transit_spa`` call it
(same arguments, same results; a test compares them). Why this one: it is the SPA itself (ported
from NREL's C code and tested against it by pvlib), vectorised with numpy (a day of 15-minute steps
takes a few milliseconds), pure Python (the numba variant would need numba for no gain at these
sizes), and pvlib is a well-kept library with a wide user base. Sunrise, sunset and transit come
from the same algorithm (NaT under the midnight sun or the polar night).

``pvlib/spa.py`` needs numpy only, but ``import pvlib.spa`` first runs ``pvlib/__init__.py``,
which imports the whole library (irradiance models, IO tools, scipy...: about half a second) for
this one module: :func:`spa_module` loads the file on its own, and falls back to the usual import
where pvlib is not installed as files (a frozen app keeps its modules in an archive).

Angles follow the surveyor's convention: **azimuth clockwise from true north**, degrees, 0 = north,
90 = east; **elevation** is the apparent elevation above the horizon (atmospheric refraction
included, as light actually travels and shadows actually fall).

A projected grid's north is not true north: in Lambert-93 at Rennes (west of the projection's
central meridian, 3° E) true north points 3.4° east of grid north on the map. :class:`SunSite`
turns a true azimuth into the scene grid with the meridian convergence at the scene centre
(:func:`layers.core.crs.true_north`) and the grid's scale factor, so that shadows land where they fall.
"""

from __future__ import annotations

import functools
import importlib.util
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
from pyproj import CRS, Proj

from layers.core import crs as crs_util
from layers.core.errors import InputError
from layers.core.timeutil import zone

#: refraction at sunrise and sunset (degrees) and pvlib's fixed TT − UT1 (s) for those, as in
#: ``pvlib.solarposition.spa_python`` and ``sun_rise_set_transit_spa``
ATMOS_REFRACT_DEG = 0.5667
RISE_SET_DELTA_T_S = 67.0
#: the sun counts as up above this apparent elevation (degrees): its centre on the horizon
HORIZON_DEG = 0.0
#: no shadow is computed below this apparent elevation (degrees): shadows longer than ~115 × the
#: height are not meaningful on real, never quite flat ground
MIN_SHADOW_ELEVATION_DEG = 0.5


@dataclass(frozen=True)
class SunPosition:
    """Where the sun is at one instant.

    Attributes
    ----------
    time
        The instant (timezone-aware).
    azimuth_deg
        Clockwise from true north, degrees (0 = north, 90 = east, 180 = south).
    elevation_deg
        Apparent elevation above the horizon, degrees (refraction included); negative at night.
    """

    time: datetime
    azimuth_deg: float
    elevation_deg: float

    @property
    def is_up(self) -> bool:
        """True when the sun's centre is above the horizon."""
        return self.elevation_deg > HORIZON_DEG

    @property
    def casts_shadows(self) -> bool:
        """True when the sun is high enough for ground shadows to be computed."""
        return self.elevation_deg >= MIN_SHADOW_ELEVATION_DEG


@dataclass(frozen=True)
class SunTimes:
    """Sunrise, solar noon and sunset of one local day (aware datetimes in the scene's zone).

    ``sunrise`` / ``sunset`` are ``None`` on a day without one; ``polar`` then says ``"day"``
    (midnight sun) or ``"night"`` (polar night); it is ``None`` on an ordinary day.
    """

    day: date
    sunrise: datetime | None
    transit: datetime
    sunset: datetime | None
    polar: str | None = None

    @property
    def daylight_h(self) -> float:
        """Hours between sunrise and sunset (24 under the midnight sun, 0 in the polar night)."""
        if self.sunrise is not None and self.sunset is not None:
            return (self.sunset - self.sunrise).total_seconds() / 3600.0
        return 24.0 if self.polar == "day" else 0.0


def _index(times: Iterable[datetime] | pd.DatetimeIndex) -> pd.DatetimeIndex:
    index = pd.DatetimeIndex(list(times) if not isinstance(times, pd.DatetimeIndex) else times)
    if index.tz is None:
        raise ValueError("sun positions need timezone-aware times")
    return index


@functools.cache
def spa_module() -> ModuleType:
    """pvlib's NREL SPA module (``pvlib/spa.py``), without importing the rest of pvlib."""
    spec = importlib.util.find_spec("pvlib")  # finds the package, does not run its __init__
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder) / "spa.py"
        if path.is_file():
            file_spec = importlib.util.spec_from_file_location("maquette_pvlib_spa", path)
            if file_spec is not None and file_spec.loader is not None:
                module = importlib.util.module_from_spec(file_spec)
                file_spec.loader.exec_module(module)
                return module
    from pvlib import spa

    return spa


def _unixtime(index: pd.DatetimeIndex) -> np.ndarray:
    """Seconds since 1970-01-01 UTC of an aware index (pvlib's ``_datetime_to_unixtime``)."""
    epoch = pd.Timestamp("1970-01-01", tz="UTC").tz_convert(index.tz)
    return np.array((index - epoch) / pd.Timedelta("1s"))


def alt2pres(altitude_m: float) -> float:
    """Standard-atmosphere pressure (Pa) at ``altitude_m`` above sea level (pvlib's formula)."""
    return 100 * ((44331.514 - altitude_m) / 11880.516) ** (1 / 0.1902632)


def sun_angles(
    times: Iterable[datetime] | pd.DatetimeIndex,
    lon: float,
    lat: float,
    altitude_m: float = 0.0,
    *,
    pressure_hpa: float | None = None,
    temperature_c: float = 12.0,
    delta_t_s: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Azimuth (clockwise from true north) and apparent elevation, degrees, at aware ``times``.

    Vectorised NREL SPA (pvlib's ``nrel_numpy``) at longitude / latitude in degrees (WGS84) and
    ``altitude_m`` above sea level. Refraction uses ``pressure_hpa`` (default: the standard
    atmosphere at that altitude) and ``temperature_c``; ``delta_t_s`` (TT − UT1) defaults to
    pvlib's polynomial estimate for the date.
    """
    index = _index(times)
    if len(index) == 0:
        return np.empty(0), np.empty(0)
    pressure_pa = alt2pres(float(altitude_m)) if pressure_hpa is None else float(pressure_hpa) * 100.0
    spa = spa_module()
    delta_t: object = delta_t_s
    if delta_t is None:
        utc = index.tz_convert("UTC")
        delta_t = spa.calculate_deltat(utc.year, utc.month)
    _app_zenith, _zenith, app_elevation, _elevation, azimuth, _eot = spa.solar_position(
        _unixtime(index),
        float(lat),
        float(lon),
        float(altitude_m),
        pressure_pa / 100,  # millibars
        float(temperature_c),
        delta_t,
        ATMOS_REFRACT_DEG,
        4,
    )
    return np.asarray(azimuth, dtype=np.float64), np.asarray(app_elevation, dtype=np.float64)


def sun_times(day: date, lon: float, lat: float, timezone: str) -> SunTimes:
    """Sunrise, transit and sunset of the local ``day`` in ``timezone`` at (lon, lat) degrees."""
    tz = zone(timezone)
    # the SPA's rise / set routine takes 00:00 UTC of the local calendar day (pvlib's way)
    midnight = pd.DatetimeIndex([pd.Timestamp(datetime(day.year, day.month, day.day))]).tz_localize("UTC")
    transit_s, sunrise_s, sunset_s = spa_module().transit_sunrise_sunset(
        _unixtime(midnight), float(lat), float(lon), RISE_SET_DELTA_T_S, 4
    )

    def aware(seconds: np.ndarray) -> datetime | None:
        value = pd.to_datetime(np.asarray(seconds) * 1e9, unit="ns", utc=True)[0]
        return None if pd.isna(value) else pd.Timestamp(value).tz_convert(tz.key).round("us").to_pydatetime()

    sunrise, sunset, transit = aware(sunrise_s), aware(sunset_s), aware(transit_s)
    if transit is None:  # the sun crosses the meridian every day, even below the horizon
        raise ValueError(f"no solar transit found on {day}")
    polar = None
    if sunrise is None or sunset is None:
        _, elevation = sun_angles([transit], lon, lat)
        polar = "day" if elevation[0] > 0 else "night"
    return SunTimes(day, sunrise, transit, sunset, polar)


#: the finest time step of a day's sun samples (minutes): 1,440 samples a day at most
MIN_STEP_MIN = 1.0


def no_shadow_reason(position: SunPosition, times: SunTimes, lat: float) -> str | None:
    """Why the sun casts no shadow at ``position`` (a user sentence), ``None`` when it does:
    the polar night (the sun does not rise that day at that latitude), or the sun below
    :data:`MIN_SHADOW_ELEVATION_DEG`."""
    if position.casts_shadows:
        return None
    if times.polar == "night":
        return f"{polar_note(times, lat)}: no shadows"
    where = "below" if position.elevation_deg < 0 else "above"
    return (
        f"the sun is {abs(position.elevation_deg):.1f}° {where} the horizon "
        f"at {position.time.isoformat()}: no shadows"
    )


def polar_note(times: SunTimes, lat: float) -> str | None:
    """``the sun does not rise on 2024-12-21 at latitude 69.65° N (polar night)`` (or does not set:
    the midnight sun); ``None`` on an ordinary day."""
    if times.polar is None:
        return None
    latitude = f"{abs(lat):.2f}° {'N' if lat >= 0 else 'S'}"
    if times.polar == "night":
        return f"the sun does not rise on {times.day.isoformat()} at latitude {latitude} (polar night)"
    return f"the sun does not set on {times.day.isoformat()} at latitude {latitude} (midnight sun)"


def day_instants(day: date, timezone: str, step_min: float) -> list[datetime]:
    """Mid-step instants of a local day (00:00 → 24:00 in ``timezone``, DST days included)."""
    if not MIN_STEP_MIN <= step_min <= 240:  # also NaN
        raise ValueError(f"the time step must be between {MIN_STEP_MIN:g} and 240 minutes, not {step_min:g}")
    tz = zone(timezone)
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    # walk in UTC so a daylight-saving day has its true 23 or 25 hours
    start_utc, end_utc = start.astimezone(zone("UTC")), end.astimezone(zone("UTC"))
    step = timedelta(minutes=step_min)
    out, t = [], start_utc + step / 2
    while t < end_utc:
        out.append(t.astimezone(tz))
        t += step
    return out


class SunSite:
    """The sun for one place: a scene's centre, its projected grid and its time zone.

    Parameters
    ----------
    crs
        The metric projected CRS of the grid the shadows are drawn in.
    x, y
        A point of the scene (its centre), in ``crs`` metres.
    timezone
        IANA zone of the scene's clock.
    altitude_m
        Ground altitude above sea level (metres), a small effect on the SPA's parallax.

    Attributes
    ----------
    lon, lat
        The point in WGS84 degrees.
    convergence_deg
        Meridian convergence: the bearing of true north measured clockwise from grid north
        (+3.4° at Rennes in Lambert-93: true north leans east of grid north west of the central
        meridian).
    scale_factor
        Grid metres per ground metre at the point (1.0 for a geographic CRS).
    """

    def __init__(self, crs: CRS, x: float, y: float, timezone: str, altitude_m: float = 0.0) -> None:
        self.crs = crs
        self.x, self.y = float(x), float(y)
        self.timezone = zone(timezone).key
        self.altitude_m = float(altitude_m)
        lons, lats = crs_util.to_wgs84(crs, np.array([x]), np.array([y]))
        self.lon, self.lat = float(lons[0]), float(lats[0])
        if not (math.isfinite(self.lon) and math.isfinite(self.lat) and abs(self.lat) <= 90):
            raise InputError(
                None,
                f"the centre of the data ({self.x:.6g}, {self.y:.6g} in {crs_util.label(crs)}) is no "
                "place on Earth: the sun's position there is undefined",
                hint="check the data's CRS: its coordinates may be in another one",
            )
        east, north = crs_util.true_north(crs, x, y)
        self.convergence_deg = math.degrees(math.atan2(east, north))
        self.scale_factor = grid_scale_factor(crs, self.lon, self.lat)

    @classmethod
    def for_bounds(cls, crs: CRS, bounds: tuple[float, float, float, float], timezone: str) -> SunSite:
        """The site at the centre of ``bounds`` (xmin, ymin, xmax, ymax in ``crs``)."""
        return cls(crs, (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, timezone)

    # -- positions ---------------------------------------------------------------------------
    def position(self, t: datetime) -> SunPosition:
        """The sun at aware time ``t``."""
        if t.tzinfo is None:
            raise ValueError("sun positions need a timezone-aware time")
        azimuth, elevation = sun_angles([t], self.lon, self.lat, self.altitude_m)
        return SunPosition(t, float(azimuth[0]), float(elevation[0]))

    def positions(self, times: list[datetime]) -> list[SunPosition]:
        """The sun at each aware time (one vectorised SPA call)."""
        azimuth, elevation = sun_angles(times, self.lon, self.lat, self.altitude_m)
        return [SunPosition(t, float(a), float(e)) for t, a, e in zip(times, azimuth, elevation)]

    def times(self, day: date) -> SunTimes:
        """Sunrise, transit and sunset of the local ``day``."""
        return sun_times(day, self.lon, self.lat, self.timezone)

    # -- directions in the grid -----------------------------------------------------------------
    def grid_bearing_deg(self, azimuth_deg: float) -> float:
        """A true azimuth as a bearing clockwise from grid north (degrees, 0..360)."""
        return (azimuth_deg + self.convergence_deg) % 360.0

    def direction(self, position: SunPosition) -> np.ndarray:
        """Unit vector (x east, y north in the grid, z up) pointing from the ground to the sun."""
        bearing = math.radians(self.grid_bearing_deg(position.azimuth_deg))
        elevation = math.radians(position.elevation_deg)
        return np.array(
            [
                math.sin(bearing) * math.cos(elevation),
                math.cos(bearing) * math.cos(elevation),
                math.sin(elevation),
            ]
        )

    def shadow_offset(self, position: SunPosition) -> np.ndarray:
        """(dx, dy) grid metres travelled by the shadow of a point per metre of its height.

        Points away from the sun, of length ``scale_factor / tan(elevation)``; raises
        ``ValueError`` below :data:`MIN_SHADOW_ELEVATION_DEG`.
        """
        if not position.casts_shadows:
            raise ValueError(
                f"the sun is {position.elevation_deg:.1f}° above the horizon: no shadow to compute"
            )
        bearing = math.radians(self.grid_bearing_deg(position.azimuth_deg))
        length = self.scale_factor / math.tan(math.radians(position.elevation_deg))
        return np.array([-math.sin(bearing) * length, -math.cos(bearing) * length])


def grid_scale_factor(crs: CRS, lon: float, lat: float) -> float:
    """Grid metres per ground metre of a projected CRS at (lon, lat) degrees (1.0 if geographic).

    For the conformal projections used for cities (Lambert-93, CC zones, UTM) the scale is the
    same in every direction; the meridional scale is returned.
    """
    if not crs.is_projected:
        return 1.0
    try:
        factors = Proj(crs).get_factors(lon, lat)
        value = float(factors.meridional_scale)
    except Exception:  # noqa: BLE001 - a CRS PROJ cannot differentiate: assume true scale
        return 1.0
    return value if math.isfinite(value) and value > 0 else 1.0


def local_metric_crs(crs: CRS, bounds: tuple[float, float, float, float]) -> CRS:
    """The CRS to compute shadows in for data in ``crs`` with ``bounds``.

    The data's own CRS when it is metric projected with a scale within 0.5 % of true (Lambert-93,
    CC zones, UTM: convergence and scale are then applied by :class:`SunSite`); otherwise (WGS84
    degrees, Web Mercator whose scale is 1.5 at French latitudes) a transverse Mercator centred on
    the data, on the data's own datum, true to scale at its centre.
    """
    crs = crs_util.horizontal(crs)
    cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    lons, lats = crs_util.to_wgs84(crs, np.array([cx]), np.array([cy]))
    lon, lat = float(lons[0]), float(lats[0])
    if crs_util.is_metric_projected(crs) and abs(grid_scale_factor(crs, lon, lat) - 1.0) < 0.005:
        return crs
    from pyproj.crs import ProjectedCRS
    from pyproj.crs.coordinate_operation import TransverseMercatorConversion

    conversion = TransverseMercatorConversion(
        latitude_natural_origin=round(lat, 6),
        longitude_natural_origin=round(lon, 6),
        false_easting=0.0,
        false_northing=0.0,
        scale_factor_natural_origin=1.0,
    )
    return ProjectedCRS(
        conversion=conversion,
        geodetic_crs=crs.geodetic_crs or crs_util.WGS84,
        name="Local transverse Mercator (Maquette shadows)",
    )
