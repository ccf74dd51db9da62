"""Sensor sources beyond long tables: wide tables, FIWARE / NGSI, SensorThings, split ids, big files."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from layers.core import crs as crs_util
from layers.core.detect import detect_kind
from layers.core.errors import InputError
from layers.sensors.layer import SensorLayer
from layers.session.info import describe_path

PARIS = ZoneInfo("Europe/Paris")
DATA = Path(__file__).parent / "data"


# -- wide tables -----------------------------------------------------------------------------------
def test_one_column_per_hour_with_crlf_bom_and_semicolons(tmp_path):
    header = (
        "Numéro de boucle;Jour;" + ";".join(f"{h:02d}" for h in range(24)) + ";Total;Boucle de comptage\r\n"
    )
    rows = [
        "12;2025-10-18;" + ";".join(str(h) for h in range(24)) + ";276;12 - Quai Nord vers Est\r\n",
        "7;2025-10-18;" + ";".join(str(2 * h) for h in range(24)) + ";552;7 - Pont Sud\r\n",
        "12;2025-10-19;"
        + ";".join("" if h == 5 else "1" for h in range(24))
        + ";23;12 - Quai Nord vers Est\r\n",
    ]
    path = tmp_path / "comptages_velo.csv"
    path.write_bytes(("\ufeff" + header + "".join(rows)).encode("utf-8"))
    (tmp_path / "boucles.csv").write_text("boucle,lon,lat\n7,-1.55,47.21\n12,-1.56,47.22\n")
    assert detect_kind(path) == "sensors"
    layer = SensorLayer.load(path, locations="boucles.csv")
    assert layer.sensor_ids.tolist() == ["7", "12"]  # natural order
    assert layer.names.tolist() == ["7 - Pont Sud", "12 - Quai Nord vers Est"]
    assert (layer.quantity, layer.unit) == ("bicycle count", "/h")
    assert layer.values.shape == (48, 2)
    values, _ = layer.values_at(datetime(2025, 10, 18, 8, 30, tzinfo=PARIS))
    assert values.tolist() == [16.0, 8.0]
    values, _ = layer.values_at(datetime(2025, 10, 19, 5, 10, tzinfo=PARIS))
    assert np.isnan(values[1]) or values[1] == 1.0  # an empty cell is no reading, never a zero
    assert layer.values[29, 1] != 0 and np.isnan(layer.values[29, 1])


def test_nantes_loops_without_coordinates_say_so(shared_data):
    path = shared_data / "mobility/nantes_velo/244400404_comptages-velo-nantes-metropole.csv"
    with pytest.raises(InputError, match="no coordinates") as err:
        SensorLayer.load(path)
    assert "locations" in err.value.hint and "787" in err.value.hint or "664" in err.value.hint


def test_nantes_loops_with_a_locations_file(shared_data, tmp_path):
    path = shared_data / "mobility/nantes_velo/244400404_comptages-velo-nantes-metropole.csv"
    raw = pd.read_csv(path, sep=";", encoding="utf-8-sig")
    loops = sorted(raw["Numéro de boucle"].unique())
    places = pd.DataFrame(
        {
            "numero": loops,
            "lon": -1.55 + 0.001 * np.arange(len(loops)),
            "lat": 47.21 + 0.001 * np.arange(len(loops)),
        }
    )
    places.to_csv(tmp_path / "boucles.csv", index=False)
    layer = SensorLayer.load(path, locations=tmp_path / "boucles.csv")
    assert layer.feature_count() == 56
    assert layer.unit == "/h" and layer.quantity == "bicycle count"
    row = raw[(raw["Numéro de boucle"] == 787) & (raw["Jour"] == "2025-11-02")].iloc[0]
    values, _ = layer.values_at(datetime(2025, 11, 2, 10, 15, tzinfo=PARIS))
    assert values[layer.sensor_ids.tolist().index("787")] == row["10"]
    assert layer.names[layer.sensor_ids.tolist().index("787")] == "787 - 50 Otages Vers Sud"
    start, end = layer.time_range()
    assert start == datetime(2025, 10, 18, 0, 0, tzinfo=PARIS) and end == datetime(
        2025, 11, 2, 23, 0, tzinfo=PARIS
    )
    assert any("anomal" in w for w in layer.warnings)


def test_one_column_per_sensor_joined_on_column_names(tmp_path):
    path = tmp_path / "temperatures.csv"
    path.write_text("date;T01;T02;T03\n12/08/2023 00:00;21,5;22,0;\n12/08/2023 01:00;21,0;21,4;23,1\n")
    (tmp_path / "temperatures_stations.csv").write_text(
        "id;nom;x;y\nT01;Gare;351000;6789000\nT02;Parc;351500;6789500\nT03;Port;352000;6789900\n"
    )
    layer = SensorLayer.load(path, crs="EPSG:2154")
    assert layer.sensor_ids.tolist() == ["T01", "T02", "T03"] and layer.names.tolist() == [
        "Gare",
        "Parc",
        "Port",
    ]
    assert layer.unit == "°C"  # from the file's name
    values, _ = layer.values_at(datetime(2023, 8, 12, 0, 30, tzinfo=PARIS))
    assert values[:2].tolist() == [21.5, 22.0] and np.isnan(values[2])
    assert any("one column per sensor" in w for w in layer.warnings)


def test_one_column_per_time(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(
        "station,lon,lat,2023-08-12 00:00,2023-08-12 01:00,2023-08-12 02:00\n"
        "A,7.24,47.13,20.5,20.1,19.8\nB,7.25,47.14,22.5,,21.0\n"
    )
    layer = SensorLayer.load(path, locations=path)
    assert layer.values.shape == (3, 2)
    assert layer.values[:, 0].tolist() == pytest.approx([20.5, 20.1, 19.8])


def test_typical_day_replays_on_any_date(shared_data):
    path = shared_data / "heat/biel_2023/summer23_hourly_uhi_ci.csv"
    assert detect_kind(path) == "sensors"
    layer = SensorLayer.load(path)
    assert layer.cycle_s == 86_400 and layer.time_range() is None
    assert (layer.quantity, layer.unit) == ("heat island intensity", "K")
    raw = pd.read_csv(path)
    expected = raw[(raw["hour"] == 3) & (raw["logger"] == raw["logger"].iloc[0])]["uhi"].iloc[0]
    s = layer.sensor_ids.tolist().index(str(raw["logger"].iloc[0]))
    for day in (datetime(2023, 7, 1, 3, 20, tzinfo=PARIS), datetime(2031, 1, 9, 3, 59, tzinfo=PARIS)):
        values, _ = layer.values_at(day)
        assert values[s] == pytest.approx(expected, abs=1e-5)
    assert layer.suggested_range() is not None
    assert layer.describe()["typical_day"] is True


def test_heatwave_finds_its_loggers_in_the_same_folder(shared_data):
    layer = SensorLayer.load(shared_data / "heat/biel_2023/sensor_heatwave_aug23.csv")
    assert layer.feature_count() == 40
    assert any("same folder" in w for w in layer.warnings)
    assert "Stadtpark" in layer.names.tolist()


# -- FIWARE / NGSI ---------------------------------------------------------------------------------
def test_montpellier_archive_one_file(shared_data):
    path = shared_data / "mobility/montpellier_ecocompt/MMM_EcoCompt_X2H19070220_archive.json"
    assert detect_kind(path) == "sensors"
    layer = SensorLayer.load(path)
    assert layer.feature_count() == 1
    assert layer.sensor_ids[0] == "MMM_EcoCompt_X2H19070220"
    assert layer.names[0] == "Compteur Piéton/Vélo Berracasa"  # from GeolocCompteurs.geojson next to it
    assert (layer.quantity, layer.unit) == ("bicycle count", "/jour")
    assert layer.max_age_s[0] >= 86_400
    values, _ = layer.values_at(datetime(2020, 12, 17, 18, 0, tzinfo=PARIS))
    assert values[0] == 524.0  # the day's count, shown all day


def test_montpellier_folder_is_one_layer_with_split_ids(shared_data):
    folder = shared_data / "mobility/montpellier_ecocompt"
    assert detect_kind(folder) == "sensors"
    info = describe_path(folder)
    assert info["kind"] == "sensors" and info["sensors"] == 38 and info["unit"] == "/jour"
    assert info["time_range"][0].startswith("2020-11-12") and info["time_range"][1].startswith("2024-11-15")
    layer = SensorLayer.load(folder)
    named = dict(zip(layer.sensor_ids, layer.names))
    # the readings say X2H20042633; the locations list it as Y2H20042633 in "N° Série", X... in "N° Sér_1"
    assert named["MMM_EcoCompt_X2H20042633"] == "Compteur Vélo Lodève Celleneuve"
    assert np.isfinite(layer.xy).all()
    assert any("averaged" in w for w in layer.warnings)


def test_ngsi_normalized_and_ld_forms(tmp_path):
    lines = []
    for h in range(3):
        lines.append(
            json.dumps(
                {
                    "id": f"urn:ngsi-ld:NoiseLevelObserved:rue-{h % 2}",
                    "type": "NoiseLevelObserved",
                    "dateObserved": {"type": "DateTime", "value": f"2025-07-02T{10 + h:02d}:00:00Z"},
                    "LAeq": {"type": "Number", "value": 60 + h},
                    "LAmax": {"type": "Number", "value": 80},
                    "location": {
                        "type": "geo:json",
                        "value": {"type": "Point", "coordinates": [-1.67 + h % 2 * 0.01, 48.11]},
                    },
                }
            )
        )
    path = tmp_path / "noise.jsonl"
    path.write_text("\n".join(lines))
    assert detect_kind(path) == "sensors"
    layer = SensorLayer.load(path)
    assert layer.feature_count() == 2 and layer.value_field == "LAeq" and layer.unit == "dB(A)"
    values, _ = layer.values_at(datetime(2025, 7, 2, 13, 30, tzinfo=PARIS))  # 11:30Z
    assert values.tolist() == [60.0, 61.0]


# -- SensorThings ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["sensorthings_things.json", "sensorthings_observations.json"])
def test_sensorthings_exports(name):
    path = DATA / name
    assert detect_kind(path) == "sensors"
    layer = SensorLayer.load(path)
    assert layer.feature_count() == 3
    assert (layer.quantity, layer.unit) == ("air temperature", "°C")
    assert sorted(layer.names.tolist()) == [
        "Capteur Gare Sud",
        "Capteur Parc du Thabor",
        "Capteur Place de la Mairie",
    ]
    assert layer.crs == crs_util.WGS84
    assert any("Relative humidity" in w for w in layer.warnings)
    start, end = layer.time_range()
    assert start == datetime(2025, 7, 14, 20, 0, tzinfo=PARIS) and end == datetime(
        2025, 7, 15, 7, 0, tzinfo=PARIS
    )
    values, _ = layer.values_at(datetime(2025, 7, 14, 23, 30, tzinfo=PARIS))
    assert np.isfinite(values).all()
    humidity = SensorLayer.load(path, value="humidity")
    assert humidity.feature_count() == 2 and humidity.unit == "%"
    with pytest.raises(InputError, match="no observed property"):
        SensorLayer.load(path, value="ozone")


def test_sensorthings_failed_reading_is_a_gap():
    layer = SensorLayer.load(DATA / "sensorthings_things.json")
    s = layer.names.tolist().index("Capteur Parc du Thabor")
    times, values = layer.series(s)
    assert len(times) == 11 and np.isfinite(values).all()


# -- large files, the Arrow path -------------------------------------------------------------------
def _long_frame(sensors=30, steps=24 * 6 * 3):
    times = pd.date_range("2025-03-29T00:00Z", periods=steps, freq="10min")
    frame = pd.DataFrame(
        {
            "time": np.repeat(times.strftime("%Y-%m-%dT%H:%M:%SZ"), sensors),
            "station": np.tile([f"S{i}" for i in range(sensors)], steps),
            "temp_c": np.round(np.random.default_rng(0).normal(15, 3, sensors * steps), 1),
        }
    )
    frame.loc[frame.index % 37 == 0, "temp_c"] = np.nan
    return frame


def test_parquet_and_big_csv_match_the_pandas_path(tmp_path, monkeypatch):
    from layers.sensors import fast as sensors_fast

    frame = _long_frame()
    frame.to_csv(tmp_path / "readings.csv", index=False)
    pd.DataFrame(
        {"station": [f"S{i}" for i in range(30)], "lon": np.linspace(-1.7, -1.6, 30), "lat": 48.1}
    ).to_csv(tmp_path / "readings_stations.csv", index=False)
    slow = SensorLayer.load(tmp_path / "readings.csv")
    assert not sensors_fast.usable(tmp_path / "readings.csv")
    monkeypatch.setattr(sensors_fast, "FAST_CSV_BYTES", 0)
    fast = SensorLayer.load(tmp_path / "readings.csv")
    table = frame.assign(time=pd.to_datetime(frame["time"]))
    table.to_parquet(tmp_path / "readings.parquet")
    assert detect_kind(tmp_path / "readings.parquet") == "sensors"
    parquet = SensorLayer.load(tmp_path / "readings.parquet", locations="readings_stations.csv")
    for layer in (fast, parquet):
        assert layer.sensor_ids.tolist() == slow.sensor_ids.tolist()
        assert np.array_equal(layer.times_ns, slow.times_ns)
        assert np.allclose(layer.values, slow.values, equal_nan=True)


def test_fast_path_averages_duplicates_and_localises_naive_times(tmp_path, monkeypatch):
    from layers.sensors import fast as sensors_fast

    monkeypatch.setattr(sensors_fast, "FAST_CSV_BYTES", 0)
    path = tmp_path / "d.csv"
    path.write_text(
        "time,sensor,value,lon,lat\n2025-07-02 10:00,A,10,-1.6,48.1\n"
        "2025-07-02 10:00,A,12,-1.6,48.1\n2025-07-02 09:00,B,8,-1.7,48.2\n"
    )
    layer = SensorLayer.load(path)
    assert layer.values[1, 0] == 11.0 and any("averaged" in w for w in layer.warnings)
    assert layer.times_ns[0] == pd.Timestamp("2025-07-02T07:00Z").value
    assert np.allclose(layer.xy, [[-1.6, 48.1], [-1.7, 48.2]])


@pytest.mark.parametrize("fast_path", [False, True], ids=["pandas", "fast"])
def test_infinite_and_absurd_readings_are_left_out_and_said(tmp_path, monkeypatch, fast_path):
    from layers.sensors import fast as sensors_fast

    if fast_path:
        monkeypatch.setattr(sensors_fast, "FAST_CSV_BYTES", 0)
    path = tmp_path / "r.csv"
    path.write_text(
        "time,sensor,value,lon,lat\n2025-07-02 09:00,A,inf,-1.6,48.1\n2025-07-02 10:00,A,1e308,-1.6,48.1\n"
        "2025-07-02 11:00,A,21.5,-1.6,48.1\n2025-07-02 10:00,B,-1e300,-1.7,48.2\n"
    )
    layer = SensorLayer.load(path)
    assert np.isnan(layer.values[:2, 0]).all() and layer.values[2, 0] == 21.5
    assert np.isnan(layer.values[:, 1]).all() and np.isfinite(layer.values[~np.isnan(layer.values)]).all()
    (said,) = [w for w in layer.warnings if "beyond any measurement" in w]
    assert said.startswith("3 readings are infinite or beyond any measurement (e.g. ")
    assert said.endswith("): left out")
