"""The window's message boxes: files that could not be read (one line each: the file, what is
wrong, what to do), files that could not be written, unexpected errors (with the traceback to
report), plain information.

Boxes are window-modal without blocking (``open()``): the window keeps drawing behind them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from layers.core.errors import InputError
from layers.core.messages import error_line

from ..translation import interface_language

#: what a message box lists at most
MAX_LINES = 12


class Messages(QObject):
    """Opens message boxes over ``window``."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window

    def show_input_errors(self, errors: list[InputError], title: str | None = None) -> QMessageBox | None:
        """One warning box for ``errors`` (a line each: file, problem, remedy); ``None`` if none."""
        if not errors:
            return None
        lines = [error_line(e, interface_language()) for e in errors]
        if len(lines) == 1:
            text = lines[0]
        else:
            text = (
                self.tr("{} files could not be opened:").format(len(lines))
                + "\n"
                + "\n".join(f"• {line}" for line in lines[:MAX_LINES])
            )
            if len(lines) > MAX_LINES:
                text += "\n" + self.tr("… and {} more").format(len(lines) - MAX_LINES)
        box = QMessageBox(
            QMessageBox.Icon.Warning, title or self.tr("Cannot open this data"), text, parent=self.window
        )
        box.setInformativeText(
            self.tr(
                "Nothing was changed in the current scene. Each line names the file, what is wrong with it "
                "and, in brackets, what to do."
            )
        )
        details = "\n\n".join(e.details for e in errors if e.details)
        if details:
            box.setDetailedText(details)
        box.open()
        return box

    def show_input_error(self, error: InputError, title: str | None = None) -> QMessageBox | None:
        return self.show_input_errors([error], title)

    def show_output_error(self, error: InputError, title: str | None = None) -> QMessageBox:
        """A file that could not be written, or must not be (an input): its one line, which says
        the cause and what is on disk now (the previous file kept, nothing written)."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            title or self.tr("Cannot write the file"),
            error_line(error, interface_language()),
            parent=self.window,
        )
        if error.details:
            box.setDetailedText(error.details)
        box.open()
        return box

    def show_internal_error(self, exc: object, text: str) -> QMessageBox:
        """A bug: what happened, that the work is safe, and the traceback ``text`` to report."""
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            self.tr("Unexpected error"),
            f"{type(exc).__name__}: {exc}",
            parent=self.window,
        )
        box.setInformativeText(
            self.tr("Your work is still here. Please report this error with the details below.")
        )
        box.setDetailedText(text)
        box.open()
        return box

    def inform(self, title: str, text: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self.window)
        box.open()
        return box
