"""The sun: NREL SPA positions, sunrise / sunset, grid directions (convergence, scale)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest
from pyproj import CRS

from layers.core.crs import LAMBERT93, WGS84
from layers.core.timeutil import zone
from layers.sun.position import SunSite, day_instants, local_metric_crs, sun_angles, sun_times

RENNES_L93 = (351_950.0, 6_789_310.0)


def test_spa_reference_example():
    """Reda & Andreas (2004), NREL/TP-560-34302, table A5.1: topocentric azimuth 194.34024°,
    zenith 50.11162° at Golden CO, 17 October 2003 12:30:30 (−7 h)."""
    t = datetime(2003, 10, 17, 12, 30, 30, tzinfo=timezone(timedelta(hours=-7)))
    azimuth, elevation = sun_angles(
        [t], -105.1786, 39.742476, 1830.14, pressure_hpa=820, temperature_c=11, delta_t_s=67
    )
    assert azimuth[0] == pytest.approx(194.34024, abs=1e-4)
    assert 90 - elevation[0] == pytest.approx(50.11162, abs=1e-4)


def test_site_matches_spa_over_a_year():
    """The site (Lambert-93 centre → WGS84, Paris local times) agrees with SPA called in UTC at
    the same place within 0.01° every hour of 2025 — time zones and DST handled right."""
    from pvlib import solarposition

    site = SunSite(LAMBERT93, *RENNES_L93, "Europe/Paris")
    local = pd.date_range("2025-01-01", "2025-12-31 23:00", freq="h", tz="Europe/Paris")
    positions = site.positions(list(local.to_pydatetime()))
    reference = solarposition.spa_python(local.tz_convert("UTC"), site.lat, site.lon, altitude=0, how="numpy")
    azimuth = np.array([p.azimuth_deg for p in positions])
    elevation = np.array([p.elevation_deg for p in positions])
    up = reference["apparent_elevation"].to_numpy() > -5
    assert np.abs(azimuth - reference["azimuth"].to_numpy())[up].max() < 0.01
    assert np.abs(elevation - reference["apparent_elevation"].to_numpy()).max() < 0.01
    assert site.lat == pytest.approx(48.1113, abs=1e-3) and site.lon == pytest.approx(-1.6794, abs=1e-3)


def test_rennes_sunrise_and_sunset():
    """21 June 2025 in Rennes: sunrise 06:06, sunset 22:10-22:11 local (NOAA / IMCCE tables)."""
    site = SunSite(LAMBERT93, *RENNES_L93, "Europe/Paris")
    times = site.times(date(2025, 6, 21))
    assert times.sunrise.utcoffset() == timedelta(hours=2)
    assert (
        abs((times.sunrise - datetime(2025, 6, 21, 6, 6, 30, tzinfo=zone("Europe/Paris"))).total_seconds())
        < 120
    )
    assert (
        abs((times.sunset - datetime(2025, 6, 21, 22, 10, 45, tzinfo=zone("Europe/Paris"))).total_seconds())
        < 120
    )
    assert 15.9 < times.daylight_h < 16.2
    assert times.polar is None
    winter = site.times(date(2025, 12, 21))
    assert 8.2 < winter.daylight_h < 8.5


def test_polar_day_and_night():
    summer = sun_times(date(2025, 6, 21), 15.6, 78.2, "Arctic/Longyearbyen")
    winter = sun_times(date(2025, 12, 21), 15.6, 78.2, "Arctic/Longyearbyen")
    assert summer.sunrise is None and summer.polar == "day" and summer.daylight_h == 24
    assert winter.sunset is None and winter.polar == "night" and winter.daylight_h == 0


def test_night_position_is_below_horizon():
    site = SunSite(LAMBERT93, *RENNES_L93, "Europe/Paris")
    night = site.position(datetime(2025, 6, 21, 2, 0, tzinfo=zone("Europe/Paris")))
    assert not night.is_up and not night.casts_shadows
    with pytest.raises(ValueError, match="above the horizon"):
        site.shadow_offset(night)
    with pytest.raises(ValueError):
        site.position(datetime(2025, 6, 21, 12, 0))  # naive


def test_meridian_convergence_and_scale():
    rennes = SunSite(LAMBERT93, *RENNES_L93, "Europe/Paris")
    assert rennes.convergence_deg == pytest.approx(3.39, abs=0.05)  # true north leans east of grid north
    assert rennes.scale_factor == pytest.approx(0.99944, abs=2e-5)
    strasbourg = SunSite(LAMBERT93, 1_050_000.0, 6_840_000.0, "Europe/Paris")
    assert strasbourg.convergence_deg < -3  # east of the central meridian: the other way
    central = SunSite(LAMBERT93, 700_000.0, 6_600_000.0, "Europe/Paris")
    assert abs(central.convergence_deg) < 0.01


def test_shadow_points_to_true_north_at_solar_noon():
    site = SunSite(LAMBERT93, *RENNES_L93, "Europe/Paris")
    noon = site.times(date(2025, 6, 21)).transit
    sun = site.position(noon)
    assert sun.azimuth_deg == pytest.approx(180, abs=0.05)
    offset = site.shadow_offset(sun)
    bearing = math.degrees(math.atan2(offset[0], offset[1]))
    assert bearing == pytest.approx(site.convergence_deg, abs=0.05)
    length = math.hypot(*offset)
    assert length == pytest.approx(site.scale_factor / math.tan(math.radians(sun.elevation_deg)), rel=1e-9)
    direction = site.direction(sun)
    assert np.linalg.norm(direction) == pytest.approx(1.0)
    assert direction[2] == pytest.approx(math.sin(math.radians(sun.elevation_deg)))
    assert np.dot(direction[:2], offset) < 0  # the shadow runs away from the sun


def test_local_metric_crs():
    assert local_metric_crs(LAMBERT93, (351_000, 6_789_000, 352_000, 6_790_000)).equals(LAMBERT93)
    cc46 = CRS.from_epsg(3946)
    assert local_metric_crs(cc46, (1_842_000, 5_175_000, 1_843_000, 5_176_000)).equals(cc46)
    local = local_metric_crs(WGS84, (-1.70, 48.10, -1.66, 48.12))
    assert local.is_projected and "Transverse Mercator" in local.to_wkt()
    mercator = local_metric_crs(CRS.from_epsg(3857), (-187_000, 6_125_000, -186_000, 6_126_000))
    assert not mercator.equals(CRS.from_epsg(3857))


def test_day_instants_follow_daylight_saving():
    assert len(day_instants(date(2025, 6, 21), "Europe/Paris", 15)) == 96
    assert len(day_instants(date(2025, 3, 30), "Europe/Paris", 15)) == 92
    assert len(day_instants(date(2025, 10, 26), "Europe/Paris", 15)) == 100
    first = day_instants(date(2025, 6, 21), "Europe/Paris", 60)[0]
    assert first == datetime(2025, 6, 21, 0, 30, tzinfo=zone("Europe/Paris"))
    with pytest.raises(ValueError):
        day_instants(date(2025, 6, 21), "Europe/Paris", 0)
