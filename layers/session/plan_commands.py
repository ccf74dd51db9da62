"""Edits of the planned project as session commands (do / undo), so Ctrl+Z undoes each of them.

A plan is immutable (:mod:`layers.plan.model`): a command keeps the plan before and the plan after,
and undo puts the one before back. The window computes the new plan with :mod:`layers.plan.edits`
and runs ``session.execute(EditPlan(new, label))``. Consecutive edits with the same ``merge_key``
(the steps of one slider drag, of one handle drag) are one undo step.
"""

from __future__ import annotations

from collections.abc import Hashable

from layers.plan.model import Plan
from layers.session.history import Command
from layers.session.model import SessionModel


class EditPlan(Command[SessionModel]):
    """Replace the session's plan by ``plan`` (``None``: no planned project).

    ``label`` says what the edit does (the Undo menu shows it); ``merge_key``, when given, merges
    this edit with the previous one of the same key.
    """

    def __init__(
        self, plan: Plan | None, label: str = "edit the planned project", merge_key: Hashable = None
    ):
        self.after = plan
        self.before: Plan | None = None
        self.label = label
        self.merge_key = merge_key

    def do(self, target: SessionModel) -> None:
        self.before = target.plan
        target.replace_plan(self.after)

    def undo(self, target: SessionModel) -> None:
        target.replace_plan(self.before)

    def merge(self, later: Command[SessionModel]) -> bool:
        if isinstance(later, EditPlan) and self.merge_key is not None and later.merge_key == self.merge_key:
            self.after = later.after
            return True
        return False
