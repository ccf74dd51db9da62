"""The mouse over the 3D view: a click picks what is under it (attributes in the inspector, sensors
in the chart), the status bar shows the real coordinates and the value under the cursor, the wheel
draws light buildings until it rests; and a search result is flown to and highlighted.

Clicks the mediation side wants (placing a comment, dragging the before / after bar) are handed to
a :class:`ClickTaker` first.
"""

from __future__ import annotations

import traceback
from typing import Protocol

import numpy as np
from pyproj import CRS
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QWidget

from layers.core import crs as crs_util
from layers.core.base import Layer, Searchable
from layers.core.numbers import number
from layers.sensors.layer import SensorLayer
from viewer import camera as camera_util
from viewer.scene_view import Pick

from ..panels.chart import ChartPanel
from ..panels.inspector import InspectorPanel
from ..panels.search import SearchPanel
from ..translation import interface_language
from .camera import CameraController
from .messages import Messages
from .workspace import Workspace

#: the wheel counts as resting after this long (full detail drawn again)
WHEEL_REST_MS = 300
#: a building found by search is shown in a view this wide at least, metres
FEATURE_VIEW_M = 120.0
#: a press and a release this close (pixels) are a click, not a drag of the camera
CLICK_TOLERANCE_PX = 4
#: the coordinates follow the cursor at most this often, ms
HOVER_MS = 30


def display_xy(view: QWidget, pos: QPoint) -> tuple[float, float]:
    """A widget position (Qt: logical pixels, y down) as VTK display coordinates (pixels, y up)."""
    ratio = view.devicePixelRatioF()
    return pos.x() * ratio, (view.height() - pos.y()) * ratio


def format_coordinates(world: tuple[float, float, float], crs: CRS, language: str = "fr") -> str:
    """``X 351 912,4  Y 6 789 345,1  z 12,0 m (EPSG:2154) · 48,11140° N 1,67940° O`` in French,
    ``X 351,912.4  Y 6,789,345.1  z 12.0 m (EPSG:2154) · 48.11140° N 1.67940° W`` in English."""
    x, y, z = world
    lons, lats = crs_util.to_wgs84(crs, np.array([x]), np.array([y]))
    lon, lat = float(lons[0]), float(lats[0])
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else ("O" if language == "fr" else "W")
    return (
        f"X {number(x, language, 1)}  Y {number(y, language, 1)}  z {number(z, language, 1)} m "
        f"({crs_util.label(crs)}) · "
        f"{number(abs(lat), language, 5)}° {ns} {number(abs(lon), language, 5)}° {ew}"
    )


class ClickTaker(Protocol):
    """What the mediation side does with the mouse before a click picks."""

    def swipe_grab(self, pos: QPoint) -> bool: ...

    def swipe_drag(self, pos: QPoint) -> None: ...

    def placing_comment(self) -> bool: ...

    def presenting(self) -> bool: ...

    def place_comment_at(self, pos: QPoint) -> None: ...

    def cancel_comment(self) -> None: ...


class PickingController(QObject):
    """Filters the events of the 3D view widget ``view`` (see the module docstring). Signal
    ``picked(Pick | None, Qt.KeyboardModifier)``: a click picked this, with these keys held (the
    linked selection follows it)."""

    picked = Signal(object, object)

    def __init__(
        self,
        view: QWidget,
        workspace: Workspace,
        camera: CameraController,
        messages: Messages,
        clicks: ClickTaker,
        *,
        inspector: InspectorPanel,
        inspector_dock: QDockWidget,
        chart: ChartPanel,
        chart_dock: QDockWidget,
        search: SearchPanel,
        search_dock: QDockWidget,
        coords_label: QLabel,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.workspace = workspace
        self.camera = camera
        self.messages = messages
        self.clicks = clicks
        self.inspector, self.inspector_dock = inspector, inspector_dock
        self.chart, self.chart_dock = chart, chart_dock
        self.search, self.search_dock = search, search_dock
        self.coords_label = coords_label
        self._press_pos: QPoint | None = None
        self._swiping = False
        self._hover_pos: QPoint | None = None
        self._hover_timer = QTimer(self)
        self._hover_timer.setSingleShot(True)
        self._hover_timer.setInterval(HOVER_MS)
        self._hover_timer.timeout.connect(self._hovered)
        self._wheel_timer = QTimer(self)  # full detail again once the wheel rests
        self._wheel_timer.setSingleShot(True)
        self._wheel_timer.setInterval(WHEEL_REST_MS)
        self._wheel_timer.timeout.connect(self._wheel_rested)
        search.chosen.connect(self.show_feature)
        view.installEventFilter(self)
        view.setMouseTracking(True)

    # -- events of the 3D view --------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view:
            if isinstance(event, QMouseEvent):
                return self._mouse(event)
            kind = event.type()
            if (
                isinstance(event, QKeyEvent)
                and kind == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Escape
                and self.clicks.placing_comment()
            ):
                self.clicks.cancel_comment()
                return True
            if kind == QEvent.Type.Wheel and self.workspace.scene_view is not None:
                self.workspace.scene_view.lod.begin()
                self._wheel_timer.start()
            elif kind == QEvent.Type.Leave:
                self.coords_label.setText("")
        return super().eventFilter(watched, event)

    def _mouse(self, event: QMouseEvent) -> bool:
        """Clicks pick (or place a comment), drags on the swipe bar move it; True when consumed."""
        kind, pos = event.type(), event.position().toPoint()
        left = event.button() == Qt.MouseButton.LeftButton
        if kind == QEvent.Type.MouseButtonPress and left:
            self._press_pos = pos
            if self.clicks.swipe_grab(pos):
                self._swiping = True
                return True
        elif self._swiping and kind == QEvent.Type.MouseMove:
            self.clicks.swipe_drag(pos)
            return True
        elif self._swiping and kind == QEvent.Type.MouseButtonRelease:
            self._swiping = False
            return True
        elif kind == QEvent.Type.MouseButtonRelease and left:
            if (
                self._press_pos is not None
                and (pos - self._press_pos).manhattanLength() <= CLICK_TOLERANCE_PX
            ):
                if self.clicks.placing_comment():
                    QTimer.singleShot(0, lambda p=pos: self.clicks.place_comment_at(p))
                else:
                    keys = event.modifiers()
                    QTimer.singleShot(0, lambda p=pos, k=keys: self.pick_at(p, k))
            self._press_pos = None
        elif kind == QEvent.Type.MouseMove:
            self._hover_pos = pos
            if not self._hover_timer.isActive():
                self._hover_timer.start()
        return False

    def _hovered(self) -> None:
        if self._hover_pos is not None:
            self.show_coordinates_at(self._hover_pos)

    def _wheel_rested(self) -> None:
        if self.workspace.scene_view is not None:
            self.workspace.scene_view.lod.end()

    # -- picking --------------------------------------------------------------------------------------
    def pick_at(self, pos: QPoint, keys: Qt.KeyboardModifier | None = None) -> Pick | None:
        """Pick what is under ``pos`` (widget pixels): highlight it, show its attributes; a sensor
        goes to the chart. ``None`` (and the inspector cleared) when nothing is there. ``keys``:
        the modifiers held at the click (``picked`` carries them)."""
        scene_view = self.workspace.scene_view
        if scene_view is None:
            return None
        x, y = display_xy(self.view, pos)
        try:
            pick = scene_view.pick(x, y)
        except Exception as exc:  # noqa: BLE001 - a failed pick must never take the window down
            self.messages.show_internal_error(exc, traceback.format_exc())
            return None
        scene_view.highlight(pick)
        self.picked.emit(pick, keys if keys is not None else Qt.KeyboardModifier.NoModifier)
        if pick is None:
            self.inspector.clear()
            return None
        self.inspector.show_attributes(f"{pick.layer.name}", pick.attributes())
        if isinstance(pick.layer, SensorLayer):
            self.chart.add_sensor(pick.layer, pick.index)
        if not self.clicks.presenting():  # the audience screen shows the model only, never a dock
            self.inspector_dock.show()
            if isinstance(pick.layer, SensorLayer):
                self.chart_dock.show()
        return pick

    def show_coordinates_at(self, pos: QPoint) -> None:
        """The status bar's coordinates (and the value under the cursor) for widget position ``pos``."""
        from viewer.probe import value_under

        scene_view, scene = self.workspace.scene_view, self.workspace.scene
        if scene_view is None or scene.crs is None or scene.origin is None:
            return
        x, y = display_xy(self.view, pos)
        world = scene_view.world_at(x, y)
        if world is None:
            self.coords_label.setText("")
            return
        text = format_coordinates(world, scene.crs, interface_language())
        value = value_under(scene_view, world[0], world[1])  # the dB(A) or °C under the cursor
        self.coords_label.setText(f"{value}  ·  {text}" if value else text)

    # -- search ----------------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.box.setFocus()
        self.search.box.selectAll()

    def show_feature(self, layer: Layer, row: int) -> None:
        """Fly to feature ``row`` of ``layer``, highlight it and show its attributes (search results)."""
        scene_view = self.workspace.scene_view
        if scene_view is None or layer not in self.workspace.scene.layers:
            return
        visual = scene_view.visual(layer)
        bounds = layer.feature_bounds(row) if isinstance(layer, Searchable) else layer.bounds()
        cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
        half = max(bounds[2] - bounds[0], bounds[3] - bounds[1], FEATURE_VIEW_M) / 2
        view = camera_util.oblique_view(
            (cx - half, cy - half, cx + half, cy + half), name=layer.name, aspect=self.workspace.aspect()
        )
        # standing on a terrain
        dz = visual.ground_offset(row) if visual is not None else 0.0
        view.position = (view.position[0], view.position[1], view.position[2] + dz)
        view.focal_point = (view.focal_point[0], view.focal_point[1], view.focal_point[2] + dz)
        self.camera.go_to_view(view)
        if visual is not None:
            pick = Pick(layer, int(row), (cx, cy, 0.0), visual)
            scene_view.highlight(pick)
            self.inspector.show_attributes(layer.name, pick.attributes())
            self.inspector_dock.show()
