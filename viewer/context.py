"""What a visual may ask of the view drawing it, and the look the view and its helpers share.

:class:`ViewContext` is the part of :class:`viewer.scene_view.SceneView` that visuals
(``viewer/visuals/``) and the view's helpers (level of detail, the sun, the swipe, draping) use. The
scene view satisfies it; they are typed against it and never import the scene view, so the
dependency runs one way: the scene view knows its visuals, the visuals know only this protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np
    import pyvista as pv

    from layers.core.base import Layer
    from layers.core.scene import Scene

    from .caster_tables import CasterTable
    from .label_registry import LabelRegistry

#: the sky gradient (bottom, top) and the ground plane's colour of the default look
SKY_TOP = "#9dbfe0"
SKY_BOTTOM = "#eef3f8"
GROUND = "#efece6"


class ViewContext(Protocol):
    """The view as a visual sees it (see the module docstring).

    Coordinates: the scene CRS in metres for the model, origin-relative metres (the scene's
    :attr:`~layers.core.scene.Scene.origin` subtracted, float32) for VTK.
    """

    #: the PyVista plotter drawing the scene (off screen, or the GUI's interactor)
    plotter: pv.BasePlotter
    #: the plotter's 3D renderer
    renderer: pv.Renderer
    #: the model drawn
    scene: Scene
    #: ``"fr"`` or ``"en"``: the language of words written in the picture
    language: str
    #: texts above points, decluttered together against each other and the overlays
    labels: LabelRegistry
    #: the view draws after every change (the window); ``False`` in batch (exports, the command line)
    auto_render: bool
    #: thread-safe: tells the window that background work of a visual is ready to be drawn
    #: (``None`` in batch, where visuals load what they draw before drawing)
    wake_from_thread: Callable[[], None] | None

    def to_local(self, points: np.ndarray, z: float | np.ndarray | None = None) -> np.ndarray:
        """Scene CRS metres (n, 2|3) → origin-relative float32 (n, 3); ``z`` fills a 2D input."""
        ...

    def to_world(self, local: np.ndarray) -> tuple[float, float, float]:
        """One origin-relative point (3,) → scene CRS metres."""
        ...

    def picked_local(self) -> np.ndarray:
        """Origin-relative (x, y, z) of the last cell pick."""
        ...

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Display pixels (n, 2) of origin-relative points (n, 3), and whether each is in front."""
        ...

    def frame_size(self) -> tuple[int, int]:
        """Width and height in pixels of the picture being drawn (the window, or an export's frame)."""
        ...

    def request_render(self) -> None:
        """Draw again (the GUI); nothing while rendering in batch."""
        ...

    def legends_changed(self) -> None:
        """The visual's legends changed: lay the legend stack out again."""
        ...

    def shadows_shown(self) -> bool:
        """True while the view draws the sun's cast shadows."""
        ...

    def casters_ready(self, layer: Layer[Any], table: CasterTable | None) -> None:
        """``layer`` casts other shadows (streamed tiles loaded or dropped) and ``table`` holds
        them, made for its current revision (off the drawing thread): the ground shadows with it."""
        ...
