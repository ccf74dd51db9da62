"""Background work (reading files, building scenes) off the GUI thread, with progress and cancel.

A :class:`Task` runs a plain function on one of a few long-lived worker threads. The function
receives ``progress(fraction, message)`` and ``cancelled()`` callables; its result or its exception
come back to the GUI thread as signals, so the window keeps repainting while a large file loads.

The worker threads are kept and reused rather than started for each task: GDAL and PROJ keep state
per thread (their bundled copies in pyogrio, rasterio and pyproj each do), and a session that
opens hundreds of files must not create and tear down that state hundreds of times. A new thread is
started only when every kept one is busy (a cancelled read still finishing, say).

Cancel answers at once: the task emits ``cancelled`` and ``finished`` right away and whatever the
function still returns is dropped; the function stops at its next ``cancelled()`` check (a GDAL
read cannot be interrupted), and :func:`wait_all` waits for such functions before the app quits.
"""

from __future__ import annotations

import logging
import queue
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from layers.core.errors import Cancelled

#: tasks whose function is still running (cancelled ones included), for :func:`wait_all`
_live: set[Task] = set()


class _WorkerThreads:
    """Daemon threads that run jobs one after another and are never torn down.

    ``submit`` hands a job to an idle thread, or starts a new one when none is idle; so a job never
    waits behind another, and the number of threads is the most jobs that ever ran at once."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0
        self.threads: list[threading.Thread] = []

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            if self._idle:
                self._idle -= 1  # that idle thread is now promised this job
            else:
                thread = threading.Thread(
                    target=self._serve, name=f"maquette-worker-{len(self.threads) + 1}", daemon=True
                )
                self.threads.append(thread)
                thread.start()
        self._jobs.put(job)

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                job()
            except BaseException:  # the thread must live on for the next job
                logging.getLogger(__name__).exception("a background job failed outside its task")
            del job
            with self._lock:
                self._idle += 1


_workers = _WorkerThreads()


def wait_all(timeout_ms: int = 10000) -> bool:
    """Wait until every task's function has ended (before quitting); False if some still run."""
    return all(task.wait(timeout_ms) for task in list(_live))


class _Runner(QObject):
    """Runs the function on a worker thread; its signals reach the GUI thread queued."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object, str)
    cancelled_signal = Signal()
    ended = Signal()

    def __init__(self, function: Callable[..., Any], cancel_event: threading.Event) -> None:
        super().__init__()
        self.function: Callable[..., Any] | None = function
        self.cancel_event = cancel_event
        #: set once the function has returned or raised (before the outcome is signalled)
        self.done = threading.Event()

    def run(self) -> None:
        function, self.function = self.function, None  # run once; what it holds is let go after
        assert function is not None, "a task runs once"
        outcome: tuple[Any, ...]
        try:
            result = function(progress=self._progress, cancelled=self.cancel_event.is_set)
        except Cancelled:
            outcome = (self.cancelled_signal,)
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI, not kill it
            outcome = (self.failed, exc, traceback.format_exc())
        else:
            if self.cancel_event.is_set():
                outcome = (self.cancelled_signal,)
            else:
                outcome = (self.succeeded, result)
            del result
        finally:
            del function
        self.done.set()
        signal, *arguments = outcome
        del outcome
        signal.emit(*arguments)
        del arguments
        self.ended.emit()

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
        self._started = False
        self._delivered = False
        self._runner = _Runner(function, self._cancel)
        self._runner.progressed.connect(self.progressed)
        self._runner.succeeded.connect(self._on_succeeded)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled_signal.connect(self._on_cancelled)

    def start(self) -> Task:
        assert not self._started, "a task starts once"
        self._started = True
        _live.add(self)
        runner, done = self._runner, self._runner.done

        def job() -> None:
            try:
                runner.run()
            finally:
                done.set()
                _live.discard(self)

        _workers.submit(job)
        return self

    def cancel(self) -> None:
        """Stop the job: ``cancelled`` and ``finished`` are emitted now, the function stops at its
        next check and its result is dropped."""
        if self._cancel.is_set():
            return
        self._cancel.set()
        if self.running:
            self._abandoned = True
            self.finished.emit()
            self.cancelled.emit()

    def release(self) -> None:
        """Delete this object (Qt) once its function has ended; a finished task parented to a
        long-lived object would otherwise stay there, with its function and what it holds."""
        if self.running:
            # Qt allows deleteLater more than once, so an end signalled just before this connection
            # is covered by the call below
            self._runner.ended.connect(self.deleteLater)
        if not self.running:
            self.deleteLater()

    @property
    def running(self) -> bool:
        """Started and not over: the function still runs, or its outcome has not reached the GUI
        thread yet (a cancelled task runs until its function ends; its outcome is dropped)."""
        if not self._started:
            return False
        if not self._runner.done.is_set():
            return True
        return not self._abandoned and not self._delivered

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Wait for the function to end; False if it still runs after ``timeout_ms``."""
        return not self._started or self._runner.done.wait(timeout_ms / 1000)

    def _finish(self) -> bool:
        """True when the outcome is still wanted (the task was not cancelled)."""
        if self._abandoned:
            return False
        self._delivered = True
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
