"""Level of detail while the camera moves: coarse stand-ins during interaction, full detail at rest.

A CPU renderer draws about a million triangles a second here, so 100,000 extruded buildings (2.6
million triangles) take seconds per frame. While the user drags, wheels or flies, visuals that know
how (:meth:`viewer.visuals.base.Visual.set_detail`) swap their full meshes for light stand-ins
(the buildings: one flat roof per building, its oriented bounding box at its height); when the
camera has been still for a moment they swap back and the full scene is drawn once.

:class:`InteractionLOD` listens to the interactor style's ``StartInteractionEvent`` /
``EndInteractionEvent`` (mouse drags); the GUI calls :meth:`InteractionLOD.begin` /
:meth:`InteractionLOD.end` around wheel zooms and camera flights as well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

if TYPE_CHECKING:
    from vtkmodules.vtkCommonCore import vtkObject

    from .context import ViewContext
    from .visuals.base import Visual


class InteractionLOD:
    """Coarse visuals while the camera moves (see the module docstring).

    ``visuals`` gives the view's visuals as they are when the camera starts or stops moving.
    """

    def __init__(self, view: ViewContext, visuals: Callable[[], Iterable[Visual[Any]]]) -> None:
        self.view = view
        self._visuals = visuals
        self.active = False
        self.enabled = True
        #: smooth edges with FXAA when the camera rests, not while it moves (a CPU renderer, where
        #: multisampling costs two to three times a frame: see :meth:`smooth_at_rest`)
        self.fxaa_at_rest = False
        #: called when the camera comes to rest, before the full scene is drawn (grids sized by
        #: the view follow it there, not at every frame of a drag)
        self.on_rest: Callable[[], None] | None = None
        self._observed: list[tuple[vtkObject, int]] = []
        iren = view.plotter.iren  # None for an off-screen plotter
        interactor = iren.interactor if iren is not None else None
        style = interactor.GetInteractorStyle() if interactor is not None else None
        if style is not None:
            self._observed.append(
                (style, style.AddObserver("StartInteractionEvent", lambda *_: self.begin()))
            )
            self._observed.append((style, style.AddObserver("EndInteractionEvent", lambda *_: self.end())))

    def close(self) -> None:
        for obj, tag in self._observed:
            obj.RemoveObserver(tag)
        self._observed = []

    def smooth_at_rest(self, on: bool = True) -> None:
        """Anti-alias with FXAA whenever the camera is still (one pass over the finished picture,
        ~50 ms at 1920×1080 on a CPU renderer), and draw without it while it moves."""
        self.fxaa_at_rest = on
        self.view.renderer.SetUseFXAA(on and not self.active)

    def begin(self) -> None:
        """The camera starts moving: coarse stand-ins (no render here; the motion renders)."""
        if self.active or not self.enabled:
            return
        self.active = True
        if self.fxaa_at_rest:
            self.view.renderer.SetUseFXAA(False)
        for visual in self._visuals():
            visual.set_detail(False)

    def end(self, render: bool = True) -> None:
        """The camera stopped: full detail, drawn once."""
        if not self.active:
            return
        self.active = False
        if self.fxaa_at_rest:
            self.view.renderer.SetUseFXAA(True)
        for visual in self._visuals():
            visual.set_detail(True)
        if self.on_rest is not None:
            self.on_rest()
        if render:
            self.view.request_render()


def box_roofs(polygons: np.ndarray, top_z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One flat roof per footprint: its oriented bounding rectangle at ``top_z`` (origin-relative
    metres). Returns points (4k, 3), triangles (2k, 3) wound upward, and the row of each triangle
    (k = footprints with a usable rectangle)."""
    polygons = np.asarray(polygons, dtype=object)
    if len(polygons) == 0:
        return np.empty((0, 3)), np.empty((0, 3), np.int64), np.empty(0, np.int64)
    boxes = shapely.oriented_envelope(polygons)
    ok = shapely.get_type_id(boxes) == 3
    rows = np.flatnonzero(ok)
    coords = shapely.get_coordinates(shapely.get_exterior_ring(boxes[ok])).reshape(len(rows), 5, 2)[:, :4]
    u, v = coords[:, 1] - coords[:, 0], coords[:, 2] - coords[:, 0]
    area2 = u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]
    clockwise = area2 < 0
    coords[clockwise] = coords[clockwise][:, ::-1]
    points = np.empty((len(rows) * 4, 3))
    points[:, :2] = coords.reshape(-1, 2)
    points[:, 2] = np.repeat(np.asarray(top_z, np.float64)[rows], 4)
    base = np.arange(len(rows), dtype=np.int64) * 4
    triangles = np.empty((2 * len(rows), 3), np.int64)
    triangles[0::2] = np.column_stack([base, base + 1, base + 2])
    triangles[1::2] = np.column_stack([base, base + 2, base + 3])
    return points, triangles, np.repeat(rows, 2)


def block_boxes(
    xy: np.ndarray,
    area: np.ndarray,
    base: np.ndarray,
    top: np.ndarray,
    cell_m: float,
    values: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """City blocks for far views: the buildings of each ``cell_m`` square merged into one box.

    Each box stands at the area-weighted centre of its buildings, as large as their summed
    footprint (at most the cell), from their mean base to their area-weighted mean top. Returns
    points (8k, 3), triangles (10k, 3) (roof and four walls, wound outward), per triangle the row
    of the largest building of its block, and per triangle the area-weighted mean of ``values``
    (numbers per row, NaN missing; ``None`` when not given): a numeric colouring averages, a
    categorical one takes the largest building's category.
    """
    n = len(xy)
    if n == 0:
        return np.empty((0, 3)), np.empty((0, 3), np.int64), np.empty(0, np.int64), None
    area = np.maximum(np.asarray(area, np.float64), 1e-6)
    ix = np.floor(xy[:, 0] / cell_m).astype(np.int64)
    iy = np.floor(xy[:, 1] / cell_m).astype(np.int64)
    key = (ix - ix.min()) * (iy.max() - iy.min() + 1) + (iy - iy.min())
    cells, block = np.unique(key, return_inverse=True)
    k = len(cells)
    total = np.bincount(block, weights=area, minlength=k)
    cx = np.bincount(block, weights=area * xy[:, 0], minlength=k) / total
    cy = np.bincount(block, weights=area * xy[:, 1], minlength=k) / total
    z0 = np.bincount(block, weights=area * base, minlength=k) / total
    z1 = np.bincount(block, weights=area * top, minlength=k) / total
    half = np.minimum(np.sqrt(total), cell_m) / 2.0
    order = np.lexsort((area, block))  # within each block, largest last
    last = np.r_[np.flatnonzero(np.diff(block[order])), n - 1]
    dominant = order[last]
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], np.float64)
    points = np.empty((k, 8, 3))
    points[:, :4, :2] = np.stack([cx, cy], axis=1)[:, None, :] + corners[None] * half[:, None, None]
    points[:, 4:, :2] = points[:, :4, :2]
    points[:, :4, 2] = z0[:, None]
    points[:, 4:, 2] = z1[:, None]
    # roof (4 5 6, 4 6 7) and walls (i, i+1, i+5), (i, i+5, i+4) counter-clockwise from outside
    box_faces = [[4, 5, 6], [4, 6, 7]]
    for i in range(4):
        j = (i + 1) % 4
        box_faces += [[i, j, j + 4], [i, j + 4, i + 4]]
    faces = np.asarray(box_faces, np.int64)
    triangles = (faces[None, :, :] + 8 * np.arange(k, dtype=np.int64)[:, None, None]).reshape(-1, 3)
    mean = None
    if values is not None:
        values = np.asarray(values, np.float64)
        known = np.isfinite(values)
        weight = np.bincount(block[known], weights=area[known], minlength=k)
        summed = np.bincount(block[known], weights=(area * np.where(known, values, 0.0))[known], minlength=k)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.repeat(np.where(weight > 0, summed / weight, np.nan), len(faces))
    return points.reshape(-1, 3), triangles, np.repeat(dominant, len(faces)), mean
