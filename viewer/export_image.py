"""Pictures of a scene for print and video: an off-screen view, what is burned in, any size.

:class:`ExportView` draws a scene off screen through the very :class:`SceneView` the window uses,
at any size up to 7680×4320: in one render when the GL driver allows it, else in tiles
(:mod:`viewer.tiles`). :class:`BurnIn` says what is written on the picture — title, legends, scale
bar, north arrow, clock, credits (each optional, the credits editable), story caption.

The command line draws the session's own scene. The desktop draws a *twin* (:func:`twin_scene`):
the same layer objects in a scene of its own with its own clock, so an export can move time and the
camera without touching the window, while layer visibility and styles stay shared.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from layers.core.scene import Scene

from .gl import make_plotter
from .legends import scale_for
from .tiles import TiledRender, grab, tile_limit

if TYPE_CHECKING:
    from vtkmodules.vtkRenderingCore import vtkProp, vtkRenderWindow

    from layers.session.comments import Comment

    from .scene_view import SceneView

#: the largest picture (pixels); 8K UHD
MAX_SIZE = (7680, 4320)
#: print sizes at 300 dpi (landscape; portrait swaps them)
A4_300DPI = (3508, 2480)
A3_300DPI = (4961, 3508)
#: the off-screen window is created at most this size (larger pictures resize it or use tiles)
START_SIZE = (1920, 1080)


@dataclass
class BurnIn:
    """What is written on an exported picture; each part can be left out.

    ``title_text``: ``None`` writes the project's title. ``credits_text``: ``None`` writes the
    credits of the visible layers (their ``attribution``), else this line instead (edited by the
    user, e.g. ``"Source : IGN – BD TOPO · © OpenStreetMap contributors"``).
    """

    title: bool = True
    legends: bool = True
    scale_bar: bool = True
    north_arrow: bool = True
    clock: bool = True
    credits: bool = True
    caption: bool = True
    title_text: str | None = None
    credits_text: str | None = None
    #: comments pinned on the picture, each with its short label (none by default)
    comments: tuple[Comment, ...] = ()

    def apply(self, view: SceneView) -> None:
        """Show or hide the parts on ``view`` (kept through later legend and time changes)."""
        view.legend_stack.enabled = self.legends
        view.legend_stack.relayout()
        enabled = view.decorations.enabled
        enabled.update(
            title=self.title,
            clock=self.clock,
            scale_bar=self.scale_bar,
            north_arrow=self.north_arrow,
            credits=self.credits,
        )
        if self.title_text is not None:
            view.decorations.set_title(self.title_text)
        view.decorations.set_credits_text(self.credits_text)
        for actor in (
            view.caption.panel.actor,
            view.caption.accent.actor,
            view.caption.title,
            view.caption.body,
        ):
            actor.SetVisibility(self.caption and view.caption.shown)
        view.show_comment_pins(list(self.comments))

    def parts(self) -> list[str]:
        """Names of the parts written (for ``--json``)."""
        return [
            name
            for name in (
                "title",
                "legends",
                "scale_bar",
                "north_arrow",
                "clock",
                "credits",
                "caption",
                "comments",
            )
            if getattr(self, name)
        ]


def default_credits(scene: Scene, language: str = "fr") -> str:
    """The credits line of the visible layers in ``language``, as written when nobody edits it."""
    from layers.core.messages import word

    return " · ".join(word(line, language) for line in scene.attributions())


def twin_scene(scene: Scene) -> Scene:
    """A scene holding the same layers (same objects: visibility, opacity and styles are shared) with
    its own clock, set like ``scene``'s; same CRS and origin, so coordinates match exactly."""
    twin = Scene(scene.crs, scene.timezone)
    twin.origin = None if scene.origin is None else np.array(scene.origin, dtype=float)
    twin.layers = list(scene.layers)  # not Scene.add: no reprojection, no clock range guessing
    clock, source = twin.clock, scene.clock
    if source.start is not None and source.end is not None:
        clock.set_range(source.start, source.end)
    clock.speed_s_per_s = source.speed_s_per_s
    clock.loop = source.loop
    if source.time is not None:
        clock.time = source.time
    return twin


class ExportView:
    """A scene drawn off screen for export.

    Parameters
    ----------
    scene
        The scene to draw (the command line's own; the desktop passes ``twin=True``).
    like
        A window's view to copy: camera, sun and shadow options.
    twin
        Draw a :func:`twin_scene` of ``scene`` (own clock; layers shared).
    title
        The title written (``BurnIn.title_text`` overrides it).
    """

    def __init__(
        self,
        scene: Scene,
        *,
        burn: BurnIn | None = None,
        like: SceneView | None = None,
        twin: bool = False,
        title: str | None = None,
        language: str = "fr",
        size: tuple[int, int] = START_SIZE,
    ) -> None:
        from .scene_view import SceneView

        self.scene = twin_scene(scene) if twin else scene
        fit = min(1.0, START_SIZE[0] / int(size[0]), START_SIZE[1] / int(size[1]))
        start = (
            max(16, round(int(size[0]) * fit)),
            max(16, round(int(size[1]) * fit)),
        )  # the picture's shape
        self.plotter = make_plotter(start)
        # the GL context from here, on an empty frame: its limits can be asked (tiles), and the
        # scene's first frame is drawn once, by render() (a first full frame here cost as much)
        self.window.Render()
        self.view = SceneView(self.plotter, self.scene, language=language, title=title, auto_render=False)
        self.burn = burn or BurnIn()
        self._strokes: dict[int, tuple[vtkProp, float, float]] = {}
        self.tiles_used = 1
        self._ui_scale = 1.0
        self.antialias = "msaa"
        self.burn.apply(self.view)  # first: the whole scene is framed clear of the legends drawn, if any
        if like is not None:
            self.view.go_to(like.current_view())
            if like.sun.enabled:
                self.view.sun.use_shadow_maps = like.sun.use_shadow_maps
                self.view.set_sun(True)
        else:
            self.view.reset_camera()

    @property
    def window(self) -> vtkRenderWindow:
        """The off-screen render window (until :meth:`close`)."""
        ren_win = self.plotter.ren_win
        if ren_win is None:
            raise RuntimeError("the export view is closed")
        return ren_win

    # -- options ---------------------------------------------------------------------------------
    def set_antialias(self, mode: str) -> None:
        """``"msaa"`` (4 samples: stills), ``"fxaa"`` (a post-pass, about half the cost on a CPU
        renderer: videos) or ``"none"``."""
        ren_win, renderer = self.window, self.view.renderer
        ren_win.SetMultiSamples(4 if mode == "msaa" else 0)
        renderer.SetUseFXAA(mode == "fxaa")
        self.antialias = mode

    def set_burn(self, burn: BurnIn) -> None:
        self.burn = burn
        burn.apply(self.view)

    def _scale_strokes(self, factor: float) -> None:
        """Lines and points drawn in pixels (routes, outlines) thickened like the legends for large
        pictures, so a 4K frame looks like the window, only sharper."""
        for visual in self.view.visuals.values():
            for actor in visual.actors:
                prop = actor.GetProperty() if hasattr(actor, "GetProperty") else None
                if prop is None or not hasattr(prop, "SetLineWidth"):
                    continue
                entry = self._strokes.get(id(actor))
                if entry is None or entry[0] is not actor:
                    entry = (actor, prop.GetLineWidth(), prop.GetPointSize())
                    self._strokes[id(actor)] = entry
                prop.SetLineWidth(max(1.0, entry[1] * factor))
                prop.SetPointSize(max(1.0, entry[2] * factor))

    # -- drawing ---------------------------------------------------------------------------------
    def render(
        self,
        size: tuple[int, int],
        *,
        max_tile: int | None = None,
        design_size: tuple[int, int] | None = None,
    ) -> np.ndarray:
        """The picture at ``size`` as an (height, width, 3) uint8 array (tiles when needed)."""
        picture: np.ndarray | None = None
        for step in self.steps(size, max_tile=max_tile, design_size=design_size):
            if isinstance(step, np.ndarray):  # fractions done, then the picture
                picture = step
        assert picture is not None  # steps() ends with the picture
        return picture

    def steps(
        self,
        size: tuple[int, int],
        *,
        max_tile: int | None = None,
        design_size: tuple[int, int] | None = None,
    ) -> Generator[np.ndarray | float, None, None]:
        """Draw the picture a tile at a time: yields the fraction done, the picture last.

        ``design_size``: draw a small preview of a picture of that size (legends and text shrunk
        with it, so the preview looks like the export).
        """
        width, height = int(size[0]), int(size[1])
        view = self.view
        if design_size is not None and design_size[1] != height:
            big = scale_for(int(design_size[1])) * height / design_size[1]
            ui_scale, stroke = big / scale_for(height), big
        else:
            ui_scale, stroke = 1.0, scale_for(height)
        if ui_scale != self._ui_scale:
            view.set_ui_scale(ui_scale)
            self._ui_scale = ui_scale
        self._scale_strokes(stroke if abs(stroke - 1.0) > 0.1 else 1.0)
        self.burn.apply(view)
        ren_win = self.window
        tw, th = tile_limit(ren_win, max_tile)
        if width <= tw and height <= th:
            self.tiles_used = 1
            if tuple(ren_win.GetSize()) != (width, height):
                ren_win.SetSize(width, height)
            ren_win.Render()
            yield grab(ren_win, width, height)
            return
        tiled = TiledRender(view, (width, height), (tw, th))
        self.tiles_used = len(tiled.tiles)
        yield from tiled.steps()
        assert tiled.image is not None  # its steps end by setting it
        yield tiled.image

    def close(self) -> None:
        """Stop drawing: the view leaves the scene, the render window is freed."""
        self.view.close()
        self.plotter.close()


def write_image(image: np.ndarray, output: str | Path, *, dpi: int | None = None) -> None:
    """Save an (h, w, 3|4) uint8 array as PNG or JPEG (quality 92), with its print resolution;
    whole or not at all (:func:`layers.io.atomic.replacing`: a failure leaves the previous file
    and raises :class:`layers.core.errors.OutputError` naming the cause)."""
    from PIL import Image

    from layers.io.atomic import replacing

    output = Path(output)
    picture = Image.fromarray(np.ascontiguousarray(image))
    extra: dict[str, Any] = {"dpi": (dpi, dpi)} if dpi else {}
    with replacing(output) as temp:
        if output.suffix.lower() in {".jpg", ".jpeg"}:
            picture.convert("RGB").save(temp, format="JPEG", quality=92, optimize=True, **extra)
        else:
            picture.save(temp, format="PNG", optimize=False, **extra)


def burn_from_flags(
    *,
    no_title: bool = False,
    no_legend: bool = False,
    no_scale_bar: bool = False,
    no_north: bool = False,
    no_clock: bool = False,
    no_credits: bool = False,
    credits: str | None = None,
    title: str | None = None,
) -> BurnIn:
    """A :class:`BurnIn` from the command line's ``--no-…`` flags and ``--credits`` / ``--title``
    (refused past what a picture holds: :func:`viewer.text_fit.check_flag_text`)."""
    from viewer.text_fit import MAX_LINE_CHARS, check_flag_text

    check_flag_text("--title", title)
    check_flag_text("--credits", credits, 2 * MAX_LINE_CHARS)
    return BurnIn(
        title=not no_title,
        legends=not no_legend,
        scale_bar=not no_scale_bar,
        north_arrow=not no_north,
        clock=not no_clock,
        credits=not no_credits,
        title_text=title,
        credits_text=credits,
    )
