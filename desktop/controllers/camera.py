"""The camera: flights between views (FLIGHT_MS, by the clock however slowly frames are drawn),
the whole scene, a layer, the session's named views (the View › Go to view menu, saving the
current view), and the 2D map view (View › Map (2D): top-down, north up, orthographic, pan and
zoom only; the focal point and the scale kept both ways)."""

from __future__ import annotations

from functools import partial
from time import perf_counter

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from layers.core.base import Layer
from layers.session.commands import AddView
from layers.session.views import CameraView
from viewer import camera as camera_util

from .workspace import Workspace

FLIGHT_MS = 1200
#: interval between the frames of a flight, ms
FLIGHT_TICK_MS = 16
#: fraction of the window's resolution a flight is drawn at on a CPU renderer (a quarter of the
#: pixels: about three times the frames per second; the picture at rest is full resolution)
FLIGHT_DRAW_SCALE = 0.5


class CameraController(QObject):
    """Moves the camera of the workspace's 3D view. ``map_view_changed(bool)``: the view became a 2D
    map (True) or 3D again."""

    map_view_changed = Signal(bool)

    def __init__(self, window: QWidget, workspace: Workspace) -> None:
        super().__init__(window)
        #: the 3D view left for the map, its direction taken back when leaving the map
        self._before_map: CameraView | None = None
        self._map = False
        self.window = window
        self.workspace = workspace
        self._from: CameraView | None = None
        self._to: CameraView | None = None
        self._start = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(FLIGHT_TICK_MS)
        self._timer.timeout.connect(self._flight_step)
        self._views_menu: QMenu | None = None
        workspace.session.views_changed.connect(self._on_views_changed)
        workspace.replaced.connect(self._stop_flight)

    @property
    def flying(self) -> bool:
        """True during a camera flight."""
        return self._to is not None

    # -- flights ----------------------------------------------------------------------------------
    def go_to_view(self, view: CameraView, animate: bool = True) -> None:
        scene_view = self.workspace.scene_view
        if scene_view is None or self.workspace.scene.origin is None:
            return
        if self._map and not camera_util.is_map_view(view):  # a named view, the whole scene: as a map
            view = camera_util.map_view(view)
        elif not self._map and camera_util.is_map_view(view):  # a view kept as a map: the map again
            self._set_map_mode(True)
        if not animate:
            scene_view.go_to(view)
            return
        if not self.flying:
            scene_view.lod.begin()  # light buildings during the flight
            if self.workspace.software_gl:  # a CPU renderer: the flight at half the resolution
                scene_view.set_draw_scale(FLIGHT_DRAW_SCALE)
        self._from, self._to = scene_view.current_view(view.name), view
        self._start = perf_counter()
        self._timer.start()

    def reset_camera(self, animate: bool = True) -> None:
        """The whole scene, seen obliquely."""
        scene_view = self.workspace.scene_view
        if scene_view is None:
            return
        view = scene_view.default_view()
        if view is not None:
            self.go_to_view(view, animate=animate)

    def zoom_to_layer(self, layer: Layer) -> None:
        scene_view = self.workspace.scene_view
        view = scene_view.default_view(layer.bounds()) if scene_view is not None else None
        if view is not None:  # framed clear of the legends and the caption
            self.go_to_view(view)

    def _flight_step(self) -> None:
        scene_view = self.workspace.scene_view
        if self._from is None or self._to is None or scene_view is None:
            self._stop_flight()
            return
        f = min((perf_counter() - self._start) * 1000.0 / FLIGHT_MS, 1.0)
        scene_view.go_to(camera_util.interpolate(self._from, self._to, f))
        if f >= 1.0:
            self._stop_flight()

    def _stop_flight(self) -> None:
        self._timer.stop()
        if self._to is not None and self.workspace.scene_view is not None:
            self.workspace.scene_view.set_draw_scale(1.0)
            self.workspace.scene_view.lod.end()
        self._from = self._to = None

    # -- the 2D map view ----------------------------------------------------------------------------
    @property
    def map_view_on(self) -> bool:
        """True while the view is the 2D map."""
        return self._map

    def set_map_view(self, on: bool) -> None:
        """Switch between the 3D view and the 2D map, keeping the focal point and the scale there."""
        scene_view = self.workspace.scene_view
        if on == self._map or scene_view is None:
            if scene_view is None and on != self._map:
                self._set_map_mode(on)
            return
        self._stop_flight()
        here = scene_view.current_view("map")
        if on:
            self._before_map = here
            self._set_map_mode(True)
            scene_view.go_to(camera_util.map_view(here))
        else:
            self._set_map_mode(False)
            scene_view.go_to(camera_util.perspective_from_map(here, self._before_map))

    def restore_view(self, view: CameraView) -> None:
        """Go to ``view`` at once as it was kept (a project's last camera): a map stays a map, a 3D
        view is 3D, whatever the view was before."""
        self._stop_flight()
        self._set_map_mode(camera_util.is_map_view(view))
        if self.workspace.scene_view is not None and self.workspace.scene.origin is not None:
            self.workspace.scene_view.go_to(view)

    def toggle_map_view(self) -> None:
        self.set_map_view(not self._map)

    def follow_camera(self) -> None:
        """Take the mode from the camera as it is now (a project reopened on a map view)."""
        scene_view = self.workspace.scene_view
        if scene_view is not None:
            self._set_map_mode(camera_util.is_map_view(scene_view.current_view("")))

    def _set_map_mode(self, on: bool) -> None:
        """Pan and zoom only on the map (any mouse button drags the map, the wheel and the right
        button zoom); the terrain style of the 3D view again when leaving it."""
        if on == self._map:
            return
        self._map = on
        iren = self.workspace.plotter.iren
        if iren is not None:
            if on:
                iren.enable_custom_trackball_style(
                    left="pan",
                    shift_left="pan",
                    control_left="pan",
                    middle="pan",
                    shift_middle="pan",
                    control_middle="pan",
                    right="dolly",
                    shift_right="dolly",
                    control_right="dolly",
                )
            else:
                iren.enable_terrain_style(mouse_wheel_zooms=True)
            iren.interactor.RemoveObservers("CharEvent")  # no VTK single-key surprises
        self.map_view_changed.emit(on)

    # -- named views --------------------------------------------------------------------------------
    def follow_views_menu(self, menu: QMenu) -> None:
        """Keep ``menu`` (View › Go to view) listing the session's views."""
        self._views_menu = menu
        self._on_views_changed(None)

    def _on_views_changed(self, _focus: int | None) -> None:
        menu = self._views_menu
        if menu is None:
            return
        menu.clear()
        views = self.workspace.session.views
        for view in views:
            menu.addAction(view.name, partial(self.go_to_view, view))
        menu.setEnabled(bool(views))

    def capture_view(self, name: str | None = None) -> None:
        """Keep the camera as it is now as a named view (``View 5`` when no name is given)."""
        scene_view = self.workspace.scene_view
        if scene_view is None:
            return
        session = self.workspace.session
        name = name or self.tr("View {}").format(len(session.views) + 1)
        session.execute(AddView(scene_view.current_view(name)))

    def save_current_view(self) -> None:
        """View › Save current view…: ask a name, keep the view."""
        if self.workspace.scene_view is None:
            return
        name, ok = QInputDialog.getText(self.window, self.tr("Save view"), self.tr("Name of the view:"))
        if ok and name.strip():
            self.capture_view(name.strip())
