"""What is written on an exported picture or video: a group of check boxes and two text fields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLineEdit, QWidget

from layers.session.comments import Comment
from viewer.export_image import BurnIn
from viewer.text_fit import MAX_LINE_CHARS


class BurnInBox(QGroupBox):
    """Title (editable), legends, scale bar, north arrow, clock, credits (editable, prefilled with
    the visible layers' sources), the pinned comments when there are some (off by default).
    ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(
        self,
        title: str,
        credits: str,
        parent: QWidget | None = None,
        *,
        caption: bool = False,
        comments: Sequence[Comment] = (),
    ) -> None:
        super().__init__(self.tr("Burned in"), parent)
        self.title_box = QCheckBox(self.tr("Title"), self)
        self.title_text = QLineEdit(title, self)
        self.title_text.setMinimumWidth(260)
        self.title_text.setMaxLength(MAX_LINE_CHARS)  # what a picture holds (viewer.text_fit)
        self.title_text.setCursorPosition(0)  # a long title shows its beginning
        self.legends = QCheckBox(self.tr("Legends of the visible layers"), self)
        self.scale_bar = QCheckBox(self.tr("Scale bar"), self)
        self.north = QCheckBox(self.tr("North arrow"), self)
        self.clock = QCheckBox(self.tr("Date and time"), self)
        self.credits_box = QCheckBox(self.tr("Credits"), self)
        self.credits_text = QLineEdit(credits, self)
        self.credits_text.setMaxLength(2 * MAX_LINE_CHARS)
        self.credits_text.setCursorPosition(0)
        self.credits_text.setPlaceholderText(self.tr("Source : … (the data sources shown)"))
        self.caption = QCheckBox(self.tr("Story captions"), self) if caption else None
        self._comments = tuple(comments)
        self.comments = (
            QCheckBox(self.tr("Pinned comments ({})").format(len(self._comments)), self) if comments else None
        )
        self._default_credits = credits
        layout = QGridLayout(self)
        layout.addWidget(self.title_box, 0, 0)
        layout.addWidget(self.title_text, 0, 1)
        layout.addWidget(self.legends, 1, 0, 1, 2)
        layout.addWidget(self.scale_bar, 2, 0)
        layout.addWidget(self.north, 2, 1)
        layout.addWidget(self.clock, 3, 0)
        if self.caption is not None:
            layout.addWidget(self.caption, 3, 1)
        layout.addWidget(self.credits_box, 4, 0)
        layout.addWidget(self.credits_text, 4, 1)
        for box in self.boxes():
            box.setChecked(True)
            box.toggled.connect(self._toggled)
        if self.comments is not None:  # said in the room: on the picture only when asked
            layout.addWidget(self.comments, 5, 0, 1, 2)
            self.comments.toggled.connect(self._toggled)
        for edit in (self.title_text, self.credits_text):
            edit.textChanged.connect(self.changed)

    def boxes(self) -> list[QCheckBox]:
        return [
            b
            for b in (
                self.title_box,
                self.legends,
                self.scale_bar,
                self.north,
                self.clock,
                self.credits_box,
                self.caption,
            )
            if b is not None
        ]

    def _toggled(self) -> None:
        self.title_text.setEnabled(self.title_box.isChecked())
        self.credits_text.setEnabled(self.credits_box.isChecked())
        self.changed.emit()

    def burn_in(self) -> BurnIn:
        credits = self.credits_text.text().strip()
        burn = BurnIn(
            title=self.title_box.isChecked(),
            legends=self.legends.isChecked(),
            scale_bar=self.scale_bar.isChecked(),
            north_arrow=self.north.isChecked(),
            clock=self.clock.isChecked(),
            credits=self.credits_box.isChecked(),
            caption=self.caption.isChecked() if self.caption is not None else True,
            title_text=self.title_text.text(),
            credits_text=None if credits == self._default_credits else credits,
        )
        if self.comments is not None and self.comments.isChecked():
            burn = replace(burn, comments=self._comments)
        return burn
