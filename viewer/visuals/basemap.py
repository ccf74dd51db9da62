"""Basemaps (MBTiles, PMTiles) on the ground: the tiles the camera needs, as one draped picture.

Before each render (the renderer's ``StartEvent``) the visual works out the ground the camera sees
(:func:`ground_footprint`: the view's corner rays met with the ground, far rays cut at a few times
the camera's distance) and the size of a screen pixel on the ground at the focal point; the layer
answers the tiles of the right zoom
(:meth:`layers.basemap.layer.BasemapLayer.choose_tiles`), put side by side in Web Mercator, and
the texture is laid on a quad of the scene CRS whose vertices say where they fall in the mosaic
(:meth:`BasemapVisual.ground_mesh`). When the tiles needed are those already
shown nothing happens; else the quad and its texture are replaced in place (one actor). While the
camera moves (level of detail off) the picture stays as it is and follows once it rests.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np
import pyvista as pv
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper

from layers.basemap.layer import BasemapLayer
from layers.core.base import Bounds

from ..drape import drape
from .base import GROUND_Z, Visual
from .raster import RasterTexture, drape_cuts, ground_quad

#: a basemap's quad is cut at least this many times a side (its vertices carry the warp)
MIN_CUTS = 16
#: far corner rays (above the horizon) are cut at this many times the camera's distance
FAR_FACTOR = 6.0


def ground_footprint(renderer: Any, frame_px: tuple[int, int]) -> tuple[Bounds, float] | None:
    """((xmin, ymin, xmax, ymax) origin-relative, metres per screen pixel at the focal point) of
    the ground (z = 0) ``renderer``'s camera sees; ``None`` when it looks away from the ground."""
    camera = renderer.GetActiveCamera()
    position = np.array(camera.GetPosition())
    focal = np.array(camera.GetFocalPoint())
    distance = float(np.linalg.norm(focal - position)) or 1.0
    width, height = renderer.GetSize()
    if width <= 0 or height <= 0:
        return None
    if camera.GetParallelProjection():
        pixel_m = 2.0 * camera.GetParallelScale() / max(frame_px[1], 1)
    else:
        pixel_m = distance * 2.0 * math.tan(math.radians(camera.GetViewAngle()) / 2) / max(frame_px[1], 1)
    far = FAR_FACTOR * max(distance, position[2])
    points = []
    for fx in (0.0, 0.5, 1.0):
        for fy in (0.0, 0.5, 1.0):
            ends = []
            for depth in (0.0, 1.0):
                renderer.SetDisplayPoint(fx * (width - 1), fy * (height - 1), depth)
                renderer.DisplayToWorld()
                w = renderer.GetWorldPoint()
                ends.append(np.array(w[:3]) / (w[3] or 1.0))
            near, direction = ends[0], ends[1] - ends[0]
            hit = None
            if direction[2] < -1e-12:
                t = -near[2] / direction[2]
                if t > 0:
                    hit = near + t * direction
            flat = np.array([direction[0], direction[1]])
            if hit is None or np.hypot(*(hit[:2] - position[:2])) > far:
                length = float(np.hypot(*flat))
                if length < 1e-12:
                    continue
                hit = np.array([*(position[:2] + flat / length * far), 0.0])
            points.append(hit[:2])
    if not points:
        return None
    xy = np.array(points)
    return (
        float(xy[:, 0].min()),
        float(xy[:, 1].min()),
        float(xy[:, 0].max()),
        float(xy[:, 1].max()),
    ), pixel_m


class BasemapVisual(Visual[BasemapLayer]):
    """A basemap following the camera (see the module docstring)."""

    layer_type: ClassVar[type[BasemapLayer]] = BasemapLayer
    kind = "basemap"
    unlit = True
    z_role = "basemap"

    actor: vtkActor | None = None
    texture: RasterTexture | None = None
    #: (zoom, tile range) shown; ``None`` before the first picture
    shown: tuple[int, tuple[int, int, int, int]] | None = None

    def build(self) -> None:
        # an MBTiles whose row order was a guess is read the way that puts it under the scene
        self.layer.place_among(
            [other.bounds() for other in self.view.scene.layers if other is not self.layer]
        )
        self.shown = None
        self._frozen = False
        self.texture = RasterTexture(np.zeros((1, 1, 4), dtype=np.uint8), smooth=True, mipmap=True)
        self.actor = self.add_polydata(pv.PolyData(), color="white", pickable=False)
        self.actor.SetTexture(self.texture.texture)
        self._observer = self.view.renderer.AddObserver("StartEvent", lambda *_: self.follow_camera())

    def remove_actors(self) -> None:
        if self.actor is not None:
            self.view.renderer.RemoveObserver(self._observer)
            self.actor = None
        super().remove_actors()

    def set_detail(self, full: bool) -> None:
        """Keep the picture while the camera moves; follow it again at rest."""
        self._frozen = not full

    def follow_camera(self) -> None:
        """Show the tiles the camera needs now, if they are not those shown."""
        if self._frozen or self.actor is None or not self.layer.visible:
            return
        origin = self.view.scene.origin
        seen = ground_footprint(self.view.renderer, self.view.frame_size())
        if seen is None or origin is None:
            return
        (xmin, ymin, xmax, ymax), pixel_m = seen
        world = (xmin + origin[0], ymin + origin[1], xmax + origin[0], ymax + origin[1])
        chosen = self.layer.choose_tiles(world, pixel_m)
        if chosen == self.shown:
            return
        self.shown = chosen
        mapper = self.actor.GetMapper()
        assert isinstance(mapper, vtkPolyDataMapper)
        box = None
        if chosen is not None:
            mosaic, box_3857 = self.layer.mosaic(*chosen)
            box = self.layer.layer_box(box_3857, world)
        if box is None or self.texture is None:
            mapper.SetInputData(pv.PolyData())
            return
        mapper.SetInputData(self.ground_mesh(box, box_3857, origin))
        self.texture.update(mosaic)

    def ground_mesh(self, box: Bounds, box_3857: Bounds, origin: np.ndarray) -> pv.PolyData:
        """The ground quad over ``box`` (layer CRS), cut on the terrain's pixels and at least
        :data:`MIN_CUTS` times a side, each vertex textured where it lies in the mosaic
        ``box_3857``: the GPU warps Web Mercator into the scene CRS between vertices (metres
        apart: far below a pixel at city scale), with no resampling on the CPU."""
        xmin, ymin, xmax, ymax = box
        terrain_xs, terrain_ys = drape_cuts(self.view.scene, box)
        cuts = []
        for low, high, extra, o in ((xmin, xmax, terrain_xs, origin[0]), (ymin, ymax, terrain_ys, origin[1])):
            even = np.linspace(low - o, high - o, MIN_CUTS + 1)
            cuts.append(even if extra is None else np.unique(np.concatenate([even, extra])))
        local = (xmin - origin[0], ymin - origin[1], xmax - origin[0], ymax - origin[1])
        quad = ground_quad(local, GROUND_Z[self.z_role], cuts[0], cuts[1])
        points = np.asarray(quad.points, dtype=np.float64)
        mx, my = self.layer.to_web_mercator(points[:, 0] + origin[0], points[:, 1] + origin[1])
        u = (mx - box_3857[0]) / (box_3857[2] - box_3857[0])
        v = (my - box_3857[1]) / (box_3857[3] - box_3857[1])
        quad.active_texture_coordinates = np.column_stack([u, v]).astype(np.float64)
        if self.view.scene.terrain() is not None:
            draped = drape(quad, self.view)
            assert isinstance(draped, pv.PolyData)
            return draped
        return quad

    def probe(self, x: float, y: float) -> str | None:
        return None
