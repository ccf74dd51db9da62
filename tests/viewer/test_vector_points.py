"""Point features of a plain vector layer are drawn (discs on the ground), not silently left out."""

from __future__ import annotations

import numpy as np

from viewer.visuals.vector import POINT_SIDES, point_discs


def test_each_point_gets_a_disc_of_its_own() -> None:
    xy = np.array([[0.0, 0.0], [100.0, 50.0]])
    points, triangles = point_discs(xy, 5.0)
    assert triangles.shape == (2 * POINT_SIDES, 3)
    assert points.shape == (2 * (POINT_SIDES + 1), 2)
    for i, centre in enumerate(xy):
        disc = points[np.unique(triangles[i * POINT_SIDES : (i + 1) * POINT_SIDES])]
        distances = np.hypot(*(disc - centre).T)
        assert np.isclose(distances.min(), 0.0) and np.allclose(np.sort(distances)[1:], 5.0)
