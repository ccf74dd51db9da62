"""Sunlight dialog: hours of sun over a day, before / after a planned project.

The study runs off the GUI thread (:class:`desktop.workers.Task`) with a progress bar and a Cancel
button; its results come back as sunlight layers added to the scene (the difference shown, before
and after hidden, the planned project shown at its height) and as plain figures: the ground area
losing at least 1 h and 2 h of sun. The files are written in the folder the user picks (proposed:
beside the project, see :func:`layers.sunlight.study.default_results_folder`); the result says where.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from layers.buildings.planned import is_proposed
from layers.core.errors import InputError
from layers.core.messages import error_line
from layers.core.numbers import number
from layers.core.scene import Scene
from layers.session.project import Project
from layers.sunlight.study import StudyResult, default_results_folder, run_study

from ..qt_dates import to_date
from ..translation import interface_language
from ..workers import Task

STEPS_MIN = (10, 15, 30, 60)
RESOLUTIONS_M = (None, 0.5, 1.0, 2.0, 5.0)


class SunlightDialog(QDialog):
    """Choose a day, compute, read the figures; the layers land in the scene."""

    def __init__(
        self,
        parent: QWidget | None,
        scene: Scene,
        project: Project | None,
        day: date | None = None,
        area: tuple[float, float, float, float] | None = None,
    ) -> None:
        super().__init__(parent)
        self.scene, self.project = scene, project
        #: the ground looked at (scene CRS): studied when the buildings are too far apart for one grid
        self.area = area
        self.task: Task | None = None
        #: what the last study computed (its layers are in the scene)
        self.study_result: StudyResult | None = None
        self.setWindowTitle(self.tr("Sunlight"))
        self.setModal(False)
        proposed = [layer.name for layer in scene.layers if is_proposed(layer)]
        intro = QLabel(self)
        intro.setWordWrap(True)
        if proposed:
            intro.setText(
                self.tr(
                    "Hours of direct sun on the ground over the day, before and after the planned project: "
                    "{}."
                ).format(", ".join(proposed))
            )
        else:
            intro.setText(
                self.tr(
                    "Hours of direct sun on the ground over the day. To compare before / after a project, "
                    "mark its buildings layer as planned (right click in the layer panel)."
                )
            )
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        day = day or date.today()
        self.day.setDate(QDate(day.year, day.month, day.day))
        self.step = QComboBox(self)
        for minutes in STEPS_MIN:
            self.step.addItem(self.tr("{} min").format(minutes), minutes)
        self.step.setCurrentIndex(STEPS_MIN.index(15))
        self.resolution = QComboBox(self)
        for size in RESOLUTIONS_M:
            self.resolution.addItem(
                self.tr("automatic") if size is None else f"{number(size, interface_language())} m", size
            )
        self.folder = QLineEdit(str(default_results_folder(project, interface_language())), self)
        self.folder.setToolTip(self.tr("Folder where the study's GeoTIFF files are written"))
        choose = QPushButton(self.tr("Choose…"), self)
        choose.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.figures = QLabel("", self)
        self.figures.setWordWrap(True)
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.compute_button = QPushButton(self.tr("Compute"), self)
        self.compute_button.setDefault(True)
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button = QPushButton(self.tr("Cancel the computation"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        buttons.addButton(self.compute_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        form = QFormLayout()
        form.addRow(self.tr("Day"), self.day)
        form.addRow(self.tr("Time step"), self.step)
        form.addRow(self.tr("Resolution"), self.resolution)
        form.addRow(self.tr("Save in"), folder_row)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.figures)
        layout.addWidget(buttons)
        self.resize(520, 300)

    def choose_folder(self) -> None:
        """Ask for the folder the study's files go to."""
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Save the study in"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def compute(self) -> Task:
        """Start the study in the background."""
        day = to_date(self.day.date())
        step = float(self.step.currentData())
        resolution = self.resolution.currentData()
        folder = Path(self.folder.text().strip() or default_results_folder(self.project)).expanduser()
        scene, area, language = self.scene, self.area, interface_language()

        def work(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> StudyResult:
            return run_study(
                scene,
                day,
                folder,
                step_min=step,
                resolution_m=resolution,
                area=area,
                progress=progress,
                cancelled=cancelled,
                language=language,
            )

        self.task = Task(work, self)
        self.task.progressed.connect(lambda f, m: self.progress.setValue(int(f * 1000)))
        self.task.succeeded.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.cancelled.connect(lambda: self.figures.setText(self.tr("Computation cancelled.")))
        self.task.finished.connect(self._idle)
        self.progress.setValue(0)
        self.progress.show()
        self.compute_button.setEnabled(False)
        self.cancel_button.show()
        self.figures.setText(self.tr("Computing…"))
        self.task.start()
        return self.task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _idle(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.compute_button.setEnabled(True)

    def _done(self, result: StudyResult) -> None:
        self.study_result = result
        for layer in result.layers:
            self.scene.add(layer)  # the window follows the scene: its project is now unsaved
        for planned in self.scene.layers:  # the loss is read beside what causes it
            if is_proposed(planned):
                planned.visible = True
        folder = result.files[0].parent if result.files else ""
        self.figures.setText(
            self.figures_text(result.figures) + "\n" + self.tr("Files saved in: {}").format(folder)
        )

    def figures_text(self, figures: dict[str, Any]) -> str:
        """The study's figures in one short sentence in the interface's language (the polar night
        and the midnight sun said as such; the same as :func:`layers.sunlight.study.describe`)."""
        language = interface_language()
        day = QLocale().toString(
            QDate.fromString(str(figures["date"]), "yyyy-MM-dd"), QLocale.FormatType.ShortFormat
        )

        def area(value: float) -> str:
            return f"{number(value, language, 0)} m²"

        def hours(value: float) -> str:
            minutes = int(round(value * 60))
            return f"{minutes // 60} h {minutes % 60:02d}"

        if figures.get("polar") == "night":
            return self.tr(
                "On {day}, the sun does not rise at this latitude (polar night): no shadow, no hour of sun."
            ).format(day=day)
        if "area_loss_1h_m2" in figures:
            text = self.tr(
                "On {day}, the project takes at least 1 h of sun from {loss_1h} and at least 2 h from "
                "{loss_2h} of ground (largest loss: {largest}), within {margin} m of the project."
            ).format(
                day=day,
                loss_1h=area(figures["area_loss_1h_m2"]),
                loss_2h=area(figures["area_loss_2h_m2"]),
                largest=hours(figures["largest_loss_h"]),
                margin=number(figures["margin_m"], language, 0),
            )
        elif figures.get("area") == "view":
            text = self.tr(
                "On {day}, the ground looked at gets {mean} of direct sun on average (at most {most}); "
                "the buildings are too far apart for one study."
            ).format(day=day, mean=hours(figures["mean_hours"]), most=hours(figures["max_hours"]))
        else:
            text = self.tr(
                "On {day}, the ground gets {mean} of direct sun on average (at most {most})."
            ).format(day=day, mean=hours(figures["mean_hours"]), most=hours(figures["max_hours"]))
        if figures.get("polar") == "day":
            text += " " + self.tr("Midnight sun: it does not set that day.")
        return text

    def _failed(self, exc: object, text: str) -> None:
        if isinstance(exc, InputError):
            self.figures.setText("⚠ " + error_line(exc, interface_language()))
        else:
            self.figures.setText(self.tr("Unexpected error: {}").format(f"{type(exc).__name__}: {exc}"))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel()
        if self.task is not None and self.task.running:
            self.task.wait(5000)
        super().closeEvent(event)
