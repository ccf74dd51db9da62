"""Streets: flat ribbons whose width and colour follow the traffic.

* Daily traffic (TMJA, AADF...): one ribbon per street, wider and redder with more traffic; the
  busier street is drawn on top where ribbons overlap.
* Traffic per direction (``tmja_sens1`` / ``tmja_sens2``...): two ribbons side by side, each on
  the right of its direction of travel, each with its own width and colour.
* One-way streets: white arrows along the ribbon point the way.
* Counters on the network (a sensor layer of counts in the scene, or the one named by the style's
  ``counters``): the piece of street around each counter is drawn over the daily traffic,
  coloured like the counter's column (same palette and range, so the counters' legend explains
  both) by its count at the clock time; two counters of one street (both directions) are two
  offset ribbons, shown while the counters' layer is visible.

The style is a :class:`layers.streets.style.StreetsStyle` (``cmap``, ``clim``, ``color``,
``counters``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pyvista as pv
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor, vtkGlyph3DMapper, vtkProp

from layers.core.geometry import Polylines
from layers.sensors.layer import SensorLayer
from layers.streets.layer import StreetsLayer
from layers.streets.style import AUTO_COUNTERS

from ..colors import continuous_lut
from ..labels import field_title
from ..legends import Legend
from ..words import say
from .base import GROUND_Z, Visual, apply_depth_pull, triangles_polydata
from .glyphs import lut_table
from .ribbons import doubled, points_along, ribbon_mesh

if TYPE_CHECKING:
    from vtkmodules.vtkCommonCore import vtkLookupTable

    from layers.streets.counters import CounterLinks

#: ribbon widths in metres: quiet street .. busiest street
MIN_WIDTH_M, MAX_WIDTH_M = 3.0, 16.0
#: gap between the two ribbons of a street with traffic per direction (metres)
DIRECTION_GAP_M = 1.0
#: one arrow every this many metres along one-way streets
ARROW_SPACING_M = 70.0
#: counted pieces of street: width (m) from no count to the busiest count
COUNTED_MIN_M, COUNTED_MAX_M = 6.0, 18.0


class StreetsVisual(Visual[StreetsLayer]):
    layer_type = StreetsLayer
    kind = "streets"
    unlit = True

    #: the counted pieces of street: their actor (None: no counters linked) and the links
    _counted_actor: vtkActor | None = None
    _links: CounterLinks | None = None
    #: the sensors layer whose counts colour the pieces
    _counter_layer: SensorLayer | None = None
    #: listening to the scene's layers (a layer of counters may come or go)
    _connected: bool = False

    def build(self) -> None:
        layer = self.layer
        style = layer.style
        lines = layer.lines()
        self._lines = lines
        flows = np.asarray(layer.flows, dtype=np.float64)
        along = layer.flows_along
        against = layer.flows_against
        directional = (
            along is not None
            and against is not None
            and bool(np.isfinite(along).any() or np.isfinite(against).any())
        )
        if directional:
            # one ribbon per direction: traffic along the drawing direction on its right
            flow_of_line = np.concatenate(
                [np.asarray(along, float)[lines.owner], np.asarray(against, float)[lines.owner]]
            )
            ribbon_lines = doubled(lines)
        else:
            ribbon_lines = lines
            flow_of_line = flows[lines.owner] if len(flows) else np.full(lines.count, np.nan)
        finite = flow_of_line[np.isfinite(flow_of_line)]
        self._legend: Legend | None = None
        if len(finite):
            hi = float(np.percentile(finite, 99)) or 1.0
            width = MIN_WIDTH_M + (MAX_WIDTH_M - MIN_WIDTH_M) * np.sqrt(
                np.clip(np.nan_to_num(flow_of_line, nan=0.0) / hi, 0, 1)
            )
        else:
            width = np.full(ribbon_lines.count, MIN_WIDTH_M + 1.0)
        offset = None
        if directional:
            count = lines.count
            width = width * 0.6
            offset = np.concatenate(
                [-(width[:count] / 2 + DIRECTION_GAP_M / 2), width[count:] / 2 + DIRECTION_GAP_M / 2]
            )
        points, triangles, owner_line = ribbon_mesh(ribbon_lines, width, offset)
        self._feature = ribbon_lines.owner[owner_line]
        local = self.local(points)
        if len(triangles):
            # where ribbons overlap (crossings, bends) the busier street is drawn on top: a lift of a
            # few centimetres by traffic rank, so equal depths never fight
            rank = np.argsort(np.argsort(np.nan_to_num(flow_of_line, nan=-1.0))) / max(
                ribbon_lines.count - 1, 1
            )
            point_line = np.repeat(np.arange(ribbon_lines.count), np.diff(ribbon_lines.offsets))
            local[:, 2] = GROUND_Z["streets"] + 0.12 * np.repeat(rank[point_line], 2)
        mesh = triangles_polydata(local, triangles)
        self.polydata = mesh
        if len(finite):
            clim = style.clim or (0.0, float(np.percentile(finite, 98)))
            lut = continuous_lut(style.cmap, clim)
            mesh.cell_data["flow"] = flow_of_line[owner_line].astype(np.float32)
            self.actor = self.add_polydata(mesh, lut=lut, scalars="flow")
            field = layer.flow_field or "flux"
            title = field_title(field.split("+")[0], layer.flow_unit, self.view.language)
            if directional:
                title += " – " + say("per direction", self.view.language)
            self._legend = Legend(title, lut)
        else:
            self.actor = self.add_polydata(mesh, color=style.color)
        self._build_arrows(lines)
        # counters on the network, coloured at the clock time
        self.view.scene.layer_added.connect(self._on_scene_layers)
        self.view.scene.layer_removed.connect(self._on_scene_layers)
        self._connected = True
        self._attach_counters()

    def local(self, points: np.ndarray) -> np.ndarray:
        return self.view.to_local(points, z=GROUND_Z["streets"])

    # -- one-way arrows ----------------------------------------------------------------------
    def _build_arrows(self, lines: Polylines) -> None:
        self.arrows_actor: vtkProp | None = None
        oneway = self.layer.oneway
        if oneway is None or not len(lines.owner):
            return
        code = np.asarray(oneway)[lines.owner]
        keep = np.flatnonzero(code != 0)
        if not len(keep):
            return
        where, direction, owner = points_along(lines, keep, ARROW_SPACING_M)
        if not len(where):
            return
        direction = direction * code[owner][:, None]
        data = vtkPolyData()
        vtk_points = vtkPoints()
        local = self.view.to_local(where, z=GROUND_Z["streets"] + 0.3)
        vtk_points.SetData(numpy_to_vtk(np.ascontiguousarray(local, dtype=np.float32), deep=True))
        data.SetPoints(vtk_points)
        vectors = np.zeros((len(direction), 3), np.float32)
        vectors[:, :2] = direction
        array = numpy_to_vtk(vectors, deep=True)
        array.SetName("direction")
        data.GetPointData().AddArray(array)
        # a flat chevron pointing along +x, 5 m long
        chevron = pv.PolyData(
            np.array([[2.5, 0, 0], [-2.5, 2.2, 0], [-1.2, 0, 0], [-2.5, -2.2, 0]], float),
            faces=np.array([3, 0, 1, 2, 3, 0, 2, 3]),
        )
        mapper = vtkGlyph3DMapper()
        mapper.SetInputData(data)
        mapper.SetSourceData(chevron)
        mapper.SetOrientationArray("direction")
        mapper.SetOrientationModeToDirection()
        mapper.ScalingOff()
        mapper.ScalarVisibilityOff()
        apply_depth_pull(mapper, "transit")
        actor = vtkActor()
        actor.SetMapper(mapper)
        prop = actor.GetProperty()
        prop.SetColor(1.0, 1.0, 1.0)
        prop.LightingOff()
        actor.SetPickable(False)
        self.arrows_actor = self.add_actor(actor)

    # -- counters -----------------------------------------------------------------------------
    def _counter_source(self) -> SensorLayer | None:
        """The sensor layer of counts whose readings colour the streets, or ``None``."""
        wanted = self.layer.style.counters
        if self.layer.style.counters_off:
            return None
        for layer in self.view.scene.layers:
            if (
                isinstance(layer, SensorLayer)
                and layer.is_count
                and (wanted == AUTO_COUNTERS or wanted in (layer.name, layer.project_id))
            ):
                return layer
        return None

    def _on_scene_layers(self, *_: Any) -> None:
        if self._counter_source() is not self._counter_layer:
            self._attach_counters()
            time = self.view.scene.clock.time
            if time is not None:
                self.set_time(time)
            self.view.request_render()

    def _attach_counters(self) -> None:
        from layers.streets.counters import link_counters

        if self._counted_actor is not None:
            self.view.renderer.remove_actor(self._counted_actor, render=False)
            self.actors.remove(self._counted_actor)
            self._counted_actor = None
        if self._counter_layer is not None:
            self._counter_layer.visible_changed.disconnect(self._on_counter_visible)
        self._counter_layer = source = self._counter_source()
        self._links = None
        if (
            source is None
            or source.crs is None
            or self.layer.crs is None
            or not source.crs.equals(self.layer.crs)
        ):
            return
        links = link_counters(self.layer, source)
        if not links.count:
            return
        self._links = links
        source.visible_changed.connect(self._on_counter_visible)
        from .sensors import sensor_colors

        self._counter_lut: vtkLookupTable
        self._counter_lut, self._counter_clim = sensor_colors(source)
        self._counter_table = lut_table(self._counter_lut)
        self._counted_mesh = pv.PolyData()
        self._counted_actor = self.add_polydata(
            self._counted_mesh, scalars="rgba", rgb=True, depth_role="transit", pickable=False
        )
        self._counted_actor.SetVisibility(self.layer.visible and source.visible)

    def _on_counter_visible(self, visible: bool) -> None:
        if self._counted_actor is not None:
            self._counted_actor.SetVisibility(self.layer.visible and visible)
            self.view.request_render()

    def _on_visible(self, visible: bool) -> None:
        super()._on_visible(visible)
        if self._counted_actor is not None and self._counter_layer is not None:
            self._counted_actor.SetVisibility(visible and self._counter_layer.visible)

    def set_time(self, t: datetime) -> None:
        links = self._links
        source = self._counter_layer
        if links is None or source is None or self._counted_actor is None:
            return
        from layers.streets.counters import counts_at

        # how far the clock moves per replayed frame, as the counters' own columns read it
        advance_s = self.view.scene.clock.frame_step_s
        counts = counts_at(source, links, t, advance_s)
        lo, hi = self._counter_clim
        finite = np.isfinite(counts)
        norm = np.clip((np.where(finite, counts, lo) - lo) / ((hi - lo) or 1.0), 0, 1)
        pieces = links.pieces
        width = np.where(
            finite, COUNTED_MIN_M + (COUNTED_MAX_M - COUNTED_MIN_M) * np.sqrt(norm), COUNTED_MIN_M * 0.7
        )[pieces.owner]
        offset = (links.side * (COUNTED_MAX_M / 2 + 1.0))[pieces.owner].astype(float)
        points, triangles, owner = ribbon_mesh(pieces, width, offset)
        rgba = self._counter_table[
            np.clip((norm * len(self._counter_table)).astype(np.int64), 0, len(self._counter_table) - 1)
        ].copy()
        rgba[~finite] = (150, 150, 150, 255)
        mesh = triangles_polydata(self.view.to_local(points, z=GROUND_Z["streets"] + 0.25), triangles)
        if len(triangles):
            mesh.cell_data["rgba"] = rgba[pieces.owner[owner]]
        self._counted_mesh.copy_from(mesh) if len(triangles) else self._counted_mesh.copy_from(pv.PolyData())
        self._counted_mesh.Modified()

    def remove_actors(self) -> None:
        if self._connected:
            self.view.scene.layer_added.disconnect(self._on_scene_layers)
            self.view.scene.layer_removed.disconnect(self._on_scene_layers)
            self._connected = False
        if self._counter_layer is not None:
            self._counter_layer.visible_changed.disconnect(self._on_counter_visible)
            self._counter_layer = None
        self._counted_actor = None
        super().remove_actors()

    def legends(self) -> list[Legend]:
        return [self._legend] if self._legend is not None else []

    def pick_cell(self, actor: vtkProp, cell_id: int) -> int | None:
        if actor is self.actor and 0 <= cell_id < len(self._feature):
            return int(self._feature[cell_id])
        return None

    def attributes(self, index: int) -> dict[str, Any]:
        info = dict(self.layer.attributes(index))
        if self._links is not None and self._counter_layer is not None:
            mine = np.flatnonzero(self._links.street == index)
            time = self.view.scene.clock.time
            if len(mine) and time is not None:
                from layers.streets.counters import counts_at

                counts = counts_at(self._counter_layer, self._links, time)
                unit = self._counter_layer.unit
                counter, no_reading = (
                    say("counter", self.view.language),
                    say("no reading", self.view.language),
                )
                for k in mine:
                    name = self._counter_layer.names[self._links.sensor[k]]
                    value = counts[k]
                    info[f"{counter} {name}"] = (
                        f"{value:.0f} {unit}".strip() if np.isfinite(value) else no_reading
                    )
        return info
