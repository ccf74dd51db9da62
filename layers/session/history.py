"""Undo and redo: a command knows how to do and undo one change; a stack keeps them in order.

Generic over what the commands change (the session model, :mod:`layers.session.model`); the
session's own commands are in :mod:`layers.session.commands`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Generic, TypeVar

from layers.core.events import Event

Target = TypeVar("Target")

#: commands kept for undo at most (the oldest are forgotten)
DEFAULT_LIMIT = 500


class Command(ABC, Generic[Target]):
    """One change of ``Target``, reversible. :attr:`label` says what it does (an Undo menu's text)."""

    label = "change"

    @abstractmethod
    def do(self, target: Target) -> None:
        """Apply the change (again, after an undo)."""

    @abstractmethod
    def undo(self, target: Target) -> None:
        """Put ``target`` back as it was before :meth:`do`."""

    def merge(self, later: Command[Target]) -> bool:
        """Absorb ``later``, already done, into this command (typing in a caption is one undo step,
        not one per key); False when they stay two steps."""
        return False


class CommandStack(Generic[Target]):
    """The commands done (to undo) and undone (to redo).

    Event: ``changed()`` after every push, undo, redo or clear (an Edit menu would follow it).
    """

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self._done: list[Command[Target]] = []
        self._undone: list[Command[Target]] = []
        self.changed = Event("history_changed")

    def push(self, command: Command[Target]) -> None:
        """Keep ``command``, just done (merged into the previous one when it can); nothing to redo."""
        if not (self._done and self._done[-1].merge(command)):
            self._done.append(command)
            del self._done[: -self.limit]
        self._undone.clear()
        self.changed.emit()

    def take_undo(self) -> Command[Target] | None:
        """The command to undo now (moved to the redo side), or ``None``."""
        if not self._done:
            return None
        command = self._done.pop()
        self._undone.append(command)
        self.changed.emit()
        return command

    def take_redo(self) -> Command[Target] | None:
        """The command to do again now (moved back to the undo side), or ``None``."""
        if not self._undone:
            return None
        command = self._undone.pop()
        self._done.append(command)
        self.changed.emit()
        return command

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
        self.changed.emit()

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    @property
    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None
