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
                elif key not in result.not_shown:
                    result.not_shown.append(key)
            result.steps.append(shown)
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
