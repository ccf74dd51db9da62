"""The main window's Export menu: Image…, Video…, 3D model…, and Data (what the visible layers can
give as files: the heat surface at the clock time, hours of sunlight, shadows, comments...).

3D models are taken from the window's own view (its visuals are the ones drawn) on the GUI thread,
then written by a background task; data files are computed and written by a background task.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMenuBar

from layers.core.errors import InputError

MODEL_FILTER = "glTF binary (*.glb);;glTF (*.gltf);;Wavefront OBJ (*.obj)"
DATA_FILTERS = {".tif": "GeoTIFF (*.tif)", ".gpkg": "GeoPackage (*.gpkg)", ".geojson": "GeoJSON (*.geojson)"}


def build_export_menu(window: Any, bar: QMenuBar) -> tuple[QMenu, QMenu]:
    """Add the Export menu to ``window``'s menu ``bar``; returns it and its Data submenu (kept by
    the window as ``data_menu``, filled when it opens)."""
    menu = bar.addMenu(window.tr("E&xport"))
    for text, slot, shortcut in (
        (window.tr("Image…"), lambda: open_image_dialog(window), "Ctrl+E"),
        (window.tr("Video…"), lambda: open_video_dialog(window), "Ctrl+Shift+E"),
        (window.tr("3D model…"), lambda: export_model_file(window), None),
    ):
        action = menu.addAction(text)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
    data_menu = menu.addMenu(window.tr("Data"))
    data_menu.aboutToShow.connect(lambda: fill_data_menu(window))
    return menu, data_menu


def open_image_dialog(window: Any):
    from .export_image import ExportImageDialog

    if not window.scene.layers:
        window.statusBar().showMessage(window.tr("Nothing to export: open data first."), 5000)
        return None
    dialog = ExportImageDialog(window)
    window.export_dialog = dialog  # kept while it is open
    dialog.show()
    return dialog


def open_video_dialog(window: Any):
    from .export_video import ExportVideoDialog

    if not window.scene.layers:
        window.statusBar().showMessage(window.tr("Nothing to export: open data first."), 5000)
        return None
    dialog = ExportVideoDialog(window)
    window.export_dialog = dialog  # kept while it is open
    dialog.show()
    return dialog


def export_model_file(window: Any, path: str | Path | None = None):
    """Ask for a file (unless ``path``), take the meshes from the window's view, write in the background."""
    from viewer.export_mesh import collect
    from viewer.export_model import MODEL_SUFFIXES, check_model_output, write_model

    if window.scene_view is None or not window.scene.layers:
        return None
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            window, window.tr("Export 3D model"), str(Path.home() / "maquette.glb"), MODEL_FILTER
        )
        if not chosen:
            return None
        path = chosen
    path = Path(path)
    if path.suffix.lower() not in MODEL_SUFFIXES:
        path = path.with_suffix(".glb")
    try:
        check_model_output(path)
    except InputError as exc:
        window.show_input_error(exc)
        return None
    parts = collect(window.scene_view)
    if not parts:
        window.statusBar().showMessage(window.tr("Nothing visible to export."), 5000)
        return None
    scene = window.scene

    def work(progress, cancelled):
        progress(0.1, window.tr("Writing the 3D model…"))
        return write_model(parts, path, scene)

    return window.tasks.start(
        work, window.tr("Exporting the 3D model…"), lambda stats: _written(window, stats)
    )


def fill_data_menu(window: Any) -> None:
    from viewer.export_data import exportable

    menu = window.data_menu
    menu.clear()
    choices = exportable(window.scene, list(window.session.comments))
    for choice in choices:
        menu.addAction(choice.label, lambda c=choice: export_data_file(window, c))
    if not choices:
        action = menu.addAction(window.tr("(nothing to export in the visible layers)"))
        action.setEnabled(False)


def export_data_file(window: Any, choice, path: str | Path | None = None):
    """Ask for a file of a type ``choice`` takes (unless ``path``), write it in the background."""
    from viewer.export_data import write

    if path is None:
        filters = ";;".join(DATA_FILTERS.get(s, f"*{s}") for s in choice.suffixes)
        chosen, _ = QFileDialog.getSaveFileName(
            window, window.tr("Export data"), str(Path.home() / choice.default_name()), filters
        )
        if not chosen:
            return None
        path = chosen
    path = Path(path)
    if path.suffix.lower() not in choice.suffixes:
        path = path.with_suffix(choice.suffixes[0])
    scene, time = window.scene, window.scene.clock.time
    comments = list(window.session.comments)

    def work(progress, cancelled):
        progress(0.1, window.tr("Writing {}…").format(path.name))
        return write(choice, path, scene, time=time, comments=comments)

    return window.tasks.start(
        work, window.tr("Exporting {}…").format(choice.label), lambda stats: _written(window, stats)
    )


def _written(window: Any, stats: dict[str, Any]) -> None:
    window.statusBar().showMessage(window.tr("Written: {}").format(stats.get("output")), 8000)
