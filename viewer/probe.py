"""The value probe: what the topmost visible overlay says under a point (the status bar's dB(A) or °C).

Overlays that can answer override :meth:`viewer.visuals.base.Visual.probe` (noise, heat, any
raster): the one drawn on top (highest :data:`viewer.visuals.base.GROUND_Z` role, then the later
layer) that has a value there answers, e.g. ``"Bruit Lden 67.3 dB(A)"`` or ``"Température de l'air
24.6 °C"``. Coordinates are scene CRS metres (what :meth:`SceneView.world_at` returns).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .visuals.base import GROUND_Z

if TYPE_CHECKING:
    from .scene_view import SceneView
    from .visuals.base import Visual


def value_under(view: SceneView, x: float, y: float) -> str | None:
    """Text of the value of the topmost visible overlay at (x, y), or ``None`` when none has one."""
    candidates: list[tuple[float, int, Visual[Any]]] = []
    for order, layer in enumerate(view.scene.layers):
        visual = view.visual(layer)
        if visual is None or not layer.visible or layer.opacity <= 0.0:
            continue
        candidates.append((GROUND_Z.get(visual.z_role, 0.0), order, visual))
    for _, _, visual in sorted(candidates, key=lambda item: (item[0], item[1]), reverse=True):
        try:
            text = visual.probe(float(x), float(y))
        except (ValueError, IndexError, KeyError):  # a point off the data is no value, not an error
            text = None
        if text:
            return text
    return None
