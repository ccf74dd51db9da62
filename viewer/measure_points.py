"""Where a click of the Measure tool lands, in float64 scene CRS metres.

The scene is drawn in float32 origin-relative coordinates; a pick found there is recomputed in
float64: the view ray through the pixel (from the camera, in double precision) is intersected with
the plane of the picked triangle, with the exact plane of a building's flat roof (its seated ground
plus its height, from the layer), or with the ground plane (z = 0) where nothing is picked or where a
flat overlay drawn a little above a flat ground is picked (the point seen, put down on the
ground); then the scene origin is added in float64.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from layers.buildings.layer import BuildingsLayer
from layers.core.base import Layer
from layers.measure.heights import roof_z_m
from layers.terrain.layer import TerrainLayer

from .scene_view import SceneView

#: a picked roof this close (metres) to the layer's roof height is on it: its height is the layer's
ROOF_SNAP_M = 0.05
#: flat overlays (streets, land use, rasters...) are drawn up to this high over a flat ground (metres,
#: see ``GROUND_Z`` in viewer/visuals/base.py) so they never z-fight; they lie on the ground
FLAT_OVERLAY_MAX_M = 1.5
#: a picked face whose normal's z is above this faces the sky (a roof), below WALL_NZ a wall
ROOF_NZ, WALL_NZ = 0.9, 0.3


@dataclass(frozen=True)
class MeasuredPoint:
    """A measured point: ``xyz`` scene CRS metres (z above the scene's ground reference), the layer and
    row picked there (``None`` on the bare ground), the ground under it (a building's seated ground)."""

    xyz: tuple[float, float, float]
    layer: Layer[Any] | None = None
    row: int | None = None
    ground_z_m: float = 0.0
    on_roof: bool = False
    on_wall: bool = False

    @property
    def building(self) -> BuildingsLayer | None:
        return self.layer if isinstance(self.layer, BuildingsLayer) else None


def view_ray(view: SceneView, x: float, y: float) -> tuple[np.ndarray, np.ndarray]:
    """The ray through display pixel (x, y) (sub-pixel allowed): its start on the near plane and its
    direction, origin-relative float64."""
    renderer = view.renderer
    ends = []
    for depth in (0.0, 1.0):
        renderer.SetDisplayPoint(float(x), float(y), depth)
        renderer.DisplayToWorld()
        w = np.array(renderer.GetWorldPoint(), dtype=np.float64)
        ends.append(w[:3] / (w[3] or 1.0))
    return ends[0], ends[1] - ends[0]


def _on_plane(near: np.ndarray, direction: np.ndarray, point: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """Where the ray meets the plane through ``point`` with ``normal`` (``point`` when parallel)."""
    along = float(np.dot(direction, normal))
    if abs(along) < 1e-12:
        return point
    return near + float(np.dot(point - near, normal)) / along * direction


def measured_point(view: SceneView, x: float, y: float) -> MeasuredPoint | None:
    """The point under display pixel (x, y) (origin bottom-left), ``None`` over the sky."""
    near, direction = view_ray(view, x, y)
    pick = view.pick(x, y)
    up = np.array([0.0, 0.0, 1.0])
    if pick is None:
        if abs(direction[2]) < 1e-12:
            return None
        local = _on_plane(near, direction, np.zeros(3), up)
        if float(np.dot(local - near, direction)) <= 0:
            return None
        return MeasuredPoint(_world(view, local))
    if pick.visual.pick_points() is not None:  # a point feature (a sensor, a tree): its own point
        return MeasuredPoint(pick.world, pick.layer, pick.index, 0.0)
    normal = view.picked_normal().astype(np.float64)
    normal /= max(float(np.linalg.norm(normal)), 1e-12)
    local = _on_plane(near, direction, view.picked_local().astype(np.float64), normal)
    layer, row = pick.layer, int(pick.index)
    on_roof, on_wall = abs(normal[2]) > ROOF_NZ, abs(normal[2]) < WALL_NZ
    ground = 0.0
    if on_roof and not isinstance(layer, BuildingsLayer | TerrainLayer) and _flat_ground(view):
        if abs(local[2]) < FLAT_OVERLAY_MAX_M:  # an overlay lying on the ground: the point seen, on it
            local = np.array([local[0], local[1], 0.0])
            return MeasuredPoint(_world(view, local), layer, row, 0.0)
    if isinstance(layer, BuildingsLayer):
        ground = pick.visual.ground_offset(row)
        roof = roof_z_m(layer, row, ground)
        if on_roof and abs(local[2] - roof) < ROOF_SNAP_M:  # a flat roof: its exact height
            local = _on_plane(near, direction, np.array([0.0, 0.0, roof]), up)
    return MeasuredPoint(_world(view, local), layer, row, ground, on_roof, on_wall)


def _flat_ground(view: SceneView) -> bool:
    """True when the scene has no terrain: its ground is the plane z = 0."""
    return not any(isinstance(layer, TerrainLayer) for layer in view.scene.layers)


def _world(view: SceneView, local: np.ndarray) -> tuple[float, float, float]:
    """Origin-relative float64 → scene CRS metres, the origin added in float64."""
    return view.to_world(np.asarray(local, dtype=np.float64))
