"""Shaping the planned project in the 3D view with the mouse: drawing a footprint (snapping to walls),
selecting a planned building and dragging its handles, demolishing, and undoing every edit."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop.planning.ground import widget_points
from desktop.planning.handles import HandleKind, handles_of
from desktop.planning.tools import Tool
from layers.plan.layer import PlanLayer
from layers.plan.scene import plan_layer
from viewer import camera as camera_util

from .conftest import wait_loaded

pytestmark = pytest.mark.usefixtures("private_autosave")

X0, Y0 = 351_500.0, 6_789_000.0  # the tiny city's first block: x0..x0+40, y0..y0+40; streets 20 m wide
LEFT = Qt.MouseButton.LeftButton
NO_BUTTON = Qt.MouseButton.NoButton
#: the corners of a test footprint, in the street east of the first block (metres)
RECTANGLE = [(X0 + 44.0, Y0 + 6.0), (X0 + 56.0, Y0 + 6.0), (X0 + 56.0, Y0 + 26.0), (X0 + 44.0, Y0 + 26.0)]


@pytest.fixture
def city(window, qtbot, tiny_city):
    window.open_paths_async([tiny_city / "buildings.geojson"])
    wait_loaded(qtbot, window, 1)
    look_at(window, (X0 + 20, Y0 - 10, X0 + 80, Y0 + 45))
    return window


def look_at(win, bounds) -> None:
    view = camera_util.oblique_view(bounds, aspect=win.workspace.aspect(), pitch_deg=60.0)
    win.camera.go_to_view(view, animate=False)
    win.plotter.render()


def screen(win, x: float, y: float, z: float = 0.0) -> QPoint:
    p = widget_points(win.plotter, win.scene_view, [(x, y, z)])[0]
    return QPoint(round(p[0]), round(p[1]))


def send(win, kind: QEvent.Type, pos: QPoint, button=LEFT, buttons=LEFT) -> None:
    event = QMouseEvent(
        kind,
        QPointF(pos),
        QPointF(win.plotter.mapToGlobal(pos)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(win.plotter, event)


def click(win, pos: QPoint) -> None:
    send(win, QEvent.Type.MouseMove, pos, NO_BUTTON, NO_BUTTON)
    send(win, QEvent.Type.MouseButtonPress, pos)
    send(win, QEvent.Type.MouseButtonRelease, pos, LEFT, NO_BUTTON)


def drag(win, start: QPoint, end: QPoint, steps: int = 6, finish: bool = True) -> None:
    send(win, QEvent.Type.MouseButtonPress, start)
    for k in range(1, steps + 1):
        at = start + (end - start) * (k / steps)
        send(win, QEvent.Type.MouseMove, at, NO_BUTTON, LEFT)
    if finish:
        send(win, QEvent.Type.MouseButtonRelease, end, LEFT, NO_BUTTON)


def draw(win, corners, close: str = "first") -> None:
    win.planning.tools.set_tool(Tool.DRAW)
    for x, y in corners:
        click(win, screen(win, x, y))
    if close == "first":
        click(win, screen(win, *corners[0]))
    elif close == "enter":
        QApplication.sendEvent(win.plotter, key_event(Qt.Key.Key_Return))


def key_event(key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier):
    from PySide6.QtGui import QKeyEvent

    return QKeyEvent(QEvent.Type.KeyPress, key, modifiers)


def only_building(win):
    buildings = win.session.plan.variant.buildings
    assert len(buildings) == 1
    return buildings[0]


def sides(building) -> list[float]:
    return sorted(round(float(v), 2) for v in building.edge_lengths_m())


def test_a_footprint_drawn_by_clicks_has_the_clicked_corners(city, qtbot):
    draw(city, RECTANGLE)
    building = only_building(city)
    assert len(building.footprint) == 4
    for corner in RECTANGLE:
        assert min(math.dist(corner, c) for c in building.footprint) < 0.06
    assert sides(building) == pytest.approx([12, 12, 20, 20], abs=0.08)
    assert building.storeys == 3
    # drawn in the scene, selected, the Select tool on; one undo step
    layer = plan_layer(city.scene)
    assert isinstance(layer, PlanLayer) and layer.feature_count() == 1
    assert city.planning.tools.tool is Tool.SELECT and city.planning.tools.selected == building.id
    assert city.undo_action.isEnabled() and "draw a building" in city.undo_action.text()
    city.session.undo()
    assert city.session.plan is None and plan_layer(city.scene) is None


def test_a_corner_near_a_wall_snaps_onto_it(city, qtbot):
    near_wall = screen(city, X0 + 40.0, Y0 + 10.0) + QPoint(5, 0)  # 5 px off the block's east wall
    city.planning.tools.set_tool(Tool.DRAW)
    click(city, near_wall)
    corner = city.planning.tools.drawing.corners[0]
    assert corner[0] == pytest.approx(X0 + 40.0, abs=1e-6)
    assert abs(corner[1] - (Y0 + 10.0)) < 0.5
    # the hint is shown while the mouse is there
    send(city, QEvent.Type.MouseMove, near_wall, NO_BUTTON, NO_BUTTON)
    assert city.planning.tools.drawing.cursor.kind.value == "wall"


def test_backspace_removes_a_corner_enter_closes_and_esc_cancels(city, qtbot):
    tools = city.planning.tools
    tools.set_tool(Tool.DRAW)
    for x, y in [*RECTANGLE, (X0 + 50, Y0 + 35)]:
        click(city, screen(city, x, y))
    assert len(tools.drawing.corners) == 5
    QApplication.sendEvent(city.plotter, key_event(Qt.Key.Key_Backspace))
    assert len(tools.drawing.corners) == 4
    QApplication.sendEvent(city.plotter, key_event(Qt.Key.Key_Escape))
    assert not tools.drawing and city.session.plan is None and not city.session.history.can_undo
    tools.set_tool(Tool.DRAW)
    for x, y in RECTANGLE:
        click(city, screen(city, x, y))
    QApplication.sendEvent(city.plotter, key_event(Qt.Key.Key_Return))
    assert len(only_building(city).footprint) == 4


def test_a_double_click_closes_the_footprint(city, qtbot):
    tools = city.planning.tools
    tools.set_tool(Tool.DRAW)
    for x, y in RECTANGLE:
        click(city, screen(city, x, y))
    last = screen(city, *RECTANGLE[-1])
    send(city, QEvent.Type.MouseButtonDblClick, last)
    send(city, QEvent.Type.MouseButtonRelease, last, LEFT, NO_BUTTON)
    assert len(only_building(city).footprint) == 4


def handle_pos(win, kind: HandleKind, corner: int = -1) -> QPoint:
    building = only_building(win)
    handle = next(h for h in handles_of(building) if h.kind is kind and (corner < 0 or h.corner == corner))
    return screen(win, *handle.xyz)


def test_handles_move_rotate_and_scale_each_in_one_undo_step(city, qtbot):
    draw(city, RECTANGLE)
    before = only_building(city)
    cx, cy = np.mean(before.footprint, axis=0)
    top = before.height_m
    steps = len(city.session.history._done)

    # move: the centre handle dragged 5 m north
    drag(city, handle_pos(city, HandleKind.MOVE), screen(city, cx, cy + 5.0, top))
    moved = only_building(city)
    shift = np.mean(moved.footprint, axis=0) - (cx, cy)
    assert shift == pytest.approx((0.0, 5.0), abs=0.1)
    assert len(city.session.history._done) == steps + 1 and "move" in city.undo_action.text()

    # rotate: the handle north of the building dragged a quarter turn round its centre
    mx, my = np.mean(moved.footprint, axis=0)
    handle = next(h for h in handles_of(moved) if h.kind is HandleKind.ROTATE)
    reach = math.hypot(handle.x - mx, handle.y - my)
    drag(city, handle_pos(city, HandleKind.ROTATE), screen(city, mx - reach, my, top), steps=12)
    turned = only_building(city)
    assert sides(turned) == pytest.approx(sides(before), abs=0.05)
    xy = np.asarray(turned.footprint)
    assert np.ptp(xy[:, 0]) == pytest.approx(20.0, abs=0.3) and np.ptp(xy[:, 1]) == pytest.approx(
        12.0, abs=0.3
    )

    # scale: a corner dragged out to 1.5 times its distance from the opposite corner, which stays
    corner = next(h for h in handles_of(turned) if h.kind is HandleKind.SCALE)
    ax, ay = max(turned.footprint, key=lambda c: math.dist(c, (corner.x, corner.y)))
    target = (ax + 1.5 * (corner.x - ax), ay + 1.5 * (corner.y - ay), top)
    drag(city, screen(city, corner.x, corner.y, top), screen(city, *target))
    scaled = only_building(city)
    assert sides(scaled) == pytest.approx([1.5 * s for s in sides(before)], rel=0.02)
    assert min(math.dist(c, (ax, ay)) for c in scaled.footprint) < 1e-6
    assert len(city.session.history._done) == steps + 3

    # each drag is undone in one step, in order
    city.session.undo()
    assert sides(only_building(city)) == pytest.approx(sides(before), abs=0.05)
    city.session.undo()
    assert only_building(city).footprint == moved.footprint
    city.session.undo()
    assert only_building(city).footprint == before.footprint


def test_a_building_moved_near_a_wall_lands_on_it(city, qtbot):
    draw(city, RECTANGLE)
    before = only_building(city)
    cx, cy = np.mean(before.footprint, axis=0)
    # 3.5 m east: its east side 0.5 m from the next block's west wall (x0 + 60), within the snap
    drag(city, handle_pos(city, HandleKind.MOVE), screen(city, cx + 3.5, cy, before.height_m), finish=False)
    assert city.planning.tools.drag.snap.kind.value == "wall"
    send(city, QEvent.Type.MouseButtonRelease, screen(city, cx + 3.5, cy, before.height_m), LEFT, NO_BUTTON)
    xy = np.asarray(only_building(city).footprint)
    assert xy[:, 0].max() == pytest.approx(X0 + 60.0, abs=1e-6)
    assert sides(only_building(city)) == sides(before)


def test_esc_during_a_drag_puts_the_building_back(city, qtbot):
    draw(city, RECTANGLE)
    before = only_building(city)
    steps = len(city.session.history._done)
    cx, cy = np.mean(before.footprint, axis=0)
    drag(city, handle_pos(city, HandleKind.MOVE), screen(city, cx + 8.0, cy, before.height_m), finish=False)
    layer = plan_layer(city.scene)
    assert layer is not None and layer.frame.geometry.iloc[0].centroid.x == pytest.approx(cx + 8.0, abs=0.2)
    QApplication.sendEvent(city.plotter, key_event(Qt.Key.Key_Escape))
    send(city, QEvent.Type.MouseButtonRelease, screen(city, cx + 8.0, cy), LEFT, NO_BUTTON)
    assert only_building(city) == before
    assert layer.frame.geometry.iloc[0].centroid.x == pytest.approx(cx, abs=1e-3)
    assert len(city.session.history._done) == steps


def test_undo_redo_keys_and_the_edit_menu(city, qtbot):
    assert not city.undo_action.isEnabled() and not city.redo_action.isEnabled()
    draw(city, RECTANGLE)
    city.planning.tools.duplicate_selected()
    assert len(city.session.plan.variant.buildings) == 2
    city.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is city, timeout=5000)
    city.plotter.setFocus()
    qtbot.keyClick(city.plotter, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(city.session.plan.variant.buildings) == 1
    assert city.redo_action.isEnabled() and "duplicate" in city.redo_action.text()
    qtbot.keyClick(
        city.plotter, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert len(city.session.plan.variant.buildings) == 2
    qtbot.keyClick(city.plotter, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(city.plotter, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(city.session.plan.variant.buildings) == 2
    # Delete removes the selected one
    city.planning.tools.select("b1")
    qtbot.keyClick(city.plotter, Qt.Key.Key_Delete)
    assert len(city.session.plan.variant.buildings) == 1
    # a text field being typed in keeps its Ctrl+Z
    city.search_dock.show()
    box = city.search.box
    box.setFocus()
    qtbot.keyClicks(box, "rue")
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(city.session.plan.variant.buildings) == 1
    assert box.text() == ""


def test_demolish_toggles_an_existing_building(city, qtbot):
    existing = city.scene.layers[0]
    city.planning.tools.set_tool(Tool.DEMOLISH)
    # block (0, 0): its roof seen from the camera
    click(city, screen(city, X0 + 20.0, Y0 + 30.0, float(existing.height_m[0])))
    variant = city.session.plan.variant
    assert len(variant.demolished) == 1
    feature = variant.demolished[0].feature
    assert existing.demolished == frozenset({feature})
    click(city, screen(city, X0 + 20.0, Y0 + 30.0, float(existing.height_m[0])))
    assert city.session.plan.variant.demolished == ()
    assert existing.demolished == frozenset()
    city.session.undo()
    assert existing.demolished == frozenset({feature})
    # a demolished building is not drawn: a click on the ground where it stood puts it back
    existing.visible = False
    city.plotter.render()
    click(city, screen(city, X0 + 20.0, Y0 + 30.0))
    assert city.session.plan.variant.demolished == () and existing.demolished == frozenset()


def test_a_planned_layer_becomes_editable(window, qtbot, tiny_city):
    from layers.buildings.planned import mark_proposed

    window.open_paths_async([tiny_city / "buildings.geojson"])
    wait_loaded(qtbot, window, 1)
    layer = window.scene.layers[0]
    mark_proposed(layer)
    assert window.planning.edit_planned_layer()
    assert len(window.session.plan.variant.buildings) == 36
    assert window.session.plan.variant.name == "A" and not layer.visible
    heights = sorted(b.height_m for b in window.session.plan.variant.buildings)
    assert heights == sorted(float(h) for h in layer.height_m)


def test_an_opened_project_shows_its_plan_once(window, qtbot, tiny_city, tmp_path):
    window.open_paths_async([tiny_city / "buildings.geojson"])
    wait_loaded(qtbot, window, 1)
    window.planning.new_plan()
    from layers.plan import edits
    from layers.session.plan_commands import EditPlan

    plan, _ = edits.add_building(window.session.plan, RECTANGLE)
    window.session.execute(EditPlan(plan))
    path = tmp_path / "projet.maquette.json"
    assert window.files.save_to(path)
    window.open_paths_async([path])
    qtbot.waitUntil(lambda: window.project.path == path and not window.tasks.busy, timeout=60_000)
    qtbot.wait(50)
    assert sum(isinstance(layer, PlanLayer) for layer in window.scene.layers) == 1
    assert plan_layer(window.scene).name == "Projet"  # the window's language
    assert "Projet" in [
        window.layer_panel.list.item(i).text().split(" ")[0] for i in range(window.layer_panel.list.count())
    ]
    assert len(window.session.plan.variant.buildings) == 1


def test_a_corner_drag_stretches_one_side_only():
    from desktop.planning.handles import stretched
    from layers.plan.model import PlannedBuilding

    building = PlannedBuilding("b1", ((0.0, 0.0), (20.0, 0.0), (20.0, 10.0), (0.0, 10.0)))
    # the corner (20, 10) dragged 4 m east: 24 m long, still 10 m deep, (0, 0) where it was
    ring = stretched(building, 2, (20.0, 10.0), (24.0, 10.0))
    assert np.allclose(ring, [(0.0, 0.0), (24.0, 0.0), (24.0, 10.0), (0.0, 10.0)])


def test_a_drag_while_drawing_turns_the_camera_and_places_no_corner(city, qtbot):
    """A touch pad has no middle button: a left drag still moves the camera while a tool is on."""
    tools = city.planning.tools
    tools.set_tool(Tool.DRAW)
    click(city, screen(city, *RECTANGLE[0]))
    camera_before = tuple(city.plotter.camera.position)
    start = QPoint(city.plotter.width() // 2, city.plotter.height() // 2)
    drag(city, start, start + QPoint(80, 30), steps=8)
    city.plotter.render()
    assert tuple(city.plotter.camera.position) != pytest.approx(camera_before)
    assert len(tools.drawing.corners) == 1 and tools.tool is Tool.DRAW


def test_the_sample_citys_planned_tower_becomes_editable(window, qtbot, sample_city):
    window.open_paths_async([sample_city / "sample_city.maquette.json"])
    wait_loaded(qtbot, window)
    tower = window.planning.planned_file_layer()
    assert tower is not None
    tower.visible = True  # (the sample hides it until a story step shows it)
    assert window.planning.edit_planned_layer()
    buildings = window.session.plan.variant.buildings
    assert len(buildings) >= 1 and not tower.visible
    assert max(b.height_m for b in buildings) == pytest.approx(float(np.nanmax(tower.height_m)))
    assert plan_layer(window.scene) is not None
    # the same footprint, now a planned building (m², within a square metre)
    assert sum(b.footprint_area_m2 for b in buildings) == pytest.approx(
        float(tower.frame.geometry.area.sum()), abs=1.0
    )
    window.session.undo()
    assert window.session.plan is None and plan_layer(window.scene) is None
    assert tower.visible  # as it was


def test_a_comment_is_placed_even_while_drawing(city, qtbot):
    tools = city.planning.tools
    tools.set_tool(Tool.DRAW)
    city.mediation.begin_comment()
    assert city.mediation.placing_comment()
    click(city, screen(city, *RECTANGLE[0]))
    qtbot.waitUntil(city.mediation.comment_form_open, timeout=5000)
    assert not tools.drawing and tools.tool is Tool.DRAW
    city.mediation._comment_form.close()


def test_while_drawing_ctrl_z_takes_back_the_last_corner(city, qtbot):
    draw(city, RECTANGLE)  # one building: one step to undo
    tools = city.planning.tools
    tools.set_tool(Tool.DRAW)
    for x, y in [(X0 + 44, Y0 - 16), (X0 + 56, Y0 - 16)]:
        click(city, screen(city, x, y))
    city.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is city, timeout=5000)
    city.plotter.setFocus()
    qtbot.keyClick(city.plotter, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(tools.drawing.corners) == 1 and len(city.session.plan.variant.buildings) == 1
    qtbot.keyClick(city.plotter, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not tools.drawing and len(city.session.plan.variant.buildings) == 1
    # nothing drawn any more: Ctrl+Z is the Edit menu's again
    qtbot.keyClick(city.plotter, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert city.session.plan is None


def test_a_footprint_whose_sides_cross_is_not_closed(city, qtbot):
    tools = city.planning.tools
    tools.set_tool(Tool.DRAW)
    bow_tie = [(X0 + 44, Y0 + 6), (X0 + 56, Y0 + 26), (X0 + 56, Y0 + 6), (X0 + 44, Y0 + 26)]
    for x, y in bow_tie:
        click(city, screen(city, x, y))
    QApplication.sendEvent(city.plotter, key_event(Qt.Key.Key_Return))
    assert city.session.plan is None and len(tools.drawing.corners) == 4
    assert "cross" in city.statusBar().currentMessage()
