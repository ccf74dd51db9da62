"""layers.vector.layer: flat polygons, lines and points with a category field."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.core.errors import InputError
from layers.core.reading import open_layer
from layers.vector.layer import VectorLayer, guess_category_field, polygon_parts

X0, Y0 = 351000.0, 6789000.0


def test_lorient_ground_type(shared_data):
    layer = VectorLayer.load(shared_data / "buildings/lorient_noisemodelling/ground_type.shp")
    assert layer.kind == "vector" and layer.feature_count() == 27
    assert layer.crs.to_epsg() == 2154
    assert layer.category_field == "SURF_CAT"
    assert set(layer.values("SURF_CAT")) <= {"park", "village_green", "grass"}
    tris = layer.triangles()
    assert len(tris.triangles) > 0 and tris.points.shape[1] == 2
    assert set(np.unique(tris.owner)) == set(range(27))
    # the triangles cover each polygon exactly
    a, b, c = (tris.points[tris.triangles[:, k]] for k in range(3))
    area = 0.5 * np.abs((b - a)[:, 0] * (c - a)[:, 1] - (b - a)[:, 1] * (c - a)[:, 0])
    expected = shapely.area(np.asarray(layer.frame.geometry.values))
    np.testing.assert_allclose(np.bincount(tris.owner, weights=area, minlength=27), expected, rtol=1e-6)
    assert layer.color_fields() == {"SURF_CAT": "categorical", "G": "numeric"}
    assert layer.lines().count == 0 and layer.points().shape == (0, 2)
    assert layer.outlines().count == 27
    info = layer.describe()
    assert (
        info["geometry"] == {"polygons": 27, "lines": 0, "points": 0} and info["category_field"] == "SURF_CAT"
    )
    json.dumps(info)
    attributes = layer.attributes(0)
    assert attributes["SURF_CAT"] == "park" and attributes["geometry_type"] == "Polygon"


def test_registry_detects_ground_type_as_vector(shared_data):
    assert isinstance(
        open_layer(shared_data / "buildings/lorient_noisemodelling/ground_type.shp"), VectorLayer
    )


def test_points_and_lines(tmp_path):
    path = tmp_path / "mixed.gpkg"
    geoms = [
        shapely.Point(X0, Y0),
        shapely.MultiPoint([(X0 + 1, Y0), (X0 + 2, Y0)]),
        shapely.LineString(
            [
                (X0, Y0),
                (
                    X0 + 10,
                    Y0 + 5,
                ),
            ]
        ),
        shapely.box(X0, Y0, X0 + 10, Y0 + 10),
    ]
    gpd.GeoDataFrame({"type": ["arbre", "arbre", "haie", "parc"]}, geometry=geoms, crs=2154).to_file(
        path, driver="GPKG"
    )
    layer = VectorLayer.load(path)
    xy, owner = layer.points_with_owner()
    np.testing.assert_allclose(xy, [[X0, Y0], [X0 + 1, Y0], [X0 + 2, Y0]])
    assert owner.tolist() == [0, 1, 1]
    lines = layer.lines()
    assert lines.count == 1 and lines.owner.tolist() == [2]
    assert set(layer.triangles().owner) == {3}
    assert layer.category_field == "type"


def test_category_field_override_checked(shared_data):
    path = shared_data / "buildings/lorient_noisemodelling/ground_type.shp"
    layer = VectorLayer.load(path, category_field="G")
    assert layer.category_field == "G" and layer.options == {"category_field": "G"}
    with pytest.raises(InputError, match="field 'landuse'"):
        VectorLayer.load(path, category_field="landuse")


def test_guess_category_field_skips_free_text():
    frame = gpd.GeoDataFrame({"name": [f"parc {i}" for i in range(40)], "nature": ["parc", "jardin"] * 20})
    assert guess_category_field(frame) == "nature"
    frame = gpd.GeoDataFrame({"type": [f"t{i}" for i in range(40)]})
    assert guess_category_field(frame) is None


def test_polygon_parts_repairs_and_splits():
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    multi = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)])
    line = shapely.LineString([(0, 0), (1, 1)])
    parts, owner, repaired, dropped = polygon_parts(np.array([bowtie, multi, line, None], dtype=object))
    assert owner.tolist() == [0, 0, 1, 1]
    assert repaired.tolist() == [True, False, False, False]
    assert dropped.tolist() == [False, False, True, True]
    assert all(p.exterior.is_ccw for p in parts)


def test_reproject(shared_data):
    layer = VectorLayer.load(shared_data / "buildings/lorient_noisemodelling/ground_type.shp")
    layer.reproject(layer.crs.from_epsg(4326))
    xmin, ymin, xmax, ymax = layer.bounds()
    assert -3.5 < xmin < xmax < -3.3 and 47.7 < ymin < ymax < 47.8
