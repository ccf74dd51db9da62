"""Pictures larger than the render window allows: one camera cut into tiles, overlays laid out once.

The 3D part of a tile is the whole picture's camera looking through a smaller window: the view angle
(or parallel scale) shrinks by ``tile height / picture height`` and the window centre moves to the
tile (``vtkCamera.SetWindowCenter``), so every pixel of every tile sees exactly what the same pixel
of one huge render would, and tiles join without seams.

The 2D overlays (legends, title, clock, scale bar, north arrow, credits, caption) are laid out once
for the whole picture — font sizes and positions for its full height, the scale bar and north arrow
measured with the untiled camera (:class:`FrameProjection`) — then each tile draws them shifted by its
offset, so a legend straddling two tiles is cut, not drawn twice or at tile scale. Screen-sized
things in the 3D part (sensor value labels, vehicle pucks) read ``SceneView.frame_size()``. A
vertical sky gradient is re-split per tile so it runs once over the whole picture.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, MutableSequence
from typing import TYPE_CHECKING, cast

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkUnsignedCharArray

from .projection import FrameProjection

if TYPE_CHECKING:
    from vtkmodules.vtkRenderingCore import vtkActor2D, vtkRenderer, vtkRenderWindow

    from .scene_view import SceneView

GL_MAX_TEXTURE_SIZE = 0x0D33
GL_MAX_VIEWPORT_DIMS = 0x0D3A
GL_MAX_RENDERBUFFER_SIZE = 0x84E8
#: tiles are kept at most this many pixels a side even where the driver allows more (GPU memory:
#: a 4096² tile with 4× MSAA needs ~0.5 GB)
DEFAULT_TILE_LIMIT = 4096
#: assumed when the driver cannot be asked
FALLBACK_GL_LIMIT = 4096


def gl_limits(ren_win: vtkRenderWindow) -> tuple[int, int]:
    """Largest (width, height) the render window's GL context can draw into: the smallest of the
    maximum renderbuffer, texture and viewport sizes. Asked once the context exists (after a render);
    :data:`FALLBACK_GL_LIMIT` when the driver does not answer."""
    # kept on the window object itself: asked once per GL context
    cached: tuple[int, int] | None = getattr(ren_win, "_maquette_gl_limits", None)
    if cached is not None:
        return cached
    result = (FALLBACK_GL_LIMIT, FALLBACK_GL_LIMIT)
    try:
        from vtkmodules.vtkRenderingOpenGL2 import vtkOpenGLRenderWindow

        if not isinstance(ren_win, vtkOpenGLRenderWindow):
            raise TypeError("not an OpenGL window")
        ren_win.MakeCurrent()
        state = ren_win.GetState()
        values: dict[int, np.ndarray] = {}
        for enum in (GL_MAX_RENDERBUFFER_SIZE, GL_MAX_TEXTURE_SIZE, GL_MAX_VIEWPORT_DIMS):
            out = np.zeros(4, dtype=np.int32)
            # VTK writes into any buffer of GLints; its hint names only Python lists
            state.vtkglGetIntegerv(enum, cast("MutableSequence[int]", out))
            values[enum] = out
        side = int(min(values[GL_MAX_RENDERBUFFER_SIZE][0], values[GL_MAX_TEXTURE_SIZE][0]))
        vw, vh = int(values[GL_MAX_VIEWPORT_DIMS][0]), int(values[GL_MAX_VIEWPORT_DIMS][1])
        if side > 0 and vw > 0 and vh > 0:
            result = (min(side, vw), min(side, vh))
    except Exception:  # noqa: BLE001 - a driver that cannot be asked gets the safe size
        pass
    try:
        setattr(ren_win, "_maquette_gl_limits", result)  # noqa: B010 - not a declared attribute of VTK's class
    except AttributeError:
        pass
    return result


def tile_limit(ren_win: vtkRenderWindow, wanted: int | None = None) -> tuple[int, int]:
    """The largest tile to draw: the driver's limits, :data:`DEFAULT_TILE_LIMIT`, and ``wanted``."""
    gw, gh = gl_limits(ren_win)
    cap = DEFAULT_TILE_LIMIT if wanted is None else int(wanted)
    return max(16, min(gw, cap)), max(16, min(gh, cap))


def grab(ren_win: vtkRenderWindow, width: int, height: int) -> np.ndarray:
    """The last rendered picture as an (height, width, 3) uint8 array, top row first."""
    data = vtkUnsignedCharArray()
    ren_win.GetPixelData(0, 0, width - 1, height - 1, 0, data, 0)
    image = vtk_to_numpy(data).reshape(height, width, -1)[:, :, :3]
    return np.ascontiguousarray(image[::-1])


def tile_grid(width: int, height: int, tile_w: int, tile_h: int) -> list[tuple[int, int, int, int]]:
    """Tiles (x0, y0, w, h) covering a ``width`` × ``height`` picture, y up from the bottom, of
    equal size as near as can be (the window is set once)."""
    nx, ny = math.ceil(width / tile_w), math.ceil(height / tile_h)
    tw, th = math.ceil(width / nx), math.ceil(height / ny)
    return [(ix * tw, iy * th, tw, th) for iy in range(ny) for ix in range(nx)]


def overlay_actors(view: SceneView) -> list[vtkActor2D]:
    """The 2D actors laid out in picture pixels: legends, map furniture, caption."""
    actors: list[vtkActor2D] = [actor for panel in view.legend_stack.panels for actor in panel.actors()]
    actors.append(view.legend_stack.note)
    actors += list(view.decorations._all())
    caption = view.caption
    actors += [caption.panel.actor, caption.accent.actor, caption.title, caption.body]
    return actors


class TiledRender:
    """Draw ``view`` at ``size`` in tiles of at most ``tile`` pixels; :meth:`run` or step through
    :meth:`steps` (one tile per step, for a window that must stay responsive).

    The render window is resized to the tile size for the duration and restored after; the camera,
    backgrounds and overlays are restored too.
    """

    def __init__(self, view: SceneView, size: tuple[int, int], tile: tuple[int, int]) -> None:
        self.view = view
        self.width, self.height = int(size[0]), int(size[1])
        self.tiles = tile_grid(self.width, self.height, int(tile[0]), int(tile[1]))
        self.image: np.ndarray | None = None

    def run(self) -> np.ndarray:
        """Render every tile; the picture as an (height, width, 3) uint8 array."""
        for _ in self.steps():
            pass
        assert self.image is not None  # steps() ends by setting it
        return self.image

    def steps(self) -> Iterator[float]:
        """Render tile after tile, yielding the fraction done; the picture ends in :attr:`image`."""
        view = self.view
        ren_win = view.plotter.ren_win
        if ren_win is None:
            raise RuntimeError("the view's plotter is closed")
        W, H = self.width, self.height
        tw, th = self.tiles[0][2], self.tiles[0][3]
        camera = view.renderer.GetActiveCamera()
        saved_w, saved_h = ren_win.GetSize()
        saved_camera = (camera.GetViewAngle(), camera.GetWindowCenter(), camera.GetParallelScale())
        backgrounds = _gradient_backgrounds(ren_win)
        actors = overlay_actors(view)
        saved_frame = view.frame_size_px
        image = np.empty((H, W, 3), dtype=np.uint8)
        try:
            # overlays for the whole picture, measured with the untiled camera
            view.frame_size_px = (W, H)
            view.decorations.projection = FrameProjection.of(view, W, H)
            view.legend_stack.relayout()
            view.layout_overlays(W, H)
            view.decorations.projection = None
            view.overlays_frozen = True
            positions = [tuple(actor.GetPosition()) for actor in actors]
            ren_win.SetSize(tw, th)
            angle = math.degrees(2.0 * math.atan(math.tan(math.radians(saved_camera[0]) / 2.0) * th / H))
            camera.SetViewAngle(angle)
            camera.SetParallelScale(saved_camera[2] * th / H)
            for n, (x0, y0, _, _) in enumerate(self.tiles):
                camera.SetWindowCenter(2.0 * (x0 + tw / 2 - W / 2) / tw, 2.0 * (y0 + th / 2 - H / 2) / th)
                for actor, (px, py) in zip(actors, positions):
                    actor.SetPosition(px - x0, py - y0)
                view.tile_origin = (float(x0), float(y0))
                for renderer, bottom, top in backgrounds:
                    renderer.SetBackground(*_mix(bottom, top, y0 / H))
                    renderer.SetBackground2(*_mix(bottom, top, (y0 + th) / H))
                ren_win.Render()
                tile = grab(ren_win, tw, th)
                w, h = min(tw, W - x0), min(th, H - y0)
                # tile rows are top first; picture row of tile bottom y0 is H - y0
                image[H - y0 - h : H - y0, x0 : x0 + w] = tile[th - h :, :w]
                yield (n + 1) / len(self.tiles)
            for actor, (px, py) in zip(actors, positions):
                actor.SetPosition(px, py)
        finally:
            view.tile_origin = (0.0, 0.0)
            view.overlays_frozen = False
            view.decorations.projection = None
            view.frame_size_px = saved_frame
            view.legend_stack.relayout()
            camera.SetViewAngle(saved_camera[0])
            camera.SetWindowCenter(*saved_camera[1])
            camera.SetParallelScale(saved_camera[2])
            for renderer, bottom, top in backgrounds:
                renderer.SetBackground(*bottom)
                renderer.SetBackground2(*top)
            ren_win.SetSize(saved_w, saved_h)
        self.image = image


RGB = tuple[float, float, float]


def _gradient_backgrounds(ren_win: vtkRenderWindow) -> list[tuple[vtkRenderer, RGB, RGB]]:
    """(renderer, bottom colour, top colour) of each renderer with a vertical gradient background."""
    found: list[tuple[vtkRenderer, RGB, RGB]] = []
    renderers = ren_win.GetRenderers()
    renderers.InitTraversal()
    for _ in range(renderers.GetNumberOfItems()):
        renderer = renderers.GetNextItem()
        if not renderer.GetGradientBackground():
            continue
        mode = renderer.GetGradientMode() if hasattr(renderer, "GetGradientMode") else 0
        if mode != 0:  # vertical only; others are left whole per tile
            continue
        found.append((renderer, renderer.GetBackground(), renderer.GetBackground2()))
    return found


def _mix(a: RGB, b: RGB, f: float) -> RGB:
    """The colour a fraction ``f`` of the way from ``a`` to ``b``."""
    return (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f)
