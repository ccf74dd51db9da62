"""Reference-map features (kind ``topo``): one flat actor per layer, a cartographic palette.

Polygons are triangulated; lines become ribbons of their width on the ground (roads with a darker
casing under them); everything is coloured per cell by its category (:mod:`layers.topo.palette`)
and lies on the ground, or on the terrain when the scene has one (the base class drapes unlit
meshes). Themes are lifted by a few centimetres in map order (vegetation under water under roads)
so they never fight for the same pixels. The legend lists the categories drawn (alike ones as one
class: forests and woods), in the interface language: BD TOPO's own words in French, English
names where known.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vtkmodules.vtkRenderingCore import vtkActor

from layers.core.geometry import Polylines
from layers.topo.layer import TopoLayer
from layers.topo.palette import (
    OTHERS,
    ROAD_CASING_COLOR,
    ROAD_CASING_M,
    THEME_COLORS,
    category_color,
    category_label,
    legend_key,
    theme_title,
)
from layers.topo.themes import THEMES

from ..colors import indexed_lut, rgb
from ..legends import Legend
from .base import GROUND_Z, Visual, triangles_polydata
from .ribbons import ribbon_mesh

#: lift of each theme above the flat overlays' level, metres (map order, bottom first)
THEME_LIFT_M = {theme: 0.01 + 0.02 * i for i, theme in enumerate(THEMES)}
#: line themes are pulled towards the camera like streets, areas like flat vector features
LINE_THEMES = frozenset({"road", "rail", "hedge"})
#: railways: dashes of this length (m) in a light colour along the dark ribbon, as on a map
RAIL_DASH_M = 12.0
RAIL_DASH_COLOR = "#f4f1ea"
#: categories a legend lists at most (the rest are "other")
MAX_LEGEND_ENTRIES = 10


def dashes(lines: Polylines, dash_m: float) -> Polylines:
    """Every other piece of the polylines cut into pieces of at most ``dash_m`` metres, each piece
    a two-point polyline; ``owner`` is carried over. Vectorised."""
    import shapely

    if lines.count == 0:
        return lines
    line_of_point = np.repeat(np.arange(lines.count), np.diff(lines.offsets))
    geoms = shapely.segmentize(shapely.linestrings(lines.points[:, :2], indices=line_of_point), dash_m)
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    first = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    starts = np.flatnonzero(index[1:] == index[:-1])
    position = starts - first[np.searchsorted(first, starts, side="right") - 1]
    starts = starts[position % 2 == 0]
    points = np.empty((2 * len(starts), 2))
    points[0::2] = coords[starts]
    points[1::2] = coords[starts + 1]
    offsets = np.arange(0, 2 * len(starts) + 1, 2, dtype=np.int64)
    return Polylines(points, offsets, lines.owner[index[starts]])


def _rgb8(color: str) -> np.ndarray:
    return np.round(np.asarray(rgb(color)) * 255).astype(np.uint8)


class TopoVisual(Visual[TopoLayer]):
    layer_type = TopoLayer
    kind = "topo"
    unlit = True

    def build(self) -> None:
        self._legend: Legend | None = None
        self._owner = np.empty(0, np.int64)
        self.actor: vtkActor | None = None
        layer = self.layer
        style = layer.style
        categories = np.array([legend_key(layer.theme, c) for c in layer.categories()], dtype=object)
        shown = self._legend_categories(categories)
        colors = np.array(
            [_rgb8(self._color(c, shown)) for c in categories] or np.empty((0, 3)), dtype=np.uint8
        ).reshape(-1, 3)
        points: list[np.ndarray] = []
        triangles: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        cell_rgb: list[np.ndarray] = []
        z_parts: list[np.ndarray] = []
        base_z = GROUND_Z["vector"] + THEME_LIFT_M.get(layer.theme, 0.0)

        def add(pts: np.ndarray, tris: np.ndarray, owner: np.ndarray, z: float, fixed: str | None) -> None:
            offset = sum(len(p) for p in points)
            points.append(pts)
            triangles.append(tris + offset)
            owners.append(owner)
            z_parts.append(np.full(len(pts), z))
            cell_rgb.append(np.tile(_rgb8(fixed), (len(tris), 1)) if fixed else colors[owner])

        tris = layer.triangles()
        if len(tris.triangles):
            add(tris.points, tris.triangles, tris.owner, base_z, None)
        lines = layer.lines()
        if lines.count:
            width = layer.widths_m()[lines.owner] * style.width_factor
            if layer.theme == "road" and style.casing:
                pts, t, line = ribbon_mesh(lines, width + 2 * ROAD_CASING_M)
                add(pts, t, lines.owner[line], base_z - 0.005, ROAD_CASING_COLOR)
            pts, t, line = ribbon_mesh(lines, width)
            add(pts, t, lines.owner[line], base_z, None)
            if layer.theme == "rail":
                dash = dashes(lines, RAIL_DASH_M)
                dash_width = 0.4 * layer.widths_m()[dash.owner] * style.width_factor
                pts, t, line = ribbon_mesh(dash, dash_width)
                add(pts, t, dash.owner[line], base_z + 0.005, RAIL_DASH_COLOR)
        if not triangles:
            return
        self._owner = np.concatenate(owners)
        local = self.view.to_local(np.concatenate(points)[:, :2], z=np.concatenate(z_parts))
        mesh = triangles_polydata(local, np.concatenate(triangles))
        mesh.cell_data["rgb"] = np.concatenate(cell_rgb)
        mesh.cell_data["row"] = self._owner  # survives the drape's subdivision, for picking
        role = "streets" if layer.theme in LINE_THEMES else "vector"
        self.actor = self.add_polydata(mesh, scalars="rgb", rgb=True, depth_role=role)
        self._legend = self._make_legend(shown, categories)

    def _legend_categories(self, categories: np.ndarray) -> list[str]:
        """The categories the legend lists: the most frequent ones, at most
        :data:`MAX_LEGEND_ENTRIES` (one slot kept for "other" when some are left out)."""
        values, counts = np.unique(categories.astype(str), return_counts=True)
        order = [str(values[i]) for i in np.argsort(-counts, kind="stable")]
        if len(order) > MAX_LEGEND_ENTRIES:
            return order[: MAX_LEGEND_ENTRIES - 1]
        return order

    def _color(self, category: str, shown: list[str]) -> str:
        theme_color = self.layer.style.color or THEME_COLORS.get(self.layer.theme, "#cccccc")
        if category not in shown:
            return theme_color
        own = category_color(self.layer.theme, category)
        return theme_color if self.layer.style.color and own == THEME_COLORS.get(self.layer.theme) else own

    def _make_legend(self, shown: list[str], categories: np.ndarray) -> Legend:
        language = self.view.language
        colors = [self._color(c, shown) for c in shown]
        labels = [category_label(c, language) for c in shown]
        if len(shown) < len(set(categories.astype(str))):
            colors.append(self.layer.style.color or THEME_COLORS.get(self.layer.theme, "#cccccc"))
            labels.append(OTHERS[1] if language == "fr" else OTHERS[0])
            labels[-1] = labels[-1][:1].upper() + labels[-1][1:]
        if labels == [category_label("", language)]:  # nothing to tell apart: the theme alone
            labels = [theme_title(self.layer.theme, language)]
        lut = indexed_lut(colors, labels)
        return Legend(theme_title(self.layer.theme, language), lut, categorical=True)

    def legends(self) -> list[Legend]:
        return [self._legend] if self._legend is not None else []

    def pick_cell(self, actor: Any, cell_id: int) -> int | None:
        """The row of :attr:`TopoLayer.frame` drawn by cell ``cell_id`` (of the draped mesh too)."""
        if actor is not self.actor or self.actor is None:
            return None
        rows = self.actor.GetMapper().GetInput().GetCellData().GetArray("row")
        if rows is None or not 0 <= cell_id < rows.GetNumberOfTuples():
            return None
        return int(rows.GetTuple1(cell_id))
