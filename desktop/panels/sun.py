"""The « Soleil » dock: sun and shadows on or off, where the sun is now, the day, sunlight studies.

The toggle lights the view from the true sun with cast shadows (:meth:`viewer.scene_view.SceneView.
set_sun`); the default look stays the soft light kit. The panel shows the sun's azimuth and
elevation, sunrise and sunset, or that it is night, follows the clock, moves the clock to a chosen
day (the solstices in one click) and opens the sunlight study (:mod:`desktop.dialogs.sunlight`).
Its state is saved in the project (``"sun": {"shadows": true}``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from layers.core.scene import Scene
from layers.core.timeutil import zone
from layers.session.model import SessionModel
from layers.session.project import Project

from ..qt_dates import to_date

if TYPE_CHECKING:
    from viewer.scene_view import SceneView

    from ..dialogs.sunlight import SunlightDialog
    from .timeline import TimelinePanel

PROJECT_KEY = "sun"


class SunPanel(QWidget):
    """Controls of the sun for the window's current scene view.

    ``session`` is told when the sun is switched (a change of the project); ``timeline`` is given
    the clock a scene without time series gets when the sun is switched on.
    """

    def __init__(
        self,
        parent: QWidget,
        *,
        session: SessionModel,
        timeline: TimelinePanel,
        language: str = "fr",
    ) -> None:
        super().__init__(parent)
        self.owner = parent  # the sunlight study dialog's parent, whether the dock floats or not
        self.session = session
        self.timeline = timeline
        self.language = language
        self.scene: Scene | None = None
        self.scene_view: SceneView | None = None
        self.project: Project | None = None
        self._dialog: SunlightDialog | None = None
        #: the dock the panel lives in (see :meth:`install`)
        self.dock: QDockWidget | None = None
        self.toggle = QCheckBox(self.tr("Sun and shadows"), self)
        self.toggle.setToolTip(
            self.tr("Light the city with the real sun of the time shown, with cast shadows")
        )
        self.toggle.toggled.connect(self.set_enabled)
        self.facades = QCheckBox(self.tr("Shadows on façades (experimental)"), self)
        self.facades.setToolTip(
            self.tr(
                "Shadows of neighbouring buildings on roofs and walls (VTK shadow maps): "
                "slower, and faded at the scale of the whole city"
            )
        )
        self.facades.toggled.connect(self.set_facades)
        self.summary = QLabel(self.tr("When this is ticked, the sun follows the clock."), self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel("", self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a5a00;")
        self.note.hide()
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setToolTip(self.tr("Day to study (the clock keeps its time of day)"))
        go = QPushButton(self.tr("Go"), self)
        go.clicked.connect(lambda: self.go_to_day(to_date(self.day.date())))
        june = QPushButton(self.tr("21 June"), self)
        june.setToolTip(self.tr("Summer solstice: the highest sun, the shortest shadows"))
        june.clicked.connect(lambda: self.go_to_day(self._solstice(6)))
        december = QPushButton(self.tr("21 Dec."), self)
        december.setToolTip(self.tr("Winter solstice: the lowest sun, the longest shadows"))
        december.clicked.connect(lambda: self.go_to_day(self._solstice(12)))
        self.study = QPushButton(self.tr("Sunlight over the day…"), self)
        self.study.setToolTip(
            self.tr("Hours of sun on the ground over the day, and what a planned project takes away")
        )
        self.study.clicked.connect(self.open_study)
        days = QHBoxLayout()
        days.addWidget(self.day, 1)
        days.addWidget(go)
        days.addWidget(june)
        days.addWidget(december)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.toggle)
        layout.addWidget(self.facades)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addLayout(days)
        layout.addWidget(self.study)
        layout.addStretch(1)
        self.action = QAction(self.tr("Sun and shadows"), self)
        self.action.setCheckable(True)
        self.action.toggled.connect(self.toggle.setChecked)
        self.toggle.toggled.connect(self.action.setChecked)

    # -- installing in the window ----------------------------------------------------------------
    @classmethod
    def install(
        cls,
        window: QMainWindow,
        view_menu: QMenu,
        *,
        session: SessionModel,
        timeline: TimelinePanel,
        language: str = "fr",
    ) -> SunPanel:
        """Create the panel, its dock (right) in ``window`` and its entries in ``view_menu``."""
        panel = cls(window, session=session, timeline=timeline, language=language)
        dock = QDockWidget(panel.tr("Sun"), window)
        dock.setObjectName("Soleil")
        dock.setWidget(panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        panel.dock = dock
        view_menu.addSeparator()
        view_menu.addAction(panel.action)
        view_menu.addAction(dock.toggleViewAction())
        return panel

    def set_view(self, scene_view: SceneView | None, scene: Scene, project: Project) -> None:
        """Follow a new scene (called when the window opens a project or data)."""
        if self.scene is not None:
            self.scene.clock.changed.disconnect(self._on_clock)
        self.scene_view, self.scene, self.project = scene_view, scene, project
        if self.facades.isChecked() and scene_view is not None:
            scene_view.sun.set_shadow_maps(True)
        scene.clock.changed.connect(self._on_clock)
        wanted = bool((project.data.get(PROJECT_KEY) or {}).get("shadows"))
        self.toggle.blockSignals(True)
        self.toggle.setChecked(False)
        self.toggle.blockSignals(False)
        self.action.setChecked(False)
        if wanted:
            self.toggle.setChecked(True)
        current = (
            scene.clock.time.astimezone(zone(scene.timezone)).date() if scene.clock.time else date.today()
        )
        self.day.setDate(QDate(current.year, current.month, current.day))
        self._refresh()

    # -- the sun on / off --------------------------------------------------------------------
    def set_enabled(self, on: bool) -> None:
        if self.scene_view is None or self.scene is None:
            return
        if on:
            self._ensure_clock(self.scene)
        self.scene_view.set_sun(on)
        if self.project is not None:
            before = bool((self.project.data.get(PROJECT_KEY) or {}).get("shadows"))
            if before != on:
                self.project.data[PROJECT_KEY] = {"shadows": on}
                self.session.mark_dirty()
        self._refresh()

    def set_facades(self, on: bool) -> None:
        """VTK shadow maps on roofs and walls (off by default)."""
        sun = self.scene_view.sun if self.scene_view is not None else None
        if sun is not None:
            sun.set_shadow_maps(on)
        self._refresh()

    def _ensure_clock(self, scene: Scene) -> None:
        """A scene without time series gets a clock on today, 00:00 → 24:00, at noon."""
        clock = scene.clock
        if clock.start is not None and clock.time is not None:
            return
        tz = zone(scene.timezone)
        today = date.today()
        start = datetime.combine(today, time(0, 0), tzinfo=tz)
        clock.set_range(start, start + timedelta(days=1))
        clock.time = datetime.combine(today, time(12, 0), tzinfo=tz)
        self.timeline.set_clock(clock)

    def go_to_day(self, day: date) -> None:
        """Move the clock to ``day`` at the same local time (the range grows to include it)."""
        scene = self.scene
        if scene is None:
            return
        self._ensure_clock(scene)
        clock = scene.clock
        tz = zone(scene.timezone)
        local = clock.time.astimezone(tz) if clock.time else datetime.combine(day, time(12, 0), tzinfo=tz)
        target = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=tz)
        start = datetime.combine(day, time(0, 0), tzinfo=tz)
        clock.extend_range(start, start + timedelta(days=1))
        clock.time = target
        self.day.setDate(QDate(day.year, day.month, day.day))

    def _solstice(self, month: int) -> date:
        year = (
            self.scene.clock.time.year
            if self.scene is not None and self.scene.clock.time
            else date.today().year
        )
        return date(year, month, 21)

    # -- showing the sun --------------------------------------------------------------------
    def _on_clock(self, _t: datetime) -> None:
        self._refresh()

    def _refresh(self) -> None:
        sun = self.scene_view.sun if self.scene_view is not None else None
        if sun is None or not sun.enabled or sun.state is None:
            self.summary.setText(self.tr("When this is ticked, the sun follows the clock."))
            if sun is not None and sun.enabled and sun.note:  # no sun to place (data off the Earth)
                self.note.setText("⚠ " + sun.note)
                self.note.show()
            else:
                self.note.hide()
            return
        self.summary.setText(sun.state.summary(self.language))
        if sun.note:
            self.note.setText("⚠ " + sun.note)
            self.note.show()
        else:
            self.note.hide()

    def open_study(self) -> None:
        """The sunlight study dialog (hours of sun over a day, before / after a project)."""
        from ..dialogs.sunlight import SunlightDialog

        if self.scene is None:
            return
        if self._dialog is not None:
            self._dialog.close()
        area = self.scene_view.ground_in_view() if self.scene_view is not None else None
        dialog = SunlightDialog(self.owner, self.scene, self.project, day=to_date(self.day.date()), area=area)
        # closed, it goes: a child of the window would keep its scene and its study's layers alive
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: self._forget_dialog(dialog))
        self._dialog = dialog
        dialog.show()

    def _forget_dialog(self, dialog: SunlightDialog) -> None:
        if self._dialog is dialog:
            self._dialog = None
