"""Flat vector features (land use, parks, water, ground types): one actor, coloured by category."""

from __future__ import annotations

from typing import Any

import numpy as np

from layers.vector.layer import VectorLayer

from ..colors import category_colors, indexed_lut
from ..labels import field_title
from ..legends import Legend
from .base import GROUND_Z, Visual, triangles_polydata
from .ribbons import ribbon_mesh

PLAIN_COLOR = "#cfd8c4"
MAX_CATEGORIES = 24


class VectorVisual(Visual):
    layer_type = VectorLayer
    kind = "vector"
    unlit = True

    def build(self) -> None:
        self._legend = None
        self._owner = np.empty(0, np.int64)
        self.actor = None
        tris = self.layer.triangles()
        lines = self.layer.lines()
        parts_points, parts_tris, parts_owner = [], [], []
        offset = 0
        if len(tris.triangles):
            parts_points.append(tris.points)
            parts_tris.append(tris.triangles)
            parts_owner.append(tris.owner)
            offset = len(tris.points)
        if lines.count:
            pts, t, owner_line = ribbon_mesh(lines, np.full(lines.count, 2.0))
            parts_points.append(pts)
            parts_tris.append(t + offset)
            parts_owner.append(lines.owner[owner_line])
        if not parts_tris:
            return
        points = np.concatenate(parts_points)
        triangles = np.concatenate(parts_tris)
        self._owner = np.concatenate(parts_owner)
        mesh = triangles_polydata(self.view.to_local(points, z=GROUND_Z["vector"]), triangles)
        field = self.layer.style.get("color_by") or getattr(self.layer, "category_field", None)
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
            self.actor = self.add_polydata(mesh, color=self.layer.style.get("color", PLAIN_COLOR))

    def legends(self) -> list[Legend]:
        return [self._legend] if self._legend is not None else []

    def pick_cell(self, actor: Any, cell_id: int) -> int | None:
        if actor is self.actor and 0 <= cell_id < len(self._owner):
            return int(self._owner[cell_id])
        return None
