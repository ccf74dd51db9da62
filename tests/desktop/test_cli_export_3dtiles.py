"""``maquette export FILES -o DIR --3dtiles``: the scene's buildings as a 3D Tiles 1.1 tileset."""

from __future__ import annotations

import json
import shutil

from desktop.cli import main


def test_sample_city_as_3d_tiles(tmp_path, capsys, sample_city):
    out = tmp_path / "tiles"
    assert main(["export", str(sample_city / "buildings.gpkg"), "-o", str(out), "--3dtiles", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["format"] == "3D Tiles 1.1" and stats["buildings"] == stats["features"] == 4607
    tileset = json.loads((out / "tileset.json").read_text())
    assert tileset["asset"]["version"] == "1.1"
    assert len(list((out / "tiles").glob("*.glb"))) == stats["tiles"]
    # written again over the previous tileset
    assert main(["export", str(sample_city / "buildings.gpkg"), "-o", str(out), "--3dtiles"]) == 0
    assert "4607 buildings" in capsys.readouterr().out


def test_3d_tiles_mistakes_are_one_line(tmp_path, capsys, sample_city):
    file = tmp_path / "model.glb"
    file.write_bytes(b"glTF")
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "a.jpg").write_bytes(b"x")
    previous = tmp_path / "previous"  # a tileset folder that also holds the input: never replaced
    previous.mkdir()
    (previous / "tileset.json").write_text("{}")
    shutil.copy(sample_city / "buildings.gpkg", previous / "buildings.gpkg")
    streets = str(sample_city / "streets.gpkg")
    buildings = str(sample_city / "buildings.gpkg")
    cases = [
        [buildings, "-o", str(file), "--3dtiles"],  # an existing file
        [buildings, "-o", str(foreign), "--3dtiles"],  # a folder of something else
        [buildings, "-o", str(tmp_path / "missing/deeper/out"), "--3dtiles"],  # no such folder
        [streets, "-o", str(tmp_path / "out"), "--3dtiles"],  # no buildings in the scene
        [buildings, "--3dtiles"],  # no -o
        [buildings, "-o", str(tmp_path / "out"), "--3dtiles", "--data", "shadows"],
        [str(previous / "buildings.gpkg"), "-o", str(previous), "--3dtiles"],  # would delete its input
    ]
    for args in cases:
        assert main(["export", *args]) == 2, args
    err = capsys.readouterr().err.strip().splitlines()
    errors = [line for line in err if line.startswith("maquette: error:")]
    assert len(errors) == len(cases), err
    assert "Traceback" not in "\n".join(err)
    assert file.read_bytes() == b"glTF" and (foreign / "a.jpg").read_bytes() == b"x"
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.glb", "photos", "previous"]
    assert sorted(p.name for p in previous.iterdir()) == ["buildings.gpkg", "tileset.json"]


def test_bdtopo_on_its_terrain(tmp_path, capsys, shared_data):
    buildings = shared_data / "buildings/lyon1_bdtopo/buildings_lyon1.geojson"
    dem = shared_data / "dem/lyon_partdieu_mnt10m_cc46.tif"
    out = tmp_path / "lyon"
    assert main(["export", str(buildings), str(dem), "-o", str(out), "--3dtiles", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["buildings"] == 2576 and stats["dropped"] == {}
    tileset = json.loads((out / "tileset.json").read_text())
    reference = tileset["asset"]["extras"]["height_0_altitude_m"]
    assert 150 < reference < 200  # the lowest ground of the DEM (Lyon, about 160 m)
    low, high = tileset["root"]["boundingVolume"]["region"][4:]
    assert -0.1 < low < 20 and high < 250  # relief above the lowest ground, not altitudes
