"""``maquette shade`` and ``maquette sunlight``: outputs, JSON figures, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pytest
import rasterio

from desktop.cli import main


def run_json(capsys, *args: str) -> dict:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_shade_writes_ground_shadows(sample_city, tmp_path, capsys):
    out = tmp_path / "ombres.gpkg"
    stats = run_json(
        capsys, "shade", str(sample_city / "buildings.gpkg"), "--at", "2025-06-21T09:00", "-o", str(out)
    )
    assert stats["time"] == "2025-06-21T09:00:00+02:00"  # naive = Europe/Paris
    assert 60 < stats["sun_azimuth_deg"] < 100 and 20 < stats["sun_elevation_deg"] < 35
    assert stats["sun_up"] and stats["crs"] == "EPSG:2154" and stats["compute_crs"] == "EPSG:2154"
    assert {"load_s", "sun_s", "shadows_s", "union_s", "write_s", "total_s"} <= set(stats)
    frame = gpd.read_file(out)
    assert frame.crs.to_epsg() == 2154 and len(frame) == stats["shadow_polygons"] > 0
    assert frame.area.sum() == pytest.approx(
        stats["shadow_area_m2"] * 0.99944**2, rel=1e-3
    )  # grid vs ground m²
    buildings = gpd.read_file(sample_city / "buildings.gpkg")
    overlap = frame.union_all().intersection(buildings.union_all()).area
    assert overlap < 1e-3 * stats["shadow_area_m2"]  # footprints excluded


def test_shade_in_wgs84_is_computed_in_metres(shared_data, tmp_path, capsys):
    out = tmp_path / "campus.geojson"
    stats = run_json(
        capsys,
        "shade",
        str(shared_data / "buildings/rennes2_campus/campus_rennes2_bati_3d.geojson"),
        "--at",
        "2025-06-21T16:00:00Z",
        "-o",
        str(out),
    )
    assert (
        stats["crs"] == "EPSG:4326"
        and stats["compute_crs"] != "EPSG:3857"
        and stats["compute_crs"] != "EPSG:4326"
    )
    assert stats["time"] == "2025-06-21T18:00:00+02:00"
    frame = gpd.read_file(out)
    assert frame.crs.to_epsg() == 4326 and frame.total_bounds[1] > 48


def test_shade_at_night_writes_nothing(sample_city, tmp_path, capsys):
    stats = run_json(
        capsys,
        "shade",
        str(sample_city / "buildings.gpkg"),
        "--at",
        "2025-12-21T20:00",
        "-o",
        str(tmp_path / "n.gpkg"),
    )
    assert not stats["sun_up"] and stats["shadow_area_m2"] == 0 and stats["shadow_polygons"] == 0


def test_sunlight_hours(sample_city, tmp_path, capsys):
    out = tmp_path / "heures.tif"
    stats = run_json(
        capsys,
        "sunlight",
        str(sample_city / "buildings.gpkg"),
        "--date",
        "2025-06-21",
        "--step",
        "30",
        "--resolution",
        "2",
        "--bbox",
        "351700,6788900,351900,6789100",
        "-o",
        str(out),
    )
    assert stats["size"] == [100, 100] and stats["resolution_m"] == 2
    assert 15.9 < stats["daylight_h"] < 16.2 and stats["max_hours"] == pytest.approx(16.0)
    with rasterio.open(out) as ds:
        hours = ds.read(1)
        assert (
            ds.crs.to_epsg() == 2154 and ds.tags()["UNIT"] == "h" and ds.tags()["MAQUETTE_KIND"] == "sunlight"
        )
    assert np.isnan(hours).any() and np.nanmax(hours) <= 16.0 and np.nanmin(hours) >= 0
    assert stats["mean_hours"] == pytest.approx(float(np.nanmean(hours)), abs=1e-3)


def test_sunlight_writes_where_the_user_says_and_says_where(sample_city, tmp_path, capsys):
    """-o names the file; before / after go beside it, written whole (no temporary file left); the
    sentence printed names them."""
    folder = tmp_path / "réunion publique"
    folder.mkdir()
    out = folder / "perte.tif"
    args = ["sunlight", str(sample_city / "buildings.gpkg"), "--proposed"]
    args += [str(sample_city / "proposed_tower.geojson"), "--date", "2025-06-21", "--resolution", "5"]
    assert main([*args, "-o", str(out)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{out}: the project takes at least 1 h of sun from ")
    assert "perte_before.tif" in line and "perte_after.tif" in line
    assert sorted(path.name for path in folder.iterdir()) == [
        "perte.tif",
        "perte_after.tif",
        "perte_before.tif",
    ]


def test_sunlight_with_a_planned_tower(sample_city, tmp_path, capsys):
    out = tmp_path / "diff.tif"
    stats = run_json(
        capsys,
        "sunlight",
        str(sample_city / "buildings.gpkg"),
        "--proposed",
        str(sample_city / "proposed_tower.geojson"),
        "--date",
        "2025-06-21",
        "--resolution",
        "2",
        "-o",
        str(out),
    )
    assert stats["area_loss_1h_m2"] > stats["area_loss_2h_m2"] > 0
    assert stats["project_footprint_m2"] == pytest.approx(384, rel=0.05)
    with rasterio.open(out) as ds:
        difference = ds.read(1)
        assert "difference" in ds.tags()["QUANTITY"]
    assert np.nanmax(difference) <= 1e-6  # a new building only takes sun away
    with rasterio.open(stats["outputs"]["before"]) as b, rasterio.open(stats["outputs"]["after"]) as a:
        np.testing.assert_allclose(a.read(1) - b.read(1), difference, atol=1e-5)
    pixel_m2 = 4.0 / 0.99944**2
    assert stats["area_loss_1h_m2"] == pytest.approx(np.sum(difference <= -1) * pixel_m2, abs=0.1)


@pytest.mark.parametrize(
    "args, message",
    [
        (["shade", "{city}/buildings.gpkg", "--at", "demain", "-o", "{tmp}/x.gpkg"], "--at"),
        (["shade", "{city}/buildings.gpkg", "--at", "2025-06-21T12:00", "-o", "{tmp}/x.csv"], "cannot write"),
        (["shade", "{tmp}/missing.gpkg", "--at", "2025-06-21T12:00", "-o", "{tmp}/x.gpkg"], "no such file"),
        (["sunlight", "{city}/buildings.gpkg", "--date", "21/06/2025", "-o", "{tmp}/x.tif"], "--date"),
        (
            [
                "sunlight",
                "{city}/buildings.gpkg",
                "--date",
                "2025-06-21",
                "--bbox",
                "1,2,3",
                "-o",
                "{tmp}/x.tif",
            ],
            "--bbox",
        ),
        (
            [
                "sunlight",
                "{city}/buildings.gpkg",
                "--date",
                "2025-06-21",
                "--resolution",
                "0.01",
                "-o",
                "{tmp}/x.tif",
            ],
            "pixels",
        ),
        (
            [
                "sunlight",
                "{city}/buildings.gpkg",
                "--date",
                "2025-06-21",
                "--timezone",
                "Mars/Olympus",
                "-o",
                "{tmp}/x.tif",
            ],
            "--timezone",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2(sample_city, tmp_path, args, message):
    args = [a.format(city=sample_city, tmp=tmp_path) for a in args]
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert (
        message in done.stderr
        and len(done.stderr.strip().splitlines()) == 1
        and "Traceback" not in done.stderr
    )


def test_render_with_the_sun(tiny_city, tmp_path, capsys):
    out = tmp_path / "soleil.png"
    stats = run_json(
        capsys,
        "render",
        str(tiny_city / "buildings.geojson"),
        "--sun",
        "--time",
        "2025-06-21T18:00",
        "--size",
        "480x320",
        "-o",
        str(out),
    )
    assert out.stat().st_size > 10_000 and stats["time"] == "2025-06-21T18:00:00+02:00"
