"""Run Python's cyclic garbage collector on the GUI thread only.

Python may collect a cycle holding a Qt widget from whatever thread happens to allocate at that
moment. When that is a background reading thread, the widget's C++ destructor runs there and waits
for the GIL inside Qt: the application freezes (seen with a file opened while an old dialog was
being collected). The usual remedy for Qt applications: turn automatic collection off and collect
from a timer on the GUI thread, with the same generation thresholds Python would use. After a full
collection, the heap pages freed are given back to the system (:mod:`desktop.heap`).

It changes the whole process, so only the application installs it, once, at start-up
(:func:`desktop.app.run_gui`), not the main window: a test or a script that builds windows keeps
Python's automatic collection unless it installs the guard itself, and then :func:`uninstall`
gives automatic collection back.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from . import heap

INTERVAL_MS = 500
_installed: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    """Collects garbage every :data:`INTERVAL_MS` on the thread that created it (the GUI thread)."""

    def __init__(self) -> None:
        super().__init__()
        self.thresholds = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)
        gc.disable()

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                if generation == 2:  # what the full collection freed goes back to the system
                    heap.give_back()
                break


def install() -> GuiThreadCollector:
    """Install the collector once per process (call from the GUI thread, with a Qt application)."""
    global _installed
    if _installed is None:
        heap.limit_arenas()  # before the background threads: their freed pages stay returnable
        _installed = GuiThreadCollector()
    return _installed


def uninstall() -> None:
    """Stop collecting on the timer and give Python its automatic collection back."""
    global _installed
    if _installed is not None:
        _installed.timer.stop()
        _installed.deleteLater()
        _installed = None
    gc.enable()


def installed() -> bool:
    return _installed is not None
