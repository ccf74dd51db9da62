"""The planned project in the view: its buildings drawn as buildings, with roofs, and its selection.

:class:`PlanVisual` is the buildings visual (tiles, picking, colours, stand-ins while moving) for a
:class:`~layers.plan.layer.PlanLayer`: the walls and roofs of :meth:`PlanLayer.mesh`, in the
planned project's orange, no legend. A plan is a few dozen buildings, so after an edit (the layer's
``geometry_changed``, followed by :class:`viewer.scene_view.SceneView`) it is simply built again,
keeping the selection. A pick gives the row; :meth:`PlanVisual.building_id` its building's id.
The editing tools show what they act on with :meth:`PlanVisual.select`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
from vtkmodules.vtkRenderingCore import vtkActor

from layers.plan.layer import PlanLayer

from ..legends import Legend
from .base import triangles_polydata
from .buildings import BuildingsVisual, _surface

if TYPE_CHECKING:
    from ..context import ViewContext

#: the selected planned buildings: their orange lightened, and their edges in a strong blue
SELECTION_COLOR = "#ffe08a"
SELECTION_EDGE_COLOR = "#1f6fff"
SELECTION_OPACITY = 0.45


class PlanVisual(BuildingsVisual):
    """The buildings of the plan's active variant, walls and roofs, and the ones selected."""

    layer_type = PlanLayer
    layer: PlanLayer

    def __init__(self, layer: PlanLayer, view: ViewContext) -> None:
        super().__init__(layer, view)
        #: ids of the buildings shown as selected (kept when the visual is built again)
        self.selected: frozenset[str] = frozenset()
        self._selection_actors: list[vtkActor] = []

    def build(self) -> None:
        self._selection_actors = []
        super().build()
        self._draw_selection()

    def legends(self) -> list[Legend]:
        """None: the planned project is named in the layer list, its figures in their panel."""
        return []

    def building_id(self, row: int) -> str:
        """The id of the building drawn at ``row`` (what a pick gives)."""
        return self.layer.building_at_row(row).id

    def select(self, ids: Iterable[str]) -> None:
        """Show the buildings ``ids`` as selected (an empty list clears); ids the variant does not
        have are ignored."""
        self.selected = frozenset(ids)
        self._draw_selection()
        self.view.request_render()

    def selected_rows(self) -> np.ndarray:
        """Rows of the selected buildings in the variant shown."""
        rows = [self.layer.row_of(ident) for ident in sorted(self.selected)]
        return np.array([r for r in rows if r is not None], np.int64)

    def _on_opacity(self, opacity: float) -> None:
        super()._on_opacity(opacity)
        if self._selection_actors:  # the selection stays see-through over its building
            self._selection_actors[0].GetProperty().SetOpacity(SELECTION_OPACITY * opacity)

    def _draw_selection(self) -> None:
        for actor in self._selection_actors:
            self.view.renderer.remove_actor(actor, render=False)
            if actor in self.actors:
                self.actors.remove(actor)
        self._selection_actors = []
        rows = self.selected_rows()
        mesh = self._mesh
        if not len(rows) or mesh is None or not len(mesh.triangles):
            return
        cells = np.flatnonzero(np.isin(mesh.owner, rows))
        triangles = mesh.triangles[cells]
        used, inverse = np.unique(triangles, return_inverse=True)
        part = triangles_polydata(self._local[used], inverse.reshape(-1, 3))
        surface = self.add_polydata(part, color=SELECTION_COLOR, pickable=False, **_surface())
        surface.GetProperty().SetOpacity(SELECTION_OPACITY * self.layer.opacity)
        surface.GetMapper().SetRelativeCoincidentTopologyPolygonOffsetParameters(-2, -2)
        edges = part.extract_feature_edges(
            feature_angle=20.0, boundary_edges=True, non_manifold_edges=False, manifold_edges=False
        )
        outline = self.add_polydata(edges, color=SELECTION_EDGE_COLOR, pickable=False)
        outline.GetProperty().LightingOff()
        outline.GetProperty().SetLineWidth(3.0)
        outline.GetMapper().SetRelativeCoincidentTopologyLineOffsetParameters(-2, -2)
        self._selection_actors = [surface, outline]
