"""The inspector dock: the attributes of what was clicked (a building, a sensor, a stop, a pixel)."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from layers.core.messages import word
from layers.core.numbers import number
from viewer.labels import inspector_label

from ..translation import interface_language


def display_value(value: Any, language: str = "en") -> str:
    """A value as a person reads it in ``language``: no ``nan``, rounded floats (``1 234,5`` in
    French, ``1,234.5`` in English), ``—`` for missing."""
    if value is None:
        return "—"
    if isinstance(value, float):
        if math.isnan(value):
            return "—"
        return number(value, language) if abs(value) < 1e6 else number(value, language, 0)
    text = str(value)
    if text in {"nan", "NaT", "<NA>", "None"}:
        return "—"
    return word(text, language) if isinstance(value, str) else text


class InspectorPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Click a building, a sensor or a stop to see its attributes."), self)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Attribute"), self.tr("Value")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)

    def show_attributes(self, title: str, attributes: dict[str, Any]) -> None:
        self.title.setText(title)
        language = interface_language()
        self.table.setRowCount(len(attributes))
        for row, (key, value) in enumerate(attributes.items()):
            # a known field by its label and unit ("Hauteur (m)"), the file's name in the tooltip
            key_item = QTableWidgetItem(inspector_label(str(key), language))
            key_item.setToolTip(str(key))
            key_item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            value_item = QTableWidgetItem(display_value(value, language))
            value_item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, 0, key_item)
            self.table.setItem(row, 1, value_item)
        self.table.resizeRowsToContents()

    def clear(self) -> None:
        self.title.setText(self.tr("Click a building, a sensor or a stop to see its attributes."))
        self.table.setRowCount(0)

    def rows(self) -> dict[str, str]:
        """What is shown, as text (for tests and copy)."""
        shown: dict[str, str] = {}
        for row in range(self.table.rowCount()):
            key, value = self.table.item(row, 0), self.table.item(row, 1)
            if key is not None and value is not None:  # both set by show_attributes
                shown[key.text()] = value.text()
        return shown
