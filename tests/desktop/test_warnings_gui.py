"""What loading decided about doubtful data is flagged in the window: ⚠ in the layer list (the
notes in its tooltip) and the notes in the layer's options."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.desktop.conftest import wait_loaded
from tests.test_bad_input import _collections_geojson as collections_geojson
from tests.test_bad_input import readings, row, text

AMBIGUOUS = (
    "the dates of time could be day/month or month/day (no number above 12, e.g. 03/04/2025 10:00): "
    "read day first (3 April 2025), as in France; write ISO dates (2025-04-03) to be sure"
)
COLLECTIONS = (
    "collections.geojson: 2 geometry collections were read as the polygons they hold; "
    "1 lines and 1 points inside them were left out (id=B1, id=B2)"
)


def test_doubtful_dates_and_collections_are_flagged_in_the_window(window, qtbot, tmp_path):
    dates = readings(tmp_path, "ambigu.csv", [row("03/04/2025 10:00", 12), row("04/04/2025 10:00", 13)])
    shapes = text(tmp_path, "collections.geojson", collections_geojson())
    window.open_paths_async([dates, shapes])
    wait_loaded(qtbot, window, 2)
    panel = window.layer_panel
    for note in (AMBIGUOUS, COLLECTIONS):
        layer = next(layer for layer in window.scene.layers if note in layer.warnings)
        item = next(
            panel.list.item(i)
            for i in range(panel.list.count())
            if panel.list.item(i).data(Qt.ItemDataRole.UserRole) is layer
        )
        assert item.text().endswith("⚠") and note in item.toolTip()
        panel.select(layer)
        shown = [label.text() for label in panel.controls_area.widget().findChildren(QLabel)]
        assert any(f"⚠ {note}" in label for label in shown)
