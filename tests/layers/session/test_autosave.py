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
