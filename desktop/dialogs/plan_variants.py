"""The variants of the planned project side by side: one row per figure, one column per variant.

The table is a Qt model (:class:`VariantsTableModel`) over the figures the plan's figures
controller computes for every variant; it can be copied (tab-separated, for a spreadsheet or a
report) and saved as CSV (:func:`layers.plan.export.write_figures_csv`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from layers.core.errors import InputError
from layers.plan.export import write_figures_csv
from layers.plan.figures import PlanFigures

from ..controllers.plan_figures import PlanFiguresController
from ..translation import interface_language

AnyIndex = QModelIndex | QPersistentModelIndex


class VariantsTableModel(QAbstractTableModel):
    """Rows: the figures (labels in the interface's language); columns: the variants."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures: list[PlanFigures] = []
        self.labels: list[str] = []
        self.values: list[list[str]] = []

    def set_figures(self, figures: list[PlanFigures], language: str) -> None:
        self.beginResetModel()
        self.figures = list(figures)
        rows = [dict(f.rows(language)) for f in self.figures]
        # every label any variant has, in the order the figures give them
        self.labels = list(dict.fromkeys(label for f in self.figures for label, _v in f.rows(language)))
        self.values = [[row.get(label, "") for row in rows] for label in self.labels]
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.labels)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.figures)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.values[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.figures[section].variant if 0 <= section < len(self.figures) else None
        return self.labels[section] if 0 <= section < len(self.labels) else None

    def as_text(self) -> str:
        """The table tab-separated, a header line of variant names first (for the clipboard)."""
        lines = ["\t".join(["", *(f.variant for f in self.figures)])]
        lines += ["\t".join([label, *values]) for label, values in zip(self.labels, self.values, strict=True)]
        return "\n".join(lines) + "\n"


class PlanVariantsDialog(QDialog):
    """The variants' figures side by side, recomputed when the plan changes while it is open."""

    def __init__(self, figures: PlanFiguresController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Variants side by side"))
        self.controller = figures
        self.model = VariantsTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.state = QLabel(self)
        self.state.setStyleSheet("color: #666;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton(self.tr("Copy"), self)
        save = QPushButton(self.tr("Save as CSV…"), self)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        copy.clicked.connect(self.copy)
        save.clicked.connect(lambda: self.save_csv())
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.state)
        layout.addWidget(buttons)
        self.resize(640, 420)
        figures.all_ready.connect(self.show_figures)
        figures.session.plan_changed.connect(self._plan_changed)
        if figures.latest_all:
            self.show_figures(figures.latest_all)
        self.refresh()

    def refresh(self) -> None:
        self.state.setText(self.tr("Computing…"))
        self.controller.request_all()

    def _plan_changed(self, _ids: object) -> None:
        if self.isVisible():
            self.refresh()

    def show_figures(self, figures: list[PlanFigures]) -> None:
        self.model.set_figures(figures, interface_language())
        self.state.setText(self.tr("Study day: {}").format(figures[0].day.isoformat()) if figures else "")

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.model.as_text())

    def save_csv(self, path: str | Path | None = None) -> Path | None:
        """Ask for a file (unless ``path``) and write the table as CSV; ``None`` when not written."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save the figures"), str(Path.home() / "variantes.csv"), "CSV (*.csv)"
            )
            if not chosen:
                return None
            path = chosen
        output = Path(path)
        if output.suffix.lower() != ".csv":
            output = output.with_suffix(".csv")
        try:
            return write_figures_csv(self.model.figures, output, interface_language())
        except (InputError, OSError) as exc:
            QMessageBox.warning(self, self.tr("Cannot export"), str(exc))
            return None
