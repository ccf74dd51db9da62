"""Heights of buildings as they stand in the scene: ground to roof, and a point of a façade above
its building's ground (metres; the ground is the one the building is seated on, 0 on flat ground)."""

from __future__ import annotations

from layers.buildings.layer import BuildingsLayer
from layers.plan.layer import PlanLayer


def building_top_m(layer: BuildingsLayer, row: int) -> float:
    """The top of row ``row`` above its ground, metres: the ridge of a planned building's pitched
    roof, the top of the walls (``height_m``) of any other building."""
    if isinstance(layer, PlanLayer):
        return float(layer.top_m()[int(row)])
    return float(layer.height_m[int(row)])


def roof_z_m(layer: BuildingsLayer, row: int, ground_z_m: float) -> float:
    """The altitude in the scene (metres above its reference) of the top of row ``row`` standing on
    ``ground_z_m``."""
    return float(ground_z_m) + building_top_m(layer, row)
