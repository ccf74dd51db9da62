"""Write the session to its autosave file shortly after every change (see layers/session/autosave.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from layers.core.errors import InputError
from layers.session.autosave import clear_autosave, write_autosave

#: wait this long after a change before writing, so a slider drag is one write, not fifty
DEBOUNCE_MS = 400


class Autosaver(QObject):
    """``changed()`` schedules a write of ``snapshot()`` (a project document) for ``path()``.

    Signal ``failed(message)``: the autosave could not be written (the reason, one line: the window
    shows it in its status bar); it is tried again at the next change.
    """

    failed = Signal(str)

    def __init__(
        self,
        snapshot: Callable[[], dict[str, Any]],
        path: Callable[[], Path | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.snapshot = snapshot
        self.path = path
        self.enabled = True
        self.last_error: str | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.write_now)

    def changed(self) -> None:
        if self.enabled:
            self.timer.start()

    def write_now(self) -> None:
        """Write at once (comments are written this way: nothing said in the room may be lost)."""
        self.timer.stop()
        if not self.enabled:
            return
        try:
            write_autosave(self.snapshot(), self.path())
        except (OSError, ValueError, TypeError) as exc:
            self.last_error = exc.one_line() if isinstance(exc, InputError) else str(exc)
            self.failed.emit(self.last_error)
        else:
            self.last_error = None

    def discard_pending(self) -> None:
        """Forget a scheduled write (the session is as its file holds it); the autosave file stays."""
        self.timer.stop()

    def clear(self) -> None:
        self.timer.stop()
        clear_autosave(self.path())
