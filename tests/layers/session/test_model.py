"""The session model: loaded from a project document, changed by commands (undo / redo), observed
through its events, written back without changing the document's format."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from layers.sensors.moments import Moment
from layers.session.commands import (
    AddComment,
    AddStep,
    AddView,
    EditStep,
    MoveStep,
    MoveView,
    NameMoment,
    RemoveComment,
    RemoveStep,
    RemoveView,
    RenameView,
    ReorderViews,
    recapture_step,
)
from layers.session.comments import Comment
from layers.session.model import SessionModel
from layers.session.opening import sample_project_path
from layers.session.project import Project, load_project
from layers.session.story import Replay, StoryStep
from layers.session.views import CameraView

PARIS = ZoneInfo("Europe/Paris")


def view(name: str, x: float = 0.0) -> CameraView:
    return CameraView(name, (x, -100.0, 100.0), (x, 0.0, 0.0))


@pytest.fixture
def sample() -> Project:
    return load_project(sample_project_path())


@pytest.fixture
def session(sample) -> SessionModel:
    model = SessionModel()
    assert model.load(sample) == []
    return model


class Recorder:
    """Every event of a model, in order, as (name, args)."""

    def __init__(self, model: SessionModel) -> None:
        self.events: list[tuple] = []
        for name in (
            "views_changed",
            "story_changed",
            "comments_changed",
            "moments_changed",
            "dirty_changed",
        ):
            getattr(model, name).connect(lambda *args, name=name: self.events.append((name, *args)))

    def names(self) -> list[str]:
        return [event[0] for event in self.events]


def test_load_then_write_leaves_the_document_as_it_was(sample, session):
    before = copy.deepcopy(sample.data)
    assert len(session.views) == 4 and len(session.steps) == 5 and session.comments == ()
    assert not session.dirty and not session.history.can_undo
    session.write_into(sample.data)
    assert json.loads(json.dumps(sample.data)) == json.loads(json.dumps(before))
    assert "moments" not in sample.data  # no key appears that the project did not have


def test_views_commands_undo_and_redo(session):
    recorder = Recorder(session)
    names = [v.name for v in session.views]
    session.execute(AddView(view(names[0])))  # a taken name is made unique
    assert session.views[-1].name == f"{names[0]} 2"
    assert recorder.events[:2] == [("dirty_changed", True), ("views_changed", 4)]
    session.execute(RenameView(4, "Depuis la passerelle"))
    session.execute(MoveView(4, 0))
    assert [v.name for v in session.views] == ["Depuis la passerelle", *names]
    session.execute(ReorderViews([*names, "Depuis la passerelle"]))
    assert session.views[-1].name == "Depuis la passerelle"
    session.execute(RemoveView(4))
    assert [v.name for v in session.views] == names
    for _ in range(5):
        assert session.undo()
    assert [v.name for v in session.views] == names and not session.undo()
    assert session.redo() and session.redo()
    assert session.views[-1].name == "Depuis la passerelle"
    session.execute(RenameView(0, names[1]))  # a new command forgets what could be redone
    assert session.views[0].name == f"{names[1]} 2" and not session.history.can_redo


def test_story_commands_and_typing_as_one_undo_step(session):
    titles = [s.title for s in session.steps]
    session.execute(AddStep(StoryStep(title="Nouvelle")))
    session.execute(MoveStep(5, 0))
    assert [s.title for s in session.steps] == ["Nouvelle", *titles]
    first = session.steps[0]
    for typed in ("L", "Le", "Le q", "Le quai"):
        session.execute(EditStep(0, text=typed))
    assert session.steps[0].text == "Le quai" and first.text == ""  # steps are replaced, never changed
    assert session.undo()
    assert session.steps[0] is first  # the whole typing undone at once
    with pytest.raises(TypeError, match="no field colour"):
        EditStep(0, colour="red")
    session.execute(RemoveStep(0))
    assert [s.title for s in session.steps] == titles
    assert session.undo() and session.steps[0] is first


def test_recapture_keeps_the_caption_and_the_replay_length(session):
    t0 = datetime(2025, 7, 1, 10, tzinfo=PARIS)
    step = StoryStep(title="Bruit", text="la nuit", time=t0, replay=Replay(t0, t0.replace(hour=16), 3600.0))
    session.execute(AddStep(step))
    index = len(session.steps) - 1
    t1 = datetime(2025, 7, 2, 20, tzinfo=PARIS)
    captured = StoryStep(view="Les quais", visible=["noise"], time=t1)
    session.execute(recapture_step(index, step, captured))
    after = session.steps[index]
    assert (after.title, after.text, after.view, after.visible) == (
        "Bruit",
        "la nuit",
        "Les quais",
        ["noise"],
    )
    assert after.replay.start == t1 and after.replay.end == t1.replace(day=3, hour=2)


def test_comments_and_moments(sample, session):
    recorder = Recorder(session)
    comment = Comment("idea", "Des arbres", 351_900.0, 6_789_200.0, group="riverains")
    session.execute(AddComment(comment))
    assert session.comments == (comment,)
    session.execute(RemoveComment(comment.id))
    assert session.comments == ()
    assert session.undo() and session.comments == (comment,)
    night = Moment("Soirée du débat", datetime(2025, 7, 2, 22, tzinfo=PARIS))
    session.execute(NameMoment(night))
    session.execute(NameMoment(Moment("Soirée du débat", datetime(2025, 7, 2, 21, tzinfo=PARIS))))
    assert [m.time.hour for m in session.moments] == [21]  # the same name replaces
    assert "comments_changed" in recorder.names() and "moments_changed" in recorder.names()
    sample.data["annotations"] = [{"kind": "arrow", "from": [0, 0]}]  # another annotation kind
    session.write_into(sample.data)
    assert sample.data["annotations"][0] == {"kind": "arrow", "from": [0, 0]}
    assert sample.data["annotations"][1]["text"] == "Des arbres"
    assert sample.data["moments"] == [{"name": "Soirée du débat", "time": "2025-07-02T21:00:00+02:00"}]


def test_dirty_flag_and_edited_event(session):
    seen: list[bool] = []
    edits: list[int] = []
    session.dirty_changed.connect(seen.append)
    session.edited.connect(lambda: edits.append(1))
    session.mark_dirty()
    session.mark_dirty()  # a layer's style, then another: one flag change, two edits (autosave)
    assert session.dirty and seen == [True] and len(edits) == 2
    session.mark_clean()
    assert not session.dirty and seen == [True, False]
    session.execute(AddView(view("Vue")))
    assert session.dirty and seen == [True, False, True]


def test_parts_that_cannot_be_read_are_reported_and_kept(tmp_path):
    bad_story = [{"title": "ok"}, {"title": "x", "time": "not a time"}]
    data = {
        "version": 1,
        "layers": [],
        "views": [{"name": "Sans position"}],
        "story": bad_story,
        "moments": [{"name": "Matin", "time": "2025-07-01T08:00:00+02:00"}, {"name": "sans heure"}],
    }
    project = Project(data=copy.deepcopy(data), path=tmp_path / "p.maquette.json")
    model = SessionModel()
    problems = model.load(project)
    assert [p.field for p in problems] == ["views", "story"]
    assert "story step 2" in problems[1].message
    assert model.views == () and model.steps == () and [m.name for m in model.moments] == ["Matin"]
    model.write_into(project.data)
    assert project.data["views"] == data["views"] and project.data["story"] == bad_story
    assert project.data["moments"] == data["moments"]
    model.execute(AddStep(StoryStep(title="Nouvelle")))  # edited: the story is the model's again
    model.write_into(project.data)
    assert [s["title"] for s in project.data["story"]] == ["Nouvelle"]


def test_history_is_bounded_and_cleared_on_load(sample):
    model = SessionModel()
    model.history.limit = 3
    for i in range(5):
        model.execute(AddView(view(f"V{i}", i)))
    assert sum(model.undo() for _ in range(5)) == 3
    assert [v.name for v in model.views] == ["V0", "V1"]
    model.load(sample)
    assert not model.history.can_undo and not model.history.can_redo and not model.dirty
