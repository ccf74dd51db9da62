"""Two moments side by side: two views of the same layers, one camera, each with its own clock.

The window's view and a *twin* (:func:`viewer.export_image.twin_scene`: the same layer objects in a
scene of its own, with its own clock) are drawn next to each other. :class:`CameraLink` makes them
share one ``vtkCamera``, so moving either moves both, and asks both to draw again when the camera
moves. Each view follows its own clock: time-aware layers, the sun and the ground shadows of the
left side at 8:00, of the right side at 18:00 (or 1 July and 21 December).

:func:`render_compare` makes the still of both moments (``maquette render --compare A B``, and
Export › Image… while the window compares): one picture, the left half at the first time, the right
half at the second, each with its clock line; the title, north arrow and scale bar on the left, the
one legend column and the credits on the right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from layers.core.scene import Scene
    from layers.session.views import CameraView

    from .export_image import BurnIn, ExportView
    from .scene_view import SceneView

#: width of the line between the two halves of a still (pixels at 1000 px height)
DIVIDER_PX = 3
#: the divider's colour (RGB 0-255)
DIVIDER_RGB = (255, 255, 255)


def camera_pose(view: SceneView) -> tuple[float, ...]:
    """Where the camera of ``view`` is and looks (position, focal point, view up, angle, parallel
    scale and projection): equal tuples, equal pictures of the same scene."""
    camera = view.renderer.GetActiveCamera()
    return (
        *camera.GetPosition(),
        *camera.GetFocalPoint(),
        *camera.GetViewUp(),
        camera.GetViewAngle(),
        camera.GetParallelScale(),
        float(camera.GetParallelProjection()),
    )


class CameraLink:
    """``first`` and ``second`` look through one camera (``first``'s): moving one moves the other.

    ``on_moved`` is called once per camera move (not for the clipping range each render sets): the
    window draws the other side again and, when the camera rests, recomputes its ground shadows.
    :meth:`unlink` gives ``second`` a camera of its own again (a copy of the shared one).
    """

    def __init__(
        self, first: SceneView, second: SceneView, on_moved: Callable[[], None] | None = None
    ) -> None:
        self.first, self.second = first, second
        self.on_moved = on_moved
        self.camera = first.renderer.GetActiveCamera()
        second.renderer.SetActiveCamera(self.camera)
        second.plotter.camera_set = True  # or PyVista resets the shared camera at the first render
        self._pose = camera_pose(first)
        self._observer: int | None = self.camera.AddObserver("ModifiedEvent", self._modified)

    def _modified(self, *_: Any) -> None:
        pose = camera_pose(self.first)
        if pose == self._pose:  # the clipping range, set before every render: nothing moved
            return
        self._pose = pose
        if self.on_moved is not None:
            self.on_moved()

    def unlink(self) -> None:
        """Stop sharing: ``second`` keeps a copy of the camera as it is now."""
        if self._observer is None:
            return
        self.camera.RemoveObserver(self._observer)
        self._observer = None
        from vtkmodules.vtkRenderingCore import vtkCamera

        own = vtkCamera()
        own.DeepCopy(self.camera)
        self.second.renderer.SetActiveCamera(own)


def side_by_side(left: np.ndarray, right: np.ndarray, divider_px: int | None = None) -> np.ndarray:
    """One picture of two halves of equal height ((h, w, 3) uint8 each), a light line between them
    (``divider_px`` wide, default :data:`DIVIDER_PX` per 1000 px of height)."""
    if left.shape[0] != right.shape[0]:
        raise ValueError("the two halves must have the same height")
    picture = np.concatenate([left[..., :3], right[..., :3]], axis=1)
    height, split = left.shape[0], left.shape[1]
    width = divider_px if divider_px is not None else max(1, round(DIVIDER_PX * max(height / 1000.0, 0.75)))
    x0 = max(0, split - width // 2)
    picture[:, x0 : x0 + width] = DIVIDER_RGB
    return picture


def half_widths(width: int) -> tuple[int, int]:
    """The widths of the left and right halves of a picture ``width`` pixels wide."""
    left = width // 2
    return left, width - left


def burn_of_side(burn: BurnIn, side: str) -> BurnIn:
    """What each half writes: the title, north arrow and scale bar on the left; the legend column and
    the credits on the right; the clock line (the moment) on both."""
    if side == "left":
        return replace(burn, legends=False, credits=False)
    return replace(burn, title=False, north_arrow=False, scale_bar=False)


def both_moments(
    export: ExportView,
    times: tuple[datetime, datetime],
    size: tuple[int, int],
    *,
    view: CameraView | None = None,
    burn: BurnIn | None = None,
    max_tile: int | None = None,
    design_size: tuple[int, int] | None = None,
) -> tuple[np.ndarray, list[str | None]]:
    """The picture of both moments through one off-screen view (``export``, drawing a twin scene:
    its clock is moved), and the clock line written on each half.

    Each half is drawn at its time with what it writes (:func:`burn_of_side`), through ``view``
    (default: the whole scene framed in the left half), then the two are joined
    (:func:`side_by_side`). ``design_size``: a preview of a picture of that size.
    """
    from .export_image import BurnIn

    burn = burn or BurnIn()
    width, height = int(size[0]), int(size[1])
    halves: list[np.ndarray] = []
    clocks: list[str | None] = []
    camera = view
    design = None if design_size is None else (half_widths(int(design_size[0]))[0], int(design_size[1]))
    for side, t, half in zip(("left", "right"), times, half_widths(width), strict=True):
        export.set_burn(burn_of_side(burn, side))
        export.scene.clock.time = t
        if camera is None:
            export.window.SetSize(half, height)
            export.view.reset_camera()
            camera = export.view.current_view()
        else:
            export.view.go_to(camera)
        halves.append(export.render((half, height), max_tile=max_tile, design_size=design))
        clocks.append(export.view.decorations.clock.GetInput() or None)
    export.set_burn(burn)
    return side_by_side(halves[0], halves[1]), clocks


def render_compare(
    scene: Scene,
    output: str | Path,
    times: tuple[datetime, datetime],
    *,
    size: tuple[int, int] = (1920, 1080),
    view: CameraView | None = None,
    title: str | None = None,
    language: str = "fr",
    sun: bool = True,
    shadow_maps: bool = False,
    burn: BurnIn | None = None,
    max_tile: int | None = None,
    dpi: int | None = None,
) -> dict[str, Any]:
    """Write the still of ``scene`` at two moments side by side (PNG or JPEG).

    ``times``: the left and right clock times (timezone-aware). ``view``: the camera of both halves
    (default: the whole scene framed in the left half). ``sun``: light from the true sun with its
    ground shadows on both sides. Returns the figures ``--json`` prints.
    """
    from .export_image import BurnIn, ExportView, write_image

    burn = burn or BurnIn()
    width, height = int(size[0]), int(size[1])
    export = ExportView(scene, twin=True, burn=burn, title=title, language=language, size=size)
    notes: list[str] = []
    try:
        if sun:
            export.scene.clock.time = times[0]
            export.view.sun.use_shadow_maps = shadow_maps
            export.view.set_sun(True)
        picture, clocks = both_moments(
            export, times, (width, height), view=view, burn=burn, max_tile=max_tile
        )
        if sun:
            for t in times:
                export.scene.clock.time = t
                state = export.view.sun.state
                if state is not None and state.no_shadows:
                    notes.append(state.no_shadows)
    finally:
        export.close()
    write_image(picture, output, dpi=dpi)
    return {
        "output": str(output),
        "size": [width, height],
        "times": [t.isoformat() for t in times],
        "clocks": clocks,
        "warnings": notes,
    }
