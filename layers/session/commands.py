"""The changes a user makes to the session, as commands (do / undo) run by
:meth:`layers.session.model.SessionModel.execute`.

Each command keeps what it needs to undo itself: the collection as it was before. Views, steps,
comments and moments are never changed in place; a changed item is a new one
(:func:`dataclasses.replace`), so an undo gives the old object back as it was.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from layers.session.comments import Comment
from layers.session.history import Command
from layers.session.model import SessionModel
from layers.session.story import Replay, StoryStep
from layers.session.views import CameraView

if TYPE_CHECKING:
    from layers.sensors.moments import Moment


# -- views ----------------------------------------------------------------------------------------
class _ViewsCommand(Command[SessionModel]):
    """Base of the view commands: :meth:`change` returns the new list and the index to focus."""

    def __init__(self) -> None:
        self._before: tuple[CameraView, ...] = ()
        self._focus_before: int | None = None

    def change(self, views: list[CameraView], session: SessionModel) -> int | None:
        raise NotImplementedError

    def do(self, target: SessionModel) -> None:
        self._before = target.views
        views = list(target.views)
        focus = self.change(views, target)
        target.replace_views(tuple(views), focus)

    def undo(self, target: SessionModel) -> None:
        target.replace_views(self._before, self._focus_before)


class AddView(_ViewsCommand):
    """Add a named view at the end (its name made unique: ``Quais``, ``Quais 2``...)."""

    label = "add view"

    def __init__(self, view: CameraView) -> None:
        super().__init__()
        self.view = view

    def change(self, views: list[CameraView], session: SessionModel) -> int | None:
        views.append(dataclasses.replace(self.view, name=session.unique_view_name(self.view.name)))
        self._focus_before = len(views) - 2 if len(views) > 1 else None
        return len(views) - 1


class RenameView(_ViewsCommand):
    """Rename view ``index`` (made unique among the others)."""

    label = "rename view"

    def __init__(self, index: int, name: str) -> None:
        super().__init__()
        self.index, self.name = index, name.strip()

    def change(self, views: list[CameraView], session: SessionModel) -> int | None:
        self._focus_before = self.index
        if self.name and 0 <= self.index < len(views):
            name = session.unique_view_name(self.name, ignore=self.index)
            views[self.index] = dataclasses.replace(views[self.index], name=name)
        return self.index


class MoveView(_ViewsCommand):
    """Move view ``index`` to ``new_index`` (kept inside the list)."""

    label = "move view"

    def __init__(self, index: int, new_index: int) -> None:
        super().__init__()
        self.index, self.new_index = index, new_index

    def change(self, views: list[CameraView], session: SessionModel) -> int | None:
        self._focus_before = self.index
        if not 0 <= self.index < len(views):
            return None
        view = views.pop(self.index)
        target = max(0, min(self.new_index, len(views)))
        views.insert(target, view)
        return target


class ReorderViews(_ViewsCommand):
    """Put the views in the order of ``names`` (a drag and drop in a list); ignored unless
    ``names`` holds every view's name once."""

    label = "reorder views"

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = list(names)

    def change(self, views: list[CameraView], session: SessionModel) -> int | None:
        by_name = {view.name: view for view in views}
        if sorted(self.names) == sorted(by_name) and len(by_name) == len(views):
            views[:] = [by_name[name] for name in self.names]
        return None


class RemoveView(_ViewsCommand):
    """Delete view ``index``."""

    label = "delete view"

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def change(self, views: list[CameraView], session: SessionModel) -> int | None:
        self._focus_before = self.index
        if 0 <= self.index < len(views):
            del views[self.index]
        return min(self.index, len(views) - 1) if views else None


# -- the story ------------------------------------------------------------------------------------
class _StoryCommand(Command[SessionModel]):
    """Base of the story commands: :meth:`change` returns the new steps and the index to focus."""

    def __init__(self) -> None:
        self._before: tuple[StoryStep, ...] = ()
        self._focus_before: int | None = None

    def change(self, steps: list[StoryStep]) -> int | None:
        raise NotImplementedError

    def do(self, target: SessionModel) -> None:
        self._before = target.steps
        steps = list(target.steps)
        focus = self.change(steps)
        target.replace_steps(tuple(steps), focus)

    def undo(self, target: SessionModel) -> None:
        target.replace_steps(self._before, self._focus_before)


class AddStep(_StoryCommand):
    """Insert ``step`` at ``index`` (the end by default)."""

    label = "add step"

    def __init__(self, step: StoryStep, index: int | None = None) -> None:
        super().__init__()
        self.step, self.index = step, index

    def change(self, steps: list[StoryStep]) -> int | None:
        index = len(steps) if self.index is None else max(0, min(self.index, len(steps)))
        steps.insert(index, self.step)
        self._focus_before = index - 1 if index > 0 else None
        return index


class RemoveStep(_StoryCommand):
    """Delete step ``index``."""

    label = "delete step"

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def change(self, steps: list[StoryStep]) -> int | None:
        self._focus_before = self.index
        if 0 <= self.index < len(steps):
            del steps[self.index]
        return min(self.index, len(steps) - 1) if steps else None


class MoveStep(_StoryCommand):
    """Move step ``index`` to ``new_index`` (kept inside the story)."""

    label = "move step"

    def __init__(self, index: int, new_index: int) -> None:
        super().__init__()
        self.index, self.new_index = index, new_index

    def change(self, steps: list[StoryStep]) -> int | None:
        self._focus_before = self.index
        if not 0 <= self.index < len(steps):
            return None
        step = steps.pop(self.index)
        target = max(0, min(self.new_index, len(steps)))
        steps.insert(target, step)
        return target


#: the fields of a step a caption edit changes (typed: consecutive edits are one undo step)
CAPTION_FIELDS = frozenset({"title", "text", "notes"})


class EditStep(_StoryCommand):
    """Change fields of step ``index`` (``title``, ``text``, ``notes``, ``view``, ``replay``,
    ``visible``, ``styles``, ``opacity``, ``time``)."""

    label = "edit step"

    def __init__(self, index: int, **changes: Any) -> None:
        super().__init__()
        known = {f.name for f in dataclasses.fields(StoryStep)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"a story step has no field {', '.join(sorted(unknown))}")
        self.index, self.changes = index, changes

    def change(self, steps: list[StoryStep]) -> int | None:
        self._focus_before = self.index
        if 0 <= self.index < len(steps):
            steps[self.index] = dataclasses.replace(steps[self.index], **self.changes)
        return self.index

    def merge(self, later: Command[SessionModel]) -> bool:
        if (
            isinstance(later, EditStep)
            and later.index == self.index
            and set(self.changes) <= CAPTION_FIELDS
            and set(later.changes) <= CAPTION_FIELDS
        ):
            self.changes = {**self.changes, **later.changes}
            return True
        return False


def recapture_step(index: int, step: StoryStep, captured: StoryStep) -> EditStep:
    """The command giving step ``index`` (now ``step``) the view, layers, styles, time and variant of
    ``captured`` (its caption and notes kept; a replay keeps its length and speed from the new time)."""
    changes: dict[str, Any] = {
        "view": captured.view,
        "visible": captured.visible,
        "styles": captured.styles,
        "opacity": captured.opacity,
        "time": captured.time,
        "variant": captured.variant,
    }
    if step.replay is not None and captured.time is not None:
        length = step.replay.end - step.replay.start
        changes["replay"] = Replay(captured.time, captured.time + length, step.replay.speed_s_per_s)
    return EditStep(index, **changes)


# -- comments -------------------------------------------------------------------------------------
class AddComment(Command[SessionModel]):
    """Pin a comment said in the room."""

    label = "add comment"

    def __init__(self, comment: Comment) -> None:
        self.comment = comment

    def do(self, target: SessionModel) -> None:
        target.replace_comments((*target.comments, self.comment))

    def undo(self, target: SessionModel) -> None:
        target.replace_comments(tuple(c for c in target.comments if c.id != self.comment.id))


class RemoveComment(Command[SessionModel]):
    """Delete the comment whose id is ``comment_id``."""

    label = "delete comment"

    def __init__(self, comment_id: str) -> None:
        self.comment_id = comment_id
        self._before: tuple[Comment, ...] = ()

    def do(self, target: SessionModel) -> None:
        self._before = target.comments
        target.replace_comments(tuple(c for c in target.comments if c.id != self.comment_id))

    def undo(self, target: SessionModel) -> None:
        target.replace_comments(self._before)


# -- moments --------------------------------------------------------------------------------------
class NameMoment(Command[SessionModel]):
    """Keep ``moment`` among the user's named moments (replacing one of the same name)."""

    label = "name moment"

    def __init__(self, moment: Moment) -> None:
        self.moment = moment
        self._before: tuple[Moment, ...] = ()

    def do(self, target: SessionModel) -> None:
        self._before = target.moments
        kept = tuple(m for m in target.moments if m.name != self.moment.name)
        target.replace_moments((*kept, self.moment))

    def undo(self, target: SessionModel) -> None:
        target.replace_moments(self._before)
