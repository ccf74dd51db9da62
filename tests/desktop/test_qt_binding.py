"""The Qt binding keeps Python's reference counts right where Maquette leans on it hardest.

PySide6 6.12.0 dropped a reference to ``True`` or ``False`` each time a signal was emitted (the
bool ``emit`` returns): after a few thousand emissions (progress, clock ticks) Python deallocated
``False`` and the app crashed, at a random place or at exit. pyproject.toml keeps that version out;
this test keeps any later one honest."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    value = Signal(object)
    progressed = Signal(float, str)
    nothing = Signal()


def test_emitting_signals_keeps_true_and_false_alive(qtbot):
    emitter = _Emitter()
    received: list[object] = []
    emitter.value.connect(received.append)
    true_before, false_before = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(3000):
        emitter.value.emit(i)  # connected: emit answers True
        emitter.progressed.emit(0.5, "lecture")  # not connected: emit answers False
        emitter.nothing.emit()
    assert len(received) == 3000
    # a little slack for objects the interpreter itself creates or frees meanwhile
    assert abs(sys.getrefcount(True) - true_before) < 100
    assert abs(sys.getrefcount(False) - false_before) < 100
