"""A store in the window: the layer's controls colour it by usage and filter it, as a file's
buildings; the view follows (legend of the store's usages, filtered tiles)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from layers.session.views import CameraView
from layers.streamed.layer import StreamedBuildingsLayer
from tests.layers.streamed.store_writer import synthetic_footprints, write_store
from viewer.visuals.streamed import StreamedVisual


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_store(tmp_path_factory.mktemp("stores") / "region", synthetic_footprints(4, 4, 200))


def test_colour_by_usage_and_filter_from_the_controls(window, qtbot, store):
    window.open_paths_async([store])
    qtbot.waitUntil(lambda: not window.tasks.busy and window.scene_view is not None, timeout=60_000)
    layer = window.scene.layers[0]
    assert isinstance(layer, StreamedBuildingsLayer)
    window.layer_panel.select(layer)
    controls = window.layer_panel.controls_area.widget()
    view = window.scene_view
    view.go_to(
        CameraView("near", (650_400.0, 6_859_600.0, 500.0), (650_500.0, 6_860_300.0, 0.0), (0, 0, 1), 30.0)
    )
    controls.color_by.setCurrentIndex(controls.color_by.findData("usage"))
    assert layer.style.color_by == "usage"

    def drawn() -> StreamedVisual:
        visual = view.visual(layer)
        assert isinstance(visual, StreamedVisual)
        view.request_render()
        return visual

    qtbot.waitUntil(
        lambda: bool(drawn().wanted) and set(drawn().wanted) <= set(drawn().tile_actors), timeout=60_000
    )
    legend = drawn().legends()
    assert legend and legend[0].categorical
    # filter: the industrial buildings only
    controls.filter_field.setCurrentIndex(controls.filter_field.findData("usage"))
    assert controls.categories.isVisibleTo(controls) and not controls.range_row.isVisibleTo(controls)
    assert controls.categories.count() == len(layer.usage_counts())
    for i in range(controls.categories.count()):
        item = controls.categories.item(i)
        keep = item.data(Qt.ItemDataRole.UserRole) == "Industriel"
        item.setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)
    assert layer.style.filter.active[0].categories == ("Industriel",)
    qtbot.waitUntil(
        lambda: bool(drawn().wanted) and set(drawn().wanted) <= set(drawn().tile_actors), timeout=60_000
    )
    visual = drawn()
    for key, (_, owner, _) in visual.tile_actors.items():
        tile = layer.memory.get(key)
        assert tile is not None
        assert set(tile.usage[np.unique(owner)]) <= {"Industriel"}
    # a height range
    controls.filter_field.setCurrentIndex(controls.filter_field.findData("height_m"))
    assert controls.range_row.isVisibleTo(controls)
    controls.minimum.setText("30")
    controls.minimum.editingFinished.emit()
    assert layer.style.filter.active[0].min == 30
    controls.filter_field.setCurrentIndex(0)
    assert not layer.style.filter.active
