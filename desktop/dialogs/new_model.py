"""File › New model from open data…: a project of a place from a folder of downloads.

:class:`NewModelDialog` asks for the folder (or files), the place (the data's extent, a commune by
name or INSEE code, or a box) and the project to write. :func:`start_new_model` runs
:func:`layers.session.new_model.make_model` on the tasks controller (progress, Cancel: the window
never freezes), writes the project, shows the report (:class:`NewModelReport`: what each file became,
features in / shown / dropped, the files not used and why) and opens the new project.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from layers.core.messages import word
from layers.core.numbers import number

if TYPE_CHECKING:
    from layers.session.new_model import NewModel

    from ..controllers.tasks import TaskRunner
    from ..workers import Task


#: notes of a layer shown under its line in the report (a missing attribute table, defaults...)
MAX_NOTES = 3
#: kinds whose layers count pixels, not features (a terrain, a height model, a picture)
PIXEL_KINDS = frozenset({"terrain", "canopy", "raster"})


class NewModelDialog(QDialog):
    """What the new model is made of and where it is written; :meth:`request` after ``accepted``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New model from open data"))
        self.files: list[Path] = []
        intro = QLabel(
            self.tr(
                "Choose the folder of your downloads (BD TOPO, LiDAR HD, orthophotos, trees...). Maquette "
                "recognises each file, keeps what lies in the commune or the box, and writes a project."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.source = QLineEdit(self)
        self.source.setObjectName("source")
        folder_button = QPushButton(self.tr("Folder…"), self)
        folder_button.clicked.connect(self._choose_folder)
        files_button = QPushButton(self.tr("Files…"), self)
        files_button.clicked.connect(self._choose_files)
        source_row = QHBoxLayout()
        for widget in (self.source, folder_button, files_button):
            source_row.addWidget(widget)

        self.whole = QRadioButton(self.tr("All the data"), self)
        self.by_commune = QRadioButton(self.tr("A commune (name or INSEE code)"), self)
        self.by_box = QRadioButton(self.tr("A box (xmin, ymin, xmax, ymax)"), self)
        self.whole.setChecked(True)
        self.places = QButtonGroup(self)
        for button in (self.whole, self.by_commune, self.by_box):
            self.places.addButton(button)
        self.commune = QLineEdit(self)
        self.commune.setObjectName("commune")
        self.commune.textEdited.connect(lambda _text: self.by_commune.setChecked(True))
        self.box = QLineEdit(self)
        self.box.setObjectName("box")
        self.box.textEdited.connect(lambda _text: self.by_box.setChecked(True))
        self.box_crs = QLineEdit(self)
        self.box_crs.setPlaceholderText(self.tr("CRS of the box (default: degrees, else the data's)"))

        self.output = QLineEdit(self)
        self.output.setObjectName("output")
        output_button = QPushButton(self.tr("Choose…"), self)
        output_button.clicked.connect(self._choose_output)
        output_row = QHBoxLayout()
        output_row.addWidget(self.output)
        output_row.addWidget(output_button)

        form = QFormLayout()
        form.addRow(self.tr("Data"), source_row)
        form.addRow(self.whole)
        form.addRow(self.by_commune, self.commune)
        form.addRow(self.by_box, self.box)
        form.addRow("", self.box_crs)
        form.addRow(self.tr("Project"), output_row)
        self.error = QLabel("", self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Make the model"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self._accept_if_complete)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    # -- choosing -----------------------------------------------------------------------------
    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder of the downloads"))
        if folder:
            self.set_sources([Path(folder)])

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Files of the model"))
        if paths:
            self.set_sources([Path(p) for p in paths])

    def _choose_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Project to write"), "", self.tr("Maquette project") + " (*.maquette.json)"
        )
        if path:
            self.output.setText(path)

    def set_sources(self, paths: list[Path]) -> None:
        """The folder or files the model is made of (shown in the data field)."""
        self.files = list(paths)
        self.source.setText("; ".join(str(p) for p in paths))
        if not self.output.text() and paths:
            first = paths[0] if paths[0].is_dir() else paths[0].parent
            self.output.setText(str(first.parent / f"{first.name}.maquette.json"))

    # -- the request ---------------------------------------------------------------------------
    def request(self) -> dict[str, Any]:
        """The arguments of :func:`layers.session.new_model.make_model` the dialog asks for."""
        paths = (
            self.files
            if self.files
            else [Path(p.strip()) for p in self.source.text().split(";") if p.strip()]
        )
        return {
            "paths": paths,
            "output": Path(self.output.text().strip()),
            "commune": self.commune.text().strip() or None if self.by_commune.isChecked() else None,
            "bbox": self.box.text().strip() or None if self.by_box.isChecked() else None,
            "bbox_crs": self.box_crs.text().strip() or None if self.by_box.isChecked() else None,
        }

    def _accept_if_complete(self) -> None:
        asked = self.request()
        if not asked["paths"]:
            self.error.setText(self.tr("Choose the folder or the files of the model."))
        elif not self.output.text().strip():
            self.error.setText(self.tr("Choose the project to write."))
        elif self.by_commune.isChecked() and not asked["commune"]:
            self.error.setText(self.tr("Type the name or the INSEE code of the commune."))
        elif self.by_box.isChecked() and not asked["bbox"]:
            self.error.setText(self.tr("Type the box: xmin, ymin, xmax, ymax."))
        else:
            self.error.setText("")
            self.accept()


class NewModelReport(QDialog):
    """What the new model is made of: per file what it became and its features, the files not used."""

    def __init__(self, model: NewModel, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New model"))
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText("\n".join(self.lines(model, language)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Open the model"))
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(760, 480)

    def lines(self, model: NewModel, language: str) -> list[str]:
        """The report in the interface's language (the model's reasons through its catalogue)."""

        def n(value: int) -> str:
            return number(value, language, 0)

        out = [
            self.tr("Project: {}").format(model.project.path),
            self.tr("Area: {}").format(word(model.area.label, language)),
            "",
            self.tr("Layers:"),
        ]
        for account in model.layers:
            counted = (
                self.tr("{file}: {features_in} pixels, {shown} shown")
                if account.kind in PIXEL_KINDS
                else self.tr("{file}: {features_in} features, {shown} shown")
            )
            line = counted.format(
                file=account.label, features_in=n(account.features_in), shown=n(account.shown)
            )
            for why, count in account.dropped.items():
                line += "; " + self.tr("{count} dropped: {why}").format(
                    count=n(count), why=word(why, language)
                )
            if account.outside:
                line += "; " + self.tr("{count} outside the area, not read").format(count=n(account.outside))
            if not account.visible:
                line += " " + self.tr("(hidden)")
            out.append("  " + line)
            out += ["      ⚠ " + word(note, language) for note in account.warnings[:MAX_NOTES]]
        if model.unused:
            out += ["", self.tr("Files not used:")]
            out += [
                "  " + self.tr("{file}: {why}").format(file=name, why=word(why, language))
                for name, why in model.unused
            ]
        return out


def start_new_model(
    parent: QWidget,
    tasks: TaskRunner,
    open_project: Callable[[Path], object],
    language: str,
    dialog: NewModelDialog | None = None,
) -> Task | None:
    """Ask (unless ``dialog`` was already accepted), make and write the model in the background,
    show its report, then ``open_project(path)``; ``None`` when the user cancelled."""
    if dialog is None:
        dialog = NewModelDialog(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
    asked = dialog.request()

    def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> NewModel:
        from layers.session.new_model import make_model, write_model

        model = make_model(
            asked["paths"],
            asked["output"],
            commune=asked["commune"],
            bbox=asked["bbox"],
            bbox_crs=asked["bbox_crs"],
            language=language,
            progress=progress,
            cancelled=cancelled,
        )
        write_model(model)
        return model

    def made(model: NewModel) -> None:
        report = NewModelReport(model, language, parent)
        report.finished.connect(lambda _code: open_project(Path(str(model.project.path))))
        report.open()  # its parent keeps it alive while it is shown

    return tasks.start(work, dialog.tr("Making the model…"), made)
