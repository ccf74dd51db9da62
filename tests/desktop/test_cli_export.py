"""``maquette video``, ``maquette export`` and the burn-in flags of ``maquette render``."""

from __future__ import annotations

import json

import av
import pytest
from PIL import Image

from desktop.cli import main


def test_video_json_reports_frames_and_timings(tmp_path, capsys):
    out = tmp_path / "replay.mp4"
    assert (
        main(
            [
                "video",
                "-o",
                str(out),
                "--size",
                "321x181",
                "--fps",
                "5",
                "--duration",
                "1",
                "--no-legend",
                "--json",
            ]
        )
        == 0
    )
    stats = json.loads(capsys.readouterr().out)
    assert stats["command"] == "video" and stats["frames"] == 5 and stats["seconds"] == pytest.approx(1.0)
    assert stats["size"] == [320, 180]  # even, for H.264 yuv420p
    assert stats["codec"] == "h264" and stats["pix_fmt"] == "yuv420p"
    for key in ("render_s", "encode_s", "load_s", "wall_s"):
        assert stats[key] > 0
    with av.open(str(out)) as container:
        assert container.streams.video[0].frames == 5


def test_video_mistakes_are_one_line(tmp_path, capsys):
    assert main(["video", "-o", str(tmp_path / "x.mp4"), "--story", "--start", "2025-07-01"]) == 2
    assert main(["video", "-o", str(tmp_path / "x.avi")]) == 2
    assert main(["video", "-o", str(tmp_path / "x.mp4"), "--size", "7680x4320"]) == 2
    assert main(["video", "-o", str(tmp_path / "x.mp4"), "--step", "soon"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    errors = [line for line in err if line.startswith("maquette: error:")]
    assert len(errors) == 4 and all(line.startswith("maquette: ") for line in err)  # + loaders' warnings
    assert "Traceback" not in "\n".join(err)


def test_render_burn_in_flags(tmp_path, capsys):
    out = tmp_path / "bare.png"
    assert (
        main(
            [
                "render",
                "-o",
                str(out),
                "--size",
                "480x270",
                "--no-legend",
                "--no-north",
                "--no-scale-bar",
                "--no-clock",
                "--credits",
                "Source : IGN – BD TOPO",
                "--dpi",
                "300",
                "--json",
            ]
        )
        == 0
    )
    stats = json.loads(capsys.readouterr().out)
    assert stats["burned_in"] == ["title", "credits", "caption"]
    assert stats["credits"] == "Source : IGN – BD TOPO"
    image = Image.open(out)
    assert image.size == (480, 270) and round(image.info["dpi"][0]) == 300


def test_export_model_and_data(tmp_path, capsys):
    model = tmp_path / "city.glb"
    assert main(["export", "-o", str(model), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (
        stats["format"] == "glTF 2.0 binary" and stats["triangles"] > 10_000 and stats["crs"] == "EPSG:2154"
    )
    assert model.read_bytes()[:4] == b"glTF"
    assert main(["export", "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert ".glb" in listed["models"] and any(d["name"] == "shadows" for d in listed["data"])
    heat = tmp_path / "uhi.tif"
    assert (
        main(["export", "-o", str(heat), "--data", "air_surface", "--time", "2025-07-02T04:00", "--json"])
        == 0
    )
    stats = json.loads(capsys.readouterr().out)
    assert (
        stats["kind"] == "raster" and stats["time"].startswith("2025-07-02T04:00") and stats["unit"] == "°C"
    )
    assert main(["export", "-o", str(tmp_path / "x.tif")]) == 2  # which layer? the error says
    assert "--data" in capsys.readouterr().err


def test_export_sunlight_hours_round_trip(sample_city, tmp_path, capsys):
    hours = tmp_path / "hours.tif"
    assert (
        main(
            [
                "sunlight",
                str(sample_city / "buildings.gpkg"),
                "--date",
                "2025-06-21",
                "--resolution",
                "8",
                "--step",
                "60",
                "-o",
                str(hours),
            ]
        )
        == 0
    )
    capsys.readouterr()
    out = tmp_path / "again.tif"
    assert main(["export", str(hours), "-o", str(out), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["unit"] == "h" and 10 < stats["max"] <= 16.5  # midsummer in Rennes
    assert main(["info", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["files"][0]["kind"] == "sunlight"
