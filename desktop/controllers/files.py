"""Opening, adding and saving: a project or data files read in the background, the scene shown,
the session model loaded, the questions about data asked; saving, autosaving, the unsaved flag.

Every layer reaches the scene through :mod:`layers.session.opening` (open → reproject into the
scene CRS → prepare), in a background task.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QStatusBar, QWidget

from layers.core.base import Layer
from layers.core.errors import CRSMissing, DataMissing, InputError, OutputError
from layers.core.scene import FarApart, far_from
from layers.io.formats import open_patterns
from layers.session.model import SessionModel
from layers.session.opening import (
    Session,
    open_files_for_scene,
    open_paths,
    open_spec_for_scene,
)
from layers.session.project import save_project
from layers.session.scene_io import update_from_scene
from layers.session.views import CameraView

from ..autosaver import Autosaver
from ..workers import Task
from .camera import CameraController
from .messages import Messages
from .questions import DataQuestions
from .tasks import TaskRunner
from .workspace import Workspace

#: the project document's key of the camera as it was last saved
CAMERA_KEY = "camera"


def read_last_camera(data: dict[str, Any]) -> tuple[CameraView | None, bool]:
    """The camera kept in a project document (``None`` when there is none or it cannot be read), and
    whether it was damaged: a damaged camera is left out with a note, never an error."""
    value = data.get(CAMERA_KEY)
    if value is None:
        return None, False
    if not isinstance(value, dict):
        return None, True
    try:
        return CameraView.from_dict({"name": "camera", **value}), False
    except (ValueError, TypeError):
        return None, True


def _sources(layers: list[Layer]) -> list[Path]:
    """The files ``layers`` were read from, each once, in order."""
    seen: dict[Path, None] = {}
    for layer in layers:
        if layer.source is not None:
            seen[layer.source.absolute()] = None
    return list(seen)


#: file-name patterns of File > Open (the dialog's filter names are translated where it opens)
DATA_PATTERNS = open_patterns()
PROJECT_PATTERN = "*.maquette.json"


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


class FilesController(QObject):
    """File > Open / Save, drops, the autosave, and the session's unsaved flag.

    Signals: ``opened()`` once a project or data files are shown; ``saved(path)`` once the project
    was written to ``path`` (its title may have changed); ``files_read(list[Path])``: the project, or
    the data files, just opened or added (File › Open recent lists them).
    """

    opened = Signal()
    saved = Signal(Path)
    files_read = Signal(list)

    def __init__(
        self,
        window: QWidget,
        workspace: Workspace,
        tasks: TaskRunner,
        messages: Messages,
        questions: DataQuestions,
        camera: CameraController,
        status_bar: QStatusBar,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        self.tasks = tasks
        self.messages = messages
        self.questions = questions
        self.camera = camera
        self.status_bar = status_bar
        self.autosaver = Autosaver(self.document, lambda: self.workspace.project.path, self)
        self.autosaver.failed.connect(self._autosave_failed)
        self.session.edited.connect(self._on_edited)
        tasks.failed.connect(self._task_failed)
        workspace.replaced.connect(self._follow_scene)

    @property
    def session(self) -> SessionModel:
        return self.workspace.session

    # -- opening ------------------------------------------------------------------------------
    def open_paths_async(self, paths: list[str | Path], crs: str | None = None) -> Task | None:
        """Open a project or data files (none: the sample city) in the background.

        Unsaved changes are dealt with first (save / discard / cancel); ``None`` when cancelled or
        when a question about data outside the project's folder is pending (opened once answered).
        """
        if self.session.dirty and not self.confirm_discard():
            return None
        named = [Path(p) for p in paths]
        themes = self.ask_themes(named)
        if themes is None:
            return None
        if self.questions.ask_outside(named, lambda skip: self._open_now(named, crs, skip, themes)):
            return None
        return self._open_now(named, crs, set(), themes)

    def ask_themes(self, paths: list[Path]) -> dict[Path, set[str]] | None:
        """The themes to open of each file that holds a whole map's (a BD TOPO GeoPackage), asked in
        a dialog; ``None`` when the user cancelled. An OpenStreetMap extract opens every theme."""
        from desktop.dialogs.themes import ThemesDialog
        from layers.io.osm import is_osm_path
        from layers.session.file_layers import layer_choices

        out: dict[Path, set[str]] = {}
        for path in paths:
            if is_osm_path(path):
                continue
            choices = layer_choices(path)
            if len(choices) < 2:
                continue
            dialog = ThemesDialog(path, choices, self.workspace.language, self.window)
            if dialog.exec() != ThemesDialog.DialogCode.Accepted:
                return None
            out[path.absolute()] = dialog.chosen()
        return out

    def _open_now(
        self, paths: list[Path], crs: str | None, skip: set[str], themes: dict[Path, set[str]] | None = None
    ) -> Task:
        language = self.workspace.language

        def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Session:
            return open_paths(
                paths,
                crs=crs,
                strict=False,
                recover=True,
                progress=progress,
                cancelled=cancelled,
                skip=skip,
                prepare=True,
                layers=themes,
                language=language,
            )

        what = ", ".join(p.name for p in paths) if paths else self.tr("the sample city")
        return self.tasks.start(work, self.tr("Opening {}…").format(what), self.show_session)

    def add_files_async(self, paths: list[str | Path], crs: str | None = None) -> Task | None:
        """Add data files as layers of the current scene (read, reprojected and prepared in the
        background); ``crs`` for files that declare none."""
        files = [Path(p) for p in paths]
        scene_crs = self.workspace.scene.crs
        options = {"crs": crs} if crs else {}
        themes = self.ask_themes(files)
        if themes is None:
            return None
        language = self.workspace.language

        def work(
            progress: Callable[[float, str], None], cancelled: Callable[[], bool]
        ) -> tuple[list[Layer], list[InputError]]:
            return open_files_for_scene(
                files,
                scene_crs,
                progress=progress,
                cancelled=cancelled,
                themes=themes,
                language=language,
                **options,
            )

        return self.tasks.start(
            work, self.tr("Reading {}…").format(", ".join(p.name for p in files)), self.add_layers
        )

    def show_session(self, session: Session) -> None:
        """Show a freshly opened project: its scene, its views, story and comments, then the
        questions about what could not be opened."""
        problems = self.session.load(session.project)
        self.workspace.install(session.scene, session.project)
        titles = {
            "story": self.tr("The story could not be read"),
            "views": self.tr("The views could not be read"),
        }
        for problem in problems:
            self.messages.show_input_error(problem, titles.get(problem.field or ""))
        last_camera, camera_damaged = read_last_camera(session.project.data)
        views = self.session.views
        if last_camera is not None:
            self.camera.restore_view(last_camera)
        elif views:
            self.camera.go_to_view(views[0], animate=False)
        else:
            self.camera.reset_camera(animate=False)
        self.session.mark_clean()  # panels filled from the new scene are not changes of the user
        self.autosaver.discard_pending()
        if session.recovered_at:
            self.session.mark_dirty()
            self.messages.inform(
                self.tr("Unsaved work recovered"),
                self.tr(
                    "Maquette was closed without saving this project. Its state autosaved at {} was restored "
                    "({} comments). Save the project to keep it."
                ).format(local_time_text(session.recovered_at), len(self.session.comments)),
            )
        errors = self.questions.ask_crs(session.report.errors, self._retry_with_crs)
        missing = [e for e in errors if isinstance(e, DataMissing)]
        others = [e for e in errors if not isinstance(e, DataMissing)]
        if others:
            self.messages.show_input_errors(others, self.tr("Some layers could not be opened"))
        if missing and session.report.missing:  # Locate… / Remove layer / Skip, one layer after the other
            self.questions.offer_missing(
                session.project,
                session.report.missing,
                self.relocate_layer,
                self.forget_layer,
                session.report.unreadable,
            )
        opened = self.tr("{} layers open.").format(len(session.scene.layers))
        if camera_damaged:
            opened += " " + self.tr("The last camera of the project could not be read: not restored.")
        self.status_bar.showMessage(opened, 8000 if camera_damaged else 5000)
        read = [session.project.path] if session.project.path else _sources(session.scene.layers)
        self.files_read.emit(read)
        self.opened.emit()

    def add_layers(self, result: tuple[list[Layer], list[InputError]]) -> None:
        """Put layers read in the background into the scene; ask or tell about the files that failed."""
        layers, errors = result
        scene = self.workspace.scene
        near: list[Layer] = []
        far: list[FarApart] = []
        for layer in layers:  # far from what is open, or from the files of this batch before it
            found = far_from([*scene.layers, *near], layer)
            if found is None:
                near.append(layer)
            else:
                far.append(found)
        for layer in near:
            scene.add(layer)
        if near:
            self.files_read.emit(_sources(near))
        if near and len(scene.layers) == len(near):
            self.camera.reset_camera(animate=False)
        if far:
            self.questions.ask_far_apart(
                far, lambda: self._open_far_alone(far), lambda: self._add_far_here(far)
            )
        QTimer.singleShot(0, self._warm_picking)
        errors = self.questions.ask_crs(errors, self._retry_with_crs)
        errors = self.questions.ask_locations(errors, self._retry_with_locations)
        self.messages.show_input_errors(errors)

    def _open_far_alone(self, far: list[FarApart]) -> None:
        """Open the files far from the open place as a scene of their own (in their own CRS)."""
        paths = [f.layer.source for f in far if f.layer.source is not None]
        if paths:
            self.open_paths_async(list(paths))

    def _add_far_here(self, far: list[FarApart]) -> None:
        """Add the files far from the open place to this scene after all (the user asked)."""
        for found in far:
            self.workspace.scene.add(found.layer)

    def relocate_layer(self, key: str, path: Path) -> Task:
        """Point the project's layer ``key`` at ``path`` and open it there (in the background)."""
        from layers.session.project import relocate, spec_key

        project, scene_crs = self.workspace.project, self.workspace.scene.crs
        spec = relocate(project, key, path)

        def work(
            progress: Callable[[float, str], None], cancelled: Callable[[], bool]
        ) -> tuple[list[Layer], list[InputError]]:
            return [open_spec_for_scene(project, spec, scene_crs, cancelled)], []

        def opened(result: tuple[list[Layer], list[InputError]]) -> None:
            project.unopened.discard(spec_key(spec))
            self.add_layers(result)

        return self.tasks.start(work, self.tr("Reading {}…").format(path.name), opened)

    def forget_layer(self, key: str) -> None:
        """Drop the project's layer ``key`` that could not be opened (the user removed it)."""
        from layers.session.project import forget_layer

        forget_layer(self.workspace.project, key)
        self.session.mark_dirty()

    def _retry_with_crs(self, path: Path, crs: str) -> Task | None:
        return self.add_files_async([path], crs=crs)

    def _retry_with_locations(self, path: Path, locations: str) -> Task:
        scene_crs = self.workspace.scene.crs

        def work(
            progress: Callable[[float, str], None], cancelled: Callable[[], bool]
        ) -> tuple[list[Layer], list[InputError]]:
            return open_files_for_scene(
                [path], scene_crs, kind="sensors", cancelled=cancelled, locations=locations
            )

        return self.tasks.start(work, self.tr("Reading {}…").format(path.name), self.add_layers)

    def _autosave_failed(self, message: str) -> None:
        self.status_bar.showMessage(self.tr("Autosave failed: {}").format(message), 15000)

    def _task_failed(self, exc: object, text: str) -> None:
        if isinstance(exc, OutputError):
            self.messages.show_output_error(exc)
        elif isinstance(exc, CRSMissing):
            self.questions.ask_crs([exc], self._retry_with_crs)
        elif isinstance(exc, InputError):
            self.messages.show_input_error(exc)
        else:
            self.messages.show_internal_error(exc, text)

    def _warm_picking(self) -> None:
        if self.workspace.scene_view is not None:
            self.workspace.scene_view.prepare_picking()

    # -- file dialogs, drops ------------------------------------------------------------------------
    def data_filter(self) -> str:
        return self.tr("Data") + f" ({DATA_PATTERNS});;" + self.tr("All files") + " (*)"

    def project_filter(self) -> str:
        return self.tr("Maquette project") + f" ({PROJECT_PATTERN})"

    def choose_data_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.window, self.tr("Open data"), "", self.data_filter())
        if paths:
            self.open_dropped([Path(p) for p in paths])

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Open project"), "", self.project_filter())
        if path:
            self.open_paths_async([path])

    def open_dropped(self, paths: list[Path]) -> None:
        """Files dropped on the window or chosen in File > Open data: a project opens, data is added."""
        projects = [p for p in paths if p.name.lower().endswith(".maquette.json")]
        if projects:
            self.open_paths_async(list(projects[:1]))
        data = [p for p in paths if p not in projects]
        if data:
            self.add_files_async(list(data))

    # -- the unsaved flag, autosave -------------------------------------------------------------------
    def _follow_scene(self) -> None:
        """Any change of the scene's layers, or of a layer's display, is a change of the session."""
        scene = self.workspace.scene
        scene.layer_added.connect(self._on_layer_added)
        scene.layer_removed.connect(self._on_layer_state)
        for layer in scene.layers:
            self._follow_layer(layer)
        QTimer.singleShot(0, self._warm_picking)

    def _follow_layer(self, layer: Layer) -> None:
        layer.visible_changed.connect(self._on_layer_state)
        layer.opacity_changed.connect(self._on_layer_state)
        layer.style_changed.connect(self._on_layer_state)
        layer.options_changed.connect(self._on_layer_state)

    def _on_layer_added(self, layer: Layer) -> None:
        self._follow_layer(layer)
        self.session.mark_dirty()

    def _on_layer_state(self, *_args: object) -> None:
        self.session.mark_dirty()

    def _on_edited(self) -> None:
        self.autosaver.changed()

    def document(self) -> dict[str, Any]:
        """The project document as it would be saved now (what autosave writes)."""
        project = self.workspace.project
        update_from_scene(project, self.workspace.scene)
        self.session.write_into(project.data)
        self._write_camera(project.data)
        return project.data

    def _write_camera(self, data: dict[str, Any]) -> None:
        """The camera as it is now, under ``"camera"`` (scene CRS metres): the project reopens there."""
        scene_view = self.workspace.scene_view
        if scene_view is not None and self.workspace.scene.origin is not None:
            data[CAMERA_KEY] = scene_view.current_view("camera").to_dict()

    # -- saving ---------------------------------------------------------------------------------
    def save(self) -> bool:
        project = self.workspace.project
        if project.path is None:
            return self.save_as()
        return self.save_to(project.path)

    def save_as(self) -> bool:
        start = str(self.workspace.project.path or Path.home() / "projet.maquette.json")
        path, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("Save project"), start, self.project_filter()
        )
        return self.save_to(Path(path)) if path else False

    def save_to(self, path: Path) -> bool:
        """Write the project to ``path`` (atomically); False, and a warning, when it cannot be."""
        from layers.io.outputs import check_not_inputs, same_file
        from layers.session.autosave import clear_autosave

        project = self.workspace.project
        data = [
            p for p in self.workspace.input_files() if project.path is None or not same_file(p, project.path)
        ]
        try:
            check_not_inputs([path], data)  # "Save as" over a layer's data would destroy it
        except InputError as exc:
            QMessageBox.warning(self.window, self.tr("Cannot save"), exc.one_line())
            return False
        try:
            update_from_scene(project, self.workspace.scene, folder=path.absolute().parent)
            self.session.write_into(project.data)
            self._write_camera(project.data)
            old_path = project.path
            saved = save_project(project, path)
        except OSError as exc:
            text = exc.one_line() if isinstance(exc, InputError) else f"{path}: {exc.strerror or exc}"
            QMessageBox.warning(self.window, self.tr("Cannot save"), text)
            return False
        self.session.mark_clean()
        clear_autosave(old_path)
        self.autosaver.clear()
        self.status_bar.showMessage(self.tr("Saved {}").format(saved), 5000)
        self.saved.emit(saved)
        return True

    def confirm_discard(self) -> bool:
        """Ask what to do with unsaved changes (save, discard, cancel); False when cancelled."""
        answer = QMessageBox.question(
            self.window,
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
