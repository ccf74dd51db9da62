"""Data from places far apart (issue 15): the command line warns in one line naming both files,
the window asks whether to open the new file in its own scene; grids stay sized by what is asked."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.cli import main

from .conftest import shown, wait_loaded

#: from the tiny city (Rennes) to Lyon, Lambert-93 metres
FAR_SHIFT = (490_000.0, -270_000.0)


@pytest.fixture
def far_city(tiny_city, tmp_path):
    frame = gpd.read_file(tiny_city / "buildings.geojson")
    frame.geometry = frame.geometry.translate(*FAR_SHIFT)
    path = tmp_path / "far_city.geojson"
    frame.to_file(path, driver="GeoJSON")
    return path


def test_the_cli_warns_once_naming_both_files_and_the_distance(tiny_city, far_city, tmp_path, capsys):
    out = tmp_path / "deux.png"
    code = main(
        ["render", str(tiny_city / "buildings.geojson"), str(far_city), "--sun", "--time", "2025-06-21T15:00",
         "--size", "320x200", "-o", str(out)]
    )  # fmt: skip
    assert code == 0 and out.exists()
    lines = [line for line in capsys.readouterr().err.splitlines() if "km from" in line]
    assert len(lines) == 1
    assert re.match(r"maquette: warning: far_city\.geojson is 55\d km from buildings\.geojson: ", lines[0])


def test_one_place_gives_no_warning(tiny_city, tmp_path, capsys):
    assert main(["render", str(tiny_city / "buildings.geojson"), str(tiny_city / "streets.geojson"),
                 "--size", "320x200", "-o", str(tmp_path / "un.png")]) == 0  # fmt: skip
    assert "km from" not in capsys.readouterr().err


def test_a_sunlight_study_over_two_cities_is_refused_unless_the_area_is_given(
    tiny_city, far_city, tmp_path, capsys
):
    both = tmp_path / "both.gpkg"
    frames = [gpd.read_file(tiny_city / "buildings.geojson"), gpd.read_file(far_city)]
    gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs).to_file(both)
    out = tmp_path / "soleil.tif"
    base = ["sunlight", str(both), "--height-field", "hauteur", "--date", "2025-06-21", "--step", "60"]
    assert main([*base, "-o", str(out)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "spread over 490 km × 270 km" in lines[0] and "--bbox" in lines[0]
    assert not out.exists()
    assert main([*base, "--bbox", "351400,6788900,351900,6789400", "-o", str(out), "--json"]) == 0
    assert out.exists()


def test_the_window_offers_to_open_a_far_file_in_its_own_scene(window, qtbot, tiny_city, far_city):
    window.open_paths_async([tiny_city / "buildings.geojson"])
    wait_loaded(qtbot, window, 1)
    first = window.scene
    window.add_files_async([far_city])
    qtbot.waitUntil(lambda: not window.tasks.busy and shown(window) is not None, timeout=60_000)
    box = shown(window)
    assert "far_city.geojson" in box.text() and re.search(
        r"lies 55\d km from « buildings\.geojson »", box.text()
    )
    assert box.defaultButton().text() == "Open in its own scene"  # the default answer
    assert len(first.layers) == 1  # nothing added while the question is open
    box.defaultButton().click()
    qtbot.waitUntil(lambda: not window.tasks.busy and window.scene is not first, timeout=60_000)
    assert [layer.source.name for layer in window.scene.layers] == ["far_city.geojson"]


def test_the_window_adds_a_far_file_when_asked(window, qtbot, tiny_city, far_city):
    window.open_paths_async([tiny_city / "buildings.geojson"])
    wait_loaded(qtbot, window, 1)
    window.add_files_async([far_city])
    qtbot.waitUntil(lambda: not window.tasks.busy and shown(window) is not None, timeout=60_000)
    box = shown(window)
    add = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
    assert add.text() == "Add to this scene"
    add.click()
    qtbot.waitUntil(lambda: len(window.scene.layers) == 2, timeout=10_000)
    window.scene_view.set_sun(True)
    grid = window.scene_view.sun.shadow_grid
    assert grid is None or grid.pixels <= 4_000_000
