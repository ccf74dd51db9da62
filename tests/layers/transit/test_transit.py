"""GTFS timetables: reading messy feeds, calendars, vehicles between stops and along shapes."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from layers.core import crs as crs_util
from layers.core.errors import InputError
from layers.core.style import StyleError
from layers.transit.gtfs import DEFAULT_PALETTE
from layers.transit.layer import TransitLayer
from layers.transit.style import TransitStyle

PARIS = ZoneInfo("Europe/Paris")
A, APEX, B, C = (-1.70, 48.11), (-1.695, 48.115), (-1.69, 48.11), (-1.68, 48.11)

FEED = {
    "agency.txt": 'agency_id,agency_name,agency_url,agency_timezone\n"1","Bus Démo","https://example.org","Europe/Paris"\n',
    "stops.txt": (
        "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
        f'"SA","Arsenal",{A[1]},{A[0]},0,\n"SB","Bretagne",{B[1]},{B[0]},0,"P1"\n"SC","Colombier",{C[1]},{C[0]},,\n'
        '"P1","Pôle Bretagne",48.1101,-1.6901,1,\n'
    ),
    "routes.txt": (
        "route_id,agency_id,route_short_name,route_long_name,route_type,route_color,route_text_color\n"
        '"R1","1","1","Arsenal <> Colombier",3,"",""\n"R2","1","N","Noctambus",3,"FF0000",""\n'
    ),
    "routes_extensions.txt": 'route_id,route_accessible\n"R1","1"\n"R2","0"\n',
    "trips.txt": (
        "route_id,service_id,trip_id,direction_id,shape_id\n"
        '"R1","WK","T1",0,"S1"\n"R1","WK","T2",1,\n"R2","WK","T3",0,\n"R1","WE","T4",0,"S1"\n'
    ),
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled\n"
        '"T1","08:00:00","08:00:00","SA",1,0\n"T1","08:10:00","08:11:00","SB",2,2\n"T1","08:21:00","08:21:00","SC",3,3\n'
        '"T2","08:30:00","08:30:00","SC",1,\n"T2","","","SB",2,\n"T2","08:50:00","08:50:00","SA",3,\n'
        '"T3","23:50:00","23:50:00","SA",1,\n"T3","24:30:00","24:30:00","SC",2,\n'
        '"T4","10:00:00","10:00:00","SA",1,0\n"T4","10:20:00","10:20:00","SC",2,3\n'
    ),
    "shapes.txt": (
        "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled\n"
        f'"S1",{A[1]},{A[0]},1,0\n"S1",{APEX[1]},{APEX[0]},2,1\n"S1",{B[1]},{B[0]},3,2\n"S1",{C[1]},{C[0]},4,3\n'
    ),
    "calendar.txt": (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        '"WK",1,1,1,1,1,0,0,20250701,20250731\n"WE",0,0,0,0,0,1,1,20250701,20250731\n'
    ),
    "calendar_dates.txt": 'service_id,date,exception_type\n"WK",20250714,2\n"WE",20250714,1\n',
}


def write_feed(folder, files, *, bom=False, crlf=False):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        if crlf:
            text = text.replace("\n", "\r\n")
        (folder / name).write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return folder


def zip_feed(path, files, *, bom=True, crlf=True):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            if crlf:
                text = text.replace("\n", "\r\n")
            archive.writestr(name, ("\ufeff" if bom else "") + text)
    return path


def at(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def feed_dir(tmp_path):
    return write_feed(tmp_path / "feed", FEED)


def positions(layer, t):
    xy, route, trips = layer.vehicles_at(t)
    return {trip: (tuple(np.round(p, 6)), int(r)) for p, r, trip in zip(xy, route, trips)}


# -- the synthetic feed ----------------------------------------------------------------------------
def test_load_stops_routes_and_description(feed_dir):
    layer = TransitLayer.load(feed_dir)
    assert layer.stop_ids.tolist() == ["SA", "SB", "SC"]  # the station P1 is not a stop
    assert layer.stop_names.tolist() == ["Arsenal", "Bretagne", "Colombier"]
    assert np.allclose(layer.stops_xy, [A, B, C])
    routes = layer.routes
    assert routes["short_name"].tolist() == ["1", "N"]
    assert routes["color"].tolist() == [DEFAULT_PALETTE[0], "#ff0000"]
    assert routes["text_color"].tolist() == ["#ffffff", "#ffffff"]
    assert routes["route_accessible"].tolist() == ["1", "0"]  # extension file merged
    assert layer.attribution == "Source: Bus Démo"
    assert layer.time_range() is None
    info = layer.describe()
    assert (info["routes"], info["stops"], info["trips"]) == (2, 3, 4)
    assert (info["service_start"], info["service_end"]) == ("2025-07-01", "2025-07-31")
    assert "time_range" not in info
    json.dumps(info)
    assert layer.attributes(1)["routes"] == "1" and layer.attributes(1)["parent_station"] == "P1"


def test_style_keeps_keys_of_later_versions_out_of_the_options(feed_dir):
    layer = TransitLayer.load(feed_dir, style={"route_width_px": 6})
    assert isinstance(layer.style, TransitStyle) and layer.style.extra == {"route_width_px": 6}
    assert layer.style.to_dict() == {"route_width_px": 6} and "style" not in layer.options
    assert TransitStyle.from_dict(None).to_dict() == {}
    with pytest.raises(StyleError):
        TransitStyle.from_dict(["route_width_px"])


def test_vehicle_moves_along_the_shape_and_dwells(feed_dir):
    layer = TransitLayer.load(feed_dir)
    wednesday = (2025, 7, 2)
    assert positions(layer, at(*wednesday, 8, 5)) == {"T1": (APEX, 0)}  # halfway A→B along the detour
    assert positions(layer, at(*wednesday, 8, 10, 30)) == {"T1": (B, 0)}  # dwelling at B
    mid = positions(layer, at(*wednesday, 8, 16))["T1"][0]
    assert mid == pytest.approx(((B[0] + C[0]) / 2, B[1]))
    assert positions(layer, at(*wednesday, 7, 59)) == {}
    assert positions(layer, at(*wednesday, 8, 21)) == {}  # arrived: no longer running


def test_untimed_stop_and_straight_line_without_shape(feed_dir):
    layer = TransitLayer.load(feed_dir)
    # T2 has no shape and no time at SB: SB is interpolated at 08:40, halfway
    assert positions(layer, at(2025, 7, 2, 8, 40)) == {"T2": (B, 0)}
    xy = positions(layer, at(2025, 7, 2, 8, 35))["T2"][0]
    assert xy == pytest.approx(((C[0] + B[0]) / 2, B[1]))


def test_calendar_exceptions_and_trips_past_midnight(feed_dir):
    layer = TransitLayer.load(feed_dir)
    # T3 (23:50 → 24:30 on Wednesday's service) still runs at 00:10 on Thursday
    night = positions(layer, at(2025, 7, 3, 0, 10))
    assert list(night) == ["T3"] and night["T3"][1] == 1
    # 14 July: weekday service removed, weekend service added
    assert list(positions(layer, at(2025, 7, 14, 10, 10))) == ["T4"]
    assert positions(layer, at(2025, 7, 14, 8, 5)) == {}
    assert list(positions(layer, at(2025, 7, 15, 8, 5))) == ["T1"]
    # outside the calendar: nothing, and no error
    xy, route, trips = layer.vehicles_at(at(2026, 1, 1, 8, 5))
    assert xy.shape == (0, 2) and len(route) == 0 and len(trips) == 0
    assert layer.service_dates()[0] == date(2025, 7, 1) and len(layer.service_dates()) == 31


def test_zip_with_bom_crlf_and_projection_without_distances(tmp_path):
    files = dict(FEED)
    files["stop_times.txt"] = (
        "\n".join(",".join(line.split(",")[:5]) for line in FEED["stop_times.txt"].splitlines()) + "\n"
    )
    files["shapes.txt"] = (
        "\n".join(",".join(line.split(",")[:4]) for line in FEED["shapes.txt"].splitlines()) + "\n"
    )
    layer = TransitLayer.load(zip_feed(tmp_path / "feed.zip", files))
    assert layer.stop_ids.tolist() == ["SA", "SB", "SC"]
    # stops projected onto the shape: the vehicle still takes the detour
    assert positions(layer, at(2025, 7, 2, 8, 5))["T1"][0] == pytest.approx(APEX, abs=1e-9)


def test_trip_against_its_shape_falls_back_to_straight_lines(tmp_path):
    files = dict(FEED)
    files["trips.txt"] = FEED["trips.txt"] + '"R1","WK","T5",1,"S1"\n'
    files["stop_times.txt"] = FEED["stop_times.txt"] + (
        '"T5","09:00:00","09:00:00","SC",1,\n'
        '"T5","09:10:00","09:10:00","SB",2,\n"T5","09:20:00","09:20:00","SA",3,\n'
    )
    layer = TransitLayer.load(write_feed(tmp_path / "feed", files))
    assert any("against their shape" in w for w in layer.warnings)
    xy = positions(layer, at(2025, 7, 2, 9, 5))["T5"][0]
    assert xy == pytest.approx(((C[0] + B[0]) / 2, B[1]))
    # T1, on the same shape in its own direction, still follows it
    assert positions(layer, at(2025, 7, 2, 8, 5))["T1"][0] == pytest.approx(APEX)


def test_stops_without_position_are_skipped_not_their_trips(tmp_path):
    files = dict(FEED)
    files["stops.txt"] = FEED["stops.txt"].replace(f'"SB","Bretagne",{B[1]},{B[0]}', '"SB","Bretagne",,')
    files["stop_times.txt"] = FEED["stop_times.txt"] + '"T3","24:00:00","24:00:00","SX",3,\n'
    layer = TransitLayer.load(write_feed(tmp_path / "feed", files))
    assert layer.stop_ids.tolist() == ["SA", "SC"]
    assert len(layer.trip_ids) == 4
    assert any("SB" in w and "without coordinates" in w for w in layer.warnings)
    assert any("SX" in w and "absent" in w for w in layer.warnings)
    # T1 still runs from SA (08:00) to SC (08:21) along its shape, at constant speed: at 08:07
    # it has covered a third of the path's length
    path = np.array([A, APEX, B, C])
    legs = np.hypot(*np.diff(path, axis=0).T)
    covered = legs.sum() / 3 - legs[0]  # past the apex, on the way down to B
    expected = path[1] + covered * (path[2] - path[1]) / legs[1]
    xy = positions(layer, at(2025, 7, 2, 8, 7))["T1"][0]
    assert xy == pytest.approx(tuple(expected), abs=1e-6)


def test_route_lines_and_frequencies(feed_dir):
    layer = TransitLayer.load(feed_dir)
    lines = layer.route_lines()
    assert lines.count == 3  # R1 both directions, R2
    first = lines.points[lines.offsets[0] : lines.offsets[1]]
    assert lines.owner[0] == 0 and np.allclose(first, [A, APEX, B, C])  # the shape
    assert lines.owner.tolist() == [0, 0, 1]
    back = lines.points[lines.offsets[1] : lines.offsets[2]]
    assert np.allclose(back, [C, B, A])  # the stop pattern of the direction without shape
    assert layer.frequency_at(0, 8, "2025-07-02") == 1  # T1 leaves SA at 08:00; T2 ends there
    assert layer.frequency_at(2, 8, date(2025, 7, 2)) == 1  # T2 leaves SC at 08:30; T1 ends there
    assert layer.frequency_at(0, 23, "2025-07-02") == 1
    assert layer.frequency_at(0, 8, "2025-07-05") == 0  # Saturday


def test_reproject_keeps_vehicles_on_the_shape(feed_dir):
    layer = TransitLayer.load(feed_dir)
    layer.reproject(crs_util.LAMBERT93)
    to_l93 = crs_util.transformer(crs_util.WGS84, crs_util.LAMBERT93)
    apex = np.array(to_l93.transform(*APEX))
    b = np.array(to_l93.transform(*B))
    assert np.allclose(layer.stops_xy[1], b)
    xy, _, _ = layer.vehicles_at(at(2025, 7, 2, 8, 10, 30))
    assert np.allclose(xy[0], b)
    xy, _, _ = layer.vehicles_at(at(2025, 7, 2, 8, 5))
    assert np.linalg.norm(xy[0] - apex) < 30  # halfway by metric arc length: near the apex
    xmin, ymin, xmax, ymax = layer.bounds()
    assert 340_000 < xmin < xmax < 360_000
    lines = layer.route_lines()
    assert np.allclose(lines.points[1], apex)


# -- bad feeds -------------------------------------------------------------------------------------------
def test_missing_stop_times_is_an_input_error(tmp_path):
    files = {k: v for k, v in FEED.items() if k != "stop_times.txt"}
    with pytest.raises(InputError, match="stop_times.txt"):
        TransitLayer.load(zip_feed(tmp_path / "broken.zip", files))
    with pytest.raises(InputError, match="not a valid zip"):
        (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04 truncated")
        TransitLayer.load(tmp_path / "junk.zip")


def test_bad_time_and_no_calendar(tmp_path):
    files = dict(FEED)
    files["stop_times.txt"] = FEED["stop_times.txt"].replace('"08:10:00","08:11:00"', '"8h10","8h11"')
    with pytest.raises(InputError, match="'8h10' is not a GTFS time"):
        TransitLayer.load(write_feed(tmp_path / "a", files))
    files = {k: v for k, v in FEED.items() if not k.startswith("calendar")}
    with pytest.raises(InputError, match="calendar"):
        TransitLayer.load(write_feed(tmp_path / "b", files))


# -- the STAR feed (Rennes, summer 2012) ------------------------------------------------------------------
@pytest.fixture(scope="module")
def star(shared_data):
    return TransitLayer.load(shared_data / "mobility/star_rennes_gtfs/GTFS-20120618.zip")


def test_star_feed_counts(star):
    info = star.describe()
    assert (info["routes"], info["stops"], info["trips"]) == (39, 1267, 6860)
    assert (info["service_start"], info["service_end"]) == ("2012-07-09", "2012-09-02")
    assert star.attribution == "Source: STAR / Rennes Métropole"
    from layers.core.messages import word

    assert word(star.attribution, "fr") == "Source : STAR / Rennes Métropole"  # the credits in French
    assert star.time_range() is None
    assert "route_accessible" in star.routes.columns
    assert star.routes["color"].str.fullmatch(r"#[0-9a-f]{6}").all()
    assert star.route_lines().count >= 39
    assert "stop_sheltered" in star.attributes(0)


def test_star_vehicles(star):
    xy, route, trips = star.vehicles_at(at(2012, 7, 17, 8, 0))  # a weekday, full summer service
    assert len(xy) > 150
    xmin, ymin, xmax, ymax = star.bounds()
    assert ((xy[:, 0] >= xmin) & (xy[:, 0] <= xmax) & (xy[:, 1] >= ymin) & (xy[:, 1] <= ymax)).all()
    assert (route >= 0).all() and len(set(trips)) == len(trips)
    # at 00:45 only trips of the previous service day (times past 24:00:00) run
    night, _, night_trips = star.vehicles_at(at(2012, 7, 18, 0, 45))
    assert len(night) > 0
    rows = pd.Index(star.trip_ids).get_indexer(night_trips)
    assert (star.timetable.trip_end[rows] > 24 * 3600).all()
    assert star.vehicles_at(at(2013, 1, 10, 8, 0))[0].shape == (0, 2)


def test_star_frequencies(star):
    busiest = np.bincount(star.timetable.row_stop, minlength=len(star.stop_ids)).argmax()
    assert star.frequency_at(busiest, 8, "2012-07-17") >= 4
    assert star.frequency_at(busiest, 8, "2013-01-10") == 0


def test_sample_city_feed(sample_city):
    path = sample_city / "gtfs.zip"
    if not path.exists():
        pytest.skip(f"{path} not generated yet")
    layer = TransitLayer.load(path)
    layer.reproject(crs_util.LAMBERT93)
    xmin, ymin, xmax, ymax = layer.bounds()
    assert 330_000 < xmin < xmax < 370_000 and 6_770_000 < ymin < ymax < 6_810_000  # Rennes
    start = layer.service_dates()[len(layer.service_dates()) // 2]
    xy, route, trips = layer.vehicles_at(datetime(start.year, start.month, start.day, 8, 0, tzinfo=PARIS))
    assert len(xy) > 0 and (route >= 0).all()
    assert layer.route_lines().count >= len(layer.routes)
