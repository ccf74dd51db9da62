"""The views, story and comments panels show the session model and edit it through commands: an
undo in the model is on screen at once, and typing a caption is one undo step."""

from __future__ import annotations

import pytest

from layers.session.commands import AddComment, AddView
from layers.session.comments import Comment
from layers.session.model import SessionModel
from layers.session.opening import sample_project_path
from layers.session.project import load_project
from layers.session.views import CameraView


@pytest.fixture
def session() -> SessionModel:
    model = SessionModel()
    model.load(load_project(sample_project_path()))
    return model


def names(widget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]


def test_views_panel_follows_the_model(qtbot, session):
    from desktop.panels.views import ViewsPanel

    panel = ViewsPanel(session)
    qtbot.addWidget(panel)
    first = [v.name for v in session.views]
    assert names(panel.list) == first
    session.execute(AddView(CameraView("Passerelle", (0.0, -10.0, 10.0), (0.0, 0.0, 0.0))))
    assert names(panel.list)[-1] == "Passerelle" and panel.list.currentRow() == len(first)
    panel.rename(len(first), "Depuis la passerelle")
    panel.move_row(len(first), -len(first))
    assert names(panel.list)[0] == "Depuis la passerelle" == session.views[0].name
    panel.list.setCurrentRow(0)
    panel.delete_current()
    assert names(panel.list) == first
    for _ in range(4):
        session.undo()
    assert names(panel.list) == first and not session.history.can_undo


def test_story_panel_typing_is_one_undo_step(qtbot, session):
    from desktop.panels.story import StoryPanel

    panel = StoryPanel(session)
    qtbot.addWidget(panel)
    assert panel.list.count() == len(session.steps) and panel.current_row() == 0
    first = session.steps[0]
    panel.text_edit.setFocus()
    for text in ("L", "La", "La nuit"):
        panel.text_edit.setPlainText(text)
    assert session.steps[0].text == "La nuit" and panel.text_edit.toPlainText() == "La nuit"
    panel.title_edit.setText("Au bord de l'eau")
    panel.title_edit.editingFinished.emit()
    assert panel.list.item(0).text() == "1. Au bord de l'eau"
    session.undo()  # the title
    session.undo()  # the whole caption typed
    assert session.steps[0] is first
    assert panel.text_edit.toPlainText() == first.text and panel.list.item(0).text() == f"1. {first.title}"
    panel.move_row(0, 1)
    assert session.steps[1] is first and panel.current_row() == 1
    panel.delete_current()
    assert first not in session.steps and panel.list.count() == len(session.steps)


def test_comments_panel_follows_the_model(qtbot, session):
    from desktop.panels.comments import CommentsPanel

    panel = CommentsPanel(session)
    qtbot.addWidget(panel)
    assert panel.list.count() == 0
    session.execute(AddComment(Comment("idea", "Des arbres", 1.0, 2.0)))
    session.execute(AddComment(Comment("question", "Et les vélos ?", 3.0, 4.0)))
    assert panel.list.count() == 2 and "vélos" in panel.list.item(0).text()  # newest first
    panel.list.setCurrentRow(0)
    panel.delete_current()
    assert [c.text for c in session.comments] == ["Des arbres"] and panel.list.count() == 1
    session.undo()
    assert panel.list.count() == 2
