"""Opening a BD TOPO GeoPackage in the window offers its themes, the picture's ticked."""

from __future__ import annotations

import geopandas as gpd
import shapely
from PySide6.QtCore import Qt, QTimer

from desktop.dialogs.themes import ThemesDialog

from .conftest import shown, wait_loaded

L93 = "EPSG:2154"


def _geopackage(tmp_path):
    gpkg = tmp_path / "BDT_3-3_GPKG_LAMB93_D035.gpkg"
    box = shapely.box(318000, 6740000, 318040, 6740030)
    gpd.GeoDataFrame({"nom": ["Redon"]}, geometry=[box.buffer(500)], crs=L93).to_file(gpkg, layer="commune")
    gpd.GeoDataFrame({"hauteur": [9.0]}, geometry=[box], crs=L93).to_file(gpkg, layer="batiment")
    gpd.GeoDataFrame({"nature": ["Bois"]}, geometry=[box.buffer(100)], crs=L93).to_file(
        gpkg, layer="zone_de_vegetation"
    )
    return gpkg


def test_the_themes_are_offered_and_those_ticked_open(window, qtbot, tmp_path):
    gpkg = _geopackage(tmp_path)
    seen: dict[str, object] = {}

    def answer() -> None:
        dialog = shown(window, ThemesDialog)
        if dialog is None:
            QTimer.singleShot(50, answer)
            return
        items = [dialog.themes.item(row) for row in range(dialog.themes.count())]
        seen["rows"] = [(item.text(), item.checkState() == Qt.CheckState.Checked) for item in items]
        items[0].setCheckState(Qt.CheckState.Unchecked)  # no vegetation this time
        dialog.accept()

    QTimer.singleShot(50, answer)
    window.open_paths_async([gpkg])
    wait_loaded(qtbot, window, 1)
    assert seen["rows"] == [
        ("zone_de_vegetation — Végétation", True),  # the scene's language, as its legends
        ("batiment — Bâtiments", True),
        ("commune — Limite de la commune", False),
    ]
    assert [(layer.name, layer.kind) for layer in window.scene.layers] == [("batiment", "buildings")]


def test_cancelling_the_themes_opens_nothing(window, qtbot, tmp_path):
    gpkg = _geopackage(tmp_path)

    def cancel() -> None:
        dialog = shown(window, ThemesDialog)
        if dialog is None:
            QTimer.singleShot(50, cancel)
            return
        dialog.reject()

    QTimer.singleShot(50, cancel)
    assert window.add_files_async([gpkg]) is None
    assert not window.tasks.busy
