"""GUI fixtures: the main window under a real X server (Xvfb in CI; VTK's Qt widget needs GLX)."""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import pytest

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    pytest.skip(
        "GUI tests need an X display (the README's test command starts Xvfb)", allow_module_level=True
    )


@pytest.fixture(autouse=True)
def automatic_gc_stays_on():
    """No test leaves the process without Python's automatic garbage collection."""
    yield
    assert gc.isenabled(), "automatic garbage collection was left off (see desktop/gc_guard.py)"


@pytest.fixture
def private_autosave(tmp_path, monkeypatch):
    """Autosaves in the test's own folder (a module asks for it with ``pytestmark``)."""
    monkeypatch.setenv("MAQUETTE_AUTOSAVE_DIR", str(tmp_path / "autosave"))


@pytest.fixture
def city_copy(tmp_path, sample_city) -> Path:
    """A copy of the sample city's project and data (the test may change and save it)."""
    folder = tmp_path / "ville"
    shutil.copytree(sample_city, folder, ignore=shutil.ignore_patterns("citygen", "*.py", "__pycache__"))
    return folder / "sample_city.maquette.json"


@pytest.fixture
def french(qapp):
    """The interface in French, installed before the window is made; yields the translators."""
    from desktop.translation import install_translations

    installed = install_translations(qapp, "fr")
    yield installed
    for translator in installed:
        qapp.removeTranslator(translator)


def opened_window(qtbot, size: tuple[int, int] = (1400, 900)):
    """The main window as the application runs it, shown at ``size``: with the GUI-thread garbage
    collector, which is uninstalled afterwards (automatic collection back on). A generator for
    fixtures (``yield from``)."""
    from desktop import gc_guard
    from desktop.main_window import MainWindow

    gc_guard.install()
    win = MainWindow(language="fr")

    def before_close(w) -> None:
        # pytest-qt closes the window before fixtures finish: no "save changes?" question then
        w.mediation.presentation.stop()
        w.session.mark_clean()

    qtbot.addWidget(win, before_close_func=before_close)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    yield win
    gc_guard.uninstall()


@pytest.fixture
def window(qtbot):
    """The main window as the application runs it (see :func:`opened_window`)."""
    yield from opened_window(qtbot)


def shown(win, kind=None):
    """The visible dialog of class ``kind`` (exactly; a plain message box by default) over ``win``,
    the newest when there are several; ``None`` when none is shown."""
    from PySide6.QtWidgets import QMessageBox

    kind = kind or QMessageBox
    found = [w for w in win.findChildren(kind) if type(w) is kind and w.isVisible()]
    return found[-1] if found else None


def wait_loaded(qtbot, win, count: int | None = None, timeout: int = 120_000) -> None:
    """Wait until background tasks are done and the scene has layers (``count`` of them if given);
    fail at once with its text when a message box says the opening failed."""

    def loaded() -> bool:
        done = not win.tasks.busy and (
            len(win.scene.layers) == count if count is not None else bool(win.scene.layers)
        )
        box = shown(win)
        if not done and not win.tasks.busy and box is not None:
            raise AssertionError(f"opening failed: {box.text()}")
        return done

    qtbot.waitUntil(loaded, timeout=timeout)
