"""Key bindings never collide, in and out of presentation mode: every shortcut of the window is one
action's, the comment key is the same everywhere, and while the story is presented the clicker's
keys (PageDown, Space, B, C…) are the presentation's alone."""

from __future__ import annotations

import shutil
from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from desktop.presentation import (
    BLANK_KEYS,
    COMMENT_KEY,
    NEXT_KEYS,
    PRESENTATION_KEYS,
    PREVIOUS_KEYS,
)

from .conftest import wait_loaded

MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


pytestmark = pytest.mark.usefixtures("private_autosave")


def shortcuts(window) -> dict[QAction, list[QKeySequence]]:
    """Every action of the window that has a shortcut, with its key sequences."""
    found = {}
    for action in window.findChildren(QAction):
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        if keys:
            found[action] = keys
    return found


def reachable(widget: QWidget) -> bool:
    """Whether Qt fires the shortcuts of actions shown in ``widget`` (a menu: where it is shown)."""
    if isinstance(widget, QMenu):
        return any(isinstance(w, QWidget) and reachable(w) for w in widget.menuAction().associatedObjects())
    return widget.isVisible()


def live(window) -> dict[QAction, list[QKeySequence]]:
    """The shortcuts Qt would fire now in ``window``: enabled actions shown in a visible widget."""
    return {
        action: keys
        for action, keys in shortcuts(window).items()
        if action.isEnabled()
        and any(isinstance(w, QWidget) and reachable(w) for w in action.associatedObjects())
    }


def idle(window) -> set[QAction]:
    """Undo and Redo when there is nothing to undo or redo (switched off)."""
    return {a for a in (window.undo_action, window.redo_action) if not a.isEnabled()}


def bare(sequence: QKeySequence) -> bool:
    """A one-key sequence without Ctrl, Alt or Meta (what a clicker or a plain key press sends)."""
    return sequence.count() == 1 and not (sequence[0].keyboardModifiers() & MODIFIERS)


def test_the_presentation_keys_have_one_meaning_each():
    sets = [NEXT_KEYS, PREVIOUS_KEYS, BLANK_KEYS, {Qt.Key.Key_Home}, {Qt.Key.Key_End}, {COMMENT_KEY}]
    sets.append({Qt.Key.Key_Escape})
    counts = Counter(key for keys in sets for key in keys)
    assert [key for key, n in counts.items() if n > 1] == []
    assert set(counts) == PRESENTATION_KEYS


def test_no_two_actions_share_a_key_and_the_comment_key_is_the_same(window):
    found = shortcuts(window)
    assert len(found) >= 15
    owners: dict[str, list[str]] = {}
    for action, keys in found.items():
        for key in keys:
            owners.setdefault(key.toString(), []).append(action.text())
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    assert window.comment_action.shortcut() == QKeySequence(COMMENT_KEY)
    # out of presentation every action's shortcut is live (the menus are shown), but Undo / Redo
    # while there is nothing to undo or redo
    assert set(live(window)) == set(found) - idle(window)


def test_while_presenting_the_clicker_keys_are_the_presentations_alone(window, qtbot, tmp_path, sample_city):
    folder = tmp_path / "ville"
    shutil.copytree(sample_city, folder, ignore=shutil.ignore_patterns("citygen", "*.py", "__pycache__"))
    window.open_paths_async([folder / "sample_city.maquette.json"])
    wait_loaded(qtbot, window)
    fired: list[str] = []
    for action in shortcuts(window):
        action.triggered.connect(lambda _=False, a=action: fired.append(a.text()))
    window.activateWindow()  # window shortcuts are the active window's
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    # out of presentation, Space is the clock's play / pause (and the recording works)
    qtbot.keyClick(window.plotter, Qt.Key.Key_Space)
    qtbot.keyClick(window.plotter, Qt.Key.Key_Space)
    assert len(fired) == 2
    fired.clear()

    window.mediation.start_presentation(0)
    qtbot.waitUntil(window.isFullScreen, timeout=5000)
    presentation = window.mediation.presentation
    now = live(window)
    assert set(now) == set(window.presenting_actions)
    keys = [key for sequences in now.values() for key in sequences]
    assert not [k.toString() for k in keys if bare(k)]
    # each clicker key steps the story and fires no window action
    for key in sorted(NEXT_KEYS, key=int):
        before = presentation.index
        qtbot.keyClick(window.plotter, key)
        assert presentation.index == min(before + 1, len(window.session.steps) - 1), key
    for key in sorted(PREVIOUS_KEYS, key=int):
        before = presentation.index
        qtbot.keyClick(window.plotter, key)
        assert presentation.index == max(before - 1, 0), key
    qtbot.keyClick(window.plotter, Qt.Key.Key_End)
    assert presentation.index == len(window.session.steps) - 1
    qtbot.keyClick(window.plotter, Qt.Key.Key_Home)
    assert presentation.index == 0
    for key in sorted(BLANK_KEYS, key=int):
        qtbot.keyClick(window.plotter, key)
        assert presentation.is_blank, key
        qtbot.keyClick(presentation.blank, key)
        assert not presentation.is_blank, key
    qtbot.keyClick(window.plotter, COMMENT_KEY)
    assert window.mediation.placing_comment()
    qtbot.keyClick(window.plotter, Qt.Key.Key_Escape)
    assert not window.mediation.placing_comment() and presentation.active
    assert fired == []
    # Ctrl+B is the swipe, live while presenting, and not a blank screen
    qtbot.keyClick(window.plotter, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert fired == ["Avant / après : balayage"] or fired == ["Before / after: swipe"]
    assert not presentation.is_blank and presentation.index == 0
    qtbot.keyClick(window.plotter, Qt.Key.Key_Escape)
    assert not presentation.active
    # after the presentation, the window's shortcuts are all back
    assert set(live(window)) == set(shortcuts(window)) - idle(window)
