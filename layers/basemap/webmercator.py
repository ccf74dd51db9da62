"""Web Mercator tile arithmetic (EPSG:3857, 256-pixel tiles, XYZ rows counted from the north).

Tile ``(z, x, y)``: zoom ``z`` cuts the world into ``2**z`` × ``2**z`` tiles; ``x`` grows east from
180° W, ``y`` grows south from 85.05° N (the "XYZ" or "slippy map" order). MBTiles count rows from
the south instead (TMS): ``y_tms = 2**z - 1 - y``.
"""

from __future__ import annotations

import math

#: half the side of the Web Mercator square, metres
HALF_WORLD_M = 20_037_508.342789244
#: pixels on a tile's side
TILE_PX = 256
#: the zoom of the coarse land table (:data:`LAND_Z3`)
LAND_ZOOM = 3
#: tiles of zoom 3 holding land or ice, XYZ rows from the north (``#``: land), used to tell which
#: row order puts an MBTiles' tiles on land (rows 0-7: 85-79° N, 79-67° N, 67-41° N, 41-0° N,
#: 0-41° S, 41-67° S, 67-79° S, 79-85° S; columns 45° wide from 180° W)
LAND_Z3 = (
    "..####..",
    "########",
    "########",
    ".######.",
    "..######",
    "..#....#",
    "########",
    "########",
)


def tile_size_m(z: int) -> float:
    """Side of a tile of zoom ``z`` in Web Mercator metres."""
    return 2 * HALF_WORLD_M / (1 << z)


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in EPSG:3857 metres of XYZ tile ``(z, x, y)``."""
    size = tile_size_m(z)
    xmin = -HALF_WORLD_M + x * size
    ymax = HALF_WORLD_M - y * size
    return xmin, ymax - size, xmin + size, ymax


def tile_range(bounds_3857: tuple[float, float, float, float], z: int) -> tuple[int, int, int, int]:
    """XYZ tiles ``(x0, y0, x1, y1)`` (inclusive) of zoom ``z`` meeting ``bounds_3857``."""
    size = tile_size_m(z)
    last = (1 << z) - 1
    xmin, ymin, xmax, ymax = bounds_3857

    def clamp(v: float) -> int:
        return min(last, max(0, int(math.floor(v + 1e-9))))

    x0 = clamp((xmin + HALF_WORLD_M) / size)
    x1 = clamp((xmax + HALF_WORLD_M) / size - 2e-9)
    y0 = clamp((HALF_WORLD_M - ymax) / size)
    y1 = clamp((HALF_WORLD_M - ymin) / size - 2e-9)
    return x0, y0, x1, y1


def zoom_for_resolution(resolution_m: float, latitude_deg: float) -> float:
    """The (fractional) zoom whose tile pixels are ``resolution_m`` true metres at ``latitude_deg``."""
    scale = math.cos(math.radians(max(-85.0, min(85.0, latitude_deg))))
    return math.log2(2 * HALF_WORLD_M * scale / (TILE_PX * max(resolution_m, 1e-6)))


def latitude_of(y_3857: float) -> float:
    """Latitude (degrees) of a Web Mercator northing."""
    return math.degrees(2 * math.atan(math.exp(y_3857 / 6_378_137.0)) - math.pi / 2)


def on_land(z: int, x: int, y: int) -> bool:
    """Whether XYZ tile ``(z, x, y)`` lies in a zoom-3 tile holding land (:data:`LAND_Z3`); a tile
    coarser than zoom 3 always does."""
    if z < LAND_ZOOM:
        return True
    shift = z - LAND_ZOOM
    return LAND_Z3[y >> shift][x >> shift] == "#"
