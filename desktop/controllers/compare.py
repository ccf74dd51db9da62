"""View › Compare two moments: the 3D view split in two, one camera, each half at its own time.

The left half is the window's own view, at the window's clock (the timeline moves it). The right half
is a second 3D widget drawing a *twin* of the scene (:func:`viewer.export_image.twin_scene`: the same
layers, a clock of its own). Both look through one camera (:class:`viewer.split.CameraLink`): a drag
in either half moves both. The sun and its ground shadows are turned on for the comparison (they
are what changes most between two hours) and put back as they were when it ends.

A bar under the view (:class:`desktop.panels.compare_bar.CompareBar`) edits the two times and has
the presets "morning / evening" (8:00 and 18:00 of the left day) and "summer / winter solstice"
(21 June and 21 December at the left hour, between 10:00 and 16:00). Esc, the bar's button or the menu end it.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QMainWindow, QWidget

from layers.core.timeutil import zone

from .workspace import Workspace

if TYPE_CHECKING:
    from pyvistaqt import QtInteractor

    from viewer.scene_view import SceneView
    from viewer.split import CameraLink

#: the hours of the "morning / evening" preset
MORNING, EVENING = time(8, 0), time(18, 0)
#: the days of the "summer / winter solstice" preset (month, day)
SUMMER, WINTER = (6, 21), (12, 21)
#: the hours the solstice preset keeps to (the sun is up on 21 December across mainland France)
SOLSTICE_HOURS = (time(10, 0), time(16, 0))
#: ms the camera rests before the other half's ground shadows follow it
SHADOWS_AFTER_MS = 250


class CompareController(QObject):
    """Splits the window's 3D view in two moments. Signal ``active_changed(bool)``."""

    active_changed = Signal(bool)
    times_changed = Signal()

    def __init__(
        self, window: QMainWindow, workspace: Workspace, sun_toggle: QAbstractButton | None = None
    ) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        #: the sun panel's check box (checked for the comparison, put back after)
        self._sun_toggle = sun_toggle
        self._sun_was_on = False
        self.twin: SceneView | None = None
        self._twin_plotter: QtInteractor | None = None
        self._link: CameraLink | None = None
        self._split: QWidget | None = None
        self._shadows = QTimer(self)
        self._shadows.setSingleShot(True)
        self._shadows.setInterval(SHADOWS_AFTER_MS)
        self._shadows.timeout.connect(self._follow_shadows)
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        self._escape.setEnabled(False)
        self._escape.activated.connect(self.stop)
        workspace.replaced.connect(self.stop)

    @property
    def active(self) -> bool:
        return self.twin is not None

    # -- start / stop -----------------------------------------------------------------------------
    def toggle(self, on: bool | None = None) -> None:
        """Start the comparison, or end it (``on``: which; ``None``: the other of now)."""
        on = not self.active if on is None else on
        if on:
            self.start()
        else:
            self.stop()
        if self.active != on:  # nothing to compare: the menu's check mark back
            self.active_changed.emit(self.active)

    def start(self, left: datetime | None = None, right: datetime | None = None) -> bool:
        """Split the view; ``left`` / ``right``: the two times (default: the clock now and, on the
        same day, 8:00 and 18:00). False when there is nothing to compare (no scene shown)."""
        from pyvistaqt import QtInteractor

        from viewer.export_image import twin_scene
        from viewer.scene_view import SceneView
        from viewer.split import CameraLink

        main = self.workspace.scene_view
        if self.active or main is None or not self.workspace.scene.layers:
            return False
        self._sun_was_on = main.sun.enabled
        if not main.sun.enabled:
            if self._sun_toggle is not None:
                self._sun_toggle.setChecked(True)
            else:
                main.set_sun(True)
        scene = self.workspace.scene
        default_left, default_right = self.preset_hours()
        left = left or default_left
        right = right or default_right

        plotter = self.workspace.plotter
        split = QWidget(self.window)
        layout = QHBoxLayout(split)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.window.takeCentralWidget()
        twin_plotter = QtInteractor(split, auto_update=False, lighting="light kit")
        twin_plotter.iren.enable_terrain_style(mouse_wheel_zooms=True)
        twin_plotter.iren.interactor.RemoveObservers("CharEvent")
        layout.addWidget(plotter, 1)
        layout.addWidget(twin_plotter, 1)
        split.setStyleSheet("background: white;")
        self.window.setCentralWidget(split)
        split.show()
        plotter.show()
        twin_plotter.show()
        self._split, self._twin_plotter = split, twin_plotter

        twin = SceneView(twin_plotter, twin_scene(scene), language=self.workspace.language, title=None)
        twin.sun.use_shadow_maps = main.sun.use_shadow_maps
        twin.set_sun(True)
        twin.show_legend_column(main.legend_stack.enabled)
        self.twin = twin
        self._link = CameraLink(main, twin, on_moved=self._camera_moved)
        scene.clock.time = left
        twin.scene.clock.time = right
        scene.layer_added.connect(self._layers_changed)
        scene.layer_removed.connect(self._layers_changed)
        scene.layers_reordered.connect(self._layers_changed)
        self._escape.setEnabled(True)
        self.active_changed.emit(True)
        self.times_changed.emit()
        main.request_render()
        twin_plotter.render()
        return True

    def stop(self) -> None:
        """Back to one view (the window's, at the left time)."""
        if self.twin is None:
            return
        self._shadows.stop()
        scene = self.workspace.scene
        scene.layer_added.disconnect(self._layers_changed)
        scene.layer_removed.disconnect(self._layers_changed)
        scene.layers_reordered.disconnect(self._layers_changed)
        if self._link is not None:
            self._link.unlink()
            self._link = None
        self.twin.close()
        self.twin = None
        plotter = self.workspace.plotter
        split = self.window.takeCentralWidget()
        self.window.setCentralWidget(plotter)
        plotter.show()
        if self._twin_plotter is not None:
            self._twin_plotter.close()
            self._twin_plotter = None
        if split is not None:
            split.deleteLater()
        self._split = None
        main = self.workspace.scene_view
        if main is not None and not self._sun_was_on:
            if self._sun_toggle is not None:
                self._sun_toggle.setChecked(False)
            else:
                main.set_sun(False)
        self._escape.setEnabled(False)
        self.active_changed.emit(False)
        if main is not None:
            main.sun.view_changed()
            main.request_render()

    def presenting_changed(self, presenting: bool) -> None:
        """The story is presented in the window's view: one view again."""
        if presenting:
            self.stop()

    def _layers_changed(self, *_: Any) -> None:
        """The window's scene gained, lost or reordered layers: the right half's twin follows
        (the same layer objects; :func:`viewer.export_image.twin_scene` adds them without reprojecting)."""
        if self.twin is None:
            return
        mine, theirs = self.twin.scene, self.workspace.scene
        for layer in [layer for layer in mine.layers if layer not in theirs.layers]:
            mine.remove(layer)
        added = [layer for layer in theirs.layers if layer not in mine.layers]
        mine.layers[:] = list(theirs.layers)
        for layer in added:
            mine.layer_added.emit(layer)
        mine.layers_reordered.emit()
        self._render_twin()

    # -- the two times ----------------------------------------------------------------------------
    def times(self) -> tuple[datetime, datetime] | None:
        """The left and right times while comparing (timezone-aware), else ``None``."""
        left, right = self.workspace.scene.clock.time, self.twin.scene.clock.time if self.twin else None
        return (left, right) if left is not None and right is not None else None

    def set_times(self, left: datetime | None = None, right: datetime | None = None) -> None:
        """Move the left (the window's clock) and / or the right half's clock."""
        if left is not None:
            self.workspace.scene.clock.time = left
        if right is not None and self.twin is not None:
            self.twin.scene.clock.time = right
            self._render_twin()
        self.times_changed.emit()

    def _day_and_hour(self) -> tuple[date, time]:
        scene = self.workspace.scene
        tz = zone(scene.timezone)
        now = scene.clock.time.astimezone(tz) if scene.clock.time is not None else datetime.now(tz)
        return now.date(), now.time().replace(second=0, microsecond=0)

    def preset_hours(self) -> tuple[datetime, datetime]:
        """8:00 and 18:00 on the left half's day (the scene's time zone)."""
        day, _ = self._day_and_hour()
        tz = zone(self.workspace.scene.timezone)
        return datetime.combine(day, MORNING, tzinfo=tz), datetime.combine(day, EVENING, tzinfo=tz)

    def preset_solstices(self) -> tuple[datetime, datetime]:
        """21 June and 21 December of the left half's year, at its hour kept within the winter
        day (:data:`SOLSTICE_HOURS`: at 8:00 on 21 December the sun has not risen in France)."""
        day, hour = self._day_and_hour()
        hour = min(max(hour, SOLSTICE_HOURS[0]), SOLSTICE_HOURS[1])
        tz = zone(self.workspace.scene.timezone)
        return (
            datetime.combine(date(day.year, *SUMMER), hour, tzinfo=tz),
            datetime.combine(date(day.year, *WINTER), hour, tzinfo=tz),
        )

    def morning_evening(self) -> None:
        self.set_times(*self.preset_hours())

    def summer_winter(self) -> None:
        self.set_times(*self.preset_solstices())

    # -- drawing ----------------------------------------------------------------------------------
    def _render_twin(self) -> None:
        if self._twin_plotter is not None:
            self._twin_plotter.render()

    def _camera_moved(self) -> None:
        """The shared camera moved (a drag in either half, a flight): both halves drawn again, the
        ground shadows following once the camera rests."""
        main = self.workspace.scene_view
        if main is not None:
            main.request_render()
        self._render_twin()
        self._shadows.start()

    def _follow_shadows(self) -> None:
        for view in (self.workspace.scene_view, self.twin):
            if view is not None:
                view.sun.view_changed()
                view.request_render()
        self._render_twin()

    # -- the still of both ------------------------------------------------------------------------
    def export_still(self, output: Path, size: tuple[int, int], language: str, **options: Any) -> None:
        """Write the picture of both moments side by side (the window's camera, both times)."""
        from viewer.split import render_compare

        main, times = self.workspace.scene_view, self.times()
        if main is None or times is None:
            raise RuntimeError("not comparing")
        render_compare(
            self.workspace.scene,
            output,
            times,
            size=size,
            view=main.current_view(),
            language=language,
            sun=True,
            shadow_maps=main.sun.use_shadow_maps,
            **options,
        )
