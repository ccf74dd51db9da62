"""The editing tools of the planned project on the 3D view: draw a footprint, select a planned building
and drag its handles, demolish an existing building.

:class:`PlanTools` filters the mouse and keys of the view's widget while a tool is on (it is
installed after the picking, so it sees the events first). A press is held back until the mouse
moves: a click is the tool's, a drag is handed to the camera (so a touch pad orbits as usual); a
press on a handle of the selected building drags the handle instead. Every edit is one
:class:`~layers.session.plan_commands.EditPlan`: a handle drag is previewed in the scene while it
lasts and kept as one undo step on release; Esc puts it back as it was.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QWidget

from layers.core.errors import InputError
from layers.core.numbers import number
from layers.plan import edits
from layers.plan.layer import PlanLayer
from layers.plan.model import BuildingRef, Plan, PlannedBuilding
from layers.plan.scene import existing_buildings, layer_key
from layers.plan.snapping import Snap, SnapKind, Snapper
from layers.session.model import SessionModel
from layers.session.plan_commands import EditPlan
from viewer.edit_marks import BAND_COLOR, HANDLE_COLOR, ROUND, SNAP_COLOR, SQUARE, EditMarks
from viewer.scene_view import Pick, SceneView

from ..controllers.picking import ClickTaker, display_xy
from .draw import Drawing
from .ground import ground_at, metres_per_pixel, widget_points
from .handles import Handle, HandleKind, dragged, handles_of
from .held_press import HeldPress

#: a point snaps within this many pixels of a corner, a wall or a guide line
SNAP_PX = 12.0
#: a press this close to a handle (pixels) grabs it
HANDLE_PX = 12.0
#: storeys of a building just drawn (the plan panel sets more)
NEW_STOREYS = 3
#: a selected building with more sides than this shows no side lengths (they would crowd)
MAX_SIDE_LABELS = 12
#: how far outside its wall the length of a side is written, metres
SIDE_LABEL_GAP_M = 2.5
#: the marks of the footprint being drawn float this high over the ground (metres), clear of it
BAND_Z_M = 0.3


class Tool(Enum):
    OFF = "off"
    DRAW = "draw"
    SELECT = "select"
    DEMOLISH = "demolish"


class PlanHost(Protocol):
    """What the tools need of the window's planning controller."""

    @property
    def session(self) -> SessionModel: ...

    @property
    def scene_view(self) -> SceneView | None: ...

    def plan_to_edit(self) -> Plan: ...

    def preview(self, plan: Plan | None) -> None: ...

    def snapper(self, leave_out: str | None = None) -> Snapper: ...


@dataclass
class Drag:
    """A handle being dragged: the plan before, the building, the handle, where the drag started on
    the plane of the handle (metres), and the plan it makes now."""

    before: Plan
    ident: str
    handle: Handle
    start: tuple[float, float]
    now: Plan
    #: where a corner of the building moved snapped to (``None``: nowhere)
    snap: Snap | None = None


class PlanTools(QObject):
    """The tools on ``widget`` (the 3D view). Signals: ``tool_changed(str)`` (a :class:`Tool`
    value), ``selection_changed(str)`` (the selected building's id, "" for none)."""

    tool_changed = Signal(str)
    selection_changed = Signal(str)
    #: what to do with the current tool, for the status bar ("" when no tool is on)
    hint_changed = Signal(str)

    def __init__(
        self, widget: QWidget, host: PlanHost, language: str = "fr", clicks: ClickTaker | None = None
    ) -> None:
        super().__init__(widget)
        self.widget = widget
        self.host = host
        #: the mediation's own uses of the mouse (placing a comment, the swipe bar) come first
        self.clicks = clicks
        self.language = language
        self.tool = Tool.OFF
        self.drawing = Drawing()
        self.selected: str | None = None
        self.drag: Drag | None = None
        self._press = HeldPress(widget)
        self._marks: EditMarks | None = None
        self._drags = itertools.count(1)
        widget.installEventFilter(self)

    # -- the tool ------------------------------------------------------------------------------------
    def set_tool(self, tool: Tool) -> None:
        """Switch to ``tool`` (what was being drawn or dragged is dropped)."""
        if tool is self.tool:
            return
        self.cancel()
        if tool is not Tool.SELECT and tool is not Tool.OFF:
            self.select(None)
        self.tool = tool
        self.widget.setCursor(
            Qt.CursorShape.CrossCursor if tool is not Tool.OFF else Qt.CursorShape.ArrowCursor
        )
        self.redraw()
        self.tool_changed.emit(tool.value)
        self.hint_changed.emit(self.hint())

    def hint(self) -> str:
        """What the current tool does, in a sentence (the status bar shows it)."""
        if self.tool is Tool.DRAW:
            return self.tr(
                "Click the corners of the building on the ground; Enter, a double click or a click on the "
                "first corner closes it; Backspace removes the last corner; Esc cancels"
            )
        if self.tool is Tool.SELECT:
            return self.tr(
                "Click a planned building; drag its centre or its body to move it, the round handle to "
                "turn it, a corner to resize it; Esc during a drag puts it back"
            )
        if self.tool is Tool.DEMOLISH:
            return self.tr("Click an existing building to demolish it, or where it stood to put it back")
        return ""

    def cancel(self) -> bool:
        """Esc: drop the drag (the building back as it was) or the footprint being drawn; True when
        there was one."""
        if self.drag is not None:
            drag, self.drag = self.drag, None
            self.host.preview(self.host.session.plan)
            del drag
            self.redraw()
            return True
        if self.drawing:
            self.drawing = Drawing()
            self.redraw()
            return True
        return False

    def select(self, ident: str | None) -> None:
        if ident != self.selected:
            self.selected = ident
            self.redraw()
            self.selection_changed.emit(ident or "")

    def selected_building(self) -> PlannedBuilding | None:
        plan = self.host.session.plan
        if plan is None or self.selected is None:
            return None
        return plan.variant.building(self.selected)

    def plan_shown(self) -> None:
        """The scene shows the session's plan again (after an edit, an undo): follow it."""
        if self.selected is not None and self.selected_building() is None:
            self.select(None)
        self.redraw()

    def view_replaced(self) -> None:
        """A new scene (a project opened): marks of the old view gone, nothing selected or drawn."""
        self.drag, self.drawing = None, Drawing()
        self._press.drop()
        if self._marks is not None:
            self._marks.dispose()
            self._marks = None
        self.select(None)
        self.set_tool(Tool.OFF)

    # -- edits -------------------------------------------------------------------------------------
    def _execute(self, plan: Plan, label: str, merge_key: object = None) -> None:
        self.host.session.execute(EditPlan(plan, label, merge_key))

    def finish_drawing(self) -> bool:
        """Close the footprint being drawn: a new building of :data:`NEW_STOREYS` storeys, selected
        (the Select tool on); False when it has fewer than three corners or is not a simple shape."""
        if not self.drawing.closable:
            return False
        try:
            plan, ident = edits.add_building(
                self.host.plan_to_edit(), self.drawing.corners, storeys=NEW_STOREYS
            )
        except InputError:
            self.hint_changed.emit(
                self.tr(
                    "These corners make no simple footprint (its sides cross): Backspace removes the last one"
                )
            )
            return False
        self.drawing = Drawing()
        self._execute(plan, self.tr("draw a building"))
        self.set_tool(Tool.SELECT)
        self.select(ident)
        return True

    def delete_selected(self) -> None:
        plan = self.host.session.plan
        if plan is None or self.selected_building() is None or self.selected is None:
            return
        ident = self.selected
        self.select(None)
        self._execute(edits.remove_building(plan, ident), self.tr("delete a building"))

    def duplicate_selected(self) -> None:
        plan = self.host.session.plan
        if plan is None or self.selected is None or self.selected_building() is None:
            return
        plan, ident = edits.duplicate_building(plan, self.selected)
        self._execute(plan, self.tr("duplicate a building"))
        self.select(ident)

    def toggle_demolished(self, layer_name: str, feature: int) -> None:
        plan = self.host.plan_to_edit()
        ref = BuildingRef(layer_name, int(feature))
        standing = ref not in plan.variant.demolished
        label = self.tr("demolish a building") if standing else self.tr("keep a building")
        self._execute(edits.set_demolished(plan, [ref], standing), label)

    # -- events -------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.widget or self.tool is Tool.OFF or self._press.replaying:
            return super().eventFilter(watched, event)
        if self.clicks is not None and self.clicks.placing_comment():
            return super().eventFilter(watched, event)
        if isinstance(event, QMouseEvent):
            return self._mouse(event)
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.ShortcutOverride:
            if self.drawing and event.matches(QKeySequence.StandardKey.Undo):
                event.accept()  # while drawing, Ctrl+Z takes back the last corner, not the last edit
                return True
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            return self._key(event)
        return super().eventFilter(watched, event)

    def _mouse(self, event: QMouseEvent) -> bool:
        kind, pos = event.type(), event.position().toPoint()
        left = event.button() == Qt.MouseButton.LeftButton
        if kind == QEvent.Type.MouseMove:
            if self.drag is not None:
                self._drag_to(pos)
                return True
            if self._press.held:
                return not self._press.moved(event.position())
            if self.tool is Tool.DRAW:
                self._hover(pos)
            elif self.tool is Tool.SELECT:
                self._hover_handles(pos)
            return False
        if kind == QEvent.Type.MouseButtonPress and left:
            if self.clicks is not None and self.clicks.swipe_grab(pos):
                return False  # the before / after bar is dragged
            if self.tool is Tool.SELECT and self._grab(pos):
                return True
            self._press.hold(event)
            return True
        if kind == QEvent.Type.MouseButtonDblClick and left:
            if self.tool is Tool.DRAW:
                self.finish_drawing()
            return True
        if kind == QEvent.Type.MouseButtonRelease and left:
            if self.drag is not None:
                self._drop()
                return True
            if not self._press.released():
                return False  # the camera's drag (or a double click) ends
            self.click(pos)
            return True
        return False

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            if not self.cancel():
                if self.selected is not None:
                    self.select(None)
                else:
                    self.set_tool(Tool.OFF)
            return True
        if self.tool is Tool.DRAW and (
            key == Qt.Key.Key_Backspace or event.matches(QKeySequence.StandardKey.Undo)
        ):
            self.drawing.remove_last()
            self.redraw()
            return True
        if self.tool is Tool.DRAW and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish_drawing()
            return True
        return False

    # -- clicks ---------------------------------------------------------------------------------------
    def click(self, pos: QPoint) -> None:
        """A click of the current tool at widget position ``pos``."""
        if self.tool is Tool.DRAW:
            snap = self.snap_at(pos)
            if snap is not None:
                if self.drawing.add(snap):
                    self.finish_drawing()
                else:
                    self.drawing.cursor = snap
                    self.redraw()
        elif self.tool is Tool.SELECT:
            self.select(self._planned_at(pos))
        elif self.tool is Tool.DEMOLISH:
            self._demolish_at(pos)

    def snap_at(self, pos: QPoint) -> Snap | None:
        """The snapped ground point under ``pos`` while drawing (``None`` over the sky)."""
        view = self.host.scene_view
        if view is None:
            return None
        point = ground_at(self.widget, view, pos)
        if point is None:
            return None
        tolerance = SNAP_PX * metres_per_pixel(self.widget, view, pos)
        return self.host.snapper().snap(point[0], point[1], tolerance, self.drawing.corners)

    def _hover(self, pos: QPoint) -> None:
        snap = self.snap_at(pos)
        if snap is not None:
            self.drawing.cursor = snap
            self.redraw()

    def _pick(self, pos: QPoint) -> Pick | None:
        view = self.host.scene_view
        return None if view is None else view.pick(*display_xy(self.widget, pos))

    def _planned_at(self, pos: QPoint) -> str | None:
        pick = self._pick(pos)
        if pick is not None and isinstance(pick.layer, PlanLayer):
            return pick.layer.building_at_row(pick.index).id
        return None

    def _demolish_at(self, pos: QPoint) -> None:
        view = self.host.scene_view
        if view is None:
            return
        pick = self._pick(pos)
        standing = existing_buildings(view.scene)
        if pick is not None and any(pick.layer is layer for layer in standing):
            layer = next(layer for layer in standing if pick.layer is layer)
            self.toggle_demolished(layer_key(layer), int(layer.feature_indexes()[pick.index]))
            return
        # a demolished building is not drawn: a click where it stood puts it back
        point = ground_at(self.widget, view, pos)
        plan = self.host.session.plan
        if point is None or plan is None:
            return
        import shapely

        here = shapely.Point(point)
        for layer in standing:
            key = layer_key(layer)
            features = [ref.feature for ref in plan.variant.demolished if ref.layer == key]
            if not features:
                continue
            rows = np.flatnonzero(np.isin(layer.feature_indexes(), features))
            geometries = np.asarray(layer.frame.geometry.values)[rows]
            inside = rows[shapely.contains(geometries, here)]
            if len(inside):
                self.toggle_demolished(key, int(layer.feature_indexes()[inside[0]]))
                return

    def _hover_handles(self, pos: QPoint) -> None:
        """The cursor says what a press there would drag."""
        handle = self._handle_at(pos)
        shapes = {
            HandleKind.MOVE: Qt.CursorShape.SizeAllCursor,
            HandleKind.ROTATE: Qt.CursorShape.PointingHandCursor,
            HandleKind.SCALE: Qt.CursorShape.SizeFDiagCursor,
        }
        self.widget.setCursor(shapes[handle.kind] if handle is not None else Qt.CursorShape.CrossCursor)

    def _handle_at(self, pos: QPoint) -> Handle | None:
        """The handle of the selected building within :data:`HANDLE_PX` of ``pos``, if any."""
        view, building = self.host.scene_view, self.selected_building()
        if view is None or building is None:
            return None
        handles = handles_of(building)
        screen = widget_points(self.widget, view, [h.xyz for h in handles])
        d = np.hypot(screen[:, 0] - pos.x(), screen[:, 1] - pos.y())
        return handles[int(np.argmin(d))] if np.min(d) <= HANDLE_PX else None

    # -- handle drags ---------------------------------------------------------------------------------
    def _grab(self, pos: QPoint) -> bool:
        """Start dragging the handle (or the body) of the selected building under ``pos``."""
        view, building, plan = self.host.scene_view, self.selected_building(), self.host.session.plan
        if view is None or building is None or plan is None:
            return False
        handle = self._handle_at(pos)
        if handle is None:
            pick = self._pick(pos)
            if pick is None or not isinstance(pick.layer, PlanLayer):
                return False
            if pick.layer.building_at_row(pick.index).id != building.id:
                return False
            handle = Handle(HandleKind.MOVE, pick.world[0], pick.world[1], max(pick.world[2], 0.0))
        start = ground_at(self.widget, view, pos, handle.z)
        if start is None:
            return False
        self.drag = Drag(plan, building.id, handle, start, plan)
        return True

    def _drag_to(self, pos: QPoint) -> None:
        drag, view = self.drag, self.host.scene_view
        if drag is None or view is None:
            return
        now = ground_at(self.widget, view, pos, drag.handle.z)
        if now is None:
            return
        try:
            drag.now = dragged(drag.before, drag.ident, drag.handle, drag.start, now)
        except (InputError, ValueError):
            return  # a footprint folded on itself: keep the last good one
        drag.snap = None
        if drag.handle.kind is HandleKind.MOVE:
            self._snap_move(drag, SNAP_PX * metres_per_pixel(self.widget, view, pos, drag.handle.z))
        self.host.preview(drag.now)
        self.redraw()

    def _snap_move(self, drag: Drag, tolerance_m: float) -> None:
        """A building being moved: its corner nearest to a corner or a wall of another building
        lands on it (the building moves with it)."""
        building = drag.now.variant.building(drag.ident)
        if building is None:
            return
        snapper = self.host.snapper(leave_out=drag.ident)
        best: tuple[float, Snap, tuple[float, float]] | None = None
        for x, y in building.footprint:
            snap = snapper.snap(x, y, tolerance_m)
            if snap.kind is not SnapKind.NONE:
                distance = float(np.hypot(snap.x - x, snap.y - y))
                if best is None or distance < best[0]:
                    best = (distance, snap, (x, y))
        if best is None:
            return
        _, snap, (x, y) = best
        drag.now = edits.move_building(drag.now, drag.ident, snap.x - x, snap.y - y)
        drag.snap = snap

    def _drop(self) -> None:
        drag, self.drag = self.drag, None
        if drag is None or drag.now is drag.before:
            return
        labels = {
            HandleKind.MOVE: self.tr("move a building"),
            HandleKind.ROTATE: self.tr("rotate a building"),
            HandleKind.SCALE: self.tr("resize a building"),
        }
        self._execute(drag.now, labels[drag.handle.kind], ("drag", next(self._drags)))

    # -- marks ------------------------------------------------------------------------------------------
    def _words(self, kind: SnapKind) -> str:
        return {
            SnapKind.CORNER: self.tr("corner"),
            SnapKind.WALL: self.tr("wall"),
            SnapKind.RIGHT_ANGLE: self.tr("right angle"),
            SnapKind.DIRECTION: self.tr("in line"),
        }.get(kind, "")

    def marks(self) -> EditMarks | None:
        view = self.host.scene_view
        if view is None:
            return None
        self._marks = EditMarks.on(view, self._marks)
        return self._marks

    def redraw(self) -> None:
        """Draw the marks of the current tool: the footprint being drawn with its snapping hint and
        the length of its side, or the selected building with its handles."""
        if self.tool is Tool.OFF and self._marks is None:
            return  # nothing drawn yet: no renderer of marks until a tool is used
        marks = self.marks()
        if marks is None:
            return
        marks.clear()
        if self.tool is Tool.DRAW:
            self._draw_drawing(marks)
        elif self.tool is Tool.SELECT:
            building = (
                self.drag.now.variant.building(self.drag.ident) if self.drag else self.selected_building()
            )
            if building is not None:
                self._draw_handles(marks, building)
            if self.drag is not None and self.drag.snap is not None:
                self._draw_hint(marks, self.drag.snap, self.drag.handle.z)
        view = self.host.scene_view
        if view is not None:
            view.request_render()

    def _draw_drawing(self, marks: EditMarks) -> None:
        corners = [(x, y, BAND_Z_M) for x, y in self.drawing.corners]
        cursor = self.drawing.cursor
        if corners:
            path = corners + ([(cursor.x, cursor.y, BAND_Z_M)] if cursor is not None else [])
            marks.line(np.array(path), color=BAND_COLOR)
            if len(path) >= 3:
                marks.line(np.array([path[-1], path[0]]), color=BAND_COLOR, width=1.5, guide=True)
            marks.dots(np.array(corners), shape=SQUARE, color=BAND_COLOR, size_px=9)
        if cursor is None:
            return
        self._draw_hint(marks, cursor, BAND_Z_M)
        length = self.drawing.side_length_m()
        if length is not None and corners:
            last = corners[-1]
            middle = ((last[0] + cursor.x) / 2, (last[1] + cursor.y) / 2, BAND_Z_M)
            marks.text(middle, f"{number(length, self.language, 1)} m", offset_px=(8, 8))

    def _draw_hint(self, marks: EditMarks, snap: Snap, z_m: float) -> None:
        """What a point snapped to: a square on a corner, a dot elsewhere, and the word."""
        if snap.kind is SnapKind.NONE:
            return
        at = (snap.x, snap.y, z_m)
        shape = SQUARE if snap.kind is SnapKind.CORNER else ROUND
        marks.dots(np.array([at]), shape=shape, color=SNAP_COLOR, size_px=14)
        marks.text(at, self._words(snap.kind), color=SNAP_COLOR, offset_px=(14, -30))

    def _draw_handles(self, marks: EditMarks, building: PlannedBuilding) -> None:
        top = building.height_m
        ring = [(x, y, top) for x, y in building.footprint]
        ground = [(x, y, BAND_Z_M) for x, y in building.footprint]
        marks.line(np.array(ring), closed=True, color=HANDLE_COLOR, width=3)
        marks.line(np.array(ground), closed=True, color=HANDLE_COLOR, width=2)
        handles = handles_of(building)
        centre = next(h for h in handles if h.kind is HandleKind.MOVE)
        turn = next(h for h in handles if h.kind is HandleKind.ROTATE)
        marks.line(np.array([centre.xyz, turn.xyz]), color=HANDLE_COLOR, width=1.5, guide=True)
        corners = [h.xyz for h in handles if h.kind is HandleKind.SCALE]
        marks.dots(np.array(corners), shape=SQUARE, color=HANDLE_COLOR, size_px=13)
        marks.dots(np.array([centre.xyz, turn.xyz]), shape=ROUND, color=HANDLE_COLOR, size_px=16)
        if len(ring) <= MAX_SIDE_LABELS:  # the length of each side, at the top of its wall
            xy = np.asarray(building.footprint, float)
            middles = (xy + np.roll(xy, -1, axis=0)) / 2
            outward = middles - (centre.x, centre.y)
            outward /= np.maximum(np.hypot(*outward.T), 1e-9)[:, None]
            places = middles + SIDE_LABEL_GAP_M * outward  # outside the walls, clear of the handles
            for (x, y), length in zip(places, building.edge_lengths_m(), strict=True):
                marks.text((x, y, top), f"{number(float(length), self.language, 1)} m", offset_px=(-22, -10))
