"""Background work (reading files, building scenes) off the GUI thread, with progress and cancel.

A :class:`Task` runs a plain function in a ``QThread``. The function receives ``progress(fraction,
message)`` and ``cancelled()`` callables; its result or its exception come back to the GUI thread
as signals, so the window keeps repainting while a large file loads.

Cancel answers at once: the task emits ``cancelled`` and ``finished`` right away and whatever the
function still returns is dropped; the function stops at its next ``cancelled()`` check (a GDAL
read cannot be interrupted), and :func:`wait_all` waits for such threads before the app quits.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from layers.core.errors import Cancelled

#: tasks whose thread is still running (cancelled ones included), for :func:`wait_all`
_live: set[Task] = set()


def wait_all(timeout_ms: int = 10000) -> bool:
    """Wait until every task's thread has ended (before quitting); False if some still run."""
    return all(task._thread.wait(timeout_ms) for task in list(_live))


class _Runner(QObject):
    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object, str)
    cancelled_signal = Signal()

    def __init__(self, function: Callable[..., Any], cancel_event: threading.Event) -> None:
        super().__init__()
        self.function: Callable[..., Any] | None = function
        self.cancel_event = cancel_event

    def run(self) -> None:
        function, self.function = self.function, None  # run once; what it holds is let go after
        assert function is not None, "a task runs once"
        try:
            result = function(progress=self._progress, cancelled=self.cancel_event.is_set)
        except Cancelled:
            self.cancelled_signal.emit()
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI, not kill it
            self.failed.emit(exc, traceback.format_exc())
        else:
            if self.cancel_event.is_set():
                self.cancelled_signal.emit()
            else:
                self.succeeded.emit(result)
        finally:
            del function

    def _progress(self, fraction: float, message: str) -> None:
        self.progressed.emit(float(fraction), str(message))


class Task(QObject):
    """One background job.

    Signals
    -------
    progressed(fraction, message), succeeded(result), failed(exception, traceback_text),
    cancelled(), finished()
    """

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, function: Callable[..., Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._abandoned = False
        self._thread = QThread()
        # a bound method, not a lambda holding the task: the thread (owned by the task) would hold
        # the task through the connection, a cycle the garbage collector cannot see
        self._thread.finished.connect(self._thread_ended)
        self._runner = _Runner(function, self._cancel)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        self._runner.progressed.connect(self.progressed)
        self._runner.succeeded.connect(self._on_succeeded)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled_signal.connect(self._on_cancelled)

    def _thread_ended(self) -> None:
        _live.discard(self)

    def start(self) -> Task:
        _live.add(self)
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Stop the job: ``cancelled`` and ``finished`` are emitted now, the function stops at its
        next check and its result is dropped."""
        if self._cancel.is_set():
            return
        self._cancel.set()
        if self._thread.isRunning():
            self._abandoned = True
            self.finished.emit()
            self.cancelled.emit()

    def release(self) -> None:
        """Delete this object (Qt) once its thread has ended; a finished task parented to a
        long-lived object would otherwise stay there, with its function and what it holds."""
        if self._thread.isRunning():
            self._thread.finished.connect(self.deleteLater)
        else:
            self.deleteLater()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, timeout_ms: int = 30000) -> bool:
        return self._thread.wait(timeout_ms)

    def _finish(self) -> bool:
        """End the thread; True when the outcome is still wanted (the task was not cancelled)."""
        self._thread.quit()
        self._thread.wait()
        if self._abandoned:
            return False
        self.finished.emit()
        return True

    def _on_succeeded(self, result: object) -> None:
        if self._finish():
            self.succeeded.emit(result)

    def _on_failed(self, exc: object, text: str) -> None:
        if self._finish():
            self.failed.emit(exc, text)

    def _on_cancelled(self) -> None:
        if self._finish():
            self.cancelled.emit()
