"""Comments taken in a room: C then a click, a short form on the laptop that keeps its keys, nothing
saved without text, the story never moved by what is typed."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from desktop.dialogs.comment import CommentForm

from .conftest import wait_loaded


@pytest.fixture(autouse=True)
def private_autosave(tmp_path, monkeypatch):
    monkeypatch.setenv("MAQUETTE_AUTOSAVE_DIR", str(tmp_path / "autosave"))


@pytest.fixture
def presenting(window, qtbot, tmp_path, sample_city):
    """The sample city's story presented full screen, at its second step."""
    folder = tmp_path / "ville"
    shutil.copytree(sample_city, folder, ignore=shutil.ignore_patterns("citygen", "*.py", "__pycache__"))
    window.open_paths_async([folder / "sample_city.maquette.json"])
    wait_loaded(qtbot, window)
    assert len(window.session.steps) >= 3
    window.mediation.start_presentation(1)
    qtbot.waitUntil(window.isFullScreen, timeout=5000)
    qtbot.wait(100)
    return window


def centre(window) -> QPoint:
    return QPoint(window.plotter.width() // 2, window.plotter.height() // 2)


def open_form(window, qtbot) -> CommentForm:
    """C in the presentation, then a click on the model: the form, its text field focused."""
    qtbot.keyClick(window.plotter, Qt.Key.Key_C)
    assert window.mediation.placing_comment()
    qtbot.mouseClick(window.plotter, Qt.MouseButton.LeftButton, pos=centre(window))
    qtbot.waitUntil(window.mediation.comment_form_open, timeout=5000)
    form = window.mediation._comment_form
    assert form is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.text, timeout=5000)
    return form


def test_the_reported_sequence_saves_nothing_and_keeps_the_step(presenting, qtbot):
    window = presenting
    presentation, session = window.mediation.presentation, window.session
    step = presentation.index
    # type nothing: Enter does nothing (the save button waits for text), Esc closes
    form = open_form(window, qtbot)
    assert not form.save.isEnabled()
    qtbot.keyClick(form.text, Qt.Key.Key_Return)
    assert form.isVisible() and len(session.comments) == 0
    qtbot.keyClicks(form.text, "   ")
    assert not form.save.isEnabled()
    qtbot.keyClick(form.text, Qt.Key.Key_Return)
    assert form.isVisible() and len(session.comments) == 0
    qtbot.keyClick(form.text, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.mediation.comment_form_open(), timeout=3000)
    qtbot.wait(50)
    assert len(session.comments) == 0 and presentation.index == step and presentation.active
    # type "c": a letter in the text, not a second comment; Esc: nothing saved
    form = open_form(window, qtbot)
    qtbot.keyClick(form.text, Qt.Key.Key_C)
    assert form.text.text() == "c" and form.save.isEnabled()
    assert not window.mediation.placing_comment()
    qtbot.keyClick(form.text, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.mediation.comment_form_open(), timeout=3000)
    qtbot.wait(50)
    assert len(session.comments) == 0 and presentation.index == step and presentation.active
    assert not window.mediation.placing_comment()


def test_keys_typed_in_the_form_stay_in_it_and_enter_saves(presenting, qtbot):
    window = presenting
    presentation, session = window.mediation.presentation, window.session
    step = presentation.index
    form = open_form(window, qtbot)
    qtbot.keyClicks(form.text, "Des bancs")
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_N, Qt.Key.Key_B, Qt.Key.Key_P):
        qtbot.keyClick(form.text, key)
    assert presentation.index == step and not presentation.is_blank
    assert form.text.text() == "Des bancs nbp"
    qtbot.keyClick(form.text, Qt.Key.Key_2)  # a digit in the text is a digit
    assert form.text.text().endswith("2") and form.category() == "concern"
    form.text.setText("Des bancs à l'ombre")
    form.group.button(1).click()
    qtbot.keyClicks(form.team, "riverains")
    qtbot.keyClick(form.text, Qt.Key.Key_Return)  # the Return that saves must not step the story
    qtbot.waitUntil(lambda: not window.mediation.comment_form_open(), timeout=3000)
    qtbot.wait(100)
    assert presentation.index == step and presentation.active
    assert [(c.category, c.text, c.group) for c in session.comments] == [
        ("idea", "Des bancs à l'ombre", "riverains")
    ]
    # the clicker steps the story again once the form is gone
    qtbot.keyClick(window.plotter, Qt.Key.Key_PageDown)
    assert presentation.index == step + 1


def test_escape_first_cancels_a_comment_being_placed(presenting, qtbot):
    window = presenting
    presentation = window.mediation.presentation
    qtbot.keyClick(window.plotter, Qt.Key.Key_C)
    assert window.mediation.placing_comment()
    qtbot.keyClick(window.plotter, Qt.Key.Key_Escape)
    assert not window.mediation.placing_comment() and presentation.active


def test_with_two_screens_the_form_opens_on_the_laptop(presenting, qtbot, monkeypatch):
    window = presenting
    presentation = window.mediation.presentation
    audience = window.geometry()
    laptop = QRect(audience.right() + 1, 0, 1366, 768)  # the console's screen, right of the projector
    monkeypatch.setattr(presentation, "laptop_area", lambda: laptop)
    form = open_form(window, qtbot)
    assert laptop.contains(form.geometry()) and not form.geometry().intersects(audience)
    qtbot.keyClick(form.text, Qt.Key.Key_Escape)


def test_the_form_alone_saves_only_text(qtbot):
    form = CommentForm()
    qtbot.addWidget(form)
    saved: list[tuple[str, str, str]] = []
    form.accepted.connect(lambda *args: saved.append(args))
    form.show()
    assert not form.save.isEnabled()
    form.save.click()
    qtbot.keyClick(form.text, Qt.Key.Key_Return)
    assert saved == [] and form.isVisible()
    qtbot.keyClicks(form.text, " Un arbre ")
    assert form.save.isEnabled()
    form.group.button(2).click()
    qtbot.keyClick(form.text, Qt.Key.Key_Return)
    assert saved == [("question", "Un arbre", "")]
