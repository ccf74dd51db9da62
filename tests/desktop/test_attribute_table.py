"""The attribute table and the selection linked with the 3D view, on the sample city's buildings:
a rectangle dragged on the view selects 100 buildings and the table shows the same 100 rows; the
table sorts by height both ways, follows the layer's filter, selects rows that the view highlights,
and exports the selection (read back)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop.panels.attribute_model import AttributeModel, sort_order
from layers.buildings.filters import filter_mask
from layers.buildings.style import BuildingsFilter, FilterCondition
from viewer import camera as camera_util

from .conftest import wait_loaded

pytestmark = pytest.mark.usefixtures("private_autosave")

LEFT = Qt.MouseButton.LeftButton
NO_BUTTON = Qt.MouseButton.NoButton


@pytest.fixture
def city(window, qtbot, sample_city):
    window.open_paths_async([sample_city / "buildings.gpkg"])
    wait_loaded(qtbot, window, 1)
    window.plotter.render()
    return window


def send(win, kind: QEvent.Type, pos: QPoint, button=LEFT, buttons=LEFT, modifiers=None) -> None:
    event = QMouseEvent(
        kind,
        QPointF(pos),
        QPointF(win.plotter.mapToGlobal(pos)),
        button,
        buttons,
        modifiers or Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(win.plotter, event)


def drag(win, start: QPoint, end: QPoint, steps: int = 5) -> None:
    send(win, QEvent.Type.MouseButtonPress, start)
    for k in range(1, steps + 1):
        send(win, QEvent.Type.MouseMove, start + (end - start) * (k / steps), NO_BUTTON, LEFT)
    send(win, QEvent.Type.MouseButtonRelease, end, LEFT, NO_BUTTON)


def hundred_in_a_box(win, layer) -> tuple[QPoint, QPoint, np.ndarray]:
    """A square on the view around its centre holding exactly 100 building centroids (half-way up
    their walls), found from the widget positions of all of them; and those rows."""
    from desktop.planning.ground import widget_points

    centroids = layer.frame.geometry.centroid
    xyz = np.column_stack([centroids.x, centroids.y, (layer.base_m + layer.height_m) / 2])
    at = widget_points(win.plotter, win.scene_view, xyz)
    middle = np.array([win.plotter.width() / 2, win.plotter.height() / 2])
    for dx, dy in ((dx, dy) for dx in range(-100, 101, 10) for dy in range(-100, 101, 10)):
        centre = middle + (dx, dy)
        reach = np.abs(at - centre).max(axis=1)
        order = np.argsort(reach)
        r100, r101 = reach[order[99]], reach[order[100]]
        if r101 - r100 > 2.5:  # a clean gap between the 100th and the 101st building
            break
    else:
        raise AssertionError("no square holding exactly 100 buildings")
    half = (r100 + r101) / 2
    corner = QPoint(round(centre[0] - half), round(centre[1] - half))
    other = QPoint(round(centre[0] + half), round(centre[1] + half))
    # the rows whose position is inside the box of whole pixels
    inside = (
        (at[:, 0] >= corner.x())
        & (at[:, 0] <= other.x())
        & (at[:, 1] >= corner.y())
        & (at[:, 1] <= other.y())
    )
    return corner, other, np.flatnonzero(inside)


def test_a_rectangle_selects_100_buildings_and_the_table_shows_the_same_rows(city, qtbot):
    win = city
    layer = win.scene.layers[0]
    win.selection.open_table(layer)  # the table's dock first: the view is smaller with it
    qtbot.wait(50)
    x0, y0, x1, y1 = layer.bounds()
    cx, cy, half = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 6
    box = (cx - half, cy - half, cx + half, cy + half)
    view = camera_util.oblique_view(box, aspect=win.workspace.aspect(), pitch_deg=89.0)
    win.camera.go_to_view(view, animate=False)
    win.plotter.render()
    corner, other, expected = hundred_in_a_box(win, layer)
    assert len(expected) == 100
    win.selection.rectangle_action.trigger()  # View › Select by rectangle
    assert win.planning.tools.tool.value == "off"
    drag(win, corner, other)
    selected = win.selection.selections.rows(layer)
    assert np.array_equal(selected, expected)
    assert layer.count_features(np.isin(np.arange(len(layer.frame)), selected)) == 100
    table = win.selection.panel
    assert np.array_equal(table.selected_rows(), expected)
    assert len(table.table.selectionModel().selectedRows()) == 100
    assert table.count.text().startswith("100 ")
    # drawn in one actor over the buildings
    visual = win.scene_view.visual(layer)
    assert visual._selection_actor is not None and visual._selection_actor in visual.actors
    # Esc leaves the mode; a drag turns the camera again
    QApplication.sendEvent(win.plotter, _key(Qt.Key.Key_Escape))
    assert not win.selection.rectangle_action.isChecked()
    # a planning tool starting ends the mode
    win.selection.rectangle_action.trigger()
    from desktop.planning.tools import Tool

    win.planning.tools.set_tool(Tool.DRAW)
    assert not win.selection.rectangle_action.isChecked()
    win.planning.tools.set_tool(Tool.OFF)


def _key(key):
    from PySide6.QtGui import QKeyEvent

    return QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)


def test_sort_by_height_both_ways_and_follow_the_filter(city, qtbot):
    win = city
    layer = win.scene.layers[0]
    win.selection.open_table(layer)
    table = win.selection.panel
    model = table.model
    assert model.fields[0] == "height_m"
    # no translator in the tests: the English words
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Height (m)"
    table.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    heights = layer.height_m[model.order]
    assert np.all(np.diff(heights) >= 0)
    table.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    heights = layer.height_m[model.order]
    assert np.all(np.diff(heights) <= 0)
    first = model.index(0, 0).data()
    assert first == _written(layer.height_m.max())
    # the layer's filter: taller than 20 m
    spec = BuildingsFilter(conditions=(FilterCondition(field="height_m", min=20.0),))
    layer.update_style(filter=spec)
    assert model.rowCount() == int(filter_mask(layer, spec).sum()) < len(layer.frame)
    assert np.all(layer.height_m[model.order] >= 20.0)
    table.filtered.setChecked(False)
    assert model.rowCount() == len(layer.frame)
    table.filtered.setChecked(True)
    table.filter_button.click()  # the layer's options, where the filter is set
    assert win.layer_panel.current_layer() is layer and win.layers_dock.isVisible()
    layer.update_style(filter=BuildingsFilter())
    assert model.rowCount() == len(layer.frame)


def _written(value: float) -> str:
    from desktop.translation import interface_language
    from layers.core.numbers import number

    return number(float(value), interface_language())


def test_rows_chosen_in_the_table_are_highlighted_and_a_click_adds(city, qtbot):
    win = city
    layer = win.scene.layers[0]
    win.selection.open_table(layer)
    table = win.selection.panel
    table.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    table.table.selectRow(0)
    tallest = int(np.argmax(layer.height_m))
    assert list(win.selection.selections.rows(layer)) == [tallest]
    visual = win.scene_view.visual(layer)
    assert visual._selection_actor is not None
    owner_cells = np.isin(visual._mesh.owner, [tallest]).sum()
    assert visual._selection_actor.GetMapper().GetInput().GetNumberOfCells() == owner_cells
    # zoom to the selection: the camera looks at it
    win.selection.zoom_to_selection(layer)
    qtbot.waitUntil(lambda: not win.camera.flying, timeout=10_000)
    focal = np.array(win.scene_view.current_view().focal_point[:2])
    centre = np.array(layer.frame.geometry.iloc[tallest].centroid.coords[0])
    assert np.hypot(*(focal - centre)) < 40.0
    # a click on another building with Shift adds it (the picking controller's pick), Ctrl toggles
    win.plotter.render()
    pos, other = _another_building(win, tallest)
    _click(win, pos, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(win.selection.selections.rows(layer)) == 2, timeout=5_000)
    assert set(win.selection.selections.rows(layer)) == {tallest, other}
    assert len(table.table.selectionModel().selectedRows()) == 2
    _click(win, pos, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(win.selection.selections.rows(layer)) == 1, timeout=5_000)
    assert list(win.selection.selections.rows(layer)) == [tallest]
    # a plain click replaces the selection
    _click(win, pos)
    qtbot.waitUntil(lambda: list(win.selection.selections.rows(layer)) == [other], timeout=5_000)
    assert len(table.table.selectionModel().selectedRows()) == 1


def _another_building(win, not_row: int) -> tuple[QPoint, int]:
    """A widget position over a building other than ``not_row``, and its row."""
    height = win.plotter.height()
    for dx in range(-300, 300, 15):
        for dy in range(-200, 200, 15):
            pos = QPoint(win.plotter.width() // 2 + dx, height // 2 + dy)
            pick = win.scene_view.pick(pos.x(), height - pos.y())
            if pick is not None and pick.index != not_row:
                return pos, pick.index
    raise AssertionError("no other building in view")


def _click(win, pos: QPoint, modifiers=None) -> None:
    send(win, QEvent.Type.MouseButtonPress, pos, modifiers=modifiers)
    send(win, QEvent.Type.MouseButtonRelease, pos, LEFT, NO_BUTTON, modifiers=modifiers)


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".csv"])
def test_export_the_selection_and_read_it_back(city, qtbot, tmp_path, suffix):
    win = city
    layer = win.scene.layers[0]
    rows = np.flatnonzero(layer.height_m >= 25.0)[:37]
    win.selection.selections.select(layer, rows)
    path = win.selection.export_selection(layer, tmp_path / f"selection{suffix}")
    assert path is not None and path.is_file()
    if suffix == ".csv":
        back = pd.read_csv(path)
        assert "wkt" in back.columns
    else:
        back = gpd.read_file(path)
    assert len(back) == 37
    assert sorted(back["id"]) == sorted(layer.frame["id"].iloc[rows])
    assert np.allclose(np.sort(back["height_m"]), np.sort(layer.height_m[rows]))


def test_sorting_is_stable_with_missing_values_last():
    values = np.array([3.0, np.nan, 1.0, 3.0, None, 2.0], dtype=object).astype(float)
    assert list(sort_order(values)) == [2, 5, 0, 3, 1, 4]
    assert list(sort_order(values, descending=True)) == [0, 3, 5, 2, 1, 4]
    text = np.array(["b", None, "a", "b", ""], dtype=object)
    assert list(sort_order(text)) == [2, 0, 3, 1, 4]
    assert list(sort_order(text, descending=True)) == [0, 3, 2, 1, 4]
    model = AttributeModel({"v": values}, {"v": "V"}, "fr")
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [model.index(i, 0).data() for i in range(6)] == ["1", "2", "3", "3", "", ""]


def test_a_vector_layer_has_its_table_and_its_selection_drawn(window, qtbot, sample_city):
    window.open_paths_async([sample_city / "landuse.gpkg"])
    wait_loaded(qtbot, window, 1)
    layer = window.scene.layers[0]
    assert layer.kind == "vector"
    window.selection.open_table(layer)
    table = window.selection.panel
    assert table.model.rowCount() == len(layer.frame)
    table.table.selectRow(2)
    row = int(table.model.order[2])
    assert list(window.selection.selections.rows(layer)) == [row]
    visual = window.scene_view.visual(layer)
    drawn = visual._selection_actor.GetMapper().GetInput().GetNumberOfCells()
    assert drawn == int(np.isin(visual._owner, [row]).sum()) > 0
    window.selection.selections.clear(layer)
    assert visual._selection_actor is None and not table.table.selectionModel().hasSelection()
