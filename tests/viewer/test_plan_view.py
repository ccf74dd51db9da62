"""The planned project in the 3D view: roofs drawn, edits followed at once, shadows incremental,
demolished buildings gone from the picture and the shadows."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import numpy as np
import pytest

from layers.core.timeutil import zone
from layers.plan import edits
from layers.plan.model import BuildingRef, Plan
from layers.plan.roofs import ridge_height_m
from layers.plan.scene import existing_buildings, layer_key, show_plan
from layers.session.opening import open_paths
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.visuals.buildings import BuildingsVisual
from viewer.visuals.plan import PlanVisual

PARIS = zone("Europe/Paris")
#: east of the tiny city's 6 × 6 blocks (x 351,500 … 351,840), in the open
X, Y = 351_870.0, 6_789_100.0
SITE = [(X, Y), (X + 30.0, Y), (X + 30.0, Y + 14.0), (X, Y + 14.0)]
MORNING = datetime(2025, 6, 21, 10, 0, tzinfo=PARIS)


@pytest.fixture
def view(tiny_city):
    session = open_paths([tiny_city / "buildings.geojson"])
    plotter = make_plotter((480, 320))
    scene_view = SceneView(plotter, session.scene, auto_render=False)
    clock = session.scene.clock
    clock.set_range(datetime(2025, 6, 21, tzinfo=PARIS), datetime(2025, 6, 22, tzinfo=PARIS))
    yield scene_view
    scene_view.close()
    plotter.close()


def shot(view) -> np.ndarray:
    view.plotter.render()
    return view.plotter.screenshot(None, return_img=True).astype(int)


def planned(view, roof: str = "flat", storeys: int = 6) -> tuple[Plan, str]:
    plan, ident = edits.add_building(Plan(crs="EPSG:2154"), SITE)
    plan = edits.set_storeys(plan, ident, storeys)
    if roof != "flat":
        plan = edits.set_roof(plan, ident, roof)
    show_plan(view.scene, plan)
    return plan, ident


def look_at_site(view) -> None:
    view.go_to(view.default_view((351_850.0, 6_789_080.0, 351_920.0, 6_789_134.0)))


def plan_visual(view) -> PlanVisual:
    found = [v for v in view.visuals.values() if isinstance(v, PlanVisual)]
    assert len(found) == 1
    return found[0]


def test_the_plan_is_drawn_with_its_roof_in_orange_without_a_legend(view):
    plan, ident = planned(view)
    look_at_site(view)
    visual = plan_visual(view)
    assert visual.legends() == []
    flat = shot(view)
    orange = (np.abs(flat - [232, 131, 58]).sum(axis=2) < 90).sum()
    assert orange > 500  # the planned building, in the project's orange
    flat_triangles = visual.triangle_count()
    show_plan(view.scene, edits.set_roof(plan, ident, "gable"))  # the view follows the edit
    visual = plan_visual(view)
    assert visual.triangle_count() > flat_triangles
    gable = shot(view)
    changed = np.abs(gable - flat).sum(axis=2) > 30
    assert changed.sum() > 300  # a roof rose over the flat top
    # picking the roof gives the building
    centre = np.mean(SITE, axis=0)
    top = ridge_height_m(view.scene.layers[-1].building_at_row(0))
    display, _ = view.project(view.to_local(np.array([[*centre, top - 0.3]])))
    pick = view.pick(float(display[0, 0]), float(display[0, 1]))
    assert pick is not None and pick.visual is visual and visual.building_id(pick.index) == ident


def test_selection_is_drawn_over_the_building_and_kept_when_it_is_edited(view):
    plan, ident = planned(view)
    look_at_site(view)
    visual = plan_visual(view)
    before = shot(view)
    visual.select([ident, "nobody"])
    assert visual.selected_rows().tolist() == [0]
    selected = shot(view)
    assert (np.abs(selected - before).sum(axis=2) > 30).sum() > 300
    show_plan(view.scene, edits.set_storeys(plan, ident, 9))
    assert plan_visual(view).selected == {ident, "nobody"} and len(visual._selection_actors) == 2
    visual.select([])
    assert visual._selection_actors == []


def test_a_height_change_redraws_the_plan_and_its_shadow_the_city_table_kept(view):
    plan, ident = planned(view, storeys=4)
    look_at_site(view)
    view.set_sun(True)
    view.scene.clock.time = MORNING
    city, project = view.sun.caster_tables()
    low_mask = view.sun.shadow_mask().copy()
    low = shot(view)
    show_plan(view.scene, edits.set_storeys(plan, ident, 12))  # no clock move: the edit alone
    tables = view.sun.caster_tables()
    assert tables[0] is city and tables[1] is not project  # the city's prisms were not read again
    assert tables[1].table.height_m.max() == pytest.approx(36.0)
    high_mask = view.sun.shadow_mask()
    assert high_mask.shape == low_mask.shape and high_mask.sum() > low_mask.sum() * 1.02
    assert (high_mask & ~low_mask).any()
    # the shadow is what a full recomputation gives
    exact = np.zeros(view.sun.shadow_grid.shape, bool)
    sun = (view.sun.site, view.sun.state.position)  # one sun for the scene, at the light's site
    for caster in tables:
        offset, lit = caster.offsets(MORNING, sun)
        exact |= caster.table.shade(offset, view.sun.shadow_grid, lit)
    assert np.array_equal(high_mask, exact)
    assert (np.abs(shot(view) - low).sum(axis=2) > 30).sum() > 300


def test_a_gable_roof_lengthens_the_shadow(view):
    plan, ident = planned(view, storeys=4)
    look_at_site(view)
    view.set_sun(True)
    view.scene.clock.time = datetime(2025, 6, 21, 18, 0, tzinfo=PARIS)
    flat = view.sun.shadow_mask().sum()
    show_plan(view.scene, edits.set_roof(plan, ident, "gable"))
    assert view.sun.shadow_mask().sum() > flat


def test_a_demolished_building_leaves_the_picture_and_the_shadows(view):
    existing = existing_buildings(view.scene)[0]
    view.go_to(view.default_view(existing.feature_bounds(0)))
    view.set_sun(True)
    view.scene.clock.time = MORNING
    buildings = next(v for v in view.visuals.values() if type(v) is BuildingsVisual)
    triangles = buildings.triangle_count()
    parts, shaded = view.sun.caster_count, view.sun.shadow_mask().sum()
    standing = shot(view)
    feature = int(existing.feature_indexes()[0])
    plan = edits.set_demolished(Plan(crs="EPSG:2154"), [BuildingRef(layer_key(existing), feature)])
    show_plan(view.scene, plan)
    buildings = next(v for v in view.visuals.values() if type(v) is BuildingsVisual)
    assert buildings.triangle_count() < triangles
    assert view.sun.caster_count == parts - 1 and view.sun.shadow_mask().sum() < shaded
    gone = shot(view)
    assert (np.abs(gone - standing).sum(axis=2) > 30).sum() > 1000
    show_plan(view.scene, replace(plan, variants=(replace(plan.variant, demolished=()),)))
    assert view.sun.caster_count == parts
    assert np.abs(shot(view) - standing).max() < 40  # standing again
