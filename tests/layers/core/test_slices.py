"""Shapely calls cut into slices give what one call gives."""

import numpy as np
import shapely

from layers.core import slices


def _polygons(n: int) -> np.ndarray:
    i = np.arange(n)
    boxes = shapely.box(i * 30.0, 0.0, i * 30.0 + 10 + i % 7, 12.0)
    holes = shapely.box(i * 30.0 + 2, 2.0, i * 30.0 + 4, 4.0)
    return np.where(i % 5 == 0, shapely.difference(boxes, holes), boxes)


def test_ragged_polygons_across_slices_equal_one_call():
    polygons = _polygons(2 * slices.SLICE + 123)
    _kind, coords, (rings, polys) = shapely.to_ragged_array(polygons)
    got_coords, got_rings, got_polys = slices.ragged_polygons(polygons)
    np.testing.assert_array_equal(got_coords, coords)
    np.testing.assert_array_equal(got_rings, rings)
    np.testing.assert_array_equal(got_polys, polys)


def test_from_wkb_in_slices_equals_one_call_and_keeps_its_options():
    polygons = _polygons(slices.SLICE + 7)
    wkb = shapely.to_wkb(polygons)
    wkb[3] = b"not wkb"
    whole = slices._whole_from_wkb(wkb, on_invalid="ignore")
    sliced = slices._from_wkb_in_slices(wkb, on_invalid="ignore")
    assert len(sliced) == len(whole) and sliced[3] is None
    assert shapely.equals(sliced[4:], whole[4:]).all()
    assert shapely.equals(slices._from_wkb_in_slices(wkb[0]), polygons[0])  # one value passes whole
