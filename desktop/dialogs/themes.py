"""Choosing the themes to open from a file that holds a whole map (a BD TOPO GeoPackage).

A département's BD TOPO GeoPackage holds dozens of layers. Opened as it is, it would give one
layer (the first); :class:`ThemesDialog` lists the themes Maquette draws, those of the picture
ticked (buildings, roads, water, vegetation...), the context ones not (the commune's outline,
zones of activity), and says that a commune is best cut out with File › New model from open data.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from layers.session.file_layers import LayerChoice, choice_title


class ThemesDialog(QDialog):
    """Asks which themes of ``path`` to open; :meth:`chosen` gives their keys once accepted."""

    def __init__(
        self, path: Path, choices: list[LayerChoice], language: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Themes to open"))
        self.setModal(True)
        intro = QLabel(
            self.tr(
                "{name} holds {count} themes of a map. Tick those to open. To keep only one commune "
                "of a department's file, use File › New model from open data…"
            ).format(name=path.name, count=len(choices)),
            self,
        )
        intro.setWordWrap(True)
        self.themes = QListWidget(self)
        for choice in choices:
            item = QListWidgetItem(f"{choice.key} — {choice_title(choice, language)}", self.themes)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if choice.shown else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, choice.key)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Open"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.themes)
        layout.addWidget(buttons)
        self.resize(520, 420)

    def chosen(self) -> set[str]:
        """The keys of the themes ticked."""
        out = set()
        for row in range(self.themes.count()):
            item = self.themes.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.add(str(item.data(Qt.ItemDataRole.UserRole)))
        return out
