"""The « Soleil » dock, the planned-project mark and the sunlight study dialog in the main window."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from layers.buildings.planned import is_proposed
from layers.core.timeutil import zone

from .conftest import wait_loaded


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Autosaves and study results of these tests stay in their temporary folder."""
    monkeypatch.setenv("MAQUETTE_AUTOSAVE_DIR", str(tmp_path / "autosave"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Documents"))


def test_sun_toggle_follows_the_clock_and_night(window, qtbot, tmp_path):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    panel = window.sun_panel
    view = window.scene_view
    assert not view.sun.enabled  # the default look is not forced
    panel.toggle.setChecked(True)
    assert view.sun.enabled and window.files.document()["sun"] == {"shadows": True}
    assert window.session.dirty
    paris = zone("Europe/Paris")
    window.scene.clock.time = datetime(2025, 7, 1, 9, 0, tzinfo=paris)
    assert "azimut" in panel.summary.text() and "lever" in panel.summary.text()
    assert view.sun.shadow_mask() is not None and view.sun.shadow_mask().any()
    window.scene.clock.time = datetime(2025, 7, 1, 23, 30, tzinfo=paris)
    assert panel.summary.text().startswith("Nuit")
    window.workspace.renders.flush()  # the drawing the event loop would make now
    image = window.plotter.screenshot(None, return_img=True)  # renders at night without error
    assert image.mean() < 200
    panel.go_to_day(date(2025, 12, 21))
    local = window.scene.clock.time.astimezone(paris)
    assert (local.month, local.day, local.hour, local.minute) == (12, 21, 23, 30)
    assert window.scene.clock.start <= window.scene.clock.time
    panel.facades.setChecked(True)
    assert view.sun.shadow_maps or view.sun.note
    panel.facades.setChecked(False)
    assert not view.sun.shadow_maps
    panel.toggle.setChecked(False)
    assert not view.sun.enabled and window.files.document()["sun"] == {"shadows": False}


def test_mark_a_project_and_study_its_sunlight(french, window, qtbot, tmp_path):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    buildings = window.scene.find("Bâtiments")
    window.layer_panel.toggle_proposed(buildings)
    assert is_proposed(buildings) and buildings.style.color == "#e8833a"
    window.layer_panel.toggle_proposed(buildings)
    assert not is_proposed(buildings) and buildings.style.color is None
    tower = next(
        layer for layer in window.scene.layers if is_proposed(layer)
    )  # the sample city's planned tower
    assert not tower.visible
    from desktop.dialogs.sunlight import SunlightDialog

    dialog = SunlightDialog(window, window.scene, window.project, day=date(2025, 6, 21))
    qtbot.addWidget(dialog)
    dialog.resolution.setCurrentIndex(3)  # 2 m, quick
    # the sample city is not written into: the study is proposed in the user's documents, in sight
    assert Path(dialog.folder.text()) == tmp_path / "Documents" / "Maquette" / "ensoleillement"
    dialog.folder.setText(str(tmp_path / "réunion"))  # where the user chooses
    before = len(window.scene.layers)
    task = dialog.compute()
    qtbot.waitUntil(lambda: not task.running and dialog.study_result is not None, timeout=60_000)
    assert len(window.scene.layers) == before + 3
    difference = window.scene.layers[-1]
    assert difference.kind == "sunlight" and difference.is_difference and difference.visible
    (legend,) = window.scene_view.visual(difference).legends()
    assert legend.categorical  # classes a citizen reads at a glance
    assert [label for _, label in legend.entries()] == [
        "2 h de soleil perdues ou plus",
        "1 à 2 h perdues",
        "moins d'1 h perdue",
        "soleil gagné",
    ]
    assert np.nanmin(difference.grid.values) < -1
    assert "m²" in dialog.figures.text() and "1 h" in dialog.figures.text()
    assert dialog.study_result.figures["area_loss_1h_m2"] > dialog.study_result.figures["area_loss_2h_m2"] > 0
    assert {path.name for path in dialog.study_result.files} == {
        f"soleil_{what}_Projet___Tour_des_Peupliers__fictif_2025-06-21.tif"
        for what in ("avant", "apres", "difference")
    }
    assert all(path.parent == tmp_path / "réunion" and path.is_file() for path in dialog.study_result.files)
    assert str(tmp_path / "réunion") in dialog.figures.text()  # the result says where
    assert not list((tmp_path / "réunion").glob(".*"))  # no temporary file left
    assert [layer.name for layer in window.scene.layers[-3:]] == [
        "Soleil le 21 juin, avant le projet",
        "Soleil le 21 juin, avec le projet",
        "Soleil perdu le 21 juin (projet)",
    ]
    assert tower.visible  # the loss is shown beside the tower that causes it


def test_a_dropped_planned_tower_stands_at_its_40_m(window, qtbot, sample_city):
    """The sample's tower file dropped on the city, no option given: its height comes from its
    ``hauteur`` attribute, drawn 40 m tall (not a default-height cube)."""
    from viewer.render import drawn_top_m

    window.open_paths_async([])
    wait_loaded(qtbot, window)
    count = len(window.scene.layers)
    window.files.open_dropped([sample_city / "proposed_tower.geojson"])
    wait_loaded(qtbot, window, count + 1)
    dropped = window.scene.layers[-1]
    assert dropped.source.name == "proposed_tower.geojson" and dropped.visible
    assert drawn_top_m(window.scene_view.visual(dropped)) == pytest.approx(40.0, abs=0.05)


def test_render_draws_the_planned_tower_at_its_40_m(sample_city, tmp_path, capsys):
    import json

    from desktop.cli import main

    out = tmp_path / "projet.png"
    args = [str(sample_city / "buildings.gpkg"), str(sample_city / "proposed_tower.geojson")]
    assert main(["render", *args, "-o", str(out), "--size", "320x240", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    tops = {entry["name"]: entry["top_m"] for entry in stats["layers"]}
    assert tops["proposed_tower"] == pytest.approx(40.0, abs=0.05)
    assert tops["buildings"] == pytest.approx(56.44, abs=0.05)  # the tallest existing building


def test_a_study_folder_that_cannot_be_written_is_said_before_computing(french, window, qtbot, tmp_path):
    from desktop.dialogs.sunlight import SunlightDialog

    window.open_paths_async([])
    wait_loaded(qtbot, window)
    blocker = tmp_path / "pas un dossier"
    blocker.write_text("x")  # a file where the folder should be
    dialog = SunlightDialog(window, window.scene, window.project, day=date(2025, 6, 21))
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(blocker / "études"))
    before = len(window.scene.layers)
    task = dialog.compute()
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)
    assert dialog.figures.text().startswith("⚠ ") and str(blocker) in dialog.figures.text()
    assert len(window.scene.layers) == before and dialog.study_result is None
