"""The comment form: category, one line of text, optionally a group. Large, quick, keyboard-only.

A frameless tool window rather than a system dialog, so it can sit over the full-screen model
during a meeting (on the laptop's screen when a projector shows the model). It opens with the
text field focused; Enter saves, Esc cancels; nothing is saved without text (the save button waits
for it). Every key typed in it stays in it: none reaches the window's shortcuts nor the
presentation (a "c" typed is a letter, not a new comment; Space or N do not change the step).
No field asks for a person's name.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from layers.session.comments import CATEGORIES, MAX_TEXT
from viewer.annotations import CATEGORY_COLORS

#: keys the form answers itself through its shortcuts (the others are claimed by the focused field)
FORM_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3}


class CommentForm(QFrame):
    """Signals: ``accepted(category, text, group)``, ``cancelled()``, ``closed()`` (either way)."""

    accepted = Signal(str, str, str)
    cancelled = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None, scale: float = 1.0) -> None:
        super().__init__(
            parent,
            Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint,
        )
        self.setObjectName("CommentForm")
        self.setStyleSheet(
            f"#CommentForm {{ background: white; border: 2px solid #2e7fd6; border-radius: 8px; }}"
            f" QLabel, QLineEdit, QPushButton {{ font-size: {int(15 * scale)}px; }}"
        )
        title = QLabel(self.tr("What does the participant say?"), self)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.group = QButtonGroup(self)
        row = QHBoxLayout()
        labels = {"concern": self.tr("Concern"), "idea": self.tr("Idea"), "question": self.tr("Question")}
        for i, category in enumerate(CATEGORIES):
            button = QPushButton(f"{i + 1}  {labels[category]}", self)
            button.setCheckable(True)
            button.setStyleSheet(
                f"QPushButton:checked {{ background: {CATEGORY_COLORS[category]}; color: white; }}"
            )
            button.setProperty("category", category)
            self.group.addButton(button, i)
            row.addWidget(button)
            QShortcut(QKeySequence(str(i + 1)), self, button.click)
        self.group.button(0).setChecked(True)
        self.text = QLineEdit(self)
        self.text.setMaxLength(MAX_TEXT)
        self.text.setPlaceholderText(self.tr("In a few words"))
        self.text.returnPressed.connect(self._accept)
        self.team = QLineEdit(self)
        self.team.setMaxLength(80)
        self.team.setPlaceholderText(
            self.tr("Group (optional: residents, parents, shopkeepers…) — no personal names")
        )
        self.team.returnPressed.connect(self._accept)
        self.save = ok = QPushButton(self.tr("Pin the comment"), self)
        ok.setDefault(True)
        ok.setEnabled(False)  # until there is something to pin
        ok.clicked.connect(self._accept)
        self.text.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        cancel = QPushButton(self.tr("Cancel"), self)
        cancel.clicked.connect(self._cancel)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(ok)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(self.text)
        layout.addWidget(self.team)
        layout.addLayout(buttons)
        self.resize(int(560 * scale), self.sizeHint().height())

    def category(self) -> str:
        button = self.group.checkedButton()
        assert button is not None  # one is always checked: the group is exclusive, the first checked at start
        return str(button.property("category"))

    def open_at(self, anchor: QWidget, area: QRect | None = None) -> None:
        """Show the form and focus the text: centred in ``area`` (global pixels: the laptop's screen
        while a projector shows the model), else near the bottom of ``anchor``."""
        if area is not None and area.isValid():
            centre = area.center()
            self.move(centre.x() - self.width() // 2, centre.y() - self.height() // 2)
        else:
            centre = anchor.mapToGlobal(anchor.rect().center())
            bottom = anchor.mapToGlobal(anchor.rect().bottomLeft()).y()
            self.move(centre.x() - self.width() // 2, bottom - self.height() - 120)
        self.show()
        self.raise_()
        self.activateWindow()
        self.text.setFocus()

    def _accept(self) -> None:
        text = self.text.text().strip()
        if not text:
            self.text.setFocus()
            self.text.setPlaceholderText(self.tr("Type a few words first"))
            return
        self.accepted.emit(self.category(), text, self.team.text().strip())
        self.close()

    def _cancel(self) -> None:
        self.cancelled.emit()
        self.close()

    def event(self, event: QEvent) -> bool:
        """Keys typed here are the form's: a shortcut of the window behind (the Tool window keeps
        them live) never fires from here; only the form's own keys (Esc, 1-3) stay shortcuts."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() not in FORM_KEYS
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()  # what a field left (Return once handled) goes no further

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.closed.emit()
