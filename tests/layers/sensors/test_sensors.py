"""Sensor time series: reading the shapes cities publish, joining locations, values at a time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from layers.core import crs as crs_util
from layers.core.errors import InputError
from layers.sensors.layer import SensorLayer
from layers.sensors.quantities import guess_quantity

PARIS = ZoneInfo("Europe/Paris")
NS = 1_000_000_000


# -- sample-city shaped fixtures -----------------------------------------------------------------
@pytest.fixture
def air_temperature(tmp_path):
    """Hourly air temperature at 3 stations (times with an offset) + a stations table (lon/lat)."""
    times = pd.date_range("2025-07-02T00:00", periods=24, freq="h", tz=PARIS)
    rows = []
    for k, station in enumerate(["T01", "T02", "T03"]):
        for i, t in enumerate(times):
            rows.append({"time": t.isoformat(), "station": station, "temp_c": 20 + k + i * 0.5})
    pd.DataFrame(rows).sample(frac=1.0, random_state=1).to_csv(tmp_path / "air_temperature.csv", index=False)
    pd.DataFrame(
        {
            "station": ["T01", "T02", "T03", "T99"],
            "name": ["Place Sainte-Anne", "Parc du Thabor", "Gare", "Sans mesures"],
            "lon": [-1.6800, -1.6700, -1.6720, -1.6600],
            "lat": [48.1150, 48.1140, 48.1040, 48.1000],
            "district": ["Centre", "Thabor", "Gare", "Sud"],
        }
    ).to_csv(tmp_path / "air_temperature_stations.csv", index=False)
    return tmp_path / "air_temperature.csv"


@pytest.fixture
def noise_sensors(tmp_path):
    """15-minute LAeq at 2 noise meters with x/y in Lambert-93."""
    times = pd.date_range("2025-07-02T00:00", periods=8, freq="15min")
    frame = pd.DataFrame(
        {
            "time": np.tile(times.strftime("%Y-%m-%dT%H:%M:%S"), 2),
            "sensor": np.repeat(["N1", "N2"], 8),
            "laeq_db": np.r_[np.linspace(50, 57, 8), np.linspace(60, 67, 8)],
            "x": np.repeat([351_200.0, 352_400.0], 8),
            "y": np.repeat([6_789_100.0, 6_788_900.0], 8),
        }
    )
    frame.to_csv(tmp_path / "noise_sensors.csv", index=False)
    return tmp_path / "noise_sensors.csv"


@pytest.fixture
def bike_counters(tmp_path):
    """Hourly bike counts at 2 counters + a GeoJSON of the counters (Point, counter, name)."""
    times = pd.date_range("2025-07-02T00:00", periods=48, freq="h")
    frame = pd.DataFrame(
        {
            "time": np.tile(times.strftime("%Y-%m-%d %H:%M"), 2),
            "counter": np.repeat(["C1", "C2"], 48),
            "bikes": np.r_[np.arange(48), np.arange(48) * 2],
        }
    )
    frame.to_csv(tmp_path / "bike_counters.csv", index=False)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-1.675, 48.110]},
            "properties": {"counter": "C1", "name": "Pont de Nantes", "lanes": 2},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-1.690, 48.105]},
            "properties": {"counter": "C2", "name": "Quai Lamartine", "lanes": 1},
        },
    ]
    (tmp_path / "bike_counters.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features})
    )
    return tmp_path / "bike_counters.csv"


# -- the sample-city shapes --------------------------------------------------------------------
def test_air_temperature_with_a_stations_file_found_next_to_it(air_temperature):
    layer = SensorLayer.load(air_temperature)
    assert layer.sensor_ids.tolist() == ["T01", "T02", "T03"]
    assert layer.names.tolist() == ["Place Sainte-Anne", "Parc du Thabor", "Gare"]
    assert layer.crs == crs_util.WGS84
    assert np.allclose(layer.xy[0], [-1.68, 48.115])
    assert (layer.quantity, layer.unit) == ("air temperature", "°C")
    assert layer.values.shape == (24, 3) and layer.values.dtype == np.float32
    assert np.all(np.diff(layer.times_ns) > 0)  # shuffled input comes out sorted
    start, end = layer.time_range()
    assert start == datetime(2025, 7, 2, 0, 0, tzinfo=PARIS) and end == datetime(
        2025, 7, 2, 23, 0, tzinfo=PARIS
    )
    assert layer.locations_source.name == "air_temperature_stations.csv"
    assert any("1 locations have no readings" in w for w in layer.warnings)
    info = layer.attributes(1)
    assert (
        info["district"] == "Thabor"
        and info["readings"] == 24
        and info["last_reading"] == pytest.approx(21 + 23 * 0.5)
    )
    values, age = layer.values_at(datetime(2025, 7, 2, 10, 0, tzinfo=PARIS))
    assert values.tolist() == [25.0, 26.0, 27.0] and age.tolist() == [0.0, 0.0, 0.0]


def test_explicit_locations_and_offsets_honoured(air_temperature):
    layer = SensorLayer.load(air_temperature, locations="air_temperature_stations.csv", timezone="UTC")
    # the file's +02:00 offsets win over the (UTC) zone given for naive times
    assert layer.times_ns[0] == pd.Timestamp("2025-07-01T22:00Z").value
    assert layer.options["locations"] == "air_temperature_stations.csv"


def test_noise_sensors_in_lambert93(noise_sensors):
    layer = SensorLayer.load(noise_sensors, crs="EPSG:2154")
    assert layer.crs.to_epsg() == 2154
    assert np.allclose(layer.xy, [[351_200, 6_789_100], [352_400, 6_788_900]])
    assert (layer.quantity, layer.unit) == ("noise level", "dB(A)")
    assert layer.describe()["step"] == "15 min"
    assert not layer.warnings
    # without a CRS, Lambert-93 is assumed for French-looking metres, and said so
    guessed = SensorLayer.load(noise_sensors)
    assert guessed.crs.to_epsg() == 2154 and any("Lambert-93" in w for w in guessed.warnings)


def test_bike_counters_with_geojson_points(bike_counters):
    layer = SensorLayer.load(bike_counters)
    assert layer.sensor_ids.tolist() == ["C1", "C2"]
    assert layer.names.tolist() == ["Pont de Nantes", "Quai Lamartine"]
    assert (layer.quantity, layer.unit) == ("bicycle count", "/h")
    assert layer.attributes(0)["lanes"] == 2
    assert layer.crs == crs_util.WGS84
    values, _ = layer.values_at(datetime(2025, 7, 2, 10, 30, tzinfo=PARIS))
    assert values.tolist() == [10.0, 20.0]


def test_reproject_moves_positions(bike_counters):
    layer = SensorLayer.load(bike_counters)
    layer.reproject(crs_util.LAMBERT93)
    assert layer.crs == crs_util.LAMBERT93
    xmin, ymin, xmax, ymax = layer.bounds()
    assert 340_000 < xmin < xmax < 360_000 and 6_780_000 < ymin < ymax < 6_800_000


# -- values at a time ------------------------------------------------------------------------------
def make_layer(times, values, **kw) -> SensorLayer:
    values = np.asarray(values, dtype=np.float32)
    count = values.shape[1]
    return SensorLayer(
        "test",
        sensor_ids=np.array([f"s{i}" for i in range(count)]),
        names=np.array([f"s{i}" for i in range(count)]),
        xy=np.zeros((count, 2)),
        times_ns=np.asarray(times, np.int64),
        values=values,
        crs=crs_util.LAMBERT93,
        **kw,
    )


def test_values_at_last_reading_age_and_gaps():
    hour = 3600 * NS
    times = np.arange(10) * hour
    values = np.arange(20, dtype=float).reshape(10, 2)
    values[3:8, 1] = np.nan  # sensor 1 silent for 5 hours: a gap longer than 3 steps
    layer = make_layer(times, values)
    assert layer.max_age_s.tolist() == [3 * 3600.0, 3 * 3600.0]
    v, age = layer.values_at(-1)  # before the first reading
    assert np.isnan(v).all() and np.isnan(age).all()
    v, age = layer.values_at(2 * hour + 30 * 60 * NS)
    assert v.tolist() == [4.0, 5.0] and age.tolist() == [1800.0, 1800.0]
    v, age = layer.values_at(4 * hour)  # sensor 1's last reading is 2 h old: still shown
    assert v.tolist() == [8.0, 5.0] and age.tolist() == [0.0, 7200.0]
    v, age = layer.values_at(6 * hour)  # 4 h old: a gap, not a stale value
    assert v[0] == 12.0 and np.isnan(v[1]) and age[1] == 4 * 3600.0
    v, _ = layer.values_at(9 * hour + 4 * hour)  # long after the end
    assert np.isnan(v).all()
    v, _ = layer.values_at(datetime(1970, 1, 1, 5, tzinfo=UTC))
    assert v[0] == 10.0


def test_values_at_is_vectorised_for_many_sensors():
    count = 1000
    rng = np.random.default_rng(0)
    values = rng.normal(20, 3, (500, count))
    values[rng.random(values.shape) < 0.2] = np.nan
    layer = make_layer(np.arange(500) * 600 * NS, values)
    t = 250 * 600 * NS + 1
    v, age = layer.values_at(t)
    # the reference answer, sensor by sensor
    for s in (0, 17, 999):
        column = values[:251, s]
        have = np.flatnonzero(~np.isnan(column))
        last = have[-1]
        expected_age = (t - last * 600 * NS) / NS
        assert age[s] == pytest.approx(expected_age)
        if expected_age <= layer.max_age_s[s]:
            assert v[s] == pytest.approx(column[last], rel=1e-6)
        else:
            assert np.isnan(v[s])


def test_duplicates_averaged_and_max_age_option(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "date;capteur;valeur;lon;lat\n"
        "2025-07-02 10:00;A;10,0;-1.68;48.11\n"
        "2025-07-02 10:00;A;12,0;-1.68;48.11\n"
        "2025-07-02 09:00;A;8,0;-1.68;48.11\n"
        "2025-07-02 11:00;A;;-1.68;48.11\n"
    )
    layer = SensorLayer.load(path, max_age_s=60)
    assert layer.values[:, 0].tolist()[:2] == [8.0, 11.0]
    assert any("averaged" in w for w in layer.warnings)
    assert layer.max_age_s.tolist() == [60.0]
    v, _ = layer.values_at(datetime(2025, 7, 2, 10, 0, 30, tzinfo=PARIS))
    assert v[0] == 11.0
    v, _ = layer.values_at(datetime(2025, 7, 2, 10, 5, tzinfo=PARIS))
    assert np.isnan(v[0])


def test_series_value_range_and_describe():
    hour = 3600 * NS
    values = np.array([[1.0], [2.0], [np.nan], [np.nan], [np.nan], [np.nan], [7.0], [8.0]])
    layer = make_layer(np.arange(8) * hour, values)
    times, readings = layer.series(0)
    assert readings.tolist() == [1.0, 2.0, 7.0, 8.0] and times.tolist() == [0, hour, 6 * hour, 7 * hour]
    times, readings = layer.series(0, gaps=True)
    assert np.isnan(readings[2]) and len(readings) == 5
    low, high = layer.value_range()
    assert low == pytest.approx(np.percentile([1, 2, 7, 8], 2)) and high == pytest.approx(
        np.percentile([1, 2, 7, 8], 98)
    )
    info = layer.describe()
    assert (
        info["sensors"] == 1 and info["readings"] == 4 and info["step"] == "1 h" and info["kind"] == "sensors"
    )
    json.dumps(info)


# -- real files ------------------------------------------------------------------------------------
def test_biel_daily_means_with_lon_lat_in_x_y(shared_data):
    layer = SensorLayer.load(shared_data / "heat/biel_2023/sensor_summer23_mean.csv")
    assert layer.feature_count() == 40
    assert layer.crs == crs_util.WGS84
    assert any("degrees" in w for w in layer.warnings)
    xmin, ymin, xmax, ymax = layer.bounds()
    assert 7.2 < xmin < xmax < 7.5 and 47.1 < ymin < ymax < 47.2
    start, end = layer.time_range()
    assert start.date().isoformat() == "2023-05-15" and end.date().isoformat() == "2023-09-15"
    assert layer.names[0] == "Robert-Walser-Platz"
    assert (layer.quantity, layer.unit) == ("air temperature", "°C")
    assert layer.describe()["step"] == "1 d"
    assert 10 < layer.value_range()[0] < layer.value_range()[1] < 35


def test_hours_of_day_without_sensors_are_refused(tmp_path):
    path = tmp_path / "cycle.csv"
    path.write_text("heure,temp_c\n0,20\n1,19\n")
    with pytest.raises(InputError, match="no coordinates"):
        SensorLayer.load(path)


def test_biel_heatwave_joined_to_a_long_locations_table(shared_data):
    folder = shared_data / "heat/biel_2023"
    layer = SensorLayer.load(
        folder / "sensor_heatwave_aug23.csv", locations=folder / "sensor_summer23_mean.csv"
    )
    assert layer.feature_count() == 40
    assert layer.values.shape == (1872, 40)
    assert layer.describe()["step"] == "10 min"
    assert layer.max_age_s[0] == pytest.approx(1800.0)
    raw = pd.read_csv(folder / "sensor_heatwave_aug23.csv")
    row = raw[(raw["time"] == "2023-08-15 14:00:00") & (raw["logger"] == 204)].iloc[0]
    values, age = layer.values_at(datetime(2023, 8, 15, 14, 0, tzinfo=PARIS))
    s = layer.sensor_ids.tolist().index("204")
    assert values[s] == pytest.approx(row["temperature"], abs=1e-4)
    assert layer.names[s] == "Stadtpark"


def test_rennes_station_positions_as_locations(shared_data, tmp_path):
    readings = tmp_path / "rennes.csv"
    readings.write_text(
        "datetime,station_name,temperature\n"
        "2018-07-01 14:00,Melesse,28.5\n2018-07-01 14:00,Villejean,29.1\n"
        "2018-07-01 14:00,Nulle-Part,30.0\n2018-07-01 15:00,Melesse,29.0\n"
    )
    layer = SensorLayer.load(
        readings, locations=shared_data / "heat/rennes_2018_stations/positions_stations_2018.csv"
    )
    assert layer.sensor_ids.tolist() == ["Melesse", "Villejean"]
    assert np.allclose(layer.xy[0], [-1.68134, 48.20503])
    assert any("Nulle-Part" in w for w in layer.warnings)


# -- bad input ----------------------------------------------------------------------------------------
def test_several_value_candidates_are_listed(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("time,station,temp_c,rh,lon,lat\n2025-07-02 10:00,A,20,50,-1.6,48.1\n")
    with pytest.raises(InputError, match="temp_c, rh"):
        SensorLayer.load(path)
    assert SensorLayer.load(path, value="rh").unit == "%"


def test_no_located_sensor_and_no_coordinates(tmp_path, air_temperature):
    other = tmp_path / "other_stations.csv"
    other.write_text("station,lon,lat\nX1,-1.6,48.1\nX2,-1.7,48.2\n")
    with pytest.raises(InputError, match="no sensor of the readings has a location") as err:
        SensorLayer.load(air_temperature, locations=other)
    assert "T01" in err.value.hint and "X1" in err.value.hint
    bare = tmp_path / "bare.csv"
    bare.write_text("time,station,temp_c\n2025-07-02 10:00,A,20\n")
    with pytest.raises(InputError, match="no coordinates"):
        SensorLayer.load(bare)


def test_bad_time_and_missing_column(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("time,station,temp_c,lon,lat\n2025-07-02 10:00,A,20,-1.6,48.1\nbientôt,A,21,-1.6,48.1\n")
    with pytest.raises(InputError, match="bientôt") as err:
        SensorLayer.load(path)
    assert err.value.field == "time"
    with pytest.raises(InputError, match="columns are"):
        SensorLayer.load(path, value="temperature")


def test_naive_times_follow_the_timezone_option(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("time,station,temp_c,lon,lat\n2025-01-15 12:00,A,20,-1.6,48.1\n")
    paris = SensorLayer.load(path)
    utc = SensorLayer.load(path, timezone="UTC")
    assert utc.times_ns[0] - paris.times_ns[0] == 3600 * NS
    with pytest.raises(InputError, match="time zone"):
        SensorLayer.load(path, timezone="Mars/Olympus")


def test_points_file_with_a_time_field(tmp_path):
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-1.68, 48.11]},
            "properties": {"time": f"2025-07-02T{h:02d}:00:00+02:00", "station": "A", "pm10": 10 + h},
        }
        for h in range(3)
    ]
    path = tmp_path / "air.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    layer = SensorLayer.load(path)
    assert layer.feature_count() == 1 and layer.values[:, 0].tolist() == [10, 11, 12]
    assert layer.unit == "µg/m³"


def test_guess_quantity_units():
    assert guess_quantity("temp_c", 3600) == ("air temperature", "°C")
    assert guess_quantity("LAeq", 900) == ("noise level", "dB(A)")
    assert guess_quantity("velos", 86400) == ("bicycle count", "/jour")
    assert guess_quantity("comptage", 900) == ("count", "/15 min")
    assert guess_quantity("foo", 60) == ("foo", "")


# -- the generated sample city, once it exists --------------------------------------------------------
@pytest.mark.parametrize(
    "name, unit", [("air_temperature.csv", "°C"), ("noise_sensors.csv", "dB(A)"), ("bike_counters.csv", None)]
)
def test_sample_city_sensor_files(sample_city, name, unit):
    path = sample_city / name
    if not path.exists():
        pytest.skip(f"{path} not generated yet")
    layer = SensorLayer.load(path)
    assert layer.feature_count() > 0
    assert layer.time_range() is not None
    if unit:
        assert layer.unit == unit
    else:
        assert layer.unit in {"/h", "/jour"} or layer.unit.startswith("/")
    layer.reproject(crs_util.LAMBERT93)
    xmin, ymin, xmax, ymax = layer.bounds()
    assert 330_000 < xmin <= xmax < 370_000 and 6_770_000 < ymin <= ymax < 6_810_000  # Rennes
    start, _ = layer.time_range()
    values, _ = layer.values_at(start + timedelta(hours=1))
    assert np.isfinite(values).any()


def test_sparse_sensor_keeps_its_own_step():
    minute = 60 * NS
    values = np.full((20_000, 2), np.nan)
    values[:, 0] = 1.0  # every minute
    values[[5, 7_005, 14_005], 1] = 2.0  # every 7,000 minutes, never on the sampled rows
    layer = make_layer(np.arange(20_000) * minute, values)
    assert layer.step_s[0] == 60.0
    assert layer.step_s[1] == pytest.approx(7_000 * 60.0)
    v, _ = layer.values_at(10_000 * minute)
    assert v.tolist() == [1.0, 2.0]
