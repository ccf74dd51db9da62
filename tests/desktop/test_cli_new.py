"""``maquette new``: a project of a place from a folder of downloads, through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main


def _redon(shared_data: Path) -> Path:
    folder = shared_data / "bdtopo" / "redon_v3_35236"
    if not folder.is_dir():
        pytest.skip("Redon's BD TOPO is not in the shared data")
    return folder


@pytest.mark.parametrize("commune", ["Redon", "35236"])
def test_new_on_redon_writes_a_project_and_says_what_each_file_became(shared_data, tmp_path, capsys, commune):
    folder = _redon(shared_data)
    code = main(["new", str(folder), "--commune", commune, "-o", str(tmp_path / "redon")])
    out = capsys.readouterr().out
    assert code == 0
    project = tmp_path / "redon.maquette.json"
    assert out.splitlines()[0].startswith(f"{project}: ")
    assert "Area: Redon (EPSG:2154)" in out
    assert "SURFACE_HYDROGRAPHIQUE.shp: topo (water), 36 in, 36 shown" in out
    data = json.loads(project.read_text())
    assert data["area"]["code"] == "35236" and data["views"][0]["name"] == "Vue d'ensemble"
    assert not list(tmp_path.glob(".*tmp*")), "no temporary file left"


def test_new_json_report(shared_data, tmp_path, capsys):
    folder = _redon(shared_data)
    argv = [
        "new",
        str(folder),
        "--bbox",
        "318000,6740000,319000,6741000",
        "-o",
        str(tmp_path / "b.maquette.json"),
    ]
    assert main([*argv, "--json", "--lang", "en"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["command"] == "new" and report["crs"] == "EPSG:2154"
    assert report["area"].startswith("the box 318000, 6740000, 319000, 6741000")
    assert {"scan_s", "area_s", "open_s", "total_s"} <= set(report)
    for layer in report["layers"]:
        assert layer["features_in"] == layer["shown"] + layer["dropped"]
    assert all(item["reason"] for item in report["not_used"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--commune", "Paris"], "no commune 'Paris' in it"),
        (["--bbox", "1,2,3"], "--bbox '1,2,3': expected four numbers xmin,ymin,xmax,ymax"),
        (["--bbox", "5,5,1,1"], "the box is empty"),
        (["--commune", "Redon", "--bbox", "1,2,3,4"], "not allowed with argument"),
    ],
)
def test_new_bad_input_is_one_line(shared_data, tmp_path, capsys, argv, message):
    folder = _redon(shared_data)
    code = main(["new", str(folder), *argv, "-o", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 1 and message in err, err
    assert not list(tmp_path.iterdir())


def test_new_refuses_to_write_over_an_input(shared_data, tmp_path, capsys):
    folder = _redon(shared_data)
    commune = folder / "COMMUNE.shp"
    before = commune.read_bytes()
    assert main(["new", str(folder), "--commune", "Redon", "-o", str(commune)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"maquette: error: {commune}: is also an input") and len(err.splitlines()) == 1
    assert commune.read_bytes() == before


def test_new_without_data_or_into_no_folder(tmp_path, capsys):
    (tmp_path / "readme.txt").write_text("nothing here\n")
    assert main(["new", str(tmp_path), "-o", str(tmp_path / "x")]) == 2
    assert "no data Maquette can read among the files" in capsys.readouterr().err
    assert main(["new", str(tmp_path / "absent"), "-o", str(tmp_path / "x")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_new_into_a_missing_folder(tmp_path, capsys):
    import geopandas as gpd
    import shapely

    frame = gpd.GeoDataFrame({"nature": ["Bois"]}, geometry=[shapely.box(0, 0, 100, 100)], crs="EPSG:2154")
    frame.to_file(tmp_path / "zone_de_vegetation.geojson")
    assert main(["new", str(tmp_path), "-o", str(tmp_path / "no" / "x")]) == 2
    assert "the output folder does not exist" in capsys.readouterr().err
    assert main(["new", str(tmp_path), "-o", str(tmp_path / "x")]) == 0
    assert "zone_de_vegetation.geojson: topo (vegetation), 1 in, 1 shown" in capsys.readouterr().out


def test_info_says_the_area_of_a_new_model(shared_data, tmp_path, capsys):
    folder = _redon(shared_data)
    argv = ["new", str(folder), "--bbox", "318000,6740000,319000,6741000", "-o", str(tmp_path / "b")]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(["info", str(tmp_path / "b.maquette.json"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    entry = info["files"][0]
    assert entry["area"]["bounds"] == [318000, 6740000, 319000, 6741000]
