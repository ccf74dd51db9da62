"""layers.buildings.filters and .search: attribute filters (numeric ranges, categories, dates) and
accent-blind search."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.buildings import filters, search
from layers.buildings.layer import BuildingsLayer
from layers.buildings.style import BuildingsFilter, BuildingsStyle
from layers.core.style import StyleError

X0, Y0 = 351000.0, 6789000.0


def mask(layer: BuildingsLayer, spec: dict | None) -> np.ndarray:
    """The rows passing the filter written ``spec`` (its JSON form, as a project holds it)."""
    return filters.filter_mask(layer, BuildingsFilter.from_dict(spec))


@pytest.fixture()
def layer(tmp_path):
    boxes = [shapely.box(X0 + 20 * i, Y0, X0 + 20 * i + 10, Y0 + 10) for i in range(6)]
    frame = gpd.GeoDataFrame(
        {
            "ID": ["B0", "B1", "B2", "B3", "B4", "B5"],
            "Nom": ["École Jules Ferry", "Mairie", None, "Halle aux grains", "école maternelle", "Gymnase"],
            "HAUTEUR": [6.0, 30.0, 28.0, None, 45.0, 12.0],
            "USAGE1": [
                "Résidentiel",
                "Commercial et services",
                "Résidentiel",
                None,
                "Résidentiel",
                "Sportif",
            ],
            "DATE_APP": ["1995-01-01", "2003-06-01", "2010-01-01", None, "1890-01-01", "2021-05-05"],
        },
        geometry=boxes,
        crs="EPSG:2154",
    )
    path = tmp_path / "b.gpkg"
    frame.to_file(path)
    return BuildingsLayer.load(path)


def test_numeric_range_keeps_bounds_and_drops_missing(layer):
    np.testing.assert_array_equal(mask(layer, {"field": "HAUTEUR", "min": 28}), [0, 1, 1, 0, 1, 0])
    np.testing.assert_array_equal(mask(layer, {"field": "height_m", "min": 28}), [0, 1, 1, 0, 1, 0])
    np.testing.assert_array_equal(mask(layer, {"field": "HAUTEUR", "min": 10, "max": 30}), [0, 1, 1, 0, 0, 1])
    # HAUTEUR missing: defaulted height 9 m kept in height_m, but the raw field has no value
    assert mask(layer, {"field": "height_m", "max": 9})[3]
    assert not mask(layer, {"field": "HAUTEUR", "max": 9})[3]


def test_categories_and_conditions_combined(layer):
    spec = {
        "conditions": [{"field": "USAGE1", "categories": ["Résidentiel"]}, {"field": "HAUTEUR", "min": 20}],
        "mode": "grey",
    }
    np.testing.assert_array_equal(mask(layer, spec), [0, 0, 1, 0, 1, 0])
    assert BuildingsFilter.from_dict(spec).mode == "grey"
    assert filters.category_counts(layer, "USAGE1") == {
        "Résidentiel": 3,
        "Commercial et services": 1,
        "Sportif": 1,
    }


def test_dates_filter_by_year(layer):
    np.testing.assert_array_equal(mask(layer, {"field": "DATE_APP", "min": 2000}), [0, 1, 1, 0, 0, 1])


def test_empty_and_bad_specs(layer):
    assert mask(layer, None).all()
    assert mask(layer, {"conditions": [{"field": "HAUTEUR"}]}).all()
    assert not BuildingsFilter.from_dict({"field": "HAUTEUR", "min": ""}).active
    with pytest.raises(StyleError, match="min.*number") as bad:
        mask(layer, {"field": "HAUTEUR", "min": "tall"})
    assert bad.value.field == "min"
    with pytest.raises(StyleError, match="mode"):
        BuildingsFilter.from_dict({"field": "HAUTEUR", "min": 1, "mode": "blink"})
    with pytest.raises(KeyError, match="NOPE"):
        mask(layer, {"field": "NOPE", "min": 1})


def test_describe_filter_in_words(layer):
    text = filters.describe_filter(
        BuildingsFilter.from_dict(
            {
                "conditions": [
                    {"field": "height_m", "min": 28},
                    {"field": "USAGE1", "categories": ["Résidentiel"]},
                ]
            }
        ),
        layer.unit,
    )
    assert text == "height_m ≥ 28 m · USAGE1: Résidentiel"


def test_search_ignores_case_and_accents_ids_first(layer):
    found = search.search(layer.frame, "ecole")
    assert [m.value for m in found] == ["école maternelle", "École Jules Ferry"]  # shorter first
    assert all(m.score == 1 for m in found)  # prefixes
    exact = search.search(layer.frame, "b3")
    assert exact[0].row == 3 and exact[0].field == "ID" and exact[0].score == 0
    assert search.search(layer.frame, "grains")[0].value == "Halle aux grains"
    assert search.search(layer.frame, "   ") == []


def test_search_scoped_to_a_field(layer):
    assert [m.row for m in search.search(layer.frame, "nom: mairie")] == [1]
    assert search.search(layer.frame, "ID=mairie") == []
    assert [m.row for m in search.search(layer.frame, "usage1: sportif")] == [5]


def test_search_cache_reused(layer):
    cache: search.SearchCache = {}
    search.search(layer.frame, "halle", cache=cache)
    assert cache
    assert search.search(layer.frame, "HALLE", cache=cache)[0].row == 3


def test_fold():
    assert search.fold("  Église  Saint-Étienne ") == "eglise saint-etienne"


def test_filter_saved_with_the_project(layer, tmp_path):
    from layers.core.scene import Scene
    from layers.session.project import Project, load_project, save_project
    from layers.session.scene_io import build_scene, update_from_scene

    scene = Scene()
    scene.add(layer)
    spec = {"conditions": [{"field": "HAUTEUR", "min": 28.0}], "mode": "grey"}
    layer.update_style(filter=spec)
    project = update_from_scene(Project(), scene, tmp_path)
    path = save_project(project, tmp_path / "p.maquette.json")
    assert project.data["layers"][0]["style"] == {"filter": spec}  # the JSON form as it was written
    reopened, report = build_scene(load_project(path))
    assert not report.errors
    (again,) = reopened.layers
    assert again.style.filter == layer.style.filter == BuildingsFilter.from_dict(spec)
    assert again.style == BuildingsStyle(filter=BuildingsFilter.from_dict(spec))
    np.testing.assert_array_equal(filters.filter_mask(again, again.style.filter), mask(layer, spec))
