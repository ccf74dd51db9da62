"""Coordinate reference systems: parsing what files declare, choosing the scene CRS, reprojecting.

The scene CRS is metric and projected: the first layer's own CRS when it is projected in metres
(EPSG:2154 Lambert-93, EPSG:3942-3950 CC zones...), otherwise the UTM zone of its centre.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from pyproj import CRS, Transformer
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info
from pyproj.exceptions import CRSError

WGS84 = CRS.from_epsg(4326)
LAMBERT93 = CRS.from_epsg(2154)


def parse_crs(value: object, *, source: str | Path | None = None) -> CRS:
    """A :class:`pyproj.CRS` from ``EPSG:2154``, ``2154``, WKT (ESRI too), PROJ or a CRS object.

    Raises ``ValueError`` naming the value when it is not a CRS.
    """
    if isinstance(value, CRS):
        return value
    if value is None:
        raise ValueError("no CRS given")
    text = str(value).strip()
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        crs = CRS.from_user_input(text)
    except CRSError as exc:
        where = f"{source}: " if source else ""
        raise ValueError(
            f"{where}{value!r} is not a coordinate reference system (expected e.g. EPSG:2154)"
        ) from exc
    if not (crs.is_projected or crs.is_geographic):
        where = f"{source}: " if source else ""
        what = (
            "geocentric (X, Y, Z from the Earth's centre)"
            if crs.is_geocentric
            else "a vertical reference (heights only)"
            if crs.is_vertical
            else "not placed on the Earth"
        )
        raise ValueError(
            f"{where}{value!r} is {what}: Maquette places data with a projected or geographic CRS "
            "(e.g. EPSG:2154)"
        )
    return normalise(crs)


def normalise(crs: CRS) -> CRS:
    """Replace an ESRI-style or unnamed definition by its EPSG equivalent when one matches well."""
    code = crs.to_epsg()
    if code is not None:
        return CRS.from_epsg(code)
    try:
        epsg = crs.to_epsg(min_confidence=70)
    except CRSError:
        epsg = None
    return CRS.from_epsg(epsg) if epsg else crs


def label(crs: CRS | None) -> str:
    """``EPSG:2154`` when the CRS has a code, else its name; ``unknown`` for ``None``."""
    if crs is None:
        return "unknown"
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else crs.name


def is_metric_projected(crs: CRS) -> bool:
    """True for a projected CRS whose horizontal axes are in metres."""
    if not crs.is_projected:
        return False
    units = {axis.unit_name.lower() for axis in crs.axis_info[:2]}
    return units <= {"metre", "meter", "m"}


def horizontal(crs: CRS) -> CRS:
    """The horizontal part of a compound CRS (e.g. RD New of EPSG:7415 RD New + NAP height)."""
    if crs.is_compound:
        for sub in crs.sub_crs_list:
            if sub.is_projected or sub.is_geographic:
                return normalise(sub)
    return crs


#: WGS 84 / UPS North and South (easting, northing): the polar caps UTM does not cover
UPS_NORTH, UPS_SOUTH = 5041, 5042


def utm_for(lon: float, lat: float) -> CRS:
    """The WGS84 / UTM zone CRS covering a longitude / latitude (degrees); beyond UTM's 84° N and
    80° S, the Universal Polar Stereographic CRS of that pole. ``ValueError`` for no place on Earth."""
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"longitude {lon:g}, latitude {lat:g} is no place on Earth")
    infos = query_utm_crs_info(
        datum_name="WGS 84",
        area_of_interest=AreaOfInterest(lon, lat, lon, lat),
    )
    if not infos:
        return CRS.from_epsg(UPS_NORTH if lat > 0 else UPS_SOUTH)
    return CRS.from_epsg(infos[0].code)


def choose_scene_crs(crs: CRS, bounds: tuple[float, float, float, float]) -> CRS:
    """The scene CRS for a first layer in ``crs`` with ``bounds`` (in that CRS).

    The layer's own CRS when it is metric projected; otherwise the UTM zone of its centre.
    """
    crs = horizontal(crs)
    if is_metric_projected(crs):
        return crs
    cx = (bounds[0] + bounds[2]) / 2
    cy = (bounds[1] + bounds[3]) / 2
    lon, lat = Transformer.from_crs(crs, WGS84, always_xy=True).transform(cx, cy)
    return utm_for(lon, lat)


def transformer(src: CRS, dst: CRS) -> Transformer:
    """An always-xy transformer between two CRSs (x = easting / longitude)."""
    return Transformer.from_crs(src, dst, always_xy=True)


def to_wgs84(crs: CRS, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude, latitude (degrees) of points given in ``crs``."""
    return transformer(crs, WGS84).transform(np.asarray(x, float), np.asarray(y, float))


def looks_like_degrees(bounds: tuple[float, float, float, float]) -> bool:
    """True when bounds fit in longitude / latitude ranges (a hint that a label is wrong)."""
    xmin, ymin, xmax, ymax = bounds
    return -180.5 <= xmin <= xmax <= 180.5 and -90.5 <= ymin <= ymax <= 90.5


#: the farthest from its origin a projected CRS places anything on Earth (metres; the Earth is
#: 4·10⁷ m round)
MAX_PROJECTED_M = 1e8


def beyond_earth(crs: CRS, bounds: tuple[float, float, float, float]) -> bool:
    """True when ``bounds`` in the projected ``crs`` reach beyond :data:`MAX_PROJECTED_M`: no place
    on Earth, whatever the projection."""
    return bool(crs.is_projected and not max(abs(v) for v in bounds) <= MAX_PROJECTED_M)


def on_earth(crs: CRS, bounds: tuple[float, float, float, float]) -> bool:
    """True when the centre of ``bounds`` (in ``crs``) is a place on Earth: within 10⁸ m of a
    projected CRS's origin (the Earth is 4·10⁷ m round), its longitude and latitude computable,
    and computed back to the same point (a projection far from its domain answers a point that
    leads elsewhere)."""
    x, y = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    if beyond_earth(crs, bounds):
        return False
    try:
        lon, lat = transformer(crs, WGS84).transform(x, y)
        back_x, back_y = transformer(WGS84, crs).transform(lon, lat)
    except Exception:  # noqa: BLE001 - a projection that fails there: no place
        return False
    if not (np.isfinite(lon) and np.isfinite(lat) and abs(lat) <= 90.0):
        return False
    if crs.is_projected:
        return bool(np.hypot(back_x - x, back_y - y) <= 1.0 + 1e-6 * np.hypot(x, y))
    return True


def plausible_in(crs: CRS, bounds: tuple[float, float, float, float], *, margin: float = 0.1) -> bool:
    """True when ``bounds`` (in ``crs``) fall inside the CRS's area of use, with a margin in degrees.

    Used to catch WGS84 degrees labelled Lambert-93, and to infer a missing CRS safely.
    """
    area = crs.area_of_use
    if area is None:
        return True
    try:
        lon, lat = transformer(crs, WGS84).transform(
            np.array([bounds[0], bounds[2], bounds[0], bounds[2]]),
            np.array([bounds[1], bounds[1], bounds[3], bounds[3]]),
        )
    except Exception:  # noqa: BLE001 - any projection failure means "not plausible"
        return False
    lon = np.asarray(lon)
    lat = np.asarray(lat)
    if not (np.all(np.isfinite(lon)) and np.all(np.isfinite(lat))):
        return False
    return bool(
        lon.min() >= area.west - margin
        and lon.max() <= area.east + margin
        and lat.min() >= area.south - margin
        and lat.max() <= area.north + margin
    )


def true_north(crs: CRS, x: float, y: float) -> tuple[float, float]:
    """Unit vector (east, north components in ``crs``) pointing to true north at (x, y).

    Grid north and true north differ by the meridian convergence (about 3.5° at Rennes in
    Lambert-93); north arrows and sun azimuths must use true north.
    """
    to_geo = transformer(crs, WGS84)
    to_grid = transformer(WGS84, crs)
    lon, lat = to_geo.transform(x, y)
    x2, y2 = to_grid.transform(lon, min(lat + 0.001, 89.999))
    dx, dy = x2 - x, y2 - y
    norm = float(np.hypot(dx, dy)) or 1.0
    return dx / norm, dy / norm
