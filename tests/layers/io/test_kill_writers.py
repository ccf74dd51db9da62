"""``kill -9`` at random moments of every kind of export leaves, under the final name, either the
previous file whole or the new one whole (or nothing when there was none): never a torn file.

A child process (``write_forever.py``) writes one kind of output again and again with Maquette's
own writer, two versions in turn; it is killed (SIGKILL) after a random delay, and the file under
the final name is read back whole. The temporary files the killed writers left are removed by the
next write of the same file.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.layers.io import write_forever
from tests.layers.io.write_forever import KINDS, version, write

REPO = Path(__file__).resolve().parents[3]
SUFFIXES = {"sunlight": ".tif", "csv": ".csv"}
KILLS = 3

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def final_files(kind: str, path: Path) -> list[Path]:
    """The files of one output: the OBJ's .mtl, the Shapefile's parts, the study's before/after."""
    if kind == "obj":
        return [path, path.with_suffix(".mtl")]
    if kind == "shp":
        return [path.with_suffix(s) for s in (".shp", ".shx", ".dbf", ".prj", ".cpg")]
    if kind == "sunlight":
        return [path, path.with_name("b.tif"), path.with_name("a.tif")]
    return [path]


@pytest.mark.parametrize("kind", KINDS)
def test_a_killed_export_leaves_the_old_file_or_the_new_one(kind, tmp_path):
    rng = random.Random(f"maquette-{kind}")
    path = tmp_path / f"sortie{SUFFIXES.get(kind, '.' + kind)}"
    seen = []
    for kill in range(KILLS):
        if kill == 1:
            write(kind, path, 1)  # from the second kill on, there is a previous file
        child = subprocess.Popen(
            [sys.executable, str(Path(write_forever.__file__)), kind, str(path)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])},
        )
        assert child.stdout is not None and child.stdout.readline().startswith("ready")
        time.sleep(rng.uniform(0.0, 1.5))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        if not path.exists():
            assert kill == 0, "a previous file vanished"
            assert not any(p.exists() for p in final_files(kind, path)[1:]) or kind in (
                "obj",
                "shp",
                "sunlight",
            )
            seen.append(None)
            continue
        found = version(kind, path)
        assert found in (1, 2), f"{path.name} is torn after a kill"
        for companion in final_files(kind, path)[1:]:
            assert companion.exists(), f"{companion.name} missing beside a whole {path.name}"
        seen.append(found)
    write(kind, path, 1)  # the next write sweeps what the killed writers left
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".") and ".tmp" in p.name)
    assert left == [], left
    assert version(kind, path) == 1
    print(f"\n{kind}: after {KILLS} kills the final name held {seen}")
