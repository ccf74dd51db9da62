"""Local east-north-up frames on the WGS 84 ellipsoid, and the way from a projected CRS into them.

Every tile's geometry is written in metres in a local frame (float32 stays sub-millimetric within a
few kilometres of its origin), and the tile's ``transform`` takes that frame to ECEF (EPSG:4978).
Vertices go source CRS → longitude / latitude with pyproj, then to ECEF by the closed formula, in
float64 (exact: no grid convergence or scale factor to approximate), then into the frame by the
inverse of that transform, so a corner written in a tile lands back on its footprint corner to well
under a centimetre.

Heights: the z given (metres above the building's ground, plus the ground's height when the scene
has a terrain: relief above its lowest point, see :func:`layers.tiles3d.scene.scene_buildings`) is
written as a height above the ellipsoid, so the city sits on the bare globe of a client without a
terrain (CesiumJS's default, and its offline viewer). Altitudes are not turned into ellipsoidal
heights: that needs the geoid grids, which PROJ does not ship.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from pyproj import CRS, Transformer

#: EPSG codes of the 3D Tiles frames: Earth-centred Earth-fixed, and longitude/latitude/height
ECEF, GEOGRAPHIC_3D = 4978, 4979


@lru_cache(maxsize=8)
def _transformers(crs_wkt: str) -> tuple[Transformer, Transformer]:
    from pyproj import CRS, Transformer

    source = CRS.from_wkt(crs_wkt)
    if not source.is_projected:
        raise ValueError("3D Tiles export needs a projected CRS in metres")
    to_ecef = Transformer.from_crs(source, CRS.from_epsg(ECEF), always_xy=True)
    to_geographic = Transformer.from_crs(source, CRS.from_epsg(GEOGRAPHIC_3D), always_xy=True)
    return to_ecef, to_geographic


def _source_crs_wkt(crs: CRS | str) -> str:
    import pyproj

    return pyproj.CRS.from_user_input(crs).to_wkt()


def to_ecef(crs: CRS | str, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """(n, 3) float64 ECEF metres of points x, y (``crs``, metres) at height z (m above the ellipsoid)."""
    transformer = _transformers(_source_crs_wkt(crs))[0]
    ex, ey, ez = transformer.transform(
        np.asarray(x, np.float64), np.asarray(y, np.float64), np.asarray(z, np.float64)
    )
    return np.column_stack([ex, ey, ez])


#: WGS 84 ellipsoid: semi-major axis (m), first eccentricity squared
WGS84_A, WGS84_E2 = 6_378_137.0, 6.69437999014e-3


def geodetic_to_ecef(lon: np.ndarray, lat: np.ndarray, h: np.ndarray) -> np.ndarray:
    """(n, 3) ECEF metres of WGS 84 longitudes, latitudes (radians) and heights above the
    ellipsoid (m): the closed formula, what EPSG:4979 → EPSG:4978 computes."""
    sin_lat, cos_lat = np.sin(lat), np.cos(lat)
    n = WGS84_A / np.sqrt(1.0 - WGS84_E2 * sin_lat * sin_lat)
    out = np.empty((len(lon), 3))
    out[:, 0] = (n + h) * cos_lat * np.cos(lon)
    out[:, 1] = (n + h) * cos_lat * np.sin(lon)
    out[:, 2] = (n * (1.0 - WGS84_E2) + h) * sin_lat
    return out


def to_lon_lat(crs: CRS | str, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude (radians, WGS 84) of points x, y in ``crs``."""
    transformer = _transformers(_source_crs_wkt(crs))[1]
    lon, lat, _ = transformer.transform(
        np.asarray(x, np.float64), np.asarray(y, np.float64), np.zeros(np.shape(x)), radians=True
    )
    return np.asarray(lon), np.asarray(lat)


@dataclass(frozen=True)
class EnuFrame:
    """An east-north-up frame: ``matrix`` (4, 4) float64 takes frame metres to ECEF metres."""

    matrix: np.ndarray

    @classmethod
    def at(cls, crs: CRS | str, x: float, y: float, z: float = 0.0) -> EnuFrame:
        """The frame whose origin is the point (x, y) of ``crs`` at height ``z`` m above the ellipsoid."""
        lon, lat = (float(v[0]) for v in to_lon_lat(crs, np.array([x]), np.array([y])))
        origin = to_ecef(crs, np.array([x]), np.array([y]), np.array([z]))[0]
        east = np.array([-np.sin(lon), np.cos(lon), 0.0])
        north = np.array([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)])
        up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
        matrix = np.eye(4)
        matrix[:3, 0], matrix[:3, 1], matrix[:3, 2], matrix[:3, 3] = east, north, up, origin
        return cls(matrix)

    def local(self, ecef: np.ndarray) -> np.ndarray:
        """(n, 3) float64 frame metres (x east, y north, z up) of ECEF points (n, 3)."""
        rotation = self.matrix[:3, :3]
        return (np.asarray(ecef, np.float64) - self.matrix[:3, 3]) @ rotation

    def relative_to(self, parent: EnuFrame | None) -> np.ndarray:
        """The 3D Tiles ``transform`` of a tile in this frame under a tile in ``parent`` (transforms
        compose down the tree): 16 floats, column-major."""
        matrix = self.matrix if parent is None else np.linalg.inv(parent.matrix) @ self.matrix
        return matrix.T.reshape(-1)


def enu_to_gltf(local: np.ndarray) -> np.ndarray:
    """Frame metres (x east, y north, z up) as glTF's y-up axes (x east, y up, z south): the client
    turns glTF content to z-up (3D Tiles spec, "glTF transforms"), which undoes this."""
    out = np.empty_like(local)
    out[:, 0] = local[:, 0]
    out[:, 1] = local[:, 2]
    out[:, 2] = -local[:, 1]
    return out
