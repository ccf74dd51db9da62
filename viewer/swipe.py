"""Before / after swipe: the city as it is on the left of a screen line, with the project on the right.

Both sides show the existing city. The project's layers are clipped to the right ("after"); the
existing buildings the project replaces are drawn on the left only: their layer is clipped to the
left and a copy of it without them to the right. A layer the project replaces nothing of is not
clipped at all. The planes pass through the camera and the vertical screen line at the swipe
position, recomputed before every render, so the split stays a straight vertical line on screen
however the camera moves.

Two variants of the planned project are compared the same way: the existing city on both sides,
one variant's plan layer on the left only (``left``), the other's on the right (``after``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from vtkmodules.vtkCommonDataModel import vtkPlane
from vtkmodules.vtkRenderingCore import vtkProp

from .legends import _Shapes

if TYPE_CHECKING:
    from layers.core.base import Layer

    from .context import ViewContext
    from .visuals.base import Visual


class Swipe:
    """Split the view between the city before (left) and after (right) a project.

    ``visual_of`` finds the visual drawing a layer in ``view`` (``None`` for a layer not drawn).
    """

    def __init__(self, view: ViewContext, visual_of: Callable[[Layer[Any]], Visual[Any] | None]) -> None:
        self.view = view
        self._visual_of = visual_of
        self.position = 0.5
        self.before: list[Layer[Any]] = []
        self.after: list[Layer[Any]] = []
        #: layers drawn on the left only (a variant compared with the one on the right)
        self.left: list[Layer[Any]] = []
        #: existing layers with features the project replaces: drawn whole on the left only
        self.split: list[Layer[Any]] = []
        #: copies of :attr:`split` layers' actors less what the project replaces (right side)
        self.after_copies: list[vtkProp] = []
        self.left_plane = vtkPlane()
        self.right_plane = vtkPlane()
        self.divider = _Shapes()
        self.divider.actor.SetVisibility(False)
        view.renderer.AddViewProp(self.divider.actor)
        self.active = False

    def start(
        self,
        before: list[Layer[Any]],
        after: list[Layer[Any]],
        position: float = 0.5,
        replaced: Mapping[Layer[Any], np.ndarray] | None = None,
        left: list[Layer[Any]] | None = None,
    ) -> None:
        """Compare: ``before`` (the existing city) on both sides, ``after`` (the project) on the
        right; ``replaced`` gives, per layer of ``before``, the rows the project replaces (shown on
        the left only); ``left``: layers drawn on the left only (another variant of the project)."""
        self.stop()
        self.before, self.after, self.position = list(before), list(after), position
        self.left = list(left or ())
        for layer in self.before + self.after + self.left:
            layer.visible = True
        self.split = []
        for layer, rows in (replaced or {}).items():
            visual = self._visual_of(layer) if layer in self.before and len(rows) else None
            if visual is None:
                continue
            copies = visual.actors_without(np.asarray(rows))
            if copies is None:  # cannot leave features out: the layer stays whole on both sides
                continue
            self.split.append(layer)
            for copy in copies:
                self._clip(copy, self.right_plane, add=True)
                self.view.renderer.AddViewProp(copy)
            self.after_copies.extend(copies)
        self._mappers(self.split + self.left, self.left_plane, add=True)
        self._mappers(self.after, self.right_plane, add=True)
        self.active = True
        self.divider.actor.SetVisibility(True)
        self.view.request_render()

    def stop(self) -> None:
        if not self.active:
            return
        self._mappers(self.split + self.left, self.left_plane, add=False)
        self._mappers(self.after, self.right_plane, add=False)
        for copy in self.after_copies:
            self.view.renderer.RemoveViewProp(copy)
        self.after_copies, self.split, self.left = [], [], []
        self.active = False
        self.divider.actor.SetVisibility(False)
        self.view.request_render()

    def close(self) -> None:
        """Stop, and take the divider out of the renderer (the view is closing)."""
        self.stop()
        self.view.renderer.RemoveViewProp(self.divider.actor)

    def set_position(self, fraction: float) -> None:
        self.position = float(np.clip(fraction, 0.02, 0.98))
        self.view.request_render()

    def _mappers(self, layers: list[Layer[Any]], plane: vtkPlane, add: bool) -> None:
        for layer in layers:
            visual = self._visual_of(layer)
            if visual is None:
                continue
            for actor in visual.actors:
                self._clip(actor, plane, add)

    @staticmethod
    def _clip(actor: vtkProp, plane: vtkPlane, add: bool) -> None:
        mapper = actor.GetMapper() if hasattr(actor, "GetMapper") else None
        if mapper is None:
            return
        if add:
            mapper.AddClippingPlane(plane)
        else:
            mapper.RemoveClippingPlane(plane)

    def update(self, width: int, height: int) -> None:
        """Recompute the planes and the divider for the current camera (before each render)."""
        if not self.active or width <= 0 or height <= 0:
            return
        renderer = self.view.renderer
        camera = renderer.GetActiveCamera()
        x = self.position * width
        eye = np.array(camera.GetPosition())
        renderer.SetDisplayPoint(x, height / 2, 0.5)
        renderer.DisplayToWorld()
        w = renderer.GetWorldPoint()
        through = np.array(w[:3]) / (w[3] or 1.0)
        ray = through - eye
        renderer.SetDisplayPoint(x, height, 0.5)
        renderer.DisplayToWorld()
        w2 = renderer.GetWorldPoint()
        top = np.array(w2[:3]) / (w2[3] or 1.0)
        up = top - through
        normal = np.cross(ray, up)
        norm = np.linalg.norm(normal)
        if norm < 1e-12:
            return
        normal /= norm
        # the normal points to the screen's right: keep the left for "before", the right for "after"
        self.right_plane.SetOrigin(*eye)
        self.right_plane.SetNormal(*normal)
        self.left_plane.SetOrigin(*eye)
        self.left_plane.SetNormal(*(-normal))
        s = max(height / 1000.0, 0.75)
        self.divider.set(
            [(x - 1.5 * s, 0, 3 * s, height), (x - 9 * s, height / 2 - 28 * s, 18 * s, 56 * s)],
            [(1, 1, 1), (1, 1, 1)],
        )
