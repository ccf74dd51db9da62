"""Dates outside what Maquette can hold (times are int64 nanoseconds since 1970: 1677-09-22 to
2262-04-10) and dates or hours that do not exist (2025-02-30, 24:61), in every place a time is
given: the flags of each command (``--at``, ``--time``, ``--date``, ``--start``/``--end``), a
project's clock and the time column of a data file (CSV and Parquet). Each is one line naming
the value and the accepted range (or what does not exist), exit 2 — never a traceback, a silent
NaT or a wrong success."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from layers.core.errors import InputError
from layers.core.timeutil import FIRST_DAY, LAST_DAY, OUTSIDE, parse_time
from layers.session.opening import open_paths

RANGE = f"({FIRST_DAY} to {LAST_DAY}"
#: (date, what the message says): years outside the range, then impossible dates
FAR = ["0000-06-21", "0001-06-21", "1677-06-21", "2262-04-11", "2263-06-21", "9999-06-21", "10000-06-21"]
IMPOSSIBLE = [("2025-02-30", "day is out of range for month"), ("2025-13-01", "month must be in 1..12")]
FAR_TIMES = [f"{day}T10:00" for day in FAR]
IMPOSSIBLE_TIMES = [(f"{day}T10:00", why) for day, why in IMPOSSIBLE] + [
    ("2025-06-21T24:61", "hour must be in 0..23"),
    ("2025-06-21 10:75", "minute must be in 0..59"),
    ("31/02/2025 10:00", "day is out of range for month"),
]
X0, Y0 = 351_500.0, 6_789_000.0


@pytest.mark.parametrize("text", FAR_TIMES)
def test_a_time_outside_the_range_says_the_range(text):
    with pytest.raises(ValueError) as caught:
        parse_time(text, "Europe/Paris")
    assert str(caught.value) == f"{text!r} {OUTSIDE}"


@pytest.mark.parametrize(("text", "why"), IMPOSSIBLE_TIMES)
def test_a_time_that_does_not_exist_says_why(text, why):
    with pytest.raises(ValueError, match=f"is not a time that exists \\({why}\\)"):
        parse_time(text, "Europe/Paris")


@pytest.mark.parametrize("text", ["1677-09-22T10:00", "2262-04-10T10:00", "2025-06-21T23:59:59"])
def test_the_ends_of_the_range_are_read(text):
    assert parse_time(text, "Europe/Paris").isoformat().startswith(text)


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> Path:
    """Buildings (GeoJSON, Lambert-93) and readings (CSV)."""
    folder = tmp_path_factory.mktemp("dates")
    features = [
        {
            "type": "Feature",
            "properties": {"hauteur": 12.0},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [X0 + 40 * i, Y0],
                        [X0 + 40 * i + 20, Y0],
                        [X0 + 40 * i + 20, Y0 + 20],
                        [X0 + 40 * i, Y0],
                    ]
                ],
            },
        }
        for i in range(3)
    ]
    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
        "features": features,
    }
    (folder / "batiments.geojson").write_text(json.dumps(collection))
    return folder


def run(argv: list[str]) -> tuple[int, list[str]]:
    from desktop.cli import main

    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, stderr.getvalue().splitlines()


def flag_cases(place: Path, tmp: Path) -> list[tuple[str, list[str], str]]:
    """(flag, argv with {} for the value, what the value is) for each command taking a time."""
    b = str(place / "batiments.geojson")
    return [
        ("--at", ["shade", b, "--at", "{}", "-o", str(tmp / "o.gpkg")], "time"),
        ("--time", ["render", b, "--size", "64x48", "--time", "{}", "-o", str(tmp / "o.png")], "time"),
        ("--time", ["export", b, "--data", "shadows", "--time", "{}", "-o", str(tmp / "s.gpkg")], "time"),
        ("--start", ["video", b, "--size", "64x48", "--start", "{}", "-o", str(tmp / "v.mp4")], "time"),
        ("--end", ["video", b, "--size", "64x48", "--end", "{}", "-o", str(tmp / "v.gif")], "time"),
        ("--date", ["sunlight", b, "--date", "{}", "-o", str(tmp / "h.tif")], "day"),
    ]


@pytest.mark.parametrize("index", range(6))
def test_every_time_flag_answers_far_and_impossible_dates_in_one_line(place, tmp_path, index):
    flag, argv, what = flag_cases(place, tmp_path)[index]
    values = [(v if what == "time" else v[:10], OUTSIDE) for v in FAR_TIMES] + [
        (v if what == "time" else v[:10], f"exists ({why})")
        for v, why in (IMPOSSIBLE_TIMES if what == "time" else IMPOSSIBLE)
    ]
    for value, said in values:
        code, lines = run([value if a == "{}" else a for a in argv])
        assert code == 2, (flag, value, lines)
        assert len(lines) == 1 and lines[0].startswith("maquette: error: "), (flag, value, lines)
        assert flag in lines[0] and repr(value) in lines[0] and said in lines[0], (flag, value, lines)
        assert not list(tmp_path.iterdir()), (flag, value)  # nothing written


def project_with_clock(place: Path, time: str) -> Path:
    document = {
        "version": 1,
        "layers": [{"id": "b", "kind": "buildings", "source": "batiments.geojson"}],
        "clock": {"time": time},
    }
    path = place / "horloge.maquette.json"
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(("value", "said"), [(v, OUTSIDE) for v in FAR_TIMES] + IMPOSSIBLE_TIMES)
def test_a_project_clock_outside_the_range_is_refused_with_it(place, tmp_path, value, said):
    project = project_with_clock(place, value)
    with pytest.raises(InputError) as caught:
        open_paths([project])
    assert f"{value!r}" in str(caught.value) and said in str(caught.value)
    assert "field 'clock'" in str(caught.value)
    code, lines = run(["render", str(project), "--size", "64x48", "-o", str(tmp_path / "p.png")])
    assert code == 2 and len(lines) == 1 and said in lines[0], lines


def readings(folder: Path, odd: str, rows: int = 4) -> Path:
    lines = ["time,sensor,lon,lat,temp_c"] + [
        f"2025-06-21T{h % 24:02d}:00,S{h % 3},{-1.68 + (h % 3) / 1000},48.11,{20 + h % 7}"
        for h in range(rows)
    ]
    lines.insert(3, f"{odd},S1,-1.679,48.11,21")
    path = folder / "mesures.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(("value", "said"), [(v, OUTSIDE) for v in FAR_TIMES] + IMPOSSIBLE_TIMES)
def test_a_data_time_column_past_the_range_names_the_row(tmp_path, value, said):
    from layers.core.reading import open_layer

    path = readings(tmp_path, value)
    with pytest.raises(InputError) as caught:
        open_layer(path)
    message = str(caught.value)
    assert f"cannot read {value!r} as a time (row 3): it " in message and said in message, message
    code, lines = run(["info", str(path)])
    assert code == 2 and len(lines) == 1 and said in lines[0], lines


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_a_parquet_time_column_past_the_range_says_it(tmp_path, year):
    import pandas as pd

    from layers.core.reading import open_layer

    frame = pd.DataFrame(
        {
            "time": pd.to_datetime(["2025-06-21T10:00", "2025-06-21T11:00"]).as_unit("us"),
            "sensor": ["A", "A"],
            "lon": [-1.68, -1.68],
            "lat": [48.11, 48.11],
            "temp_c": [20.0, 21.0],
        }
    )
    far = pd.Series([pd.Timestamp(f"{year}-06-21T10:00").as_unit("us")] * 2)
    frame["time"] = frame["time"].astype("datetime64[us]").where([False, True], far.astype("datetime64[us]"))
    path = tmp_path / "mesures.parquet"
    frame.to_parquet(path)
    with pytest.raises(InputError, match="outside the dates Maquette can hold") as caught:
        open_layer(path)
    assert RANGE in str(caught.value)
