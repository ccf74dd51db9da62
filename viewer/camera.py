"""Camera views: the default oblique view of a scene, named views, smooth flights between them.

Views are stored in real scene-CRS metres (:class:`layers.session.views.CameraView`); the camera works in
origin-relative coordinates, so every conversion goes through the scene origin.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from vtkmodules.vtkRenderingCore import vtkCamera, vtkRenderer

from layers.session.views import CameraView


def oblique_view(
    bounds: tuple[float, float, float, float],
    *,
    name: str = "Vue d'ensemble",
    pitch_deg: float = 42.0,
    heading_deg: float = 0.0,
    view_angle_deg: float = 30.0,
    aspect: float = 1.6,
) -> CameraView:
    """A view of ``bounds`` (scene CRS metres) looking ``pitch_deg`` down, from the south by default.

    ``heading_deg`` is where the camera looks, clockwise from grid north. The distance frames the
    whole box in a window of the given aspect ratio.
    """
    xmin, ymin, xmax, ymax = bounds
    centre = np.array([(xmin + xmax) / 2, (ymin + ymax) / 2, 0.0])
    extent = max(xmax - xmin, (ymax - ymin) * aspect, 50.0)
    half_fov = math.radians(view_angle_deg) / 2
    distance = 0.5 * extent / math.tan(half_fov) / aspect + 0.1 * extent
    pitch = math.radians(pitch_deg)
    heading = math.radians(heading_deg)
    look = np.array(
        [math.sin(heading) * math.cos(pitch), math.cos(heading) * math.cos(pitch), -math.sin(pitch)]
    )
    position = centre - look * distance
    return CameraView(name, tuple(position), tuple(centre), (0.0, 0.0, 1.0), view_angle_deg)


def apply_view(camera: vtkCamera, view: CameraView, origin: np.ndarray) -> None:
    """Point ``camera`` as ``view`` says (view in scene CRS, camera origin-relative)."""
    shift = np.array([origin[0], origin[1], 0.0])
    camera.SetPosition(*(np.array(view.position) - shift))
    camera.SetFocalPoint(*(np.array(view.focal_point) - shift))
    camera.SetViewUp(*view.view_up)
    camera.SetViewAngle(view.view_angle_deg)
    camera.OrthogonalizeViewUp()


def current_view(camera: vtkCamera, origin: np.ndarray, name: str) -> CameraView:
    """The camera as a named view in scene CRS metres."""
    shift = np.array([origin[0], origin[1], 0.0])
    position = np.array(camera.GetPosition()) + shift
    focal = np.array(camera.GetFocalPoint()) + shift
    return CameraView(
        name,
        _xyz(position, 2),
        _xyz(focal, 2),
        _xyz(camera.GetViewUp(), 4),
        round(float(camera.GetViewAngle()), 2),
    )


def _xyz(values: Iterable[float], digits: int) -> tuple[float, float, float]:
    """A 3D point or direction as three floats rounded to ``digits`` decimals."""
    x, y, z = (round(float(v), digits) for v in values)
    return (x, y, z)


def interpolate(a: CameraView, b: CameraView, f: float) -> CameraView:
    """The view a fraction ``f`` (0..1) of the way from ``a`` to ``b``, eased in and out.

    The focal point moves linearly; the camera's offset from it is interpolated in distance and
    direction separately, so a flight neither dives through the ground nor swings wildly.
    """
    f = min(max(f, 0.0), 1.0)
    e = f * f * (3 - 2 * f)  # smoothstep
    fa, fb = np.array(a.focal_point), np.array(b.focal_point)
    oa, ob = np.array(a.position) - fa, np.array(b.position) - fb
    da, db = float(np.linalg.norm(oa)), float(np.linalg.norm(ob))
    ua, ub = oa / (da or 1), ob / (db or 1)
    direction = _slerp(ua, ub, e)
    # rise a little in the middle of long flights so the city stays in view
    travel = float(np.linalg.norm(fb - fa))
    lift = 1.0 + 0.35 * math.sin(math.pi * e) * min(travel / max(da, db, 1.0), 1.0)
    distance = (da * (1 - e) + db * e) * lift
    focal = fa * (1 - e) + fb * e
    position = focal + direction * distance
    angle = a.view_angle_deg * (1 - e) + b.view_angle_deg * e
    return CameraView(b.name, tuple(position), tuple(focal), (0.0, 0.0, 1.0), angle)


def _slerp(u: np.ndarray, v: np.ndarray, t: float) -> np.ndarray:
    dot = float(np.clip(np.dot(u, v), -1.0, 1.0))
    omega = math.acos(dot)
    if omega < 1e-6:
        return u
    return (math.sin((1 - t) * omega) * u + math.sin(t * omega) * v) / math.sin(omega)


#: the farthest a view draws, in camera distances to the focal point, never under FAR_FLOOR_M: what
#: lies past it is below a pixel; without a cap, a scene holding two cities 500 km apart stretches
#: the depth range over both, and the near plane (a fixed fraction of the far one) cuts the city in view
FAR_IN_DISTANCES = 40.0
FAR_FLOOR_M = 30_000.0
#: the near plane as a fraction of the far one (VTK's own choice for a 24-bit depth buffer)
NEAR_PER_FAR = 0.001


def fit_clipping_range(renderer: vtkRenderer) -> None:
    """Reset ``renderer``'s clipping range to what it shows (VTK's own reset), then cap the far plane
    at what the camera can see (:data:`FAR_IN_DISTANCES`), bringing the near plane in with it."""
    renderer.ResetCameraClippingRange()
    camera = renderer.GetActiveCamera()
    near, far = camera.GetClippingRange()
    cap = max(camera.GetDistance() * FAR_IN_DISTANCES, FAR_FLOOR_M)
    if far > cap and near < cap / 2:  # (nothing near the camera: leave VTK's range)
        camera.SetClippingRange(max(min(near, cap * NEAR_PER_FAR), 1e-3), cap)
