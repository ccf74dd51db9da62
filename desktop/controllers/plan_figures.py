"""The figures of the planned project, recomputed off the GUI thread after each edit.

:class:`PlanFiguresController` follows the session's plan: an edit (a typed height, a slider let go,
an undo, another variant shown) asks for the active variant's figures after a short pause
(:data:`DEBOUNCE_MS`), computed by a background task; while one runs, a newer request waits and
only the newest is computed next, so the window never freezes and never shows stale numbers last.
While a slider is dragged (:meth:`hold`), nothing is computed: the view's shadows follow the drag,
the figures the release. The figures of every variant (the variants table) are asked the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from layers.core.scene import Scene
from layers.plan.figures import PlanFigures
from layers.plan.model import Plan, Variant
from layers.plan.study import VariantStudy, study_day
from layers.session.model import SessionModel

from ..workers import Task

#: pause after an edit before the figures are computed, ms (the steps of a spin box's arrows)
DEBOUNCE_MS = 150


class PlanFiguresController(QObject):
    """Computes the plan's figures for ``session`` in ``scene()``'s context.

    Signals: ``computing()`` a computation started; ``figures_ready(PlanFigures)`` the active
    variant's; ``all_ready(list)`` every variant's (after :meth:`request_all`); ``failed(str)``.
    """

    computing = Signal()
    figures_ready = Signal(object)
    all_ready = Signal(list)
    failed = Signal(str)

    def __init__(
        self, session: SessionModel, scene: Callable[[], Scene], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._scene = scene
        self._held = False
        self._want_all = False
        self._pending = False
        self._task: Task | None = None
        self._study: VariantStudy | None = None
        self._clock_scene: Scene | None = None
        #: the active variant's latest figures (``None`` before the first, or without a plan)
        self.latest: PlanFigures | None = None
        #: every variant's latest figures, in the plan's order
        self.latest_all: list[PlanFigures] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)
        session.plan_changed.connect(lambda _ids: self.request())

    # -- requests ---------------------------------------------------------------------------------
    def day(self) -> date:
        """The study day: the plan's, else the clock's, else 21 June."""
        return study_day(self.session.plan, self._scene().clock.time)

    def hold(self, held: bool) -> None:
        """While ``held`` (a slider dragged), no computation starts; let go, one does."""
        self._held = held
        if not held:
            self.request()

    def request(self) -> None:
        """Ask for the active variant's figures (after the debounce pause)."""
        if self.session.plan is None:
            self.latest = None
            self.figures_ready.emit(None)
            return
        if not self._held:
            self._timer.start()

    def request_all(self) -> None:
        """Ask for the figures of every variant (``all_ready`` when done)."""
        self._want_all = True
        self.request()

    def scene_replaced(self) -> None:
        """A new scene: its existing buildings are the ones the project is measured against; its
        clock gives the study day when the plan has none."""
        if self._clock_scene is not None:
            self._clock_scene.clock.changed.disconnect(self._clock_moved)
        self._clock_scene = self._scene()
        self._clock_scene.clock.changed.connect(self._clock_moved)
        self._study = None
        self.request()

    def _clock_moved(self, _time: object) -> None:
        """The clock went to another day: the figures of a plan without a day of its own follow."""
        plan = self.session.plan
        if (
            plan is not None
            and plan.day is None
            and self.latest is not None
            and self.latest.day != self.day()
        ):
            self.request()

    @property
    def busy(self) -> bool:
        return self._task is not None or self._timer.isActive() or self._pending

    # -- the background task ---------------------------------------------------------------------------
    def _start(self) -> None:
        plan = self.session.plan
        if plan is None:
            return
        if self._task is not None:  # the newest request waits for the running one, then runs
            self._pending = True
            return
        self._pending = False
        scene, day = self._scene(), self.day()
        study = self._study
        if study is None or study.scene is not scene or study.day != day:
            study = self._study = VariantStudy(scene, day)
        variants: tuple[Variant, ...] = plan.variants if self._want_all else (plan.variant,)
        all_variants = self._want_all
        self._want_all = False

        def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Any:
            return study.all(variants)

        task = Task(work, self)
        task.succeeded.connect(lambda result: self._done(plan, day, result, all_variants))
        task.failed.connect(lambda exc, _text: self.failed.emit(str(exc)))
        task.finished.connect(lambda: self._finished(task))
        self._task = task
        self.computing.emit()
        task.start()

    def _done(self, plan: Plan, day: date, result: list[PlanFigures], all_variants: bool) -> None:
        if all_variants:
            self.latest_all = result
            self.all_ready.emit(result)
        now = self.session.plan
        if now is None or now.variant != plan.variant or self.day() != day:
            return  # stale: the newer request's figures come next
        active = next((f for f in result if f.variant == plan.variant.name), None)
        if active is not None:
            self.latest = active
            self.figures_ready.emit(active)

    def _finished(self, task: Task) -> None:
        if self._task is task:
            self._task = None
        task.release()
        if self._pending:
            self._pending = False
            self._start()

    def cancel(self) -> None:
        self._timer.stop()
        self._pending = False
        if self._task is not None:
            self._task.cancel()
