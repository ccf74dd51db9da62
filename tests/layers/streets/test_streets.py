"""layers.streets.layer: road lines with their daily traffic."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.core.errors import InputError
from layers.core.reading import open_layer
from layers.streets.layer import DAILY_UNIT, HOURLY_UNIT, StreetsLayer, find_flow_field, flow_unit_of

X0, Y0 = 351000.0, 6789000.0


def test_lorient_roads_with_aadf(shared_data):
    path = shared_data / "mobility/lorient_noisemodelling_roads/roads.shp"
    layer = StreetsLayer.load(path)
    assert layer.kind == "streets" and layer.feature_count() == 199
    assert layer.crs.to_epsg() == 2154
    assert layer.flow_field == "AADF" and layer.flow_unit == DAILY_UNIT
    assert layer.flows.shape == (199,) and layer.flows.dtype == np.float64
    assert np.isfinite(layer.flows).all() and layer.flows.min() > 0
    np.testing.assert_allclose(layer.flows, layer.frame["AADF"].to_numpy(float))
    lines = layer.lines()
    assert lines.points.shape[1] == 2  # the 3D (LineString Z) roads come out flat
    assert lines.count == 199 and set(lines.owner) == set(range(199))
    assert len(lines.segments()) == lines.offsets[-1] - lines.count
    info = layer.describe()
    assert info["flow_field"] == "AADF" and info["flow_range"] == [1600.0, 12000.0]
    json.dumps(info)
    attributes = layer.attributes(0)
    assert attributes["flow"] == attributes["AADF"] and attributes["flow_unit"] == DAILY_UNIT
    assert attributes["length_m"] == pytest.approx(shapely.length(layer.frame.geometry.values[0]), abs=0.01)
    assert layer.values("AADF") is layer.flows and layer.unit("AADF") == DAILY_UNIT


def test_registry_detects_lines_as_streets(shared_data):
    layer = open_layer(shared_data / "mobility/lorient_noisemodelling_roads/roads.shp")
    assert isinstance(layer, StreetsLayer)


def test_flow_field_names():
    assert find_flow_field(["nom", "TMJA", "tv"]) == "TMJA"
    assert find_flow_field(["name", "vehicles_per_day"]) == "vehicles_per_day"
    assert find_flow_field(["name", "lanes"]) is None
    assert (
        flow_unit_of("TMJA") == DAILY_UNIT
        and flow_unit_of("debit_h") == HOURLY_UNIT
        and flow_unit_of(None) == ""
    )


def _roads(tmp_path, **columns):
    path = tmp_path / "roads.geojson"
    lines = [shapely.LineString([(X0, Y0 + 10 * i), (X0 + 100, Y0 + 10 * i)]) for i in range(3)]
    gpd.GeoDataFrame(columns, geometry=lines, crs=2154).to_file(path)
    return path


def test_missing_and_negative_flows(tmp_path):
    layer = StreetsLayer.load(_roads(tmp_path, nom=["a", "b", "c"], trafic=["1200", None, "-5"]))
    assert layer.flow_field == "trafic"
    np.testing.assert_allclose(layer.flows, [1200.0, np.nan, np.nan])
    assert any("1 negative flows" in w for w in layer.warnings)
    assert any("have no flow" in w for w in layer.warnings)


def test_no_flow_field(tmp_path):
    layer = StreetsLayer.load(_roads(tmp_path, nom=["a", "b", "c"]))
    assert layer.flow_field is None and layer.flow_unit == ""
    assert np.isnan(layer.flows).all()
    assert layer.describe()["flow_range"] is None
    assert any("no traffic field" in w for w in layer.warnings)


def test_flow_field_option(tmp_path):
    path = _roads(tmp_path, tmja=[1, 2, 3], camions=[10, 20, 30])
    layer = StreetsLayer.load(path, flow_field="camions")
    assert layer.flows.tolist() == [10.0, 20.0, 30.0] and layer.options == {"flow_field": "camions"}
    with pytest.raises(InputError, match="field 'bus'"):
        StreetsLayer.load(path, flow_field="bus")


def test_polygons_are_not_streets(tmp_path):
    path = tmp_path / "zones.geojson"
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.box(X0, Y0, X0 + 1, Y0 + 1)], crs=2154).to_file(path)
    with pytest.raises(InputError, match="holds no lines"):
        StreetsLayer.load(path)
