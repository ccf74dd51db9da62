"""What the camera looks at on the ground: the box of ground a view shows, for grids sized by the view.

Grids drawn on the ground (the sun's ground shadows) are computed over what is looked at, never over
the whole scene: a scene holding two cities 500 km apart would otherwise ask for billions of pixels.
:func:`ground_footprint` casts the four corner rays of a perspective camera onto the ground plane;
rays that pass above the horizon, or meet the ground very far away, are cut at
:data:`HORIZON_HEIGHTS` times the camera's height (past that, a building's shadow is thinner than a
pixel of the screen).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from vtkmodules.vtkRenderingCore import vtkCamera

#: a view's rays are cut this many camera heights away on the ground (the horizon of what is drawn)
HORIZON_HEIGHTS = 12.0
#: ... but never nearer than this (metres), so a camera close to the ground still sees its street
MIN_HORIZON_M = 1_500.0


def ground_footprint(
    position: np.ndarray,
    focal_point: np.ndarray,
    view_up: np.ndarray,
    view_angle_deg: float,
    aspect: float,
    *,
    ground_z: float = 0.0,
    window_center: tuple[float, float] = (0.0, 0.0),
) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) of the ground seen by a perspective camera (same coordinates as the
    camera, origin-relative metres in the viewer), rays cut at the horizon of what is drawn.

    ``view_angle_deg`` is the vertical field of view, ``aspect`` width / height of the picture.
    """
    position = np.asarray(position, float)
    look = np.asarray(focal_point, float) - position
    norm = float(np.linalg.norm(look))
    look = look / norm if norm > 0 else np.array([0.0, 0.0, -1.0])
    right = np.cross(look, np.asarray(view_up, float))
    if float(np.linalg.norm(right)) < 1e-9:  # looking straight along the view-up: any right will do
        right = np.cross(look, np.array([0.0, 1.0, 0.0]))
    right /= np.linalg.norm(right)
    up = np.cross(right, look)
    half_h = math.tan(math.radians(view_angle_deg) / 2.0)
    half_w = half_h * max(aspect, 1e-3)
    height = max(abs(float(position[2]) - ground_z), 1.0)
    horizon = max(HORIZON_HEIGHTS * height, MIN_HORIZON_M)
    points = []
    for sx in (-1.0, 1.0):
        for sy in (-1.0, 1.0):
            ray = look + (window_center[0] + sx) * half_w * right + (window_center[1] + sy) * half_h * up
            points.append(_on_ground(position, ray, ground_z, horizon))
    xy = np.array(points)
    return (float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()), float(xy[:, 1].max()))


def camera_footprint(
    camera: vtkCamera, aspect: float, *, ground_z: float = 0.0
) -> tuple[float, float, float, float]:
    """:func:`ground_footprint` of a VTK camera (a parallel projection: its box on the ground
    under the focal point, at least as wide as the parallel scale)."""
    if camera.GetParallelProjection():
        fx, fy = camera.GetFocalPoint()[:2]
        half_h = float(camera.GetParallelScale())
        half_w = half_h * aspect
        reach = max(half_h, half_w) * 2.0  # a tilted parallel view sees further along its slope
        return (fx - reach, fy - reach, fx + reach, fy + reach)
    cx, cy = camera.GetWindowCenter()
    return ground_footprint(
        np.array(camera.GetPosition()),
        np.array(camera.GetFocalPoint()),
        np.array(camera.GetViewUp()),
        float(camera.GetViewAngle()),
        aspect,
        ground_z=ground_z,
        window_center=(float(cx), float(cy)),
    )


def _on_ground(position: np.ndarray, ray: np.ndarray, ground_z: float, horizon: float) -> np.ndarray:
    """Where ``ray`` from ``position`` meets the ground, cut ``horizon`` metres away horizontally."""
    flat = float(np.hypot(ray[0], ray[1]))
    drop = position[2] - ground_z
    if ray[2] < 0 and drop > 0:
        t = drop / -ray[2]
        if t * flat <= horizon:
            return position[:2] + t * ray[:2]
    elif ray[2] > 0 and drop < 0:  # a camera under the ground looking up (never in the app)
        t = drop / -ray[2]
        if t * flat <= horizon:
            return position[:2] + t * ray[:2]
    if flat < 1e-12:
        return position[:2].copy()
    return position[:2] + ray[:2] / flat * horizon
