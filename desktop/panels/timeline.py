"""The timeline dock: play, pause, step, scrub, speed, loop, jump to a date, named moments, the
time zone — it only ever moves the scene clock.

* Speeds run from one simulated minute to one week per second; fast replays of long series read
  the hourly / daily means (the sensor visuals choose the level from the speed).
* "Aller à" is a date-time editor in the scene's zone (what is typed is a local time there).
* Moments: suggestions computed from the data (the hottest night..., named in the interface's
  language) and the user's own, kept by the session model (saved in the project under ``moments``).
* The zone button shows the scene's zone and its current offset (``Europe/Paris · UTC+02:00``,
  summer time handled); its menu changes the zone times are shown and typed in (saved with the
  project). Times without an offset in a file are read in the layer's own ``timezone`` option
  (Europe/Paris by default) when it is opened.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from time import perf_counter

from PySide6.QtCore import QT_TR_NOOP, QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from layers.core import timeutil
from layers.core.clock import Clock
from layers.core.scene import Scene
from layers.core.timeutil import format_local, format_long
from layers.sensors.moments import Moment, suggest_moments
from layers.session.commands import NameMoment
from layers.session.model import SessionModel

#: (label, simulated seconds per real second)
SPEEDS = (
    (QT_TR_NOOP("1 min/s"), 60.0),
    (QT_TR_NOOP("10 min/s"), 600.0),
    (QT_TR_NOOP("1 h/s"), 3600.0),
    (QT_TR_NOOP("6 h/s"), 6 * 3600.0),
    (QT_TR_NOOP("1 day/s"), 86400.0),
    (QT_TR_NOOP("1 week/s"), 7 * 86400.0),
)
SLIDER_STEPS = 10000
#: target interval between animation frames, milliseconds
FRAME_MS = 40
#: the longest a frame may take and still move the clock by the time it took (seconds): slow frames
#: on a laptop without a GPU are dropped, time keeps the speed shown; past this (the window was
#: busy elsewhere, or dragged), the clock moves this much at most instead of jumping
MAX_TICK_S = 1.0
#: zones offered by the zone menu (the scene's own is always listed first)
ZONES = (
    "Europe/Paris",
    "UTC",
    "Europe/London",
    "Europe/Brussels",
    "America/Montreal",
    "Indian/Reunion",
    "America/Martinique",
    "Pacific/Noumea",
)
MOMENT_PLACEHOLDER = QT_TR_NOOP("Moments…")


def zone_label(t: datetime | None, tz: str) -> str:
    """``"Europe/Paris · UTC+02:00 (CEST)"`` for the zone at time ``t``."""
    zone = timeutil.zone(tz)
    when = (t or datetime.now(zone)).astimezone(zone)
    offset = when.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    text = f"{tz} · UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    abbrev = when.strftime("%Z")
    return f"{text} ({abbrev})" if abbrev and not abbrev.startswith(("+", "-", "UTC")) else text


class TimelinePanel(QWidget):
    """Controls bound to a :class:`layers.core.clock.Clock`; the user's moments are ``session``'s.

    Signals
    -------
    playing_changed(bool)
    timezone_changed(str)
    """

    playing_changed = Signal(bool)
    timezone_changed = Signal(str)

    def __init__(self, session: SessionModel, parent: QWidget | None = None, language: str = "fr") -> None:
        super().__init__(parent)
        #: language of the long date ("mardi 1 juillet 2025" / "Tuesday 1 July 2025")
        self.language = language
        self.session = session
        self.clock: Clock | None = None
        self.scene: Scene | None = None
        #: what the moment list shows: the user's moments, then the suggested ones
        self.moments: list[Moment] = []
        self._syncing = False
        self._last_tick = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._tick)

        style = self.style()
        self.play_button = QToolButton(self)
        self.play_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_button.setToolTip(self.tr("Play / pause (Space)"))
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self.set_playing)
        self.back_button = QToolButton(self)
        self.back_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekBackward))
        self.back_button.setToolTip(self.tr("One step back"))
        self.back_button.clicked.connect(lambda: self.step(-1))
        self.forward_button = QToolButton(self)
        self.forward_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekForward))
        self.forward_button.setToolTip(self.tr("One step forward"))
        self.forward_button.clicked.connect(lambda: self.step(1))

        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setToolTip(self.tr("Drag to move the clock"))
        self.slider.valueChanged.connect(self._on_slider)

        self.time_label = QLabel("—", self)
        font = self.time_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.time_label.setFont(font)
        self.time_label.setMinimumWidth(300)
        self.range_label = QLabel("", self)
        self.range_label.setStyleSheet("color: palette(mid);")

        self.speed_box = QComboBox(self)
        for label, _ in SPEEDS:
            self.speed_box.addItem(self.tr(str(label)))  # str(): QT_TR_NOOP is typed as returning object
        self.speed_box.setCurrentIndex(1)
        self.speed_box.setToolTip(
            self.tr("Replay speed: simulated time per second (fast replays show hourly or daily means)")
        )
        self.speed_box.currentIndexChanged.connect(self._on_speed)
        self.loop_box = QCheckBox(self.tr("Loop"), self)
        self.loop_box.setChecked(True)
        self.loop_box.toggled.connect(self._on_loop)

        self.date_edit = QDateTimeEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.date_edit.setToolTip(self.tr("Go to a date and time (in the time zone shown on the right)"))
        self.date_edit.editingFinished.connect(self._on_date_edited)
        self.date_edit.dateTimeChanged.connect(self._on_date_typed)
        self._date_typed = False
        self.moment_box = QComboBox(self)
        self.moment_box.setMinimumWidth(230)
        self.moment_box.setToolTip(self.tr("Jump to a named moment: suggestions from the data, and yours"))
        self.moment_box.activated.connect(self._on_moment)
        self.name_button = QToolButton(self)
        self.name_button.setText(self.tr("Name…"))
        self.name_button.setToolTip(self.tr("Name the current moment (saved in the project)"))
        self.name_button.clicked.connect(self.name_current_moment)
        self.zone_button = QToolButton(self)
        self.zone_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.zone_button.setToolTip(
            self.tr(
                "Times are shown in this zone, summer time included. Times written without an offset in a "
                "file are read in the layer's zone (Europe/Paris unless its timezone option says otherwise)."
            )
        )
        self.zone_menu = QMenu(self.zone_button)
        self.zone_button.setMenu(self.zone_menu)

        top = QHBoxLayout()
        for widget in (self.back_button, self.play_button, self.forward_button):
            top.addWidget(widget)
        top.addWidget(self.time_label, 1)
        top.addWidget(QLabel(self.tr("Speed:"), self))
        top.addWidget(self.speed_box)
        top.addWidget(self.loop_box)
        second = QHBoxLayout()
        second.addWidget(QLabel(self.tr("Go to:"), self))
        second.addWidget(self.date_edit)
        second.addWidget(self.moment_box)
        second.addWidget(self.name_button)
        second.addStretch(1)
        second.addWidget(self.range_label)
        second.addWidget(self.zone_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.slider)
        layout.addLayout(second)
        self._controls = (
            self.play_button,
            self.back_button,
            self.forward_button,
            self.slider,
            self.speed_box,
            self.loop_box,
            self.date_edit,
            self.moment_box,
            self.name_button,
        )
        self.set_clock(None)
        session.moments_changed.connect(self.refresh_moments)

    # -- binding -----------------------------------------------------------------------------
    def set_scene(self, scene: Scene | None) -> None:
        """The scene whose layers give suggested moments."""
        self.scene = scene
        if scene is not None:
            scene.layer_added.connect(lambda *_: self.refresh_moments())
            scene.layer_removed.connect(lambda *_: self.refresh_moments())
        self.refresh_moments()

    def set_clock(self, clock: Clock | None) -> None:
        self.set_playing(False)
        if self.clock is not None:
            self.clock.changed.disconnect(self._on_clock)
            self.clock.range_changed.disconnect(self._on_range)
        self.clock = clock
        if clock is not None:
            clock.frame_interval_s = FRAME_MS / 1000  # what the sensors average over while playing
        enabled = clock is not None and clock.start is not None
        for widget in self._controls:
            widget.setEnabled(enabled)
        self.zone_button.setEnabled(clock is not None)
        if clock is None:
            self.time_label.setText(self.tr("No time series in the scene"))
            self.range_label.setText("")
            self.zone_button.setText("")
            return
        clock.changed.connect(self._on_clock)
        clock.range_changed.connect(self._on_range)
        speeds = [s for _, s in SPEEDS]
        nearest = min(range(len(speeds)), key=lambda i: abs(speeds[i] - clock.speed_s_per_s))
        self.speed_box.setCurrentIndex(nearest)
        self.loop_box.setChecked(clock.loop)
        self._fill_zone_menu()
        if clock.start is not None and clock.end is not None:
            self._on_range(clock.start, clock.end)
        if clock.time is not None:
            self._on_clock(clock.time)
        else:
            self.time_label.setText(self.tr("No time series in the scene"))
        self.refresh_moments()

    # -- playing -----------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def set_playing(self, playing: bool) -> None:
        if playing and (self.clock is None or self.clock.start is None):
            playing = False
        if playing == self.timer.isActive():
            self._sync_play_button(playing)
            return
        if playing:
            self._last_tick = perf_counter()
            self.timer.start()
        else:
            self.timer.stop()
        self._sync_play_button(playing)
        self.playing_changed.emit(playing)

    def toggle(self) -> None:
        self.set_playing(not self.playing)

    def _sync_play_button(self, playing: bool) -> None:
        self.play_button.blockSignals(True)
        self.play_button.setChecked(playing)
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.blockSignals(False)

    def _tick(self) -> None:
        now = perf_counter()
        elapsed = min(now - self._last_tick, MAX_TICK_S)  # the time the frame took: frames dropped, not time
        self._last_tick = now
        if self.clock is None or self.clock.time is None:
            return
        before = self.clock.time
        after = self.clock.advance(elapsed)
        if not self.clock.loop and after == before and after == self.clock.end:
            self.set_playing(False)

    def step(self, direction: int) -> None:
        """Move by one step of the current speed (a second's worth of replay)."""
        if self.clock is None or self.clock.time is None:
            return
        delta = timedelta(seconds=self.clock.speed_s_per_s * direction)
        self.go_to(self.clock.time + delta)

    def go_to(self, t: datetime) -> None:
        """Move the clock to ``t`` (kept inside the range)."""
        if self.clock is None:
            return
        start, end = self.clock.start, self.clock.end
        if start is not None and end is not None:
            t = min(max(t, start), end)
        self.clock.time = t

    # -- moments -----------------------------------------------------------------------------
    def refresh_moments(self) -> None:
        """Recompute the suggestions, take the user's moments; refill the list."""
        tz = self.clock.timezone if self.clock is not None else timeutil.DEFAULT_TIMEZONE
        suggested = suggest_moments(self.scene.layers, tz) if self.scene is not None else []
        self.moments = list(self.session.moments) + suggested
        self.moment_box.blockSignals(True)
        self.moment_box.clear()
        self.moment_box.addItem(self.tr(str(MOMENT_PLACEHOLDER)), None)
        for i, moment in enumerate(self.moments):
            when = moment.time.astimezone(timeutil.zone(tz)).strftime("%d/%m %H:%M")
            mark = "★ " if not moment.suggested else ""
            self.moment_box.addItem(f"{mark}{moment.title(self.language)} — {when}", i)
            if moment.layer:
                self.moment_box.setItemData(
                    i + 1, self.tr("Suggested from {}").format(moment.layer), Qt.ItemDataRole.ToolTipRole
                )
        self.moment_box.setCurrentIndex(0)
        self.moment_box.blockSignals(False)

    def _on_moment(self, index: int) -> None:
        data = self.moment_box.itemData(index)
        if data is None:
            return
        self.go_to(self.moments[int(data)].time)
        self.moment_box.setCurrentIndex(0)

    def name_current_moment(self, name: str | None = None) -> Moment | None:
        """Keep the clock's time as a named moment of the session (asks the name when ``None``)."""
        if self.clock is None or self.clock.time is None:
            return None
        if name is None:
            name, ok = QInputDialog.getText(
                self, self.tr("Name this moment"), self.tr("Name (e.g. « Hottest night »):")
            )
            if not ok:
                return None
        name = (name or "").strip()
        if not name:
            return None
        moment = Moment(name, self.clock.time)
        self.session.execute(NameMoment(moment))
        return moment

    # -- time zone ---------------------------------------------------------------------------
    def _fill_zone_menu(self) -> None:
        self.zone_menu.clear()
        current = self.clock.timezone if self.clock is not None else timeutil.DEFAULT_TIMEZONE
        for name in dict.fromkeys((current, *ZONES)):
            action = QAction(name, self.zone_menu)
            action.setCheckable(True)
            action.setChecked(name == current)
            action.triggered.connect(lambda _=False, n=name: self.set_timezone(n))
            self.zone_menu.addAction(action)
        self.zone_menu.addSeparator()
        other = QAction(self.tr("Other zone…"), self.zone_menu)
        other.triggered.connect(self._ask_zone)
        self.zone_menu.addAction(other)

    def _ask_zone(self) -> None:
        name, ok = QInputDialog.getText(
            self, self.tr("Time zone"), self.tr("IANA name (e.g. Europe/Paris, America/Cayenne):")
        )
        if ok and name.strip():
            self.set_timezone(name.strip())

    def set_timezone(self, name: str) -> bool:
        """Show times in zone ``name``; ``False`` (nothing changed) for an unknown zone."""
        if self.clock is None:
            return False
        try:
            self.clock.set_timezone(name)
        except ValueError:
            return False
        self._fill_zone_menu()
        self.refresh_moments()
        self.timezone_changed.emit(self.clock.timezone)
        return True

    # -- clock → widgets -----------------------------------------------------------------------
    def _on_clock(self, t: datetime) -> None:
        if self.clock is None:  # connected to the clock it follows
            return
        tz = self.clock.timezone
        self.time_label.setText(format_long(t, tz, self.language))
        self._syncing = True
        self.slider.setValue(int(round(self.clock.fraction() * SLIDER_STEPS)))
        if not self.date_edit.hasFocus() or not self._date_typed:
            local = t.astimezone(timeutil.zone(tz))
            self.date_edit.setDateTime(
                QDateTime(local.year, local.month, local.day, local.hour, local.minute, local.second)
            )
        self.zone_button.setText(zone_label(t, tz))
        self._syncing = False

    def _on_range(self, start: datetime, end: datetime) -> None:
        if self.clock is None:  # connected to the clock it follows
            return
        tz = self.clock.timezone
        self.range_label.setText(f"{format_local(start, tz)}  →  {format_local(end, tz)}")
        for widget in self._controls:
            widget.setEnabled(True)
        self.zone_button.setText(zone_label(self.clock.time or start, tz))
        local = (start.astimezone(timeutil.zone(tz)), end.astimezone(timeutil.zone(tz)))
        syncing, self._syncing = self._syncing, True
        self.date_edit.setDateTimeRange(
            QDateTime(*local[0].timetuple()[:6]), QDateTime(*local[1].timetuple()[:6])
        )
        self._syncing = syncing

    # -- widgets → clock -----------------------------------------------------------------------
    def _on_slider(self, value: int) -> None:
        if self._syncing or self.clock is None or self.clock.start is None:
            return
        self.clock.time = self.clock.at_fraction(value / SLIDER_STEPS)

    def _on_date_typed(self, _value: QDateTime) -> None:
        if not self._syncing:
            self._date_typed = True

    def _on_date_edited(self) -> None:
        if self._syncing or self.clock is None or not self._date_typed:
            return  # focus left the editor without a change: the clock stays where it is
        self._date_typed = False
        value = self.date_edit.dateTime()
        naive = datetime(
            value.date().year(),
            value.date().month(),
            value.date().day(),
            value.time().hour(),
            value.time().minute(),
            value.time().second(),
        )
        self.go_to(timeutil.parse_time(naive.isoformat(), self.clock.timezone))

    def _on_speed(self, index: int) -> None:
        if self.clock is not None:
            self.clock.speed_s_per_s = SPEEDS[index][1]
            # the sensor visuals read the level matching the speed: show it now, not at the next tick
            if self.clock.time is not None:
                self.clock.changed.emit(self.clock.time)

    def _on_loop(self, loop: bool) -> None:
        if self.clock is not None:
            self.clock.loop = loop
