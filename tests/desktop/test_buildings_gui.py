"""Exploring buildings in the window: filters, legend counts, search and fly-to, CRS chooser, LOD."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent

from desktop.dialogs.crs import CRSDialog
from layers.buildings.style import BuildingsFilter, FilterCondition

from .conftest import shown, wait_loaded

LYON = "buildings/lyon1_bdtopo/buildings_lyon1.geojson"


def _controls(window):
    window.layer_panel.select(window.scene.layers[0])
    return window.layer_panel.controls_area.widget()


def test_account_colour_and_filter_controls(window, qtbot, shared_data):
    window.open_paths_async([shared_data / LYON])
    wait_loaded(qtbot, window, 1)
    layer = window.scene.layers[0]
    controls = _controls(window)
    assert "2,576 of 2,576 shown" in controls.account.text()  # English: no translator installed
    # colour by a category: legend entries carry their counts
    controls.color_by.setCurrentIndex(controls.color_by.findData("USAGE1"))
    visual = window.scene_view.visual(layer)
    (legend,) = visual.legends()
    labels = [label for _, label in legend.entries()]
    assert labels[0] == "Résidentiel (1495)" and "Religieux (12)" in labels
    before = visual.triangle_count()
    # taller than 28 m
    controls.filter_field.setCurrentIndex(controls.filter_field.findData("height_m"))
    assert controls.range_row.isVisibleTo(controls) and not controls.categories.isVisibleTo(controls)
    controls.minimum.setText("28")
    controls.minimum.editingFinished.emit()
    assert layer.style.filter == BuildingsFilter(conditions=(FilterCondition(field="height_m", min=28.0),))
    assert layer.style.to_dict()["filter"] == {
        "conditions": [{"field": "height_m", "min": 28.0}],
        "mode": "hide",
    }
    visual = window.scene_view.visual(layer)
    assert 0 < visual.triangle_count() < before / 5
    assert "302 of 2,576 buildings pass" in controls.filter_count.text()
    (legend,) = visual.legends()
    assert "302/2576" in legend.title
    # greyed rather than hidden: one more actor, not pickable
    controls.mode.setCurrentIndex(controls.mode.findData("grey"))
    visual = window.scene_view.visual(layer)
    assert visual.grey_actor is not None and not visual.grey_actor.GetPickable()
    # categories: keep one
    controls.filter_field.setCurrentIndex(controls.filter_field.findData("NATURE"))
    assert controls.categories.isVisibleTo(controls)
    for i in range(controls.categories.count()):
        item = controls.categories.item(i)
        keep = item.data(Qt.ItemDataRole.UserRole) == "Eglise"
        item.setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)
    assert layer.style.filter.conditions == (FilterCondition(field="NATURE", categories=("Eglise",)),)
    assert window.scene_view.visual(layer).triangle_count() > 0
    # the filter is saved with the project (it is part of the style)
    controls.filter_field.setCurrentIndex(0)
    assert layer.style.filter == BuildingsFilter() and "filter" not in layer.style.to_dict()


def test_search_flies_to_the_building_and_highlights_it(window, qtbot, shared_data):
    window.open_paths_async([shared_data / LYON])
    wait_loaded(qtbot, window, 1)
    layer = window.scene.layers[0]
    window.picking.focus_search()
    qtbot.keyClicks(window.search.box, "batiment0000000240877835")
    assert window.search.run() == 1
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
    row = int(np.flatnonzero(layer.frame["ID"] == "BATIMENT0000000240877835")[0])
    qtbot.waitUntil(lambda: not window.camera.flying, timeout=10_000)
    focal = np.array(window.scene_view.current_view().focal_point[:2])
    centre = np.array(layer.frame.geometry.iloc[row].centroid.coords[0])
    assert np.hypot(*(focal - centre)) < 5.0
    visual = window.scene_view.visual(layer)
    assert visual._highlight_actor is not None
    rows = dict(window.inspector.rows())
    assert rows.get("Identifier") == "BATIMENT0000000240877835"  # ID, by its label (English: no translator)
    # names, accents and case ignored; nothing found says so
    window.search.box.setText("église")  # NATURE = "Eglise"
    assert window.search.run() == 12
    assert all("Eglise" in window.search.results.item(i).text() for i in range(12))
    window.search.box.setText("cathédrale de nulle part")
    assert window.search.run() == 0 and "No building" in window.search.status.text()


def test_file_without_crs_asks_for_one(window, qtbot, shared_data):
    window.open_paths_async([shared_data / "citymodel/cjio_samples/rotterdam_subset.json"])
    qtbot.waitUntil(lambda: shown(window, CRSDialog) is not None, timeout=60_000)
    dialog = shown(window, CRSDialog)
    assert dialog.text() == "EPSG:28992"  # the CRS that fits the coordinates comes first
    dialog.choice.setEditText("EPSG:99999999")
    dialog._check()
    assert dialog.isVisible() and "not a CRS" in dialog.error.text()
    dialog.choice.setCurrentIndex(0)
    dialog._check()
    wait_loaded(qtbot, window, 1)
    layer = window.scene.layers[0]
    assert layer.crs.to_epsg() == 28992 and layer.feature_count() == 16
    assert layer.options["crs"] == "EPSG:28992"


def test_wheel_swaps_to_light_buildings_then_back(window, qtbot, tmp_path):
    pytest.importorskip("shapely")
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2] / "bench"))
    from buildings_data import write

    paths = write(20_000, tmp_path)
    window.open_paths_async([paths["parquet"]])
    wait_loaded(qtbot, window, 1)
    visual = window.scene_view.visual(window.scene.layers[0])
    assert visual.triangle_count() > 300_000 and len(visual.tiles) >= 2
    centre = QPointF(window.plotter.width() / 2, window.plotter.height() / 2)
    event = QWheelEvent(
        centre,
        window.plotter.mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    window.picking.eventFilter(window.plotter, event)
    coarse = visual._coarse_actor
    assert window.scene_view.lod.active and coarse is not None
    assert coarse.GetVisibility() and not visual.tiles[0][0].GetVisibility()
    qtbot.waitUntil(lambda: not window.scene_view.lod.active, timeout=3_000)
    assert visual.tiles[0][0].GetVisibility() and not coarse.GetVisibility()
