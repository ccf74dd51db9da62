"""The session's one owner: camera views, the mediation story, comments, named moments and the
unsaved flag, in one evented model (no Qt).

Like napari's layer models, it emits one :class:`layers.core.events.Event` per collection; the
desktop panels observe those events and never keep their own copy. Every change is a command
(:mod:`layers.session.commands`) run by :meth:`SessionModel.execute`, which keeps it on a
:class:`layers.session.history.CommandStack` so that it can be undone and redone.

The model is read from a :class:`layers.session.project.Project` document by :meth:`SessionModel.load`
and written back into it by :meth:`SessionModel.write_into` when the project is saved or autosaved.
The document's format is the project file's (keys ``views``, ``story``, ``annotations``,
``moments``); what the model does not know (other annotation kinds, unknown keys of an entry, a
part that could not be read) is left in the document as it was.

Events
------
views_changed(focus), story_changed(focus)
    The list of views / story steps changed; ``focus`` is the index the change concerns (the item
    added, moved, renamed or edited; where an item was removed), ``None`` when the whole list was
    replaced (a project opened).
comments_changed(), moments_changed()
    The comments / the user's named moments changed.
plan_changed(ids)
    The planned project changed: ``ids`` the buildings of the active variant added, removed or
    changed (a frozenset, empty when only names or demolitions changed), ``None`` when the whole
    plan was replaced or another variant became active.
dirty_changed(dirty)
    The unsaved flag went up (``True``) or down (``False``, saved).
edited()
    After every change of the session (a command done, undone or redone, or :meth:`mark_dirty`
    for a change made elsewhere, such as a layer's style): what autosave listens to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layers.core.errors import InputError
from layers.core.events import Event
from layers.core.timeutil import DEFAULT_TIMEZONE, parse_time
from layers.plan.model import Plan, changed_ids
from layers.session.comments import Comment, comments_from_project, merge_into_annotations
from layers.session.history import Command, CommandStack
from layers.session.story import Story, StoryStep
from layers.session.views import CameraView

if TYPE_CHECKING:
    from layers.sensors.moments import Moment
    from layers.session.project import Project


class SessionModel:
    """Views, story, comments, named moments and the unsaved flag of the open project.

    The collections are read-only tuples: change them with :meth:`execute` and a command.
    """

    def __init__(self) -> None:
        self._views: tuple[CameraView, ...] = ()
        self._steps: tuple[StoryStep, ...] = ()
        self._comments: tuple[Comment, ...] = ()
        self._moments: tuple[Moment, ...] = ()
        #: the planned project shaped in the session, ``None`` until one is started
        self._plan: Plan | None = None
        self._dirty = False
        #: IANA zone in which naive times of the story and moments are read
        self.timezone = DEFAULT_TIMEZONE
        #: document keys whose content could not be read: left as they are until edited
        self._unread: set[str] = set()
        #: entries of ``moments`` that could not be read (kept in the document)
        self._unread_moments: list[Any] = []
        self.history: CommandStack[SessionModel] = CommandStack()
        self.views_changed = Event("views_changed")
        self.story_changed = Event("story_changed")
        self.comments_changed = Event("comments_changed")
        self.moments_changed = Event("moments_changed")
        self.plan_changed = Event("plan_changed")
        self.dirty_changed = Event("dirty_changed")
        self.edited = Event("edited")

    # -- reading --------------------------------------------------------------------------------
    @property
    def views(self) -> tuple[CameraView, ...]:
        """Named camera views, in the order the user gave them."""
        return self._views

    @property
    def steps(self) -> tuple[StoryStep, ...]:
        """The steps of the mediation story, in order."""
        return self._steps

    @property
    def comments(self) -> tuple[Comment, ...]:
        """Comments gathered in the room, oldest first."""
        return self._comments

    @property
    def moments(self) -> tuple[Moment, ...]:
        """The moments the user named (the suggested ones are computed from the layers, not kept)."""
        return self._moments

    @property
    def plan(self) -> Plan | None:
        """The planned project (variants of planned buildings), ``None`` until one is started."""
        return self._plan

    @property
    def dirty(self) -> bool:
        """True when the session has changes not saved in its project file."""
        return self._dirty

    def story(self) -> Story:
        """The story as a :class:`layers.session.story.Story` (a copy of the list, same steps)."""
        return Story(list(self._steps))

    def view_named(self, name: str) -> CameraView | None:
        return next((view for view in self._views if view.name == name), None)

    def unique_view_name(self, base: str, *, ignore: int | None = None) -> str:
        """``base``, or ``base 2``, ``base 3``... so that no other view (than index ``ignore``) has it."""
        names = {view.name for i, view in enumerate(self._views) if i != ignore}
        name, n = base, 2
        while name in names:
            name, n = f"{base} {n}", n + 1
        return name

    # -- changing -------------------------------------------------------------------------------
    def execute(self, command: Command[SessionModel]) -> None:
        """Do ``command`` and keep it for :meth:`undo`; the session becomes unsaved.

        The flag is raised before the change is applied, so that an observer writing the document
        at once (the autosave of a comment) writes it with the change and leaves nothing pending.
        """
        self.mark_dirty()
        command.do(self)
        self.history.push(command)

    def undo(self) -> bool:
        """Undo the last command; False when there is none."""
        command = self.history.take_undo()
        if command is None:
            return False
        self.mark_dirty()
        command.undo(self)
        return True

    def redo(self) -> bool:
        """Do again the last undone command; False when there is none."""
        command = self.history.take_redo()
        if command is None:
            return False
        self.mark_dirty()
        command.do(self)
        return True

    def mark_dirty(self) -> None:
        """Something of the session changed (here or in a layer): unsaved, to be autosaved."""
        if not self._dirty:
            self._dirty = True
            self.dirty_changed.emit(True)
        self.edited.emit()

    def mark_clean(self) -> None:
        """The session is as its project file holds it (just saved, opened, or changes discarded)."""
        if self._dirty:
            self._dirty = False
            self.dirty_changed.emit(False)

    # -- primitives: only the commands call these (each emits its collection's event) -------------
    def replace_views(self, views: tuple[CameraView, ...], focus: int | None) -> None:
        self._views = tuple(views)
        self._unread.discard("views")
        self.views_changed.emit(focus)

    def replace_steps(self, steps: tuple[StoryStep, ...], focus: int | None) -> None:
        self._steps = tuple(steps)
        self._unread.discard("story")
        self.story_changed.emit(focus)

    def replace_comments(self, comments: tuple[Comment, ...]) -> None:
        self._comments = tuple(comments)
        self.comments_changed.emit()

    def replace_moments(self, moments: tuple[Moment, ...]) -> None:
        self._moments = tuple(moments)
        self.moments_changed.emit()

    def replace_plan(self, plan: Plan | None) -> None:
        before = self._plan
        self._plan = plan
        self._unread.discard("plan")
        if before is not None and plan is not None and before.active == plan.active:
            if before.variant.name == plan.variant.name:
                self.plan_changed.emit(changed_ids(before.variant, plan.variant))
                return
        self.plan_changed.emit(None)

    # -- the project document -----------------------------------------------------------------------
    def load(self, project: Project) -> list[InputError]:
        """Take the views, story, comments and moments of ``project``; forget the history and the
        unsaved flag. Returns the parts that could not be read (an :class:`InputError` each, whose
        ``field`` is the document key); those parts are empty here and left untouched in the
        document until the user edits them."""
        from layers.sensors.moments import project_moments

        data = project.data
        self.timezone = project.timezone
        self._unread = set()
        problems: list[InputError] = []
        try:
            views = tuple(project.views())
        except InputError as exc:
            problems.append(InputError(exc.path, exc.message, field="views", hint=exc.hint))
            views = ()
            self._unread.add("views")
        try:
            steps = tuple(Story.from_list(data.get("story"), self.timezone).steps)
        except ValueError as exc:
            problems.append(InputError(project.path, str(exc), field="story"))
            steps = ()
            self._unread.add("story")
        moments = tuple(project_moments(project, self.timezone))
        entries = data.get("moments")
        entries = entries if isinstance(entries, list) else []
        self._unread_moments = [entry for entry in entries if not _readable_moment(entry, self.timezone)]
        plan = None
        if data.get("plan") is not None:
            try:
                plan = Plan.from_dict(data["plan"], project.path)
            except InputError as exc:
                problems.append(exc)
                self._unread.add("plan")
        self.history.clear()
        self._views, self._steps, self._moments = views, steps, moments
        self._plan = plan
        self._comments = tuple(comments_from_project(data.get("annotations")))
        self.views_changed.emit(None)
        self.story_changed.emit(None)
        self.comments_changed.emit()
        self.moments_changed.emit()
        self.plan_changed.emit(None)
        self.mark_clean()
        return problems

    def write_into(self, data: dict[str, Any]) -> None:
        """Put views, story, comments and moments into the project document ``data`` (its other
        keys, other annotations and parts that could not be read are kept)."""
        if "views" not in self._unread:
            data["views"] = [view.to_dict() for view in self._views]
        if "story" not in self._unread:
            data["story"] = [step.to_dict() for step in self._steps]
        data["annotations"] = merge_into_annotations(data.get("annotations"), list(self._comments))
        if "plan" not in self._unread:
            if self._plan is not None:
                data["plan"] = self._plan.to_dict()
            else:
                data.pop("plan", None)
        if self._moments or self._unread_moments or "moments" in data:
            data["moments"] = [m.to_json() for m in self._moments] + list(self._unread_moments)


def _readable_moment(entry: Any, timezone: str) -> bool:
    """True for a ``moments`` entry that :func:`layers.sensors.moments.project_moments` reads."""
    if not isinstance(entry, dict) or not entry.get("name") or not entry.get("time"):
        return False
    try:
        parse_time(str(entry["time"]), timezone)
    except ValueError:
        return False
    return True
