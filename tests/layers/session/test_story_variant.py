"""A story step can show a variant of the planned project: kept in the project, captured, recaptured."""

import pytest

from layers.core.scene import Scene
from layers.session.commands import AddStep, recapture_step
from layers.session.model import SessionModel
from layers.session.story import Story, StoryStep, capture_step


def test_the_variant_is_kept_in_the_project_and_unknown_keys_survive():
    step = StoryStep.from_dict({"title": "B", "variant": "B, en retrait", "later": 1})
    assert step.variant == "B, en retrait"
    assert step.to_dict() == {"title": "B", "text": "", "variant": "B, en retrait", "later": 1}
    assert "variant" not in StoryStep(title="no plan").to_dict()
    with pytest.raises(ValueError, match=r"story\[0\]\.variant"):
        Story.from_list([{"title": "x", "variant": 2}])


def test_captured_and_recaptured_with_the_variant_shown():
    scene = Scene()
    step = capture_step(scene, None, title="A", variant="A")
    assert step.variant == "A"
    session = SessionModel()
    session.execute(AddStep(step))
    session.execute(recapture_step(0, session.steps[0], capture_step(scene, None, variant="B")))
    assert session.steps[0].variant == "B" and session.steps[0].title == "A"
    session.undo()
    assert session.steps[0].variant == "A"
