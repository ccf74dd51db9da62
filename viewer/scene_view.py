"""The scene view: a :class:`layers.core.scene.Scene` drawn in a PyVista plotter.

``SceneView`` is the one place where layers become actors. The GUI passes its
``pyvistaqt.QtInteractor``; the command line an off-screen ``pyvista.Plotter``. Both get the same
visuals, legends, decorations and camera logic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pyvista as pv
from vtkmodules.vtkRenderingCore import vtkActor, vtkCellPicker, vtkProp

from layers.core import crs as crs_util
from layers.core.base import Layer
from layers.core.messages import word
from layers.core.scene import Scene
from layers.core.timeutil import format_long
from layers.session.views import CameraView

from . import camera as camera_util
from .caption import Caption
from .context import GROUND, SKY_BOTTOM, SKY_TOP
from .decorations import Decorations
from .label_registry import LabelRegistry
from .legends import Legend, LegendStack, merged_by_title
from .lod import InteractionLOD
from .overlay_layout import Rect, free_rect
from .shadows import SunLighting
from .swipe import Swipe
from .visuals import visual_class
from .visuals.base import GROUND_Z, Visual, apply_depth_pull

if TYPE_CHECKING:
    from layers.session.comments import Comment

    from .annotations import CommentMarkers
    from .caster_tables import CasterTable

#: screen distance (pixels at 1000 px height) within which a click picks a point (sensor, stop)
POINT_PICK_RADIUS_PX = 14


@dataclass
class Pick:
    """What is under a click: the layer, the feature index in it, the real-world point."""

    layer: Layer[Any]
    index: int
    world: tuple[float, float, float]
    visual: Visual[Any]

    def attributes(self) -> dict[str, Any]:
        return self.visual.attributes(self.index)


class SceneView:
    """Draws a scene in ``plotter`` and keeps it in step with the scene's layers and clock.

    It is the :class:`~viewer.context.ViewContext` its visuals and helpers draw in.

    Parameters
    ----------
    plotter
        A PyVista plotter (off-screen ``pyvista.Plotter`` or ``pyvistaqt.QtInteractor``).
    scene
        The model to draw.
    language
        ``"fr"`` or ``"en"``: how the clock is written in the picture.
    auto_render
        Render after every change (GUI); off for batch rendering.
    """

    def __init__(
        self,
        plotter: pv.BasePlotter,
        scene: Scene,
        *,
        language: str = "fr",
        title: str | None = None,
        auto_render: bool = True,
    ) -> None:
        self.plotter = plotter
        self.scene = scene
        self.language = language
        self.auto_render = auto_render
        #: set by a window to draw once for a burst of changes (``None``: every request draws at once)
        self.render_later: Callable[[], None] | None = None
        #: set by a window: called from worker threads when a visual's background work is ready to
        #: be drawn (thread-safe); the window then draws again on its own thread
        self.wake_from_thread: Callable[[], None] | None = None
        #: how big overlays are drawn (:meth:`set_ui_scale`), and at what fraction of the window's
        #: resolution the scene is drawn (:meth:`set_draw_scale`)
        self.ui_scale = 1.0
        self._draw_scale = 1.0
        self._full_size: tuple[int, int] | None = None
        self._reduced_size: tuple[int, int] | None = None
        #: ids of the layers fading out of a story step (see :meth:`set_leaving`)
        self._leaving: set[int] = set()
        self.visuals: dict[int, Visual[Any]] = {}
        #: the callback following each layer's ``geometry_changed``, by id(layer)
        self._geometry_followers: dict[int, Callable[[frozenset[str] | None], None]] = {}
        #: called after legends change (the GUI refreshes its panel)
        self.on_legends_changed: Callable[[], None] | None = None
        self.renderer: pv.Renderer = plotter.renderer
        self._setup_look()
        self.legend_stack = LegendStack(self.renderer)
        self.legend_stack.language = language
        self.decorations = Decorations(self.renderer, north=self._true_north)
        self.decorations.set_title(title)
        self.caption = Caption(self.renderer)
        #: every text written above points (sensor values, comment pins), decluttered in one pass
        self.labels = LabelRegistry()
        #: where the tile being drawn lies in the picture (viewer/tiles.py); (0, 0): the whole picture
        self.tile_origin = (0.0, 0.0)
        self.swipe = Swipe(self, self.visual)
        #: comments pinned by an export (:meth:`show_comment_pins`)
        self.comment_pins: CommentMarkers | None = None
        self._ground_actor: vtkActor | None = None
        self._north_cache: dict[tuple[float, float], tuple[float, float]] = {}
        self._picker = vtkCellPicker()
        self._picker.SetTolerance(0.0005)
        #: size in pixels of the picture being made when it is not the window (an export drawn in
        #: tiles, or its preview): legends, labels and pucks are sized for it; ``None``: the window
        self.frame_size_px: tuple[int, int] | None = None
        #: overlays already laid out for the whole picture (tiles, viewer/tiles.py): not again per render
        self.overlays_frozen = False
        self._observer = self.renderer.AddObserver("StartEvent", self._before_render)
        #: coarse stand-ins while the camera moves (viewer/lod.py)
        self.lod = InteractionLOD(self, lambda: list(self.visuals.values()))
        #: the true sun, cast shadows and night (viewer/shadows.py), off by default
        self.sun = SunLighting(self)
        self.lod.on_rest = self.sun.view_changed
        scene.layer_added.connect(self.add_layer)
        scene.layer_removed.connect(self.remove_layer)
        scene.layers_reordered.connect(self.legends_changed)
        scene.clock.changed.connect(self.set_time)
        for layer in scene.layers:
            self.add_layer(layer, render=False)
        if scene.clock.time is not None:
            self.set_time(scene.clock.time)

    def close(self) -> None:
        """Remove everything this view added to the plotter and stop following the scene."""
        self.sun.dispose()
        self.scene.layer_added.disconnect(self.add_layer)
        self.scene.layer_removed.disconnect(self.remove_layer)
        self.scene.layers_reordered.disconnect(self.legends_changed)
        self.scene.clock.changed.disconnect(self.set_time)
        for layer in self.scene.layers:
            self._stop_following_geometry(layer)
        for visual in list(self.visuals.values()):
            visual.dispose()
        self.visuals.clear()
        self.swipe.close()
        self.show_comment_pins([])
        self.legend_stack.remove()
        self.decorations.remove()
        self.caption.remove()
        if self._ground_actor is not None:
            self.renderer.remove_actor(self._ground_actor, render=False)
            self._ground_actor = None
        self.renderer.RemoveObserver(self._observer)
        self.lod.close()

    # -- look ------------------------------------------------------------------------------
    def _setup_look(self) -> None:
        self.plotter.renderers.set_background(SKY_BOTTOM, top=SKY_TOP)
        self.renderer.SetUseDepthPeeling(False)
        try:
            if not self.auto_render:
                self.plotter.enable_anti_aliasing("msaa", multi_samples=4)
        except Exception:  # noqa: BLE001 - anti-aliasing is a nicety, some GL drivers refuse it
            pass

    @property
    def ground_actor(self) -> vtkActor | None:
        """The wide ground plane under the scene (``None`` before the first layer)."""
        return self._ground_actor

    def _update_ground(self) -> None:
        bounds = self.scene.bounds()
        if bounds is None:
            return
        xmin, ymin, xmax, ymax = bounds
        pad = max(xmax - xmin, ymax - ymin) * 3 + 1000
        corners = np.array(
            [
                [xmin - pad, ymin - pad],
                [xmax + pad, ymin - pad],
                [xmax + pad, ymax + pad],
                [xmin - pad, ymax + pad],
            ]
        )
        local = self.to_local(corners, z=GROUND_Z["ground"])
        mesh = pv.PolyData.from_regular_faces(local, np.array([[0, 1, 2], [0, 2, 3]]))
        if self._ground_actor is not None:
            self.renderer.remove_actor(self._ground_actor, render=False)
        ground = self.plotter.add_mesh(
            mesh, color=GROUND, lighting=False, pickable=False, reset_camera=False, render=False
        )
        apply_depth_pull(ground.GetMapper(), "ground")
        self._ground_actor = ground

    # -- coordinates -----------------------------------------------------------------------
    def _origin(self) -> np.ndarray:
        """The scene origin (scene CRS metres); (0, 0) until a first layer sets it."""
        origin = self.scene.origin
        return np.zeros(2) if origin is None else origin

    def to_local(self, points: np.ndarray, z: float | np.ndarray | None = None) -> np.ndarray:
        """Scene CRS metres (n, 2|3) → origin-relative float32 (n, 3); ``z`` fills a 2D input."""
        points = np.asarray(points, dtype=np.float64)
        origin = self._origin()
        out = np.empty((len(points), 3), dtype=np.float64)
        out[:, 0] = points[:, 0] - origin[0]
        out[:, 1] = points[:, 1] - origin[1]
        if points.shape[1] >= 3 and z is None:
            out[:, 2] = points[:, 2]
        else:
            out[:, 2] = 0.0 if z is None else z
        return out.astype(np.float32)

    def to_world(self, local: np.ndarray) -> tuple[float, float, float]:
        """One origin-relative point (3,) → scene CRS metres."""
        x, y = self.scene.to_world(float(local[0]), float(local[1]))
        return (x, y, float(local[2]))

    def _true_north(self, x: float, y: float) -> tuple[float, float]:
        if self.scene.crs is None:
            return (0.0, 1.0)
        wx, wy = self.scene.to_world(x, y)
        key = (round(wx, -3), round(wy, -3))
        if key not in self._north_cache:
            self._north_cache[key] = crs_util.true_north(self.scene.crs, wx, wy)
        return self._north_cache[key]

    # -- layers ----------------------------------------------------------------------------
    def add_layer(self, layer: Layer[Any], render: bool = True) -> Visual[Any]:
        cls = visual_class(type(layer))
        visual = cls(layer, self)
        visual.build()
        self.visuals[id(layer)] = visual
        self._follow_geometry(layer)
        if self.scene.clock.time is not None:
            visual.set_time(self.scene.clock.time)
        if layer.kind == "terrain":
            self._reseat(layer)
        self._update_ground()
        self.legends_changed()
        if render:
            self.request_render()
        return visual

    def _reseat(self, terrain: Layer[Any]) -> None:
        """A terrain came or went: the other visuals stand on (or drape over) the new ground."""
        for visual in list(self.visuals.values()):
            if visual.layer is not terrain:
                visual.rebuild()

    def _follow_geometry(self, layer: Layer[Any]) -> None:
        """Redraw ``layer`` when its features change in place (a planned building edited, existing
        buildings demolished): its visual made again, the ground shadows recomputed, one render."""
        self._stop_following_geometry(layer)

        def follow(ids: frozenset[str] | None) -> None:
            self.geometry_changed(layer, ids)

        layer.geometry_changed.connect(follow)
        self._geometry_followers[id(layer)] = follow

    def _stop_following_geometry(self, layer: Layer[Any]) -> None:
        follow = self._geometry_followers.pop(id(layer), None)
        if follow is not None:
            layer.geometry_changed.disconnect(follow)

    def geometry_changed(self, layer: Layer[Any], ids: frozenset[str] | None = None) -> None:
        """``layer``'s features changed in place (``ids``, ``None``: any): its visual is rebuilt
        (which recomputes the ground shadows of the layers that changed,
        :meth:`viewer.shadows.SunLighting.layers_changed`) and the view drawn again."""
        visual = self.visuals.get(id(layer))
        if visual is not None:
            visual.rebuild()
        else:
            self.sun.layers_changed()
        self.request_render()

    def remove_layer(self, layer: Layer[Any]) -> None:
        self._stop_following_geometry(layer)
        visual = self.visuals.pop(id(layer), None)
        if visual is not None:
            visual.dispose()
        if layer.kind == "terrain":
            self._reseat(layer)
        self._update_ground()
        self.legends_changed()
        self.request_render()

    def visual(self, layer: Layer[Any]) -> Visual[Any] | None:
        """The visual drawing ``layer``, ``None`` for a layer not in the scene."""
        return self.visuals.get(id(layer))

    def shadows_shown(self) -> bool:
        return self.sun.enabled

    def casters_ready(self, layer: Layer[Any], table: CasterTable | None) -> None:
        """A layer's shadow casters changed in place (streamed tiles), their table made elsewhere:
        the ground shadows with it."""
        if self.sun.enabled:
            self.sun.adopt(layer, table)

    def legends_changed(self) -> None:
        """Legends, credits and shadow casters again, after layers came, went, or changed."""
        self.legend_stack.set_legends(
            merged_by_title([legend for _, legends in self.visible_legends() for legend in legends])
        )
        self.decorations.set_credits([word(line, self.language) for line in self.scene.attributions()])
        self.sun.layers_changed()
        if self.on_legends_changed:
            self.on_legends_changed()

    def prepare(self, layers: Iterable[Layer[Any]]) -> int:
        """Draw hidden ``layers`` once, unseen (fully transparent, then hidden again), so that their
        first appearance — the next story step — costs no loading onto the graphics card: meshes,
        textures and shaders are there already. Returns the number of actors drawn so."""
        props: list[tuple[vtkActor, float]] = []
        for layer in layers:
            visual = self.visuals.get(id(layer))
            if visual is None or layer.visible:
                continue
            for actor in visual.actors:
                if isinstance(actor, vtkActor) and not actor.GetVisibility():
                    props.append((actor, actor.GetProperty().GetOpacity()))
        if not props or self.plotter.ren_win is None:
            return 0
        for actor, _opacity in props:
            actor.GetProperty().SetOpacity(0.0)
            actor.VisibilityOn()
        try:
            self.plotter.ren_win.Render()
        finally:
            for actor, opacity in props:
                actor.VisibilityOff()
                actor.GetProperty().SetOpacity(opacity)
        return len(props)

    def set_leaving(self, layers: Iterable[Layer[Any]]) -> None:
        """Layers on their way out (a story step fading them while the camera flies): still drawn,
        but their legends already gone, so the legends are the new step's from its first frame."""
        leaving = {id(layer) for layer in layers}
        if leaving != self._leaving:
            self._leaving = leaving
            self.legends_changed()

    def visible_legends(self) -> list[tuple[Layer[Any], list[Legend]]]:
        """Each visible layer that has legends, with them, in the scene's order (what the legend
        column draws, and the window's legend panel lists); layers fading out of a story step are
        left out (:meth:`set_leaving`)."""
        found: list[tuple[Layer[Any], list[Legend]]] = []
        for layer in self.scene.layers:
            visual = self.visuals.get(id(layer))
            shown = visual is not None and layer.visible and id(layer) not in self._leaving
            legends = visual.legends() if visual is not None and shown else []
            if legends:
                found.append((layer, legends))
        return found

    def show_legend_column(self, shown: bool) -> None:
        """Draw the legends in the picture's right column, or not (the working window shows them
        in its own panel; the audience screen and the exports draw them)."""
        if self.legend_stack.enabled != shown:
            self.legend_stack.enabled = shown
            self.legend_stack.relayout()
            self.request_render()

    # -- time ------------------------------------------------------------------------------
    def set_time(self, t: datetime) -> None:
        for visual in self.visuals.values():
            visual.set_time(t)
        self.sun.set_time(t)
        clock = (
            format_long(t, self.scene.timezone, self.language)
            if self.has_time_layers() or self.sun.enabled
            else None
        )
        if clock is not None and self.sun.enabled and self.sun.state is not None:
            clock += "\n" + self.sun.state.summary(self.language)
        self.decorations.set_clock(clock)
        self.request_render()

    def set_sun(self, on: bool) -> None:
        """Light the scene from the true sun with cast shadows (``True``) or with the default light kit."""
        self.sun.enable(on)
        if self.scene.clock.time is not None:
            self.set_time(self.scene.clock.time)

    def set_ui_scale(self, scale: float) -> None:
        """Enlarge legends, captions, map furniture and the texts above points (presentation on a
        projector)."""
        self.ui_scale = scale
        self._scale_overlays(scale * self._draw_scale)

    def _scale_overlays(self, scale: float) -> None:
        self.legend_stack.scale = scale
        self.legend_stack.relayout()
        self.decorations.scale = scale
        self.caption.scale = scale
        self.labels.scale = scale  # sensor values and comment pins
        self.request_render()

    def set_draw_scale(self, factor: float) -> None:
        """Draw the scene at ``factor`` of the window's resolution (``1.0``: full), the window
        stretching the picture to its size; the overlays shrink by ``factor`` too, so that they look
        the same, only softer.

        A CPU renderer's time goes into filling pixels: at half the resolution a frame costs about a
        quarter. The window asks for it during camera flights only (a picture in motion; mouse drags
        keep the full resolution, their event positions are in window pixels); the full resolution
        comes back when the camera stops, before the picture at rest is drawn.
        """
        window = self.plotter.ren_win
        if window is None:
            return
        factor = min(max(float(factor), 0.25), 1.0)
        if factor == self._draw_scale:
            return
        if self._full_size is None:
            self._full_size = (int(window.GetSize()[0]), int(window.GetSize()[1]))
        full_w, full_h = self._full_size
        if factor < 1.0:
            reduced = (max(1, round(full_w * factor)), max(1, round(full_h * factor)))
            window.SetSize(*reduced)
            self._reduced_size = reduced
        else:
            # the window resized meanwhile: its new size stands, else the size before
            if tuple(window.GetSize()) == self._reduced_size:
                window.SetSize(full_w, full_h)
            self._full_size = self._reduced_size = None
        self._draw_scale = factor
        self._scale_overlays(self.ui_scale * factor)

    def has_time_layers(self) -> bool:
        return any(layer.time_aware for layer in self.scene.layers)

    # -- rendering -------------------------------------------------------------------------
    def request_render(self) -> None:
        """Draw the view again: at once, or through :attr:`render_later` when a window set one
        (one drawing for a burst of changes)."""
        if not self.auto_render:
            return
        if self.render_later is not None:
            self.render_later()
        else:
            self.plotter.render()

    def frame_size(self) -> tuple[int, int]:
        """Width and height in pixels of the picture being drawn (the window, or an export's frame)."""
        if self.frame_size_px is not None:
            return self.frame_size_px
        if self.plotter.ren_win is None:
            width, height = self.plotter.window_size
        else:
            width, height = self.plotter.ren_win.GetSize()
        return int(width), int(height)

    def layout_overlays(self, width: int, height: int) -> None:
        """Place the overlays for a picture of ``width`` × ``height`` pixels in regions that never
        overlap: title and clock top-left, compass and scale bar bottom-left, credits bottom-right,
        the caption in the bottom band above them, the legends in the right column between."""
        decorations = self.decorations
        decorations.update(width, height)
        bottom = [r for k, r in decorations.rects.items() if k in ("north_arrow", "scale_bar", "credits")]
        self.caption.update(width, height, bottom)
        placed = list(decorations.rects.values())
        if self.caption.rect is not None:
            placed.append(self.caption.rect)
        self.legend_stack.layout(width, height, placed)
        self.swipe.update(width, height)

    def overlay_rects(self) -> list[tuple[str, Rect]]:
        """Each overlay drawn at the last layout and its screen rectangle (x, y, width, height),
        display pixels of the whole picture, origin bottom-left."""
        rects = [(name, rect) for name, rect in self.decorations.rects.items()]
        if self.caption.rect is not None:
            rects.append(("caption", self.caption.rect))
        rects += [(f"legend {i + 1}", rect) for i, rect in enumerate(self.legend_stack.rects)]
        return rects

    def label_boxes(self) -> list[Rect]:
        """Screen boxes of the texts written above points at the last render (picture pixels)."""
        return list(self.labels.boxes)

    def _before_render(self, *_: Any) -> None:
        if not self.overlays_frozen:
            self.layout_overlays(*self.frame_size())
        taken = [rect for _, rect in self.overlay_rects()]
        self.labels.declutter(taken, self.frame_size(), self.tile_origin)
        camera_util.fit_clipping_range(self.renderer)

    # -- camera ----------------------------------------------------------------------------
    def default_view(self, bounds: tuple[float, float, float, float] | None = None) -> CameraView | None:
        """The whole scene (or ``bounds``, scene CRS metres: a layer's) seen obliquely, framed in
        the part of the picture the legend column and the caption leave free."""
        bounds = bounds or self.scene.focus_bounds()
        if bounds is None:
            return None
        width, height = self.plotter.window_size
        aspect = max(width / max(height, 1), 0.5)
        return self._framed_clear_of_overlays(camera_util.oblique_view(bounds, aspect=aspect), bounds)

    def _framed_clear_of_overlays(
        self, view: CameraView, bounds: tuple[float, float, float, float]
    ) -> CameraView:
        """``view`` moved so that the ground box ``bounds`` lies clear of the legend column and the
        caption as laid out for the picture now (:func:`viewer.overlay_layout.free_rect`)."""
        width, height = self.frame_size()
        if width <= 0 or height <= 0:
            return view
        if not self.overlays_frozen:
            self.layout_overlays(width, height)
        taken = [
            rect for name, rect in self.overlay_rects() if name.startswith("legend") or name == "caption"
        ]
        x, y, w, h = free_rect(width, height, taken)
        free = (x / width, y / height, (x + w) / width, (y + h) / height)
        return camera_util.frame_in(view, bounds, width / height, free)

    def reset_camera(self) -> None:
        view = self.default_view()
        if view is not None:
            self.go_to(view)

    def go_to(self, view: CameraView) -> None:
        camera_util.apply_view(self.renderer.GetActiveCamera(), view, self._origin())
        self.plotter.camera_set = True  # or PyVista resets the camera at the first render
        camera_util.fit_clipping_range(self.renderer)
        if not self.lod.active:  # a flight's frames: the shadows follow once it lands
            self.sun.view_changed()
        self.request_render()

    def show_comment_pins(self, comments: list[Comment]) -> None:
        """Pin ``comments`` on the view with their short labels (an export's; the window's pins
        are the mediation's own); none removes the pins."""
        from .annotations import CommentMarkers

        if comments and self.comment_pins is None:
            self.comment_pins = CommentMarkers(self)
        if self.comment_pins is not None:
            if comments:
                self.comment_pins.set_comments(comments)
            else:
                self.comment_pins.remove()
                self.comment_pins = None

    def ground_in_view(self) -> tuple[float, float, float, float]:
        """The ground the camera looks at (xmin, ymin, xmax, ymax), scene CRS metres
        (:func:`viewer.ground_view.camera_footprint`): the area of work sized by the view."""
        from .ground_view import camera_footprint

        width, height = self.frame_size()
        x0, y0, x1, y1 = camera_footprint(self.renderer.GetActiveCamera(), width / max(height, 1))
        ox, oy = self._origin()
        return (x0 + ox, y0 + oy, x1 + ox, y1 + oy)

    def current_view(self, name: str = "Vue") -> CameraView:
        return camera_util.current_view(self.renderer.GetActiveCamera(), self._origin(), name)

    # -- picking ---------------------------------------------------------------------------
    def pick(self, x: float, y: float) -> Pick | None:
        """The feature under display pixel (x, y) (origin bottom-left), or ``None``."""
        point_pick = self._pick_points(x, y)
        if point_pick is not None:
            return point_pick
        self.prepare_picking()
        if not self._picker.Pick(x, y, 0.0, self.renderer):
            return None
        actor = self._picker.GetActor()
        visual = self._owner_of(actor)
        if visual is None:
            return None
        index = visual.pick_cell(actor, self._picker.GetCellId())
        if index is None:
            return None
        return Pick(visual.layer, int(index), self.to_world(np.array(self._picker.GetPickPosition())), visual)

    def picked_local(self) -> np.ndarray:
        """Origin-relative (x, y, z) of the last cell pick: for visuals whose cells are not their
        features (a raster drawn as one textured quad finds its pixel from the position)."""
        return np.array(self._picker.GetPickPosition())

    def picked_normal(self) -> np.ndarray:
        """The normal (x, y, z) of the cell of the last cell pick (its plane, for exact points)."""
        return np.array(self._picker.GetPickNormal())

    def prepare_picking(self) -> None:
        """Give the picker the cell locators of the visuals that have them (large meshes): a pick
        then searches a few cells instead of millions. Built once; call it when idle to warm up."""
        self._picker.RemoveAllLocators()
        for visual in self.visuals.values():
            for locator in visual.pick_locators():
                self._picker.AddLocator(locator)

    def _pick_points(self, x: float, y: float) -> Pick | None:
        width, height = self.renderer.GetRenderWindow().GetSize()
        radius = POINT_PICK_RADIUS_PX * max(height / 1000.0, 0.75)
        best: tuple[float, Visual[Any], int, np.ndarray] | None = None
        for visual in self.visuals.values():
            if not visual.layer.visible:
                continue
            found = visual.pick_points()
            if found is None or len(found[0]) == 0:
                continue
            points, ids = found
            display, in_front = self.project(points)
            d = np.where(in_front, np.hypot(display[:, 0] - x, display[:, 1] - y), np.inf)
            i = int(np.argmin(d))
            if d[i] <= radius and (best is None or d[i] < best[0]):
                best = (float(d[i]), visual, int(ids[i]), points[i])
        if best is None:
            return None
        return Pick(best[1].layer, best[2], self.to_world(best[3]), best[1])

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Display pixels (n, 2) of origin-relative points (n, 3), and whether each is in front."""
        width, height = self.renderer.GetRenderWindow().GetSize()
        camera = self.renderer.GetActiveCamera()
        matrix = camera.GetCompositeProjectionTransformMatrix(width / max(height, 1), -1, 1)
        m = np.array([[matrix.GetElement(i, j) for j in range(4)] for i in range(4)])
        homogeneous = np.column_stack([points, np.ones(len(points))]) @ m.T
        w = homogeneous[:, 3]
        in_front = w > 1e-9
        ndc = homogeneous[:, :2] / np.where(in_front, w, 1.0)[:, None]
        display = np.column_stack([(ndc[:, 0] + 1) / 2 * width, (ndc[:, 1] + 1) / 2 * height])
        return display, in_front

    def _owner_of(self, actor: vtkProp) -> Visual[Any] | None:
        for visual in self.visuals.values():
            if any(a is actor for a in visual.actors):
                return visual
        return None

    def world_at(self, x: float, y: float) -> tuple[float, float, float] | None:
        """Real scene-CRS coordinates of the surface under display pixel (x, y)."""
        from .decorations import ground_point

        if self._picker.Pick(x, y, 0.0, self.renderer) and self._picker.GetActor() is not None:
            return self.to_world(np.array(self._picker.GetPickPosition()))
        ground = ground_point(self.renderer, x, y)
        return None if ground is None else self.to_world(ground)

    # -- statistics ------------------------------------------------------------------------
    def triangle_count(self) -> int:
        return sum(visual.triangle_count() for visual in self.visuals.values())

    def highlight(self, pick: Pick | None) -> None:
        for visual in self.visuals.values():
            visual.highlight(pick.index if pick is not None and pick.visual is visual else None)
        self.request_render()
