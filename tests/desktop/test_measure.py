"""Measuring on the 3D view of the tests' tiny city (Lambert-93): clicks on two known ground points
give their distance within 1 cm, a click on a roof and one at its foot give the building's height,
the Height mode gives it too (and a façade point's height), Esc ends a measure, the words are French."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop.measure.tool import Mode
from desktop.planning.ground import widget_points
from desktop.planning.tools import Tool
from layers.buildings.layer import BuildingsLayer
from layers.measure import geometry as geo
from layers.measure.result import Measurement
from viewer import camera as camera_util

from .conftest import opened_window, wait_loaded

pytestmark = pytest.mark.usefixtures("private_autosave")

X0, Y0 = 351_500.0, 6_789_000.0  # block (i, j) spans x0 + 60 i .. + 40, y0 + 60 j .. + 40
LEFT, NO_BUTTON = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
#: block (1, 0): 12 m high, no courtyard
ROOF = (X0 + 80.0, Y0 + 20.0, 12.0)
#: the ground in front of its south façade, and two points of the bare ground south of block (0, 0)
FOOT = (X0 + 80.0, Y0 - 4.0, 0.0)
A, B = (X0 + 3.137, Y0 - 3.25, 0.0), (X0 + 38.5, Y0 - 16.871, 0.0)


@pytest.fixture
def window(french, qtbot):
    """The main window in French (translations installed before it is built)."""
    from PySide6.QtCore import QLocale

    QLocale.setDefault(QLocale("fr"))
    yield from opened_window(qtbot, (1366, 768))
    QLocale.setDefault(QLocale("C"))


@pytest.fixture
def city(window, qtbot, tiny_city):
    window.open_paths_async([tiny_city / "buildings.geojson", tiny_city / "streets.geojson"])
    wait_loaded(qtbot, window, 2)
    view = camera_util.oblique_view(
        (X0 + 20, Y0 - 30, X0 + 110, Y0 + 50), aspect=window.workspace.aspect(), pitch_deg=55.0
    )
    window.camera.go_to_view(view, animate=False)
    window.plotter.render()
    return window


def at(win, xyz) -> QPointF:
    """The exact (sub-pixel) widget position of a scene point."""
    p = widget_points(win.plotter, win.scene_view, [xyz])[0]
    return QPointF(float(p[0]), float(p[1]))


def send(win, kind: QEvent.Type, pos: QPointF, button=LEFT, buttons=LEFT) -> None:
    event = QMouseEvent(
        kind, pos, QPointF(win.plotter.mapToGlobal(pos)), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(win.plotter, event)


def click(win, pos: QPointF) -> None:
    send(win, QEvent.Type.MouseMove, pos, NO_BUTTON, NO_BUTTON)
    send(win, QEvent.Type.MouseButtonPress, pos)
    send(win, QEvent.Type.MouseButtonRelease, pos, LEFT, NO_BUTTON)


def key(win, which: Qt.Key) -> None:
    QApplication.sendEvent(
        win.plotter, QKeyEvent(QEvent.Type.KeyPress, which, Qt.KeyboardModifier.NoModifier)
    )


def test_two_known_ground_points_are_measured_within_a_centimetre(city):
    tool = city.measure.tool
    city.measure.action.trigger()  # View › Measure (M)
    assert tool.active and tool.mode is Mode.DISTANCE
    click(city, at(city, A))
    click(city, at(city, B))
    assert tool.finished and len(tool.points) == 2
    assert all(p.layer is None for p in tool.points)  # on the ground, not a building
    for got, want in zip(tool.xyz(), (A, B), strict=True):
        assert np.allclose(got, want, atol=0.01)
    expected = float(np.hypot(B[0] - A[0], B[1] - A[1]))
    words = tool.result
    assert "Distance" in words and "au sol" in words and "dénivelé" in words
    measured = float(tool.label.split()[0].replace("\u202f", "").replace(",", "."))
    assert measured == pytest.approx(expected, abs=0.01)
    assert city.measure.result.text() == words
    assert city.statusBar().currentMessage() == words
    assert "EPSG:2154" in city.measure.crs.text() and "Lambert-93" in city.measure.crs.text()
    copied = city.measure.copy()
    assert QApplication.clipboard().text() == copied and tool.label in copied and "EPSG:2154" in copied
    assert tool._marks is not None and tool._marks.count >= 3  # line, points, the value
    # a click after the end starts another measure
    click(city, at(city, B))
    assert len(tool.points) == 1 and not tool.finished


def test_a_roof_and_its_foot_give_the_building_height(city):
    tool = city.measure.tool
    tool.start(Mode.DISTANCE)
    click(city, at(city, ROOF))
    click(city, at(city, FOOT))
    roof, foot = tool.points
    assert isinstance(roof.layer, BuildingsLayer) and roof.on_roof and foot.building is None
    assert roof.xyz[2] == pytest.approx(12.0, abs=0.01)
    assert roof.xyz[2] - foot.xyz[2] == pytest.approx(12.0, abs=0.01)
    assert "dénivelé -12,00 m" in tool.result


def test_the_height_mode_gives_a_building_and_a_facade_point(city):
    tool = city.measure.tool
    city.measure.mode_buttons[Mode.HEIGHT].click()
    assert tool.active and tool.mode is Mode.HEIGHT
    click(city, at(city, ROOF))
    assert tool.label == "12,00 m"
    assert tool.result.startswith("Hauteur du bâtiment")
    click(city, at(city, (X0 + 80.0, Y0, 5.0)))  # the south façade, 5 m up
    point = tool.points[0]
    assert point.on_wall
    assert point.xyz[2] - point.ground_z_m == pytest.approx(5.0, abs=0.01)
    assert tool.label == "5,00 m"
    click(city, at(city, FOOT))  # the street: no building
    assert "pas un bâtiment" in tool.result


def test_esc_ends_a_path_then_turns_the_tool_off(city):
    tool = city.measure.tool
    tool.start(Mode.PATH)
    for p in (A, B, (X0 + 20.0, Y0 - 10.0, 0.0)):
        click(city, at(city, p))
    assert not tool.finished
    key(city, Qt.Key.Key_Escape)
    assert tool.finished and tool.active and tool.result.startswith("Parcours")
    key(city, Qt.Key.Key_Escape)
    assert not tool.active and not city.measure.action.isChecked()
    assert tool._marks is not None and tool._marks.count == 0


def test_area_in_square_metres_and_hectares_and_a_crossing_outline(city):
    tool = city.measure.tool
    tool.start(Mode.AREA)
    corners = [(X0 + 44.0, Y0 - 10.0, 0.0), (X0 + 56.0, Y0 - 10.0, 0.0), (X0 + 56.0, Y0 + 30.0, 0.0)]
    for p in [*corners, (X0 + 44.0, Y0 + 30.0, 0.0)]:
        click(city, at(city, p))
    key(city, Qt.Key.Key_Return)
    assert tool.finished
    assert tool.label.startswith("480,0 m²") and "(0,05 ha)" in tool.label
    tool.clear()
    for p in [corners[0], corners[2], corners[1], (X0 + 44.0, Y0 + 30.0, 0.0)]:  # a bow tie
        click(city, at(city, p))
    assert "se croisent" in tool.result


def test_a_street_drawn_over_the_ground_is_measured_on_the_ground(city):
    tool = city.measure.tool
    tool.start(Mode.DISTANCE)
    street = (X0 + 50.0, Y0 + 12.345, 0.0)  # the line of "Rue 1", drawn a little above the ground
    click(city, at(city, (street[0], street[1], 0.35)))
    point = tool.points[0]
    assert point.layer is not None and point.layer.kind == "streets"
    assert point.xyz[2] == pytest.approx(0.0, abs=1e-6)
    # the point of the street seen (drawn 0.35 m up or a little more), not the ground behind it
    assert np.hypot(point.xyz[0] - street[0], point.xyz[1] - street[1]) < 0.2


def test_planning_tools_and_measuring_take_turns(city):
    tool, planning = city.measure.tool, city.planning.tools
    planning.set_tool(Tool.DRAW)
    tool.start()
    assert planning.tool is Tool.OFF
    planning.set_tool(Tool.SELECT)
    assert not tool.active


def test_a_known_distance_and_height_on_the_sample_city(window, qtbot):
    """Two points of a roof of the sample city, 2 m inside its outline, and the building's height."""
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    layer = next(
        layer for layer in window.scene.layers if type(layer) is BuildingsLayer and layer.name == "Bâtiments"
    )
    areas = np.array([g.area for g in layer.frame.geometry.values])
    row = int(np.argmax(areas))
    outline = layer.frame.geometry.values[row]
    ground = window.scene_view.visual(layer).ground_offset(row)
    roof_z = ground + float(layer.height_m[row])
    x0, y0, x1, y1 = outline.bounds
    view = camera_util.oblique_view(
        (x0 - 20, y0 - 20, x1 + 20, y1 + 20), aspect=window.workspace.aspect(), pitch_deg=70.0
    )
    window.camera.go_to_view(view, animate=False)
    window.plotter.render()
    inner = outline.buffer(-2.0)
    p = inner.representative_point()
    ring = np.asarray(
        inner.exterior.coords if inner.geom_type == "Polygon" else inner.geoms[0].exterior.coords
    )
    q = ring[int(np.argmax(np.hypot(ring[:, 0] - p.x, ring[:, 1] - p.y)))]  # the farthest corner
    tool = window.measure.tool
    tool.start(Mode.DISTANCE)
    click(window, at(window, (p.x, p.y, roof_z)))
    click(window, at(window, (q[0], q[1], roof_z)))
    assert [(pt.layer, pt.row) for pt in tool.points] == [(layer, row), (layer, row)]
    expected = float(np.hypot(q[0] - p.x, q[1] - p.y))
    assert tool.label == Measurement(expected).text("fr")
    assert geo.distance_3d_m(*tool.xyz()) == pytest.approx(expected, abs=0.01)
    window.measure.mode_buttons[Mode.HEIGHT].click()
    click(window, at(window, (p.x, p.y, roof_z)))
    assert tool.label == Measurement(float(layer.height_m[row])).text("fr")
    assert tool.points[0].xyz[2] - tool.points[0].ground_z_m == pytest.approx(layer.height_m[row], abs=0.01)


def test_measuring_selecting_by_rectangle_and_drawing_take_turns(city):
    measure, selection, tools = city.measure.tool, city.selection, city.planning.tools
    measure.start(Mode.DISTANCE)
    selection.set_rectangle_mode(True)
    assert not measure.active and selection.rectangle_action.isChecked()
    measure.start(Mode.DISTANCE)
    assert measure.active and not selection.rectangle_action.isChecked()
    tools.set_tool(Tool.DRAW)
    assert not measure.active and not selection.rectangle_action.isChecked()
