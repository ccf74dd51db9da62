"""Stories: reading the project's steps, editing them, capturing and applying scene state."""

from __future__ import annotations

import json

import pytest

from layers.session.opening import open_paths
from layers.session.story import Story, StoryStep, apply_step, capture_step
from layers.session.views import CameraView


@pytest.fixture(scope="module")
def sample():
    return open_paths([])


def test_sample_story_reads_and_round_trips(sample):
    items = sample.project.data["story"]
    story = Story.from_list(items, sample.scene.timezone)
    assert len(story) >= 4
    assert story[0].title and story[0].view and story[0].time.tzinfo is not None
    again = Story.from_list(json.loads(json.dumps(story.to_list())), sample.scene.timezone)
    assert [s.to_dict() for s in again.steps] == story.to_list()


def test_unknown_keys_survive():
    step = StoryStep.from_dict({"title": "A", "text": "B", "transition": {"kind": "fade"}})
    assert step.to_dict()["transition"] == {"kind": "fade"}


def test_add_move_remove():
    story = Story([StoryStep(title=t) for t in "abc"])
    assert story.move(0, 2) == 2
    assert [s.title for s in story.steps] == ["b", "c", "a"]
    story.add(StoryStep(title="d"), 1)
    assert [s.title for s in story.steps] == ["b", "d", "c", "a"]
    assert story.remove(0).title == "b"
    assert story.move(0, 99) == 2


def test_bad_step_names_its_number():
    with pytest.raises(ValueError, match="story step 2"):
        Story.from_list([{"title": "ok"}, {"title": "x", "time": "not a time"}])


def test_capture_then_apply_restores_the_scene(sample):
    scene = sample.scene
    buildings = scene.find("Bâtiments")
    noise = next(layer for layer in scene.layers if layer.kind == "noise")
    noise.visible = True
    noise.opacity = 0.6
    buildings.update_style(color_by="usage")
    view = CameraView("v", (0, 0, 100), (0, 0, 0))
    step = capture_step(scene, view, title="Bruit")
    noise.visible = False
    buildings.update_style(color_by="hauteur")
    scene.clock.time = scene.clock.start
    missing = apply_step(scene, step)
    assert missing == []
    assert noise.visible and noise.opacity == pytest.approx(0.6)
    assert buildings.style.color_by == "usage"
    assert scene.clock.time == step.time
    step.visible.append("gone")
    assert apply_step(scene, step) == ["gone"]
