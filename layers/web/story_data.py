"""What the story page shows, as plain JSON: the steps (title, caption, CesiumJS camera, clock time,
which buildings layers are on) and the buildings layers (their tileset, colour, whether they are the
planned project), legends and credits as text.

A step whose ``visible`` is ``None`` leaves the layers as the step before left them (as
:func:`layers.session.story.apply_step` does in the app); the first starts from the scene's own
visibility. Layers other than buildings a step shows (noise, heat...) are not drawn on the page yet:
they are listed in ``not_shown`` so the exporter can say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from layers.session.story import layer_key
from layers.session.views import CameraView

from .story_camera import cesium_camera

if TYPE_CHECKING:
    from layers.buildings.layer import BuildingsLayer
    from layers.core.scene import Scene
    from layers.session.story import Story, StoryStep

#: the attribution of the page's own library, always credited
CESIUM_CREDIT = "CesiumJS (Apache-2.0)"


@dataclass(frozen=True)
class PageLayer:
    """A buildings layer of the page: ``key`` (as the story names it), its tileset folder."""

    key: str
    layer: BuildingsLayer
    folder: str


def page_layers(scene: Scene) -> list[PageLayer]:
    """The buildings layers of ``scene`` with features, each given a tileset folder ``tiles/<n>``."""
    from layers.buildings.layer import BuildingsLayer

    found = [layer for layer in scene.layers if isinstance(layer, BuildingsLayer) and len(layer.frame)]
    return [PageLayer(layer_key(layer), layer, f"tiles/{i}") for i, layer in enumerate(found)]


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
    }


def _view_of(step: StoryStep, views: Mapping[str, CameraView]) -> CameraView | None:
    if isinstance(step.view, CameraView):
        return step.view
    return views.get(step.view) if step.view else None


def story_steps(
    scene: Scene, story: Story, views: Mapping[str, CameraView], layers: Sequence[PageLayer]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The page's steps, and the layers steps show that the page does not draw (keys, in order).
    ``scene`` must have a CRS (the cameras are converted from it)."""
    crs = scene.crs
    assert crs is not None, "a scene with layers has a CRS"
    keys = [entry.key for entry in layers]
    shown = {entry.key: entry.layer.visible for entry in layers}
    all_keys = {layer_key(layer) for layer in scene.layers}
    not_shown: list[str] = []
    steps = []
    for step in story.steps:
        if step.visible is not None:
            shown = {key: key in step.visible for key in keys}
            not_shown += [k for k in step.visible if k not in shown and k in all_keys and k not in not_shown]
        view = _view_of(step, views)
        start = step.replay.start if step.replay is not None else step.time
        steps.append(
            {
                "title": step.title,
                "text": step.text,
                "camera": cesium_camera(view, crs) if view is not None else None,
                "time": start.isoformat() if start is not None else None,
                "layers": dict(shown),
            }
        )
    return steps, not_shown


def credits(scene: Scene) -> list[str]:
    """The data attributions of the scene's layers (each once, in order), then CesiumJS's."""
    seen: list[str] = []
    for layer in scene.layers:
        if layer.attribution and layer.attribution not in seen:
            seen.append(layer.attribution)
    return [*seen, CESIUM_CREDIT]
