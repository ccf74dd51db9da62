"""The plan in a scene: its layer, and the existing buildings its active variant demolishes.

:func:`show_plan` is what every opener calls (the window after each edit, ``build_scene`` for the
command line and the exports), so a planned project looks the same everywhere.
"""

from __future__ import annotations

from layers.buildings.layer import BuildingsLayer
from layers.core.messages import word
from layers.core.scene import Scene
from layers.plan.layer import PLAN_LAYER_NAME, PlanLayer
from layers.plan.model import Plan, Variant


def plan_layer(scene: Scene) -> PlanLayer | None:
    """The scene's planned-project layer, ``None`` when it has none."""
    return next((layer for layer in scene.layers if isinstance(layer, PlanLayer)), None)


def layer_key(layer: BuildingsLayer) -> str:
    """How a plan names an existing buildings layer: its project id, else its name."""
    return layer.project_id or layer.name


def existing_buildings(scene: Scene) -> list[BuildingsLayer]:
    """The buildings layers of ``scene`` that stand today (not the plan, not a planned file)."""
    from layers.buildings.planned import is_proposed

    return [
        layer
        for layer in scene.layers
        if isinstance(layer, BuildingsLayer) and not isinstance(layer, PlanLayer) and not is_proposed(layer)
    ]


def apply_demolitions(scene: Scene, variant: Variant | None) -> None:
    """Hide (and take out of the shadows) the existing buildings ``variant`` demolishes; the others
    stand again (``None``: all stand)."""
    refs = variant.demolished if variant is not None else ()
    for layer in existing_buildings(scene):
        key = layer_key(layer)
        layer.set_demolished(frozenset(ref.feature for ref in refs if ref.layer == key))


def show_plan(scene: Scene, plan: Plan | None, language: str = "en") -> PlanLayer | None:
    """Make ``scene`` show ``plan``'s active variant: its layer added on first use (named in
    ``language``), updated in place after, removed with the plan; demolitions applied."""
    layer = plan_layer(scene)
    if plan is None:
        if layer is not None:
            scene.remove(layer)
        apply_demolitions(scene, None)
        return None
    if scene.crs is None:  # nothing placed yet (a project being opened): shown once its scene is
        return None
    from layers.core.crs import label

    if plan.crs and plan.crs != label(scene.crs):
        plan = plan.reprojected(label(scene.crs))
    if layer is None:
        layer = PlanLayer(plan.variant, scene.crs, word(PLAN_LAYER_NAME, language))
        scene.add(layer)
    else:
        layer.show_variant(plan.variant)
    apply_demolitions(scene, plan.variant)
    return layer
