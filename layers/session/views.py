"""Named camera views, in real scene CRS coordinates so a project stays valid whatever the origin."""

from __future__ import annotations

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
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CameraView:
        """Read a view from the project file; unknown keys are kept in :attr:`extra`."""
        known = {"name", "position", "focal_point", "view_up", "view_angle_deg"}
        try:
            view = cls(
                name=str(data["name"]),
                position=_triple(data["position"], "position"),
                focal_point=_triple(data["focal_point"], "focal_point"),
                view_up=_triple(data.get("view_up", (0, 0, 1)), "view_up"),
                view_angle_deg=float(data.get("view_angle_deg", 30.0)),
            )
        except KeyError as exc:
            raise ValueError(f"view is missing {exc.args[0]!r}") from None
        view.extra = {k: v for k, v in data.items() if k not in known}
        return view

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        data.update({k: list(v) for k, v in data.items() if isinstance(v, tuple)})
        return {**extra, **data}


def _triple(value: Any, name: str) -> tuple[float, float, float]:
    try:
        x, y, z = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"view {name} must be three numbers, got {value!r}") from None
    return (x, y, z)
