"""Measuring on the 3D view with the mouse: :class:`MeasureTool` filters the view's clicks and keys
while it is on (installed after the planning tools, so it sees them first).

A press is held back until the mouse moves: a click is the tool's, a drag is handed to the camera.
Distance takes two points; Path and Area take points until Enter, a double click or Esc ends them;
Height takes one click on a building (its roof: the building's height; its façade: the height of
that point above the building's ground). Esc ends a measure, a second Esc turns the tool off; a click
after the end starts another measure. The planning tools are turned off while measuring, and a
planning tool turned on stops the measure.
"""

from __future__ import annotations

from enum import Enum

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QWidget

from layers.core.messages import word
from layers.core.numbers import FRENCH_GROUP
from layers.measure import geometry as geo
from layers.measure.heights import building_top_m
from layers.measure.result import Measurement, Unit
from viewer.edit_marks import ROUND, SQUARE, EditMarks
from viewer.measure_points import MeasuredPoint, measured_point

from ..controllers.workspace import Workspace
from ..planning.held_press import HeldPress
from ..planning.tools import PlanTools, Tool

#: the colour of the measure's marks (a cyan that stands out of buildings, ground and shadows)
MEASURE_COLOR = (0.0, 0.72, 0.85)
#: the view's font has no narrow no-break space (French thousands): a no-break space there instead
VIEW_GROUP = "\u00a0"
#: marks on the ground float this high over it, metres (clear of it, as the planning marks)
LIFT_M = 0.3


class Mode(Enum):
    DISTANCE = "distance"
    PATH = "path"
    AREA = "area"
    HEIGHT = "height"


class MeasureTool(QObject):
    """The Measure tool on ``widget`` (the 3D view). Signals: ``active_changed(bool)``,
    ``result_changed(str)`` (the result in words, "" when none)."""

    active_changed = Signal(bool)
    result_changed = Signal(str)

    def __init__(
        self, widget: QWidget, workspace: Workspace, planning: PlanTools, language: str = "fr"
    ) -> None:
        super().__init__(widget)
        self.widget = widget
        self.workspace = workspace
        self.planning = planning
        self.language = language
        self.mode = Mode.DISTANCE
        self.active = False
        self.points: list[MeasuredPoint] = []
        self.finished = False
        self.result = ""
        #: the main figure, written beside the marks
        self.label = ""
        self._press = HeldPress(widget)
        self._marks: EditMarks | None = None
        planning.tool_changed.connect(self._planning_tool_changed)
        workspace.replaced.connect(self._scene_replaced)
        widget.installEventFilter(self)

    # -- on and off ------------------------------------------------------------------------------------
    def start(self, mode: Mode | None = None) -> None:
        """Turn the tool on (in ``mode``, else the last one); the planning tools go off."""
        if mode is not None and mode is not self.mode:
            self.mode = mode
            self.clear()
        self.planning.set_tool(Tool.OFF)
        if self.active:
            return
        self.active = True
        self.widget.setCursor(Qt.CursorShape.CrossCursor)
        self.active_changed.emit(True)
        self._say(self.hint())

    def stop(self) -> None:
        """Turn the tool off; its marks go."""
        if not self.active:
            return
        self.active = False
        self._press.drop()
        self.clear()
        self.widget.setCursor(Qt.CursorShape.ArrowCursor)
        self.active_changed.emit(False)

    def set_mode(self, mode: Mode) -> None:
        self.start(mode)

    def clear(self) -> None:
        """Forget the points and the result."""
        self.points, self.finished, self.label = [], False, ""
        self._say("")
        self.redraw()

    def hint(self) -> str:
        return {
            Mode.DISTANCE: self.tr("Click two points: the distance between them"),
            Mode.PATH: self.tr("Click the points of a path; Enter, a double click or Esc ends it"),
            Mode.AREA: self.tr("Click the corners of an area; Enter, a double click or Esc ends it"),
            Mode.HEIGHT: self.tr("Click a building's roof (its height) or a point of its facade"),
        }[self.mode]

    def _planning_tool_changed(self, value: str) -> None:
        if value != Tool.OFF.value:
            self.stop()

    def _scene_replaced(self) -> None:
        if self._marks is not None:
            self._marks.dispose()
            self._marks = None
        self.stop()

    # -- events ------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.widget or not self.active or self._press.replaying:
            return super().eventFilter(watched, event)
        if isinstance(event, QMouseEvent):
            return self._mouse(event)
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            return self._key(event)
        return super().eventFilter(watched, event)

    def _mouse(self, event: QMouseEvent) -> bool:
        kind = event.type()
        left = event.button() == Qt.MouseButton.LeftButton
        if kind == QEvent.Type.MouseMove and self._press.held:
            return not self._press.moved(event.position())
        if kind == QEvent.Type.MouseButtonPress and left:
            self._press.hold(event)
            return True
        if kind == QEvent.Type.MouseButtonDblClick and left:
            self.finish()
            return True
        if kind == QEvent.Type.MouseButtonRelease and left:
            if not self._press.released():
                return False  # the end of a camera drag
            self.click(event.position())
            return True
        return False

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            if self.points and not self.finished:
                self.finish()
            else:
                self.stop()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
            return True
        if key == Qt.Key.Key_Backspace and self.points and not self.finished:
            self.points.pop()
            self._update()
            return True
        return False

    # -- measuring -----------------------------------------------------------------------------------
    def click(self, pos: QPointF) -> MeasuredPoint | None:
        """A click at widget position ``pos`` (logical pixels, sub-pixel allowed)."""
        view = self.workspace.scene_view
        if view is None:
            return None
        ratio = self.widget.devicePixelRatioF()
        point = measured_point(view, pos.x() * ratio, (self.widget.height() - pos.y()) * ratio)
        if point is None:
            return None
        self.add(point)
        return point

    def add(self, point: MeasuredPoint) -> None:
        """Add a picked point to the measure (a finished one is replaced by a new one)."""
        if self.finished:
            self.points, self.finished = [], False
        if self.mode is Mode.HEIGHT:
            if point.building is None:
                self.points = []
                self.label = ""
                self._say(self.tr("Not a building: click a building's roof or facade"))
                self.redraw()
                return
            self.points, self.finished = [point], True
        else:
            self.points.append(point)
            if self.mode is Mode.DISTANCE and len(self.points) == 2:
                self.finished = True
        self._update()

    def finish(self) -> None:
        """End the measure in progress (its result stays shown)."""
        if not self.points:
            return
        if self.mode is Mode.DISTANCE and len(self.points) < 2:
            self.clear()
            return
        self.finished = True
        self._update()

    def xyz(self) -> np.ndarray:
        """The measure's points, (n, 3) float64 scene CRS metres."""
        return np.array([p.xyz for p in self.points], dtype=np.float64).reshape(-1, 3)

    def _update(self) -> None:
        self._say(self._result_words())
        self.redraw()

    def _text(self, value: float, unit: Unit = Unit.METRE) -> str:
        return Measurement(value, unit).text(self.language)

    def _result_words(self) -> str:
        p = self.xyz()
        if self.mode is Mode.HEIGHT and self.points:
            point = self.points[0]
            building = point.building
            if building is not None and point.row is not None and not point.on_wall:
                height = building_top_m(building, point.row)
                self.label = self._text(height)
                return self.tr("Building height (ground to roof): {h}").format(h=self.label)
            self.label = self._text(geo.height_above_m(point.xyz[2], point.ground_z_m))
            return self.tr("Height of the point above the building's ground: {h}").format(h=self.label)
        if len(p) < 2:
            self.label = ""
            return self.hint()
        if self.mode is Mode.DISTANCE:
            self.label = self._text(geo.distance_3d_m(p[0], p[1]))
            return self.tr("Distance {d} · along the ground {g} · height difference {z}").format(
                d=self.label,
                g=self._text(geo.ground_distance_m(p[0], p[1])),
                z=self._text(geo.height_difference_m(p[0], p[1])),
            )
        if self.mode is Mode.PATH:
            self.label = self._text(geo.path_length_m(p))
            return self.tr("Path {g} along the ground · {d} in 3D").format(
                g=self.label, d=self._text(geo.path_length_m(p, ground=False))
            )
        if len(p) < 3:
            self.label = ""
            return self.hint()
        try:
            area = geo.planar_area_m2(p)
        except geo.AreaRefused as refused:
            self.label = ""
            return word(str(refused), self.language)
        self.label = self._text(area, Unit.SQUARE_METRE)
        return self.tr("Area {a}").format(a=self.label)

    def _say(self, words: str) -> None:
        self.result = words
        self.result_changed.emit(words)

    # -- marks -----------------------------------------------------------------------------------------
    def marks(self) -> EditMarks | None:
        view = self.workspace.scene_view
        if view is None:
            return None
        self._marks = EditMarks.on(view, self._marks)
        return self._marks

    def redraw(self) -> None:
        """Draw the points, the lines or the outline, and the value beside them."""
        if self._marks is None and not self.points:
            return
        marks = self.marks()
        if marks is None:
            return
        marks.clear()
        p = self.xyz()
        if len(p):
            p = p + np.where(p[:, 2:3] < LIFT_M, [0.0, 0.0, LIFT_M], 0.0)  # clear of the ground
            if self.mode is Mode.HEIGHT:
                self._draw_height(marks)
            else:
                closed = self.mode is Mode.AREA and len(p) >= 3
                marks.line(p, closed=closed, color=MEASURE_COLOR, width=3.0)
                marks.dots(p, shape=ROUND, color=MEASURE_COLOR, size_px=11)
                if self.label:
                    at = p.mean(axis=0) if closed else (p[-1] + p[-2]) / 2 if len(p) > 1 else p[-1]
                    marks.text(tuple(float(v) for v in at), self._on_view(self.label), offset_px=(10, 10))
        view = self.workspace.scene_view
        if view is not None:
            view.request_render()

    @staticmethod
    def _on_view(words: str) -> str:
        return words.replace(FRENCH_GROUP, VIEW_GROUP)

    def _draw_height(self, marks: EditMarks) -> None:
        """A vertical line from the building's ground to the roof (or the picked façade point)."""
        point = self.points[0]
        x, y, z = point.xyz
        top = z
        building = point.building
        if building is not None and point.row is not None and not point.on_wall:
            top = point.ground_z_m + building_top_m(building, point.row)
        foot, head = (x, y, point.ground_z_m + LIFT_M), (x, y, top)
        marks.line(np.array([foot, head]), color=MEASURE_COLOR, width=3.0)
        marks.dots(np.array([foot, head]), shape=SQUARE, color=MEASURE_COLOR, size_px=10)
        if self.label:
            marks.text((x, y, (foot[2] + top) / 2), self._on_view(self.label), offset_px=(12, 0))
