"""Export › Image: a picture for a report or a poster, at any size up to 7680×4320.

The dialog draws a *twin* of the window's scene off screen (:class:`viewer.export_image.ExportView`:
same layers, own clock and camera) and shows a live thumbnail of the frame as it will be written —
the picture's shape, legends and text shrunk with it — refreshed when an option changes and when
the window's camera or clock moves. The export itself is drawn a tile at a time between events
(VTK stays on the GUI thread; the window keeps answering) with a progress bar and Cancel.

An export allocates and frees some hundred megabytes (the frame buffers of a Full HD or larger
off-screen frame, tiles, the picture): glibc keeps such freed pages resident, so they are handed
back (:func:`desktop.heap.give_back`) when a picture is written and when the dialog closes.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import datetime
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QImage, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from layers.core.errors import InputError
from layers.core.numbers import number
from layers.session.project import project_title
from layers.session.views import CameraView
from viewer.export_image import A3_300DPI, A4_300DPI, MAX_SIZE, ExportView, default_credits, write_image

from .. import heap
from ..controllers.workspace import Workspace
from ..translation import interface_language
from .export_burn import BurnInBox

#: (label, (width, height), dpi written in the file)
PRESETS: list[tuple[str, tuple[int, int], int | None]] = [
    ("Full HD — 1920 × 1080", (1920, 1080), None),
    ("4K UHD — 3840 × 2160", (3840, 2160), None),
    ("8K UHD — 7680 × 4320", (7680, 4320), None),
    ("A4 landscape, 300 dpi — 3508 × 2480", A4_300DPI, 300),
    ("A4 portrait, 300 dpi — 2480 × 3508", A4_300DPI[::-1], 300),
    ("A3 landscape, 300 dpi — 4961 × 3508", A3_300DPI, 300),
    ("A3 portrait, 300 dpi — 3508 × 4961", A3_300DPI[::-1], 300),
]
PREVIEW_BOX = (520, 360)
#: tiles drawn between two events while exporting (pixels a side): about a second each on a CPU
GUI_TILE = 2048
CAMERA_POLL_MS = 600


def numpy_pixmap(image: np.ndarray) -> QPixmap:
    """A pixmap of an (height, width, 3) uint8 picture."""
    height, width, _ = image.shape
    qimage = QImage(image.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(qimage.copy())


class ExportImageDialog(QDialog):
    """Size presets, what is burned in, a live thumbnail, Export…

    Draws ``workspace``'s scene; says in ``window``'s status bar where the picture went.
    """

    def __init__(
        self,
        window: QMainWindow,
        workspace: Workspace,
        compare_times: Callable[[], tuple[datetime, datetime] | None] | None = None,
    ) -> None:
        super().__init__(window)
        #: the two times of View › Compare two moments (``None`` while the view is not split)
        self.compare_times = compare_times or (lambda: None)
        self.main_window = window
        self.workspace = workspace
        self.setWindowTitle(self.tr("Export image"))
        self.export: ExportView | None = None
        self._steps: Generator[np.ndarray | float, None, None] | None = None
        self._output: Path | None = None
        self._last_view: CameraView | None = None
        #: the last picture written
        self.last_output: Path | None = None
        self.size_box = QComboBox(self)
        for label, size, _dpi in PRESETS:
            self.size_box.addItem(label, size)
        self.size_box.addItem(self.tr("Custom"), None)
        self.width_box, self.height_box = QSpinBox(self), QSpinBox(self)
        for box, top in ((self.width_box, MAX_SIZE[0]), (self.height_box, MAX_SIZE[1])):
            box.setRange(16, top)
            box.setSuffix(" px")
        self.width_box.setValue(1920)
        self.height_box.setValue(1080)
        sizes = QHBoxLayout()
        sizes.addWidget(self.width_box)
        sizes.addWidget(QLabel("×", self))
        sizes.addWidget(self.height_box)
        scene = workspace.scene
        self.burn = BurnInBox(
            project_title(workspace.project) or self.tr("Untitled"),
            default_credits(scene, workspace.language),
            self,
            comments=workspace.session.comments,
        )
        self.both_box = QCheckBox(self.tr("Both moments side by side"), self)
        self.both_box.setToolTip(
            self.tr("The two halves of the split view, each at its time, in one picture")
        )
        self.both_box.setChecked(self.compare_times() is not None)
        self.both_box.setVisible(self.compare_times() is not None)
        self.preview = QLabel(self)
        self.preview.setFixedSize(*PREVIEW_BOX)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: #d8dde3;")
        self.info = QLabel("", self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.choose_file)
        self.cancel_button = QPushButton(self.tr("Cancel export"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button.hide()  # shown while exporting (addButton shows it)
        form = QFormLayout()
        form.addRow(self.tr("Size"), self.size_box)
        form.addRow("", self._wrap(sizes))
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.both_box)
        right.addWidget(self.burn)
        right.addWidget(self.info)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(self.preview)
        columns.addLayout(right)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.progress)
        layout.addWidget(buttons)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(150)
        self._refresh.timeout.connect(self.update_preview)
        self._poll = QTimer(self)
        self._poll.setInterval(CAMERA_POLL_MS)
        self._poll.timeout.connect(self._follow_window)
        self.size_box.currentIndexChanged.connect(self._preset_chosen)
        for box in (self.width_box, self.height_box):
            box.valueChanged.connect(self._size_edited)
        self.burn.changed.connect(self._refresh.start)
        self.both_box.toggled.connect(lambda _on: self._refresh.start())
        self._preset_chosen()

    @staticmethod
    def _wrap(layout: QLayout) -> QWidget:
        widget = QWidget()
        layout.setContentsMargins(0, 0, 0, 0)
        widget.setLayout(layout)
        return widget

    # -- options ---------------------------------------------------------------------------------
    def picture_size(self) -> tuple[int, int]:
        return int(self.width_box.value()), int(self.height_box.value())

    def dpi(self) -> int | None:
        index = self.size_box.currentIndex()
        return PRESETS[index][2] if index < len(PRESETS) else None

    def _preset_chosen(self) -> None:
        size = self.size_box.currentData()
        custom = size is None
        for box in (self.width_box, self.height_box):
            box.setEnabled(custom)
        if size is not None:
            for box, value in ((self.width_box, size[0]), (self.height_box, size[1])):
                box.blockSignals(True)
                box.setValue(value)
                box.blockSignals(False)
        self._refresh.start()

    def _size_edited(self) -> None:
        self._refresh.start()

    # -- preview ---------------------------------------------------------------------------------
    def ensure_export(self) -> ExportView:
        if self.export is None:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.export = ExportView(
                    self.workspace.scene,
                    twin=True,
                    like=self.workspace.scene_view,
                    title=self.burn.title_text.text(),
                    language=self.workspace.language,
                    size=self.picture_size(),
                )
            finally:
                QApplication.restoreOverrideCursor()
        return self.export

    def _sync(self) -> None:
        """The export view takes the window's camera and clock."""
        export = self.ensure_export()
        main = self.workspace.scene_view
        if main is not None:
            self._last_view = main.current_view()
            export.view.go_to(self._last_view)
        source, clock = self.workspace.scene.clock, export.scene.clock
        if source.time is not None and clock.time != source.time:
            clock.time = source.time
        export.set_burn(self.burn.burn_in())

    def both_times(self) -> tuple[datetime, datetime] | None:
        """The two times when the picture is of both moments side by side, else ``None``."""
        return self.compare_times() if self.both_box.isChecked() else None

    def _both(self, size: tuple[int, int], design_size: tuple[int, int] | None = None) -> np.ndarray:
        """Both moments side by side (:func:`viewer.split.both_moments`), the window's camera."""
        from viewer.split import both_moments

        times = self.both_times()
        assert times is not None  # asked for only when the box is checked while comparing
        export = self.ensure_export()
        if not export.view.sun.enabled:
            export.view.set_sun(True)
        picture, _clocks = both_moments(
            export, times, size, view=self._last_view, burn=self.burn.burn_in(), design_size=design_size
        )
        export.scene.clock.time = times[0]  # the window's: the thumbnail is not drawn again for it
        return picture

    def _both_steps(self) -> Generator[np.ndarray | float, None, None]:
        yield 0.05
        yield self._both(self.picture_size())

    def preview_size(self) -> tuple[int, int]:
        width, height = self.picture_size()
        f = min(PREVIEW_BOX[0] / width, PREVIEW_BOX[1] / height)
        return max(16, int(width * f)), max(16, int(height * f))

    def update_preview(self) -> None:
        if self._steps is not None:
            return
        self._sync()
        if self.both_times() is not None:
            image = self._both(self.preview_size(), design_size=self.picture_size())
        else:
            image = self.ensure_export().render(self.preview_size(), design_size=self.picture_size())
        self.preview.setPixmap(numpy_pixmap(image))
        width, height = self.picture_size()
        megapixels = width * height / 1e6
        self.info.setText(
            self.tr("{} × {} px ({} Mpx)").format(
                number(width, interface_language()),
                number(height, interface_language()),
                number(megapixels, interface_language(), 1),
            )
        )

    def _follow_window(self) -> None:
        """The live thumbnail: drawn again when the window's camera or clock moved."""
        main = self.workspace.scene_view
        if main is None or self._steps is not None or self.export is None:
            return
        moved = main.current_view() != self._last_view
        clock_moved = self.workspace.scene.clock.time != self.export.scene.clock.time
        if moved or clock_moved:
            self._refresh.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        comparing = self.compare_times() is not None
        self.both_box.setVisible(comparing)
        if not comparing:
            self.both_box.setChecked(False)
        self._poll.start()
        self._refresh.start()

    # -- export ----------------------------------------------------------------------------------
    def choose_file(self) -> None:
        start = str(Path.home() / "maquette.png")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export image"), start, "PNG (*.png);;JPEG (*.jpg *.jpeg)"
        )
        if path:
            self.start(Path(path))

    def start(self, output: Path) -> None:
        """Draw the picture at full size, a tile per event-loop turn, then write it."""
        if output.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            output = output.with_suffix(".png")
        try:
            self.workspace.check_outputs(output)
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Cannot export"), exc.one_line())
            return
        self._sync()
        self._output = output
        if self.both_times() is not None:
            self._steps = self._both_steps()
        else:
            self._steps = self.ensure_export().steps(self.picture_size(), max_tile=GUI_TILE)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.export_button.setEnabled(False)
        QTimer.singleShot(0, self._next_tile)

    def _next_tile(self) -> None:
        if self._steps is None:
            return
        try:
            result = next(self._steps)
        except Exception as exc:  # noqa: BLE001 - shown, the window stays usable
            self._stop()
            QMessageBox.warning(self, self.tr("Cannot export"), f"{type(exc).__name__}: {exc}")
            return
        if isinstance(result, float):
            self.progress.setValue(int(result * 1000))
            QTimer.singleShot(0, self._next_tile)
            return
        output = self._output
        self._stop()
        assert output is not None  # set with the steps by start()
        try:
            write_image(result, output, dpi=self.dpi())
        except OSError as exc:
            text = exc.one_line() if isinstance(exc, InputError) else f"{output}: {exc.strerror or exc}"
            QMessageBox.warning(self, self.tr("Cannot export"), text)
            return
        finally:
            del result  # the picture (and, below, the frame buffers freed with the last tile)
            heap.give_back()
        self.main_window.statusBar().showMessage(self.tr("Image saved: {}").format(output), 8000)
        self.last_output = output
        self._refresh.start()

    def cancel(self) -> None:
        if self._steps is not None:
            self._steps.close()  # restores the window size, camera and overlays
        self._stop()
        self._refresh.start()

    def _stop(self) -> None:
        self._steps = None
        self.progress.hide()
        self.cancel_button.hide()
        self.export_button.setEnabled(True)

    @property
    def busy(self) -> bool:
        return self._steps is not None

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel()
        self._poll.stop()
        self._refresh.stop()
        if self.export is not None:
            self.export.close()
            self.export = None
            heap.give_back()  # the twin's render window: its frame buffers and textures
        super().closeEvent(event)
