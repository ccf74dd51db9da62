"""Reading messy tables: separators, BOM, CRLF, decimal commas, encodings, coordinates, times."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from layers.core import crs as crs_util
from layers.core.errors import InputError
from layers.io.tables import (
    ID_NAMES,
    ID_WORDS,
    find_column,
    find_xy_columns,
    guess_separator,
    read_table,
    table_coordinates,
    times_to_ns,
)


def write(path, text: str, encoding: str = "utf-8", newline: str = "\n"):
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def test_semicolon_bom_crlf_decimal_comma(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeffstation;temp_c;x\r\nA;12,5;1 234,5\r\nB;-0,25;2\r\n".encode("utf-8"))
    frame = read_table(path)
    assert list(frame.columns) == ["station", "temp_c", "x"]
    assert frame["temp_c"].tolist() == [12.5, -0.25]
    assert frame["x"].tolist() == [1234.5, 2.0]
    assert frame["station"].tolist() == ["A", "B"]


def test_latin1_text_is_read(tmp_path):
    path = write(tmp_path / "t.csv", "nom;valeur\nÉcole Jules-Férry;3,5\nGare;4\n", encoding="latin-1")
    frame = read_table(path)
    assert frame["nom"].tolist() == ["École Jules-Férry", "Gare"]
    assert frame["valeur"].tolist() == [3.5, 4.0]


def test_latin1_after_the_sniffed_block_falls_back(tmp_path):
    rows = "".join(f"s{i};{i}\n" for i in range(30000))
    path = write(tmp_path / "t.csv", "id;v\n" + rows + "Théâtre;1\n", encoding="latin-1")
    frame = read_table(path)
    assert len(frame) == 30001
    assert frame["id"].iloc[-1] == "Théâtre"


def test_tab_and_quoted_commas(tmp_path):
    tab = write(tmp_path / "t.tsv", "a\tb\n1\t2\n3\t4\n")
    assert read_table(tab)["b"].tolist() == [2, 4]
    quoted = write(tmp_path / "q.csv", 'id,label,v\n"1","Rue A, nord",2.5\n"2","B; C",3\n')
    frame = read_table(quoted)
    assert frame["label"].tolist() == ["Rue A, nord", "B; C"]
    assert frame["v"].tolist() == [2.5, 3.0]


def test_text_with_commas_is_not_a_number(tmp_path):
    path = write(tmp_path / "t.csv", "id;tags;v\n1;a,b;1,5\n2;12,5;2,5\n")
    frame = read_table(path)
    assert frame["tags"].tolist() == ["a,b", "12,5"]
    assert frame["v"].tolist() == [1.5, 2.5]


def test_pandas_index_column_is_dropped(tmp_path):
    path = write(tmp_path / "t.csv", ",hour,logger\n0,0,201\n1,0,202\n2,1,201\n")
    frame = read_table(path)
    assert list(frame.columns) == ["hour", "logger"]


def test_empty_and_missing_files(tmp_path):
    empty = write(tmp_path / "e.csv", "")
    with pytest.raises(InputError, match="empty"):
        read_table(empty)
    with pytest.raises(InputError, match="no such file"):
        read_table(tmp_path / "nope.csv")


def test_guess_separator_prefers_consistent_counts():
    assert guess_separator("a;b;c\n1,5;2,5;3\n4;5;6\n") == ";"
    assert guess_separator("a,b\n1,2\n") == ","
    assert guess_separator("a|b|c\n1|2|3\n") == "|"


def test_rennes_station_positions(shared_data):
    frame = read_table(shared_data / "heat/rennes_2018_stations/positions_stations_2018.csv")
    assert list(frame.columns) == ["station_name", "lat", "long"]
    assert len(frame) == 23
    assert frame["lat"].between(47.9, 48.3).all()
    assert find_column(list(frame.columns), ID_NAMES, ID_WORDS) == "station_name"
    assert find_xy_columns(list(frame.columns)) == ("long", "lat", True)


def test_coordinates_degrees_in_xy_are_lon_lat():
    frame = pd.DataFrame({"x": [7.24, 7.25], "y": [47.13, 47.14]})
    warnings: list[str] = []
    x, y, crs, used = table_coordinates(frame, "f.csv", warnings=warnings)
    assert crs == crs_util.WGS84 and used == ("x", "y")
    assert "degrees" in warnings[0]
    # a wrong CRS label on degrees is caught too
    x, y, crs, used = table_coordinates(frame, "f.csv", crs=crs_util.LAMBERT93, warnings=warnings)
    assert crs == crs_util.WGS84


def test_coordinates_projected_need_a_crs():
    lambert = pd.DataFrame({"x": [351000.0, 352000.0], "y": [6789000.0, 6790000.0]})
    warnings: list[str] = []
    _, _, crs, _ = table_coordinates(lambert, "f.csv", warnings=warnings)
    assert crs == crs_util.LAMBERT93 and "Lambert-93" in warnings[0]
    _, _, crs, _ = table_coordinates(lambert, "f.csv", crs=crs_util.parse_crs("EPSG:3948"))
    assert crs.to_epsg() == 3948
    far = pd.DataFrame({"x": [9e6, 9.1e6], "y": [1e5, 2e5]})
    with pytest.raises(InputError, match="without a CRS"):
        table_coordinates(far, "f.csv")


def test_coordinates_swapped_lat_lon_and_text_points():
    # impossible latitudes (beyond 90°): the columns were swapped
    swapped = pd.DataFrame({"lon": [48.1, 48.2], "lat": [120.0, 121.0]})
    warnings: list[str] = []
    x, y, _, _ = table_coordinates(swapped, "f.csv", warnings=warnings)
    assert x.tolist() == [120.0, 121.0] and "swapped" in warnings[0]
    ods = pd.DataFrame({"geo_point_2d": ["48.11, -1.67", "48.12, -1.68"]})
    x, y, crs, used = table_coordinates(ods, "f.csv")
    assert np.allclose(x, [-1.67, -1.68]) and np.allclose(y, [48.11, 48.12]) and used == ("geo_point_2d",)
    assert table_coordinates(pd.DataFrame({"a": [1]}), "f.csv") is None


def test_times_to_ns_offsets_naive_and_dst():
    ns = times_to_ns(
        pd.Series(["2025-07-02T14:00:00+02:00", "2025-07-02T12:00:00Z", "2025-07-02 14:00"]), "Europe/Paris"
    )
    assert ns[0] == ns[1] == ns[2] == pd.Timestamp("2025-07-02T12:00Z").value
    assert times_to_ns(pd.Series(["2025-07-02 14:00"]), "UTC")[0] == pd.Timestamp("2025-07-02T14:00Z").value
    # a time of the spring gap is read with the offset before the change (02:30 +01:00, i.e.
    # 03:30 summer time), the autumn ambiguity takes the first (summer-time) hour
    gap = times_to_ns(pd.Series(["2025-03-30 02:30"]), "Europe/Paris")[0]
    assert gap == pd.Timestamp("2025-03-30T01:30Z").value
    ambiguous = times_to_ns(pd.Series(["2025-10-26 02:30"]), "Europe/Paris")[0]
    assert ambiguous == pd.Timestamp("2025-10-26T00:30Z").value
    # French day-first dates
    assert (
        times_to_ns(pd.Series(["03/07/2025 10:00"]), "UTC", dayfirst=True)[0]
        == pd.Timestamp("2025-07-03T10:00Z").value
    )


def test_times_to_ns_names_the_bad_value():
    with pytest.raises(ValueError, match="'hier' .*row 2"):
        times_to_ns(pd.Series(["2025-07-02", "hier"]))
