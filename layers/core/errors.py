"""Errors that describe a user's bad input.

A :class:`InputError` is the only exception the command line turns into a one-line message and exit
code 2, and the one the GUI shows in a dialog. Its text always names the file, and where known the
feature and the field, then what was expected.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path


class InputError(Exception):
    """Bad input from the user: a file, a feature or a field that is not what was expected.

    Parameters
    ----------
    path
        The file at fault (or ``None`` for a bad command-line value).
    message
        What is wrong and, where useful, what was expected. One sentence, no trailing period needed.
    feature
        Index or identifier of the feature at fault, if any.
    field
        Name of the field (column) at fault, if any.
    hint
        What the user can do about it (shown after the message).
    """

    def __init__(
        self,
        path: str | PathLike[str] | None,
        message: str,
        *,
        feature: object | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.message = message
        self.feature = feature
        self.field = field
        self.hint = hint
        #: a longer account for a bug report (a traceback), shown folded under the message
        self.details = ""
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message as one line: ``file: feature 12, field HAUTEUR: message (hint)``."""
        where = []
        if self.feature is not None:
            where.append(f"feature {self.feature}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        text = self.message.rstrip(". ")
        if where:
            text = ", ".join(where) + ": " + text
        if self.path is not None:
            text = f"{self.path}: {text}"
        if self.hint:
            text += f" ({self.hint})"
        return " ".join(text.split())


class Cancelled(Exception):
    """Raised inside long work when the user pressed Cancel."""


class CRSMissing(InputError):
    """A file declares no CRS and its coordinates cannot be placed safely.

    ``candidates`` lists CRS codes whose area of use holds the coordinates (to propose, never to
    apply silently). The GUI answers with a CRS chooser and opens the file again with the choice;
    the command line asks for ``--crs``.
    """

    def __init__(
        self,
        path: str | PathLike[str] | None,
        message: str,
        *,
        candidates: list[str] | None = None,
        hint: str | None = None,
    ) -> None:
        self.candidates = list(candidates or [])
        super().__init__(path, message, hint=hint)


class DataMissing(InputError):
    """The data file of a project's layer is not where the project says (moved, renamed, deleted).

    Not fatal: the other layers open, the layer's entry stays in the project, and the GUI asks what
    to do (locate the file, remove the layer, or skip it for now).
    """


class DataUnreadable(DataMissing):
    """The data file of a project's layer is there but cannot be read (empty, cut short, damaged,
    a folder or a device, no permission): handled like a missing one — the other layers open, the
    layer's entry stays in the project, the app offers to locate a good copy."""


class OutputError(InputError, OSError):
    """A file Maquette was asked to write and could not, or must not (it is one of the inputs).

    An :class:`InputError` (the command line prints its one line and exits 2, the window shows it)
    that is also an :class:`OSError`, so code that catches a failed write still catches it. The
    message names the file, the cause in words and what is on disk now: ``out.tif: cannot write:
    the disk is full (the previous file is kept)``. ``errno`` is the system's code when there is
    one (:mod:`layers.io.atomic` turns the codes into words).
    """

    def __init__(
        self,
        path: str | PathLike[str] | None,
        message: str,
        *,
        hint: str | None = None,
        code: int | None = None,
    ) -> None:
        super().__init__(path, message, hint=hint)
        self.errno = code
