"""The pins' visual: one actor of spheres, coloured and sized by the style."""

from __future__ import annotations

import numpy as np
import pyvista as pv

from tests.tiny_kind.layer import PinsLayer
from viewer.visuals.base import Visual


class PinsVisual(Visual[PinsLayer]):
    layer_type = PinsLayer
    kind = "pins"

    def build(self) -> None:
        points = self.local(np.column_stack([self.layer.xy, np.full(len(self.layer.xy), 20.0)]))
        spheres = pv.PolyData(points).glyph(
            geom=pv.Sphere(radius=self.layer.style.radius_m), scale=False, orient=False
        )
        self.add_polydata(spheres, color=self.layer.style.color)
