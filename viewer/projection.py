"""Display pixels of a whole picture ↔ origin-relative world, for a picture drawn in tiles.

The renderer only knows the tile it draws; the scale bar and north arrow of a picture drawn in
tiles (:mod:`viewer.tiles`) are measured with :class:`FrameProjection`, the untiled camera's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .context import ViewContext


@dataclass
class FrameProjection:
    """Display pixels of a whole picture ↔ origin-relative world, for the camera as it is (untiled).

    Used to lay out the scale bar and north arrow of a picture drawn in tiles (the renderer itself
    only knows the tile).
    """

    matrix: np.ndarray
    width: int
    height: int

    @classmethod
    def of(cls, view: ViewContext, width: int, height: int) -> FrameProjection:
        """The projection of ``view``'s camera for a picture of ``width`` × ``height`` pixels."""
        camera = view.renderer.GetActiveCamera()
        m = camera.GetCompositeProjectionTransformMatrix(width / max(height, 1), -1, 1)
        return cls(
            np.array([[m.GetElement(i, j) for j in range(4)] for i in range(4)]), int(width), int(height)
        )

    def _unproject(self, x: float, y: float, z_ndc: float) -> np.ndarray:
        ndc = np.array([2.0 * x / self.width - 1.0, 2.0 * y / self.height - 1.0, z_ndc, 1.0])
        world = np.linalg.solve(self.matrix, ndc)
        return world[:3] / (world[3] or 1.0)

    def ground_point(self, x: float, y: float, z_ground: float = 0.0) -> np.ndarray | None:
        """Where the ray through picture pixel (x, y) meets the plane z = ``z_ground``, or ``None``."""
        near, far = self._unproject(x, y, -1.0), self._unproject(x, y, 1.0)
        direction = far - near
        if abs(direction[2]) < 1e-12:
            return None
        s = (z_ground - near[2]) / direction[2]
        if s <= 0:
            return None
        return near + s * direction

    def to_display(self, point: np.ndarray) -> np.ndarray:
        """Picture pixels (x, y) and depth of an origin-relative point (3,)."""
        h = self.matrix @ np.array([point[0], point[1], point[2], 1.0])
        w = h[3] if abs(h[3]) > 1e-12 else 1e-12
        return np.array([(h[0] / w + 1) / 2 * self.width, (h[1] / w + 1) / 2 * self.height, h[2] / w])
