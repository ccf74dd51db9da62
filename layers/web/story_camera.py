"""A story step's camera (a :class:`~layers.session.views.CameraView` in the scene CRS) as CesiumJS
takes it: a destination in ECEF metres (EPSG:4978) and a heading / pitch in radians.

The camera's height is written as a height above the WGS 84 ellipsoid, as the buildings' heights are
(:mod:`layers.tiles3d.frames`: the scene's ground 0 lies on the ellipsoid), so the view frames the
tiles as the app frames its own 3D view. Heading and pitch come from the direction position → focal
point in the east-north-up frame at the camera (true north, not the projection's grid north).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from pyproj import CRS

    from layers.session.views import CameraView


def cesium_camera(view: CameraView, crs: CRS | str) -> dict[str, Any]:
    """``view`` for CesiumJS: ``destination`` (ECEF metres, x y z), ``heading`` (radians clockwise from
    true north), ``pitch`` (radians, negative looking down), ``roll`` 0, and the vertical field of view
    ``fov_deg`` (degrees)."""
    from layers.tiles3d.frames import EnuFrame, to_ecef

    x, y, z = view.position
    points = np.array([view.position, view.focal_point], np.float64)
    ecef = to_ecef(crs, points[:, 0], points[:, 1], points[:, 2])
    east, north, up = EnuFrame.at(crs, x, y, z).local(ecef[1:2])[0]
    heading = math.atan2(east, north) % (2 * math.pi)
    pitch = math.atan2(up, math.hypot(east, north))
    return {
        "name": view.name,
        "destination": [round(float(v), 3) for v in ecef[0]],
        "heading": round(heading, 6),
        "pitch": round(pitch, 6),
        "roll": 0.0,
        "fov_deg": view.view_angle_deg,
    }
