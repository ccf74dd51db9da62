"""Maquette's main window: a thin shell that lays out the 3D view, the panels and the menus, and wires
them to the controllers that do the work (:mod:`desktop.controllers`).

It holds no data logic: reading goes through :mod:`layers` (in background tasks), drawing through
:class:`viewer.scene_view.SceneView`, and the session (views, story, comments, moments, the unsaved
flag) is the :class:`layers.session.model.SessionModel` the panels observe.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMenuBar,
    QProgressBar,
    QPushButton,
    QWidget,
)

from layers.core.base import Layer
from layers.core.scene import Scene
from layers.session.model import SessionModel
from layers.session.project import Project

from .controllers.camera import CameraController
from .controllers.files import FilesController
from .controllers.legends import LegendController
from .controllers.mediation import MediationController
from .controllers.messages import Messages
from .controllers.picking import PickingController
from .controllers.plan_figures import PlanFiguresController
from .controllers.planning import PlanningController
from .controllers.questions import DataQuestions
from .controllers.selection import SelectionController
from .controllers.tasks import TaskRunner
from .controllers.workspace import Workspace
from .measure.panel import MeasurePanel
from .panels.chart import ChartPanel
from .panels.comments import CommentsPanel
from .panels.inspector import InspectorPanel
from .panels.layer_panel import LayerPanel
from .panels.legend import LegendPanel
from .panels.plan import PlanPanel
from .panels.search import SearchPanel
from .panels.story import StoryPanel
from .panels.sun import SunPanel
from .panels.timeline import TimelinePanel
from .panels.views import ViewsPanel
from .presentation import COMMENT_KEY
from .settings import Settings
from .workers import Task, wait_all

if TYPE_CHECKING:
    from viewer.scene_view import SceneView

    from .dialogs.new_model import NewModelDialog


class MainWindow(QMainWindow):
    """The application window. :meth:`open_paths_async` fills it; everything else follows the scene.

    Its parts are public: the panels, the :attr:`workspace` (project, scene, 3D view, session model)
    and the controllers :attr:`files`, :attr:`tasks`, :attr:`camera`, :attr:`picking`,
    :attr:`mediation`, :attr:`messages`.
    """

    def __init__(self, language: str = "fr") -> None:
        super().__init__()
        self.language = language
        self.setWindowTitle("Maquette")
        self.resize(1500, 920)
        self.setAcceptDrops(True)
        self.settings = Settings()
        #: window actions switched off while the story is presented (see _presenting_changed)
        self._held_actions: list[QAction] = []

        from pyvistaqt import QtInteractor

        self.plotter = QtInteractor(self, auto_update=False, lighting="light kit")
        # the interactor's own method: the plotter's functools.wraps copy of it is not callable for mypy
        self.plotter.iren.enable_terrain_style(mouse_wheel_zooms=True)
        self.plotter.iren.interactor.RemoveObservers("CharEvent")  # no VTK single-key surprises
        self.setCentralWidget(self.plotter)
        self.workspace = Workspace(self.plotter, language, self)
        self._fit_smoothing_to_renderer()
        session = self.workspace.session

        self.layer_panel = LayerPanel(self)
        self.inspector = InspectorPanel(self)
        self.timeline = TimelinePanel(session, self, language=language)
        self.search = SearchPanel(self)
        self.chart = ChartPanel(
            self, language=language
        )  # sensors picked in the 3D view; clicks move the clock
        self.views_panel = ViewsPanel(session, self)
        self.story_panel = StoryPanel(session, self)
        self.comments_panel = CommentsPanel(session, self)
        self.legend_panel = LegendPanel(self)
        self._build_docks()

        self.coords_label = QLabel("", self)
        self.coords_label.setMinimumWidth(520)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.hide()
        for widget in (self.coords_label, self.progress, self.cancel_button):
            self.statusBar().addPermanentWidget(widget)

        self.messages = Messages(self)
        self.tasks = TaskRunner(self.statusBar(), self.progress, self.cancel_button, self)
        self.camera = CameraController(self, self.workspace)
        self.files = FilesController(
            self,
            self.workspace,
            self.tasks,
            self.messages,
            DataQuestions(self),
            self.camera,
            self.statusBar(),
        )
        self.mediation = MediationController(
            self,
            self.plotter,
            self.workspace,
            self.camera,
            self.files.autosaver,
            self.settings,
            timeline=self.timeline,
            views_panel=self.views_panel,
            story_panel=self.story_panel,
            comments_panel=self.comments_panel,
        )
        self.picking = PickingController(
            self.plotter,
            self.workspace,
            self.camera,
            self.messages,
            self.mediation,
            inspector=self.inspector,
            inspector_dock=self.inspector_dock,
            chart=self.chart,
            chart_dock=self.chart_dock,
            search=self.search,
            search_dock=self.search_dock,
            coords_label=self.coords_label,
        )
        # after the picking: its tools see the clicks of the 3D view first
        self.planning = PlanningController(self, self.workspace, self.messages, self.mediation)
        self.selection = SelectionController(
            self,
            self.plotter,
            self.workspace,
            self.camera,
            self.messages,
            self.picking,
            self.planning.tools,
            self.timeline_dock,
        )
        self.layer_panel.table_requested.connect(self.selection.open_table)
        self.selection.panel.filter_requested.connect(lambda layer: self._show_options(layer))
        self.legends = LegendController(self.workspace, self.legend_dock, self.legend_panel, self.settings)
        self.layer_panel.zoom_requested.connect(self.camera.zoom_to_layer)
        self.layer_panel.remove_requested.connect(self.remove_layer)
        self.timeline.timezone_changed.connect(lambda _zone: session.mark_dirty())
        session.dirty_changed.connect(self._on_dirty_changed)
        self.files.opened.connect(self._update_title)
        self.files.saved.connect(lambda _path: self._update_title())
        self.workspace.replaced.connect(self._show_scene)

        self._build_menus()
        self.sun_panel = SunPanel.install(
            self, self.view_menu, session=session, timeline=self.timeline, language=language
        )
        self.measure = MeasurePanel.install(
            self, self.view_menu, self.plotter, self.workspace, self.planning.tools, language
        )
        # the tools that take clicks on the view take turns: one starting stops the other
        self.measure.tool.active_changed.connect(self._measure_started)
        self.selection.rectangle_action.toggled.connect(self._rectangle_started)
        self.plan_figures = PlanFiguresController(session, lambda: self.workspace.scene, self)
        self.workspace.replaced.connect(self.plan_figures.scene_replaced)
        self.mediation.presentation.follow_plan_figures(self.plan_figures)
        self.plan_panel = PlanPanel.install(
            self,
            self.view_menu,
            self.inspector_dock,
            session,
            self.plan_figures,
            lambda: self.workspace.scene,
        )
        self.plan_panel.swipe_requested.connect(self.mediation.swipe_variants)
        self.planning.tools.selection_changed.connect(
            lambda ident: self.plan_panel.set_selected([ident] if ident else [])
        )
        self._install_compare()
        # room for layer names such as "Température de surface (1er juillet, 16 h) · chaleur"
        self.inspector_dock.raise_()  # the tab in front when the window opens, before the Project's
        self.resizeDocks([self.layers_dock, self.inspector_dock], [330, 330], Qt.Orientation.Horizontal)
        self.resizeDocks([self.layers_dock, self.legend_dock], [2, 1], Qt.Orientation.Vertical)
        self.workspace.install(Scene(), Project())

    # -- what the window shows ----------------------------------------------------------------
    @property
    def session(self) -> SessionModel:
        return self.workspace.session

    @property
    def scene(self) -> Scene:
        return self.workspace.scene

    @property
    def project(self) -> Project:
        return self.workspace.project

    @property
    def scene_view(self) -> SceneView | None:
        return self.workspace.scene_view

    def open_paths_async(self, paths: list[str | Path], crs: str | None = None) -> Task | None:
        """Open a project or data files (none: the sample city) in the background."""
        return self.files.open_paths_async(paths, crs)

    def new_model(self, dialog: NewModelDialog | None = None) -> Task | None:
        """File › New model from open data…: ask, make the project in the background, show its
        report, open it (``dialog``: one already filled in and accepted)."""
        from .dialogs.new_model import start_new_model

        return start_new_model(
            self, self.tasks, lambda path: self.files.open_paths_async([path]), self.language, dialog
        )

    def add_files_async(self, paths: list[str | Path], crs: str | None = None) -> Task | None:
        """Add data files as layers of the current scene (read in the background)."""
        return self.files.add_files_async(paths, crs)

    def remove_layer(self, layer: Layer) -> None:
        self.scene.remove(layer)
        self.inspector.clear()

    def _show_scene(self) -> None:
        """Bind the panels to the scene just installed in the workspace."""
        scene = self.scene
        self.layer_panel.set_scene(scene)
        self.search.set_scene(scene)
        self.timeline.set_clock(scene.clock if scene.clock.start is not None else None)
        self.timeline.set_scene(scene)
        self.chart.set_scene(scene)
        self.sun_panel.set_view(self.scene_view, scene, self.project)
        scene.layer_added.connect(self._on_layer_added)
        self.inspector.clear()
        self.plotter.render()

    def _measure_started(self, on: bool) -> None:
        if on:
            self.selection.set_rectangle_mode(False)

    def _rectangle_started(self, on: bool) -> None:
        if on:
            self.measure.tool.stop()

    def _on_layer_added(self, layer: Layer) -> None:
        if layer.time_aware and self.timeline.clock is None and self.scene.clock.start is not None:
            self.timeline.set_clock(self.scene.clock)

    def _on_dirty_changed(self, _dirty: bool) -> None:
        self._update_title()

    def _update_title(self) -> None:
        project = self.project
        name = project.title if project.path else self.tr("Untitled")
        self.setWindowTitle(f"{name}{' *' if self.session.dirty else ''} — Maquette")

    # -- layout -----------------------------------------------------------------------------------
    def _show_options(self, layer: Layer) -> None:
        """The layer's options in the layer panel (the attribute table's Filter… button)."""
        self.layer_panel.select(layer)
        self.layers_dock.show()
        self.layers_dock.raise_()

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

    def _fit_smoothing_to_renderer(self) -> None:
        """On a CPU renderer (a laptop without a GPU driver), draw without multisampling — PyVista's
        8 samples cost two to three times a frame there — and smooth edges with FXAA when the camera
        rests; a GPU keeps multisampling."""
        from viewer.gl import is_software_renderer, renderer_string

        window = self.plotter.ren_win
        if window is not None and is_software_renderer(renderer_string(window)):
            window.SetMultiSamples(0)
            self.workspace.software_gl = True

    def _build_docks(self) -> None:
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.layers_dock = self._dock(self.tr("Layers"), self.layer_panel, left)
        # the legends of the visible layers under the layer list, rather than over the city
        self.legend_dock = self._dock(self.tr("Legend"), self.legend_panel, left)
        self.inspector_dock = self._dock(self.tr("Inspector"), self.inspector, right)
        self.search_dock = self._dock(self.tr("Search"), self.search, left)
        self.timeline_dock = self._dock(self.tr("Timeline"), self.timeline, bottom)
        self.chart_dock = self._dock(self.tr("Chart"), self.chart, bottom)
        self.splitDockWidget(self.chart_dock, self.timeline_dock, Qt.Orientation.Vertical)
        self.chart_dock.hide()
        self.story_dock = self._dock(self.tr("Story"), self.story_panel, right)
        self.views_dock = self._dock(self.tr("Views"), self.views_panel, right)
        self.comments_dock = self._dock(self.tr("Comments"), self.comments_panel, right)
        for dock in (self.story_dock, self.views_dock, self.comments_dock):
            self.tabifyDockWidget(self.inspector_dock, dock)
        self.inspector_dock.raise_()

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        from .dialogs.export_menu import ExportMenu  # Image…, Video…, 3D model…, Data

        bar = self.menuBar()
        files, camera, mediation = self.files, self.camera, self.mediation
        file_menu = bar.addMenu(self.tr("&File"))
        self._action(file_menu, self.tr("Open data…"), files.choose_data_files, QKeySequence.StandardKey.Open)
        self._action(file_menu, self.tr("Open project…"), files.choose_project, "Ctrl+Shift+O")
        from .controllers.recent import RecentFiles

        self.recent = RecentFiles(self, files, self.settings)
        self.recent_menu = self.recent.build(file_menu)
        self._action(file_menu, self.tr("Open the sample city"), lambda: self.open_paths_async([]))
        self._action(file_menu, self.tr("New model from open data…"), self.new_model)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("Save project"), files.save, QKeySequence.StandardKey.Save)
        self._action(file_menu, self.tr("Save project as…"), files.save_as, QKeySequence.StandardKey.SaveAs)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.edit_menu = self._build_edit_menu(bar)
        self.exports = ExportMenu(self, self.workspace, self.tasks, self.messages)
        self.export_menu, self.data_menu = self.exports.build(bar)

        self.view_menu = bar.addMenu(self.tr("&View"))
        self._action(self.view_menu, self.tr("Whole scene"), camera.reset_camera, "Home")
        self._action(
            self.view_menu,
            self.tr("Search a building…"),
            self.picking.focus_search,
            QKeySequence.StandardKey.Find,
        )
        self._action(self.view_menu, self.tr("Save current view…"), camera.save_current_view)
        self.map_action = self._action(self.view_menu, self.tr("Map (2D)"), camera.toggle_map_view, "F2")
        self.map_action.setCheckable(True)
        camera.map_view_changed.connect(self.map_action.setChecked)
        self.selection.build_menu(self.view_menu)
        self.views_menu = self.view_menu.addMenu(self.tr("Go to view"))
        camera.follow_views_menu(self.views_menu)
        self.view_menu.addSeparator()
        for dock in (
            self.layers_dock,
            self.inspector_dock,
            self.legend_dock,
            self.timeline_dock,
            self.chart_dock,
        ):
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.language_menu = self._build_language_menu(self.view_menu)

        self.plan_menu = self.planning.build(bar)

        time_menu = bar.addMenu(self.tr("&Time"))
        self._action(time_menu, self.tr("Play / pause"), self.timeline.toggle, "Space")
        self._action(time_menu, self.tr("Step forward"), lambda: self.timeline.step(1), "Right")
        self._action(time_menu, self.tr("Step back"), lambda: self.timeline.step(-1), "Left")

        menu = bar.addMenu(self.tr("&Presentation"))
        self._action(menu, self.tr("Present the story"), lambda: mediation.start_presentation(0), "F5")
        self._action(
            menu,
            self.tr("Present from the selected step"),
            mediation.start_presentation_from_selected,
            "Shift+F5",
        )
        screens_menu = menu.addMenu(self.tr("Audience screen"))
        screens_menu.aboutToShow.connect(lambda: mediation.fill_screens_menu(screens_menu))
        menu.addSeparator()
        self.comment_action = self._action(
            menu, self.tr("Add a comment"), mediation.begin_comment, QKeySequence(COMMENT_KEY)
        )
        self._action(menu, self.tr("Export comments…"), mediation.export_comments)
        menu.addSeparator()
        swipe = self._action(menu, self.tr("Before / after: swipe"), mediation.toggle_swipe, "Ctrl+B")
        switch = self._action(
            menu, self.tr("Before / after: switch"), mediation.switch_before_after, "Ctrl+Shift+B"
        )
        #: the window's shortcuts live while presenting (the menu bar hidden): before / after only
        self.presenting_actions = (swipe, switch)
        self.addActions(list(self.presenting_actions))
        mediation.presenting_changed.connect(self._presenting_changed)
        for dock in (self.story_dock, self.views_dock, self.comments_dock):
            menu.addAction(dock.toggleViewAction())

        help_menu = bar.addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("User guide"), self.show_guide, QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, self.tr("Keyboard shortcuts"), self.show_shortcuts)
        help_menu.addSeparator()
        self._action(help_menu, self.tr("About Maquette"), self.about)

    def _install_compare(self) -> None:
        """View › Compare two moments: the split view, its bar under the view, its menu entry."""
        from .controllers.compare import CompareController
        from .panels.compare_bar import CompareBar

        self.compare = CompareController(self, self.workspace, self.sun_panel.toggle)
        bar = CompareBar(self.compare, self)
        self.compare_dock = self._dock(
            self.tr("Compare two moments"), bar, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        # under the timeline, not beside it: the window still fits a 1366-pixel-wide screen
        self.splitDockWidget(self.timeline_dock, self.compare_dock, Qt.Orientation.Vertical)
        self.compare_dock.hide()
        self.compare.active_changed.connect(self.compare_dock.setVisible)
        action = self._action(
            self.view_menu, self.tr("Compare two moments"), self.compare.toggle, "Ctrl+Shift+M"
        )
        action.setCheckable(True)
        self.compare.active_changed.connect(action.setChecked)
        self.compare_action = action
        self.exports.compare_times = self.compare.times
        self.mediation.presenting_changed.connect(self.compare.presenting_changed)

    def _build_edit_menu(self, bar: QMenuBar) -> QMenu:
        """Edit › Undo / Redo of the session's commands, named after the change ("Undo move a
        building"). A text field being typed in keeps Ctrl+Z: it takes the shortcut first."""
        from layers.core.messages import word

        menu = bar.addMenu(self.tr("&Edit"))
        history = self.session.history
        self.undo_action = self._action(
            menu, self.tr("Undo"), self.session.undo, QKeySequence.StandardKey.Undo
        )
        self.redo_action = self._action(menu, self.tr("Redo"), self.session.redo, "Ctrl+Shift+Z")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])

        def follow() -> None:
            presenting = self.mediation.presentation.active
            undo, redo = history.undo_label, history.redo_label
            self.undo_action.setText(
                self.tr("Undo {}").format(word(undo, self.language)) if undo else self.tr("Undo")
            )
            self.redo_action.setText(
                self.tr("Redo {}").format(word(redo, self.language)) if redo else self.tr("Redo")
            )
            self.undo_action.setEnabled(history.can_undo and not presenting)
            self.redo_action.setEnabled(history.can_redo and not presenting)

        history.changed.connect(follow)
        self.mediation.presenting_changed.connect(lambda _presenting: follow())
        follow()
        return menu

    def _presenting_changed(self, presenting: bool) -> None:
        """While presenting, the presentation has the keys (:data:`desktop.presentation.PRESENTATION_KEYS`,
        the comment key among them): every other window shortcut is switched off, then back on."""
        if presenting:
            self._held_actions = [
                action
                for action in self.findChildren(QAction)
                if action.isEnabled()
                and not action.shortcut().isEmpty()
                and action not in self.presenting_actions
            ]
            for action in self._held_actions:
                action.setEnabled(False)
        else:
            for action in self._held_actions:
                action.setEnabled(True)
            self._held_actions = []

    def _build_language_menu(self, parent_menu: QMenu) -> QMenu:
        """View > Interface language: the system's, French or English (kept in the settings)."""
        from .translation import LANGUAGES

        menu = parent_menu.addMenu(self.tr("Interface language"))
        group = QActionGroup(menu)
        chosen = self.settings.language_setting()
        for code, name in [("system", self.tr("Same as the system")), *LANGUAGES.items()]:
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

    def show_guide(self) -> None:
        """Help › User guide, in the interface's language, read offline from the package."""
        from .dialogs.help import GuideWindow

        self.guide_window = GuideWindow(self.language, self)
        self.guide_window.show()

    def show_shortcuts(self) -> None:
        """Help › Keyboard shortcuts, made from the window's actions as they are now."""
        from .dialogs.help import ShortcutsDialog

        self.shortcuts_dialog = ShortcutsDialog(self)
        self.shortcuts_dialog.show()

    def about(self) -> None:
        """The About box: version, and the bundled components with their licences (desktop/about.py)."""
        from .about import AboutDialog

        self.about_dialog = AboutDialog(self, language=self.language)
        self.about_dialog.open()

    # -- window events ------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.files.open_dropped(paths)
            event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.session.dirty and not self.files.confirm_discard():
            event.ignore()
            return
        self.mediation.presentation.stop()
        self.tasks.cancel_all()
        self.plan_figures.cancel()
        wait_all(5000)  # cancelled readers end at their next check
        self.timeline.set_playing(False)
        self.compare.stop()  # its second 3D view closed before the window's
        self.plotter.close()
        event.accept()
