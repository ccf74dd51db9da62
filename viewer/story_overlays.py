"""The story page's overlays, read from the app's own drawing: each step applied to the scene as the
audience screen applies it (:func:`layers.session.story.apply_step`: layers, styles, opacity, clock),
then every visible raster-like visual (:class:`viewer.visuals.raster.RasterVisual`: raster, noise,
heat, sunlight...) gives the texture it draws, coloured by its own lookup table (NF S 31-130 bands
for noise, the heat palette, the interpolated air temperature at the step's time), and its legends.

A visible basemap (:class:`layers.basemap.layer.BasemapLayer`, MBTiles/PMTiles) becomes one filtered
picture too, drawn under the others (:func:`basemap_picture`): its tiles warped into the scene CRS
over the scene's data extent plus :data:`BASEMAP_MARGIN_M` metres, at most
:data:`BASEMAP_MAX_SIDE` pixels a side, made once per call and shared by every step that shows it.
No legend: the page's credits carry its attribution.

The scene is drawn off screen (:class:`viewer.export_image.ExportView`, EGL without a display) and
left as it was found: visibility, opacity, styles and clock time are put back.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy

from layers.basemap import webmercator as wm
from layers.basemap.layer import WEB_MERCATOR, BasemapLayer, transformer
from layers.buildings.layer import BuildingsLayer
from layers.core.base import HasGrid
from layers.session.story import apply_step, layer_key
from layers.web.overlays import OverlayPicture, StepOverlay, StoryOverlays, legend_json

from .story_buildings import building_colours
from .story_vectors import VECTOR_KINDS, swatches, vector_overlays
from .visuals.buildings import BuildingsVisual
from .visuals.raster import RasterVisual

if TYPE_CHECKING:
    from layers.core.scene import Scene
    from layers.session.story import Story

    from .legends import Legend

#: the basemap picture reaches this far (metres) beyond the scene's data
BASEMAP_MARGIN_M = 300.0
#: the basemap picture's longer side (pixels), at most
BASEMAP_MAX_SIDE = 2048


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


def data_extent(scene: Scene) -> tuple[float, float, float, float] | None:
    """Union of the bounds of the scene's layers other than basemaps (scene CRS metres), ``None``
    when none has an extent (a basemap's coverage is not data: it may span a whole region)."""
    boxes = []
    for layer in scene.layers:
        if isinstance(layer, BasemapLayer):
            continue
        try:
            box = layer.bounds()
        except (ValueError, TypeError):  # a layer without features has no extent
            continue
        if np.isfinite(box).all() and box[0] <= box[2] and box[1] <= box[3]:
            boxes.append(box)
    if not boxes:
        return None
    arr = np.array(boxes, dtype=float)
    return (float(arr[:, 0].min()), float(arr[:, 1].min()), float(arr[:, 2].max()), float(arr[:, 3].max()))


def picture_tiles(
    layer: BasemapLayer, box: tuple[float, float, float, float], resolution_m: float
) -> tuple[int, tuple[int, int, int, int]]:
    """``(zoom, (x0, y0, x1, y1))``: the XYZ tiles of ``layer`` for a picture of ``box`` (layer CRS)
    with pixels of ``resolution_m`` metres: the zoom a view would choose
    (:meth:`~layers.basemap.layer.BasemapLayer.choose_tiles`, the finest there is when none is fine
    enough), but all its tiles over ``box``, not a view's :data:`~layers.basemap.layer.MAX_VIEW_TILES`
    (the picture is no GL texture; ``box`` over ``resolution_m`` bounds its size)."""
    crs = layer.crs or WEB_MERCATOR
    box_3857 = transformer(crs, WEB_MERCATOR).transform_bounds(*box)
    latitude = wm.latitude_of((box_3857[1] + box_3857[3]) / 2)
    wanted = math.ceil(wm.zoom_for_resolution(resolution_m, latitude) - 0.25)
    zooms = layer.tiles.zooms()
    finer = [z for z in zooms if z >= wanted]
    z = min(finer) if finer else max(zooms)
    return z, wm.tile_range(box_3857, z)


def basemap_picture(scene: Scene, layer: BasemapLayer, key: str) -> OverlayPicture | None:
    """``layer``'s tiles as one filtered picture over its coverage within the scene's data extent
    plus :data:`BASEMAP_MARGIN_M` (scene CRS metres), warped into the scene CRS as the app draws them
    (:meth:`~layers.basemap.layer.BasemapLayer.image_of`), with pixels no finer than the tiles' own
    and at most :data:`BASEMAP_MAX_SIDE` a side (a finer zoom is scaled down); ``None`` when the
    tiles miss the data."""
    coverage = layer.bounds()
    data = data_extent(scene)
    box = coverage
    if data is not None:
        m = BASEMAP_MARGIN_M
        box = (
            max(coverage[0], data[0] - m),
            max(coverage[1], data[1] - m),
            min(coverage[2], data[2] + m),
            min(coverage[3], data[3] + m),
        )
    if not (box[0] < box[2] and box[1] < box[3]):
        return None
    resolution_m = max(box[2] - box[0], box[3] - box[1]) / BASEMAP_MAX_SIDE
    grid = layer.image_of(*picture_tiles(layer, box, resolution_m), view_bounds=box)
    if grid.rgba is None:
        return None
    rgba = grid.rgba
    rows, cols = rgba.shape[:2]
    if max(rows, cols) > BASEMAP_MAX_SIDE:  # the zoom chosen is finer than asked: scale it down
        from PIL import Image

        scale = BASEMAP_MAX_SIDE / max(rows, cols)
        size = (max(1, round(cols * scale)), max(1, round(rows * scale)))
        rgba = np.asarray(Image.fromarray(rgba, "RGBA").resize(size, Image.Resampling.LANCZOS), np.uint8)
    if not rgba[..., 3].any():
        return None
    return OverlayPicture(key, layer.name, np.ascontiguousarray(rgba), grid.bounds(), crisp=False)


def story_overlays(
    scene: Scene, story: Story, *, language: str = "fr", skip: set[str] | None = None, twin: bool = False
) -> StoryOverlays:
    """The overlays of each step of ``story`` over ``scene`` (``skip``: layer keys drawn otherwise,
    the buildings). Layers a step shows that are neither skipped nor drawn as a picture are listed
    in ``not_shown``. A step's basemaps come first among its overlays (drawn under the others), and
    their pictures first among :attr:`StoryOverlays.pictures`. ``twin``: step a twin of the scene
    with its own clock (the window's scene, whose clock the window follows)."""
    from .export_image import ExportView

    skip = skip or set()
    if not _shows_a_grid(scene, story, skip) and not _colours_buildings(scene, story, skip):
        # nothing to colour: no off-screen view to make
        return _without_pictures(scene, story, skip)
    # the layers are the scene's even in a twin: put back as they were
    kept = {id(layer): (layer.visible, layer.opacity, layer.style) for layer in scene.layers}
    clock_time = scene.clock.time
    result = StoryOverlays()
    basemaps: dict[int, OverlayPicture | None] = {}  # id(layer) → its picture, made once
    basemap_indices: set[int] = set()
    export = ExportView(scene, language=language, size=(64, 64), twin=twin)
    try:
        view = export.view
        for step in story.steps:
            apply_step(export.scene, step)
            under: list[StepOverlay] = []  # the basemaps
            shown: list[StepOverlay] = []
            vectors: list[int] = []
            legends: list[dict[str, Any]] = []
            coloured: dict[str, int] = {}
            for layer in scene.layers:
                key = layer_key(layer)
                if not layer.visible or key in skip:
                    continue
                if isinstance(layer, BuildingsLayer):  # the page's tilesets: colours by an attribute
                    visual = view.visual(layer)
                    if (
                        isinstance(visual, BuildingsVisual)
                        and (colours := building_colours(visual)) is not None
                    ):
                        coloured[key] = result.add_building_colours(key, colours)
                        legends += [legend_of(legend, language) for legend in visual.legends()]
                    continue
                if isinstance(layer, BasemapLayer):
                    if id(layer) not in basemaps:
                        basemaps[id(layer)] = basemap_picture(scene, layer, key)
                    basemap = basemaps[id(layer)]
                    if basemap is not None:
                        index = result.add(basemap)
                        basemap_indices.add(index)
                        under.append(StepOverlay(index, float(layer.opacity)))
                    elif key not in result.not_shown:
                        result.not_shown.append(key)
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
            result.steps.append(under + shown)
            result.step_building_colours.append(coloured)
            result.step_vectors.append(vectors)
            result.legends.append(legends)
        _basemaps_first(result, basemap_indices)
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


def _basemaps_first(overlays: StoryOverlays, basemaps: set[int]) -> None:
    """Put the pictures ``basemaps`` (indices) first in ``overlays.pictures``, the steps' indices
    following: the page adds the pictures in their order, each over the ones before."""
    order = sorted(range(len(overlays.pictures)), key=lambda i: i not in basemaps)  # stable
    new_index = {old: new for new, old in enumerate(order)}
    overlays.pictures[:] = [overlays.pictures[i] for i in order]
    overlays.steps[:] = [
        [StepOverlay(new_index[item.picture], item.opacity) for item in step] for step in overlays.steps
    ]


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
    """Whether some step shows a layer with a grid (a raster the pictures are made of), a basemap, or
    a layer drawn as vector overlays (lines, polygons, points)."""
    keys = set().union(*_shown_keys(scene, story)) - skip
    return any(
        (isinstance(layer, HasGrid) and layer.grid is not None)
        or isinstance(layer, (BasemapLayer, *VECTOR_KINDS))
        for layer in scene.layers
        if layer_key(layer) in keys
    )


def _colours_buildings(scene: Scene, story: Story, skip: set[str]) -> bool:
    """Whether a buildings layer (not in ``skip``) is coloured by an attribute, by its own style or
    by a step's."""
    buildings = [layer for layer in scene.layers if isinstance(layer, BuildingsLayer)]
    keys = {layer_key(layer) for layer in buildings} - skip
    by_style = any(layer_key(layer) in keys and layer.style.color_by for layer in buildings)
    by_step = any(
        key in keys and style.get("color_by") for step in story.steps for key, style in step.styles.items()
    )
    return bool(by_style or by_step)


def _without_pictures(scene: Scene, story: Story, skip: set[str]) -> StoryOverlays:
    """The overlays of a story that shows no raster: none, each step's layers listed as not shown."""
    result = StoryOverlays()
    known = {layer_key(layer) for layer in scene.layers}
    for keys in _shown_keys(scene, story):
        result.steps.append([])
        result.step_vectors.append([])
        result.step_building_colours.append({})
        result.legends.append([])
        result.not_shown += sorted(k for k in keys - skip if k in known and k not in result.not_shown)
    return result
