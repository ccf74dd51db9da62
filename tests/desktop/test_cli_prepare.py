"""``maquette prepare``: a summary that accounts for every feature; bad input refused with one line
and exit 2 before a cluster starts; Ctrl+C stops it and the same command continues."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from desktop.cli import main
from tests.layers.store.conftest import make_dataset

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_dataset(tmp_path_factory.mktemp("prepare_cli"))


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["prepare", *args]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("maquette")
    return lines[0]


def test_bad_inputs_are_one_line_and_exit_2(sources, tmp_path, capsys):
    gpkg = str(sources["gpkg"])
    assert "no such file" in refused(capsys, str(tmp_path / "absent.gpkg"), "-o", str(tmp_path / "s"))
    assert not (tmp_path / "s").exists()  # nothing written for bad input
    text = tmp_path / "notes.txt"
    text.write_text("not a map\n")
    assert "notes.txt" in refused(capsys, str(text), "-o", str(tmp_path / "s"))
    lines = tmp_path / "lines.geojson"
    lines.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "LineString", "coordinates": [[0, 45], [1, 45]]},
                    }
                ],
            }
        )
    )
    assert "no footprints" in refused(capsys, str(lines), "-o", str(tmp_path / "s"))
    assert "is a file" in refused(capsys, gpkg, "-o", str(text))
    assert "cannot be created" in refused(capsys, gpkg, "-o", str(text / "store"))
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    assert "not empty" in refused(capsys, gpkg, "-o", str(tmp_path / "full"))
    assert "not a CRS" in refused(capsys, gpkg, "-o", str(tmp_path / "s"), "--crs", "EPSG:99999999")
    assert "metres" in refused(capsys, gpkg, "-o", str(tmp_path / "s"), "--crs", "EPSG:4326")
    assert "--tile-size" in refused(capsys, gpkg, "-o", str(tmp_path / "s"), "--tile-size", "0")
    assert "--workers" in refused(capsys, gpkg, "-o", str(tmp_path / "s"), "--workers", "0")
    assert "no layer" in refused(capsys, gpkg, "-o", str(tmp_path / "s"), "--layer", "routes")
    assert "required" in refused(capsys, gpkg)


def test_a_store_of_other_sources_is_not_overwritten(sources, tmp_path, capsys):
    store = tmp_path / "s"
    assert main(["prepare", str(sources["fgb"]), "-o", str(store), "--workers", "1", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["read"] == 800 and summary["kept"] == 800 and summary["tiles"] > 0
    assert summary["sources"][0]["dropped"] == {} and summary["bytes"] > 0
    assert "other sources" in refused(capsys, str(sources["gpkg"]), "-o", str(store))


def _cli(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "prepare", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # a terminal's Ctrl+C reaches a command run in the foreground: not ignored, even when the
        # tests themselves run as a background job (which starts with SIGINT ignored)
        preexec_fn=_default_ctrl_c,
    )


def _default_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_and_the_same_command_continues(sources, tmp_path):
    store = tmp_path / "region.store"
    args = [*(str(p) for p in sources.values()), "-o", str(store), "--workers", "2", "--chunksize", "40"]
    process = _cli(*args)
    markers = store / "_work" / "stage1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(markers.glob("*.json"))) < 3:
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    group = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl+C in a terminal does
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip().splitlines()[-1] == "maquette: interrupted"
    assert "Traceback" not in err
    _, alive = psutil.wait_procs(group, timeout=20)
    assert not alive
    meta = json.loads((store / "store.json").read_text())
    assert meta["complete"] is False
    done = len(list(markers.glob("*.json")))
    assert done >= 3
    again = _cli(*args, "--json")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    summary = json.loads(out)
    assert summary["resumed_partitions"] >= done
    assert summary["read"] == 3300 and summary["kept"] == 3296
    meta = json.loads((store / "store.json").read_text())
    assert meta["complete"] is True and not (store / "_work").exists()
