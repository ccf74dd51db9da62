"""GUI fixtures: the main window under a real X server (Xvfb in CI; VTK's Qt widget needs GLX)."""

from __future__ import annotations

import os

import pytest

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    pytest.skip(
        "GUI tests need an X display (the README's test command starts Xvfb)", allow_module_level=True
    )


@pytest.fixture
def window(qtbot):
    from desktop.main_window import MainWindow

    win = MainWindow(language="fr")

    def before_close(w) -> None:
        # pytest-qt closes the window before fixtures finish: no "save changes?" question then
        w.presentation.stop()
        w.dirty = False

    qtbot.addWidget(win, before_close_func=before_close)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    yield win


def wait_loaded(qtbot, win, count: int | None = None, timeout: int = 120_000) -> None:
    """Wait until background tasks are done and the scene has layers (``count`` of them if given)."""

    def loaded() -> bool:
        if win.last_task_error is not None:
            raise AssertionError(f"opening failed: {win.last_task_error!r}")
        return not win.tasks and (
            len(win.scene.layers) == count if count is not None else bool(win.scene.layers)
        )

    qtbot.waitUntil(loaded, timeout=timeout)
