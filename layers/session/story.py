"""The mediation story: an ordered list of steps a mediator steps through in a public meeting.

A step holds a camera view (by name, or inline), which layers are visible with their styles, the
clock time or a time range to replay, and a caption (title + a few lines) plus notes for the
presenter only. Steps are stored in the project file under ``story``; keys this version does not
know survive a load / save.

Project form of a step::

    {"title": "...", "text": "...", "notes": "...", "view": "Les quais" | {inline view},
     "visible": ["buildings", "noise"], "styles": {"buildings": {"color_by": "hauteur"}},
     "opacity": {"noise": 0.8}, "time": ISO, "replay": {"start": ISO, "end": ISO,
     "speed_s_per_s": 1800}, "variant": "B"}

``variant`` names the variant of the planned project the step shows (``None``: the one shown).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from layers.core.timeutil import parse_time
from layers.session.views import CameraView

KNOWN_KEYS = {"title", "text", "notes", "view", "visible", "styles", "opacity", "time", "replay", "variant"}


@dataclass
class Replay:
    """A time range the clock runs through by itself while the step is shown."""

    start: datetime
    end: datetime
    #: simulated seconds per real second
    speed_s_per_s: float = 1800.0

    def duration_s(self) -> float:
        """Real seconds the replay takes."""
        return (self.end - self.start).total_seconds() / max(self.speed_s_per_s, 1e-9)


@dataclass
class StoryStep:
    """One step of a story (see the module docstring for its project form)."""

    title: str = ""
    text: str = ""
    notes: str = ""
    #: name of a project view, or an inline view
    view: str | CameraView | None = None
    #: ids of the layers shown; ``None`` leaves visibility as it is
    visible: list[str] | None = None
    styles: dict[str, dict[str, Any]] = field(default_factory=dict)
    opacity: dict[str, float] = field(default_factory=dict)
    time: datetime | None = None
    replay: Replay | None = None
    #: the planned project's variant shown by the step (its name); ``None`` leaves it as it is
    variant: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any], tz: str | None = None) -> StoryStep:
        """Read a step of the project; :class:`StepError` names the key at fault."""
        if not isinstance(data, dict):
            raise StepError("", "a story step must be an object")
        view = data.get("view")
        if isinstance(view, dict):
            try:
                view = CameraView.from_dict(view)
            except ValueError as exc:
                raise StepError("view", str(exc)) from None
        elif view is not None:
            view = str(view)
        replay = None
        if data.get("replay") is not None:
            replay = _replay(data["replay"], tz)
        visible = data.get("visible")
        variant = data.get("variant")
        if variant is not None and not isinstance(variant, str):
            raise StepError("variant", f"should be the name of a variant (text), not {str(variant)[:40]!r}")
        return cls(
            title=str(data.get("title") or ""),
            text=str(data.get("text") or ""),
            notes=str(data.get("notes") or ""),
            view=view,
            visible=[str(v) for v in visible] if isinstance(visible, list) else None,
            styles={str(k): dict(v) for k, v in _mapping(data, "styles").items() if isinstance(v, dict)},
            opacity={str(k): _opacity(v, f"opacity.{k}") for k, v in _mapping(data, "opacity").items()},
            time=_time(data["time"], tz, "time") if data.get("time") else None,
            replay=replay,
            variant=variant or None,
            extra={k: copy.deepcopy(v) for k, v in data.items() if k not in KNOWN_KEYS},
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(copy.deepcopy(self.extra))
        data["title"] = self.title
        data["text"] = self.text
        if self.notes:
            data["notes"] = self.notes
        if isinstance(self.view, CameraView):
            data["view"] = self.view.to_dict()
        elif self.view:
            data["view"] = self.view
        if self.visible is not None:
            data["visible"] = list(self.visible)
        if self.styles:
            data["styles"] = copy.deepcopy(self.styles)
        if self.opacity:
            data["opacity"] = dict(self.opacity)
        if self.time is not None:
            data["time"] = self.time.isoformat()
        if self.replay is not None:
            data["replay"] = {
                "start": self.replay.start.isoformat(),
                "end": self.replay.end.isoformat(),
                "speed_s_per_s": self.replay.speed_s_per_s,
            }
        if self.variant:
            data["variant"] = self.variant
        return data


class StepError(ValueError):
    """A story step that cannot be read: ``key`` is where in the step (``replay.start``)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _mapping(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise StepError(key, f"should be an object (layer id: value), not {str(value)[:40]!r}")
    return value


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise StepError(key, f"should be a number, not {str(value)[:40]!r}")
    return float(value)


def _opacity(value: Any, key: str) -> float:
    opacity = _number(value, key)
    if not 0 <= opacity <= 1:
        raise StepError(key, f"should be between 0 and 1, not {opacity:g}")
    return opacity


def _time(value: Any, tz: str | None, key: str) -> datetime:
    if not isinstance(value, str):
        raise StepError(key, f"should be an ISO 8601 time (text), not {str(value)[:40]!r}")
    try:
        return parse_time(value, tz)
    except ValueError as exc:
        raise StepError(key, str(exc)) from None


def _replay(value: Any, tz: str | None) -> Replay:
    if not isinstance(value, dict):
        raise StepError("replay", f"should be an object (start, end, speed_s_per_s), not {str(value)[:40]!r}")
    for key in ("start", "end"):
        if key not in value:
            raise StepError("replay", f"has no {key!r} time")
    speed = _number(value.get("speed_s_per_s", 1800.0), "replay.speed_s_per_s")
    if not 0 < speed <= 1e9:
        raise StepError("replay.speed_s_per_s", f"should be a replay speed above 0, not {speed:g}")
    start, end = _time(value["start"], tz, "replay.start"), _time(value["end"], tz, "replay.end")
    return Replay(start, end, speed)


class Story:
    """An ordered list of steps, with the editing operations the story panel needs."""

    def __init__(self, steps: list[StoryStep] | None = None) -> None:
        self.steps: list[StoryStep] = list(steps or [])

    @classmethod
    def from_list(cls, items: list[Any] | None, tz: str | None = None) -> Story:
        """Read the project's ``story``; raises ``ValueError`` naming the bad step."""
        steps = []
        for i, item in enumerate(items or []):
            try:
                steps.append(StoryStep.from_dict(item, tz))
            except StepError as exc:
                where = f"story[{i}]" + (f".{exc.key}" if exc.key else "")
                raise ValueError(f"story step {i + 1} ({where}): {exc}") from None
        return cls(steps)

    def to_list(self) -> list[dict[str, Any]]:
        return [step.to_dict() for step in self.steps]

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, index: int) -> StoryStep:
        return self.steps[index]

    def add(self, step: StoryStep, index: int | None = None) -> int:
        """Insert ``step`` (at the end by default); returns its index."""
        index = len(self.steps) if index is None else max(0, min(index, len(self.steps)))
        self.steps.insert(index, step)
        return index

    def remove(self, index: int) -> StoryStep:
        return self.steps.pop(index)

    def move(self, index: int, new_index: int) -> int:
        """Move a step; returns where it ended up (clamped to the list)."""
        step = self.steps.pop(index)
        new_index = max(0, min(new_index, len(self.steps)))
        self.steps.insert(new_index, step)
        return new_index


def layer_key(layer: Any) -> str:
    """How a story refers to a layer: its project id, else its name."""
    return getattr(layer, "project_id", None) or layer.name


def capture_step(
    scene: Any,
    view: CameraView | str | None,
    *,
    title: str = "",
    text: str = "",
    variant: str | None = None,
) -> StoryStep:
    """A step holding the scene as it is now: visible layers, their styles and opacity, the time,
    and ``variant``, the planned project's variant shown (its name, ``None`` without a plan)."""
    visible = [layer_key(layer) for layer in scene.layers if layer.visible]
    styles = {
        layer_key(layer): layer.style.to_dict()
        for layer in scene.layers
        if layer.visible and layer.style.to_dict()
    }
    opacity = {
        layer_key(layer): round(layer.opacity, 3)
        for layer in scene.layers
        if layer.visible and layer.opacity < 1.0
    }
    return StoryStep(
        title=title,
        text=text,
        view=view,
        visible=visible,
        styles=styles,
        opacity=opacity,
        time=scene.clock.time,
        variant=variant,
    )


def apply_step(scene: Any, step: StoryStep) -> list[str]:
    """Show the layers, styles, opacity and time of ``step`` (not the camera: the viewer flies there).

    Returns the layer ids the step names that the scene does not have (reported, not fatal).
    """
    by_key = {layer_key(layer): layer for layer in scene.layers}
    missing = []
    if step.visible is not None:
        wanted = set(step.visible)
        missing = [key for key in step.visible if key not in by_key]
        for key, layer in by_key.items():
            layer.visible = key in wanted
    for key, style in step.styles.items():
        layer = by_key.get(key)
        if layer is not None:
            layer.apply_style(style)
    for key, layer in by_key.items():
        if step.visible is None or key in set(step.visible):
            layer.opacity = step.opacity.get(key, layer.opacity if step.visible is None else 1.0)
    start = step.replay.start if step.replay is not None else step.time
    if start is not None:
        scene.clock.time = start
    return missing
