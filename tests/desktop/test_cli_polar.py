"""The sun undefined or absent is said, never left to NaN or to 0 h: the polar night, the midnight sun,
data that is no place on Earth — through the API and ``maquette shade / sunlight / render``."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import pytest
from pyproj import CRS, Transformer
from shapely.geometry import box

from desktop.cli import main
from layers.core.errors import InputError
from layers.core.timeutil import zone
from layers.sun.position import SunSite, no_shadow_reason, polar_note

TROMSO = (18.95, 69.65)  # UTM 34N
UTM34 = CRS.from_epsg(32634)


def buildings(folder: Path, name: str, x: float, y: float, crs: object) -> Path:
    frame = gpd.GeoDataFrame(
        {"id": ["B0", "B1"], "hauteur": [10.0, 20.0]},
        geometry=[box(x, y, x + 20, y + 20), box(x + 40, y, x + 60, y + 30)],
        crs=crs,
    )
    path = folder / f"{name}.gpkg"
    frame.to_file(path)
    return path


@pytest.fixture
def tromso(tmp_path) -> Path:
    x, y = Transformer.from_crs(4326, UTM34, always_xy=True).transform(*TROMSO)
    return buildings(tmp_path, "tromso", x, y, UTM34)


@pytest.fixture
def nowhere(tmp_path) -> Path:
    """Footprints whose UTM coordinates are no place on Earth (y = 30,000 km)."""
    return buildings(tmp_path, "nulle_part", 2e7, 3e7, "EPSG:32631")


def run(capsys, *args: str) -> tuple[int, dict | None, list[str]]:
    code = main([*args, "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out else None, captured.err.splitlines()


POLAR_NIGHT = "the sun does not rise on 2024-12-21 at latitude 69.65° N (polar night)"


# -- the API ---------------------------------------------------------------------------------------
def test_polar_night_and_midnight_sun_in_words():
    x, y = Transformer.from_crs(4326, UTM34, always_xy=True).transform(*TROMSO)
    site = SunSite(UTM34, x, y, "Europe/Oslo")
    winter, summer = site.times(date(2024, 12, 21)), site.times(date(2024, 6, 21))
    assert polar_note(winter, site.lat) == POLAR_NIGHT
    assert polar_note(summer, site.lat) == (
        "the sun does not set on 2024-06-21 at latitude 69.65° N (midnight sun)"
    )
    assert polar_note(site.times(date(2024, 3, 21)), site.lat) is None
    noon = site.position(datetime(2024, 12, 21, 12, tzinfo=zone("Europe/Oslo")))
    assert no_shadow_reason(noon, winter, site.lat) == f"{POLAR_NIGHT}: no shadows"
    midnight = site.position(datetime(2024, 3, 21, 0, tzinfo=zone("Europe/Oslo")))
    reason = no_shadow_reason(midnight, site.times(date(2024, 3, 21)), site.lat)
    assert (
        reason is not None
        and reason.startswith("the sun is ")
        and "below the horizon at 2024-03-21T00:00" in reason
    )
    assert (
        no_shadow_reason(site.position(datetime(2024, 6, 21, 12, tzinfo=zone("Europe/Oslo"))), summer, 69.65)
        is None
    )


def test_a_site_off_the_earth_is_refused_before_any_nan():
    with pytest.raises(InputError) as info:
        SunSite(CRS.from_epsg(32631), 2e7, 3e7, "Europe/Paris")
    assert info.value.one_line() == (
        "the centre of the data (2e+07, 3e+07 in EPSG:32631) is no place on Earth: the sun's position "
        "there is undefined (check the data's CRS: its coordinates may be in another one)"
    )


def test_the_study_says_polar_night_in_french():
    from layers.sunlight.study import describe

    night = {"date": "2024-12-21", "mean_hours": 0.0, "max_hours": 0.0, "polar": "night"}
    assert describe(night) == (
        "Le 21/12/2024, le soleil ne se lève pas à cette latitude (nuit polaire) : "
        "aucune ombre, aucune heure de soleil."
    )
    day = {"date": "2024-06-21", "mean_hours": 13.5, "max_hours": 24.0, "polar": "day"}
    assert describe(day).endswith("(au plus 24 h 00). Soleil de minuit : il ne se couche pas ce jour-là.")


# -- the command line ------------------------------------------------------------------------------------
def test_shade_in_the_polar_night(tromso, tmp_path, capsys):
    code, stats, err = run(
        capsys, "shade", str(tromso), "--at", "2024-12-21T12:00", "--timezone", "Europe/Oslo",
        "-o", str(tmp_path / "ombres.gpkg"),
    )  # fmt: skip
    assert code == 0 and err == [f"maquette: warning: {POLAR_NIGHT}: no shadows to write"]
    assert stats is not None and stats["warnings"] == [f"{POLAR_NIGHT}: no shadows to write"]
    assert stats["shadow_polygons"] == 0 and not stats["sun_up"]


def test_sunlight_in_the_polar_night_and_under_the_midnight_sun(tromso, tmp_path, capsys):
    out = str(tmp_path / "soleil.tif")
    code, stats, err = run(
        capsys, "sunlight", str(tromso), "--date", "2024-12-21", "--timezone", "Europe/Oslo", "-o", out
    )
    assert code == 0 and err == [f"maquette: warning: {POLAR_NIGHT}: no hour of sun anywhere"]
    assert stats is not None and stats["warnings"] == [f"{POLAR_NIGHT}: no hour of sun anywhere"]
    code, stats, err = run(
        capsys, "sunlight", str(tromso), "--date", "2024-06-21", "--timezone", "Europe/Oslo", "-o", out
    )
    midnight_sun = (
        "the sun does not set on 2024-06-21 at latitude 69.65° N (midnight sun): up to 24 hours of sun"
    )
    assert code == 0 and err == [f"maquette: warning: {midnight_sun}"]
    assert stats is not None and stats["warnings"] == [midnight_sun] and stats["max_hours"] == 24


def test_render_with_the_sun_in_the_polar_night(tromso, tmp_path, capsys):
    code, stats, err = run(
        capsys, "render", str(tromso), "--sun", "--time", "2024-12-21T12:00", "-o",
        str(tmp_path / "nuit.png"), "--size", "160x120",
    )  # fmt: skip
    assert code == 0 and err == [f"maquette: warning: {POLAR_NIGHT}: no shadows"]
    assert stats is not None and stats["warnings"] == [f"{POLAR_NIGHT}: no shadows"]


def test_data_off_the_earth_gives_one_line_not_nan(nowhere, tmp_path, capsys):
    outside = (
        "maquette: warning: nulle_part.gpkg: the coordinates (2e+07, 3e+07, 2.00001e+07, 3e+07) "
        "fall outside the area of use of EPSG:32631; check its CRS"
    )
    undefined = (
        "the centre of the data (2e+07, 3e+07 in EPSG:32631) is no place on Earth: the sun's position "
        "there is undefined (check the data's CRS: its coordinates may be in another one)"
    )
    for command in (
        ["shade", str(nowhere), "--at", "2024-06-21T12:00", "-o", str(tmp_path / "o.gpkg")],
        ["sunlight", str(nowhere), "--date", "2024-06-21", "-o", str(tmp_path / "s.tif")],
    ):
        code, stats, err = run(capsys, *command)
        assert code == 2 and stats is None
        assert err == [outside, f"maquette: error: {undefined}"]  # no NaN, no RuntimeWarning
    code, stats, err = run(
        capsys, "render", str(nowhere), "--sun", "--time", "2024-06-21T12:00", "-o", str(tmp_path / "r.png"),
        "--size", "160x120",
    )  # fmt: skip
    assert code == 0 and err == [outside, f"maquette: warning: {undefined}"]
    assert stats is not None and stats["warnings"][-1] == undefined
    assert stats["layers"][0]["warnings"] == [outside.removeprefix("maquette: warning: ")]
