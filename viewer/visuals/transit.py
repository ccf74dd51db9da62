"""Public transport: routes in their colours, stops, and vehicles moving by the timetable.

Routes and stops are drawn in screen pixels (lines a few pixels wide, stops as dots), so a whole
network reads at the city scale as well as at the street scale. Vehicles are pucks in their
route's colour on a white rim; their size is set in screen space before every render (about
:data:`VEHICLE_RADIUS_PX` pixels at a 1000-pixel-high window, never smaller than a bus,
:data:`VEHICLE_MIN_RADIUS_M`), so they stay readable from the district view down to a street.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import numpy as np
import pyvista as pv
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper

from layers.core import timeutil
from layers.transit.layer import TransitLayer

from ..colors import rgb
from ..words import say
from .base import GROUND_Z, Visual, apply_depth_pull
from .glyphs import GlyphCloud

ROUTE_WIDTH_PX = 4.0
CASING_RGB = (1.0, 1.0, 1.0)
STOP_SIZE_PX = 7.0
#: vehicle puck radius in pixels for a 1000-pixel-high window, and its floor in metres
VEHICLE_RADIUS_PX = 15.0
VEHICLE_MIN_RADIUS_M = 6.0
RIM_RGB = (255, 255, 255)
STOP_COLOR = "#37474f"


def _polylines_polydata(points: np.ndarray, offsets: np.ndarray) -> vtkPolyData:
    """A vtkPolyData of line strips (one per polyline) from (P, 3) points and (L+1,) offsets."""
    data = vtkPolyData()
    vtk_points = vtkPoints()
    vtk_points.SetData(numpy_to_vtk(np.ascontiguousarray(points, dtype=np.float32), deep=True))
    data.SetPoints(vtk_points)
    connectivity = np.arange(len(points), dtype=np.int64)
    cells = vtkCellArray()
    cells.SetData(
        numpy_to_vtk(np.asarray(offsets, dtype=np.int64), deep=True), numpy_to_vtk(connectivity, deep=True)
    )
    data.SetLines(cells)
    return data


class TransitVisual(Visual[TransitLayer]):
    layer_type = TransitLayer
    kind = "transit"
    unlit = True
    #: the renderer observer sizing the pucks before each render (``None`` before :meth:`build`)
    _observer: int | None = None

    def build(self) -> None:
        layer = self.layer
        routes = layer.routes
        colors = np.array(
            [[int(round(c * 255)) for c in rgb(color)] for color in routes["color"]], dtype=np.uint8
        ).reshape(-1, 3)
        self._route_rgb = colors
        lines = layer.route_lines()
        self.routes_actor: vtkActor | None = None
        if lines.count:
            # a white casing under each coloured line sets routes apart from what lies below
            casing = _polylines_polydata(
                self.view.to_local(lines.points, z=GROUND_Z["transit"]), lines.offsets
            )
            self._line_actor(casing, width=ROUTE_WIDTH_PX + 3.0, color=CASING_RGB)
            data = _polylines_polydata(
                self.view.to_local(lines.points, z=GROUND_Z["transit"] + 0.25), lines.offsets
            )
            array = numpy_to_vtk(np.ascontiguousarray(colors[lines.owner]), deep=True)
            array.SetName("rgb")
            data.GetCellData().SetScalars(array)
            self.routes_actor = self._line_actor(data, width=ROUTE_WIDTH_PX)
        stops = self.view.to_local(np.asarray(layer.stops_xy), z=GROUND_Z["transit"] + 0.3)
        self._stops_local = stops
        stop_cloud = pv.PolyData(stops)
        self.stops_actor = self.add_polydata(
            stop_cloud, color=STOP_COLOR, pickable=False, lit=False, depth_role="streets"
        )
        prop = self.stops_actor.GetProperty()
        prop.SetRepresentationToPoints()
        prop.SetRenderPointsAsSpheres(True)
        prop.SetPointSize(STOP_SIZE_PX)
        # a vehicle: a coloured puck on a slightly larger white rim (unit radius, scaled per render)
        puck = pv.Cylinder(
            center=(0, 0, 0.9), direction=(0, 0, 1), radius=1.0, height=0.6, resolution=28
        ).triangulate()
        rim = pv.Cylinder(
            center=(0, 0, 0.4), direction=(0, 0, 1), radius=1.35, height=0.6, resolution=28
        ).triangulate()
        self.rims = GlyphCloud(rim, np.empty((0, 3)))
        self.vehicles = GlyphCloud(puck, np.empty((0, 3)))
        for cloud, ambient in ((self.rims, 0.9), (self.vehicles, 0.6)):
            cloud.actor.GetProperty().SetAmbient(ambient)
            cloud.actor.GetProperty().SetDiffuse(0.5)
            cloud.actor.SetPickable(False)
            self.add_actor(cloud.actor)
        self.vehicle_count = 0
        self._vehicle_points = np.empty((0, 3), np.float32)
        self._observer = self.view.renderer.AddObserver("StartEvent", self._rescale)

    def _line_actor(
        self, data: vtkPolyData, *, width: float, color: tuple[float, float, float] | None = None
    ) -> vtkActor:
        mapper = vtkPolyDataMapper()
        mapper.SetInputData(data)
        if color is None:
            mapper.SetColorModeToDirectScalars()
            mapper.SetScalarModeToUseCellData()
        else:
            mapper.ScalarVisibilityOff()
        apply_depth_pull(mapper, "transit")
        actor = vtkActor()
        actor.SetMapper(mapper)
        prop = actor.GetProperty()
        prop.SetLineWidth(width)
        prop.LightingOff()
        if color is not None:
            prop.SetColor(*color)
        actor.SetPickable(False)
        self.add_actor(actor)
        return actor

    def remove_actors(self) -> None:
        if self._observer is not None:
            self.view.renderer.RemoveObserver(self._observer)
            self._observer = None
        super().remove_actors()

    def set_time(self, t: datetime) -> None:
        xy, route_row, _trips = self.layer.vehicles_at(t)
        points = self.view.to_local(np.asarray(xy).reshape(-1, 2), z=GROUND_Z["transit"])
        n = len(points)
        rgba = np.full((n, 4), 255, dtype=np.uint8)
        if n:
            rows = np.asarray(route_row, dtype=np.int64)
            rgba[:, :3] = np.where((rows >= 0)[:, None], self._route_rgb[np.maximum(rows, 0)], 128)
        rim = np.full((n, 4), 255, dtype=np.uint8)
        rim[:, :3] = RIM_RGB
        self._vehicle_points = points
        scale = self._scales(points)
        self.vehicles.update(points=points, scale=scale, rgba=rgba)
        self.rims.update(points=points, scale=scale, rgba=rim)
        self.vehicle_count = n

    def _scales(self, points: np.ndarray) -> np.ndarray:
        """(V, 3) glyph scales giving each puck :data:`VEHICLE_RADIUS_PX` on screen (x, y) and a
        fixed thickness ratio (z)."""
        n = len(points)
        if n == 0:
            return np.empty((0, 3), np.float32)
        renderer = self.view.renderer
        camera = renderer.GetActiveCamera()
        height_px = max(renderer.GetSize()[1], 1)
        px = VEHICLE_RADIUS_PX * max(
            self.view.frame_size()[1] / 1000.0, 0.75
        )  # sized for an export's whole picture
        if camera.GetParallelProjection():
            metres_per_px = 2.0 * camera.GetParallelScale() / height_px
            radius = np.full(n, px * metres_per_px)
        else:
            distance = np.linalg.norm(points.astype(np.float64) - np.asarray(camera.GetPosition()), axis=1)
            metres_per_px = 2.0 * distance * math.tan(math.radians(camera.GetViewAngle()) / 2.0) / height_px
            radius = px * metres_per_px
        radius = np.maximum(radius, VEHICLE_MIN_RADIUS_M)
        scale = np.empty((n, 3), np.float32)
        scale[:, 0] = radius
        scale[:, 1] = radius
        scale[:, 2] = radius * 0.6
        return scale

    def _rescale(self, *_: Any) -> None:
        if len(self._vehicle_points):
            scale = self._scales(self._vehicle_points)
            self.vehicles.update(scale=scale)
            self.rims.update(scale=scale)

    def pick_points(self) -> tuple[np.ndarray, np.ndarray] | None:
        return self._stops_local, np.arange(len(self._stops_local))

    def attributes(self, index: int) -> dict[str, Any]:
        info = dict(self.layer.attributes(index))
        t = self.view.scene.clock.time
        if t is not None:
            local = t.astimezone(timeutil.zone(self.layer.timezone))
            by_route = self.layer.frequency_by_route(index, local.hour, local.date())
            total = sum(by_route.values())
            language = self.view.language
            label = f"{say('departures', language)} {local.hour:02d} h – {(local.hour + 1) % 24:02d} h"
            colon = " : " if language == "fr" else ": "
            info[label] = (
                f"{total} ({', '.join(f'{name}{colon}{count}' for name, count in by_route.items())})"
                if total
                else say("none", language)
            )
            if total:
                info[say("frequency", language)] = say("one every {} min on average", language).format(
                    f"{60 / total:.0f}"
                )
        return info
