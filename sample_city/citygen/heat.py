"""Land surface temperature on the hot afternoon (2025-07-01 16:00 CEST), 10 m pixels.

The surface is classified on a 2 m grid (roofs, street asphalt, squares, water, park lawn and
trees, gardens, courtyards), each class gets a typical afternoon temperature, ground in the
shadow of buildings (sun position computed for the date) is 9 °C cooler, then the 2 m grid is
averaged to 10 m and a smooth noise of about 0.8 °C is added. Roofs 44–57 °C, asphalt 50–53 °C,
park 28–35 °C, water 24–26 °C.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import rasterio
import rasterio.features
from rasterio.transform import from_origin
from scipy.ndimage import gaussian_filter

from .common import CRS, HEIGHT_M, WIDTH_M, X0_M, Y0_M, local_to_lonlat
from .common import rng as make_rng

FINE_M = 2.0
PIXEL_M = 10.0
TIME = datetime(2025, 7, 1, 14, 0, tzinfo=UTC)  # 16:00 CEST
TIME_TAG = "2025-07-01T16:00:00+02:00"
SHADE_COOLING_C = 9.0


def sun_position(t: datetime, lon_deg: float, lat_deg: float) -> tuple[float, float]:
    """(azimuth clockwise from north, elevation) in degrees; NOAA low-precision formulas."""
    day = t.timetuple().tm_yday
    gamma = 2 * np.pi / 365 * (day - 1 + (t.hour - 12) / 24)
    eot = 229.18 * (
        0.000075
        + 0.001868 * np.cos(gamma)
        - 0.032077 * np.sin(gamma)
        - 0.014615 * np.cos(2 * gamma)
        - 0.040849 * np.sin(2 * gamma)
    )
    decl = (
        0.006918
        - 0.399912 * np.cos(gamma)
        + 0.070257 * np.sin(gamma)
        - 0.006758 * np.cos(2 * gamma)
        + 0.000907 * np.sin(2 * gamma)
        - 0.002697 * np.cos(3 * gamma)
        + 0.00148 * np.sin(3 * gamma)
    )
    minutes = t.hour * 60 + t.minute + eot + 4 * lon_deg
    hour_angle = np.radians(minutes / 4 - 180)
    lat = np.radians(lat_deg)
    cos_zen = np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(hour_angle)
    zen = np.arccos(np.clip(cos_zen, -1, 1))
    az = (
        np.degrees(
            np.arctan2(np.sin(hour_angle), np.cos(hour_angle) * np.sin(lat) - np.tan(decl) * np.cos(lat))
        )
        + 180
    )
    return float(az % 360), float(90 - np.degrees(zen))


def _raster(geoms_values, fill, dtype="float32"):
    rows, cols = int(HEIGHT_M / FINE_M), int(WIDTH_M / FINE_M)
    transform = from_origin(0.0, HEIGHT_M, FINE_M, FINE_M)
    pairs = [(g, v) for g, v in geoms_values if not g.is_empty]
    if not pairs:
        return np.full((rows, cols), fill, dtype=dtype)
    return rasterio.features.rasterize(
        pairs, out_shape=(rows, cols), transform=transform, fill=fill, dtype=dtype
    )


def shadow_mask(height_m: np.ndarray, azimuth_deg: float, elevation_deg: float) -> np.ndarray:
    """True where the ground (2 m grid) is in the shadow of a building."""
    toward_sun = np.array([np.sin(np.radians(azimuth_deg)), np.cos(np.radians(azimuth_deg))])
    tan_el = np.tan(np.radians(elevation_deg))
    rows, cols = height_m.shape
    shade = np.zeros_like(height_m, dtype=bool)
    reach = np.nanmax(height_m) / tan_el
    for s in np.arange(FINE_M, reach + FINE_M, FINE_M):
        dc = int(round(s * toward_sun[0] / FINE_M))
        dr = int(round(-s * toward_sun[1] / FINE_M))
        shifted = np.zeros_like(height_m)
        src_r = slice(max(dr, 0), rows + min(dr, 0))
        dst_r = slice(max(-dr, 0), rows + min(-dr, 0))
        src_c = slice(max(dc, 0), cols + min(dc, 0))
        dst_c = slice(max(-dc, 0), cols + min(-dc, 0))
        shifted[dst_r, dst_c] = height_m[src_r, src_c]
        shade |= shifted > s * tan_el
    return shade


def surface_temperature(layout, corridors, buildings, rows_attr) -> np.ndarray:
    """°C, float32 (120, 160) at 10 m, north-up, over the district."""
    rng = make_rng("surface-temperature")
    lon, lat = local_to_lonlat(WIDTH_M / 2, HEIGHT_M / 2)
    az, el = sun_position(TIME, float(lon), float(lat))

    # ground classes, painted in order (later wins)
    courtyard_c = 43.0
    ground = _raster([], courtyard_c)
    garden = [b for b, r in zip(layout.blocks, layout.block_role) if r in ("houses", "towers", "school")]
    ground = np.where(_raster([(g, 1) for g in garden], 0, "uint8") == 1, 37.0, ground)
    ground = np.where(_raster([(corridors, 1)], 0, "uint8") == 1, 51.5, ground)
    places = [g for g, kind, _ in layout.landuse if kind == "place"]
    ground = np.where(_raster([(g, 1) for g in places], 0, "uint8") == 1, 48.5, ground)
    parks = [g for g, kind, _ in layout.landuse if kind == "parc"]
    park = _raster([(g, 1) for g in parks], 0, "uint8") == 1
    trees = gaussian_filter(rng.normal(size=ground.shape), 4.0)
    canopy = park & (trees > np.quantile(trees[park], 0.45))
    ground = np.where(park, 34.0, ground)
    ground = np.where(canopy, 29.0, ground)
    water = _raster([(layout.river, 1)], 0, "uint8") == 1
    ground = np.where(water & ~(_raster([(corridors, 1)], 0, "uint8") == 1), 25.0, ground)

    # roofs: by material, from the usage and age of the building
    heights = np.array([r["hauteur"] if np.isfinite(r["hauteur"]) else 9.0 for r in rows_attr])
    roof_c = np.empty(len(buildings))
    for k, r in enumerate(rows_attr):
        if r["usage"] in ("Industriel", "Annexe"):
            roof_c[k] = rng.uniform(52.0, 57.0)  # metal, bitumen
        elif r["annee_construction"] >= 1960 or heights[k] > 30:
            roof_c[k] = rng.uniform(44.0, 49.0)  # flat, gravel or light membrane
        else:
            roof_c[k] = rng.uniform(47.5, 55.0)  # slate and zinc
    roof = _raster(zip(buildings, roof_c), np.nan)
    height = _raster(zip(buildings, heights), 0.0)
    shade = shadow_mask(height, az, el) & np.isnan(roof)
    cooling = np.where(water, 0.0, np.where(park, 4.0, SHADE_COOLING_C))
    fine = np.where(np.isnan(roof), ground - shade * cooling, roof)

    k = int(PIXEL_M / FINE_M)
    coarse = fine.reshape(fine.shape[0] // k, k, fine.shape[1] // k, k).mean(axis=(1, 3))
    water_share = water.reshape(coarse.shape[0], k, coarse.shape[1], k).mean(axis=(1, 3))
    noise = gaussian_filter(rng.normal(size=coarse.shape), 2.0)
    coarse = coarse + (0.8 - 0.6 * water_share) * noise / noise.std()  # open water is more uniform
    return np.round(coarse, 2).astype(np.float32)


def write_surface_temperature(temp_c: np.ndarray, path: Path) -> None:
    """GeoTIFF float32 °C, EPSG:2154, 10 m, nodata NaN, tags UNIT / QUANTITY / TIME."""
    transform = from_origin(X0_M, Y0_M + HEIGHT_M, PIXEL_M, PIXEL_M)
    profile = dict(
        driver="GTiff",
        width=temp_c.shape[1],
        height=temp_c.shape[0],
        count=1,
        dtype="float32",
        crs=CRS,
        transform=transform,
        nodata=float("nan"),
        compress="deflate",
        predictor=3,
        tiled=False,
    )
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(temp_c, 1)
        dst.update_tags(
            UNIT="°C", QUANTITY="surface temperature", TIME=TIME_TAG, SOURCE="Données synthétiques Maquette"
        )
        dst.set_band_description(1, "surface temperature °C")
