"""The bar under the split view (View › Compare two moments): the two times, the presets, the end.

It edits :class:`desktop.controllers.compare.CompareController`'s two clocks; times are written and
read in the scene's time zone (the one the timeline shows).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDateTimeEdit, QHBoxLayout, QLabel, QPushButton, QWidget

from layers.core.timeutil import zone

from ..controllers.compare import CompareController
from ..qt_dates import to_naive_datetime


def qt_time(t: datetime) -> QDateTime:
    return QDateTime(t.year, t.month, t.day, t.hour, t.minute, 0)


class CompareBar(QWidget):
    """Two date-time edits (left, right), "Morning / evening", "Summer / winter", "End"."""

    def __init__(self, compare: CompareController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compare = compare
        self.left_edit, self.right_edit = QDateTimeEdit(self), QDateTimeEdit(self)
        for edit in (self.left_edit, self.right_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy HH:mm")
            edit.editingFinished.connect(self._edited)
        self.left_edit.setToolTip(self.tr("Time of the left half (the timeline moves it too)"))
        self.right_edit.setToolTip(self.tr("Time of the right half"))
        self.hours_button = QPushButton(self.tr("Morning / evening"), self)
        self.hours_button.setToolTip(self.tr("8:00 on the left, 18:00 on the right, the same day"))
        self.hours_button.clicked.connect(compare.morning_evening)
        self.seasons_button = QPushButton(self.tr("Summer / winter solstice"), self)
        self.seasons_button.setToolTip(
            self.tr("21 June on the left, 21 December on the right, the same hour (between 10:00 and 16:00)")
        )
        self.seasons_button.clicked.connect(compare.summer_winter)
        self.end_button = QPushButton(self.tr("End the comparison"), self)
        self.end_button.setToolTip(self.tr("Back to one view (Esc)"))
        self.end_button.clicked.connect(compare.stop)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel(self.tr("Left:"), self))
        layout.addWidget(self.left_edit)
        layout.addSpacing(12)
        layout.addWidget(QLabel(self.tr("Right:"), self))
        layout.addWidget(self.right_edit)
        layout.addSpacing(12)
        layout.addWidget(self.hours_button)
        layout.addWidget(self.seasons_button)
        layout.addStretch(1)
        layout.addWidget(self.end_button)
        compare.times_changed.connect(self.show_times)
        scene = compare.workspace.scene
        scene.clock.changed.connect(lambda _t: self.show_times())
        compare.workspace.replaced.connect(
            lambda: compare.workspace.scene.clock.changed.connect(lambda _t: self.show_times())
        )

    def show_times(self) -> None:
        """The edits show the two clocks (in the scene's zone)."""
        times = self.compare.times()
        if times is None:
            return
        tz = zone(self.compare.workspace.scene.timezone)
        for edit, t in zip((self.left_edit, self.right_edit), times, strict=True):
            edit.blockSignals(True)
            edit.setDateTime(qt_time(t.astimezone(tz)))
            edit.blockSignals(False)

    def _edited(self) -> None:
        if not self.compare.active:
            return
        tz = zone(self.compare.workspace.scene.timezone)
        left, right = (
            to_naive_datetime(edit.dateTime()).replace(tzinfo=tz)
            for edit in (self.left_edit, self.right_edit)
        )
        times = self.compare.times()
        if times is not None and (left, right) != times:
            self.compare.set_times(left if left != times[0] else None, right if right != times[1] else None)
