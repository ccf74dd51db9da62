"""A road-traffic Lden map from the street segments, and its 5 dB isophone bands.

Method (a deliberately simple, documented approximation, not CNOSSOS-EU):

- Each street segment is a line source. Its level at 10 m from the axis of an infinite straight
  street is ``L10 = 27 + 10·log10(TMJA) + 10·log10(v / 50 km/h)`` dB(A) (about 70 dB(A) for
  20 000 vehicles/day at 50 km/h, 55 dB(A) for 1 000 vehicles/day at 30 km/h).
- Segments are cut into pieces of at most 25 m. A piece contributes the energy of a finite
  incoherent line: ``(atan(l2/h) − atan(l1/h)) / h`` relative to the infinite line at 10 m
  (``π/10``), where ``h`` is the distance to the piece's line (at least 3 m) and ``l1, l2`` the
  along-line positions of its ends: 3 dB less per doubling of distance near the line, 6 dB far away.
- Screening: within 150 m, the straight path from the point to the nearest point of the piece is
  sampled every 5 m on the building mask; each blocked sample costs 2.5 dB after a first 10 dB,
  at most 22 dB (courtyards come out quiet). Beyond 150 m (to 400 m) a flat 18 dB is taken off.
- Contributions add energetically, with a 41 dB(A) urban background. Pixels inside buildings are
  NaN (no data), as on strategic noise maps.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
import rasterio.features
import shapely
from rasterio.transform import from_origin
from shapely.geometry import shape

from .common import CRS, HEIGHT_M, WIDTH_M, X0_M, Y0_M, to_l93

PIXEL_M = 5.0
NEAR_M = 150.0
FAR_M = 400.0
BACKGROUND_DB = 41.0
MAX_DB = 78.0
MAX_LOSS_DB = 22.0
BAND_EDGES_DB = (45.0, 50.0, 55.0, 60.0, 65.0, 70.0, 75.0)


def emission_db(tmja, speed_kmh) -> np.ndarray:
    """Level at 10 m from an infinite straight street, dB(A) (see the module docstring)."""
    return (
        27.0 + 10.0 * np.log10(np.asarray(tmja, float)) + 10.0 * np.log10(np.asarray(speed_kmh, float) / 50.0)
    )


def _pieces(segments, max_len_m=25.0):
    """(a (n,2), b (n,2), L10 (n,)) of the street pieces."""
    a_list, b_list, l_list = [], [], []
    l10 = emission_db(segments.tmja, segments.vitesse_kmh)
    dense = shapely.segmentize(segments.geometry, max_len_m)
    for geom, level in zip(dense, l10):
        xy = shapely.get_coordinates(geom)
        a_list.append(xy[:-1])
        b_list.append(xy[1:])
        l_list.append(np.full(len(xy) - 1, level))
    a, b, levels = np.concatenate(a_list), np.concatenate(b_list), np.concatenate(l_list)
    keep = np.hypot(*(b - a).T) > 0.05
    return a[keep], b[keep], levels[keep]


def building_mask(buildings, pixel_m: float, shape_rc) -> np.ndarray:
    """True where a pixel centre falls in a building (local metres, north-up grid)."""
    transform = from_origin(0.0, HEIGHT_M, pixel_m, pixel_m)
    return rasterio.features.rasterize(
        ((g, 1) for g in buildings), out_shape=shape_rc, transform=transform, fill=0, dtype="uint8"
    ).astype(bool)


def lden_grid(segments, buildings) -> np.ndarray:
    """Lden, dB(A), float32 (rows, cols) at 5 m over the district, NaN inside buildings."""
    rows, cols = int(HEIGHT_M / PIXEL_M), int(WIDTH_M / PIXEL_M)
    mask = building_mask(buildings, PIXEL_M, (rows, cols))
    xc = (np.arange(cols) + 0.5) * PIXEL_M
    yc = HEIGHT_M - (np.arange(rows) + 0.5) * PIXEL_M
    energy = np.zeros((rows, cols))
    a, b, l10 = _pieces(segments)
    reach = int(np.ceil(FAR_M / PIXEL_M))
    near_steps = int(NEAR_M / PIXEL_M)
    k = (np.arange(1, near_steps + 1) * PIXEL_M).astype(np.float32)
    for (ax, ay), (bx, by), level in zip(a, b, l10):
        c0 = max(int(min(ax, bx) / PIXEL_M) - reach, 0)
        c1 = min(int(max(ax, bx) / PIXEL_M) + reach + 1, cols)
        r0 = max(int((HEIGHT_M - max(ay, by)) / PIXEL_M) - reach, 0)
        r1 = min(int((HEIGHT_M - min(ay, by)) / PIXEL_M) + reach + 1, rows)
        px, py = np.meshgrid(xc[c0:c1], yc[r0:r1])
        dx, dy = bx - ax, by - ay
        length = np.hypot(dx, dy)
        ux, uy = dx / length, dy / length
        rx, ry = px - ax, py - ay
        along = rx * ux + ry * uy
        h = np.maximum(np.abs(rx * uy - ry * ux), 3.0)
        intensity = (np.arctan((length - along) / h) + np.arctan(along / h)) / h
        t = np.clip(along / length, 0.0, 1.0)
        fx, fy = ax + t * dx - px, ay + t * dy - py
        dist = np.hypot(fx, fy)
        level_db = level + 10.0 * np.log10(np.maximum(intensity, 1e-12) / (np.pi / 10.0))
        loss = np.where(dist > NEAR_M, 18.0, 0.0)
        near = (dist <= NEAR_M) & (dist > PIXEL_M) & ~mask[r0:r1, c0:c1]
        if near.any():
            d = dist[near].astype(np.float32)
            sx = (
                px[near].astype(np.float32)[:, None] + (fx[near] / dist[near]).astype(np.float32)[:, None] * k
            )
            sy = (
                py[near].astype(np.float32)[:, None] + (fy[near] / dist[near]).astype(np.float32)[:, None] * k
            )
            ci = np.clip((sx / PIXEL_M).astype(np.int32), 0, cols - 1)
            ri = np.clip(((HEIGHT_M - sy) / PIXEL_M).astype(np.int32), 0, rows - 1)
            blocked = (mask[ri, ci] & (k[None, :] < d[:, None] - 3.0)).sum(axis=1)
            loss[near] = np.where(blocked > 0, np.minimum(MAX_LOSS_DB, 10.0 + 2.5 * blocked), 0.0)
        inside = dist <= FAR_M
        energy[r0:r1, c0:c1] += np.where(inside, 10.0 ** ((level_db - loss) / 10.0), 0.0)
    lden = 10.0 * np.log10(energy + 10.0 ** (BACKGROUND_DB / 10.0))
    lden = np.minimum(lden, MAX_DB).astype(np.float32)
    lden[mask] = np.nan
    return lden


def write_lden(lden: np.ndarray, path: Path) -> None:
    """GeoTIFF float32, EPSG:2154, 5 m, nodata NaN, tags INDICATOR / UNIT."""
    transform = from_origin(X0_M, Y0_M + HEIGHT_M, PIXEL_M, PIXEL_M)
    profile = dict(
        driver="GTiff",
        width=lden.shape[1],
        height=lden.shape[0],
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
        dst.write(lden, 1)
        dst.update_tags(
            INDICATOR="Lden",
            UNIT="dB(A)",
            SOURCE="Données synthétiques Maquette",
            METHOD="road traffic from tmja and speed, line sources, screening by buildings (see README)",
        )
        dst.set_band_description(1, "Lden dB(A)")


def isophone_bands(lden: np.ndarray, simplify_m: float = 2.0):
    """5 dB bands of ``lden`` as [(geometry local metres, lden_min, lden_max, legende)]."""
    valid = np.isfinite(lden)
    classes = np.digitize(np.where(valid, lden, 0.0), BAND_EDGES_DB).astype(np.int16)
    transform = from_origin(0.0, HEIGHT_M, PIXEL_M, PIXEL_M)
    by_class: dict[int, list] = {}
    for geom, value in rasterio.features.shapes(classes, mask=valid, transform=transform, connectivity=4):
        by_class.setdefault(int(value), []).append(shape(geom))
    bands = []
    for cls in sorted(by_class):
        geom = shapely.union_all(by_class[cls])
        geom = shapely.make_valid(shapely.simplify(geom, simplify_m, preserve_topology=True))
        polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area > 1.0]
        if not polys:
            continue
        low = BAND_EDGES_DB[cls - 1] if cls > 0 else None
        high = BAND_EDGES_DB[cls] if cls < len(BAND_EDGES_DB) else None
        if low is None:
            legend = f"<{high:.0f} dB(A)"
        elif high is None:
            legend = f">{low:.0f} dB(A)"
        else:
            legend = f"{low:.0f}-{high:.0f} dB(A)"
        bands.append((shapely.MultiPolygon(polys), low, high, legend))
    return bands


def isophones_frame(bands):
    """``isophones``: lden_min, lden_max (dB(A), null for the open bands), indicateur, legende."""
    import geopandas as gpd

    return gpd.GeoDataFrame(
        {
            "lden_min": [b[1] for b in bands],
            "lden_max": [b[2] for b in bands],
            "indicateur": ["Lden"] * len(bands),
            "legende": [b[3] for b in bands],
        },
        geometry=gpd.GeoSeries(
            to_l93(shapely.set_precision(np.array([b[0] for b in bands], dtype=object), 0.01)), crs=CRS
        ),
    )
