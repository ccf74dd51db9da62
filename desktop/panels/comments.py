"""The comments panel: what participants said, by category; click to fly there; export."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from layers.session.comments import Comment
from viewer.annotations import CATEGORY_COLORS


def category_icon(category: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(CATEGORY_COLORS.get(category, "#888888")))
    return QIcon(pixmap)


class CommentsPanel(QWidget):
    """Signals: ``add_requested()``, ``fly_requested(comment)``, ``delete_requested(comment)``,
    ``export_requested()``."""

    add_requested = Signal()
    fly_requested = Signal(object)
    delete_requested = Signal(object)
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comments: list[Comment] = []
        self.summary = QLabel("", self)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._on_clicked)
        add = QPushButton(self.tr("Add a comment (C)"), self)
        add.setToolTip(self.tr("Then click on the model where the participant points"))
        add.clicked.connect(self.add_requested)
        delete = QPushButton(self.tr("Delete"), self)
        delete.clicked.connect(self._delete_current)
        export = QPushButton(self.tr("Export…"), self)
        export.setToolTip(self.tr("GeoJSON or CSV, with scene and WGS84 coordinates"))
        export.clicked.connect(self.export_requested)
        row = QHBoxLayout()
        row.addWidget(add, 1)
        row.addWidget(delete)
        row.addWidget(export)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.set_comments([])

    def set_comments(self, comments: list[Comment]) -> None:
        from layers.session.comments import CATEGORIES

        self.comments = list(comments)
        self.list.clear()
        for comment in reversed(self.comments):  # newest first
            text = f"{CATEGORIES[comment.category]} — {comment.text}"
            if comment.group:
                text += f"  ({comment.group})"
            item = QListWidgetItem(category_icon(comment.category), text)
            item.setData(Qt.ItemDataRole.UserRole, comment.id)
            self.list.addItem(item)
        counts = {c: sum(1 for x in self.comments if x.category == c) for c in CATEGORIES}
        self.summary.setText(" · ".join(f"{CATEGORIES[c]} : {n}" for c, n in counts.items()))

    def _comment(self, item: QListWidgetItem | None) -> Comment | None:
        if item is None:
            return None
        wanted = item.data(Qt.ItemDataRole.UserRole)
        return next((c for c in self.comments if c.id == wanted), None)

    def _on_clicked(self, item: QListWidgetItem) -> None:
        comment = self._comment(item)
        if comment is not None:
            self.fly_requested.emit(comment)

    def _delete_current(self) -> None:
        comment = self._comment(self.list.currentItem())
        if comment is not None:
            self.delete_requested.emit(comment)
