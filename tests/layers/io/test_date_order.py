"""Dates written with numbers only are read in one order for the whole column, or refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from layers.io.date_order import MixedDateOrder, numeric_dates_as_iso
from layers.io.tables import times_to_ns


def iso(values: list[str], **options) -> tuple[list[str], list[str]]:
    notes: list[str] = []
    out = numeric_dates_as_iso(pd.Series(values), notes=notes, **options)
    return out.tolist(), notes


def utc(text: str) -> int:
    return pd.Timestamp(text).value


def test_iso_year_first_and_named_months_are_left_alone():
    values = ["2025-04-03", "2025/04/03 10:00", "2025-04-03T10:00+02:00", "3 Apr 2025", "20250403"]
    assert iso(values) == (values, [])


def test_day_first_when_a_first_number_passes_12():
    out, notes = iso(["13/04/2025", "03/04/2025 10:00", "01.05.2025 10:00:30+02:00", "02-06-2025T08:00Z"])
    assert out == ["2025-04-13", "2025-04-03 10:00", "2025-05-01 10:00:30+02:00", "2025-06-02T08:00Z"]
    assert notes == []


def test_month_first_when_a_second_number_passes_12_said_in_a_note():
    out, notes = iso(["04/13/2025", "04/03/2025 10:00"], column="Date")
    assert out == ["2025-04-13", "2025-04-03 10:00"]
    assert notes == ["the dates of Date are written month first (e.g. 04/13/2025): all read month first"]


def test_a_column_mixing_both_orders_is_refused_naming_one_of_each():
    with pytest.raises(MixedDateOrder) as info:
        iso(["2025-04-01", "13/04/2025 10:00", "04/14/2025 10:00"])
    assert str(info.value) == (
        "mixes day-first and month-first dates: '13/04/2025 10:00' (row 2) can only be "
        "day/month/year, '04/14/2025 10:00' (row 3) only month/day/year"
    )
    assert info.value.hint == "write the dates in one order, best as ISO 8601 (2025-04-13)"
    assert isinstance(info.value, ValueError)


def test_an_ambiguous_column_is_read_day_first_and_said():
    out, notes = iso(["03/04/2025", "04/04/2025"], column="jour")
    assert out == ["2025-04-03", "2025-04-04"]
    assert notes == [
        "the dates of jour could be day/month or month/day (no number above 12, e.g. 03/04/2025): "
        "read day first (3 April 2025), as in France; write ISO dates (2025-04-03) to be sure"
    ]


def test_an_ambiguous_column_takes_the_only_order_that_keeps_time_order():
    # month first is 12 January then 1 February (in order); day first 1 December then 2 January
    out, notes = iso(["01/12/2025", "02/01/2025"])
    assert out == ["2025-01-12", "2025-02-01"]
    assert "read month first (12 January 2025), the only order that keeps the rows in time order" in notes[0]


def test_time_order_is_judged_per_sensor():
    values = ["01/12/2025", "02/01/2025", "01/12/2025", "02/01/2025"]
    groups = np.array(["A", "A", "B", "B"], dtype=object)
    assert iso(values, groups=groups)[0][1] == "2025-02-01"  # month first keeps each sensor in order
    assert iso(values)[0][1] == "2025-01-02"  # one sequence: neither is in order, day first


def test_days_equal_to_their_month_need_no_note():
    assert iso(["05/05/2025", "06/06/2025 10:00"]) == (["2025-05-05", "2025-06-06 10:00"], [])


def test_two_digit_years_and_missing_values():
    out, _ = iso(["13/04/25", None, "14.04.99"])
    assert out[0] == "2025-04-13" and pd.isna(out[1]) and out[2] == "1999-04-14"


def test_times_to_ns_reads_each_way_of_writing_a_date():
    zone = "Europe/Paris"
    assert times_to_ns(pd.Series(["13/07/2025 10:00", "03/07/2025 10:00"]), zone).tolist() == [
        utc("2025-07-13T08:00Z"),
        utc("2025-07-03T08:00Z"),
    ]
    assert times_to_ns(pd.Series(["07/13/2025 10:00", "07/03/2025 10:00"]), zone).tolist() == [
        utc("2025-07-13T08:00Z"),
        utc("2025-07-03T08:00Z"),
    ]
    aware = times_to_ns(pd.Series(["13/07/2025 10:00+02:00", "03.07.2025T10:00Z", "2025-07-03T10:00"]), zone)
    assert aware.tolist() == [utc("2025-07-13T08:00Z"), utc("2025-07-03T10:00Z"), utc("2025-07-03T08:00Z")]
    # ISO dates are never read day first, whatever the numeric dates around them
    assert times_to_ns(pd.Series(["2025-07-02 10:00", "13/07/2025 10:00"]), zone)[0] == utc(
        "2025-07-02T08:00Z"
    )


def test_times_to_ns_refuses_a_mixed_column_and_names_the_original_bad_value():
    with pytest.raises(MixedDateOrder):
        times_to_ns(pd.Series(["13/07/2025", "07/14/2025"]))
    with pytest.raises(ValueError, match=r"'31/31/2025' as a time \(row 2\)"):
        times_to_ns(pd.Series(["01/07/2025", "31/31/2025"]))


def test_sensor_readings_refuse_a_mixed_column_through_the_api_and_the_cli(tmp_path, capsys):
    from desktop.cli import main
    from layers.core.errors import InputError
    from layers.core.reading import open_layer

    path = tmp_path / "releves.csv"
    path.write_text(
        "time;sensor_id;lon;lat;temp_c\n"
        "01/02/2025 10:00;A;-1.68;48.11;12\n13/02/2025 10:00;A;-1.68;48.11;13\n"
        "02/14/2025 10:00;A;-1.68;48.11;14\n"
    )
    expected = (
        f"{path}: field 'time': mixes day-first and month-first dates: '13/02/2025 10:00' (row 2) can "
        "only be day/month/year, '02/14/2025 10:00' (row 3) only month/day/year "
        "(write the dates in one order, best as ISO 8601 (2025-02-13))"
    )
    with pytest.raises(InputError) as info:
        open_layer(path)
    assert info.value.one_line() == expected
    assert main(["info", str(path)]) == 2
    assert capsys.readouterr().err == f"maquette: error: {expected}\n"


def test_wide_tables_read_their_days_in_one_order(tmp_path):
    from layers.core.errors import InputError
    from layers.core.reading import open_layer

    hours = ";".join(f"{h:02d}" for h in range(24))
    cells = ";".join(str(h) for h in range(24))

    def table(name: str, days: list[str]):
        path = tmp_path / name
        rows = "".join(f"{d};B1;-1.55;47.21;{cells}\n" for d in days)
        path.write_text(f"Jour;boucle;lon;lat;{hours}\n{rows}")
        return path

    layer = open_layer(table("mois.csv", ["02/13/2025", "02/14/2025"]))
    start, _ = layer.time_range()
    assert start.date().isoformat() == "2025-02-13"
    assert layer.warnings == [
        "the dates of Jour are written month first (e.g. 02/13/2025): all read month first"
    ]
    with pytest.raises(InputError, match="mixes day-first and month-first dates"):
        open_layer(table("melange.csv", ["13/02/2025", "02/14/2025"]))


def test_spreadsheet_day_numbers_are_refused_with_what_to_do(tmp_path):
    from layers.core.errors import InputError
    from layers.core.reading import open_layer

    path = tmp_path / "excel.csv"
    path.write_text("time;sensor_id;lon;lat;temp_c\n45717.5;A;-1.68;48.11;12\n45717.75;A;-1.68;48.11;13\n")
    with pytest.raises(InputError) as info:
        open_layer(path)
    assert info.value.one_line() == (
        f"{path}: field 'time': holds numbers such as 45717.5 that look like spreadsheet day numbers, "
        "not times (format the column as dates in the spreadsheet before saving it as CSV, or write "
        "ISO 8601 times such as 2023-08-12 14:00)"
    )


# -- one time typed by a user (a flag, a project's field) ----------------------------------------------
def test_a_typed_date_is_read_in_the_order_its_numbers_allow_or_refused():
    from layers.core.timeutil import parse_time
    from layers.io.date_order import one_date_as_iso

    assert one_date_as_iso("13/04/2025 10:00") == "2025-04-13 10:00"
    assert one_date_as_iso("04/13/2025T10:00+02:00") == "2025-04-13T10:00+02:00"
    assert one_date_as_iso("05.05.2025") == "2025-05-05"
    assert one_date_as_iso("2025-04-03T10:00") == "2025-04-03T10:00"
    with pytest.raises(ValueError) as info:
        parse_time("03/04/2025 10:00", "Europe/Paris")
    assert str(info.value) == (
        "'03/04/2025 10:00' could be day/month or month/day: write the date as ISO 8601 "
        "(2025-04-03 for 3 April 2025)"
    )
    assert parse_time("13/04/2025 10:00", "Europe/Paris").isoformat() == "2025-04-13T10:00:00+02:00"


def test_an_ambiguous_date_in_a_flag_is_one_line(sample_city, tmp_path, capsys):
    from desktop.cli import main

    out = str(tmp_path / "o.gpkg")
    assert main(["shade", str(sample_city / "buildings.gpkg"), "--at", "03/04/2025 10:00", "-o", out]) == 2
    assert capsys.readouterr().err == (
        "maquette: error: --at: '03/04/2025 10:00' could be day/month or month/day: write the date as "
        "ISO 8601 (2025-04-03 for 3 April 2025)\n"
    )
