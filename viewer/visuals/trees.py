"""Trees as instanced 3D trees: every crown in one glyph actor, every trunk in another.

A tree is a trunk (a cylinder from the ground to the middle of its crown) and a crown (a sphere
scaled into an ellipsoid: the crown's diameter across, from :attr:`TreesLayer.crown_base_m` to the
top of the tree), both copies of one unit shape scaled per tree by a ``vtkGlyph3DMapper``: 24,000
trees are two actors and two small meshes, not 48,000 meshes (plus one actor of dots under the
crowns, which keeps an inventory legible when the whole city is in view). Crowns are green
whatever the species, a little darker or lighter by height so that rows of trees read in depth.
On a terrain each tree stands on the ground under it.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from layers.core.base import HasElevation
from layers.trees.layer import TreesLayer

from ..colors import rgb
from .base import Visual
from .glyphs import GlyphCloud, column_source

#: facets of the unit crown (a sphere of theta × phi) and of the trunk; few, as there are thousands
CROWN_RESOLUTION = (8, 6)
TRUNK_RESOLUTION = 6
#: every tree is also a dot of this many pixels under its crown, so that a whole city's inventory
#: seen from afar still shows its rows of trees (hidden by the crowns close up)
DOT_PX = 2.0
#: above this many trees, only the dots are drawn while the camera moves (:mod:`viewer.lod`)
LOD_MIN_TREES = 2_000
#: how far the crowns' shade varies with height (share of the colour, ±)
SHADE_SPREAD = 0.18


def crown_source() -> pv.PolyData:
    """A unit sphere (diameter 1) standing on z = 0: scaled per tree by (crown, crown, depth)."""
    theta, phi = CROWN_RESOLUTION
    return pv.Sphere(radius=0.5, center=(0, 0, 0.5), theta_resolution=theta, phi_resolution=phi).triangulate()


def crown_colors(height_m: np.ndarray, color: str) -> np.ndarray:
    """(n, 4) uint8: ``color`` darker for the short trees and lighter for the tall ones."""
    base = np.array(rgb(color), float)
    height_m = np.asarray(height_m, float)
    spread = height_m.max() - height_m.min() if len(height_m) else 0.0
    t = (height_m - height_m.min()) / spread if spread > 0 else np.full(len(height_m), 0.5)
    factor = 1.0 + SHADE_SPREAD * (2.0 * t - 1.0)
    colours = np.clip(base[None, :] * factor[:, None], 0.0, 1.0)
    alpha = np.ones((len(height_m), 1))
    return (np.hstack([colours, alpha]) * 255).round().astype(np.uint8)


class TreesVisual(Visual[TreesLayer]):
    """One actor for the crowns, one for the trunks."""

    layer_type = TreesLayer
    kind = "trees"

    def build(self) -> None:
        layer = self.layer
        self.crowns: GlyphCloud | None = None
        self.trunks: GlyphCloud | None = None
        self._detail = True
        n = layer.feature_count()
        if n == 0:
            self._centres = np.empty((0, 3), np.float32)
            return
        ground = self.ground_m()
        xy = layer.points()
        foot = self.local(np.column_stack([xy, ground]))
        crown_foot = foot.copy()
        crown_foot[:, 2] += layer.crown_base_m.astype(np.float32)
        depth = np.maximum(layer.height_m - layer.crown_base_m, 0.1)
        crown_scale = np.column_stack([layer.crown_m, layer.crown_m, depth])
        self.crowns = GlyphCloud(crown_source(), crown_foot)
        self.crowns.update(scale=crown_scale, rgba=crown_colors(layer.height_m, layer.style.crown_color))
        self.add_actor(self.crowns.actor)
        dots = pv.PolyData(crown_foot + np.array([0, 0, 0.1], np.float32))
        self.add_polydata(
            dots, color=layer.style.crown_color, pickable=False, PointSize=DOT_PX, Ambient=1.0, Diffuse=0.0
        )
        self._centres = crown_foot + np.column_stack([np.zeros((n, 2)), depth / 2]).astype(np.float32)
        if layer.style.trunks:
            trunk_height = layer.crown_base_m + depth / 2  # into the crown, never showing its top
            self.trunks = GlyphCloud(column_source(0.5, TRUNK_RESOLUTION), foot)
            trunk_rgba = np.array([*(round(c * 255) for c in rgb(layer.style.trunk_color)), 255], np.uint8)
            self.trunks.update(
                scale=np.column_stack([layer.trunk_m, layer.trunk_m, trunk_height]),
                rgba=np.broadcast_to(trunk_rgba, (n, 4)),
            )
            self.add_actor(self.trunks.actor)

    def set_detail(self, full: bool) -> None:
        """Crowns and trunks at rest; while the camera moves over a large inventory, the dots alone
        (:mod:`viewer.lod`: a CPU renderer draws about a million triangles a second)."""
        if full == self._detail or self.layer.feature_count() < LOD_MIN_TREES:
            return
        self._detail = full
        for cloud in (self.crowns, self.trunks):
            if cloud is not None:
                cloud.actor.SetVisibility(self.layer.visible and full)

    def _on_visible(self, visible: bool) -> None:
        super()._on_visible(visible)
        if not self._detail:  # moving: the glyphs stay hidden until the camera rests
            for cloud in (self.crowns, self.trunks):
                if cloud is not None:
                    cloud.actor.SetVisibility(False)

    def triangle_count(self) -> int:
        """Triangles drawn at rest: every tree's crown and trunk."""
        total = 0
        for cloud in (self.crowns, self.trunks):
            if cloud is not None:
                source = cloud.mapper.GetSource()
                total += cloud.count * (source.GetNumberOfPolys() if source is not None else 0)
        return total

    def ground_m(self) -> np.ndarray:
        """(n,) height (m above the scene's reference) of the ground under each tree: 0 on flat
        ground, the terrain's where there is one (0 off its edge)."""
        n = self.layer.feature_count()
        terrain = self.view.scene.terrain()
        if not isinstance(terrain, HasElevation) or n == 0:
            return np.zeros(n)
        xy = self.layer.points()
        altitude = np.asarray(terrain.height_at(xy[:, 0], xy[:, 1]), float)
        return np.nan_to_num(altitude - self.view.scene.ground_reference_m, nan=0.0)

    def pick_points(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The crowns' centres and the trees' rows, for picking by screen distance."""
        if not len(self._centres):
            return None
        return self._centres, np.arange(len(self._centres), dtype=np.int64)
