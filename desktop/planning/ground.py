"""Between the 3D view's widget pixels and the ground: where a click lands (scene CRS metres), how
many metres a few pixels cover there, and where a point of the scene is on the widget."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtWidgets import QWidget

from viewer.decorations import ground_point
from viewer.scene_view import SceneView

from ..controllers.picking import display_xy


def ground_at(
    widget: QWidget, view: SceneView, pos: QPoint | QPointF, z_m: float = 0.0
) -> tuple[float, float] | None:
    """The point (x, y scene CRS metres) of the plane at height ``z_m`` under widget position ``pos``;
    ``None`` when the ray points at the sky."""
    x, y = display_xy(widget, QPoint(round(pos.x()), round(pos.y())))
    local = ground_point(view.renderer, x, y, z_m)
    if local is None:
        return None
    wx, wy, _ = view.to_world(local)
    return wx, wy


def metres_per_pixel(widget: QWidget, view: SceneView, pos: QPoint, z_m: float = 0.0) -> float:
    """The ground length one pixel covers at ``pos`` (metres; 1 when it cannot be known)."""
    here = ground_at(widget, view, pos, z_m)
    there = ground_at(widget, view, QPoint(pos.x() + 10, pos.y()), z_m)
    if here is None or there is None:
        return 1.0
    return max(float(np.hypot(there[0] - here[0], there[1] - here[1])) / 10.0, 1e-3)


def widget_points(widget: QWidget, view: SceneView, points: Sequence[Sequence[float]]) -> np.ndarray:
    """Widget positions (n, 2) of scene points (n, 3: x, y scene metres, z); rows behind the camera
    are ``inf``."""
    xyz = np.asarray(points, float).reshape(-1, 3)
    display, in_front = view.project(view.to_local(xyz[:, :2], xyz[:, 2]).astype(float))
    ratio = widget.devicePixelRatioF()
    out = np.column_stack([display[:, 0] / ratio, widget.height() - display[:, 1] / ratio])
    out[~in_front] = np.inf
    return out
