"""Export › Video: an MP4 (or a GIF for slides) of a time replay or of the story.

Frames are rendered on the GUI thread — VTK stays on one thread — one per event-loop turn, in a
twin of the window's scene (own clock and camera), and encoded on a worker thread
(:class:`viewer.video.ThreadedEncoder`); the window keeps answering, a progress bar counts frames
and Cancel deletes the partial file. A story video applies each step to the shared layers as
presentation mode does; the layers' visibility, opacity and styles are put back afterwards.
"""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from time import perf_counter
from typing import Any

from PySide6.QtCore import QDateTime, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
)

from layers.core.base import Layer
from layers.core.errors import InputError
from layers.core.numbers import number
from layers.core.style import LayerStyle
from layers.core.timeutil import zone
from layers.session.project import project_title
from viewer.export_image import ExportView, default_credits
from viewer.video_export import VideoJob
from viewer.video_plan import DEFAULT_REPLAY_S, ReplayPlan, StoryPlan

from ..controllers.workspace import Workspace
from ..qt_dates import to_naive_datetime
from ..translation import interface_language
from .export_burn import BurnInBox

SIZES: list[tuple[str, tuple[int, int]]] = [
    ("1280 × 720 (HD)", (1280, 720)),
    ("1920 × 1080 (Full HD)", (1920, 1080)),
    ("3840 × 2160 (4K)", (3840, 2160)),
    ("800 × 450 (GIF for slides)", (800, 450)),
]


class ExportVideoDialog(QDialog):
    """Replay or story, size, frame rate, what is burned in, output file; Start / Cancel.

    Films ``workspace``'s scene; says in ``window``'s status bar where the video went.
    """

    def __init__(self, window: QMainWindow, workspace: Workspace) -> None:
        super().__init__(window)
        self.main_window = window
        self.workspace = workspace
        self.setWindowTitle(self.tr("Export video"))
        self.job: VideoJob | None = None
        self.export: ExportView | None = None
        #: a story video's layers as they were (layer, visible, opacity, style), put back afterwards
        self._saved_layers: list[tuple[Layer[Any], bool, float, LayerStyle]] | None = None
        self._saved_dirty = False
        self._t0 = 0.0
        self.last_stats: dict[str, Any] | None = None
        scene = workspace.scene
        tz = zone(scene.timezone)
        self.replay = QRadioButton(self.tr("Time replay"), self)
        steps = workspace.session.steps
        self.story = QRadioButton(self.tr("The story ({} steps)").format(len(steps)), self)
        group = QButtonGroup(self)
        group.addButton(self.replay)
        group.addButton(self.story)
        self.replay.setChecked(True)
        self.story.setEnabled(bool(steps))
        self.start_edit, self.end_edit = QDateTimeEdit(self), QDateTimeEdit(self)
        clock = scene.clock
        for edit, value in ((self.start_edit, clock.start), (self.end_edit, clock.end)):
            edit.setDisplayFormat("dd/MM/yyyy HH:mm")
            edit.setCalendarPopup(True)
            if value is not None:
                local = value.astimezone(tz)
                edit.setDateTime(QDateTime(local.year, local.month, local.day, local.hour, local.minute, 0))
        has_time = clock.start is not None
        self.replay.setEnabled(has_time)
        if not has_time and self.story.isEnabled():
            self.story.setChecked(True)
        self.duration = QDoubleSpinBox(self)
        self.duration.setRange(1.0, 600.0)
        self.duration.setValue(DEFAULT_REPLAY_S)
        self.duration.setSuffix(" s")
        self.size_box = QComboBox(self)
        for label, size in SIZES:
            self.size_box.addItem(label, size)
        self.size_box.setCurrentIndex(max(0, self.size_box.findData((1920, 1080))))
        self.fps = QSpinBox(self)
        self.fps.setRange(5, 60)
        self.fps.setValue(25)
        self.fps.setSuffix(" fps")
        self.output = QLineEdit(str(Path.home() / "maquette.mp4"), self)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self.choose_file)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)
        self.burn = BurnInBox(
            project_title(workspace.project) or self.tr("Untitled"),
            default_credits(scene, workspace.language),
            self,
            caption=True,
            comments=workspace.session.comments,
        )
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.status = QLabel("", self)
        self.start_button = QPushButton(self.tr("Start"), self)
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button.hide()  # shown while exporting (addButton shows it)
        form = QFormLayout()
        form.addRow(self.replay)
        form.addRow(self.tr("From"), self.start_edit)
        form.addRow(self.tr("To"), self.end_edit)
        form.addRow(self.tr("Video length"), self.duration)
        form.addRow(self.story)
        form.addRow(self.tr("Size"), self.size_box)
        form.addRow(self.tr("Frame rate"), self.fps)
        form.addRow(self.tr("File"), out_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.burn)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.size_box.currentIndexChanged.connect(self._size_chosen)
        self.resize(560, 560)

    def _size_chosen(self) -> None:
        gif = self.size_box.currentData() == (800, 450)
        path = Path(self.output.text())
        self.output.setText(str(path.with_suffix(".gif" if gif else ".mp4")))
        if gif:
            self.fps.setValue(10)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export video"), self.output.text(), "MP4 (*.mp4);;GIF (*.gif)"
        )
        if path:
            self.output.setText(path)

    # -- running ---------------------------------------------------------------------------------
    def _times(self) -> tuple[datetime, datetime]:
        tz = zone(self.workspace.scene.timezone)
        start = to_naive_datetime(self.start_edit.dateTime()).replace(tzinfo=tz)
        end = to_naive_datetime(self.end_edit.dateTime()).replace(tzinfo=tz)
        return start, end

    def start(self) -> None:
        """Build the plan and the off-screen view, then render frame after frame."""
        from layers.session.story import Story
        from viewer.video import check_video_output, even_size

        workspace = self.workspace
        output = Path(self.output.text()).expanduser()
        plan: StoryPlan | ReplayPlan
        try:
            gif = check_video_output(output) == "gif"
            workspace.check_outputs(output)
            width, height = self.size_box.currentData()
            size = (width, height) if gif else even_size((width, height))
            fps = float(self.fps.value())
            if self.story.isChecked():
                story = Story([copy.deepcopy(step) for step in workspace.session.steps])
                plan = StoryPlan(story, list(workspace.session.views), fps)
            else:
                start, end = self._times()
                plan = ReplayPlan(
                    start,
                    end,
                    max(1.0, (end - start).total_seconds() / max(self.duration.value() * fps - 1, 1)),
                    fps,
                )
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Cannot export"), exc.one_line())
            return
        if self.story.isChecked():  # steps change the shared layers: put them back afterwards
            self._saved_layers = [
                (layer, layer.visible, layer.opacity, layer.style) for layer in workspace.scene.layers
            ]
            self._saved_dirty = workspace.session.dirty
        if workspace.scene_view is not None:
            workspace.scene_view.auto_render = False  # the window does not redraw every fade
        self.export = ExportView(
            workspace.scene,
            twin=True,
            like=workspace.scene_view,
            burn=self.burn.burn_in(),
            title=self.burn.title_text.text(),
            language=workspace.language,
            size=size,
        )
        self.export.set_antialias("fxaa")
        options: dict[str, Any] = {} if gif else {"crf": 20, "preset": "veryfast"}
        try:
            self.job = VideoJob(self.export, plan, output, size=size, fps=fps, **options)
        except Exception as exc:  # noqa: BLE001 - e.g. an unwritable file
            self._cleanup()
            text = exc.one_line() if isinstance(exc, InputError) else f"{output}: {exc}"
            QMessageBox.warning(self, self.tr("Cannot export"), text)
            return
        self._t0 = perf_counter()
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.start_button.setEnabled(False)
        QTimer.singleShot(0, self._next_frame)

    def _next_frame(self) -> None:
        job = self.job
        if job is None:
            return
        try:
            more = job.step()
        except Exception as exc:  # noqa: BLE001 - shown; the partial file is removed
            job.cancel()
            self._cleanup()
            QMessageBox.warning(self, self.tr("Cannot export"), _said(exc))
            return
        self.progress.setValue(int(job.fraction * 1000))
        elapsed = perf_counter() - self._t0
        left = elapsed / max(job.done, 1) * (job.total - job.done)
        self.status.setText(self.tr("Frame {} of {} — about {:.0f} s left").format(job.done, job.total, left))
        if more:
            QTimer.singleShot(0, self._next_frame)
            return
        try:
            stats = job.finish()
        except Exception as exc:  # noqa: BLE001 - shown; the partial file is removed
            job.cancel()
            self._cleanup()
            QMessageBox.warning(self, self.tr("Cannot export"), _said(exc))
            return
        self.last_stats = stats
        self._cleanup()
        self.status.setText(
            self.tr("{} frames, {} s of video, written to {}").format(
                stats["frames"], number(stats["seconds"], interface_language(), 1), stats["output"]
            )
        )
        self.main_window.statusBar().showMessage(self.tr("Video saved: {}").format(stats["output"]), 8000)

    def cancel(self) -> None:
        if self.job is not None and not self.job.finished:
            self.job.cancel()
            self.status.setText(self.tr("Cancelled; the partial file was deleted."))
        self._cleanup()

    def _cleanup(self) -> None:
        self.job = None
        if self.export is not None:
            self.export.close()
            self.export = None
        workspace = self.workspace
        if self._saved_layers is not None:
            for layer, visible, opacity, style in self._saved_layers:
                layer.replace_style(style)
                layer.opacity = opacity
                layer.visible = visible
            self._saved_layers = None
            if not self._saved_dirty:  # the layers are back as they were: so is the project
                workspace.session.mark_clean()
        if workspace.scene_view is not None:
            workspace.scene_view.auto_render = True
            workspace.scene_view.request_render()
        self.progress.hide()
        self.cancel_button.hide()
        self.start_button.setEnabled(True)

    @property
    def busy(self) -> bool:
        return self.job is not None

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel()
        super().closeEvent(event)


def _said(exc: Exception) -> str:
    """What a message box says of a failed export: the one line of a user's problem (the disk is
    full...), else the exception."""
    return exc.one_line() if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
