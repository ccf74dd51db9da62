"""The ``maquette`` command line: results, JSON, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main

MAQUETTE = [sys.executable, "-m", "desktop.cli"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*MAQUETTE, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("maquette ")


def test_info_json_on_buildings(tiny_city, capsys):
    assert main(["info", str(tiny_city / "buildings.geojson"), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    (info,) = payload["files"]
    assert info["kind"] == "buildings"
    assert info["crs"] == "EPSG:2154"
    assert info["features"] == 36
    assert info["height_field"] == "hauteur"
    assert len(info["bounds"]) == 4 and info["bounds"][0] == pytest.approx(351_500.0)
    assert -2.0 < info["bounds_wgs84"][0] < -1.0  # Rennes longitude
    assert "load_s" in payload


def test_info_text_is_readable(tiny_city, capsys):
    assert main(["info", str(tiny_city / "streets.geojson")]) == 0
    out = capsys.readouterr().out
    assert "kind: streets" in out
    assert "EPSG:2154" in out


def test_render_json_reports_stage_timings(tiny_city, tmp_path, capsys):
    out = tmp_path / "x.png"
    assert (
        main(["render", str(tiny_city / "buildings.geojson"), "-o", str(out), "--size", "400x300", "--json"])
        == 0
    )
    stats = json.loads(capsys.readouterr().out)
    assert out.exists()
    for key in ("features", "triangles", "load_s", "mesh_s", "render_s"):
        assert key in stats
    assert stats["features"] == 36 and stats["size"] == [400, 300]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["render", "{missing}", "-o", "{out}"], "no such file"),
        (["render", "{garbage}", "-o", "{out}"], "garbage.geojson"),
        (["render", "{empty}", "-o", "{out}"], "empty"),
        (["render", "{city}", "-o", "{out}", "--size", "big"], "--size"),
        (["render", "{city}", "-o", "{out}", "--time", "yesterday-ish"], "--time"),
        (["render", "{city}", "-o", "{out}", "--view", "Nowhere"], "no view named 'Nowhere'"),
        (["render", "{city}"], "required"),
        (["info", "{unknown}"], "unknown file type"),
        (["info"], "required"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, expected, tiny_city, tmp_path):
    garbage = tmp_path / "garbage.geojson"
    garbage.write_bytes(b"\x00\x01 not json at all \xff" * 20)
    empty = tmp_path / "empty.shp"
    empty.write_bytes(b"")
    unknown = tmp_path / "notes.docx"
    unknown.write_text("hello")
    values = {
        "missing": str(tmp_path / "missing.geojson"),
        "garbage": str(garbage),
        "empty": str(empty),
        "unknown": str(unknown),
        "city": str(tiny_city / "buildings.geojson"),
        "out": str(tmp_path / "o.png"),
    }
    result = run(*[a.format(**values) for a in args])
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr
