"""The sun without importing all of pvlib: the same numbers as pvlib's own wrappers, to the bit."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from layers.core.timeutil import zone
from layers.sun.position import spa_module, sun_angles, sun_times

PLACES = [  # (lon, lat, altitude m, time zone)
    (-1.68, 48.11, 40.0, "Europe/Paris"),  # Rennes
    (4.83, 45.76, 170.0, "Europe/Paris"),  # Lyon
    (18.95, 69.65, 0.0, "Europe/Oslo"),  # Tromsø: midnight sun and polar night
    (-70.65, -33.45, 570.0, "America/Santiago"),  # southern hemisphere
]


@pytest.mark.parametrize("lon, lat, altitude, tz", PLACES)
def test_angles_match_pvlib_get_solarposition(lon, lat, altitude, tz):
    from pvlib import atmosphere, solarposition

    start = datetime(2025, 3, 29, tzinfo=zone(tz))  # across a daylight-saving change in Europe
    times = pd.DatetimeIndex([start + timedelta(minutes=37 * k) for k in range(300)])
    azimuth, elevation = sun_angles(times, lon, lat, altitude)
    table = solarposition.get_solarposition(
        times,
        lat,
        lon,
        altitude=altitude,
        pressure=atmosphere.alt2pres(altitude),
        method="nrel_numpy",
        delta_t=None,  # as Maquette always called it: pvlib's estimate for the date
    )
    assert np.array_equal(azimuth, table["azimuth"].to_numpy(np.float64))
    assert np.array_equal(elevation, table["apparent_elevation"].to_numpy(np.float64))
    with_options = sun_angles(times[:5], lon, lat, pressure_hpa=990.0, temperature_c=25.0, delta_t_s=69.0)
    table = solarposition.get_solarposition(
        times[:5], lat, lon, altitude=0.0, pressure=99000.0, temperature=25.0, delta_t=69.0
    )
    assert np.array_equal(with_options[1], table["apparent_elevation"].to_numpy(np.float64))


@pytest.mark.parametrize("lon, lat, altitude, tz", PLACES)
def test_rise_and_set_match_pvlib(lon, lat, altitude, tz):
    from pvlib import solarposition

    for day in (date(2025, 3, 30), date(2025, 6, 21), date(2025, 10, 26), date(2025, 12, 21)):
        times = sun_times(day, lon, lat, tz)
        midnight = pd.DatetimeIndex([pd.Timestamp(datetime(day.year, day.month, day.day), tz=tz)])
        row = solarposition.sun_rise_set_transit_spa(midnight, lat, lon, how="numpy").iloc[0]
        for ours, key in ((times.sunrise, "sunrise"), (times.sunset, "sunset"), (times.transit, "transit")):
            theirs = row[key]
            if pd.isna(theirs):
                assert ours is None and times.polar in ("day", "night")
            else:
                assert ours == pd.Timestamp(theirs).tz_convert(tz).round("us").to_pydatetime()


def test_spa_is_loaded_without_the_rest_of_pvlib():
    code = (
        "import sys; from layers.sun.position import sun_angles; from datetime import datetime, timezone; "
        "sun_angles([datetime(2025, 6, 21, 12, tzinfo=timezone.utc)], -1.68, 48.11); "
        "print(sorted(m for m in sys.modules if m == 'pvlib' or m.startswith(('pvlib.', 'scipy'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert spa_module().__file__.endswith("spa.py")
