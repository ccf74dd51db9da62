"""The story page's vector overlays, read from the app's own drawing: each visible lines, polygons or
points layer (land use, streets, transit routes and stops, sensors) with every feature's colour as
its visual draws it at the step's clock time (the colours are read back from the visual's actors:
their lookup tables, category colours, route colours, so the page never recomputes them).

Geometries stay in the scene CRS here; :mod:`layers.web.vectors` writes them as GeoJSON (WGS 84).
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkRenderingCore import vtkActor

from layers.core.base import Layer
from layers.sensors.layer import SensorLayer
from layers.streets.layer import StreetsLayer
from layers.transit.layer import TransitLayer
from layers.vector.layer import VectorLayer
from layers.web.vectors import VectorOverlay

from .visuals.base import Visual
from .visuals.sensors import SensorsVisual
from .visuals.streets import StreetsVisual
from .visuals.transit import TransitVisual
from .visuals.vector import VectorVisual

RGB: TypeAlias = tuple[float, float, float]
#: the layer kinds the page draws as vector overlays
VECTOR_KINDS = (VectorLayer, StreetsLayer, TransitLayer, SensorLayer)


def cell_colours(actor: vtkActor) -> np.ndarray:
    """(cells, 3) uint8: the colour the actor's mapper gives each cell of its input (its lookup
    table over the cell scalars, direct colours, or the actor's one colour)."""
    mapper = actor.GetMapper()
    data = mapper.GetInput()
    cells = data.GetNumberOfCells()
    if mapper.GetScalarVisibility():
        mapped = mapper.MapScalars(1.0)
        if mapped is not None:
            rgba = vtk_to_numpy(mapped).reshape(-1, mapped.GetNumberOfComponents())[:, :3]
            if len(rgba) == cells:
                return np.asarray(rgba, np.uint8)
            if len(rgba) == data.GetNumberOfPoints():  # point colours: each cell's first point
                first = [data.GetCell(i).GetPointId(0) for i in range(cells)]
                return np.asarray(rgba[first], np.uint8)
    rgb = np.round(np.asarray(actor.GetProperty().GetColor()) * 255).astype(np.uint8)
    return np.tile(rgb, (cells, 1))


def _feature_colours(visual: Visual[Any], actor: vtkActor, count: int) -> np.ndarray:
    """(count, 3) uint8: each feature's colour, from the first cell the visual says it owns."""
    colours = cell_colours(actor)
    out = np.full((count, 3), 128, np.uint8)
    seen = np.zeros(count, bool)
    for cell in range(len(colours)):
        row = visual.pick_cell(actor, cell)
        if row is not None and 0 <= row < count and not seen[row]:
            out[row] = colours[cell]
            seen[row] = True
    return out


def _hex(rgb: np.ndarray) -> list[str]:
    return ["#" + "".join(f"{int(c):02x}" for c in row) for row in np.asarray(rgb).reshape(-1, 3)]


def vector_overlays(layer: Layer, visual: Visual[Any]) -> list[VectorOverlay]:
    """``layer``'s features as the app draws them now (empty for a visual drawn otherwise)."""
    import geopandas as gpd
    from shapely import LineString, Point

    key = _key(layer)
    crs = visual.view.scene.crs
    if isinstance(visual, (VectorVisual, StreetsVisual)):
        actor = visual.actor
        if actor is None:
            return []
        frame = visual.layer.frame
        colours = _feature_colours(visual, actor, len(frame))
        drawn = gpd.GeoDataFrame({"colour": _hex(colours)}, geometry=frame.geometry.values, crs=frame.crs)
        opacity = float(actor.GetProperty().GetOpacity())
        return [VectorOverlay(key, layer.name, drawn, opacity)]
    if isinstance(visual, TransitVisual):
        found = []
        lines = visual.layer.route_lines()
        if visual.routes_actor is not None and lines.count:
            colours = cell_colours(visual.routes_actor)
            shapes = [
                LineString(lines.points[lines.offsets[i] : lines.offsets[i + 1]]) for i in range(lines.count)
            ]
            routes = gpd.GeoDataFrame({"colour": _hex(colours[: lines.count])}, geometry=shapes, crs=crs)
            found.append(VectorOverlay(key, layer.name, routes, 1.0))
        stops = np.asarray(visual.layer.stops_xy).reshape(-1, 2)
        if len(stops):
            colour = _hex(cell_colours(visual.stops_actor)[:1])[0] if len(stops) else "#37474f"
            points = gpd.GeoDataFrame(
                {"colour": [colour] * len(stops)}, geometry=[Point(xy) for xy in stops], crs=crs
            )
            found.append(VectorOverlay(key, layer.name, points, 1.0, part="stops"))
        return found
    if isinstance(visual, SensorsVisual):
        xy = np.asarray(visual.layer.xy).reshape(-1, 2)
        array = visual.discs.data.GetPointData().GetArray("rgba")
        rgb = vtk_to_numpy(array).reshape(-1, 4)[:, :3] if array is not None else np.full((len(xy), 3), 128)
        sensors = gpd.GeoDataFrame({"colour": _hex(rgb)}, geometry=[Point(p) for p in xy], crs=crs)
        return [VectorOverlay(key, layer.name, sensors, 1.0)]
    return []


def _key(layer: Layer) -> str:
    from layers.session.story import layer_key

    return layer_key(layer)


def swatches(layer: Layer, visual: Visual[Any], found: list[VectorOverlay]) -> list[tuple[RGB, str]]:
    """The legend entries of a layer whose visual has no legend of its own: each transit route's
    name in its colour (as drawn), else the layer's name in its first feature's colour."""
    if isinstance(visual, TransitVisual) and visual.routes_actor is not None:
        lines = visual.layer.route_lines()
        colours = cell_colours(visual.routes_actor)[: lines.count]
        names = visual.layer.routes["short_name"].astype(str).to_numpy()
        entries: dict[str, RGB] = {}
        for owner, rgb in zip(lines.owner, colours):
            r, g, b = (float(c) / 255 for c in rgb)
            entries.setdefault(str(names[owner]), (r, g, b))
        return [(rgb, name) for name, rgb in sorted(entries.items())]
    frame = found[0].frame
    text = str(frame["colour"].iloc[0]) if len(frame) else "#808080"
    r, g, b = (int(text[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return [((r, g, b), layer.name)]
