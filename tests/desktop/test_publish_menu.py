"""Export › Story as web page…: the window's story written as the offline page in the background,
in the interface's language; a folder that is not a page's is refused before anything is written."""

from __future__ import annotations

import json

import pytest

from tests.desktop.conftest import shown, wait_loaded
from tests.web.browser import cesium_build


@pytest.fixture
def city(window, qtbot, monkeypatch):
    monkeypatch.setenv("MAQUETTE_CESIUM_DIR", str(cesium_build()))
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    return window


def test_story_page_from_the_menu(city, qtbot, tmp_path):
    written = []
    before = {layer.name: layer.visible for layer in city.scene.layers}
    task = city.exports.export_story_page(tmp_path / "story")
    assert task is not None
    task.succeeded.connect(written.append)
    qtbot.waitUntil(lambda: not city.tasks.busy, timeout=60_000)
    assert written and written[0]["steps"] == 5
    story = json.loads((tmp_path / "story" / "story.json").read_text(encoding="utf-8"))
    assert [step["title"] for step in story["steps"]] == [step.title for step in city.workspace.session.steps]
    assert (tmp_path / "story" / "index.html").is_file()
    assert {layer.name: layer.visible for layer in city.scene.layers} == before


def test_story_page_refuses_a_foreign_folder(city, qtbot, tmp_path):
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    assert city.exports.export_story_page(tmp_path) is None
    qtbot.waitUntil(lambda: shown(city) is not None, timeout=5_000)
    said = shown(city).text() + shown(city).informativeText()
    assert "story.json" in said, said
    shown(city).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]
