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


#: room left around a framed box inside the free part of the view, as a fraction of that part
FRAME_MARGIN = 0.03
#: how far (fraction of the picture) a box may reach past the free part and be left as it is: the
#: default view's near corners touch the picture's edges
FRAME_TOLERANCE = 0.01


def project_view(view: CameraView, points: np.ndarray, aspect: float) -> np.ndarray:
    """Where ``points`` (n, 3), in the view's coordinates, fall in the picture of a perspective
    ``view``: (n, 2) fractions of its width and height from the bottom-left corner, as VTK draws
    them in a window of ``aspect`` (width / height). Points behind the camera come out as NaN."""
    position, focal = np.array(view.position, dtype=float), np.array(view.focal_point, dtype=float)
    forward = focal - position
    forward /= np.linalg.norm(forward) or 1.0
    right = np.cross(forward, np.array(view.view_up, dtype=float))
    right /= np.linalg.norm(right) or 1.0
    up = np.cross(right, forward)
    offsets = np.asarray(points, dtype=float) - position
    depth = offsets @ forward
    depth = np.where(depth > 1e-9, depth, np.nan)
    tan_half = math.tan(math.radians(view.view_angle_deg) / 2)
    x = offsets @ right / (depth * tan_half * aspect)
    y = offsets @ up / (depth * tan_half)
    return np.column_stack([(x + 1) / 2, (y + 1) / 2])


def frame_in(
    view: CameraView,
    bounds: tuple[float, float, float, float],
    aspect: float,
    free: tuple[float, float, float, float],
    margin: float = FRAME_MARGIN,
) -> CameraView:
    """``view`` moved (same direction and view angle) so that the ground box ``bounds`` lies in the
    ``free`` part of the picture, (x0, y0, x1, y1) fractions of its width and height from the
    bottom-left corner: what overlays (the legend column, a caption) leave of the view.

    A view whose box already lies there is returned as it is. Otherwise the box keeps the place it
    has in the whole picture, shrunk into the free part (uniformly, ``margin`` of it left around):
    the picture the view gave, drawn in the free part. ``aspect``: width / height.
    """
    xmin, ymin, xmax, ymax = bounds
    corners = np.array([[xmin, ymin, 0.0], [xmax, ymin, 0.0], [xmax, ymax, 0.0], [xmin, ymax, 0.0]])
    fx0, fy0, fx1, fy1 = free
    seen = project_view(view, corners, aspect)
    if fx1 <= fx0 or fy1 <= fy0 or not np.isfinite(seen).all():
        return view
    lo, hi = seen.min(axis=0), seen.max(axis=0)
    # (the tolerance at the picture's own edges only, never towards an overlay)
    ex0, ey0 = (fx0 - FRAME_TOLERANCE if fx0 <= 0 else fx0), (fy0 - FRAME_TOLERANCE if fy0 <= 0 else fy0)
    ex1, ey1 = (fx1 + FRAME_TOLERANCE if fx1 >= 1 else fx1), (fy1 + FRAME_TOLERANCE if fy1 >= 1 else fy1)
    if lo[0] >= ex0 and hi[0] <= ex1 and lo[1] >= ey0 and hi[1] <= ey1:
        return view
    # the box as placed in the whole picture (clipped to it), in picture heights from the centre
    lo, hi = np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)
    k = min((fx1 - fx0), (fy1 - fy0)) * (1 - 2 * margin)  # picture → free part, the same both ways
    centre = np.array([(fx0 + fx1) / 2, (fy0 + fy1) / 2])
    target_lo, target_hi = centre + k * (lo - 0.5), centre + k * (hi - 0.5)
    focal, position = np.array(view.focal_point, dtype=float), np.array(view.position, dtype=float)
    offset = position - focal
    heading = -offset[:2] / (np.linalg.norm(offset[:2]) or 1.0)  # the ground direction looked at
    right = np.array([heading[1], -heading[0], 0.0])
    ahead = np.array([heading[0], heading[1], 0.0])
    sin_pitch = max(abs(offset[2]) / (np.linalg.norm(offset) or 1.0), 0.1)
    tan_half = math.tan(math.radians(view.view_angle_deg) / 2)
    moved = view
    for _ in range(40):
        seen = project_view(moved, corners, aspect)
        if not np.isfinite(seen).all():  # a corner behind the camera: step back and try again
            offset *= 1.5
        else:
            lo, hi = seen.min(axis=0), seen.max(axis=0)
            zoom = max((hi - lo) / (target_hi - target_lo))
            # too high / too far right in the picture: the camera moves ahead / right to bring it back
            dx, dy = ((lo + hi) - (target_lo + target_hi)) / 2
            if abs(zoom - 1.0) < 1e-4 and abs(dx) < 1e-4 and abs(dy) < 1e-4:
                break
            metres = 2 * np.linalg.norm(offset) * tan_half  # the picture's height at the focal point
            focal = focal + right * dx * metres * aspect + ahead * dy * metres / sin_pitch
            offset *= zoom
        moved = CameraView(view.name, tuple(focal + offset), tuple(focal), view.view_up, view.view_angle_deg)
    return moved


def apply_view(camera: vtkCamera, view: CameraView, origin: np.ndarray) -> None:
    """Point ``camera`` as ``view`` says (view in scene CRS, camera origin-relative); a map view
    (``parallel_scale``) draws orthographically, any other in perspective."""
    shift = np.array([origin[0], origin[1], 0.0])
    camera.SetPosition(*(np.array(view.position) - shift))
    camera.SetFocalPoint(*(np.array(view.focal_point) - shift))
    camera.SetViewUp(*view.view_up)
    camera.SetViewAngle(view.view_angle_deg)
    camera.OrthogonalizeViewUp()
    camera.SetParallelProjection(view.parallel_scale is not None)
    if view.parallel_scale is not None:
        camera.SetParallelScale(view.parallel_scale)


#: the default tilt of a 3D view coming back from the map when no earlier 3D view is known, degrees
BACK_TO_3D_PITCH_DEG = 42.0


def picture_half_height(view: CameraView) -> float:
    """Half the height of ``view``'s picture at its focal point, metres: the parallel scale of a
    map view, ``distance × tan(view angle / 2)`` of a perspective one. What "the same scale" means
    when switching between 2D and 3D."""
    if view.parallel_scale is not None:
        return view.parallel_scale
    distance = float(np.linalg.norm(np.subtract(view.position, view.focal_point)))
    return distance * math.tan(math.radians(view.view_angle_deg) / 2)


def map_view(view: CameraView) -> CameraView:
    """``view`` as a 2D map: looking straight down at the same focal point (scene CRS metres), grid
    north up, orthographic, showing the same height of ground at the focal point. The camera stands
    as far above the focal point as ``view``'s stood from it (so the depth range keeps the city)."""
    focal = np.array(view.focal_point, dtype=float)
    distance = max(float(np.linalg.norm(np.subtract(view.position, focal))), 1.0)
    position = focal + np.array([0.0, 0.0, distance])
    return CameraView(
        view.name,
        _xyz(position, 3),
        _xyz(focal, 3),
        (0.0, 1.0, 0.0),
        view.view_angle_deg,
        parallel_scale=picture_half_height(view),
    )


def perspective_from_map(map_: CameraView, like: CameraView | None = None) -> CameraView:
    """The 3D view back from the map ``map_``: the same focal point and the same picture height at
    it, looked at from the direction of ``like`` (the 3D view before the map; none: from the south,
    :data:`BACK_TO_3D_PITCH_DEG` down)."""
    focal = np.array(map_.focal_point, dtype=float)
    direction = np.array([0.0, -math.cos(math.radians(BACK_TO_3D_PITCH_DEG)), 0.0])
    direction[2] = math.sin(math.radians(BACK_TO_3D_PITCH_DEG))
    angle = map_.view_angle_deg
    if like is not None and like.parallel_scale is None:
        offset = np.subtract(like.position, like.focal_point)
        if np.linalg.norm(offset) > 0 and offset[2] > 0:
            direction = offset / np.linalg.norm(offset)
        angle = like.view_angle_deg
    distance = picture_half_height(map_) / math.tan(math.radians(angle) / 2)
    return CameraView(
        map_.name, _xyz(focal + direction * distance, 3), _xyz(focal, 3), (0.0, 0.0, 1.0), angle
    )


def is_map_view(view: CameraView) -> bool:
    """True for a top-down orthographic view (:func:`map_view`)."""
    return view.parallel_scale is not None


def current_view(camera: vtkCamera, origin: np.ndarray, name: str) -> CameraView:
    """The camera as a named view in scene CRS metres."""
    shift = np.array([origin[0], origin[1], 0.0])
    position = np.array(camera.GetPosition()) + shift
    focal = np.array(camera.GetFocalPoint()) + shift
    parallel = round(float(camera.GetParallelScale()), 3) if camera.GetParallelProjection() else None
    return CameraView(
        name,
        _xyz(position, 2),
        _xyz(focal, 2),
        _xyz(camera.GetViewUp(), 4),
        round(float(camera.GetViewAngle()), 2),
        parallel_scale=parallel,
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
    if a.parallel_scale is not None and b.parallel_scale is not None:  # map to map: stays a map
        scale = a.parallel_scale * (1 - e) + b.parallel_scale * e
        return CameraView(b.name, tuple(focal + (0.0, 0.0, distance)), tuple(focal), b.view_up, angle, scale)
    if f >= 1.0 and b.parallel_scale is not None:  # lands on the map
        return b
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
