"""The views panel: the session's named camera views, created from the current view, renamed,
reordered, deleted — each edit a command on the session model, which the list follows."""

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

from layers.session.commands import MoveView, RemoveView, RenameView, ReorderViews
from layers.session.model import SessionModel


class ViewsPanel(QWidget):
    """Lists ``session.views``. Signals: ``go_requested(view)``; ``capture_requested()`` asks the
    window to keep the current camera as a view."""

    go_requested = Signal(object)
    capture_requested = Signal()

    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
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
        up.clicked.connect(lambda: self.move_row(self.list.currentRow(), -1))
        down = QPushButton("↓", self)
        down.setToolTip(self.tr("Move down"))
        down.clicked.connect(lambda: self.move_row(self.list.currentRow(), 1))
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
        session.views_changed.connect(self._refresh)
        self._refresh(None)

    def _refresh(self, focus: int | None) -> None:
        """Show the session's views; select ``focus`` (the view a change concerns). Rows are
        updated in place: a rename typed in the list, or a drag, is followed without rebuilding it."""
        names = [view.name for view in self.session.views]
        self.list.blockSignals(True)
        while self.list.count() > len(names):
            self.list.takeItem(self.list.count() - 1)
        for i, name in enumerate(names):
            item = self.list.item(i)
            if item is None:
                item = QListWidgetItem(name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled)
                self.list.addItem(item)
            elif item.text() != name:
                item.setText(name)
        self.list.blockSignals(False)
        if focus is not None and 0 <= focus < len(names):
            self.list.setCurrentRow(focus)

    def go_to(self, row: int) -> None:
        views = self.session.views
        if 0 <= row < len(views):
            self.go_requested.emit(views[row])

    def move_row(self, row: int, delta: int) -> None:
        if 0 <= row < len(self.session.views) and 0 <= row + delta < len(self.session.views):
            self.session.execute(MoveView(row, row + delta))

    def rename_current(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.session.views):
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Rename view"), self.tr("Name:"), text=self.session.views[row].name
        )
        if ok and name.strip():
            self.rename(row, name.strip())

    def rename(self, row: int, name: str) -> None:
        if 0 <= row < len(self.session.views) and name.strip() and name != self.session.views[row].name:
            self.session.execute(RenameView(row, name))

    def delete_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.session.views):
            self.session.execute(RemoveView(row))

    def _on_renamed(self, item: QListWidgetItem) -> None:
        self.rename(self.list.row(item), item.text().strip())

    def _on_rows_moved(self, *_args: object) -> None:
        order = [self.list.item(i).text() for i in range(self.list.count())]
        if order != [view.name for view in self.session.views]:
            self.session.execute(ReorderViews(order))
