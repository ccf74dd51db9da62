"""Named camera views, in real scene CRS coordinates so a project stays valid whatever the origin."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class CameraView:
    """A named camera: positions in scene CRS metres (x, y, z above ground 0)."""

    name: str
    position: tuple[float, float, float]
    focal_point: tuple[float, float, float]
    view_up: tuple[float, float, float] = (0.0, 0.0, 1.0)
    #: vertical field of view, degrees
    view_angle_deg: float = 30.0
    #: a map (orthographic) view: half the picture's height in metres; ``None``: a perspective view
    parallel_scale: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CameraView:
        """Read a view from the project file; unknown keys are kept in :attr:`extra`."""
        known = {"name", "position", "focal_point", "view_up", "view_angle_deg", "parallel_scale"}
        try:
            view = cls(
                name=_name(data["name"]),
                position=_triple(data["position"], "position"),
                focal_point=_triple(data["focal_point"], "focal_point"),
                view_up=_triple(data.get("view_up", (0, 0, 1)), "view_up"),
                view_angle_deg=_angle(data.get("view_angle_deg", 30.0)),
                parallel_scale=_scale(data.get("parallel_scale")),
            )
        except KeyError as exc:
            raise ValueError(f"view is missing {exc.args[0]!r}") from None
        if view.position == view.focal_point:
            raise ValueError("view position and focal_point are the same point: the camera looks nowhere")
        view.extra = {k: v for k, v in data.items() if k not in known}
        return view

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        if data["parallel_scale"] is None:  # a perspective view is written as it always was
            del data["parallel_scale"]
        data.update({k: list(v) for k, v in data.items() if isinstance(v, tuple)})
        return {**extra, **data}


#: the farthest a camera or what it looks at may be from the CRS's origin (metres: 100,000 km)
MAX_COORDINATE_M = 1e8


def _triple(value: Any, name: str) -> tuple[float, float, float]:
    try:
        if isinstance(value, (str, bytes, dict)) or any(isinstance(v, (str, bool)) for v in value):
            raise TypeError
        x, y, z = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"view {name} must be three numbers, got {str(value)[:60]}") from None
    if not all(math.isfinite(v) and abs(v) <= MAX_COORDINATE_M for v in (x, y, z)):
        raise ValueError(f"view {name} ({x:g}, {y:g}, {z:g}) is no place: beyond {MAX_COORDINATE_M:g} m")
    if name == "view_up" and x == y == z == 0:
        raise ValueError("view view_up (0, 0, 0) is no direction")
    return (x, y, z)


def _name(value: Any) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
        raise ValueError(f"view name should be a text, not {str(value)[:40]!r}")
    return str(value)


def _scale(value: Any) -> float | None:
    """A map view's half height in metres (above 0, at most :data:`MAX_COORDINATE_M`), or ``None``."""
    if value is None:
        return None
    if isinstance(value, (str, bool)) or not isinstance(value, (int, float)):
        raise ValueError(f"view parallel_scale should be a number of metres, not {str(value)[:40]!r}")
    if not (math.isfinite(value) and 0 < value <= MAX_COORDINATE_M):
        raise ValueError(f"view parallel_scale {value!r} is no half height in metres")
    return float(value)


def _angle(value: Any) -> float:
    """A camera's vertical view angle in degrees, above 0 and below 180."""
    if isinstance(value, (str, bool)) or not isinstance(value, (int, float)) or not 0 < value < 180:
        raise ValueError(f"view view_angle_deg should be an angle between 0 and 180 degrees, not {value!r}")
    return float(value)
