"""The views panel: named camera views, created from the current view, renamed, reordered."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from layers.session.views import CameraView


class ViewsPanel(QWidget):
    """Signals: ``go_requested(view)``; ``changed()`` after any edit; ``capture_requested()`` asks
    the window for the current camera (answered with :meth:`add_view`)."""

    go_requested = Signal(object)
    changed = Signal()
    capture_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.views: list[CameraView] = []
        self.list = QListWidget(self)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.list.itemDoubleClicked.connect(lambda item: self.go_to(self.list.row(item)))
        self.list.itemChanged.connect(self._on_renamed)
        self.list.model().rowsMoved.connect(self._on_rows_moved)
        add = QPushButton(self.tr("Add current view"), self)
        add.setToolTip(self.tr("Save the camera as it is now as a named view"))
        add.clicked.connect(self.capture_requested)
        go = QPushButton(self.tr("Go"), self)
        go.clicked.connect(lambda: self.go_to(self.list.currentRow()))
        up = QPushButton("↑", self)
        up.setToolTip(self.tr("Move up"))
        up.clicked.connect(lambda: self.move(self.list.currentRow(), -1))
        down = QPushButton("↓", self)
        down.setToolTip(self.tr("Move down"))
        down.clicked.connect(lambda: self.move(self.list.currentRow(), 1))
        rename = QPushButton(self.tr("Rename"), self)
        rename.clicked.connect(self.rename_current)
        delete = QPushButton(self.tr("Delete"), self)
        delete.clicked.connect(self.delete_current)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        row1.addWidget(add, 1)
        row1.addWidget(go)
        for button in (up, down, rename, delete):
            row2.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addLayout(row1)
        layout.addLayout(row2)

    def set_views(self, views: list[CameraView]) -> None:
        self.views = list(views)
        self._refresh()

    def _refresh(self, current: int | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for view in self.views:
            item = QListWidgetItem(view.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if current is not None and 0 <= current < len(self.views):
            self.list.setCurrentRow(current)

    def unique_name(self, base: str) -> str:
        names = {v.name for v in self.views}
        name, n = base, 2
        while name in names:
            name, n = f"{base} {n}", n + 1
        return name

    def add_view(self, view: CameraView) -> None:
        view.name = self.unique_name(view.name)
        self.views.append(view)
        self._refresh(len(self.views) - 1)
        self.changed.emit()

    def go_to(self, row: int) -> None:
        if 0 <= row < len(self.views):
            self.go_requested.emit(self.views[row])

    def move(self, row: int, delta: int) -> None:
        target = row + delta
        if 0 <= row < len(self.views) and 0 <= target < len(self.views):
            self.views.insert(target, self.views.pop(row))
            self._refresh(target)
            self.changed.emit()

    def rename_current(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.views):
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Rename view"), self.tr("Name:"), text=self.views[row].name
        )
        if ok and name.strip():
            self.rename(row, name.strip())

    def rename(self, row: int, name: str) -> None:
        old = self.views[row].name
        if name != old:
            self.views[row].name = self.unique_name(name)
            self._refresh(row)
            self.changed.emit()

    def delete_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.views):
            del self.views[row]
            self._refresh(min(row, len(self.views) - 1))
            self.changed.emit()

    def _on_renamed(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        name = item.text().strip()
        if 0 <= row < len(self.views) and name and name != self.views[row].name:
            self.views[row].name = name
            self.changed.emit()

    def _on_rows_moved(self, *_args) -> None:
        by_name = {v.name: v for v in self.views}
        order = [self.list.item(i).text() for i in range(self.list.count())]
        if sorted(order) == sorted(by_name):
            self.views = [by_name[name] for name in order]
            self.changed.emit()
