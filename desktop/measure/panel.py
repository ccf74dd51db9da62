"""The Measure panel: the modes, the result in words with Copy, and the CRS the figures are in; and
View › Measure (M) that turns the tool on and off."""

from __future__ import annotations

from pyproj import CRS
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QRadioButton,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from layers.core import crs as crs_util

from ..controllers.workspace import Workspace
from ..planning.tools import PlanTools
from .tool import MeasureTool, Mode

#: the key of View › Measure
MEASURE_KEY = "M"


def crs_words(crs: CRS | None) -> str:
    """``EPSG:2154 — RGF93 v1 / Lambert-93``: the code and the name of the scene's CRS."""
    if crs is None:
        return ""
    code = crs_util.label(crs)
    return code if code == crs.name else f"{code} — {crs.name}"


class MeasurePanel(QWidget):
    """The modes, the result and Copy, over :attr:`tool`."""

    def __init__(self, tool: MeasureTool, workspace: Workspace, status: QStatusBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.tool, self.workspace, self.status = tool, workspace, status
        self.dock: QDockWidget | None = None
        self.action = QAction(self.tr("Measure"), parent)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(MEASURE_KEY))
        tip = self.tr("Measure distances, paths, areas and heights on the 3D view (M)")
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)
        self.action.toggled.connect(self._toggled)

        layout = QVBoxLayout(self)
        modes = QHBoxLayout()
        self.modes = QButtonGroup(self)
        self.mode_buttons: dict[Mode, QRadioButton] = {}
        for mode, text in (
            (Mode.DISTANCE, self.tr("Distance")),
            (Mode.PATH, self.tr("Path")),
            (Mode.AREA, self.tr("Area")),
            (Mode.HEIGHT, self.tr("Height")),
        ):
            button = QRadioButton(text, self)
            button.setChecked(mode is tool.mode)
            button.toggled.connect(lambda on, m=mode: self._choose(m) if on else None)
            self.modes.addButton(button)
            self.mode_buttons[mode] = button
            modes.addWidget(button)
        modes.addStretch(1)
        layout.addLayout(modes)
        self.result = QLabel("", self)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result)
        self.crs = QLabel("", self)
        self.crs.setWordWrap(True)
        layout.addWidget(self.crs)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setToolTip(self.tr("Copy the result and its CRS"))
        self.copy_button.clicked.connect(self.copy)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        tool.result_changed.connect(self._show)
        tool.active_changed.connect(self._active)

    @classmethod
    def install(
        cls,
        window: QMainWindow,
        view_menu: QMenu,
        widget: QWidget,
        workspace: Workspace,
        planning: PlanTools,
        language: str = "fr",
    ) -> MeasurePanel:
        """The tool on the 3D view ``widget``, its dock (right, hidden) and View › Measure."""
        tool = MeasureTool(widget, workspace, planning, language)
        panel = cls(tool, workspace, window.statusBar(), window)
        dock = QDockWidget(panel.tr("Measure"), window)
        dock.setObjectName("Mesure")
        dock.setWidget(panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.hide()
        panel.dock = dock
        view_menu.addSeparator()
        view_menu.addAction(panel.action)
        return panel

    def _toggled(self, on: bool) -> None:
        if on:
            self.tool.start()
        else:
            self.tool.stop()

    def _active(self, on: bool) -> None:
        self.action.blockSignals(True)
        self.action.setChecked(on)
        self.action.blockSignals(False)
        scene = self.workspace.scene
        self.crs.setText(
            self.tr("Coordinates in {crs}").format(crs=crs_words(scene.crs)) if scene.crs else ""
        )
        if on and self.dock is not None:
            self.dock.show()
            self.dock.raise_()
        if not on:
            self.status.clearMessage()

    def _choose(self, mode: Mode) -> None:
        self.tool.set_mode(mode)

    def _show(self, words: str) -> None:
        self.result.setText(words)
        self.copy_button.setEnabled(bool(words) and bool(self.tool.label))
        if words:
            self.status.showMessage(words)

    def copy(self) -> str:
        """Put the result and its CRS on the clipboard; the text copied."""
        text = self.result.text()
        if self.crs.text():
            text = f"{text} ({self.crs.text()})"
        QApplication.clipboard().setText(text)
        return text
