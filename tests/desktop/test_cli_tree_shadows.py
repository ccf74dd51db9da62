"""``maquette shade`` and ``maquette sunlight`` with trees beside the buildings."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from shapely.geometry import Point

from desktop.cli import main


def run_json(capsys, *args: str) -> dict:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def street(tmp_path):
    """Two blocks of the sample city's kind and a row of plane trees along the street south of them."""
    from shapely.geometry import box

    x, y = 770500.0, 6277500.0
    buildings = gpd.GeoDataFrame(
        {"hauteur": [15.0, 9.0]},
        geometry=[box(x, y + 20, x + 40, y + 40), box(x + 50, y + 20, x + 90, y + 40)],
        crs="EPSG:2154",
    )
    trees = gpd.GeoDataFrame(
        {"HAUTEUR_M": [14.0] * 8, "BOTANIQUE": ["Platanus hybrida"] * 8},
        geometry=[Point(x + 5 + 11 * i, y + 5) for i in range(8)],
        crs="EPSG:2154",
    )
    buildings.to_file(tmp_path / "batiments.geojson")
    trees.to_file(tmp_path / "arbres.geojson")
    return tmp_path / "batiments.geojson", tmp_path / "arbres.geojson"


def test_trees_add_their_shadows_to_the_buildings(street, tmp_path, capsys):
    buildings, trees = street
    at = ["--at", "2025-06-21T12:00"]
    alone = run_json(capsys, "shade", str(buildings), *at, "-o", str(tmp_path / "a.gpkg"))
    both = run_json(capsys, "shade", str(buildings), str(trees), *at, "-o", str(tmp_path / "b.gpkg"))
    assert both["buildings"] == alone["buildings"] == 2
    assert both["casters"] == {"batiments": 2, "arbres": 8}
    assert both["shadow_area_m2"] > alone["shadow_area_m2"] + 8 * 40  # eight crowns of 8.4 m at least


def test_trees_take_sun_in_the_sunlight_study(street, tmp_path, capsys):
    buildings, trees = street
    args = ["--date", "2025-06-21", "--bbox", "770490,6277490,770600,6277550", "--resolution", "1"]
    run_json(capsys, "sunlight", str(buildings), *args, "-o", str(tmp_path / "a.tif"))
    run_json(capsys, "sunlight", str(buildings), str(trees), *args, "-o", str(tmp_path / "b.tif"))
    with rasterio.open(tmp_path / "a.tif") as a, rasterio.open(tmp_path / "b.tif") as b:
        before, after = a.read(1), b.read(1)
    ground = np.isfinite(before) & np.isfinite(after)
    assert (after[ground] <= before[ground] + 1e-6).all()
    assert (before[ground] - after[ground] > 1.0).sum() > 100  # m² losing an hour under the crowns


def test_a_file_that_casts_no_shadow_is_one_line(street, tmp_path, capsys):
    buildings, _ = street
    park = gpd.GeoDataFrame(
        {"nature": ["parc"]}, geometry=[Point(770500, 6277500).buffer(10)], crs="EPSG:2154"
    )
    park.to_file(tmp_path / "parc.geojson")
    code = main(
        [
            "shade",
            str(buildings),
            str(tmp_path / "parc.geojson"),
            "--at",
            "2025-06-21T12:00",
            "-o",
            str(tmp_path / "o.gpkg"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "parc.geojson" in err[0] and "casts no shadow" in err[0]
