"""Loggers as a heat surface: kind heat from readings, gaps stay gaps, heat island vs a reference."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from layers.core import crs as crs_util
from layers.core.errors import InputError
from layers.core.reading import open_layer
from layers.core.timeutil import parse_time
from layers.heat.layer import HeatLayer
from layers.heat.stations import StationHeatLayer
from layers.session.project import Project, load_project, save_project
from layers.session.scene_io import build_scene, update_from_scene

SAMPLE_OPTIONS = {
    "time": "time",
    "id": "station",
    "value": "temp_c",
    "locations": "air_temperature_stations.csv",
}


def at(text: str):
    return parse_time(text, "Europe/Paris")


@pytest.fixture(scope="module")
def sample(sample_city):
    options = dict(SAMPLE_OPTIONS, locations=sample_city / "air_temperature_stations.csv")
    return open_layer(sample_city / "air_temperature.csv", "heat", **options)


def test_kind_heat_on_readings_gives_a_surface(sample):
    assert isinstance(sample, StationHeatLayer) and sample.kind == "heat" and sample.time_aware
    assert crs_util.is_metric_projected(sample.crs)  # lon/lat stations are put in metres at once
    rows, cols = sample.grid.shape
    assert max(rows, cols) == 400 and sample.cell_m < 5
    assert sample.reference == 0  # T01: "environment = reference" in the stations file
    assert sample.time_range()[0].isoformat() == "2025-07-01T00:00:00+02:00"


def test_night_heat_island_and_day(sample):
    night = sample.uhi_at(at("2025-07-02T04:00"))
    dense = sample.stations.extra["environment"].to_numpy() == "dense"
    assert np.nanmean(night[dense]) > 2.5  # 3 to 5 °C warmer than the reference garden
    surface = sample.surface_at(at("2025-07-02T04:00"), "uhi")
    assert surface.shape == sample.grid.shape and surface.dtype == np.float32
    assert np.nanmax(surface) > 3.0 and np.nanmin(surface) < 1.0
    temperature = sample.surface_at(at("2025-07-01T16:00"))
    assert 28 < np.nanmedian(temperature) < 40


def test_the_surface_passes_through_the_readings(sample):
    t = at("2025-07-02T04:00")
    readings = sample.readings_at(t)
    surface = sample.values_at(t)
    for i in np.flatnonzero(np.isfinite(readings))[:6]:
        x, y = sample.stations.xy[i]
        assert sample.attributes_at(x, y)["value"] == pytest.approx(readings[i], abs=0.4)
    assert sample.grid.values is surface and sample.time == t


def test_missing_readings_stay_missing(sample_city, tmp_path):
    readings = pd.read_csv(sample_city / "air_temperature.csv")
    t = "2025-07-02T04:00:00+02:00"
    hole = (readings["time"] == t) & readings["station"].isin(["T01", "T06"])
    readings.loc[hole, "temp_c"] = np.nan
    readings = readings[~((readings["time"] == t) & (readings["station"] == "T07"))]  # no row at all
    readings.to_csv(tmp_path / "air.csv", index=False)
    layer = StationHeatLayer.load(
        tmp_path / "air.csv",
        **dict(SAMPLE_OPTIONS, locations=sample_city / "air_temperature_stations.csv", max_age_s=300),
    )
    values = layer.readings_at(at(t))
    ids = list(layer.stations.sensor_ids)
    for station in ("T01", "T06", "T07"):
        assert np.isnan(values[ids.index(station)])
    assert np.isnan(layer.uhi_at(at(t))).all()  # reference missing: unknown, not 0
    assert np.isnan(layer.surface_at(at(t), "uhi")).all()
    surface = layer.surface_at(at(t))
    assert np.isfinite(surface).mean() > 0.9
    # left out, not read as 0: the surface near T06 stays a night temperature
    x, y = layer.stations.xy[ids.index("T06")]
    layer.values_at(at(t))
    assert layer.attributes_at(x, y)["value"] > 15
    station = layer.station_attributes(ids.index("T06"), at(t))
    assert station["temperature_c"] is None and station["uhi_k"] is None


def test_reference_option_and_errors(sample_city):
    options = dict(SAMPLE_OPTIONS, locations=sample_city / "air_temperature_stations.csv")
    layer = open_layer(sample_city / "air_temperature.csv", "heat", reference="Place du Marché", **options)
    assert (
        layer.stations.sensor_ids[layer.reference] == "T07"
        and layer.options["reference"] == "Place du Marché"
    )
    seen: list[str | None] = []
    layer.reference_changed.connect(seen.append)
    layer.set_reference("t02")
    assert layer.options["reference"] == "T02" and seen == ["T02"]
    layer.set_reference(None)
    assert layer.reference is None and "reference" not in layer.options and seen == ["T02", None]
    with pytest.raises(InputError, match="reference"):
        open_layer(sample_city / "air_temperature.csv", "heat", reference="Nowhere", **options)
    with pytest.raises(InputError, match="resolution_m"):
        open_layer(sample_city / "air_temperature.csv", "heat", resolution_m=-5, **options)


def test_colour_limits_are_fixed_and_centred(sample):
    low, high = sample.color_limits()
    values = sample.stations.values
    assert low < np.nanmedian(values) < high
    assert (low + high) / 2 == pytest.approx(float(np.nanmedian(values)), abs=0.01)
    sample.update_style(show="uhi")
    try:
        low, high = sample.color_limits()
        assert low == pytest.approx(-high) and high > 2
        assert sample.palette.name == "RdBu_r"
    finally:
        sample.update_style(show="temperature")
    assert sample.palette.name == "RdYlBu_r"


def test_describe_and_project_round_trip(sample_city, tmp_path):
    project = Project()
    project.path = sample_city / "sample_city.maquette.json"
    project.layer_specs.append(
        {
            "id": "air",
            "kind": "heat",
            "source": "air_temperature.csv",
            "options": dict(SAMPLE_OPTIONS, reference="T01"),
            "style": {"show": "uhi"},
        }
    )
    scene, report = build_scene(project)
    assert not report.errors
    layer = scene.layers[0]
    info = layer.describe()
    assert info["kind"] == "heat" and info["reference"] == "T01" and info["interpolated_from"] == "18 loggers"
    json.dumps(info)
    saved = save_project(update_from_scene(project, scene, folder=tmp_path), tmp_path / "p.maquette.json")
    spec = load_project(saved).layer_specs[0]
    assert (
        spec["kind"] == "heat" and spec["options"]["reference"] == "T01" and spec["style"] == {"show": "uhi"}
    )
    assert spec["options"]["locations"].endswith("air_temperature_stations.csv")


def test_a_temperature_raster_is_still_a_raster(tmp_path):
    from pyproj import CRS

    from layers.io.grid import Grid
    from layers.io.raster_file import write_geotiff

    path = write_geotiff(
        Grid(values=np.full((4, 4), 30.0, np.float32), x0=0, y0=4, dx=1, dy=1, crs=CRS.from_epsg(2154)),
        tmp_path / "lst.tif",
    )
    layer = HeatLayer.load(path)
    assert type(layer) is HeatLayer and not layer.time_aware


def test_biel_heatwave_loggers(shared_data):
    folder = shared_data / "heat/biel_2023"
    layer = open_layer(
        folder / "sensor_heatwave_aug23.csv", "heat", locations=folder / "sensor_summer23_mean.csv"
    )
    assert len(layer.stations.sensor_ids) == 40
    assert crs_util.is_metric_projected(layer.crs)
    start, end = layer.time_range()
    assert (
        start.isoformat() == "2023-08-12T00:00:00+02:00" and end.isoformat() == "2023-08-24T23:50:00+02:00"
    )  # naive = local
    assert layer.stations.names[layer.reference] == "rural reference"  # found by its name
    assert layer.show == "temperature"
    values = layer.stations.values
    assert np.isnan(values).sum() > 0
    t = at("2023-08-20T15:00")
    readings = layer.readings_at(t)
    surface = layer.values_at(t)
    assert 0.2 < np.isfinite(surface).mean() < 0.9  # within reach of the loggers only
    finite = surface[np.isfinite(surface)]
    assert (
        np.nanmin(readings) - 1e-3 <= finite.min() and finite.max() <= np.nanmax(readings) + 1e-3
    )  # no overshoot
    layer.set_reference("Robert-Walser-Platz")
    assert layer.stations.sensor_ids[layer.reference] == "201"


def test_biel_mean_heat_island_cycle_is_shown_as_differences(shared_data):
    layer = open_layer(
        shared_data / "heat/biel_2023/summer23_hourly_uhi_ci.csv", "heat"
    )  # an unnamed index column
    assert layer.differences and layer.show == "uhi" and layer.reference is None
    assert layer.palette.name == "RdBu_r"
    low, high = layer.color_limits()
    assert low == pytest.approx(-high)
    t = at("2023-08-20T03:00")
    uhi = layer.uhi_at(t)
    assert np.nanmax(uhi) > 2.0  # the city centre at night
    surface = layer.values_at(t)
    assert np.nanmax(surface) > 1.5
    assert layer.station_attributes(0, t)["uhi_k"] == pytest.approx(uhi[0], abs=0.01)
