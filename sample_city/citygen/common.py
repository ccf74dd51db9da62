"""Constants and small helpers shared by the generator steps.

The district is a 1 600 m × 1 200 m rectangle of Lambert-93 (EPSG:2154), centred on Rennes city
hall (lon -1.6794, lat 48.1114 → about E 351 950, N 6 789 320). Generator code works in local
metres (``u``, ``v``) from the south-west corner; :func:`to_l93` shifts to real coordinates.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from pyproj import Transformer

CRS = "EPSG:2154"
TIMEZONE = ZoneInfo("Europe/Paris")

#: district size, metres
WIDTH_M = 1600.0
HEIGHT_M = 1200.0
#: Lambert-93 of the district's south-west corner (city hall at the centre, rounded to 10 m)
X0_M = 351150.0
Y0_M = 6788720.0

#: the heatwave covered by every time series: 3 days, every 10 min, local time (CEST)
START = datetime(2025, 7, 1, 0, 0, tzinfo=TIMEZONE)
END = datetime(2025, 7, 3, 23, 50, tzinfo=TIMEZONE)
STEP_10MIN = timedelta(minutes=10)

#: written into every GeoPackage instead of "now", so the files do not change between runs
OGR_DATE = "2025-06-01T00:00:00Z"

ATTRIBUTION = "Données synthétiques Maquette"

_TO_WGS84 = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)


def rng(step: str) -> np.random.Generator:
    """A random generator of its own for each step, so steps do not shift each other's draws."""
    seed = sum((i + 1) * ord(c) for i, c in enumerate(step)) + 20250701
    return np.random.default_rng(seed)


def to_l93(geoms):
    """Shift local geometries (u, v metres) to Lambert-93 metres."""
    return shapely.transform(geoms, lambda xy: xy + np.array([X0_M, Y0_M]))


def local_to_lonlat(u, v):
    """Local metres → WGS84 (lon, lat) degrees, arrays."""
    lon, lat = _TO_WGS84.transform(np.asarray(u) + X0_M, np.asarray(v) + Y0_M)
    return np.asarray(lon), np.asarray(lat)


def times_10min() -> list[datetime]:
    """Every 10 minutes from :data:`START` to :data:`END` inclusive (432 aware datetimes)."""
    n = int((END - START) / STEP_10MIN) + 1
    return [(START + i * STEP_10MIN).astimezone(TIMEZONE) for i in range(n)]


def iso(t: datetime) -> str:
    """ISO 8601 with its UTC offset, to the second (``2025-07-01T00:00:00+02:00``)."""
    return t.astimezone(TIMEZONE).isoformat(timespec="seconds")


def local_hours(times: list[datetime]) -> np.ndarray:
    """Local clock hour as a float (``16.5`` for 16:30) of each time."""
    return np.array([t.hour + t.minute / 60.0 for t in times])


def deterministic_gdal_env() -> None:
    """Make GDAL write fixed dates into GeoPackages (gpkg_contents.last_change)."""
    os.environ["OGR_CURRENT_DATE"] = OGR_DATE
