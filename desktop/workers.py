"""Background work (reading files, building scenes) off the GUI thread, with progress and cancel.

A :class:`Task` runs a plain function on one of a few long-lived worker threads. The function
receives ``progress(fraction, message)`` and ``cancelled()`` callables; its result or its exception
come back to the GUI thread as signals, so the window keeps repainting while a large file loads.

The worker threads are kept and reused rather than started for each task: GDAL and PROJ keep state
per thread (their bundled copies in pyogrio, rasterio and pyproj each do), and a session that
opens hundreds of files must not create and tear down that state hundreds of times. A new thread is
started only when every kept one is busy (a cancelled read still finishing, say).

A worker thread never holds a Qt object: it reports through one long-lived dispatcher living on
the GUI thread, naming its task by a number, so every task is created, told and destroyed on the
GUI thread (a QObject destroyed on another thread while the GUI thread delivers to it crashes).

Cancel answers at once: the task emits ``cancelled`` and ``finished`` right away and whatever the
function still returns is dropped; the function stops at its next ``cancelled()`` check (a GDAL
read cannot be interrupted), and :func:`wait_all` waits for such functions before the app quits.
"""

from __future__ import annotations

import itertools
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


class _Dispatcher(QObject):
    """Carries what the worker threads report to the GUI thread (queued signals), by task number."""

    outcome = Signal(int, object)
    progressed = Signal(int, float, str)
    ended = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.outcome.connect(self._on_outcome)
        self.progressed.connect(self._on_progressed)
        self.ended.connect(self._on_ended)

    def _on_outcome(self, token: int, outcome: tuple[str, tuple[Any, ...]]) -> None:
        task = _started.get(token)
        if task is not None:
            task._deliver(*outcome)

    def _on_progressed(self, token: int, fraction: float, message: str) -> None:
        task = _started.get(token)
        if task is not None and not task._abandoned:
            task.progressed.emit(fraction, message)

    def _on_ended(self, token: int) -> None:
        task = _started.pop(token, None)
        if task is not None:
            _live.discard(task)
            task._ended()


#: the tasks started and not yet ended, by number (GUI thread only)
_started: dict[int, Task] = {}
_numbers = itertools.count(1)
_dispatcher: _Dispatcher | None = None


def _the_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = _Dispatcher()  # on the GUI thread: tasks are started there
    return _dispatcher


class _Job:
    """What a worker thread holds of a task: the function, its cancel and done flags, its number."""

    def __init__(
        self,
        function: Callable[..., Any],
        cancel: threading.Event,
        done: threading.Event,
        token: int,
        dispatcher: _Dispatcher,
    ) -> None:
        self.function: Callable[..., Any] | None = function
        self.cancel, self.done, self.token, self.dispatcher = cancel, done, token, dispatcher

    def __call__(self) -> None:
        function, self.function = self.function, None  # run once; what it holds is let go after
        assert function is not None, "a task runs once"
        outcome: tuple[str, tuple[Any, ...]]
        try:
            result = function(progress=self._progress, cancelled=self.cancel.is_set)
        except Cancelled:
            outcome = ("cancelled", ())
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI, not kill it
            outcome = ("failed", (exc, traceback.format_exc()))
        else:
            outcome = ("cancelled", ()) if self.cancel.is_set() else ("succeeded", (result,))
            del result
        finally:
            del function
            self.done.set()
        self.dispatcher.outcome.emit(self.token, outcome)
        del outcome
        self.dispatcher.ended.emit(self.token)

    def _progress(self, fraction: float, message: str) -> None:
        self.dispatcher.progressed.emit(self.token, float(fraction), str(message))


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
        self._function: Callable[..., Any] | None = function
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._abandoned = False
        self._started = False
        self._delivered = False
        self._release_when_ended = False

    def start(self) -> Task:
        assert self._function is not None and not self._started, "a task starts once"
        self._started = True
        token = next(_numbers)
        _started[token] = self
        _live.add(self)
        job = _Job(self._function, self._cancel, self._done, token, _the_dispatcher())
        self._function = None
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
        if self._started and self in _live:
            self._release_when_ended = True
        else:
            self.deleteLater()

    @property
    def running(self) -> bool:
        """Started and not over: the function still runs, or its outcome has not reached the GUI
        thread yet (a cancelled task runs until its function ends; its outcome is dropped)."""
        if not self._started:
            return False
        if not self._done.is_set():
            return True
        return not self._abandoned and not self._delivered

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Wait for the function to end; False if it still runs after ``timeout_ms``."""
        return not self._started or self._done.wait(timeout_ms / 1000)

    def _deliver(self, kind: str, arguments: tuple[Any, ...]) -> None:
        """The function's outcome, on the GUI thread: dropped when the task was cancelled."""
        if self._abandoned:
            return
        self._delivered = True
        self.finished.emit()
        if kind == "succeeded":
            self.succeeded.emit(*arguments)
        elif kind == "failed":
            self.failed.emit(*arguments)
        else:
            self.cancelled.emit()

    def _ended(self) -> None:
        if self._release_when_ended:
            self.deleteLater()
