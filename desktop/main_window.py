"""Maquette's main window: the 3D view, the layer panel, the timeline, the inspector, the menus.

It holds no data logic: reading goes through :mod:`layers` (in background tasks), drawing through
:class:`viewer.scene_view.SceneView`.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from time import perf_counter
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from layers.core import crs as crs_util
from layers.core.errors import Cancelled, CRSMissing, InputError
from layers.core.reading import open_layer
from layers.core.scene import Scene
from layers.io.formats import open_patterns
from layers.session.opening import Session, open_paths
from layers.session.project import Project, save_project, update_from_scene
from layers.session.views import CameraView
from viewer import camera as camera_util
from viewer.probe import value_under
from viewer.scene_view import Pick, SceneView

from . import gc_guard
from .autosaver import Autosaver
from .dialogs.crs import offer_crs
from .mediation import MediationMixin
from .panels.chart import ChartPanel
from .panels.inspector import InspectorPanel
from .panels.layer_panel import LayerPanel
from .panels.search import SearchPanel
from .panels.sun import SunPanel
from .panels.timeline import TimelinePanel
from .reliability import ReliabilityMixin, unexpected
from .settings import Settings
from .workers import Task, wait_all

#: file-name patterns of File > Open (the dialog's filter names are translated where it opens)
DATA_PATTERNS = open_patterns()
PROJECT_PATTERN = "*.maquette.json"
FLIGHT_MS = 1200
#: the wheel counts as resting after this long (full detail drawn again)
WHEEL_REST_MS = 300
#: a building found by search is shown in a view this wide at least, metres
FEATURE_VIEW_M = 120.0
CLICK_TOLERANCE_PX = 4


def local_time_text(iso: str) -> str:
    """An ISO instant (an autosave's) as this computer's clock shows it, in the interface's
    locale: ``26/11/2026 12:19``; the text itself when it is not a time."""
    from datetime import datetime

    from PySide6.QtCore import QDateTime, QLocale

    try:
        instant = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    if instant.tzinfo is None:
        return str(iso)
    moment = QDateTime.fromSecsSinceEpoch(int(instant.timestamp()))
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


class MainWindow(ReliabilityMixin, MediationMixin, QMainWindow):
    """The application window. ``open_paths_async`` fills it; everything else follows the scene."""

    def __init__(self, language: str = "fr") -> None:
        super().__init__()
        gc_guard.install()  # cyclic garbage (old dialogs, panels) is freed here, never in a worker
        self.language = language
        self.setWindowTitle("Maquette")
        self.resize(1500, 920)
        self.setAcceptDrops(True)
        self.session: Session | None = None
        self.scene_view: SceneView | None = None
        self.dirty = False
        self.tasks: list[Task] = []
        self._press_pos: QPoint | None = None
        self._swiping = False
        #: the last background failure (tests and bug reports read it)
        self.last_task_error: object | None = None
        self._flight: dict[str, Any] | None = None

        from pyvistaqt import QtInteractor

        self.plotter = QtInteractor(self, auto_update=False, lighting="light kit")
        self.plotter.enable_terrain_style(mouse_wheel_zooms=True)
        self.plotter.iren.interactor.RemoveObservers("CharEvent")  # no VTK single-key surprises
        self.setCentralWidget(self.plotter)
        self.plotter.installEventFilter(self)
        self.plotter.setMouseTracking(True)

        self.layer_panel = LayerPanel(self)
        self.layer_panel.zoom_requested.connect(self.zoom_to_layer)
        self.layer_panel.remove_requested.connect(self.remove_layer)
        self.inspector = InspectorPanel(self)
        self.timeline = TimelinePanel(self, language=language)
        self.layers_dock = self._dock(
            self.tr("Layers"), self.layer_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.inspector_dock = self._dock(
            self.tr("Inspector"), self.inspector, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.search = SearchPanel(self)
        self.search.chosen.connect(self.show_feature)
        self.search_dock = self._dock(self.tr("Search"), self.search, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._wheel_timer = QTimer(self)  # full detail again once the wheel rests
        self._wheel_timer.setSingleShot(True)
        self._wheel_timer.setInterval(WHEEL_REST_MS)
        self._wheel_timer.timeout.connect(lambda: self.scene_view is not None and self.scene_view.lod.end())
        self.timeline_dock = self._dock(
            self.tr("Timeline"), self.timeline, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.chart = ChartPanel(self)  # sensors picked in the 3D view; clicks move the clock
        self.chart_dock = self._dock(self.tr("Chart"), self.chart, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.splitDockWidget(self.chart_dock, self.timeline_dock, Qt.Orientation.Vertical)
        self.chart_dock.hide()
        self.timeline.moments_changed.connect(lambda: (setattr(self, "dirty", True), self._update_title()))
        self.timeline.timezone_changed.connect(lambda _: (setattr(self, "dirty", True), self._update_title()))

        self.coords_label = QLabel("", self)
        self.coords_label.setMinimumWidth(520)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_tasks)
        self.statusBar().addPermanentWidget(self.coords_label)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self._hover_timer = QTimer(self)
        self._hover_timer.setSingleShot(True)
        self._hover_timer.setInterval(30)
        self._hover_timer.timeout.connect(self._update_coordinates)
        self._hover_pos: QPoint | None = None
        self._flight_timer = QTimer(self)
        self._flight_timer.setInterval(16)
        self._flight_timer.timeout.connect(self._flight_step)

        self.settings = Settings()
        self.project = Project()
        self.autosaver = Autosaver(self.document_data, lambda: self.project.path, self)
        self._build_mediation()
        self._build_reliability()
        self._build_menus()
        self.sun_panel = SunPanel.install(self)
        # room for layer names such as "Température de surface (1er juillet, 16 h) · chaleur"
        self.resizeDocks([self.layers_dock, self.inspector_dock], [330, 330], Qt.Orientation.Horizontal)
        self._set_scene(Scene(), Project())

    # -- layout helpers -----------------------------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _action(self, menu, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self._action(file_menu, self.tr("Open data…"), self.choose_data_files, QKeySequence.StandardKey.Open)
        self._action(file_menu, self.tr("Open project…"), self.choose_project, "Ctrl+Shift+O")
        self._action(file_menu, self.tr("Open the sample city"), lambda: self.open_paths_async([]))
        file_menu.addSeparator()
        self._action(file_menu, self.tr("Save project"), self.save, QKeySequence.StandardKey.Save)
        self._action(file_menu, self.tr("Save project as…"), self.save_as, QKeySequence.StandardKey.SaveAs)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("Quit"), self.close, QKeySequence.StandardKey.Quit)
        from .dialogs.export_menu import build_export_menu  # Image…, Video…, 3D model…, Data

        self.export_menu = build_export_menu(self, bar)

        view_menu = bar.addMenu(self.tr("&View"))
        self._action(view_menu, self.tr("Whole scene"), self.reset_camera, "Home")
        self._action(
            view_menu, self.tr("Search a building…"), self.focus_search, QKeySequence.StandardKey.Find
        )
        self._action(view_menu, self.tr("Save current view…"), self.save_current_view)
        self.views_menu = view_menu.addMenu(self.tr("Go to view"))
        view_menu.addSeparator()
        for dock in (self.layers_dock, self.inspector_dock, self.timeline_dock, self.chart_dock):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        self.language_menu = self._build_language_menu(view_menu)

        time_menu = bar.addMenu(self.tr("&Time"))
        self._action(time_menu, self.tr("Play / pause"), self.timeline.toggle, "Space")
        self._action(time_menu, self.tr("Step forward"), lambda: self.timeline.step(1), "Right")
        self._action(time_menu, self.tr("Step back"), lambda: self.timeline.step(-1), "Left")

        self._build_mediation_menus(bar)

        help_menu = bar.addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("About Maquette"), self.about)

    def _build_language_menu(self, parent_menu) -> QMenu:
        """View > Interface language: the system's, French or English (kept in the settings)."""
        from .translation import LANGUAGES

        menu = parent_menu.addMenu(self.tr("Interface language"))
        group = QActionGroup(menu)
        chosen = self.settings.language_setting()
        for code, name in [("system", self.tr("Same as the system"))] + list(LANGUAGES.items()):
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == chosen)
            action.setData(code)
            group.addAction(action)
            action.triggered.connect(lambda _=False, code=code: self.choose_language(code))
        return menu

    def choose_language(self, code: str) -> None:
        """Keep ``code`` ("fr", "en" or "system") for the next start, and say so."""
        if code == self.settings.language_setting():
            return
        self.settings.set_language(code)
        self.statusBar().showMessage(
            self.tr("The interface will change language when Maquette starts again."), 8000
        )

    # -- opening ------------------------------------------------------------------------------
    def open_paths_async(self, paths: list[str | Path], crs: str | None = None) -> Task:
        """Open a project or data files (none: the sample city) in the background.

        Unsaved changes are dealt with first (save / discard / cancel); ``None`` when cancelled.
        """
        if self.dirty and not self._confirm_discard():
            return None
        paths = [Path(p) for p in paths]
        if self.ask_outside(paths, lambda skip: self._open_now(paths, crs, skip)):
            return None  # the project reads data outside its folder: opened once the user answers
        return self._open_now(paths, crs, set())

    def _open_now(self, paths: list[Path], crs: str | None, skip: set[str]) -> Task:
        def work(progress, cancelled):
            session = open_paths(
                paths, crs=crs, strict=False, recover=True, progress=progress, cancelled=cancelled, skip=skip
            )
            for layer in session.scene.layers:
                layer.prepare()
            return session

        what = ", ".join(p.name for p in paths) if paths else self.tr("the sample city")
        return self._start(work, self.tr("Opening {}…").format(what), self._install_session)

    def add_files_async(self, paths: list[str | Path], crs: str | None = None) -> Task:
        """Add data files as layers of the current scene (read and reprojected in the background)."""
        scene = self.scene
        target_crs = scene.crs
        paths = [Path(p) for p in paths]

        def work(progress, cancelled):
            layers, errors = [], []
            for i, path in enumerate(paths):
                progress(i / len(paths), path.name)
                try:
                    layer = open_layer(path, **({"crs": crs} if crs else {}))
                    if cancelled():  # between the stages of a large file: Cancel stops it there
                        raise Cancelled()
                    if target_crs is not None and not layer.crs.equals(target_crs):
                        layer.reproject(target_crs)
                    if cancelled():
                        raise Cancelled()
                    layer.prepare()
                    layers.append(layer)
                except InputError as exc:
                    errors.append(exc)
                except (Cancelled, MemoryError):
                    raise
                except Exception as exc:  # noqa: BLE001 - a reader's bug: that file fails, the others open
                    errors.append(unexpected(path, exc))
            return layers, errors

        return self._start(
            work, self.tr("Reading {}…").format(", ".join(p.name for p in paths)), self._add_layers
        )

    def _start(self, work, message: str, on_success) -> Task:
        task = Task(work, self)
        task.progressed.connect(lambda f, m: self._show_progress(f, m or message))
        task.succeeded.connect(on_success)
        task.failed.connect(self._task_failed)
        task.cancelled.connect(lambda: self.statusBar().showMessage(self.tr("Cancelled."), 4000))
        task.finished.connect(lambda: self._task_done(task))
        self.tasks.append(task)
        self._show_progress(0.0, message)
        task.start()
        return task

    def _show_progress(self, fraction: float, message: str) -> None:
        self.progress.show()
        self.cancel_button.show()
        self.progress.setValue(int(fraction * 1000))
        self.statusBar().showMessage(message)

    def _task_done(self, task: Task) -> None:
        if task in self.tasks:
            self.tasks.remove(task)
        if not self.tasks:
            self.progress.hide()
            self.cancel_button.hide()
            self.statusBar().clearMessage()

    def cancel_tasks(self) -> None:
        for task in self.tasks:
            task.cancel()

    def _task_failed(self, exc: object, text: str) -> None:
        if isinstance(exc, CRSMissing):
            self.ask_crs([exc])
            return
        self.last_task_error = exc
        if isinstance(exc, InputError):
            self.show_input_error(exc)
        else:
            self.show_internal_error(exc, text)

    def show_input_error(self, exc: InputError, title: str | None = None) -> None:
        self.show_input_errors([exc], title)

    def show_internal_error(self, exc: object, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            self.tr("Unexpected error"),
            f"{type(exc).__name__}: {exc}",
            parent=self,
        )
        box.setInformativeText(
            self.tr("Your work is still here. Please report this error with the details below.")
        )
        box.setDetailedText(text)
        box.open()
        self._last_message_box = box

    def _install_session(self, session: Session) -> None:
        title = session.project.title if session.project.path else None
        self._set_scene(session.scene, session.project, title=title)
        self.session = session
        self._mediation_session(session)
        views = self.views_panel.views
        if views:
            self.go_to_view(views[0], animate=False)
        else:
            self.reset_camera(animate=False)
        self.dirty = False
        self._update_title()
        if session.recovered_at:
            self.mark_dirty()
            box = QMessageBox(
                QMessageBox.Icon.Information,
                self.tr("Unsaved work recovered"),
                self.tr(
                    "Maquette was closed without saving this project. Its state autosaved at {} was restored ({} comments). Save the project to keep it."
                ).format(local_time_text(session.recovered_at), len(self.comments)),
                parent=self,
            )
            box.open()
            self._last_message_box = box
        session.report.errors = self.ask_crs(session.report.errors)
        missing = [e for e in session.report.errors if "is missing" in e.message]
        others = [e for e in session.report.errors if e not in missing]
        if others:
            self.show_input_errors(others, self.tr("Some layers could not be opened"))
        if missing and session.report.missing:
            self.offer_missing(session)  # Locate… / Remove layer / Skip, one layer after the other
        self.statusBar().showMessage(self.tr("{} layers open.").format(len(session.scene.layers)), 5000)

    def _set_scene(self, scene: Scene, project: Project, title: str | None = None) -> None:
        if self.scene_view is not None:
            self.scene_view.close()
            self.scene_view = None
        self.scene = scene
        self.project = project
        self.session = Session(project, scene, None) if project else None
        self.scene_view = SceneView(self.plotter, scene, language=self.language, title=None)
        self.layer_panel.set_scene(scene)
        self.search.set_scene(scene)
        QTimer.singleShot(0, self._warm_picking)
        self.timeline.set_clock(scene.clock if scene.clock.start is not None else None)
        self.timeline.set_context(scene, project)
        self.chart.set_scene(scene)
        self.sun_panel.set_view(self.scene_view, scene, project)
        scene.layer_added.connect(self._on_layer_added)
        for layer in scene.layers:
            self._follow_layer(layer)
        self.inspector.clear()
        self._refresh_views_menu()
        self.plotter.render()

    def _add_layers(self, result: tuple[list, list]) -> None:
        layers, errors = result
        for layer in layers:
            self.scene.add(layer)
        if layers:
            self.mark_dirty()
            if len(self.scene.layers) == len(layers):
                self.reset_camera(animate=False)
        QTimer.singleShot(0, self._warm_picking)
        from .controls.sensors import ask_locations  # readings without positions: offer a locations file

        self.show_input_errors(ask_locations(self, self.ask_crs(errors)))

    def _follow_layer(self, layer) -> None:
        """Any change of a layer's display is a change of the session (autosaved)."""
        layer.visible_changed.connect(self._on_layer_state)
        layer.opacity_changed.connect(self._on_layer_state)
        layer.style_changed.connect(self._on_layer_state)

    def _on_layer_state(self, *_args) -> None:
        self.mark_dirty()

    def mark_dirty(self) -> None:
        """The session has unsaved changes: show it and schedule an autosave."""
        self.dirty = True
        self._update_title()
        self.autosaver.changed()

    def document_data(self) -> dict:
        """The project document as it would be saved now (for autosave)."""
        update_from_scene(self.project, self.scene)
        self.write_mediation(self.project.data)
        return self.project.data

    def _on_layer_added(self, layer) -> None:
        self._follow_layer(layer)
        if layer.time_aware and self.timeline.clock is None and self.scene.clock.start is not None:
            self.timeline.set_clock(self.scene.clock)

    # -- file dialogs -----------------------------------------------------------------------------
    def data_filter(self) -> str:
        return self.tr("Data") + f" ({DATA_PATTERNS});;" + self.tr("All files") + " (*)"

    def project_filter(self) -> str:
        return self.tr("Maquette project") + f" ({PROJECT_PATTERN})"

    def choose_data_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Open data"), "", self.data_filter())
        if paths:
            self.open_dropped([Path(p) for p in paths])

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open project"), "", self.project_filter())
        if path:
            self.open_paths_async([path])

    def open_dropped(self, paths: list[Path]) -> None:
        projects = [p for p in paths if p.name.lower().endswith(".maquette.json")]
        if projects:
            self.open_paths_async(projects[:1])
        data = [p for p in paths if p not in projects]
        if data:
            self.add_files_async(data)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.open_dropped(paths)
            event.acceptProposedAction()

    # -- saving ---------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.project.path is None:
            return self.save_as()
        return self._save_to(self.project.path)

    def save_as(self) -> bool:
        start = str(self.project.path or Path.home() / "projet.maquette.json")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save project"), start, self.project_filter())
        return self._save_to(Path(path)) if path else False

    def _save_to(self, path: Path) -> bool:
        try:
            update_from_scene(self.project, self.scene, folder=path.absolute().parent)
            self.write_mediation(self.project.data)
            old_path = self.project.path
            saved = save_project(self.project, path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Cannot save"), f"{path}: {exc.strerror or exc}")
            return False
        self.dirty = False
        self._update_title()
        from layers.session.autosave import clear_autosave

        clear_autosave(old_path)
        self.autosaver.clear()
        self.statusBar().showMessage(self.tr("Saved {}").format(saved), 5000)
        return True

    def _update_title(self) -> None:
        name = self.project.title if self.project and self.project.path else self.tr("Untitled")
        self.setWindowTitle(f"{name}{' *' if self.dirty else ''} — Maquette")

    def _confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("Save the current project before closing it?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.autosaver.clear()
            return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dirty and not self._confirm_discard():
            event.ignore()
            return
        self.presentation.stop()
        self.cancel_tasks()
        wait_all(5000)  # cancelled readers end at their next check
        self.timeline.set_playing(False)
        self.plotter.close()
        event.accept()

    # -- export ------------------------------------------------------------------------------------
    def export_image(self):
        """Export › Image: the dialog with size presets, what is burned in and a live preview."""
        from .dialogs.export_menu import open_image_dialog

        return open_image_dialog(self)

    # -- camera ----------------------------------------------------------------------------------
    def reset_camera(self, animate: bool = True) -> None:
        if self.scene_view is None:
            return
        view = self.scene_view.default_view()
        if view is not None:
            self.go_to_view(view, animate=animate)

    def zoom_to_layer(self, layer) -> None:
        view = camera_util.oblique_view(
            layer.bounds(), aspect=self.plotter.width() / max(self.plotter.height(), 1)
        )
        self.go_to_view(view)

    def remove_layer(self, layer) -> None:
        self.scene.remove(layer)
        self.inspector.clear()
        self.mark_dirty()

    def go_to_view(self, view: CameraView, animate: bool = True) -> None:
        if self.scene_view is None or self.scene.origin is None:
            return
        if not animate:
            self.scene_view.go_to(view)
            return
        self._flight = {
            "from": self.scene_view.current_view(view.name),
            "to": view,
            "elapsed": 0,
            "start": perf_counter(),
        }
        self.scene_view.lod.begin()  # light buildings during the flight
        self._flight_timer.start()

    def _flight_step(self) -> None:
        if self._flight is None or self.scene_view is None:
            self._flight_timer.stop()
            return
        # by the clock, not by steps: a flight lasts FLIGHT_MS however slowly frames are drawn
        self._flight["elapsed"] = (perf_counter() - self._flight["start"]) * 1000.0
        f = min(self._flight["elapsed"] / FLIGHT_MS, 1.0)
        self.scene_view.go_to(camera_util.interpolate(self._flight["from"], self._flight["to"], f))
        if f >= 1.0:
            self._flight_timer.stop()
            self._flight = None
            self.scene_view.lod.end()

    # -- finding buildings, CRS of files without one, picking warm-up -------------------------------
    def focus_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.box.setFocus()
        self.search.box.selectAll()

    def show_feature(self, layer, row: int) -> None:
        """Fly to feature ``row`` of ``layer``, highlight it and show its attributes (search results)."""
        if self.scene_view is None or layer not in self.scene.layers:
            return
        visual = self.scene_view.visual(layer)
        bounds = layer.feature_bounds(row) if hasattr(layer, "feature_bounds") else layer.bounds()
        cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
        half = max(bounds[2] - bounds[0], bounds[3] - bounds[1], FEATURE_VIEW_M) / 2
        aspect = self.plotter.width() / max(self.plotter.height(), 1)
        view = camera_util.oblique_view(
            (cx - half, cy - half, cx + half, cy + half), name=layer.name, aspect=aspect
        )
        dz = visual.ground_offset(row) if hasattr(visual, "ground_offset") else 0.0  # standing on a terrain
        view.position = (view.position[0], view.position[1], view.position[2] + dz)
        view.focal_point = (view.focal_point[0], view.focal_point[1], view.focal_point[2] + dz)
        self.go_to_view(view)
        if visual is not None:
            pick = Pick(layer, int(row), (cx, cy, 0.0), visual)
            self.scene_view.highlight(pick)
            self.inspector.show_attributes(layer.name, pick.attributes())
            self.inspector_dock.show()

    def ask_crs(self, errors: list) -> list:
        """Offer the CRS chooser for each file that declares none (opened again with the choice);
        returns the other errors."""
        for error in [e for e in errors if isinstance(e, CRSMissing)]:
            self._crs_dialog = offer_crs(self, error, lambda path, crs: self.add_files_async([path], crs=crs))
        return [e for e in errors if not isinstance(e, CRSMissing)]

    def _warm_picking(self) -> None:
        if self.scene_view is not None:
            self.scene_view.prepare_picking()

    def _refresh_views_menu(self) -> None:
        self.views_menu.clear()
        views = self.views_panel.views
        for view in views:
            self.views_menu.addAction(view.name, lambda v=view: self.go_to_view(v))
        self.views_menu.setEnabled(bool(views))

    def save_current_view(self) -> None:
        if self.scene_view is None:
            return
        name, ok = QInputDialog.getText(self, self.tr("Save view"), self.tr("Name of the view:"))
        if not ok or not name.strip():
            return
        self.views_panel.add_view(self.scene_view.current_view(name.strip()))

    # -- picking and coordinates -------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.plotter:
            kind = event.type()
            if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
                self._press_pos = event.position().toPoint()
                if self.swipe_grab(self._press_pos):
                    self._swiping = True
                    return True
            elif self._swiping and kind == QEvent.Type.MouseMove:
                self.swipe_drag(event.position().toPoint())
                return True
            elif self._swiping and kind == QEvent.Type.MouseButtonRelease:
                self._swiping = False
                return True
            elif kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
                pos = event.position().toPoint()
                if (
                    self._press_pos is not None
                    and (pos - self._press_pos).manhattanLength() <= CLICK_TOLERANCE_PX
                ):
                    if self.placing_comment():
                        QTimer.singleShot(0, lambda p=pos: self.place_comment_at(p))
                    else:
                        QTimer.singleShot(0, lambda p=pos: self.pick_at(p))
                self._press_pos = None
            elif kind == QEvent.Type.MouseMove:
                self._hover_pos = event.position().toPoint()
                if not self._hover_timer.isActive():
                    self._hover_timer.start()
            elif kind == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape and self.placing_comment():
                self.cancel_comment()
                return True
            elif kind == QEvent.Type.Wheel and self.scene_view is not None:
                self.scene_view.lod.begin()
                self._wheel_timer.start()
            elif kind == QEvent.Type.Leave:
                self.coords_label.setText("")
        return super().eventFilter(watched, event)

    def _display_xy(self, pos: QPoint) -> tuple[float, float]:
        ratio = self.plotter.devicePixelRatioF()
        return pos.x() * ratio, (self.plotter.height() - pos.y()) * ratio

    def pick_at(self, pos: QPoint) -> Pick | None:
        if self.scene_view is None:
            return None
        x, y = self._display_xy(pos)
        try:
            pick = self.scene_view.pick(x, y)
        except Exception as exc:  # noqa: BLE001 - a failed pick must never take the window down
            self.show_internal_error(exc, traceback.format_exc())
            return None
        self.scene_view.highlight(pick)
        if pick is None:
            self.inspector.clear()
            return None
        attributes = pick.attributes()
        self.inspector.show_attributes(f"{pick.layer.name}", attributes)
        self.inspector_dock.show()
        if pick.layer.kind == "sensors":
            self.chart.add_sensor(pick.layer, pick.index)
            self.chart_dock.show()
        return pick

    def _update_coordinates(self) -> None:
        if (
            self.scene_view is None
            or self._hover_pos is None
            or self.scene.crs is None
            or self.scene.origin is None
        ):
            return
        x, y = self._display_xy(self._hover_pos)
        world = self.scene_view.world_at(x, y)
        if world is None:
            self.coords_label.setText("")
            return
        text = format_coordinates(world, self.scene.crs)
        value = value_under(self.scene_view, world[0], world[1])  # the dB(A) or °C under the cursor
        self.coords_label.setText(f"{value}  ·  {text}" if value else text)

    # -- help --------------------------------------------------------------------------------------
    def about(self) -> None:
        """The About box: version, and the bundled components with their licences (desktop/about.py)."""
        from .about import AboutDialog

        self.about_dialog = AboutDialog(self, language=self.language)
        self.about_dialog.open()


def format_coordinates(world: tuple[float, float, float], crs) -> str:
    """``X 351 912.4  Y 6 789 345.1  z 12.0 m (EPSG:2154) · 48.11140° N 1.67940° O``."""
    x, y, z = world
    lon, lat = crs_util.to_wgs84(crs, [x], [y])
    lon, lat = float(lon[0]), float(lat[0])
    fmt = lambda v: f"{v:,.1f}".replace(",", " ")  # noqa: E731
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "O"
    return f"X {fmt(x)}  Y {fmt(y)}  z {z:.1f} m ({crs_util.label(crs)}) · {abs(lat):.5f}° {ns} {abs(lon):.5f}° {ew}"


def application() -> QApplication:
    return QApplication.instance() or QApplication([])
