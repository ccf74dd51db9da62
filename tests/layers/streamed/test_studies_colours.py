"""Colour and filter of streamed buildings: the usages counted over the whole store, the filter
applied to a loaded tile."""

from __future__ import annotations

from collections import Counter

import numpy as np

from layers.core.reading import open_layer
from layers.streamed.layer import StreamedBuildingsLayer
from tests.layers.streamed.store_writer import synthetic_footprints


def test_usages_are_counted_over_the_whole_store_without_loading_a_tile(small_store):
    layer = open_layer(small_store)
    assert isinstance(layer, StreamedBuildingsLayer)
    rows = synthetic_footprints(6, 4, 300)
    expected = Counter(u for u in rows["usage"] if u)
    counts = layer.usage_counts()
    assert counts == dict(expected)
    assert list(counts.values()) == sorted(counts.values(), reverse=True)
    assert layer.memory.loaded_count() == 0  # nothing drawn was read
    assert layer.color_fields() == {"height_m": "numeric", "usage": "categorical"}
    assert layer.filter_fields() == layer.color_fields()
    assert layer.unit("height_m") == "m" and layer.unit("usage") == ""


def test_the_filter_applies_to_a_loaded_tile(small_store):
    layer = open_layer(
        small_store,
        style={
            "filter": {
                "conditions": [
                    {"field": "usage", "categories": ["Industriel"]},
                    {"field": "height_m", "min": 20},
                ]
            }
        },
    )
    assert isinstance(layer, StreamedBuildingsLayer)
    tile = layer.load_tile((0, int(layer.tile_index(0)["tile"].iloc[0])))
    mask = layer.passes_filter(tile)
    assert mask.shape == (tile.count,)
    expected = (tile.usage == "Industriel") & (tile.height_m >= 20)
    assert np.array_equal(mask, expected) and 0 < mask.sum() < tile.count
    layer.update_style(filter={"field": "colour", "min": 1})
    try:
        layer.passes_filter(tile)
    except KeyError as exc:
        assert "colour" in str(exc)
    else:
        raise AssertionError("a field the store lacks must be named")
    layer.update_style(filter={})
    assert layer.passes_filter(tile).all()
    # the style keeps its filter through a project's JSON
    layer.update_style(filter={"field": "height_m", "max": 12.5, "mode": "grey"})
    again = open_layer(small_store, style=layer.style.to_dict())
    assert isinstance(again, StreamedBuildingsLayer)
    assert again.style.filter == layer.style.filter and again.style.filter.mode == "grey"


def test_describe_says_what_works_on_loaded_tiles_and_what_reads_the_store(small_store):
    layer = open_layer(small_store)
    assert isinstance(layer, StreamedBuildingsLayer)
    said = layer.describe()["loaded_only"]
    assert "on loaded tiles: picking, colours, filter, cast shadows" in said
    assert "read from the store: shade and sunlight studies" in said


def test_usage_counts_of_store_json_are_those_of_the_files(small_store, tmp_path):
    """The preparation's counts (``store.json``) and a scan of the files (a store without them)
    agree."""
    import json
    import shutil

    from layers.streamed.colours import usage_counts
    from layers.streamed.source import open_source

    counted = open_source(small_store)
    assert counted.meta["usage_counts"]
    copy = tmp_path / "older.store"
    shutil.copytree(small_store, copy)
    meta = json.loads((copy / "store.json").read_text())
    del meta["usage_counts"]
    (copy / "store.json").write_text(json.dumps(meta))
    assert usage_counts(open_source(copy)) == usage_counts(counted) == counted.meta["usage_counts"]
