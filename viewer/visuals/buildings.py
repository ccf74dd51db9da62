"""Buildings: one mesh for all of them, coloured by any attribute, filtered, fast on a big city.

The layer's mesh (extruded footprints or a city model's own surfaces) is drawn in a few spatial
tiles (one actor each, at most :data:`MAX_TILES`), so the renderer skips the tiles out of view and
the picker only searches the tiles the ray crosses (with a cell locator each, built once).
Faces are wound outward, so back faces are culled. On a terrain, each building stands on the
ground under it (:meth:`layers.buildings.layer.BuildingsLayer.seat_on`).

The style (:class:`layers.buildings.style.BuildingsStyle`) says the attribute that colours them
(``color_by``, with ``cmap`` and ``clim``) or their plain ``color``, and the ``filter``
(:mod:`layers.buildings.filters`: filtered-out buildings hidden, or drawn greyed in one more actor).
Buildings a planned project demolishes (:meth:`BuildingsLayer.standing` false) are not drawn; the
view rebuilds the visual when they change (the layer's ``geometry_changed``). The legend counts the
buildings shown. While the camera moves, :meth:`set_detail` swaps the tiles
for one flat roof per building (:func:`viewer.lod.box_roofs`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
import pyvista as pv
from vtkmodules.vtkRenderingCore import vtkActor, vtkProp

from layers.buildings import filters
from layers.buildings.layer import BuildingsLayer
from layers.buildings.mesh import BuildingMesh
from layers.buildings.style import DEFAULT_COLOR
from layers.core.base import Layer

from ..colors import category_colors, continuous_lut, indexed_lut, nice_ticks
from ..labels import field_title
from ..legends import Legend
from .base import SELECTION_COLOR, Visual, triangles_polydata

if TYPE_CHECKING:
    from vtkmodules.vtkCommonCore import vtkLookupTable
    from vtkmodules.vtkCommonDataModel import vtkPolyData, vtkStaticCellLocator

HIGHLIGHT_COLOR = "#1f8fff"
#: filtered-out buildings in "grey" mode
GREYED_COLOR = "#b9b9b9"
GREYED_OPACITY = 0.35
MAX_CATEGORIES = 30
#: triangles per tile, and the most tiles a layer is cut into
TILE_TRIANGLES = 250_000
MAX_TILES = 16
#: below this many triangles the full mesh is cheap enough to draw while moving
LOD_MIN_TRIANGLES = 300_000
#: a view wider than this (metres) draws merged blocks while moving, about this many across
FAR_VIEW_M = 1500.0
BLOCKS_ACROSS = 120


class BuildingsVisual(Visual[BuildingsLayer]):
    """All buildings in a handful of tile actors; see the module docstring."""

    layer_type: ClassVar[type[Layer[Any]]] = BuildingsLayer

    kind = "buildings"
    #: the rows drawn as the selection (kept through a rebuild)
    _selected: np.ndarray | None = None

    def build(self) -> None:
        from layers.terrain.layer import TerrainLayer

        layer = self.layer
        self._legend: Legend | None = None
        self._highlight_actor: vtkActor | None = None
        self._selection_actor: vtkActor | None = None
        #: stand-ins while moving, by kind ("roofs", "blocks 64"); None: nothing to draw
        self._coarse: dict[str, vtkActor | None] = {}
        self._coarse_actor: vtkActor | None = None
        self._detail = True
        self._locators: dict[int, vtkStaticCellLocator] = {}
        #: (actor, owner row of each cell) per tile
        self.tiles: list[tuple[vtkActor, np.ndarray]] = []
        self.grey_actor: vtkActor | None = None
        terrain = self.view.scene.terrain()
        #: (n,) height (m above the scene's reference) on which each row stands; None: flat ground
        self._ground: np.ndarray | None = None
        if isinstance(terrain, TerrainLayer):
            seated = layer.seat_on(terrain)
            self._ground = np.nan_to_num(seated - self.view.scene.ground_reference_m, nan=0.0)
        mesh = layer.mesh()
        self._mesh: BuildingMesh = mesh
        n = len(layer.height_m)
        self.mask = self._filter_mask(n)
        #: rows standing (not demolished by the planned project): the others are not drawn
        self.standing = layer.standing()
        self.row_values: np.ndarray | None = None
        self.lut: vtkLookupTable | None = None
        self._colour_kind: str | None = None
        self.actor: vtkActor | None = None
        if len(mesh.triangles) == 0:
            return
        local = self.local(mesh.points)
        point_owner = (
            mesh.point_owner if mesh.point_owner is not None else _point_owner(mesh, len(mesh.points))
        )
        if self._ground is not None:
            local[:, 2] += self._ground[point_owner].astype(np.float32)
        self._local = local
        self.row_values, self.lut, self._colour_kind = self._colouring(self.mask)
        group = _row_tiles(local, point_owner, mesh.owner, n, len(mesh.triangles))
        grey = len(np.unique(group))  # the group of filtered-out rows
        group = np.where(self.mask, group, grey).astype(np.int16)
        group[~self.standing] = grey + 1  # demolished: in no group drawn
        self._draw_groups(local, point_owner, group, grey)
        self.actor = self.tiles[0][0] if self.tiles else None
        self._selection_actor = self._rows_actor(None, self._selected, SELECTION_COLOR, -1)

    # -- drawing ------------------------------------------------------------------------------
    def _draw_groups(
        self, local: np.ndarray, point_owner: np.ndarray, row_group: np.ndarray, grey: int
    ) -> None:
        """One actor per tile of passing rows (and one for the greyed rows), points compacted."""
        mesh = self._mesh
        point_group = row_group[point_owner]
        point_order = np.argsort(point_group, kind="stable")
        new_index = np.empty(len(point_order), np.int64)
        new_index[point_order] = np.arange(len(point_order))
        point_bounds = np.searchsorted(point_group[point_order], np.arange(grey + 2))
        tri_group = row_group[mesh.owner]
        tri_order = np.argsort(tri_group, kind="stable")
        tri_bounds = np.searchsorted(tri_group[tri_order], np.arange(grey + 2))
        sorted_points = local[point_order]
        mode = self.layer.style.filter.mode
        for g in range(grey + 1):
            t0, t1 = tri_bounds[g], tri_bounds[g + 1]
            if t1 <= t0 or (g == grey and mode != "grey"):
                continue
            cells = tri_order[t0:t1]
            p0, p1 = point_bounds[g], point_bounds[g + 1]
            triangles = new_index[mesh.triangles[cells]] - p0
            owner = mesh.owner[cells]
            poly = triangles_polydata(sorted_points[p0:p1], triangles)
            if g == grey:
                actor = self.add_polydata(poly, color=GREYED_COLOR, pickable=False, **_surface())
                actor.GetProperty().SetOpacity(GREYED_OPACITY * self.layer.opacity)
                self.grey_actor = actor
                continue
            if self.row_values is not None:
                poly.cell_data["value"] = self.row_values[owner]
                actor = self.add_polydata(poly, lut=self.lut, scalars="value", **_surface())
            else:
                actor = self.add_polydata(poly, color=self.layer.style.color or DEFAULT_COLOR, **_surface())
            if self.layer.faces_outward:
                actor.GetProperty().BackfaceCullingOn()
            self.tiles.append((actor, owner))

    def actors_without(self, rows: np.ndarray) -> list[vtkProp] | None:
        """Copies of the tile actors less the cells of ``rows`` (same look: property, colours and
        shader settings shared with the tiles; the greyed rows are left out)."""
        copies: list[vtkProp] = []
        for actor, owner in self.tiles:
            keep = ~np.isin(owner, rows)
            if keep.all():
                copies.append(_actor_copy(actor, actor.GetMapper().GetInput()))
                continue
            if not keep.any():
                continue
            poly = pv.wrap(actor.GetMapper().GetInput())
            triangles = np.asarray(poly.faces).reshape(-1, 4)[keep, 1:]
            kept = triangles_polydata(np.asarray(poly.points), triangles)
            for name in poly.cell_data.keys():
                kept.cell_data[name] = np.asarray(poly.cell_data[name])[keep]
            copies.append(_actor_copy(actor, kept))
        return copies

    def _filter_mask(self, n: int) -> np.ndarray:
        try:
            return filters.filter_mask(self.layer, self.layer.style.filter)
        except KeyError as exc:
            note = f"filter ignored: {exc.args[0] if exc.args else exc}"
            if note not in self.layer.warnings:
                self.layer.warnings.append(note)
            return np.ones(n, bool)

    def _colouring(self, mask: np.ndarray) -> tuple[np.ndarray | None, vtkLookupTable | None, str | None]:
        """Per-row float32 scalars, the lookup table and the legend for the style's ``color_by``."""
        layer = self.layer
        field = layer.style.color_by
        shown, total = layer.count_features(mask), layer.count_features()
        count = f" · {shown}/{total}" if shown != total else ""
        if not field:
            return None, None, None
        kinds = layer.color_fields()
        if field not in kinds:
            note = f"cannot colour by {field!r}: no such field"
            if note not in layer.warnings:
                layer.warnings.append(note)
            return None, None, None
        values = layer.values(field)
        title = field_title(field, layer.unit(field), self.view.language) + count
        if kinds[field] == "numeric":
            values = np.asarray(values, dtype=np.float64)
            finite = values[np.isfinite(values) & mask]
            if not len(finite):
                finite = values[np.isfinite(values)]
            clim = layer.style.clim or numeric_limits(finite)
            lut = continuous_lut(layer.style.cmap, clim)
            self._legend = Legend(title, lut)
            return values.astype(np.float32), lut, "numeric"
        column = pd.Series(values, dtype=object)
        labels = column.where(column.notna(), "").astype(str).to_numpy(dtype=object)
        names, inverse = np.unique(labels, return_inverse=True)
        shown_of = np.bincount(inverse[mask], minlength=len(names))
        everywhere = np.bincount(inverse, minlength=len(names))
        lookup, lut = category_lut(names, everywhere, shown_of)
        self._legend = Legend(title, lut, categorical=True)
        return lookup[inverse], lut, "categorical"

    # -- level of detail ----------------------------------------------------------------------
    def set_detail(self, full: bool) -> None:
        """Full tiles at rest; while the camera moves, light stand-ins: one flat roof per building
        in a street view, merged city blocks in a far view (:mod:`viewer.lod`)."""
        if full == self._detail or sum(len(o) for _, o in self.tiles) < LOD_MIN_TRIANGLES:
            return
        self._detail = full
        visible = self.layer.visible
        chosen: vtkActor | None = None if full else self._coarse_for_view()
        for tile, _ in self.tiles:
            tile.SetVisibility(visible and full)
        if self.grey_actor is not None:
            self.grey_actor.SetVisibility(visible and full)
        for coarse in self._coarse.values():
            if coarse is not None:
                coarse.SetVisibility(visible and coarse is chosen)
        self._coarse_actor = chosen

    def _coarse_for_view(self) -> vtkActor | None:
        """The stand-in for the current camera (built once per kind and block size)."""
        camera = self.view.renderer.GetActiveCamera()
        extent = 2.0 * camera.GetDistance() * np.tan(np.radians(camera.GetViewAngle()) / 2.0)
        if extent <= FAR_VIEW_M:
            key = "roofs"
        else:
            cell = 2.0 ** np.round(np.log2(max(extent / BLOCKS_ACROSS, 8.0)))
            key = f"blocks {cell:g}"
        if key not in self._coarse:
            self._coarse[key] = self._build_coarse(key)
        return self._coarse[key]

    def _build_coarse(self, key: str) -> vtkActor | None:
        from ..lod import block_boxes, box_roofs

        layer = self.layer
        rows = np.flatnonzero(self.mask & self.standing)
        ground = self._ground[rows] if self._ground is not None else np.zeros(len(rows))
        geoms = np.asarray(layer.frame.geometry.values)[rows]
        top = layer.height_m[rows] + ground
        if key == "roofs":
            points, triangles, which = box_roofs(geoms, top)
            local, mean = self.local(points), None
        else:
            import shapely

            centres = self.local(shapely.get_coordinates(shapely.centroid(geoms)))
            numeric = self.row_values is not None and self._colour_kind == "numeric"
            points, triangles, which, mean = block_boxes(
                centres[:, :2].astype(np.float64),
                shapely.area(geoms),
                ground,
                top,
                float(key.split()[1]),
                self.row_values[rows] if numeric and self.row_values is not None else None,
            )
            local = points.astype(np.float32)
        if len(triangles) == 0:
            return None
        poly = triangles_polydata(local, triangles)
        if self.row_values is not None:
            poly.cell_data["value"] = (
                mean if key != "roofs" and mean is not None else self.row_values[rows[which]]
            ).astype(np.float32)
            actor = self.add_polydata(poly, lut=self.lut, scalars="value", pickable=False, **_surface())
        else:
            actor = self.add_polydata(
                poly, color=layer.style.color or DEFAULT_COLOR, pickable=False, **_surface()
            )
        actor.GetProperty().BackfaceCullingOn()
        actor.SetVisibility(False)
        return actor

    def _on_visible(self, visible: bool) -> None:
        super()._on_visible(visible)
        for actor in self._coarse.values():
            if actor is not None:
                actor.SetVisibility(visible and not self._detail and actor is self._coarse_actor)
        for actor, _ in self.tiles:
            actor.SetVisibility(visible and self._detail)

    def _on_opacity(self, opacity: float) -> None:
        super()._on_opacity(opacity)
        if self.grey_actor is not None:
            self.grey_actor.GetProperty().SetOpacity(GREYED_OPACITY * opacity)

    # -- what the scene view asks ---------------------------------------------------------------
    def legends(self) -> list[Legend]:
        return [self._legend] if self._legend is not None else []

    def pick_cell(self, actor: vtkProp, cell_id: int) -> int | None:
        for tile, owner in self.tiles:
            if actor is tile and 0 <= cell_id < len(owner):
                return int(owner[cell_id])
        return None

    def pick_locators(self) -> list[vtkStaticCellLocator]:
        """A static cell locator per tile (built on first use), for fast picking."""
        from vtkmodules.vtkCommonDataModel import vtkStaticCellLocator

        out: list[vtkStaticCellLocator] = []
        for actor, _ in self.tiles:
            key = id(actor)
            if key not in self._locators:
                locator = vtkStaticCellLocator()
                locator.SetDataSet(actor.GetMapper().GetInput())
                locator.BuildLocator()
                self._locators[key] = locator
            out.append(self._locators[key])
        return out

    def highlight(self, index: int | None) -> None:
        rows = None if index is None else self.layer.feature_rows(int(index))
        self._highlight_actor = self._rows_actor(self._highlight_actor, rows, HIGHLIGHT_COLOR, -2)

    def highlight_rows(self, rows: np.ndarray | None) -> None:
        """Draw the selected rows ``rows`` in one more actor (``None`` or empty: none)."""
        self._selected = rows
        self._selection_actor = self._rows_actor(self._selection_actor, rows, SELECTION_COLOR, -1)

    def _rows_actor(
        self, old: vtkActor | None, rows: np.ndarray | None, color: str, offset: int
    ) -> vtkActor | None:
        """The cells of ``rows`` as one actor of ``color`` drawn over the tiles, in place of ``old``;
        ``offset``: its depth offset (the more negative, the nearer: the picked building's blue over
        the selection's yellow)."""
        if old is not None:
            self.view.renderer.remove_actor(old, render=False)
            if old in self.actors:
                self.actors.remove(old)
        if rows is None or len(rows) == 0 or self._mesh is None or len(self._mesh.triangles) == 0:
            return None
        cells = np.flatnonzero(np.isin(self._mesh.owner, rows))
        if len(cells) == 0:
            return None
        triangles = self._mesh.triangles[cells]
        used, inverse = np.unique(triangles, return_inverse=True)
        part = triangles_polydata(self._local[used], inverse.reshape(-1, 3))
        actor = self.add_polydata(part, color=color, pickable=False, **_surface())
        actor.GetMapper().SetRelativeCoincidentTopologyPolygonOffsetParameters(offset, offset)
        return actor

    def ground_offset(self, row: int) -> float:
        """Height (m, above the scene's reference) on which row ``row`` stands: 0 on flat ground."""
        return float(self._ground[int(row)]) if self._ground is not None else 0.0

    def triangle_count(self) -> int:
        return int(sum(len(owner) for _, owner in self.tiles))


def category_lut(
    names: np.ndarray, everywhere: np.ndarray, shown: np.ndarray
) -> tuple[np.ndarray, vtkLookupTable]:
    """The colours of the categories ``names`` (text, ``""``: none) of a layer: (len(names),)
    float32 entry of each in the lookup table (NaN: not coloured), and the table, labelled with
    the ``shown`` counts. Colours follow the categories' frequency ``everywhere`` (the whole layer,
    so a filter never recolours); the :data:`MAX_CATEGORIES` most frequent are coloured, and only
    the shown ones listed."""
    ranked = [i for i in np.argsort(-everywhere, kind="stable") if names[i] != ""][:MAX_CATEGORIES]
    colour_of = dict(zip(ranked, category_colors([names[i] for i in ranked])))
    order = [i for i in ranked if shown[i] > 0]
    lookup = np.full(len(names), np.nan, np.float32)
    lookup[order] = np.arange(len(order), dtype=np.float32)
    lut = indexed_lut([colour_of[i] for i in order], [f"{names[i]} ({shown[i]})" for i in order])
    return lookup, lut


def _point_owner(mesh: BuildingMesh, count: int) -> np.ndarray:
    owner = np.zeros(count, np.int64)
    owner[mesh.triangles.reshape(-1)] = np.repeat(mesh.owner, 3)
    return owner


def _row_tiles(
    local: np.ndarray, point_owner: np.ndarray, tri_owner: np.ndarray, n: int, triangles: int
) -> np.ndarray:
    """(n,) tile of each row: a square grid over the rows' centres, about :data:`TILE_TRIANGLES`
    triangles per tile, at most :data:`MAX_TILES` tiles."""
    tiles = int(min(MAX_TILES, max(1, round(triangles / TILE_TRIANGLES))))
    if tiles <= 1 or n == 0:
        return np.zeros(n, np.int64)
    side = int(np.ceil(np.sqrt(tiles)))
    counts = np.maximum(np.bincount(point_owner, minlength=n), 1)
    cx = np.bincount(point_owner, weights=local[:, 0], minlength=n) / counts
    cy = np.bincount(point_owner, weights=local[:, 1], minlength=n) / counts
    # quantile edges, so that tiles hold similar numbers of buildings however the city is spread
    ex = np.quantile(cx, np.linspace(0, 1, side + 1)[1:-1])
    ey = np.quantile(cy, np.linspace(0, 1, side + 1)[1:-1])
    tile = np.searchsorted(ex, cx) * side + np.searchsorted(ey, cy)
    _, compact = np.unique(tile, return_inverse=True)
    return compact.astype(np.int64)


def numeric_limits(values: np.ndarray) -> tuple[float, float]:
    """Colour limits for a building attribute: its whole range, on round numbers.

    The whole range (not percentiles) on purpose: the few towers are what a height map must show.
    Heights start at 0 so colours read as proportions.
    """
    if len(values) == 0:
        return 0.0, 1.0
    lo, hi = float(values.min()), float(values.max())
    if lo >= 0 and hi > 0 and lo < 0.5 * hi:
        lo = 0.0
    ticks = nice_ticks(lo, hi, 6)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else max(hi - lo, 1.0)
    return float(np.floor(lo / step) * step), float(np.ceil(hi / step) * step)


def _surface() -> dict[str, Any]:
    return {"Ambient": 0.28, "Diffuse": 0.78, "Specular": 0.0}


def _actor_copy(actor: vtkActor, polydata: vtkPolyData) -> vtkActor:
    """A new actor drawing ``polydata`` like ``actor`` does (the mapper's colouring copied, the
    property and shader property shared), without ``actor``'s clipping planes."""
    from vtkmodules.vtkCommonDataModel import vtkPlaneCollection
    from vtkmodules.vtkRenderingCore import vtkPolyDataMapper

    source = actor.GetMapper()
    mapper = vtkPolyDataMapper()  # the OpenGL one, as the tiles' (a factory override)
    mapper.ShallowCopy(source)
    mapper.SetClippingPlanes(vtkPlaneCollection())
    mapper.SetInputData(polydata)
    copy = vtkActor()
    copy.ShallowCopy(actor)
    copy.SetMapper(mapper)
    copy.SetShaderProperty(actor.GetShaderProperty())
    return copy
