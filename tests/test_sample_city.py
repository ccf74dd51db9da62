"""The synthetic sample city: regenerated files match the committed ones, and they hold what the
README promises (counts, fields, ranges, time zone, realistic mess, valid project file)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
import shapely
from pyproj import Transformer

from layers.session.project import load_project

SAMPLE = Path(__file__).resolve().parents[1] / "sample_city"
BOUNDS = (351150.0, 6788720.0, 352750.0, 6789920.0)  # EPSG:2154, xmin ymin xmax ymax
FILES = [
    "buildings.gpkg",
    "streets.gpkg",
    "landuse.gpkg",
    "noise_lden.tif",
    "noise_lden_isophones.gpkg",
    "surface_temperature.tif",
    "air_temperature.csv",
    "air_temperature_stations.csv",
    "noise_sensors.csv",
    "bike_counters.csv",
    "bike_counters.geojson",
    "gtfs.zip",
    "sample_city.maquette.json",
    "proposed_tower.geojson",
    "basemap.mbtiles",
]
USAGES = {
    "Résidentiel",
    "Commercial et services",
    "Industriel",
    "Religieux",
    "Sportif",
    "Annexe",
    "Indifférencié",
}
TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample_city")
    subprocess.run(
        [sys.executable, str(SAMPLE / "generate.py"), "--out", str(out), "--quiet"], check=True, timeout=120
    )
    return out


@pytest.fixture(scope="module")
def buildings() -> gpd.GeoDataFrame:
    return gpd.read_file(SAMPLE / "buildings.gpkg", layer="batiments")


@pytest.fixture(scope="module")
def streets() -> gpd.GeoDataFrame:
    return gpd.read_file(SAMPLE / "streets.gpkg", layer="troncons")


@pytest.fixture(scope="module")
def landuse() -> gpd.GeoDataFrame:
    return gpd.read_file(SAMPLE / "landuse.gpkg", layer="occupation_sol")


def _inside(x, y, margin=0.0) -> np.ndarray:
    x, y = np.asarray(x), np.asarray(y)
    return (
        (x >= BOUNDS[0] - margin)
        & (x <= BOUNDS[2] + margin)
        & (y >= BOUNDS[1] - margin)
        & (y <= BOUNDS[3] + margin)
    )


# -- determinism ------------------------------------------------------------------------------------
def _same_vector(a: Path, b: Path) -> None:
    assert pyogrio.list_layers(a).tolist() == pyogrio.list_layers(b).tolist()
    for layer in pyogrio.list_layers(a)[:, 0]:
        fa, fb = gpd.read_file(a, layer=layer), gpd.read_file(b, layer=layer)
        assert fa.crs == fb.crs
        pd.testing.assert_frame_equal(fa.drop(columns="geometry"), fb.drop(columns="geometry"))
        assert shapely.equals_exact(fa.geometry.values, fb.geometry.values, tolerance=1e-6).all()


def _same_raster(a: Path, b: Path) -> None:
    with rasterio.open(a) as ra, rasterio.open(b) as rb:
        pa, pb = dict(ra.profile), dict(rb.profile)
        assert np.isnan(pa.pop("nodata")) and np.isnan(pb.pop("nodata"))
        assert pa == pb
        assert ra.tags() == rb.tags()
        np.testing.assert_array_equal(ra.read(), rb.read())


def _same_zip(a: Path, b: Path) -> None:
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert [(i.filename, i.date_time) for i in za.infolist()] == [
            (i.filename, i.date_time) for i in zb.infolist()
        ]
        for name in za.namelist():
            assert za.read(name) == zb.read(name), name


def _same_mbtiles(a: Path, b: Path) -> None:
    import sqlite3

    query = "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles ORDER BY 1, 2, 3"
    with sqlite3.connect(a) as da, sqlite3.connect(b) as db:
        assert sorted(da.execute("SELECT * FROM metadata")) == sorted(db.execute("SELECT * FROM metadata"))
        assert da.execute(query).fetchall() == db.execute(query).fetchall()


@pytest.mark.parametrize("name", FILES)
def test_regenerated_file_matches_committed(regenerated, name):
    committed, fresh = SAMPLE / name, regenerated / name
    assert committed.exists(), f"{name} is not committed"
    assert fresh.exists(), f"generate.py did not write {name}"
    if name.endswith(".gpkg"):
        _same_vector(committed, fresh)
    elif name.endswith(".tif"):
        _same_raster(committed, fresh)
    elif name.endswith(".zip"):
        _same_zip(committed, fresh)
    elif name.endswith(".mbtiles"):
        _same_mbtiles(committed, fresh)
    else:
        assert committed.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8")


def test_files_are_small():
    total = sum((SAMPLE / name).stat().st_size for name in FILES)
    assert total < 6_000_000


def test_readme_says_synthetic():
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in text and "CC0" in text and "generate.py" in text


# -- vectors -----------------------------------------------------------------------------------------
def test_buildings_fields_counts_and_ranges(buildings):
    assert buildings.crs.to_epsg() == 2154
    assert list(buildings.columns[:-1]) == [
        "id",
        "nom",
        "usage",
        "hauteur",
        "nb_etages",
        "annee_construction",
    ]
    assert 3000 <= len(buildings) <= 5000
    assert set(buildings.geom_type) == {"Polygon"}
    assert buildings.is_valid.all()
    assert buildings["id"].is_unique and buildings["id"].str.fullmatch(r"BATI\d{7}").all()
    assert set(buildings["usage"]) <= USAGES and {"Résidentiel", "Religieux", "Sportif", "Annexe"} <= set(
        buildings["usage"]
    )
    h = buildings["hauteur"]
    assert 0.005 <= h.isna().mean() <= 0.02  # about 1 % unknown heights, on purpose
    assert h.min() >= 3.0 and h.max() <= 60.0
    assert 3 <= (h >= 40).sum() <= 12  # a few towers
    assert (h.between(4, 8)).sum() > 200  # detached houses
    assert buildings["nb_etages"].between(1, 20).all()
    assert buildings["annee_construction"].between(1850, 2024).all()
    named = buildings["nom"].dropna()
    assert 5 <= len(named) <= 20 and named.str.contains("fictif|fictive").all()
    assert (buildings.geometry.interiors.apply(len) > 0).sum() >= 3  # rings with a courtyard hole
    assert _inside(*buildings.total_bounds[[0, 1]]).all() and _inside(*buildings.total_bounds[[2, 3]]).all()


def test_buildings_stay_off_streets_water_and_park(buildings, streets, landuse):
    hits = buildings.sindex.query(streets.geometry.values, predicate="intersects")
    assert hits.size == 0, f"{hits.shape[1]} buildings on streets"
    for kind in ("eau", "parc"):
        zone = shapely.union_all(landuse.geometry[landuse["type"] == kind].values)
        assert shapely.intersection(shapely.union_all(buildings.geometry.values), zone).area < 1.0, kind


def test_streets(streets, landuse):
    assert streets.crs.to_epsg() == 2154
    assert {"nom", "classe", "tmja", "vitesse_kmh"} <= set(streets.columns)
    assert set(streets.geom_type) == {"LineString"}
    assert set(streets["classe"]) == {"principale", "secondaire", "desserte"}
    assert streets["nom"].str.len().gt(3).all()
    assert streets["tmja"].between(500, 30000).all()
    by_class = streets.groupby("classe")["tmja"].median()
    assert by_class["principale"] > by_class["secondaire"] > by_class["desserte"]
    assert set(streets["vitesse_kmh"]) <= {20, 30, 50}
    water = shapely.union_all(landuse.geometry[landuse["type"] == "eau"].values)
    crossing = streets[streets.intersects(water)]
    assert len(crossing) >= 3 and crossing["pont"].all()  # bridges


def test_landuse(landuse):
    assert landuse.crs.to_epsg() == 2154
    assert set(landuse["type"]) == {"eau", "parc", "place"}
    assert landuse["nom"].notna().all()
    assert landuse.area[landuse["type"] == "parc"].max() > 20000


# -- rasters -----------------------------------------------------------------------------------------
def test_noise_raster(buildings):
    with rasterio.open(SAMPLE / "noise_lden.tif") as src:
        lden = src.read(1)
        assert src.crs.to_epsg() == 2154 and src.res == (5.0, 5.0) and src.dtypes[0] == "float32"
        assert np.isnan(src.nodata)
        assert src.tags()["INDICATOR"] == "Lden" and src.tags()["UNIT"] == "dB(A)"
        assert tuple(src.bounds) == BOUNDS
        x, y = buildings.geometry.representative_point().x, buildings.geometry.representative_point().y
        inside_building = np.array(list(src.sample(zip(x, y))))[:, 0]
    assert np.isnan(inside_building).mean() > 0.8  # no data inside buildings
    assert 38.0 <= np.nanmin(lden) and np.nanmax(lden) <= 78.0
    assert np.nanpercentile(lden, 95) > 70 and np.nanpercentile(lden, 5) < 48


def test_noise_sensors_agree_with_the_map():
    table = pd.read_csv(SAMPLE / "noise_sensors.csv")
    assert list(table.columns) == ["time", "sensor", "laeq_db", "x", "y"]
    assert sorted(table["sensor"].unique()) == ["N1", "N2", "N3", "N4"]
    places = table.groupby("sensor")[["x", "y"]].nunique()
    assert (places == 1).all().all()
    xy = table.groupby("sensor")[["x", "y"]].first()
    assert _inside(xy["x"], xy["y"]).all()
    with rasterio.open(SAMPLE / "noise_lden.tif") as src:
        at = dict(zip(xy.index, np.array(list(src.sample(zip(xy["x"], xy["y"]))))[:, 0]))
    assert at["N4"] < 55 < 65 < min(at["N1"], at["N2"], at["N3"])  # a quiet courtyard, busy streets
    hour = table["time"].str[11:13].astype(int)
    by_hour = table.assign(hour=hour).groupby(["sensor", "hour"])["laeq_db"].mean().unstack()
    assert (by_hour[3] < by_hour[8] - 4).all()  # quiet at 3 am
    assert table["time"].str.endswith("+02:00").all()


def test_isophones():
    bands = gpd.read_file(SAMPLE / "noise_lden_isophones.gpkg", layer="isophones")
    assert bands.crs.to_epsg() == 2154
    assert list(bands.columns[:-1]) == ["lden_min", "lden_max", "indicateur", "legende"]
    assert set(bands.geom_type) <= {"Polygon", "MultiPolygon"}
    assert (bands["indicateur"] == "Lden").all()
    assert bands["legende"].iloc[0] == "<45 dB(A)" and np.isnan(bands["lden_min"].iloc[0])
    assert bands["legende"].iloc[-1] == ">75 dB(A)" and np.isnan(bands["lden_max"].iloc[-1])
    inner = bands.iloc[1:-1]
    assert ((inner["lden_max"] - inner["lden_min"]) == 5).all()
    assert "55-60 dB(A)" in set(bands["legende"])


def test_surface_temperature(landuse):
    with rasterio.open(SAMPLE / "surface_temperature.tif") as src:
        temp = src.read(1)
        assert src.crs.to_epsg() == 2154 and src.res == (10.0, 10.0) and np.isnan(src.nodata)
        assert src.tags()["UNIT"] == "°C" and src.tags()["QUANTITY"] == "surface temperature"
        assert src.tags()["TIME"] == "2025-07-01T16:00:00+02:00"

        def median_in(kind):
            zone = shapely.buffer(shapely.union_all(landuse.geometry[landuse["type"] == kind].values), -10.0)
            pts = shapely.points(np.random.default_rng(0).uniform(BOUNDS[:2], BOUNDS[2:], (20000, 2)))
            pts = pts[shapely.contains(zone, pts)]
            return float(np.median(np.array(list(src.sample(shapely.get_coordinates(pts))))[:, 0]))

        water, park = median_in("eau"), median_in("parc")
    assert 23.5 <= water <= 26.5
    assert 28.0 <= park <= 35.0
    assert np.nanpercentile(temp, 90) > 48.0  # roofs and asphalt


# -- tables -----------------------------------------------------------------------------------------
def test_air_temperature_heat_island():
    table = pd.read_csv(SAMPLE / "air_temperature.csv")
    stations = pd.read_csv(SAMPLE / "air_temperature_stations.csv")
    assert list(table.columns) == ["time", "station", "temp_c"]
    assert list(stations.columns) == ["station", "name", "lon", "lat", "environment"]
    assert len(stations) >= 16
    assert set(stations["environment"]) == {"dense", "residential", "park", "water", "reference"}
    x, y = TO_L93.transform(stations["lon"].values, stations["lat"].values)
    assert _inside(x, y).all()
    times = pd.to_datetime(table["time"])
    assert (
        table["time"].iloc[0] == "2025-07-01T00:00:00+02:00"
        and table["time"].iloc[-1] == "2025-07-03T23:50:00+02:00"
    )
    assert times.dt.tz is not None
    counts = table.groupby("station").size()
    assert (counts == 432).sum() == len(stations) - 1 and counts.min() == 432 - 18  # one 3-hour gap
    assert 0 < table["temp_c"].isna().sum() < 0.01 * len(table)  # a few empty cells
    assert table["temp_c"].min() > 17 and table["temp_c"].max() < 40
    env = table.merge(stations[["station", "environment"]])
    hour = env["time"].str[11:13].astype(int)
    night = env[hour.between(2, 4)].groupby("environment")["temp_c"].mean()
    noon = env[hour.between(13, 14)].groupby("environment")["temp_c"].mean()
    assert 3.0 <= night["dense"] - night["reference"] <= 5.0
    assert 3.0 <= night["dense"] - night["park"] <= 5.0
    assert abs(noon["dense"] - noon["reference"]) < 1.5


def test_bike_counters(streets):
    table = pd.read_csv(SAMPLE / "bike_counters.csv")
    assert list(table.columns) == ["time", "counter", "bikes"]
    assert sorted(table["counter"].unique()) == ["V1", "V2", "V3", "V4", "V5"]
    assert len(table) == 5 * 72 and table["bikes"].dtype.kind == "i"
    hourly = table.assign(hour=table["time"].str[11:13].astype(int)).groupby("hour")["bikes"].mean()
    assert (
        hourly.idxmax() in (8, 18)
        and hourly.loc[6:11].idxmax() == 8
        and hourly.loc[15:21].idxmax() in (17, 18)
    )
    assert hourly[3] < 0.05 * hourly[8]
    points = gpd.read_file(SAMPLE / "bike_counters.geojson")
    assert points.crs.to_epsg() == 4326 and {"counter", "name"} <= set(points.columns)
    assert sorted(points["counter"]) == ["V1", "V2", "V3", "V4", "V5"]
    dist = points.to_crs(2154).geometry.apply(lambda p: streets.distance(p).min())
    assert (dist < 1.0).all()


# -- transit ------------------------------------------------------------------------------------------
def _gtfs() -> dict[str, pd.DataFrame]:
    with zipfile.ZipFile(SAMPLE / "gtfs.zip") as z:
        return {n.removesuffix(".txt"): pd.read_csv(io.BytesIO(z.read(n)), dtype=str) for n in z.namelist()}


def _seconds(hms: pd.Series) -> np.ndarray:
    parts = hms.str.split(":", expand=True).astype(int)
    return (parts[0] * 3600 + parts[1] * 60 + parts[2]).to_numpy()


def test_gtfs_feed(streets):
    feed = _gtfs()
    assert set(feed) == {
        "agency",
        "stops",
        "routes",
        "trips",
        "stop_times",
        "calendar",
        "calendar_dates",
        "shapes",
        "feed_info",
    }
    with zipfile.ZipFile(SAMPLE / "gtfs.zip") as z:
        assert z.namelist() == sorted(z.namelist())
    routes = feed["routes"]
    assert len(routes) == 3 and routes["route_color"].str.fullmatch(r"[0-9A-F]{6}").all()
    assert {"C1", "C2", "12"} == set(routes["route_short_name"])
    stops = feed["stops"]
    assert 30 <= len(stops) <= 45 and stops["stop_id"].is_unique
    x, y = TO_L93.transform(stops["stop_lon"].astype(float).values, stops["stop_lat"].astype(float).values)
    assert _inside(x, y).all()
    lines = shapely.union_all(streets.geometry.values)
    assert (shapely.distance(shapely.points(x, y), lines) < 8.0).all()  # on the street network
    shapes = feed["shapes"]
    sx, sy = TO_L93.transform(
        shapes["shape_pt_lon"].astype(float).values, shapes["shape_pt_lat"].astype(float).values
    )
    assert (shapely.distance(shapely.points(sx, sy), lines) < 0.5).all()  # shapes follow the streets
    trips = feed["trips"]
    assert set(trips["direction_id"]) == {"0", "1"}
    times = feed["stop_times"].merge(trips, on="trip_id")
    arr = _seconds(times["arrival_time"])
    assert (
        times["arrival_time"].str.startswith("24:").any()
        and times["arrival_time"].str.startswith("25:").any()
    )
    assert arr.min() >= 5 * 3600 + 30 * 60
    # speed: about 18 km/h from the first to the last stop
    times = times.assign(t=arr, d=times["shape_dist_traveled"].astype(float))
    span = times.groupby("trip_id").agg(t0=("t", "min"), t1=("t", "max"), d0=("d", "min"), d1=("d", "max"))
    speed_kmh = (span["d1"] - span["d0"]) / (span["t1"] - span["t0"]) * 3.6
    assert speed_kmh.between(16.0, 20.0).all()
    # headways 6–15 min
    first = times[times["stop_sequence"] == "1"]
    for _, group in first.groupby(["route_id", "service_id", "direction_id"]):
        gaps = np.diff(np.sort(group["t"].to_numpy())) / 60.0
        assert gaps.min() >= 6.0 - 1e-9 and gaps.max() <= 15.0 + 1e-9
    calendar = feed["calendar"]
    assert set(calendar["start_date"]) == {"20250628"} and set(calendar["end_date"]) == {"20250706"}
    assert feed["calendar_dates"]["date"].nunique() == 1


# -- project file -------------------------------------------------------------------------------------
def test_project_file():
    project = load_project(SAMPLE / "sample_city.maquette.json")
    doc = project.data
    assert doc["crs"] == "EPSG:2154" and doc["timezone"] == "Europe/Paris"
    assert (
        doc["clock"]["start"] == "2025-07-01T00:00:00+02:00"
        and doc["clock"]["end"] == "2025-07-03T23:50:00+02:00"
    )
    ids = [spec["id"] for spec in project.layer_specs]
    assert ids == [
        "basemap",  # the ground under everything (sample_city/citygen/basemap.py)
        "landuse",
        "buildings",
        "proposed_tower",
        "streets",
        "noise",
        "noise_bands",
        "surface_temp",
        "air_temp",
        "air_surface",
        "noise_sensors",
        "bike_counters",
        "transit",
    ]
    for spec in project.layer_specs:
        assert project.source_path(spec).exists(), spec["source"]
        locations = spec.get("options", {}).get("locations")
        if locations:
            assert (SAMPLE / locations).exists()
        assert spec["attribution"] == "Données synthétiques Maquette"
    views = project.views()
    assert [v.name for v in views] == ["Vue d'ensemble", "Les quais", "Les tours", "Le parc"]
    for view in views:
        fx, fy, fz = view.focal_point
        px, py, pz = view.position
        assert _inside(fx, fy), view.name
        assert _inside(px, py, margin=2500.0) and pz > 50.0, view.name
        down = np.degrees(np.arctan2(pz - fz, np.hypot(px - fx, py - fy)))
        assert 30.0 <= down <= 55.0, view.name
    story = doc["story"]
    assert 4 <= len(story) <= 5
    names = {v.name for v in views}
    for step in story:
        assert step["view"] in names and set(step["visible"]) <= set(ids)
        assert step["text"].count("\n") == 1
        assert doc["clock"]["start"] <= step["time"] <= doc["clock"]["end"]
    assert json.loads((SAMPLE / "sample_city.maquette.json").read_text(encoding="utf-8")) == doc
