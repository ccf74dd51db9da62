"""The main window's Export menu: Image…, Video…, 3D model…, Data (what the visible layers can
give as files: the heat surface at the clock time, hours of sunlight, shadows, comments...), and
Planned project (the variant shown as footprints with heights, or as a 3D model with its roofs; the
figures of every variant as CSV).

3D models are taken from the window's own view (its visuals are the ones drawn) on the GUI thread,
then written by a background task; data files are computed and written by a background task.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMenu, QMenuBar

from layers.core.errors import InputError

from ..controllers.messages import Messages
from ..controllers.tasks import TaskRunner
from ..controllers.workspace import Workspace
from ..translation import interface_language
from ..workers import Task

if TYPE_CHECKING:
    from viewer.export_data import DataExport

    from .export_image import ExportImageDialog
    from .export_video import ExportVideoDialog

MODEL_FILTER = "glTF binary (*.glb);;glTF (*.gltf);;Wavefront OBJ (*.obj)"
#: Export › Planned project › Footprints: the filters, the WGS84 one last
PLAN_FILTERS = ("GeoPackage (*.gpkg)", "GeoJSON (*.geojson)", "GeoJSON WGS84, RFC 7946 (*.geojson)")
DATA_FILTERS = {".tif": "GeoTIFF (*.tif)", ".gpkg": "GeoPackage (*.gpkg)", ".geojson": "GeoJSON (*.geojson)"}


class ExportMenu(QObject):
    """The Export menu of ``window`` and what its entries do with ``workspace``'s scene.

    :meth:`build` adds the menu to the window's menu bar; 3D models and data files are written by
    ``tasks``; their problems are shown by ``messages``.
    """

    def __init__(
        self, window: QMainWindow, workspace: Workspace, tasks: TaskRunner, messages: Messages
    ) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        self.tasks = tasks
        self.messages = messages
        #: the export dialog open now (kept alive while it is open)
        self.dialog: QDialog | None = None
        self.menu: QMenu | None = None
        #: Data: filled when it opens, from the visible layers
        self.data_menu: QMenu | None = None
        #: the two times of View › Compare two moments, ``None`` while the view is not split (set by
        #: the window): Export › Image… then offers both moments side by side
        self.compare_times: Callable[[], tuple[datetime, datetime] | None] | None = None

    def build(self, bar: QMenuBar) -> tuple[QMenu, QMenu]:
        """Add the Export menu to the menu ``bar``; returns it and its Data submenu."""
        menu = bar.addMenu(self.tr("E&xport"))
        entries: tuple[tuple[str, Callable[[], object], str | None], ...] = (
            (self.tr("Image…"), lambda: self.open_image_dialog(), "Ctrl+E"),
            (self.tr("Video…"), lambda: self.open_video_dialog(), "Ctrl+Shift+E"),
            (self.tr("3D model…"), lambda: self.export_model_file(), None),
            (self.tr("3D Tiles for the web…"), lambda: self.export_3dtiles(), None),
            (self.tr("Story as web page…"), lambda: self.export_story_page(), None),
        )
        for text, slot, shortcut in entries:
            action = menu.addAction(text)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
        data_menu = menu.addMenu(self.tr("Data"))
        data_menu.aboutToShow.connect(self.fill_data_menu)
        plan_menu = menu.addMenu(self.tr("Planned project"))
        plan_menu.addAction(
            self.tr("Footprints of the variant shown…"), lambda: self.export_plan_footprints()
        )
        plan_menu.addAction(self.tr("3D model of the variant shown…"), lambda: self.export_plan_model())
        plan_menu.addAction(self.tr("Figures of the variants (CSV)…"), lambda: self.export_plan_figures())
        plan_menu.aboutToShow.connect(self._enable_plan_entries)
        self.plan_menu = plan_menu
        self.menu, self.data_menu = menu, data_menu
        return menu, data_menu

    def _show_status(self, text: str, timeout_ms: int) -> None:
        self.window.statusBar().showMessage(text, timeout_ms)

    # -- picture and video ----------------------------------------------------------------------
    def open_image_dialog(self) -> ExportImageDialog | None:
        from .export_image import ExportImageDialog

        if not self.workspace.scene.layers:
            self._show_status(self.tr("Nothing to export: open data first."), 5000)
            return None
        dialog = ExportImageDialog(self.window, self.workspace, self.compare_times)
        self._keep_while_open(dialog)
        dialog.show()
        return dialog

    def open_video_dialog(self) -> ExportVideoDialog | None:
        from .export_video import ExportVideoDialog

        if not self.workspace.scene.layers:
            self._show_status(self.tr("Nothing to export: open data first."), 5000)
            return None
        dialog = ExportVideoDialog(self.window, self.workspace)
        self._keep_while_open(dialog)
        dialog.show()
        return dialog

    def _keep_while_open(self, dialog: QDialog) -> None:
        """Hold ``dialog`` in :attr:`dialog` while it is open; closed, it is deleted (a child of the
        window would otherwise live as long as the window, with its twin scene and preview)."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: self._forget(dialog))
        self.dialog = dialog

    def _forget(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    # -- files written in the background --------------------------------------------------------
    def export_model_file(self, path: str | Path | None = None) -> Task | None:
        """Ask for a file (unless ``path``), take the meshes from the window's view, write in the
        background."""
        from viewer.export_mesh import collect
        from viewer.export_model import MODEL_SUFFIXES, check_model_output, write_model

        scene_view, scene = self.workspace.scene_view, self.workspace.scene
        if scene_view is None or not scene.layers:
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self.window, self.tr("Export 3D model"), str(Path.home() / "maquette.glb"), MODEL_FILTER
            )
            if not chosen:
                return None
            path = chosen
        output = Path(path)
        if output.suffix.lower() not in MODEL_SUFFIXES:
            output = output.with_suffix(".glb")
        try:
            check_model_output(output)
            self.workspace.check_outputs(output)
        except InputError as exc:
            self.messages.show_output_error(exc, self.tr("Cannot export"))
            return None
        parts = collect(scene_view)
        if not parts:
            self._show_status(self.tr("Nothing visible to export."), 5000)
            return None
        writing = self.tr("Writing the 3D model…")

        def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> dict[str, Any]:
            progress(0.1, writing)
            return write_model(parts, output, scene)

        return self.tasks.start(work, self.tr("Exporting the 3D model…"), self._written)

    def export_3dtiles(self, path: str | Path | None = None) -> Task | None:
        """Ask for a folder (unless ``path``), write the visible buildings there as 3D Tiles 1.1 in
        the background, with the offline CesiumJS page (``index.html``) in the interface's language
        when the CesiumJS copy is there."""
        from layers.tiles3d.folder import check_folder_target
        from layers.tiles3d.scene import scene_buildings, scene_extras
        from layers.tiles3d.writer import TILESET, write_tileset
        from layers.web.cesium_build import find_cesium_build
        from layers.web.viewer_page import write_viewer

        scene = self.workspace.scene
        if path is None:
            path = self._ask_folder(self.tr("Export 3D Tiles: an empty folder, or an earlier export"))
            if path is None:
                return None
        output = Path(path)
        try:
            check_folder_target(output, TILESET)
            inside = output.resolve()
            for source in self.workspace.input_files():
                if inside in Path(source).resolve().parents:
                    raise InputError(
                        output, "cannot write there: it holds an input of the export", hint=str(source)
                    )
        except InputError as exc:
            self.messages.show_output_error(exc, self.tr("Cannot export"))
            return None
        buildings, colours = scene_buildings(scene)  # on this thread: the layers are the window's
        if not len(buildings):
            self._show_status(self.tr("No visible buildings to export as 3D Tiles."), 5000)
            return None
        extras, language = scene_extras(scene), interface_language()
        writing = self.tr("Writing the 3D Tiles…")

        def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> dict[str, Any]:
            progress(0.05, writing)
            stats = write_tileset(buildings, output, colors=colours, extras=extras)
            try:
                build = find_cesium_build()
            except InputError:
                return stats  # the tileset alone: QGIS and other clients open it
            stats["viewer"] = str(write_viewer(output, language=language, build=build).index)
            return stats

        return self.tasks.start(work, self.tr("Exporting 3D Tiles…"), self._written)

    def export_story_page(self, path: str | Path | None = None) -> Task | None:
        """Ask for a folder (unless ``path``), write the story as an offline web page there in the
        background (:mod:`layers.web.story_page`), in the interface's language; the scene is read
        here, on the GUI thread."""
        from layers.session.project import project_title
        from layers.session.story import Story
        from layers.tiles3d.folder import check_folder_target
        from layers.web.cesium_build import find_cesium_build
        from layers.web.story_page import STORY_JSON, prepare_story_page, write_prepared_page
        from viewer.story_overlays import story_overlays

        session = self.workspace.session
        if not session.steps:
            self._show_status(self.tr("The story has no steps to publish."), 5000)
            return None
        if path is None:
            path = self._ask_folder(self.tr("Story as web page: an empty folder, or an earlier one"))
            if path is None:
                return None
        output = Path(path)
        try:
            check_folder_target(output, STORY_JSON)
            build = find_cesium_build()
            story = Story(list(session.steps))
            page = prepare_story_page(
                self.workspace.scene,
                story,
                {view.name: view for view in session.views},
                language=interface_language(),
                title=project_title(self.workspace.project),
                overlays=story_overlays(
                    self.workspace.scene, story, language=interface_language(), twin=True
                ),
            )
        except InputError as exc:
            self.messages.show_output_error(exc, self.tr("Cannot export"))
            return None
        writing = self.tr("Writing the story page…")

        def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> dict[str, Any]:
            progress(0.05, writing)
            return write_prepared_page(page, output, build=build)

        return self.tasks.start(work, self.tr("Exporting the story page…"), self._story_written)

    def _ask_folder(self, title: str) -> str | None:
        """A folder chosen in the system's dialog, ``None`` when the user cancels."""
        chosen = QFileDialog.getExistingDirectory(self.window, title, str(Path.home()))
        return chosen or None

    def fill_data_menu(self) -> None:
        from viewer.export_data import exportable

        menu = self.data_menu
        if menu is None:
            return
        menu.clear()
        choices = exportable(
            self.workspace.scene, list(self.workspace.session.comments), language=interface_language()
        )
        for choice in choices:
            menu.addAction(choice.label, self._data_file_slot(choice))
        if not choices:
            action = menu.addAction(self.tr("(nothing to export in the visible layers)"))
            action.setEnabled(False)

    def _data_file_slot(self, choice: DataExport) -> Callable[[], object]:
        return lambda: self.export_data_file(choice)

    def export_data_file(self, choice: DataExport, path: str | Path | None = None) -> Task | None:
        """Ask for a file of a type ``choice`` takes (unless ``path``), write it in the background."""
        from viewer.export_data import write

        if path is None:
            filters = ";;".join(DATA_FILTERS.get(s, f"*{s}") for s in choice.suffixes)
            chosen, _ = QFileDialog.getSaveFileName(
                self.window, self.tr("Export data"), str(Path.home() / choice.default_name()), filters
            )
            if not chosen:
                return None
            path = chosen
        output = Path(path)
        if output.suffix.lower() not in choice.suffixes:
            output = output.with_suffix(choice.suffixes[0])
        try:
            self.workspace.check_outputs(output)
        except InputError as exc:
            self.messages.show_output_error(exc, self.tr("Cannot export"))
            return None
        scene = self.workspace.scene
        time = scene.clock.time
        comments = list(self.workspace.session.comments)
        writing = self.tr("Writing {}…").format(output.name)

        def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> dict[str, Any]:
            progress(0.1, writing)
            return write(choice, output, scene, time=time, comments=comments)

        return self.tasks.start(work, self.tr("Exporting {}…").format(choice.label), self._written)

    # -- the planned project ------------------------------------------------------------------------
    def _enable_plan_entries(self) -> None:
        for action in self.plan_menu.actions():
            action.setEnabled(self.workspace.session.plan is not None)

    def _plan_output(
        self, title: str, start: str, filters: str, path: str | Path | None
    ) -> tuple[Path, str] | None:
        """The file asked for (unless ``path``) and the filter chosen; ``None`` when cancelled, or
        when it may not be written (said in a message box)."""
        chosen_filter = ""
        if path is None:
            chosen, chosen_filter = QFileDialog.getSaveFileName(
                self.window, title, str(Path.home() / start), filters
            )
            if not chosen:
                return None
            path = chosen
        output = Path(path)
        try:
            self.workspace.check_outputs(output)
        except InputError as exc:
            self.messages.show_output_error(exc, self.tr("Cannot export"))
            return None
        return output, chosen_filter

    def export_plan_footprints(self, path: str | Path | None = None, wgs84: bool = False) -> Task | None:
        """The variant shown as footprints with heights: GeoPackage or GeoJSON in the scene CRS, or
        GeoJSON in WGS84 (RFC 7946), written in the background."""
        from layers.plan.export import write_variant

        plan = self.workspace.session.plan
        if plan is None:
            return None
        asked = self._plan_output(
            self.tr("Export the planned project"),
            f"projet-{plan.variant.name}.gpkg",
            ";;".join(PLAN_FILTERS),
            path,
        )
        if asked is None:
            return None
        output, chosen_filter = asked
        wgs84 = wgs84 or chosen_filter == PLAN_FILTERS[-1]
        if output.suffix.lower() not in (".gpkg", ".geojson", ".json"):
            output = output.with_suffix(".geojson" if wgs84 or "GeoJSON" in chosen_filter else ".gpkg")
        variant, crs = plan.variant, self.workspace.scene.crs

        def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> dict[str, Any]:
            return {"output": write_variant(variant, crs, output, wgs84=wgs84)}

        return self._start_plan_job(work, output)

    def export_plan_figures(self, path: str | Path | None = None) -> Task | None:
        """The figures of every variant side by side (one column each) as CSV."""
        from layers.plan.export import write_figures_csv
        from layers.plan.study import VariantStudy, study_day

        plan = self.workspace.session.plan
        if plan is None:
            return None
        asked = self._plan_output(self.tr("Export the figures"), "variantes.csv", "CSV (*.csv)", path)
        if asked is None:
            return None
        output = asked[0] if asked[0].suffix.lower() == ".csv" else asked[0].with_suffix(".csv")
        scene, language = self.workspace.scene, interface_language()
        day = study_day(plan, scene.clock.time)

        def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> dict[str, Any]:
            figures = VariantStudy(scene, day).all(plan.variants)
            return {"output": write_figures_csv(figures, output, language)}

        return self._start_plan_job(work, output)

    def export_plan_model(self, path: str | Path | None = None) -> Task | None:
        """The variant shown in 3D, with its roofs, as the view draws it (glTF or OBJ)."""
        from layers.plan.scene import plan_layer
        from viewer.export_mesh import collect
        from viewer.export_model import MODEL_SUFFIXES, check_model_output, write_model

        scene_view, scene = self.workspace.scene_view, self.workspace.scene
        layer = plan_layer(scene)
        if scene_view is None or layer is None or self.workspace.session.plan is None:
            return None
        start = f"projet-{self.workspace.session.plan.variant.name}.glb"
        asked = self._plan_output(self.tr("Export 3D model"), start, MODEL_FILTER, path)
        if asked is None:
            return None
        output = asked[0] if asked[0].suffix.lower() in MODEL_SUFFIXES else asked[0].with_suffix(".glb")
        try:
            check_model_output(output)
        except InputError as exc:
            self.messages.show_output_error(exc, self.tr("Cannot export"))
            return None
        parts = [part for part in collect(scene_view) if part.layer == layer.name]
        if not parts:
            self._show_status(self.tr("Nothing visible to export."), 5000)
            return None

        def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> dict[str, Any]:
            return write_model(parts, output, scene)

        return self._start_plan_job(work, output)

    def _start_plan_job(self, work: Callable[..., dict[str, Any]], output: Path) -> Task:
        return self.tasks.start(work, self.tr("Writing {}…").format(output.name), self._written)

    def _story_written(self, stats: dict[str, Any]) -> None:
        if stats.get("opens_from_disk", True):
            self._written(stats)
            return
        message = self.tr("Written: {} (too large to open from the disk: put the folder on a web host)")
        self._show_status(message.format(stats.get("output")), 12000)

    def _written(self, stats: dict[str, Any]) -> None:
        self._show_status(self.tr("Written: {}").format(stats.get("output")), 8000)
