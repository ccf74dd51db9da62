"""Background work started by the window (reading files, exports), shown in the status bar: a
progress bar, the current step, a Cancel button; failures are handed on as a signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressBar, QPushButton, QStatusBar

from ..workers import Task

#: work(progress, cancelled) -> result, run off the GUI thread (see :mod:`desktop.workers`)
Work = Callable[..., Any]


class TaskRunner(QObject):
    """Starts :class:`desktop.workers.Task` jobs and shows them in ``status_bar``.

    Signal ``failed(exception, traceback_text)``: a job raised (the files controller shows it).
    """

    failed = Signal(object, str)

    def __init__(
        self,
        status_bar: QStatusBar,
        progress: QProgressBar,
        cancel_button: QPushButton,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.status_bar = status_bar
        self.progress = progress
        self.cancel_button = cancel_button
        self.cancel_button.clicked.connect(self.cancel_all)
        self._running: list[Task] = []

    @property
    def busy(self) -> bool:
        """True while a job started here has not finished (nor been cancelled)."""
        return bool(self._running)

    def start(self, work: Work, message: str, on_success: Callable[[Any], object]) -> Task:
        """Run ``work`` in the background, ``message`` in the status bar; ``on_success(result)``
        on the GUI thread when it is done."""
        task = Task(work, self)
        task.progressed.connect(lambda f, m: self._show_progress(f, m or message))
        task.succeeded.connect(on_success)
        task.failed.connect(self.failed)
        task.cancelled.connect(lambda: self.status_bar.showMessage(self.tr("Cancelled."), 4000))
        task.finished.connect(lambda: self._done(task))
        self._running.append(task)
        self._show_progress(0.0, message)
        task.start()
        return task

    def cancel_all(self) -> None:
        for task in list(self._running):
            task.cancel()

    def _show_progress(self, fraction: float, message: str) -> None:
        self.progress.show()
        self.cancel_button.show()
        self.progress.setValue(int(fraction * 1000))
        self.status_bar.showMessage(message)

    def _done(self, task: Task) -> None:
        if task in self._running:
            self._running.remove(task)
        task.release()
        if not self._running:
            self.progress.hide()
            self.cancel_button.hide()
            self.status_bar.clearMessage()
