"""What the window works on now: the project document, the scene built from it, its 3D view and the
session model (views, story, comments, moments, the unsaved flag).

One :class:`Workspace` per window. Opening a project replaces the project, the scene and its view
together (:meth:`Workspace.install`), and loads the same :class:`layers.session.model.SessionModel`
anew, so panels that observe the session model stay connected to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from layers.core.scene import Scene
from layers.session.model import SessionModel
from layers.session.project import Project

from ..render_scheduler import RenderScheduler

#: what arrives from background work within this many milliseconds is drawn in one frame
BACKGROUND_DRAW_MS = 150

if TYPE_CHECKING:
    from pyvistaqt import QtInteractor

    from viewer.scene_view import SceneView


class Workspace(QObject):
    """The current project, scene, scene view and session model of a window.

    Signal ``replaced()``: a new scene (and its view) is installed.
    """

    replaced = Signal()
    #: emitted from worker threads: tiles (or other background work of a visual) are ready to draw
    background_ready = Signal()

    def __init__(self, plotter: QtInteractor, language: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plotter = plotter
        self.language = language
        self.session = SessionModel()
        self.project = Project()
        self.scene = Scene()
        self.scene_view: SceneView | None = None
        self.renders = RenderScheduler(plotter, self)
        #: the window draws with a CPU renderer (no multisampling; FXAA when the camera rests)
        self.software_gl = False
        # tiles arriving one after another are drawn together: on a CPU renderer a frame of a
        # city costs a few hundred milliseconds, and one per tile would leave the window no time
        self._background_draw = QTimer(self)
        self._background_draw.setSingleShot(True)
        self._background_draw.setInterval(BACKGROUND_DRAW_MS)
        self._background_draw.timeout.connect(self._draw_background_work)
        self.background_ready.connect(self._background_arrived)  # queued: from worker threads

    def _background_arrived(self) -> None:
        if not self._background_draw.isActive():
            self._background_draw.start()

    def _draw_background_work(self) -> None:
        if self.scene_view is not None:
            self.scene_view.request_render()

    def install(self, scene: Scene, project: Project) -> SceneView:
        """Show ``scene`` (built from ``project``) in a new 3D view, the old one closed."""
        from viewer.scene_view import SceneView

        if self.scene_view is not None:
            self.renders.cancel()
            self.scene_view.close()
            self.scene_view = None
        self.scene, self.project = scene, project
        self.scene_view = SceneView(self.plotter, scene, language=self.language, title=None)
        self.scene_view.render_later = self.renders.request
        self.scene_view.wake_from_thread = self.background_ready.emit
        self.scene_view.lod.smooth_at_rest(self.software_gl)
        self.replaced.emit()
        return self.scene_view

    def input_files(self) -> list[Path]:
        """The files the project and its layers read (what no export may write over)."""
        from layers.session.inputs import session_inputs

        return session_inputs(self.project, self.scene)

    def check_outputs(self, *outputs: Path) -> None:
        """:class:`layers.core.errors.OutputError` when an output is one of :meth:`input_files`
        (the same check as the command line's, :func:`layers.io.outputs.check_not_inputs`) or
        cannot be written at all (:func:`layers.io.atomic.check_writable`)."""
        from layers.io.atomic import check_writable
        from layers.io.outputs import check_not_inputs

        check_not_inputs(outputs, self.input_files())
        for output in outputs:
            check_writable(output)

    def aspect(self) -> float:
        """Width / height of the 3D view (for camera framings)."""
        return self.plotter.width() / max(self.plotter.height(), 1)
