"""The comments panel: what participants said (the session model's comments), by category; click to
fly there; delete (a command on the session model); export."""

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

from layers.session.commands import RemoveComment
from layers.session.comments import CATEGORIES, Comment
from layers.session.model import SessionModel
from viewer.annotations import CATEGORY_COLORS


def category_icon(category: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(CATEGORY_COLORS.get(category, "#888888")))
    return QIcon(pixmap)


class CommentsPanel(QWidget):
    """Lists ``session.comments``. Signals: ``add_requested()``, ``fly_requested(comment)``,
    ``export_requested()``."""

    add_requested = Signal()
    fly_requested = Signal(object)
    export_requested = Signal()

    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.summary = QLabel("", self)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._on_clicked)
        add = QPushButton(self.tr("Add a comment (C)"), self)
        add.setToolTip(self.tr("Then click on the model where the participant points"))
        add.clicked.connect(self.add_requested)
        delete = QPushButton(self.tr("Delete"), self)
        delete.clicked.connect(self.delete_current)
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
        session.comments_changed.connect(self._refresh)
        self._refresh()

    def _refresh(self) -> None:
        comments = self.session.comments
        self.list.clear()
        for comment in reversed(comments):  # newest first
            text = f"{CATEGORIES[comment.category]} — {comment.text}"
            if comment.group:
                text += f"  ({comment.group})"
            item = QListWidgetItem(category_icon(comment.category), text)
            item.setData(Qt.ItemDataRole.UserRole, comment.id)
            self.list.addItem(item)
        counts = {c: sum(1 for x in comments if x.category == c) for c in CATEGORIES}
        self.summary.setText(" · ".join(f"{CATEGORIES[c]} : {n}" for c, n in counts.items()))

    def _comment(self, item: QListWidgetItem | None) -> Comment | None:
        if item is None:
            return None
        wanted = item.data(Qt.ItemDataRole.UserRole)
        return next((c for c in self.session.comments if c.id == wanted), None)

    def _on_clicked(self, item: QListWidgetItem) -> None:
        comment = self._comment(item)
        if comment is not None:
            self.fly_requested.emit(comment)

    def delete_current(self) -> None:
        comment = self._comment(self.list.currentItem())
        if comment is not None:
            self.session.execute(RemoveComment(comment.id))
