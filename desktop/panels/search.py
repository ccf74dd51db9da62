"""The search box: find a building by identifier or name and fly to it.

Typing searches every layer that can (``find(query)``, :mod:`layers.buildings.filters`: case and accents
ignored, ``"Nom: halle"`` to search one field); results are listed by layer, best first. Choosing
one (Enter, click) emits :attr:`SearchPanel.chosen` with the layer and the row; the main window
flies there, highlights the building and shows its attributes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from layers.core.base import Searchable
from layers.core.scene import Scene

MAX_RESULTS = 30
TYPING_PAUSE_MS = 250


class SearchPanel(QWidget):
    """A search box and its results. Signal: ``chosen(layer, row)``."""

    chosen = Signal(object, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scene: Scene | None = None
        self.box = QLineEdit(self)
        self.box.setPlaceholderText(self.tr("Search a building: identifier or name (Nom: …)"))
        self.box.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self._layout.addWidget(self.box)
        self._layout.addWidget(self.status)
        self._layout.addWidget(self.results)
        self._show_results(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.run)
        self.box.textEdited.connect(lambda _text: self._timer.start())
        self.box.returnPressed.connect(self._enter)
        self.results.itemActivated.connect(self._activate)
        self.results.itemClicked.connect(self._activate)

    def _show_results(self, shown: bool) -> None:
        """The list only takes room in the dock when it has something to show (the layer panel
        above keeps the height otherwise)."""
        self.results.setVisible(shown)
        self.status.setVisible(bool(self.status.text()))
        self.setMaximumHeight(16777215 if shown else self._layout.sizeHint().height())

    def set_scene(self, scene: Scene | None) -> None:
        self.scene = scene
        self.results.clear()
        self.status.setText("")
        self._show_results(False)

    def run(self) -> int:
        """Search now with the box's text; returns the number of results listed."""
        self._timer.stop()
        self.results.clear()
        query = self.box.text().strip()
        if not query:
            self.status.setText("")
            self._show_results(False)
            return 0
        count = 0
        for layer in self.scene.layers if self.scene is not None else []:
            if not isinstance(layer, Searchable):
                continue
            for match in layer.find(query, limit=MAX_RESULTS - count):
                label = (
                    match.value
                    if match.field.lower() in ("id", "cleabs")
                    else f"{match.value}  ({match.field})"
                )
                item = QListWidgetItem(f"{label} · {layer.name}")
                item.setData(Qt.ItemDataRole.UserRole, (layer, match.row))
                item.setToolTip(f"{match.field} = {match.value}")
                self.results.addItem(item)
                count += 1
            if count >= MAX_RESULTS:
                break
        self.status.setText(
            self.tr("No building found.") if count == 0 else self.tr("{} found").format(count)
        )
        self._show_results(count > 0)
        if count:
            self.results.setCurrentRow(0)
        return count

    def _enter(self) -> None:
        if self._timer.isActive() or self.results.count() == 0:
            self.run()
        item = self.results.currentItem()
        if item is not None:
            self._activate(item)

    def _activate(self, item: QListWidgetItem) -> None:
        layer, row = item.data(Qt.ItemDataRole.UserRole)
        self.chosen.emit(layer, int(row))
