"""The story page's overlays, read from the app's own drawing: each step applied to the scene as the
audience screen applies it (:func:`layers.session.story.apply_step`: layers, styles, opacity, clock),
then every visible raster-like visual (:class:`viewer.visuals.raster.RasterVisual`: raster, noise,
heat, sunlight...) gives the texture it draws, coloured by its own lookup table (NF S 31-130 bands
for noise, the heat palette, the interpolated air temperature at the step's time), and its legends.

The scene is drawn off screen (:class:`viewer.export_image.ExportView`, EGL without a display) and
left as it was found: visibility, opacity, styles and clock time are put back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy

from layers.core.base import HasGrid
from layers.session.story import apply_step, layer_key
from layers.web.overlays import OverlayPicture, StepOverlay, StoryOverlays, legend_json

from .story_vectors import VECTOR_KINDS, swatches, vector_overlays
from .visuals.raster import RasterVisual

if TYPE_CHECKING:
    from layers.core.scene import Scene
    from layers.session.story import Story

    from .legends import Legend


def texture_rgba(visual: RasterVisual[Any]) -> np.ndarray:
    """The RGBA texels ``visual`` draws, (rows, cols, 4) uint8, row 0 north."""
    image = visual.raster_texture.image
    cols, rows, _ = image.GetDimensions()
    texels = vtk_to_numpy(image.GetPointData().GetScalars()).reshape(rows, cols, 4)
    return np.ascontiguousarray(texels[::-1], np.uint8)


def legend_of(legend: Legend, language: str) -> dict[str, Any]:
    """``legend`` as the page's JSON (the same words and colours as the app's legend column)."""
    content = legend.content(language)
    entries = [(entry.rgb, entry.label) for entry in content.entries]
    if content.missing is not None:
        entries.append((content.missing.rgb, content.missing.label))
    return legend_json(content.title, entries, list(content.ramp), list(content.ticks))


def story_overlays(
    scene: Scene, story: Story, *, language: str = "fr", skip: set[str] | None = None, twin: bool = False
) -> StoryOverlays:
    """The overlays of each step of ``story`` over ``scene`` (``skip``: layer keys drawn otherwise,
    the buildings). Layers a step shows that are neither skipped nor drawn as a picture are listed
    in ``not_shown``. ``twin``: step a twin of the scene with its own clock (the window's scene,
    whose clock the window follows)."""
    from .export_image import ExportView

    skip = skip or set()
    if not _shows_a_grid(scene, story, skip):  # nothing to colour: no off-screen view to make
        return _without_pictures(scene, story, skip)
    # the layers are the scene's even in a twin: put back as they were
    kept = {id(layer): (layer.visible, layer.opacity, layer.style) for layer in scene.layers}
    clock_time = scene.clock.time
    result = StoryOverlays()
    export = ExportView(scene, language=language, size=(64, 64), twin=twin)
    try:
        view = export.view
        for step in story.steps:
            apply_step(export.scene, step)
            shown: list[StepOverlay] = []
            vectors: list[int] = []
            legends: list[dict[str, Any]] = []
            for layer in scene.layers:
                key = layer_key(layer)
                if not layer.visible or key in skip:
                    continue
                visual = view.visual(layer)
                grid = layer.grid if isinstance(layer, HasGrid) else None
                if isinstance(visual, RasterVisual) and visual.actor is not None and grid is not None:
                    picture = OverlayPicture(
                        key, layer.name, texture_rgba(visual), grid.bounds(), crisp=not visual.smooth
                    )
                    shown.append(StepOverlay(result.add(picture), float(layer.opacity)))
                    legends += [legend_of(legend, language) for legend in visual.legends()]
                elif visual is not None and (found := vector_overlays(layer, visual)):
                    vectors += [result.add_vector(overlay) for overlay in found]
                    legends += [legend_of(legend, language) for legend in visual.legends()] or [
                        legend_json(layer.name, swatches(layer, visual, found), [], [])
                    ]
                elif key not in result.not_shown:
                    result.not_shown.append(key)
            result.steps.append(shown)
            result.step_vectors.append(vectors)
            result.legends.append(legends)
    finally:
        export.close()
        for layer in scene.layers:
            visible, opacity, style = kept[id(layer)]
            layer.replace_style(style)
            layer.visible = visible
            layer.opacity = opacity
        if clock_time is not None:  # a clock never set stays at the last step's time
            scene.clock.time = clock_time
    return result


def _shown_keys(scene: Scene, story: Story) -> list[set[str]]:
    """The layer keys each step shows (a step without ``visible`` keeps the step before's)."""
    shown = {layer_key(layer) for layer in scene.layers if layer.visible}
    found = []
    for step in story.steps:
        if step.visible is not None:
            shown = set(step.visible)
        found.append(shown)
    return found


def _shows_a_grid(scene: Scene, story: Story, skip: set[str]) -> bool:
    """Whether some step shows a layer with a grid (a raster the pictures are made of) or drawn as
    vector overlays (lines, polygons, points)."""
    keys = set().union(*_shown_keys(scene, story)) - skip
    return any(
        (isinstance(layer, HasGrid) and layer.grid is not None) or isinstance(layer, VECTOR_KINDS)
        for layer in scene.layers
        if layer_key(layer) in keys
    )


def _without_pictures(scene: Scene, story: Story, skip: set[str]) -> StoryOverlays:
    """The overlays of a story that shows no raster: none, each step's layers listed as not shown."""
    result = StoryOverlays()
    known = {layer_key(layer) for layer in scene.layers}
    for keys in _shown_keys(scene, story):
        result.steps.append([])
        result.step_vectors.append([])
        result.legends.append([])
        result.not_shown += sorted(k for k in keys - skip if k in known and k not in result.not_shown)
    return result
