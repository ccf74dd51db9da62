"""What the story page shows, as plain JSON: the steps (title, caption, CesiumJS camera, clock time,
which buildings layers are on) and the buildings layers (their tileset, colour, whether they are the
planned project), legends and credits as text.

A step whose ``visible`` is ``None`` leaves the layers as the step before left them (as
:func:`layers.session.story.apply_step` does in the app); the first starts from the scene's own
visibility. Layers other than buildings a step shows are listed in ``not_shown``; the exporter
keeps those the overlays (:mod:`layers.web.overlays` pictures, :mod:`layers.web.vectors` lines,
polygons and points; the basemap is one of the pictures) do not draw either, to say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from layers.core.numbers import FRENCH_GROUP
from layers.session.story import layer_key
from layers.session.views import CameraView

from .story_camera import cesium_camera

if TYPE_CHECKING:
    from layers.buildings.layer import BuildingsLayer
    from layers.core.scene import Scene
    from layers.plan.model import Plan
    from layers.session.story import Story, StoryStep

#: the attribution of the page's own library, always credited
CESIUM_CREDIT = "CesiumJS (Apache-2.0)"


@dataclass(frozen=True)
class PageLayer:
    """A buildings layer of the page: ``key`` (its tileset's key in the page), its tileset folder;
    for a variant of the planned project, ``shown_by`` the plan layer's key (as the story names it)
    and ``variant`` its name."""

    key: str
    layer: BuildingsLayer
    folder: str
    shown_by: str | None = None
    variant: str | None = None


def page_layers(scene: Scene, plan: Plan | None = None) -> list[PageLayer]:
    """The buildings layers of ``scene`` with features, each given a tileset folder ``tiles/<n>``.
    The planned project's layer is written once per variant of ``plan`` (each its own tileset, keyed
    ``<plan layer key>/<variant>``), so that each step shows the variant it names."""
    from layers.buildings.layer import BuildingsLayer
    from layers.plan.layer import PlanLayer

    found: list[tuple[str, BuildingsLayer, str | None, str | None]] = []
    for layer in scene.layers:
        if not isinstance(layer, BuildingsLayer):
            continue
        key = layer_key(layer)
        if isinstance(layer, PlanLayer) and plan is not None and scene.crs is not None:
            from layers.core.crs import label

            own = plan.reprojected(label(scene.crs)) if plan.crs and plan.crs != label(scene.crs) else plan
            for variant in own.variants:
                variant_layer = PlanLayer(variant, scene.crs, f"{layer.name} · {variant.name}")
                variant_layer.visible = layer.visible
                found.append((f"{key}/{variant.name}", variant_layer, key, variant.name))
        else:
            found.append((key, layer, None, None))
    found = [item for item in found if len(item[1].frame)]
    return [
        PageLayer(key, layer, f"tiles/{i}", shown_by, variant)
        for i, (key, layer, shown_by, variant) in enumerate(found)
    ]


def layer_entry(entry: PageLayer) -> dict[str, Any]:
    """The page's description of a buildings layer: name, tileset, legend colour, planned or not."""
    from layers.buildings.planned import is_proposed
    from layers.buildings.style import DEFAULT_COLOR
    from layers.plan.layer import PlanLayer

    layer = entry.layer
    return {
        "key": entry.key,
        "name": layer.name,
        "tileset": f"{entry.folder}/tileset.json",
        "colour": layer.style.color or DEFAULT_COLOR,
        "planned": isinstance(layer, PlanLayer) or is_proposed(layer),
        "variant": entry.variant,
    }


def _view_of(step: StoryStep, views: Mapping[str, CameraView]) -> CameraView | None:
    if isinstance(step.view, CameraView):
        return step.view
    return views.get(step.view) if step.view else None


def story_steps(
    scene: Scene,
    story: Story,
    views: Mapping[str, CameraView],
    layers: Sequence[PageLayer],
    active_variant: str | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """The page's steps, and the layers steps show that the page does not draw (keys, in order).
    ``scene`` must have a CRS (the cameras are converted from it). ``active_variant``: the planned
    project's variant shown before a step names one (the plan's active one); a step's ``variant``
    stays until a later step names another, as in the app."""
    crs = scene.crs
    assert crs is not None, "a scene with layers has a CRS"
    names = {entry.key: entry.shown_by or entry.key for entry in layers}  # tileset → story's key
    on = {entry.shown_by or entry.key: entry.layer.visible for entry in layers}
    all_keys = {layer_key(layer) for layer in scene.layers}
    not_shown: list[str] = []
    steps = []
    variant = active_variant
    for step in story.steps:
        if step.visible is not None:
            on = {name: name in step.visible for name in names.values()}
            not_shown += [k for k in step.visible if k not in on and k in all_keys and k not in not_shown]
        variant = step.variant or variant
        shown = {
            entry.key: on[names[entry.key]] and (entry.variant is None or entry.variant == variant)
            for entry in layers
        }
        view = _view_of(step, views)
        start = step.replay.start if step.replay is not None else step.time
        steps.append(
            {
                "title": unbreakable_numbers(step.title),
                "text": unbreakable_numbers(step.text),
                "camera": cesium_camera(view, crs) if view is not None else None,
                "time": start.isoformat() if start is not None else None,
                # a step that replays a time range in the app: the page shows the range
                "until": step.replay.end.isoformat() if step.replay is not None else None,
                "layers": shown,
                "variant": variant,
            }
        )
    return steps, not_shown


def unbreakable_numbers(text: str | None) -> str | None:
    """``text`` with the spaces inside numbers ("25 000 véhicules") and before a unit or a
    percent sign ("70 dB(A)", "12 %") made non-breaking, so that a narrow phone screen never
    splits them across two lines."""
    import re

    if not text:
        return text
    text = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", FRENCH_GROUP, text)
    return re.sub(r"(?<=\d) (?=(?:%|dB|m\b|km\b|°C|h\b|min\b))", "\u00a0", text)


def credits(scene: Scene) -> list[str]:
    """The data attributions of the scene's layers (each once, in order), then CesiumJS's."""
    seen: list[str] = []
    for layer in scene.layers:
        if layer.attribution and layer.attribution not in seen:
            seen.append(layer.attribution)
    return [*seen, CESIUM_CREDIT]
