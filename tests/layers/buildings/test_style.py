"""layers.buildings.style: the buildings' typed style and its nested filter, as a project keeps them."""

from __future__ import annotations

import pytest

from layers.buildings.layer import BuildingsLayer
from layers.buildings.style import BuildingsFilter, BuildingsStyle, FilterCondition
from layers.core.style import StyleError

WRITTEN = {
    "color_by": "hauteur",
    "cmap": "viridis",
    "clim": [0, 60],
    "filter": {
        "conditions": [{"field": "height_m", "min": 28}, {"field": "USAGE1", "categories": ["Résidentiel"]}],
        "mode": "grey",
    },
}


def test_round_trip_keeps_the_json_form():
    style = BuildingsStyle.from_dict(WRITTEN)
    assert style.color_by == "hauteur" and style.clim == (0.0, 60.0) and style.color is None
    assert style.filter == BuildingsFilter(
        conditions=(
            FilterCondition(field="height_m", min=28.0),
            FilterCondition(field="USAGE1", categories=("Résidentiel",)),
        ),
        mode="grey",
    )
    assert BuildingsStyle.from_dict(style.to_dict()) == style
    assert style.to_dict() == {
        "color_by": "hauteur",
        "cmap": "viridis",
        "clim": [0.0, 60.0],
        "filter": {
            "conditions": [
                {"field": "height_m", "min": 28.0},
                {"field": "USAGE1", "categories": ["Résidentiel"]},
            ],
            "mode": "grey",
        },
    }
    assert BuildingsStyle().to_dict() == {}  # defaults are not written


def test_a_filter_keeps_its_mode_and_reads_one_condition_alone():
    alone = BuildingsFilter.from_dict({"field": "hauteur", "min": 30})
    assert alone.conditions == (FilterCondition(field="hauteur", min=30.0),) and alone.mode == "hide"
    assert alone.to_dict() == {"conditions": [{"field": "hauteur", "min": 30.0}], "mode": "hide"}
    # a condition without bound nor category filters nothing; null and {} are no filter
    assert not BuildingsFilter.from_dict({"conditions": [{"field": "hauteur"}]}).active
    assert BuildingsStyle.from_dict({"filter": None}).filter == BuildingsFilter()
    assert BuildingsStyle.from_dict({"filter": {}}).to_dict() == {}


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ({"color_by": 3}, "color_by"),
        ({"clim": [0, "high"]}, "clim"),
        ({"cmap": None}, "cmap"),
        ({"filter": {"field": "hauteur", "min": "tall"}}, "min"),
        ({"filter": {"field": "hauteur", "min": 1, "mode": "blink"}}, "mode"),
        ({"filter": {"conditions": "all"}}, "conditions"),
    ],
)
def test_a_bad_value_names_its_key(written, key):
    with pytest.raises(StyleError) as error:
        BuildingsStyle.from_dict(written)
    assert error.value.field == key


def test_unknown_keys_survive_in_the_style_and_in_a_condition():
    style = BuildingsStyle.from_dict(
        {"role": "proposed", "filter": {"conditions": [{"field": "h", "min": 1, "note": "tall"}]}}
    )
    assert style.extra == {"role": "proposed"}
    assert style.filter.conditions[0].extra == {"note": "tall"}
    assert style.to_dict() == {
        "role": "proposed",
        "filter": {"conditions": [{"note": "tall", "field": "h", "min": 1.0}], "mode": "hide"},
    }


def test_the_layer_checks_and_announces_changes(tiny_buildings):
    layer = BuildingsLayer.load(tiny_buildings)
    assert isinstance(layer.style, BuildingsStyle)
    changed: list[frozenset[str]] = []
    layer.style_changed.connect(changed.append)
    layer.update_style(color_by="height_m", filter={"field": "height_m", "min": 20})
    assert changed == [frozenset({"color_by", "filter"})]
    with pytest.raises(StyleError):
        layer.update_style(filter={"field": "height_m", "mode": "blink"})
    assert layer.style.filter.mode == "hide"


@pytest.fixture
def tiny_buildings(tmp_path):
    import geopandas as gpd
    import shapely

    frame = gpd.GeoDataFrame(
        {"hauteur": [12.0, 30.0]},
        geometry=[
            shapely.box(351_000, 6_789_000, 351_010, 6_789_010),
            shapely.box(351_020, 6_789_000, 351_030, 6_789_010),
        ],
        crs="EPSG:2154",
    )
    path = tmp_path / "b.geojson"
    frame.to_file(path)
    return path
