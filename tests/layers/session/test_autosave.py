"""Autosave: unsaved work survives a killed app and is restored when the project is reopened."""

from __future__ import annotations

import json
import shutil

import pytest

from layers.session.autosave import autosave_path, clear_autosave, read_autosave, write_autosave
from layers.session.opening import open_paths


@pytest.fixture(autouse=True)
def autosave_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MAQUETTE_AUTOSAVE_DIR", str(tmp_path / "autosave"))


def test_write_read_clear(tmp_path):
    project = tmp_path / "p.maquette.json"
    write_autosave({"version": 1, "layers": []}, project)
    assert read_autosave(project)["version"] == 1
    assert autosave_path(project) != autosave_path(tmp_path / "other.maquette.json")
    clear_autosave(project)
    assert read_autosave(project) is None


def test_reopen_recovers_autosaved_comments(tmp_path, sample_city):
    folder = tmp_path / "city"
    shutil.copytree(sample_city, folder, ignore=shutil.ignore_patterns("citygen", "*.py", "__pycache__"))
    project = folder / "sample_city.maquette.json"
    data = json.loads(project.read_text(encoding="utf-8"))
    data["annotations"] = [
        {"category": "idea", "text": "Des arbres ici", "x": 351_900, "y": 6_789_300, "z": 0, "id": "c1"}
    ]
    write_autosave(data, project)
    plain = open_paths([project])
    assert plain.recovered_at is None and not plain.project.data.get("annotations")
    recovered = open_paths([project], recover=True)
    assert recovered.recovered_at
    assert recovered.project.data["annotations"][0]["text"] == "Des arbres ici"
    assert "_autosave" not in recovered.project.data


def test_a_project_name_too_long_for_the_autosave_file_name(tmp_path):
    """The usual name (project name + hash) would pass the disk's 255 bytes: a short one is used,
    found again on reopening, and cleared with the project."""
    from layers.session.autosave import short_autosave_path

    project = tmp_path / ("réunion publique " * 13 + ".maquette.json")
    assert len(project.name.encode()) <= 255 < len(autosave_path(project).name.encode())
    written = write_autosave({"version": 1, "layers": [], "title": "longue"}, project)
    assert written == short_autosave_path(project) and len(written.name) < 40
    assert read_autosave(project)["title"] == "longue"
    clear_autosave(project)
    assert read_autosave(project) is None and not written.exists()


def test_an_autosave_that_cannot_be_written_says_why(tmp_path, monkeypatch):
    from layers.core.errors import OutputError

    blocker = tmp_path / "un-fichier"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MAQUETTE_AUTOSAVE_DIR", str(blocker / "autosave"))
    with pytest.raises(OutputError, match="cannot write: a part of the folder's path is not a folder"):
        write_autosave({"version": 1, "layers": []}, tmp_path / "p.maquette.json")
