"""OpenStreetMap extracts: tags, heights, themes and the accounting of every feature, on a tiny
``.osm`` XML written here and on Monaco's real extract (``MAQUETTE_SHARED_DATA``)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
import shapely

from layers.core.area import Area
from layers.core.detect import detect_kind
from layers.core.errors import InputError
from layers.core.reading import open_layer
from layers.io.osm import (
    osm_accounting,
    osm_contents,
    osm_name,
    osm_theme_accounting,
    read_osm,
    read_osm_theme,
)
from layers.io.osm_buildings import DRAWN_BY_PARTS, read_osm_buildings
from layers.io.osm_sea import sea_polygon
from layers.io.osm_tags import count, is_underground, length_m, parse_other_tags
from layers.io.osm_themes import COAST_IN_SEA, COASTLINE, NOT_DRAWN, UNDERGROUND
from tests.conftest import SHARED_DATA

MONACO = SHARED_DATA / "osm" / "monaco-latest.osm.pbf"
needs_monaco = pytest.mark.skipif(not MONACO.is_file(), reason="Monaco's extract (MAQUETTE_SHARED_DATA)")


# -- tags ----------------------------------------------------------------------------------------
def test_other_tags_with_quotes_escapes_arrows_and_commas():
    text = (
        r'"building:levels"=>"3","height"=>"12 m","name"=>"Le \"Grand\" Bleu",'
        r'"note"=>"a=>b, c","path"=>"C:\\data","empty"=>""'
    )
    assert parse_other_tags(text) == {
        "building:levels": "3",
        "height": "12 m",
        "name": 'Le "Grand" Bleu',
        "note": "a=>b, c",
        "path": "C:\\data",
        "empty": "",
    }
    assert (
        parse_other_tags(None) == {} and parse_other_tags(float("nan")) == {} and parse_other_tags("") == {}
    )


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("12", 12.0),
        ("12 m", 12.0),
        ("12.5m", 12.5),
        ("12,5", 12.5),
        (" 7 metres", 7.0),
        ("40'", 12.192),
        ("40 ft", 12.192),
        ("6'6\"", 1.9812),
        ("12;15", 12.0),
        ("0.1 km", 100.0),
    ],
)
def test_lengths_in_metres(text, metres):
    assert length_m(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", [None, "", "tall", "12 storeys", "~12", "6\" 6'"])
def test_what_is_no_length_is_nan(text):
    assert math.isnan(length_m(text))


def test_counts_and_underground():
    assert count("3") == 3 and count("3;4") == 3 and count("2.5") == 2.5 and math.isnan(count("x"))
    assert is_underground({"tunnel": "yes"}) and is_underground({"tunnel": "culvert"})
    assert is_underground({"layer": "-1"}) and is_underground({"location": "underground"})
    assert not is_underground({"tunnel": "no"}) and not is_underground({"layer": "1", "bridge": "yes"})


# -- a tiny extract ------------------------------------------------------------------------------
def _square(
    first: int, x: float, y: float, size: float = 0.0002
) -> tuple[list[tuple[int, float, float]], list[int]]:
    corners = [(x, y), (x + size, y), (x + size, y + size), (x, y + size)]
    nodes = [(first + i, cx, cy) for i, (cx, cy) in enumerate(corners)]
    return nodes, [first, first + 1, first + 2, first + 3, first]


def _tiny_osm(tmp: Path) -> Path:
    """Buildings with every height source, a building drawn by its part, roads, rail, water, a
    park, a coastline, tunnels, a bench and untagged nodes, near Monaco (degrees)."""
    nodes: list[tuple[int, float, float]] = []
    ways: list[str] = []

    def way(way_id: int, refs: list[int], tags: dict[str, str]) -> None:
        body = "".join(f'<nd ref="{r}"/>' for r in refs)
        body += "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        ways.append(f'<way id="{way_id}" version="1">{body}</way>')

    areas = {
        101: {"building": "yes", "height": "12 m"},
        102: {"building": "apartments", "building:levels": "4", "roof:levels": "1"},
        103: {"building": "yes"},
        104: {"building": "house", "height": "40'"},
        105: {"building": "yes", "building:height": "20", "height": "tall"},
        106: {"building": "yes", "layer": "-1"},  # underground car park
        108: {"leisure": "park", "name": "Jardin"},
        109: {"waterway": "riverbank"},  # a closed way GDAL gives as a line
        110: {"man_made": "pier"},
    }
    for k, (way_id, tags) in enumerate(areas.items()):
        square, refs = _square(1000 + 10 * k, 7.42 + 0.001 * k, 43.73)
        nodes += square
        way(way_id, refs, tags)
    # an outline with a part inside: the part draws it
    square, refs = _square(2000, 7.43, 43.74, size=0.001)
    nodes += square
    way(111, refs, {"building": "yes", "height": "30"})
    square, refs = _square(2010, 7.4302, 43.7402, size=0.0004)
    nodes += square
    way(112, refs, {"building:part": "yes", "height": "30", "min_height": "6"})
    lines = {
        201: {"highway": "primary", "width": "8 m", "name": "Boulevard"},
        202: {"highway": "residential", "lanes": "2"},
        203: {"highway": "footway"},
        204: {"highway": "primary", "tunnel": "yes"},
        205: {"railway": "tram"},
        206: {"railway": "rail", "tunnel": "yes", "layer": "-2"},
        207: {"natural": "coastline"},
        208: {"barrier": "hedge"},
        209: {"highway": "proposed"},
    }
    for k, (way_id, tags) in enumerate(lines.items()):
        a, b = 3000 + 2 * k, 3001 + 2 * k
        nodes += [(a, 7.41, 43.72 + 0.001 * k), (b, 7.412, 43.72 + 0.001 * k)]
        way(way_id, [a, b], tags)
    text = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    text += [f'<node id="{i}" version="1" lat="{y}" lon="{x}"/>' for i, x, y in nodes]
    text.append('<node id="9000" version="1" lat="43.725" lon="7.415"><tag k="amenity" v="bench"/></node>')
    text += ways
    text.append("</osm>")
    path = tmp / "tiny.osm"
    path.write_text("\n".join(text), encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path) -> Path:
    return _tiny_osm(tmp_path)


def test_every_feature_is_in_a_theme_or_left_out_with_its_reason(tiny):
    counts = osm_accounting(tiny)
    # 11 building areas (one underground), park, riverbank, pier, 9 lines and 1 tagged node; the
    # untagged nodes (corners, line ends) are no features
    assert sum(counts.values()) == len(read_osm(tiny).frame) == 21
    assert counts["buildings"] == 7
    assert counts[UNDERGROUND] == 3  # a car park below ground, a road and a railway in tunnels
    assert COASTLINE not in counts and counts[NOT_DRAWN] == 1  # the bench; the coast is the sea's
    assert osm_contents(tiny) == {
        "buildings": 7,
        "vegetation": 1,
        "water": 2,  # the riverbank, and the sea on the right of the coastline
        "construction": 1,
        "road": 3,
        "rail": 1,
        "hedge": 1,
    }


def test_buildings_heights_each_from_its_source(tiny):
    data = read_osm_buildings(tiny)
    frame = data.frame.set_index("id")
    assert frame.loc["way/101", "height"] == 12.0
    assert frame.loc["way/102", "levels"] == 5.0  # building:levels + roof:levels
    assert math.isnan(frame.loc["way/103", "height"]) and math.isnan(frame.loc["way/103", "levels"])
    assert frame.loc["way/104", "height"] == pytest.approx(12.192)
    assert frame.loc["way/105", "height"] == 20.0  # height is no length: building:height
    assert frame.loc["way/112", "min_height"] == 6.0
    assert "way/111" not in frame.index  # drawn by its part
    whole = read_osm(tiny).frame
    assert [whole.loc[p, "id"] for p in data.skipped[DRAWN_BY_PARTS]] == ["way/111"]
    assert sum(len(p) for p in data.skipped.values()) + len(data.frame) == data.features_read == 21
    assert "4 from height, 1 from building:levels (+ roof:levels) × 3 m, 1 without either" in data.warnings[0]


def test_the_buildings_kind_opens_an_extract(tiny):
    assert detect_kind(tiny) == "buildings"
    layer = open_layer(tiny)
    heights = dict(zip(layer.frame["id"], layer.height_m, strict=True))
    bases = dict(zip(layer.frame["id"], layer.base_m, strict=True))
    assert heights["way/101"] == 12.0 and heights["way/102"] == 15.0 and heights["way/103"] == 9.0
    assert heights["way/112"] == 30.0 and bases["way/112"] == 6.0
    assert layer.stats["features_in"] == 21 and layer.stats["features"] == 6
    assert layer.stats["features"] + layer.stats["dropped"] == layer.stats["features_in"]
    assert layer.stats["heights_defaulted"] == 1
    assert layer.attribution == "© OpenStreetMap contributors"


def test_topographic_frames(tiny):
    roads = read_osm_theme(tiny, "road").set_index("id")
    assert list(roads.columns) == ["theme", "category", "width_m", "name", "geometry"]
    assert set(roads.index) == {"way/201", "way/202", "way/203"}  # not the tunnel, not the proposed
    assert roads.loc["way/201", "width_m"] == 8.0 and roads.loc["way/201", "name"] == "Boulevard"
    assert roads.loc["way/202", "width_m"] == 7.0  # 2 lanes × 3.5 m
    assert math.isnan(roads.loc["way/203", "width_m"]) and roads.loc["way/203", "name"] is None
    assert roads.loc["way/201", "category"] == "primary" and set(roads["theme"]) == {"road"}
    rail = read_osm_theme(tiny, "rail")
    assert list(rail["category"]) == ["tram"]
    water = read_osm_theme(tiny, "water")
    assert list(water["category"]) == ["river", "sea"] and set(water.geom_type) == {"Polygon"}
    pier = read_osm_theme(tiny, "construction")
    assert list(pier["category"]) == ["pier"] and pier.geometry.iloc[0].area > 0
    park = read_osm_theme(tiny, "vegetation")
    assert list(park["category"]) == ["park"] and list(park["name"]) == ["Jardin"]
    assert len(read_osm_theme(tiny, "cemetery")) == 0
    assert str(roads.crs) == "EPSG:4326"


def test_an_area_reads_only_what_meets_it(tiny):
    area = Area.from_bbox((7.4195, 43.7295, 7.4225, 43.7305), "EPSG:4326", name="Test")
    contents = osm_contents(tiny, area)
    assert contents == {"buildings": 3}
    data = read_osm_buildings(tiny, area=area)
    assert set(data.frame["id"]) == {"way/101", "way/102", "way/103"}
    assert not any("meet Test" in w for w in data.warnings)  # a part read as asked: not a warning
    layer = open_layer(tiny, area=area)
    assert sorted(layer.frame["id"]) == ["way/101", "way/102", "way/103"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"hello, not OSM at all", "is not an OpenStreetMap extract: no OSM header"),
        (
            b'<?xml version="1.0"?>\n<osm version="0.6">\n<node id="1" lat="43" lon="7"',
            "is damaged or truncated",
        ),
    ],
)
def test_bad_extracts_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "bad.osm"
    path.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(message)):
        read_osm_buildings(path)


def test_an_extract_without_buildings(tmp_path):
    path = tmp_path / "roads.osm"
    path.write_text(
        '<osm version="0.6"><node id="1" lat="43" lon="7"/><node id="2" lat="43.001" lon="7"/>'
        '<way id="3"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/></way></osm>'
    )
    with pytest.raises(InputError, match="holds no buildings"):
        read_osm_buildings(path)
    assert osm_contents(path) == {"road": 1}


# -- Monaco --------------------------------------------------------------------------------------
@needs_monaco
def test_monaco_every_feature_accounted_for():
    counts = osm_accounting(MONACO)
    data = read_osm_buildings(MONACO)
    assert sum(counts.values()) == data.features_read == len(read_osm(MONACO).frame) > 6000
    assert counts["buildings"] == len(data.frame) + len(data.skipped.get(DRAWN_BY_PARTS, []))
    assert 1150 < len(data.frame) < 1250  # 1,205 areas tagged building, and building parts
    contents = osm_contents(MONACO)
    assert contents["road"] > 2000 and contents["vegetation"] > 50 and contents["water"] > 10
    assert contents["sport"] >= 10 and contents["cemetery"] >= 1 and "rail" not in contents
    assert counts[UNDERGROUND] > 100  # Monaco's railway and many roads run in tunnels
    assert COASTLINE not in counts and counts[COAST_IN_SEA] > 10  # 19 ways of one coast: one sea
    sea = read_osm_theme(MONACO, "water").query("category == 'sea'")
    assert len(sea) == 1
    lon, lat = sea.geometry.iloc[0].representative_point().coords[0]
    assert lat < 43.74 and lon > 7.42  # south-east of the town: the Mediterranean, not the land


def test_the_sea_lies_on_the_right_of_the_coastline():
    """OpenStreetMap's convention: land on the left of a coastline way, sea on its right."""
    box = shapely.box(0, 0, 10, 10)
    coast = np.asarray([shapely.LineString([(2, 3), (5, 5), (8, 5)])])  # cut by the extract: extended
    sea = sea_polygon(coast, box)
    assert sea is not None and sea.contains(shapely.Point(5, 1)) and not sea.contains(shapely.Point(5, 9))
    island = np.asarray([shapely.LineString([(4, 4), (6, 4), (6, 6), (4, 6), (4, 4)])])  # anticlockwise
    sea = sea_polygon(island, box)
    assert sea is not None and sea.contains(shapely.Point(1, 1)) and not sea.contains(shapely.Point(5, 5))
    assert sea_polygon(np.asarray([], dtype=object), box) is None


@needs_monaco
def test_monaco_heights_and_roads():
    layer = open_layer(MONACO)
    assert layer.stats["features"] + layer.stats["dropped"] == layer.stats["features_in"]
    assert layer.height_m.max() > 100  # the Tour Odéon
    assert (layer.height_source == "height").sum() >= 35
    assert (layer.height_source == "levels × 3 m").sum() >= 80
    roads = read_osm_theme(MONACO, "road")
    assert {"primary", "residential", "footway", "steps"} <= set(roads["category"])
    widths = roads["width_m"].to_numpy()
    known = widths[np.isfinite(widths)]
    assert len(known) > 300 and (known > 0).all() and np.median(known) < 15
    assert shapely.get_type_id(np.asarray(roads.geometry.values)).max() <= 2  # lines only


@needs_monaco
def test_monaco_clipped_to_an_area():
    rocher = Area.from_bbox((7.415, 43.728, 7.425, 43.735), "EPSG:4326", name="le Rocher")
    clipped = read_osm_buildings(MONACO, area=rocher)
    whole = read_osm_buildings(MONACO)
    assert 100 < len(clipped.frame) < len(whole.frame)
    outline = rocher.outline
    assert shapely.intersects(np.asarray(clipped.frame.geometry.values), outline).all()


def test_an_extract_is_named_without_its_suffixes(tmp_path):
    from tests.layers.io.osm_pbf import write_pbf

    layer = open_layer(write_pbf(tmp_path / "monaco-latest.osm.pbf"))
    assert layer.name == "monaco-latest" and detect_kind(layer.source) == "buildings"
    assert osm_name("a.b.OSM") == "a.b" and osm_name("x.pbf") == "x"


@needs_monaco
def test_monaco_clipped_to_an_area_in_lambert93():
    """A commune's outline comes in the BD TOPO's CRS: the extract is filtered in degrees."""
    from pyproj import Transformer

    to_l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    (x0, x1), (y0, y1) = to_l93.transform([7.415, 7.425], [43.728, 43.735])
    rocher = Area.from_bbox((x0, y0, x1, y1), "EPSG:2154", name="le Rocher")
    contents = osm_contents(MONACO, rocher)
    assert 300 < contents["buildings"] < 450 and contents["road"] > 500
    assert sum(osm_accounting(MONACO, rocher).values()) < sum(osm_accounting(MONACO).values())


def test_a_theme_accounts_for_the_rest_of_the_extract(tiny):
    features_in, others = osm_theme_accounting(tiny, "road")
    assert features_in == 21 and features_in == len(read_osm_theme(tiny, "road")) + sum(others.values())
    assert others["another theme: buildings"] == 7 and others[UNDERGROUND] == 3


@needs_monaco
def test_monaco_roads_as_a_topographic_layer():
    """The frame is what the topo kind builds its layers from (skipped where it is not there)."""
    topo = pytest.importorskip("layers.topo.layer")
    frame = read_osm_theme(MONACO, "road")
    features_in, others = osm_theme_accounting(MONACO, "road")
    layer = topo.TopoLayer.from_frame(
        frame, "road", source=MONACO, features_in=features_in, dropped_reasons=others
    )
    assert layer.stats["features"] == len(frame) > 2000
    assert layer.stats["features"] + layer.stats["dropped"] == layer.stats["features_in"] == features_in
