"""Mediation: views, a 5-step story presented with a clicker, comments that survive a crash."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from layers.session.comments import Comment

from .conftest import shown, wait_loaded

HERE = Path(__file__).parent


pytestmark = pytest.mark.usefixtures("private_autosave")


def test_views_are_added_renamed_reordered_and_saved(window, qtbot, city_copy):
    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    panel, session = window.views_panel, window.session
    before = len(session.views)
    panel.capture_requested.emit()
    assert len(session.views) == before + 1 and panel.list.count() == before + 1
    panel.rename(before, "Depuis la passerelle")
    panel.move_row(before, -before)  # to the top
    assert session.views[0].name == "Depuis la passerelle"
    assert panel.list.item(0).text() == "Depuis la passerelle"
    assert window.files.save_to(city_copy)
    saved = json.loads(city_copy.read_text(encoding="utf-8"))
    assert saved["views"][0]["name"] == "Depuis la passerelle"
    assert window.views_menu.actions()[0].text() == "Depuis la passerelle"


def test_five_step_story_presented_with_a_clicker(window, qtbot, city_copy):
    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    story, session = window.story_panel, window.session
    while len(session.steps):
        story.list.setCurrentRow(0)
        story.delete_current()
    assert story.list.count() == 0
    noise = next(layer for layer in window.scene.layers if layer.kind == "noise")
    views = session.views
    for i in range(5):
        noise.visible = i % 2 == 1
        window.scene.clock.time = window.scene.clock.start.replace(hour=6 + 3 * i)
        window.camera.go_to_view(views[i % len(views)], animate=False)
        story.capture_requested.emit(-1)
        story.title_edit.setText(f"Étape {i + 1}")
        story.title_edit.editingFinished.emit()
    assert [s.title for s in session.steps] == [f"Étape {i}" for i in range(1, 6)]
    assert story.list.item(4).text() == "5. Étape 5"
    assert session.steps[1].visible and noise.project_id in session.steps[1].visible

    noise.visible = True  # the working view the mediator leaves for the presentation
    window.scene.clock.time = window.scene.clock.start.replace(hour=7)
    working_opacity = noise.opacity
    window.mediation.start_presentation(0)
    qtbot.waitUntil(window.isFullScreen, timeout=5000)
    assert not window.menuBar().isVisible() and not window.layers_dock.isVisible()
    presentation = window.mediation.presentation
    for expected in range(1, 5):
        qtbot.keyClick(window.plotter, Qt.Key.Key_PageDown)
        assert presentation.index == expected
    qtbot.wait(900)  # let the flight and the fades finish
    assert window.scene_view.caption.title_text == "Étape 5"
    assert noise.visible is False  # step 5 (index 4) was captured with the noise map hidden
    assert window.scene.clock.time.hour == 18
    qtbot.keyClick(window.plotter, Qt.Key.Key_PageUp)
    assert presentation.index == 3
    qtbot.wait(900)
    # the flight over (a loaded machine draws its frames more slowly): step 4's view is reached
    qtbot.waitUntil(lambda: not presentation.camera.flying, timeout=10_000)
    assert noise.visible is True
    assert noise.opacity == pytest.approx(session.steps[3].opacity.get(noise.project_id, 1.0))
    qtbot.keyClick(window.plotter, Qt.Key.Key_B)
    assert presentation.is_blank
    qtbot.keyClick(presentation.blank, Qt.Key.Key_B)
    assert not presentation.is_blank
    # a click on the model during the presentation shows no dock to the audience
    from PySide6.QtCore import QPoint

    centre = QPoint(window.plotter.width() // 2, window.plotter.height() // 2)
    assert window.picking.pick_at(centre) is not None
    assert not window.inspector_dock.isVisible() and not window.layers_dock.isVisible()
    # Ctrl+B is the window's swipe, not a clicker's "blank": the projector must not go black
    qtbot.keyClick(window.plotter, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not presentation.is_blank and presentation.index == 3
    qtbot.keyClick(window.plotter, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert presentation.index == 3
    qtbot.keyClick(window.plotter, Qt.Key.Key_Escape)
    assert not presentation.active
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=5000)
    assert window.menuBar().isVisible()
    assert window.scene_view.caption.title_text == ""
    # back to the working view as it was left, not the last step shown
    assert noise.visible is True and noise.opacity == working_opacity
    assert window.scene.clock.time.hour == 7


def test_comments_views_and_story_survive_a_crash(window, qtbot, city_copy, tmp_path):
    before = json.loads(city_copy.read_text(encoding="utf-8"))
    env = dict(os.environ)
    # the child imports this checkout, not whichever copy of the packages is installed
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parents[1]), env.get("PYTHONPATH")]))
    child = subprocess.run(
        [sys.executable, str(HERE / "crash_session.py"), str(city_copy)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert child.returncode == -9, child.stderr[-2000:]
    views, steps = len(before["views"]) + 1, len(before["story"])  # one step added, one deleted
    assert f"comments: 1 views: {views} steps: {steps}" in child.stdout
    assert json.loads(city_copy.read_text(encoding="utf-8")) == before  # the project itself untouched
    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    session = window.session
    assert [v.name for v in session.views][-1] == "Vue du public" and len(session.views) == views
    assert window.views_panel.list.count() == views
    titles = [step.title for step in session.steps]
    assert titles == [s["title"] for s in before["story"][1:]] + ["Question des riverains"]
    assert len(session.comments) == 1
    comment = session.comments[0]
    assert comment.category == "question" and comment.group == "riverains"
    assert "vélos" in comment.text
    assert window.comments_panel.list.count() == 1
    assert len(window.mediation.comment_markers.ids) == 1
    assert session.dirty and " * " in window.windowTitle()  # recovered work still needs saving
    box = shown(window)  # and says so
    assert box is not None and box.isVisible()
    box.close()


def test_comments_export_for_the_planners(window, qtbot, city_copy, tmp_path):
    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    mediation = window.mediation
    mediation.add_comment(
        Comment("idea", "Des arbres sur le quai", 351_900.0, 6_789_200.0, group="commerçants")
    )
    mediation.add_comment(Comment("concern", "Le bruit la nuit", 352_000.0, 6_789_250.0))
    assert window.comments_panel.list.count() == 2
    geojson = mediation.export_comments_to(tmp_path / "commentaires.geojson")
    data = json.loads(geojson.read_text(encoding="utf-8"))
    assert len(data["features"]) == 2 and data["features"][0]["properties"]["crs"] == "EPSG:2154"
    csv_path = mediation.export_comments_to(tmp_path / "commentaires.csv", csv=True)
    assert "Des arbres sur le quai" in csv_path.read_text(encoding="utf-8-sig")


def test_before_after_swipe_and_switch(window, qtbot, tiny_city, tmp_path):
    proposed = tmp_path / "projet.geojson"
    shutil.copy(tiny_city / "buildings.geojson", proposed)
    window.open_paths_async([tiny_city / "buildings.geojson", proposed])
    wait_loaded(qtbot, window, 2)
    existing_layer, proposed_layer = window.scene.layers
    window.mediation.toggle_swipe()
    swipe = window.scene_view.swipe
    assert swipe.active and swipe.before == [existing_layer] and swipe.after == [proposed_layer]
    # the project covers every building: the existing ones on the left only, nothing copied right
    assert swipe.split == [existing_layer] and swipe.after_copies == []
    window.plotter.render()
    mapper = window.scene_view.visual(proposed_layer).actors[0].GetMapper()
    assert mapper.GetClippingPlanes().GetNumberOfItems() == 1
    existing_mapper = window.scene_view.visual(existing_layer).actors[0].GetMapper()
    assert existing_mapper.GetClippingPlanes().GetNumberOfItems() == 1
    window.mediation.toggle_swipe()
    assert not swipe.active and mapper.GetClippingPlanes().GetNumberOfItems() == 0
    assert existing_mapper.GetClippingPlanes().GetNumberOfItems() == 0
    window.mediation.switch_before_after()
    assert proposed_layer.visible is False and existing_layer.visible is True
    window.mediation.switch_before_after()
    assert proposed_layer.visible is True


def test_the_swipe_shows_the_whole_city_on_both_sides(window, qtbot, city_copy):
    """The sample city and its planned tower: the "after" side shows the existing city with the
    tower (less the buildings it replaces), not the tower alone on empty ground."""
    import numpy as np

    from layers.buildings.planned import is_proposed, replaced_rows

    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    view = window.scene_view
    tower = next(layer for layer in window.scene.layers if is_proposed(layer))
    city = next(layer for layer in window.scene.layers if layer.kind == "buildings" and layer is not tower)
    assert len(replaced_rows(city, tower)) == 0  # the tower stands on open ground, 8 m from the nearest
    window.camera.go_to_view(window.session.views[0], animate=False)
    window.plotter.render()
    whole = window.plotter.screenshot(return_img=True).astype(float)

    window.mediation.toggle_swipe()
    swipe = view.swipe
    assert swipe.active and swipe.split == [] and swipe.after == [tower]
    tiles = view.visual(city).tiles
    assert all(planes(actor) == 0 for actor, _ in tiles)
    window.plotter.render()
    split = window.plotter.screenshot(return_img=True).astype(float)
    height, width = whole.shape[:2]
    right = slice(width // 2 + 12, width)  # past the divider
    # the right half is the city with the project: nearly the same picture as without the swipe
    assert np.abs(split[:, right] - whole[:, right]).mean() < 4.0
    window.mediation.toggle_swipe()
    assert not swipe.active and not swipe.after_copies
    assert all(planes(actor) == 0 for actor, _ in tiles)


def planes(actor) -> int:
    """How many clipping planes cut ``actor``."""
    collection = actor.GetMapper().GetClippingPlanes()
    return 0 if collection is None else collection.GetNumberOfItems()
