"""The issue's scene, end to end in the French window: a footprint drawn with the mouse, raised to
8 storeys, variant B at 6 storeys, undone and redone from the Edit menu, the figures read, and the
presentation showing the variant, its shadow and its figures."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from layers.plan.scene import plan_layer

from .test_plan_panel import digits
from .test_plan_tools import RECTANGLE, city, draw, only_building, sides  # noqa: F401 - the drawing

pytestmark = pytest.mark.usefixtures("private_autosave", "french")


def figures(window) -> dict[str, str]:
    return dict(window.plan_panel.figure_rows)


def test_draw_raise_make_variant_b_undo_redo_and_present(city, qtbot, tmp_path):  # noqa: F811 - the fixture
    window, session, panel = city, city.session, city.plan_panel
    window.planning.new_plan()
    draw(window, RECTANGLE)
    building = only_building(window)
    assert sides(building) == pytest.approx([12.0, 12.0, 20.0, 20.0], abs=0.06)
    panel.set_selected([building.id])
    panel.storeys_spin.setValue(8)
    assert session.plan.variant.building(building.id).height_m == 24.0
    assert plan_layer(window.scene).height_m.tolist() == [24.0]  # the view's plan follows
    qtbot.waitUntil(lambda: figures(window).get("Niveaux") == "8", timeout=60_000)
    area_a = float(digits(figures(window)["Surface de plancher"]).replace(",", "."))
    assert area_a == pytest.approx(building.footprint_area_m2 * 8, abs=1.0)
    assert "Sol privé de ≥ 1 h de soleil" in figures(window)

    panel.new_variant("B")
    panel.storeys_spin.setValue(6)
    assert [v.name for v in session.plan.variants] == ["A", "B"] and session.plan.variant.name == "B"
    qtbot.waitUntil(lambda: figures(window).get("Niveaux") == "6", timeout=60_000)
    loss_b = figures(window)["Sol privé de ≥ 1 h de soleil"]

    assert window.undo_action.isEnabled() and window.undo_action.text().startswith("Annuler")
    window.undo_action.trigger()  # B back to 8 storeys
    assert session.plan.variant.building(building.id).storeys == 8
    window.redo_action.trigger()
    assert session.plan.variant.building(building.id).storeys == 6
    assert session.plan.variants[0].building(building.id).storeys == 8  # A kept its own
    qtbot.waitUntil(lambda: figures(window).get("Niveaux") == "6", timeout=60_000)
    assert figures(window)["Sol privé de ≥ 1 h de soleil"] == loss_b

    table = panel.open_variants_table()
    qtbot.waitUntil(lambda: table.model.columnCount() == 2, timeout=60_000)
    model = table.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)] == ["A", "B"]
    assert model.values[model.labels.index("Niveaux")] == ["8", "6"]
    floors = [
        float(digits(v).replace(",", ".")) for v in model.values[model.labels.index("Surface de plancher")]
    ]
    assert floors == pytest.approx([area_a, area_a * 6 / 8], abs=1.0)
    table.close()

    window.mediation.capture_step(-1)
    window.mediation.start_presentation(len(session.steps) - 1)
    caption = window.scene_view.caption
    qtbot.waitUntil(lambda: caption.figures_text.startswith("Variante B"), timeout=60_000)
    assert "Niveaux : 6" in caption.figures_text
    window.scene_view.sun.enable(True)
    window.plotter.render()
    picture = window.plotter.screenshot(tmp_path / "presentation.png", return_img=True)
    assert picture is not None and np.asarray(picture).std() > 10
    window.mediation.presentation.stop()
