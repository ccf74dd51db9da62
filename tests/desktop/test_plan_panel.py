"""The plan panel: the height slider (one undo step per drag), typed values, variants, the figures
block, the variants side by side; in French."""

from __future__ import annotations

import csv

import pytest
from pyproj import CRS
from PySide6.QtCore import Qt

from layers.plan import edits
from layers.session.plan_commands import EditPlan

pytestmark = pytest.mark.usefixtures("private_autosave", "french")


BOX = [(351_000.0, 6_789_000.0), (351_020.0, 6_789_000.0), (351_020.0, 6_789_012.0), (351_000.0, 6_789_012.0)]


def with_a_block(window, storeys: int = 8) -> str:
    """The window's session with a planned 20 × 12 m block of ``storeys`` storeys, selected."""
    window.scene.crs = CRS.from_epsg(2154)
    window.plan_panel.start_project()
    plan, ident = edits.add_building(window.session.plan, BOX, storeys=storeys)
    window.session.execute(EditPlan(plan, "draw"))
    window.plan_panel.set_selected([ident])
    return ident


def wait_figures(qtbot, window) -> None:
    qtbot.waitUntil(
        lambda: not window.plan_figures.busy and bool(window.plan_panel.figure_rows), timeout=30_000
    )


def digits(text: str) -> str:
    """The digits and decimal comma of a figure ("1 920 m²" → "1920")."""
    return "".join(c for c in text.split(" m")[0] if c in "0123456789,")


def test_start_a_project_in_the_scene_crs(window):
    panel = window.plan_panel
    assert window.session.plan is None and panel.start_button.isVisibleTo(panel)
    window.scene.crs = CRS.from_epsg(2154)
    panel.start_button.click()
    assert window.session.plan is not None and window.session.plan.crs == "EPSG:2154"
    assert not panel.start_button.isVisibleTo(panel) and panel.no_selection.isVisibleTo(panel)
    assert panel.dock is not None and panel.dock.windowTitle() == "Projet"


def test_a_slider_drag_is_one_undo_step_and_the_figures_follow_the_release(window, qtbot):
    ident = with_a_block(window)
    panel, session = window.plan_panel, window.session
    assert panel.building_box.isVisibleTo(panel)
    assert panel.height_spin.value() == 24.0 and panel.storeys_spin.value() == 8
    wait_figures(qtbot, window)
    assert dict(panel.figure_rows)["Niveaux"] == "8"
    assert digits(dict(panel.figure_rows)["Surface de plancher"]) == "1920"

    slider = panel.height_slider
    assert session.history.undo_label == "draw"
    slider.setSliderDown(True)  # pressed: a drag begins
    for metres in (25.0, 30.0, 36.5, 18.0):
        slider.setValue(int(metres / 0.5))
        # the plan (and so the view's plan layer) follows every step of the drag
        assert session.plan.variant.building(ident).height_m == metres
    assert not window.plan_figures.busy  # nothing computed during the drag
    slider.setSliderDown(False)  # released
    assert panel.height_spin.value() == 18.0 and panel.storeys_spin.value() == 6
    qtbot.waitUntil(lambda: dict(panel.figure_rows).get("Niveaux") == "6", timeout=30_000)

    session.undo()  # the whole drag at once
    assert session.plan.variant.building(ident).height_m == 24.0
    assert session.history.undo_label == "draw"
    assert panel.height_spin.value() == 24.0 and panel.height_slider.value() == 48
    session.redo()
    assert session.plan.variant.building(ident).height_m == 18.0


def test_typed_values_storeys_and_roof_are_edits(window):
    ident = with_a_block(window)
    panel, session = window.plan_panel, window.session
    panel.height_spin.setValue(31.0)
    assert session.plan.variant.building(ident).height_m == 31.0
    panel.storeys_spin.setValue(5)
    assert session.plan.variant.building(ident).height_m == 15.0
    panel.storey_height_spin.setValue(3.5)
    building = session.plan.variant.building(ident)
    assert (building.storeys, building.storey_height_m, building.height_m) == (5, 3.5, 17.5)
    assert not panel.pitch_spin.isEnabled()
    panel.roof_combo.setCurrentIndex(panel.roof_combo.findData("hip"))
    assert session.plan.variant.building(ident).roof == "hip" and panel.pitch_spin.isEnabled()
    panel.pitch_spin.setValue(40)
    assert session.plan.variant.building(ident).roof_pitch_deg == 40.0
    assert [panel.roof_combo.itemText(i) for i in range(3)] == ["Plat", "Deux pans", "Quatre pans"]
    for _ in range(5):
        session.undo()
    assert session.plan.variant.building(ident).height_m == 24.0


def test_variants_new_rename_switch_delete_and_side_by_side(window, qtbot, tmp_path):
    ident = with_a_block(window)
    panel, session = window.plan_panel, window.session
    panel.new_button.click()
    plan = session.plan
    assert [v.name for v in plan.variants] == ["A", "B"] and plan.variant.name == "B"
    assert [panel.variant_list.item(i).text() for i in range(2)] == ["A", "B"]
    assert panel.variant_list.currentRow() == 1
    panel.storeys_spin.setValue(6)  # B: 6 storeys, A keeps 8
    assert [v.building(ident).storeys for v in session.plan.variants] == [8, 6]
    panel.rename_variant("B, en retrait")
    assert session.plan.variant.name == "B, en retrait"
    panel.switch_variant(0)
    assert session.plan.variant.name == "A" and panel.storeys_spin.value() == 8

    dialog = panel.open_variants_table()
    qtbot.waitUntil(lambda: dialog.model.columnCount() == 2, timeout=30_000)
    model = dialog.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)] == ["A", "B, en retrait"]
    levels = model.labels.index("Niveaux")
    assert model.values[levels] == ["8", "6"]
    floor = model.labels.index("Surface de plancher")
    assert [digits(v) for v in model.values[floor]] == ["1920", "1440"]
    assert model.as_text().splitlines()[0] == "\tA\tB, en retrait"
    written = dialog.save_csv(tmp_path / "variantes.csv")
    rows = {row[0]: row for row in csv.reader(written.open(encoding="utf-8"))}
    assert rows["figure"][3:] == ["A", "B, en retrait"] and rows["storeys_max"][3:] == ["8", "6"]
    dialog.close()

    panel.switch_variant(1)
    panel.delete_button.click()
    assert [v.name for v in session.plan.variants] == ["A"] and not panel.delete_button.isEnabled()
    session.undo()
    assert [v.name for v in session.plan.variants] == ["A", "B, en retrait"]


def test_the_study_day_is_the_plans(window, qtbot):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import QDate

    with_a_block(window)
    panel = window.plan_panel
    assert window.session.plan.day is None
    # without a day of its own, the plan's figures follow the clock's day
    window.scene.clock.time = datetime(2026, 3, 20, 12, tzinfo=ZoneInfo("Europe/Paris"))
    wait_figures(qtbot, window)
    qtbot.waitUntil(lambda: window.plan_figures.latest.day == date(2026, 3, 20), timeout=30_000)
    assert panel.day_edit.date() == QDate(2026, 3, 20)
    panel.day_edit.setDate(QDate(2026, 12, 21))
    assert window.session.plan.day == date(2026, 12, 21)
    wait_figures(qtbot, window)
    assert window.plan_figures.latest.day == date(2026, 12, 21)


def test_newest_request_wins(window, qtbot):
    """Edits in a row while figures are computed: the figures shown at the end are the last edit's."""
    ident = with_a_block(window)
    panel = window.plan_panel
    for storeys in (3, 9, 4, 7):
        panel.storeys_spin.setValue(storeys)
        qtbot.wait(60)
    qtbot.waitUntil(lambda: not window.plan_figures.busy, timeout=30_000)
    assert window.plan_figures.latest.storeys_max == 7 == window.session.plan.variant.building(ident).storeys
    assert dict(panel.figure_rows)["Niveaux"] == "7"


def test_story_steps_show_their_variant_with_its_figures_in_the_caption_and_exports(
    window, qtbot, city_copy, tmp_path
):
    from layers.plan.scene import show_plan
    from viewer.overlay_layout import overlaps

    from .conftest import wait_loaded

    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    session, panel = window.session, window.plan_panel
    # the session's plan drawn in the scene (what the planning tools' controller does)
    session.plan_changed.connect(lambda _ids: show_plan(window.scene, session.plan, "fr"))
    x0, y0, x1, y1 = window.scene.focus_bounds()
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    corners = [(cx, cy), (cx + 24, cy), (cx + 24, cy + 16), (cx, cy + 16)]
    panel.start_project()
    plan, ident = edits.add_building(session.plan, corners, storeys=8)
    session.execute(EditPlan(plan, "draw"))
    panel.set_selected([ident])
    window.mediation.capture_step(-1)
    panel.new_variant()
    panel.storeys_spin.setValue(6)
    window.mediation.capture_step(-1)
    steps = session.steps
    assert [s.variant for s in steps[-2:]] == ["A", "B"]
    assert panel.window().story_panel.list.item(len(steps) - 1).text().endswith("(variante B)")
    assert steps[-1].to_dict()["variant"] == "B"

    presentation = window.mediation.presentation
    window.mediation.start_presentation(len(steps) - 2)
    caption = window.scene_view.caption
    assert session.plan.variant.name == "A"
    qtbot.waitUntil(lambda: caption.figures_text.startswith("Variante A"), timeout=30_000)
    assert "Niveaux : 8" in caption.figures_text
    presentation.next()
    assert session.plan.variant.name == "B"
    qtbot.waitUntil(lambda: caption.figures_text.startswith("Variante B"), timeout=30_000)
    assert "Niveaux : 6" in caption.figures_text
    window.plotter.render()
    assert not overlaps(window.scene_view.overlay_rects())
    x, y, w, h = caption.rect
    width, height = window.scene_view.frame_size()
    assert 0 <= x and x + w <= width and 0 <= y and y + h <= height  # all of it on screen
    presentation.stop()
    assert caption.figures_text == "" and session.plan.variant.name == "B"

    # Export › Planned project: the variant shown (B) as footprints, in 3D; the figures of both
    import geopandas as gpd

    exports = window.exports
    for name, wgs84 in (("b.gpkg", False), ("b.geojson", True)):
        task = exports.export_plan_footprints(tmp_path / name, wgs84=wgs84)
        qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30_000)
        assert task is not None
        frame = gpd.read_file(tmp_path / name)
        assert list(frame["storeys"]) == [6] and list(frame["height_m"]) == [18.0]
        assert frame.crs.to_epsg() == (4326 if wgs84 else window.scene.crs.to_epsg())
    exports.export_plan_figures(tmp_path / "variantes.csv")
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=60_000)
    rows = {row[0]: row for row in csv.reader((tmp_path / "variantes.csv").open(encoding="utf-8"))}
    assert rows["figure"][3:] == ["A", "B"] and rows["storeys_max"][3:] == ["8", "6"]
    # swipe: A on the left (a layer of its own while swiping), B (shown) on the right
    from layers.plan.layer import PlanLayer
    from layers.plan.scene import plan_layer

    swipe = window.scene_view.swipe
    count = len(window.scene.layers)
    panel.swipe_button.click()
    assert swipe.active and swipe.after == [plan_layer(window.scene)]
    (left,) = swipe.left
    assert isinstance(left, PlanLayer) and left.variant.name == "A" and left in window.scene.layers
    assert session.plan.variant.name == "B" and len(window.scene.layers) == count + 1
    window.mediation.toggle_swipe()
    assert not swipe.active and left not in window.scene.layers and len(window.scene.layers) == count

    import importlib.util

    if importlib.util.find_spec("viewer.visuals.plan") is None:
        pytest.skip("the view redraws the plan after an edit with its own visual (viewer/visuals/plan.py)")
    assert exports.export_plan_model(tmp_path / "b.glb") is not None
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=60_000)
    assert (tmp_path / "b.glb").read_bytes()[:4] == b"glTF"
