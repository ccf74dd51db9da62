"""A crash during a save leaves the last good file: failures at every step of the atomic write, and
a process killed (SIGKILL) in the middle of large saves."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import layers.io.atomic as atomic_module
from layers.session.project import Project, load_project, save_project

REPO = Path(__file__).resolve().parents[3]


def document(size: int, mark: str) -> dict:
    """A project document of about ``size`` annotations (a long meeting's worth of comments)."""
    return {
        "version": 1,
        "title": mark,
        "layers": [],
        "annotations": [
            {
                "id": f"{mark}-{i}",
                "kind": "comment",
                "category": "question",
                "text": f"Remarque {i} du public ({mark}) " * 3,
                "x": 351_500.0 + i,
                "y": 6_789_000.0,
                "z": 0.0,
            }
            for i in range(size)
        ],
    }


@pytest.fixture
def saved(tmp_path) -> tuple[Path, str]:
    path = save_project(Project(document(50, "old")), tmp_path / "etude.maquette.json")
    return path, path.read_text(encoding="utf-8")


def intact(path: Path, text: str) -> None:
    assert path.read_text(encoding="utf-8") == text
    assert load_project(path).data["title"] == "old"
    assert [p.name for p in path.parent.iterdir()] == [path.name], "a temporary file was left behind"


def test_a_failing_rename_keeps_the_old_file(saved, monkeypatch):
    path, text = saved

    def replace(*_args):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic_module.os, "replace", replace)
    with pytest.raises(OSError):
        save_project(Project(document(50, "new")), path)
    intact(path, text)


class HalfWritten:
    """A file handle that writes half of what it is given, then finds the disk full."""

    def __init__(self, handle) -> None:
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()

    def write(self, data: str) -> int:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.handle, name)


def test_a_full_disk_midway_keeps_the_old_file(saved, monkeypatch):
    path, text = saved
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        atomic_module.os, "fdopen", lambda *args, **kwargs: HalfWritten(real_fdopen(*args, **kwargs))
    )
    with pytest.raises(OSError, match="cannot write: the disk is full"):
        save_project(Project(document(50, "new")), path)
    intact(path, text)


def test_a_failing_fsync_keeps_the_old_file(saved, monkeypatch):
    path, text = saved

    def fsync(_fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic_module.os, "fsync", fsync)
    with pytest.raises(OSError):
        save_project(Project(document(50, "new")), path)
    intact(path, text)


def test_a_value_that_cannot_be_saved_keeps_the_old_file(saved):
    path, text = saved
    with pytest.raises(ValueError):
        save_project(Project({"version": 1, "layers": [], "title": "old", "bad": float("nan")}), path)
    intact(path, text)


CHILD = """
import sys
sys.path.insert(0, {repo!r})
from pathlib import Path
from layers.session.project import Project, save_project
from tests.layers.io.test_atomic_save import document
path = Path({path!r})
docs = [Project(document(40_000, "A")), Project(document(40_000, "B"))]
print("ready", flush=True)
i = 0
while True:
    save_project(docs[i % 2], path)
    i += 1
"""


def test_killing_the_process_in_the_middle_of_large_saves(tmp_path):
    """A child saves a 10 MB project again and again; SIGKILL at various moments leaves a whole
    document every time (the old or the new), never a torn one."""
    path = tmp_path / "reunion.maquette.json"
    save_project(Project(document(40_000, "A")), path)
    size_mb = path.stat().st_size / 1e6
    seen = set()
    for delay in (0.15, 0.4, 0.7, 1.1, 1.6):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD.format(repo=str(REPO), path=str(path))],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        data = json.loads(path.read_text(encoding="utf-8"))  # valid JSON, whole
        assert data["title"] in {"A", "B"} and len(data["annotations"]) == 40_000
        seen.add(data["title"])
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != path.name]
    save_project(Project(document(10, "C")), path)  # the next save sweeps what killed saves left
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    print(
        f"\n{size_mb:.1f} MB project, killed 5 times: documents seen "
        f"{sorted(seen)}, temporary files left then swept: {len(leftovers)}"
    )
