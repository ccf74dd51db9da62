"""The story panel: the steps of the session's mediation story, their captions, order and preview.

The steps live in the session model; every edit here is a command on it (typing a caption is one
command per key, merged into one undo step), and the panel shows what the model holds.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from layers.core.timeutil import format_local
from layers.session.commands import EditStep, MoveStep, RemoveStep
from layers.session.model import SessionModel
from layers.session.story import Replay, StoryStep
from layers.session.views import CameraView
from viewer.text_fit import MAX_LINE_CHARS

#: (label, simulated seconds per real second) for replays
REPLAY_SPEEDS = (("10 min/s", 600.0), ("30 min/s", 1800.0), ("1 h/s", 3600.0), ("3 h/s", 10800.0))


class StoryPanel(QWidget):
    """Shows and edits ``session``'s story.

    Signals
    -------
    capture_requested(row)
        Asks the window for a step from the current state: ``row`` −1 adds one, else replaces the
        scene part of that step.
    preview_requested(row), present_requested(row)
    """

    capture_requested = Signal(int)
    preview_requested = Signal(int)
    present_requested = Signal(int)

    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._loading = False

        self.list = QListWidget(self)
        self.list.currentRowChanged.connect(self._show_step)
        self.list.itemDoubleClicked.connect(lambda item: self.preview_requested.emit(self.list.row(item)))

        buttons = QGridLayout()
        specs = [
            (
                self.tr("Add step"),
                self.tr("A new step showing what is on screen now"),
                lambda: self.capture_requested.emit(-1),
            ),
            (
                self.tr("Update from screen"),
                self.tr("The selected step takes the current view, layers and time"),
                lambda: self._capture_current(),
            ),
            (
                self.tr("Preview"),
                self.tr("Show this step here"),
                lambda: self.preview_requested.emit(self.list.currentRow()),
            ),
            (
                self.tr("Present from here"),
                self.tr("Start the presentation at this step (F5 starts at the first)"),
                lambda: self.present_requested.emit(max(self.list.currentRow(), 0)),
            ),
            ("↑", self.tr("Move up"), lambda: self.move_row(self.list.currentRow(), -1)),
            ("↓", self.tr("Move down"), lambda: self.move_row(self.list.currentRow(), 1)),
            (self.tr("Delete"), self.tr("Delete the selected step"), self.delete_current),
        ]
        for i, (text, tip, slot) in enumerate(specs):
            button = QPushButton(text, self)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.addWidget(button, i // 2, i % 2)

        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(MAX_LINE_CHARS)  # a caption's title line (viewer.text_fit)
        self.title_edit.setPlaceholderText(self.tr("Title shown to the audience"))
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setPlaceholderText(self.tr("Two or three short lines for the audience"))
        self.text_edit.setMaximumHeight(90)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setPlaceholderText(self.tr("Notes for the presenter (never shown on the big screen)"))
        self.notes_edit.setMaximumHeight(70)
        self.view_box = QComboBox(self)
        self.time_label = QLabel("—", self)
        self.replay_box = QCheckBox(self.tr("Replay time"), self)
        self.replay_box.setToolTip(self.tr("The clock runs by itself while the step is shown"))
        self.replay_hours = QComboBox(self)
        for hours in (1, 3, 6, 12, 24, 48):
            self.replay_hours.addItem(self.tr("{} h").format(hours), hours)
        self.replay_speed = QComboBox(self)
        for label, speed in REPLAY_SPEEDS:
            self.replay_speed.addItem(label, speed)
        self.title_edit.editingFinished.connect(self._store_caption)
        for edit in (self.text_edit, self.notes_edit):
            edit.textChanged.connect(self._store_caption)
        self.view_box.currentIndexChanged.connect(self._store_view)
        self.replay_box.toggled.connect(self._store_replay)
        self.replay_hours.currentIndexChanged.connect(self._store_replay)
        self.replay_speed.currentIndexChanged.connect(self._store_replay)

        form_widget = QWidget(self)
        form = QFormLayout(form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Caption"), self.text_edit)
        form.addRow(self.tr("Notes"), self.notes_edit)
        form.addRow(self.tr("View"), self.view_box)
        form.addRow(self.tr("Time"), self.time_label)
        form.addRow(self.replay_box, self.replay_hours)
        form.addRow(self.tr("Replay speed"), self.replay_speed)
        self.form_widget = form_widget

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.list, 1)
        top_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        form_scroll = QScrollArea(self)  # the window fits a 768 px high laptop screen
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_scroll.setWidget(form_widget)
        splitter.addWidget(form_scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        session.story_changed.connect(self._refresh)
        session.views_changed.connect(self._on_views_changed)  # the view names offered
        self._refresh(None)

    # -- content -----------------------------------------------------------------------------
    def current_row(self) -> int:
        return self.list.currentRow()

    def editing_text(self) -> bool:
        """True while the caption or the notes are being typed (their autosave waits for a pause)."""
        return self.text_edit.hasFocus() or self.notes_edit.hasFocus()

    def _label(self, index: int, step: StoryStep) -> str:
        label = f"{index + 1}. " + (step.title or self.tr("(untitled step)"))
        return label + (self.tr(" (variant {})").format(step.variant) if step.variant else "")

    def _refresh(self, focus: int | None) -> None:
        """Show the session's steps; select ``focus`` (the step a change concerns; the first one
        when a project opened, or the story was emptied). Rows are updated in place, the editor only
        where it differs, so typing is never disturbed by the model it changes."""
        steps = self.session.steps
        self.list.blockSignals(True)
        while self.list.count() > len(steps):
            self.list.takeItem(self.list.count() - 1)
        for i, step in enumerate(steps):
            label = self._label(i, step)
            item = self.list.item(i)
            if item is None:
                self.list.addItem(label)
            elif item.text() != label:
                item.setText(label)
        self.list.blockSignals(False)
        target = focus if focus is not None else 0
        if 0 <= target < len(steps) and target != self.list.currentRow():
            self.list.setCurrentRow(target)  # shows the step
        else:
            self._show_step(self.list.currentRow())

    def _on_views_changed(self, _focus: int | None) -> None:
        self._show_step(self.list.currentRow())

    def move_row(self, row: int, delta: int) -> None:
        if 0 <= row < len(self.session.steps) and 0 <= row + delta < len(self.session.steps):
            self.session.execute(MoveStep(row, row + delta))

    def delete_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.session.steps):
            self.session.execute(RemoveStep(row))

    def _capture_current(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.capture_requested.emit(row)

    # -- editor ------------------------------------------------------------------------------
    def current_step(self) -> StoryStep | None:
        row = self.list.currentRow()
        steps = self.session.steps
        return steps[row] if 0 <= row < len(steps) else None

    def _show_step(self, row: int) -> None:
        steps = self.session.steps
        step = steps[row] if 0 <= row < len(steps) else None
        self.form_widget.setEnabled(step is not None)
        self._loading = True
        if self.title_edit.text() != (step.title if step else ""):
            self.title_edit.setText(step.title if step else "")
        for edit, text in (
            (self.text_edit, step.text if step else ""),
            (self.notes_edit, step.notes if step else ""),
        ):
            if edit.toPlainText().strip() != text:
                edit.setPlainText(text)
        self.view_box.clear()
        self.view_box.addItem(self.tr("(keep the camera)"), None)
        for view in self.session.views:
            self.view_box.addItem(view.name, view.name)
        if step is not None and isinstance(step.view, CameraView):
            self.view_box.addItem(self.tr("Camera stored in the step"), "__inline__")
            self.view_box.setCurrentIndex(self.view_box.count() - 1)
        elif step is not None and step.view:
            index = self.view_box.findData(step.view)
            if index < 0:
                self.view_box.addItem(self.tr("{} (missing view)").format(step.view), step.view)
                index = self.view_box.count() - 1
            self.view_box.setCurrentIndex(index)
        timezone = self.session.timezone
        self.time_label.setText(format_local(step.time, timezone) if step and step.time else "—")
        self.replay_box.setChecked(bool(step and step.replay))
        if step and step.replay:
            hours = round(step.replay.duration_s() * step.replay.speed_s_per_s / 3600)
            self.replay_hours.setCurrentIndex(max(self.replay_hours.findData(hours), 0))
            self.replay_speed.setCurrentIndex(max(self.replay_speed.findData(step.replay.speed_s_per_s), 0))
        self._loading = False

    def _store_caption(self) -> None:
        step = self.current_step()
        if self._loading or step is None:
            return
        typed = {
            "title": self.title_edit.text().strip(),
            "text": self.text_edit.toPlainText().strip(),
            "notes": self.notes_edit.toPlainText().strip(),
        }
        stored = {"title": step.title, "text": step.text, "notes": step.notes}
        changes = {name: value for name, value in typed.items() if value != stored[name]}
        if changes:
            self.session.execute(EditStep(self.list.currentRow(), **changes))

    def _store_view(self) -> None:
        step = self.current_step()
        if self._loading or step is None:
            return
        data = self.view_box.currentData()
        if data == "__inline__" or data == step.view:
            return
        self.session.execute(EditStep(self.list.currentRow(), view=data))

    def _store_replay(self) -> None:
        step = self.current_step()
        if self._loading or step is None:
            return
        replay = None
        if self.replay_box.isChecked() and step.time is not None:
            hours = self.replay_hours.currentData()
            replay = Replay(step.time, step.time + timedelta(hours=hours), self.replay_speed.currentData())
        if replay != step.replay:
            self.session.execute(EditStep(self.list.currentRow(), replay=replay))
