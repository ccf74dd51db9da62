"""What a video shows, frame after frame: a time replay, or the mediation story.

A plan knows its frame count before the first frame (progress bars) and, frame after frame, puts
the scene in the state of that frame — clock moved, camera placed, layers faded, caption written —
*before* the frame is rendered and grabbed; nothing is left to load in the background, so no frame
is half drawn.

The story is played as presentation mode plays it (``desktop/presentation.py``), with time taken
from the frame count instead of a wall clock: for each step, a camera flight from the previous view
(:func:`viewer.camera.interpolate`) while layers fade in and out, then the step's replay at its own
speed, then a hold long enough to read the caption.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from layers.core.errors import InputError
from layers.core.timeutil import parse_time
from layers.session.story import Story, StoryStep, apply_step, layer_key
from layers.session.views import CameraView

from . import camera as camera_util

if TYPE_CHECKING:
    from layers.core.base import Layer
    from layers.core.scene import Scene

    from .scene_view import SceneView

#: a layer fading during a flight: (layer, opacity at the start, at the end, visible after)
Fade = tuple["Layer[Any]", float, float, bool]

#: a replay with no --step lasts this long (seconds of video)
DEFAULT_REPLAY_S = 20.0
#: story timing (seconds of video): camera flight and layer fades between steps, hold on a step
FLIGHT_S = 2.0
FADE_S = 0.8
HOLD_MIN_S, HOLD_MAX_S = 3.0, 10.0
#: --hold asks for at most this long on each step (seconds)
HOLD_LIMIT_S = 600.0
#: reading speed for a caption's hold (characters per second)
READING_CHARS_PER_S = 14.0
#: a story step's replay is cut to this many seconds of video
REPLAY_MAX_S = 60.0
#: frames a video holds at most (20 minutes at 30 fps): a plan is sized before its first frame
MAX_VIDEO_FRAMES = 36_000


def check_frame_count(count: float, fps: float, what: str) -> None:
    """:class:`InputError` for a plan of more than :data:`MAX_VIDEO_FRAMES` frames, said in minutes."""
    if not count <= MAX_VIDEO_FRAMES:  # also NaN
        minutes = count / fps / 60
        raise InputError(
            None,
            f"{what} would make {count:,.0f} frames ({minutes:,.0f} min of video at {fps:g} fps); "
            f"a video holds at most {MAX_VIDEO_FRAMES:,} frames",
            hint="a larger --step, a shorter --start/--end range, or a smaller --duration or --hold",
        )


def parse_duration_s(text: str | float | None, what: str = "--step") -> float | None:
    """Seconds in ``text``: a number of seconds, or a duration like ``10min``, ``1h``, ``PT15M``."""
    if text is None:
        return None
    try:
        seconds = float(text)
    except (TypeError, ValueError):
        try:
            seconds = pd.Timedelta(str(text).strip()).total_seconds()
        except (TypeError, ValueError):
            raise InputError(
                None, f"{what} {text!r}: expected seconds or a duration such as 10min, 1h, PT15M"
            ) from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise InputError(None, f"{what} {text!r}: must be more than zero")
    return seconds


class ReplayPlan:
    """The clock run from ``start`` to ``end`` (both included) by ``step_s`` per frame."""

    def __init__(self, start: datetime, end: datetime, step_s: float, fps: float) -> None:
        if end < start:
            raise InputError(None, f"--end {end.isoformat()} is before --start {start.isoformat()}")
        self.start, self.end, self.step_s, self.fps = start, end, float(step_s), float(fps)
        frames = (end - start).total_seconds() / self.step_s + 1
        check_frame_count(frames, self.fps, "this replay")
        self.count = int(math.floor(frames - 1 + 1e-6)) + 1

    @classmethod
    def for_scene(
        cls,
        scene: Scene,
        fps: float,
        *,
        start: str | None = None,
        end: str | None = None,
        step: str | float | None = None,
        duration_s: float | None = None,
    ) -> ReplayPlan:
        """A replay of ``scene`` (default: its clock's whole range, lasting :data:`DEFAULT_REPLAY_S`)."""
        tz = scene.timezone
        clock = scene.clock
        try:
            t0 = parse_time(start, tz) if start else clock.start
            t1 = parse_time(end, tz) if end else clock.end
        except ValueError as exc:
            raise InputError(None, f"--start/--end: {exc}") from None
        if t0 is None or t1 is None:
            raise InputError(
                None, "nothing changes with time in these layers: give --start and --end, or --story"
            )
        step_s = parse_duration_s(step)
        if step_s is None:
            span = max((t1 - t0).total_seconds(), 1.0)
            if duration_s is not None and not (math.isfinite(duration_s) and duration_s > 0):
                raise InputError(None, f"--duration {duration_s:g}: must be a number of seconds above zero")
            if duration_s is not None:
                check_frame_count(duration_s * fps, fps, f"--duration {duration_s:g}")
            frames = max(2, round((duration_s or DEFAULT_REPLAY_S) * fps))
            step_s = span / (frames - 1)
        return cls(t0, t1, step_s, fps)

    def __len__(self) -> int:
        return self.count

    def times(self) -> Iterator[datetime]:
        for i in range(self.count):
            yield self.start + timedelta(seconds=i * self.step_s)

    def frames(self, view: SceneView) -> Generator[bool, None, None]:
        """Move the scene to each frame in turn; yields ``True`` (every frame of a replay may
        differ from the one before)."""
        clock = view.scene.clock
        clock.loop = False
        clock.play_frames(step_s=self.step_s, fps=self.fps)  # sensors average over a frame's step
        for t in self.times():
            clock.time = t
            yield True

    def describe(self) -> dict:
        return {
            "mode": "replay",
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "step_s": self.step_s,
        }


@dataclass
class _StepTiming:
    flight: int
    replay: int
    hold: int

    @property
    def total(self) -> int:
        return self.flight + self.replay + self.hold


def hold_seconds(step: StoryStep) -> float:
    """How long a step is held: time to read its caption, within 3 to 10 s."""
    chars = len(step.title) + len(step.text)
    return min(max(1.5 + chars / READING_CHARS_PER_S, HOLD_MIN_S), HOLD_MAX_S)


class StoryPlan:
    """The story, step by step: flight and fades, the step's replay, a hold on its caption.

    ``views``: the project's named views (steps may name one, or hold their own).
    ``hold_s``: a fixed hold per step instead of the reading time.
    """

    def __init__(
        self,
        story: Story,
        views: list[CameraView],
        fps: float,
        *,
        hold_s: float | None = None,
        flight_s: float = FLIGHT_S,
    ) -> None:
        if not story.steps:
            raise InputError(None, "--story: the project has no story (add steps in the Story panel)")
        if hold_s is not None and not (math.isfinite(hold_s) and 0 < hold_s <= HOLD_LIMIT_S):
            raise InputError(
                None, f"--hold {hold_s:g}: seconds on a step, above zero and at most {HOLD_LIMIT_S:g}"
            )
        self.story, self.fps = story, float(fps)
        self.views = {v.name: v for v in views}
        self.hold_s, self.flight_s = hold_s, flight_s
        self.timings = [self._timing(i, step) for i, step in enumerate(story.steps)]
        self.count = sum(t.total for t in self.timings)
        check_frame_count(self.count, self.fps, "this story")
        #: layer ids named by steps but not open (reported, not fatal)
        self.missing: list[str] = []

    def _timing(self, index: int, step: StoryStep) -> _StepTiming:
        flight = 0 if index == 0 else max(1, round(self.flight_s * self.fps))
        replay = 0
        if step.replay is not None:
            replay = max(2, round(min(step.replay.duration_s(), REPLAY_MAX_S) * self.fps) + 1)
        hold = max(1, round((self.hold_s if self.hold_s is not None else hold_seconds(step)) * self.fps))
        return _StepTiming(flight, replay, hold)

    def __len__(self) -> int:
        return self.count

    def resolve_view(self, step: StoryStep) -> CameraView | None:
        if isinstance(step.view, CameraView):
            return step.view
        return self.views.get(step.view) if step.view else None

    def frames(self, view: SceneView) -> Generator[bool, None, None]:
        """Move the scene to each frame in turn; yields whether the picture may differ from the
        previous frame's (``False`` for the frames of a hold after its first: the video repeats
        the picture instead of drawing it again)."""
        scene = view.scene
        clock = scene.clock
        clock.loop = False
        clock.frame_interval_s = 1.0 / self.fps  # a step's replay moves speed / fps per frame
        for index, (step, timing) in enumerate(zip(self.story.steps, self.timings)):
            before = {layer_key(layer): (layer.visible, layer.opacity) for layer in scene.layers}
            self.missing += [key for key in apply_step(scene, step) if key not in self.missing]
            fades = _fades(scene, before) if index > 0 else []
            view.set_leaving(layer for layer, _start, _end, keep in fades if not keep)
            view.caption.set(step.title, step.text)
            target = self.resolve_view(step)
            origin = view.current_view(target.name if target else "")
            if index == 0 and target is not None:
                view.go_to(target)
            for k in range(timing.flight):
                f = (k + 1) / timing.flight
                if target is not None:
                    view.go_to(camera_util.interpolate(origin, target, f))
                _set_fades(fades, min(f * self.flight_s / FADE_S, 1.0))
                yield True
            _end_fades(fades)
            view.set_leaving(())
            if target is not None:
                view.go_to(target)
            replay = step.replay
            if timing.replay and replay is not None:
                span = min((replay.end - replay.start).total_seconds(), REPLAY_MAX_S * replay.speed_s_per_s)
                clock.speed_s_per_s = replay.speed_s_per_s
                for k in range(timing.replay):
                    clock.time = replay.start + timedelta(seconds=span * k / (timing.replay - 1))
                    yield True
            for k in range(timing.hold):
                yield k == 0

    def describe(self) -> dict:
        return {
            "mode": "story",
            "steps": len(self.story.steps),
            "step_frames": [{"flight": t.flight, "replay": t.replay, "hold": t.hold} for t in self.timings],
        }


def _fades(scene: Scene, before: dict[str, tuple[bool, float]]) -> list[Fade]:
    """Layers that a step turns on (fade in from 0) or off (kept visible, fading out); ``before``:
    visibility and opacity of each layer (by its story key) before the step."""
    fades: list[Fade] = []
    for layer in scene.layers:
        was_visible, was_opacity = before.get(layer_key(layer), (layer.visible, layer.opacity))
        if layer.visible and not was_visible:
            target = layer.opacity
            layer.opacity = 0.0
            fades.append((layer, 0.0, target, True))
        elif was_visible and not layer.visible:
            layer.visible = True
            layer.opacity = was_opacity
            fades.append((layer, was_opacity, 0.0, False))
    return fades


def _set_fades(fades: list[Fade], f: float) -> None:
    for layer, start, end, _keep in fades:
        layer.opacity = start + (end - start) * f


def _end_fades(fades: list[Fade]) -> None:
    for layer, start, end, keep in fades:
        if keep:
            layer.opacity = end
        else:
            layer.visible = False
            layer.opacity = start
