"""The story panel: the steps of the mediation story, their captions, order and preview."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from layers.core.timeutil import format_local
from layers.session.story import Replay, Story, StoryStep
from layers.session.views import CameraView

#: (label, simulated seconds per real second) for replays
REPLAY_SPEEDS = (("10 min/s", 600.0), ("30 min/s", 1800.0), ("1 h/s", 3600.0), ("3 h/s", 10800.0))


class StoryPanel(QWidget):
    """Edits a :class:`layers.session.story.Story`.

    Signals
    -------
    changed()
        After any edit (the window autosaves).
    capture_requested(row)
        Asks the window for a step from the current state: ``row`` −1 adds one, else replaces the
        scene part of that step (the window answers with :meth:`add_step` / :meth:`set_scene_part`).
    preview_requested(row), present_requested(row)
    """

    changed = Signal()
    capture_requested = Signal(int)
    preview_requested = Signal(int)
    present_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.story = Story()
        self.view_names: list[str] = []
        self.timezone = "Europe/Paris"
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
            ("↑", self.tr("Move up"), lambda: self.move(self.list.currentRow(), -1)),
            ("↓", self.tr("Move down"), lambda: self.move(self.list.currentRow(), 1)),
            (self.tr("Delete"), self.tr("Delete the selected step"), self.delete_current),
        ]
        for i, (text, tip, slot) in enumerate(specs):
            button = QPushButton(text, self)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.addWidget(button, i // 2, i % 2)

        self.title_edit = QLineEdit(self)
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
        for widget in (self.title_edit,):
            widget.editingFinished.connect(self._store_caption)
        for widget in (self.text_edit, self.notes_edit):
            widget.textChanged.connect(self._store_caption)
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
        splitter.addWidget(form_widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._show_step(-1)

    # -- content -----------------------------------------------------------------------------
    def set_story(self, story: Story, view_names: list[str], timezone: str) -> None:
        self.story = story
        self.timezone = timezone
        self.set_view_names(view_names)
        self._refresh(0 if len(story) else None)

    def set_view_names(self, names: list[str]) -> None:
        self.view_names = list(names)
        row = self.list.currentRow()
        self._show_step(row)

    def _refresh(self, current: int | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for i, step in enumerate(self.story.steps):
            self.list.addItem(f"{i + 1}. " + (step.title or self.tr("(untitled step)")))
        self.list.blockSignals(False)
        if current is not None and 0 <= current < len(self.story):
            self.list.setCurrentRow(current)
        else:
            self._show_step(self.list.currentRow())

    def add_step(self, step: StoryStep, index: int | None = None) -> int:
        if not step.title:
            step.title = self.tr("Step {}").format(len(self.story) + 1)
        index = self.story.add(step, index)
        self._refresh(index)
        self.changed.emit()
        return index

    def set_scene_part(self, row: int, captured: StoryStep) -> None:
        """Give step ``row`` the view, layers, styles and time of ``captured`` (caption kept)."""
        if not 0 <= row < len(self.story):
            return
        step = self.story[row]
        step.view, step.visible, step.styles, step.opacity, step.time = (
            captured.view,
            captured.visible,
            captured.styles,
            captured.opacity,
            captured.time,
        )
        if step.replay is not None and captured.time is not None:
            length = step.replay.end - step.replay.start
            step.replay = Replay(captured.time, captured.time + length, step.replay.speed_s_per_s)
        self._refresh(row)
        self.changed.emit()

    def _capture_current(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.capture_requested.emit(row)

    def move(self, row: int, delta: int) -> None:
        if 0 <= row < len(self.story) and 0 <= row + delta < len(self.story):
            self._refresh(self.story.move(row, row + delta))
            self.changed.emit()

    def delete_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.story):
            self.story.remove(row)
            self._refresh(min(row, len(self.story) - 1))
            self.changed.emit()

    # -- editor ------------------------------------------------------------------------------
    def current_step(self) -> StoryStep | None:
        row = self.list.currentRow()
        return self.story[row] if 0 <= row < len(self.story) else None

    def _show_step(self, row: int) -> None:
        step = self.story[row] if 0 <= row < len(self.story) else None
        self.form_widget.setEnabled(step is not None)
        self._loading = True
        self.title_edit.setText(step.title if step else "")
        self.text_edit.setPlainText(step.text if step else "")
        self.notes_edit.setPlainText(step.notes if step else "")
        self.view_box.clear()
        self.view_box.addItem(self.tr("(keep the camera)"), None)
        for name in self.view_names:
            self.view_box.addItem(name, name)
        if step is not None and isinstance(step.view, CameraView):
            self.view_box.addItem(self.tr("Camera stored in the step"), "__inline__")
            self.view_box.setCurrentIndex(self.view_box.count() - 1)
        elif step is not None and step.view:
            index = self.view_box.findData(step.view)
            if index < 0:
                self.view_box.addItem(self.tr("{} (missing view)").format(step.view), step.view)
                index = self.view_box.count() - 1
            self.view_box.setCurrentIndex(index)
        self.time_label.setText(format_local(step.time, self.timezone) if step and step.time else "—")
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
        title, text, notes = (
            self.title_edit.text().strip(),
            self.text_edit.toPlainText().strip(),
            self.notes_edit.toPlainText().strip(),
        )
        if (title, text, notes) != (step.title, step.text, step.notes):
            step.title, step.text, step.notes = title, text, notes
            row = self.list.currentRow()
            self.list.item(row).setText(f"{row + 1}. " + (title or self.tr("(untitled step)")))
            self.changed.emit()

    def _store_view(self) -> None:
        step = self.current_step()
        if self._loading or step is None:
            return
        data = self.view_box.currentData()
        if data == "__inline__":
            return
        step.view = data
        self.changed.emit()

    def _store_replay(self) -> None:
        step = self.current_step()
        if self._loading or step is None:
            return
        if self.replay_box.isChecked() and step.time is not None:
            hours = self.replay_hours.currentData()
            step.replay = Replay(
                step.time, step.time + timedelta(hours=hours), self.replay_speed.currentData()
            )
        else:
            step.replay = None
        self.changed.emit()
