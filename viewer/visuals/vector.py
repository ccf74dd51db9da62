"""Flat vector features (land use, parks, water, ground types): one actor, coloured by category.

Polygons are triangulated, lines drawn as 2 m ribbons, points as discs sized to the layer's extent
(seen at the scale of the whole layer), all in one mesh lying on the ground (or draped on the
terrain). The style (:class:`layers.vector.style.VectorStyle`) names the category
column (``color_by``, else the layer's guessed ``category_field``) or the plain ``color``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vtkmodules.vtkRenderingCore import vtkActor

from layers.vector.layer import VectorLayer

from ..colors import category_colors, indexed_lut
from ..labels import field_title
from ..legends import Legend
from .base import GROUND_Z, SELECTION_COLOR, Visual, triangles_polydata
from .ribbons import ribbon_mesh

#: categories shown at most (the others are drawn in the "no value" colour)
MAX_CATEGORIES = 24
#: width of line features, metres
LINE_WIDTH_M = 2.0
#: sides of the disc drawn for a point feature
POINT_SIDES = 12


def point_discs(xy: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """``(points, triangles)`` of a disc of ``radius`` (CRS units) around each (k, 2) point: the
    disc of point ``i`` is triangles ``i * POINT_SIDES`` to ``(i + 1) * POINT_SIDES - 1``."""
    angles = np.linspace(0.0, 2.0 * np.pi, POINT_SIDES, endpoint=False)
    ring = np.column_stack([np.cos(angles), np.sin(angles)]) * radius
    centres = np.asarray(xy, float).reshape(-1, 1, 2)
    points = np.concatenate([centres, centres + ring[None]], axis=1).reshape(-1, 2)
    base = (np.arange(len(centres)) * (POINT_SIDES + 1))[:, None]
    k = np.arange(POINT_SIDES)[None, :]
    triangles = np.stack([base + 0 * k, base + 1 + k, base + 1 + (k + 1) % POINT_SIDES], axis=-1)
    return points, triangles.reshape(-1, 3).astype(np.int64)


class VectorVisual(Visual[VectorLayer]):
    layer_type = VectorLayer
    kind = "vector"
    unlit = True

    #: the rows drawn as the selection (kept through a rebuild)
    _selected: np.ndarray | None = None

    def build(self) -> None:
        self._legend: Legend | None = None
        self._owner = np.empty(0, np.int64)
        self.actor: vtkActor | None = None
        self._selection_actor: vtkActor | None = None
        #: (origin-relative points, triangles) drawn, for the selection's subset
        self._mesh: tuple[np.ndarray, np.ndarray] | None = None
        tris = self.layer.triangles()
        lines = self.layer.lines()
        parts_points: list[np.ndarray] = []
        parts_tris: list[np.ndarray] = []
        parts_owner: list[np.ndarray] = []
        offset = 0
        if len(tris.triangles):
            parts_points.append(tris.points)
            parts_tris.append(tris.triangles)
            parts_owner.append(tris.owner)
            offset = len(tris.points)
        if lines.count:
            pts, t, owner_line = ribbon_mesh(lines, np.full(lines.count, LINE_WIDTH_M))
            parts_points.append(pts)
            parts_tris.append(t + offset)
            parts_owner.append(lines.owner[owner_line])
        xy, point_owner = self.layer.points_with_owner()
        if len(xy):
            xmin, ymin, xmax, ymax = self.layer.bounds()
            radius = float(np.clip(np.hypot(xmax - xmin, ymax - ymin) / 150.0, 2.0, 1000.0))
            pts, t = point_discs(xy, radius)
            parts_points.append(pts)
            parts_tris.append(t + sum(len(p) for p in parts_points[:-1]))
            parts_owner.append(np.repeat(point_owner, POINT_SIDES))
        if not parts_tris:
            return
        points = np.concatenate(parts_points)
        triangles = np.concatenate(parts_tris)
        self._owner = np.concatenate(parts_owner)
        local = self.view.to_local(points, z=GROUND_Z["vector"])
        mesh = triangles_polydata(local, triangles)
        self._mesh = (local, triangles)
        style = self.layer.style
        field = style.color_by or self.layer.category_field
        if field and field in self.layer.frame.columns:
            values = self.layer.frame[field].astype("string").fillna("").to_numpy(dtype=object)
            order = sorted({v for v in values if v})[:MAX_CATEGORIES]
            index = {c: i for i, c in enumerate(order)}
            per_feature = np.array([index.get(v, np.nan) for v in values], dtype=np.float64)
            lut = indexed_lut(category_colors(order), order)
            mesh.cell_data["category"] = per_feature[self._owner].astype(np.float32)
            self.actor = self.add_polydata(mesh, lut=lut, scalars="category")
            self._legend = Legend(field_title(field, language=self.view.language), lut, categorical=True)
        else:
            self.actor = self.add_polydata(mesh, color=style.color)
        self.highlight_rows(self._selected)

    def highlight_rows(self, rows: np.ndarray | None) -> None:
        """The selected rows' triangles (areas, line ribbons, point discs) in one actor over the layer."""
        self._selected = rows
        if self._selection_actor is not None:
            self.view.renderer.remove_actor(self._selection_actor, render=False)
            if self._selection_actor in self.actors:
                self.actors.remove(self._selection_actor)
            self._selection_actor = None
        if rows is None or not len(rows) or self._mesh is None:
            return
        cells = np.flatnonzero(np.isin(self._owner, rows))
        if len(cells):
            used, inverse = np.unique(self._mesh[1][cells], return_inverse=True)
            part = triangles_polydata(self._mesh[0][used], inverse.reshape(-1, 3))
            actor = self.add_polydata(part, color=SELECTION_COLOR, pickable=False)
            actor.GetMapper().SetRelativeCoincidentTopologyPolygonOffsetParameters(-2, -2)
            self._selection_actor = actor

    def legends(self) -> list[Legend]:
        return [self._legend] if self._legend is not None else []

    def pick_cell(self, actor: Any, cell_id: int) -> int | None:
        if actor is self.actor and 0 <= cell_id < len(self._owner):
            return int(self._owner[cell_id])
        return None
