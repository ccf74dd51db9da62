"""Counters on the street network, named moments, GTFS typical days and departures."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString

from layers.core import crs as crs_util
from layers.core.scene import Scene
from layers.sensors.layer import SensorLayer
from layers.sensors.moments import (
    SUGGESTED,
    Moment,
    project_moments,
    set_project_moments,
    suggest_moments,
)
from layers.streets.counters import counts_at, link_counters, street_flows_at
from layers.streets.layer import StreetsLayer, find_direction_fields, oneway_of

PARIS = ZoneInfo("Europe/Paris")
NS = 1_000_000_000


def _streets() -> StreetsLayer:
    frame = gpd.GeoDataFrame(
        {
            "nom": ["Quai Nord", "Rue Sud", "Pont"],
            "tmja": [12000, 3000, 8000],
            "geometry": [
                LineString([(0, 0), (400, 0)]),
                LineString([(0, -200), (400, -200)]),
                LineString([(200, 0), (200, -200)]),
            ],
        },
        crs="EPSG:2154",
    )
    return StreetsLayer("rues", frame, crs=crs_util.LAMBERT93, flow_field="tmja")


def _counters(xy, names, hours=48, quantity="bicycle count", unit="/h") -> SensorLayer:
    times = pd.date_range("2025-07-01", periods=hours, freq="h", tz=PARIS).as_unit("ns").asi8
    hour = (np.arange(hours) % 24)[:, None]
    values = (10 + 100 * np.exp(-((hour - 8) ** 2) / 2.0) + 60 * np.exp(-((hour - 18) ** 2) / 3.0)) * np.ones(
        (1, len(xy))
    )
    return SensorLayer(
        "vélos",
        sensor_ids=np.array([f"C{i}" for i in range(len(xy))]),
        names=np.array(names),
        xy=np.array(xy, float),
        times_ns=times,
        values=values.astype(np.float32),
        crs=crs_util.LAMBERT93,
        quantity=quantity,
        unit=unit,
    )


def test_counters_join_the_nearest_street_and_directions_take_sides():
    streets = _streets()
    sensors = _counters(
        [(100, 5), (102, -4), (300, -190), (900, 900)],
        ["Quai vers Est", "Quai vers Ouest", "Rue Sud", "Loin de tout"],
    )
    links = link_counters(streets, sensors, max_distance_m=40)
    assert links.sensor.tolist() == [0, 1, 2] and links.street.tolist() == [
        0,
        0,
        1,
    ]  # the far one is not placed
    assert links.side.tolist() == [1, -1, 0]
    assert np.allclose(links.distance_m, [5, 4, 10])
    # the coloured piece: 90 m each side of the counter, clipped to the street
    lengths = np.diff(links.pieces.offsets)
    assert links.pieces.count == 3 and (lengths >= 2).all()
    first = links.pieces.points[links.pieces.offsets[0] : links.pieces.offsets[1]]
    assert first[:, 0].min() == pytest.approx(10) and first[:, 0].max() == pytest.approx(190)
    t = datetime(2025, 7, 1, 8, 0, tzinfo=PARIS)
    counts = counts_at(sensors, links, t)
    assert counts == pytest.approx([110, 110, 110])
    flows = street_flows_at(streets, sensors, links, t)
    assert flows[0] == pytest.approx(220) and flows[1] == pytest.approx(110) and np.isnan(flows[2])


def test_direction_and_one_way_fields():
    assert find_direction_fields(["nom", "TMJA_sens1", "TMJA_sens2"]) == ("TMJA_sens1", "TMJA_sens2")
    assert find_direction_fields(["aadf_fw", "aadf_bw"]) == ("aadf_fw", "aadf_bw")
    assert find_direction_fields(["tmja"]) is None
    frame = pd.DataFrame({"SENS": ["Double sens", "Sens direct", "Sens inverse", None]})
    assert oneway_of(frame).tolist() == [0, 1, -1, 0]
    assert oneway_of(pd.DataFrame({"oneway": ["no", "no"]})) is None
    streets = gpd.GeoDataFrame(
        {
            "tmja_sens1": [100.0, 50.0],
            "tmja_sens2": [300.0, np.nan],
            "geometry": [LineString([(0, 0), (100, 0)])] * 2,
        },
        crs="EPSG:2154",
    )
    layer = StreetsLayer("r", streets, crs=crs_util.LAMBERT93)
    assert layer.flows.tolist() == [400.0, 50.0]
    assert layer.describe()["direction_fields"] == ["tmja_sens1", "tmja_sens2"]


# -- moments ----------------------------------------------------------------------------------
def test_suggested_moments_from_temperatures_and_counts():
    times = pd.date_range("2025-07-01", periods=3 * 144, freq="10min", tz=PARIS).as_unit("ns").asi8
    hours = (np.arange(len(times)) / 6.0) % 24
    day = np.arange(len(times)) // 144
    base = (
        25 + 7 * np.sin((hours - 10) / 24 * 2 * np.pi) + 3 * (day == 1)
    )  # the second day and night are hotter
    values = np.column_stack([base + 2, base, base - 1.5]).astype(np.float32)
    temperature = SensorLayer(
        "air",
        sensor_ids=np.array(["a", "b", "c"]),
        names=np.array(["a", "b", "c"]),
        xy=np.zeros((3, 2)),
        times_ns=times,
        values=values,
        crs=crs_util.LAMBERT93,
        quantity="air temperature",
        unit="°C",
    )
    found = suggest_moments([temperature, _counters([(0, 0)], ["c"])], "Europe/Paris")
    moments = {m.title("fr"): m for m in found}
    night = moments["Nuit la plus chaude"].time
    assert night.date().isoformat() in {"2025-07-02", "2025-07-03"} and (night.hour >= 20 or night.hour < 8)
    assert moments["Après-midi le plus chaud"].time.date().isoformat() == "2025-07-02"
    assert moments["Heure de pointe du matin"].time.hour == 8
    assert moments["Heure de pointe du soir"].time.hour == 18
    assert all(m.suggested for m in moments.values())
    # the model keeps a language-neutral key; each language has its words
    english = {m.title("en"): m for m in found}
    assert english["Hottest night"] is moments["Nuit la plus chaude"]
    assert english["Morning rush hour"].name == "morning_rush_hour"
    assert all(m.name in SUGGESTED for m in found)


def test_a_user_moment_keeps_its_own_words():
    from datetime import datetime

    typed = Moment("hottest_night", datetime(2025, 7, 2, 22, tzinfo=PARIS))  # a user's text, not a key
    assert typed.title("en") == typed.title("fr") == "hottest_night"
    assert Moment("Soirée du débat", typed.time).title("en") == "Soirée du débat"


def test_user_moments_round_trip_through_the_project():
    from layers.session.project import Project

    project = Project()
    project.data["moments"] = [
        {"name": "Ancienne", "time": "2025-07-02T03:00", "note": "gardée"},
        {"name": "cassée", "time": "jamais"},
    ]
    moments = project_moments(project)
    assert [m.name for m in moments] == ["Ancienne"] and moments[0].time == datetime(
        2025, 7, 2, 3, tzinfo=PARIS
    )
    moments.append(Moment("Pointe du soir", datetime(2025, 7, 2, 18, tzinfo=PARIS)))
    moments.append(Moment("suggestion", datetime(2025, 7, 2, 18, tzinfo=PARIS), suggested=True))
    set_project_moments(project, moments)
    assert project.data["moments"] == [
        {"note": "gardée", "name": "Ancienne", "time": "2025-07-02T03:00:00+02:00"},
        {"name": "Pointe du soir", "time": "2025-07-02T18:00:00+02:00"},
    ]


# -- GTFS ---------------------------------------------------------------------------------------
def test_star_typical_day_departures_and_a_scene_of_its_own(shared_data):
    from layers.transit.layer import TransitLayer

    layer = TransitLayer.load(shared_data / "mobility/star_rennes_gtfs/GTFS-20120618.zip")
    day = layer.typical_day()
    assert day.weekday() in (1, 2, 3) and layer.service_dates()[0] <= day <= layer.service_dates()[-1]
    start, end = layer.suggested_range()
    assert start.hour == 5 and end - start == timedelta(hours=20)
    stop = int(np.argmax(np.bincount(layer.timetable.row_stop)))
    by_route = layer.frequency_by_route(stop, 8, day)
    assert sum(by_route.values()) == layer.frequency_at(stop, 8, day) > 0
    routes, seconds = layer.departures(stop, day)
    assert len(routes) == len(seconds) and (seconds >= 0).all()
    scene = Scene()
    scene.add(layer)
    assert scene.clock.start == start and scene.clock.time.hour == 7 and scene.clock.time.minute == 30
    assert len(layer.vehicles_at(scene.clock.time)[0]) > 100  # the morning rush of a summer weekday
    # a layer with real dates replaces the provisional day
    sensors = _counters([(0, 0)], ["c"])
    sensors.crs = crs_util.LAMBERT93
    scene.add(sensors)
    assert scene.clock.start.year == 2025
