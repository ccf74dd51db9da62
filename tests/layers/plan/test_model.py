"""The plan as data: buildings, variants, edits, the document, the session's undo."""

import json

import numpy as np
import pytest
import shapely
from pyproj import CRS

from layers.core.errors import InputError
from layers.core.scene import Scene
from layers.plan import edits
from layers.plan.layer import PlanLayer
from layers.plan.model import BuildingRef, Plan
from layers.plan.scene import plan_layer, show_plan
from layers.session.model import SessionModel
from layers.session.plan_commands import EditPlan

L93 = CRS.from_epsg(2154)
BOX = [(351_000.0, 6_789_000.0), (351_020.0, 6_789_000.0), (351_020.0, 6_789_012.0), (351_000.0, 6_789_012.0)]


def test_a_building_drawn_raised_and_copied_into_variant_b():
    plan, ident = edits.add_building(Plan(crs="EPSG:2154"), BOX)
    plan = edits.set_storeys(plan, ident, 8)
    building = plan.variant.building(ident)
    assert building is not None
    assert building.height_m == 24.0 and building.storeys == 8
    assert building.floor_area_m2 == pytest.approx(20 * 12 * 8)
    np.testing.assert_allclose(sorted(building.edge_lengths_m()), [12, 12, 20, 20])
    plan = edits.add_variant(plan, "B", copy_of=0)
    assert plan.variant.name == "B" and plan.active == 1
    plan = edits.set_storeys(plan, ident, 6)
    assert [v.building(ident).storeys for v in plan.variants] == [8, 6]  # type: ignore[union-attr]


def test_moves_turns_scales_and_duplicates_keep_the_shape():
    plan, ident = edits.add_building(Plan(), BOX)
    area = plan.variant.building(ident).footprint_area_m2  # type: ignore[union-attr]
    moved = edits.move_building(plan, ident, 5.0, -3.0).variant.building(ident)
    assert moved.polygon.equals(shapely.affinity.translate(shapely.Polygon(BOX), 5, -3))  # type: ignore[union-attr]
    turned = edits.rotate_building(plan, ident, 90).variant.building(ident)
    assert turned.footprint_area_m2 == pytest.approx(area)  # type: ignore[union-attr]
    assert sorted(turned.edge_lengths_m()) == pytest.approx([12, 12, 20, 20])  # type: ignore[union-attr]
    assert edits.scale_building(plan, ident, 2.0).variant.building(ident).footprint_area_m2 == pytest.approx(
        4 * area
    )  # type: ignore[union-attr]
    copied, copy_id = edits.duplicate_building(plan, ident)
    assert copy_id != ident and len(copied.variant.buildings) == 2
    assert shapely.Polygon(copied.variant.building(copy_id).footprint).exterior.is_ccw  # type: ignore[union-attr]


def test_a_footprint_that_crosses_itself_is_refused_with_its_place():
    with pytest.raises(InputError, match="simple polygon"):
        edits.add_building(Plan(), [(0, 0), (10, 10), (10, 0), (0, 10)])


def test_the_plan_survives_the_project_document():
    plan, ident = edits.add_building(Plan(crs="EPSG:2154"), BOX)
    plan = edits.set_roof(plan, ident, "gable", 40)
    plan = edits.set_demolished(plan, [BuildingRef("Bâtiments", 12)])
    plan = edits.add_variant(plan, "B", copy_of=0)
    text = json.dumps(plan.to_dict())
    again = Plan.from_dict(json.loads(text))
    assert again == plan and again.variant.name == "B"
    assert again.variants[0].demolished == (BuildingRef("Bâtiments", 12),)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda d: d["variants"][0]["buildings"][0].update(height_m=-3),
            "plan.variants[0].buildings[0].height_m",
        ),
        (
            lambda d: d["variants"][0]["buildings"][0].update(roof="dome"),
            "plan.variants[0].buildings[0].roof",
        ),
        (
            lambda d: d["variants"][0]["buildings"][0].update(footprint=[[0, 0], [1, 1]]),
            "plan.variants[0].buildings[0].footprint",
        ),
        (lambda d: d.update(active="Z"), "plan.active"),
        (lambda d: d["variants"].append(dict(d["variants"][0])), "plan.variants"),
    ],
)
def test_a_damaged_plan_is_refused_naming_the_value(change, field):
    plan, _ = edits.add_building(Plan(), BOX)
    data = json.loads(json.dumps(plan.to_dict()))
    change(data)
    with pytest.raises(InputError) as caught:
        Plan.from_dict(data)
    assert caught.value.field == field


def test_every_edit_is_one_undo_step_and_a_slider_drag_is_one():
    session = SessionModel()
    plan, ident = edits.add_building(Plan(crs="EPSG:2154"), BOX)
    session.execute(EditPlan(plan, "draw"))
    for height in (12.0, 15.0, 18.0, 24.0):
        session.execute(EditPlan(edits.set_height(session.plan, ident, height), "height", ("height", ident)))  # type: ignore[arg-type]
    session.execute(EditPlan(edits.add_variant(session.plan, "B", copy_of=0), "variant"))  # type: ignore[arg-type]
    assert session.plan.variant.name == "B"  # type: ignore[union-attr]
    session.undo()
    assert session.plan.variant.building(ident).height_m == 24.0  # type: ignore[union-attr]
    session.undo()
    assert session.plan.variant.building(ident).height_m == 9.0  # type: ignore[union-attr]
    session.undo()
    assert session.plan is None
    session.redo(), session.redo(), session.redo()
    assert [v.name for v in session.plan.variants] == ["A", "B"]  # type: ignore[union-attr]


def test_the_scene_shows_the_active_variant_and_its_demolitions():
    import geopandas as gpd

    from layers.buildings.layer import BuildingsLayer

    existing = BuildingsLayer(
        "Bâtiments",
        gpd.GeoDataFrame(
            {"feature_index": [0, 1]},
            geometry=[
                shapely.box(351_000, 6_789_000, 351_010, 6_789_010),
                shapely.box(351_100, 6_789_000, 351_110, 6_789_010),
            ],
            crs=L93,
        ),
        np.array([10.0, 12.0]),
    )
    scene = Scene()
    scene.add(existing)
    plan, ident = edits.add_building(Plan(crs="EPSG:2154"), BOX)
    plan = edits.set_demolished(plan, [BuildingRef("Bâtiments", 1)])
    layer = show_plan(scene, plan, "fr")
    assert isinstance(layer, PlanLayer) and layer.name == "Projet" and plan_layer(scene) is layer
    assert existing.standing().tolist() == [True, False]
    assert len(existing.shadow_prisms()[0]) == 1
    revisions = layer.revision
    changed: list = []
    layer.geometry_changed.connect(changed.append)
    show_plan(scene, edits.set_storeys(plan, ident, 8))
    assert (
        layer.height_m.tolist() == [24.0]
        and layer.revision == revisions + 1
        and changed == [frozenset({ident})]
    )
    show_plan(scene, None)
    assert plan_layer(scene) is None and existing.standing().all()


def test_a_plan_waits_for_a_scene_with_a_crs():
    plan, _ = edits.add_building(Plan(crs="EPSG:2154"), BOX)
    scene = Scene()
    assert show_plan(scene, plan) is None and scene.layers == []
