"""Comments taken in a room: C then a click, a short form on the laptop that keeps its keys, nothing
saved without text, the story never moved by what is typed."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget

from desktop.dialogs.comment import CommentForm
from layers.core.errors import InputError

from .conftest import wait_loaded

pytestmark = pytest.mark.usefixtures("private_autosave")


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


def audience_sees(window) -> list[str]:
    """What the audience screen shows besides the model: visible docks, dialogs and tool windows
    over the presented window (the comment form only when it is not on the laptop's screen)."""
    audience = window.geometry()
    seen = [f"dock {dock.windowTitle()}" for dock in window.findChildren(QDockWidget) if dock.isVisible()]
    for widget in QApplication.topLevelWidgets():
        if widget is window or not widget.isVisible():
            continue
        if widget is window.mediation.presentation.blank or widget is window.mediation.presentation.console:
            continue
        if isinstance(widget, QDialog | CommentForm) and widget.frameGeometry().intersects(audience):
            seen.append(f"{type(widget).__name__} {widget.windowTitle()}")
    if window.statusBar().isVisible():
        seen.append("status bar")
    return seen


@pytest.mark.parametrize("screens", [1, 2])
def test_a_presentation_shows_the_audience_nothing_but_its_content(presenting, qtbot, monkeypatch, screens):
    """Clicks on buildings, a comment pinned, a step naming a layer not open, a layer's warning:
    no dock, no inspector, no message box on the audience screen; with one screen the warning waits
    for the end of the presentation, with two it is shown on the laptop's."""
    window = presenting
    presentation = window.mediation.presentation
    audience = window.geometry()
    laptop = QRect(audience.right() + 1, 0, 1366, 768) if screens == 2 else None
    monkeypatch.setattr(presentation, "laptop_area", lambda: laptop)
    window.mediation.audience.laptop_area = presentation.laptop_area
    assert audience_sees(window) == []
    width, height = window.plotter.width(), window.plotter.height()
    for fx, fy in ((0.5, 0.5), (0.4, 0.6), (0.6, 0.45), (0.3, 0.5)):
        qtbot.mouseClick(
            window.plotter, Qt.MouseButton.LeftButton, pos=QPoint(int(width * fx), int(height * fy))
        )
        qtbot.wait(50)
        assert audience_sees(window) == []
    assert window.inspector.isHidden() or not window.inspector_dock.isVisible()
    # something asks for a dock anyway (a search result, a sensor for the chart)
    window.inspector_dock.show()
    window.chart_dock.show()
    qtbot.wait(50)
    assert audience_sees(window) == []
    # a comment pinned
    form = open_form(window, qtbot)
    if screens == 1:
        assert audience_sees(window) == [f"CommentForm {form.windowTitle()}"]  # the mediator's, mirrored
    else:
        assert audience_sees(window) == []
    qtbot.keyClicks(form.text, "Trop de voitures")
    qtbot.keyClick(form.text, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.mediation.comment_form_open(), timeout=3000)
    qtbot.wait(50)
    assert len(window.session.comments) == 1 and audience_sees(window) == []
    # a step that names a layer not open: said in the status bar, which the audience does not see
    from dataclasses import replace

    step = replace(window.session.steps[presentation.index], visible=["absent-layer"])
    presentation.show_step(step, animate=False)
    qtbot.wait(50)
    assert audience_sees(window) == []
    # a layer's warning (a file that could not be read)
    box = window.messages.show_input_error(InputError("capteurs.csv", "no time column"))
    qtbot.wait(100)
    assert audience_sees(window) == []
    if screens == 2:
        assert box.isVisible() and laptop.intersects(box.frameGeometry())
    else:
        assert not box.isVisible()
    step = presentation.index
    qtbot.keyClick(window.plotter, Qt.Key.Key_PageDown)  # the held box does not stop the clicker
    assert presentation.index == min(step + 1, len(window.session.steps) - 1)
    assert presentation.active
    presentation.stop()
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=5000)
    assert box.isVisible()  # the mediator reads it once the audience is gone
    assert not window.mediation.audience.watching
    box.close()
