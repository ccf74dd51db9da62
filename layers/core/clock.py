"""The scene clock: one timezone-aware time read by every time-aware layer.

Layers never own time. The GUI's timeline and the video exporter only move this clock; layers answer
``values_at(t)`` for whatever time it shows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from layers.core.events import Event
from layers.core.timeutil import DEFAULT_TIMEZONE, format_local, parse_time, zone

#: real seconds between two frames of the GUI's replay (its timer ticks at 25 frames per second)
DEFAULT_FRAME_INTERVAL_S = 0.04


class Clock:
    """The scene's current time, its range and its replay speed.

    Parameters
    ----------
    timezone
        IANA name of the scene's zone (display, and the meaning of naive times).

    Events
    ------
    changed(time)
        After every change of :attr:`time`.
    range_changed(start, end)
        When the replay range changes.
    """

    def __init__(self, timezone: str = DEFAULT_TIMEZONE) -> None:
        self.timezone = zone(timezone).key
        self._time: datetime | None = None
        self._start: datetime | None = None
        self._end: datetime | None = None
        #: simulated seconds per real second when playing
        self.speed_s_per_s: float = 600.0
        #: real seconds between two displayed frames of a replay: the timeline's tick, a video's
        #: 1 / fps (set by whoever plays the clock)
        self.frame_interval_s: float = DEFAULT_FRAME_INTERVAL_S
        self.loop: bool = True
        self.changed = Event("changed")
        self.range_changed = Event("range_changed")

    # -- range -----------------------------------------------------------------------------
    @property
    def start(self) -> datetime | None:
        return self._start

    @property
    def end(self) -> datetime | None:
        return self._end

    def set_range(self, start: datetime, end: datetime) -> None:
        """Set the replay range (aware datetimes); the current time is kept inside it."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("clock range must be timezone-aware")
        if end < start:
            start, end = end, start
        self._start, self._end = start, end
        self.range_changed.emit(start, end)
        if self._time is None or not (start <= self._time <= end):
            self.time = start

    def extend_range(self, start: datetime, end: datetime) -> None:
        """Grow the range to include ``start``..``end``."""
        if self._start is None or self._end is None:
            self.set_range(start, end)
        else:
            self.set_range(min(self._start, start), max(self._end, end))

    def set_timezone(self, name: str) -> None:
        """Show times in the IANA zone ``name`` (the instant does not move); emits ``changed`` so
        labels follow. ``ValueError`` for an unknown zone."""
        self.timezone = zone(name).key
        if self._start is not None and self._end is not None:
            self._start = self._start.astimezone(zone(self.timezone))
            self._end = self._end.astimezone(zone(self.timezone))
            self.range_changed.emit(self._start, self._end)
        if self._time is not None:
            self._time = self._time.astimezone(zone(self.timezone))
            self.changed.emit(self._time)

    # -- time ------------------------------------------------------------------------------
    @property
    def time(self) -> datetime | None:
        return self._time

    @time.setter
    def time(self, value: datetime | str) -> None:
        t = parse_time(value, self.timezone) if isinstance(value, str) else value
        if t.tzinfo is None:
            raise ValueError("clock time must be timezone-aware")
        t = t.astimezone(zone(self.timezone))
        if t == self._time:
            return
        self._time = t
        self.changed.emit(t)

    def advance(self, real_seconds: float) -> datetime:
        """Move forward by ``real_seconds × speed``; wraps at the end when :attr:`loop` is set."""
        if self._time is None:
            raise ValueError("the clock has no time yet")
        t = self._time + timedelta(seconds=real_seconds * self.speed_s_per_s)
        if self._end is not None and t > self._end:
            t = self._start if (self.loop and self._start is not None) else self._end
        self.time = t
        return t

    @property
    def frame_step_s(self) -> float:
        """Simulated seconds from one displayed frame of a replay to the next (speed × frame
        interval): time-aware layers show the mean over a bin at least that long rather than the
        reading of one instant, so a fast replay does not flicker. A 10 fps video stepping 15 min a
        frame and the GUI playing 15 min per 40-ms tick show the same means."""
        return abs(self.speed_s_per_s) * self.frame_interval_s

    def play_frames(self, *, step_s: float, fps: float) -> None:
        """Replay ``step_s`` simulated seconds per frame at ``fps`` frames a second (a video)."""
        self.frame_interval_s = 1.0 / fps
        self.speed_s_per_s = step_s * fps

    def fraction(self) -> float:
        """Where the current time lies in the range, 0..1 (0 without a range)."""
        if self._time is None or self._start is None or self._end is None or self._end == self._start:
            return 0.0
        return (self._time - self._start) / (self._end - self._start)

    def at_fraction(self, f: float) -> datetime:
        """The time at fraction ``f`` (clamped to 0..1) of the range."""
        if self._start is None or self._end is None:
            raise ValueError("the clock has no range")
        f = min(max(f, 0.0), 1.0)
        return self._start + (self._end - self._start) * f

    def label(self) -> str:
        """The current time as shown to users, in the scene's zone."""
        return format_local(self._time, self.timezone) if self._time else "—"
