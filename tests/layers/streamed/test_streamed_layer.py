"""The streamed layer: opening a store reads no tile, the tiles chosen for a view, the memory."""

from __future__ import annotations

import json

import numpy as np
import pytest

from layers.core.detect import detect_kind
from layers.core.errors import InputError
from layers.core.reading import open_layer
from layers.streamed.layer import StreamedBuildingsLayer
from layers.streamed.style import StreamedStyle


def _open(store, **style) -> StreamedBuildingsLayer:
    layer = open_layer(store, style=style or None)
    assert isinstance(layer, StreamedBuildingsLayer)
    return layer


def test_detection_claims_the_folder_and_its_store_json(small_store):
    assert detect_kind(small_store) == "streamed"
    assert detect_kind(small_store / "store.json") == "streamed"


def test_opening_reads_the_index_only(small_store):
    layer = _open(small_store / "store.json")
    assert layer.store.reads == {}
    assert layer.feature_count() == 6 * 4 * 300
    xmin, ymin, xmax, ymax = layer.bounds()
    assert 650_000 <= xmin < 650_040 and 652_960 < xmax <= 653_000
    assert 6_860_000 <= ymin < 6_860_040 and 6_861_960 < ymax <= 6_862_000
    info = layer.describe()
    assert info["summary"] == "7200 buildings, 0 loaded"
    assert layer.stats["features_in"] == 7200 and layer.stats["dropped"] == 0


def test_near_tiles_at_level_0_far_ones_at_level_1(small_store):
    layer = _open(small_store)
    whole = layer.bounds()
    # 0.6 m a pixel 300 m from the camera, low over the south-west corner: a building (12 m) is
    # under 8 pixels beyond 750 m
    eye = (650_100.0, 6_860_100.0, 150.0)
    chosen = layer.choose_tiles(whole, 0.6, eye, 300.0)
    near = [k for k in chosen if k[0] == 0]
    far = [k for k in chosen if k[0] == 1]
    assert near and far
    assert chosen[0] == (0, 0)  # the tile under the camera first, in footprints
    index0 = layer.tile_index(0).set_index("tile")
    index1 = layer.tile_index(1).set_index("tile")

    def distance(box) -> float:
        dx = max(box.xmin - eye[0], 0.0, eye[0] - box.xmax)
        dy = max(box.ymin - eye[1], 0.0, eye[1] - box.ymax)
        return float((dx * dx + dy * dy + eye[2] ** 2) ** 0.5)

    assert all(distance(index1.loc[t]) > 750 for _, t in far)
    assert min(distance(index0.loc[t]) for _, t in near) < 200
    # no footprints drawn under a merged block: a level-0 tile's centre is in no chosen block tile
    for _, t in near:
        cx = (index0.loc[t, "xmin"] + index0.loc[t, "xmax"]) / 2
        cy = (index0.loc[t, "ymin"] + index0.loc[t, "ymax"]) / 2
        for _, b in far:
            box = index1.loc[b]
            assert not (box.xmin <= cx <= box.xmax and box.ymin <= cy <= box.ymax)
    # seen from high above, merged blocks, then built-up blocks of 125 m cells (over 7.8 m a
    # pixel), then of 1 km cells (over 62.5 m a pixel); close up, footprints
    assert {k[0] for k in layer.choose_tiles(whole, 5.0)} == {1}
    assert {k[0] for k in layer.choose_tiles(whole, 20.0)} == {2}
    assert {k[0] for k in layer.choose_tiles(whole, 100.0)} == {3}
    assert {k[0] for k in layer.choose_tiles(whole, 0.5)} == {0}


def test_every_footprint_is_drawn_once_at_one_level_from_near_to_far(tmp_path):
    """Low over one end of a 40 km strip, looking along it: every level is used, nearer levels
    finer, and each footprint of the store is under exactly one chosen tile (its own, or the
    coarser tile its tile refines from)."""
    from tests.layers.streamed.store_writer import synthetic_footprints, write_store

    layer = _open(write_store(tmp_path / "strip", synthetic_footprints(80, 2, 6)))
    store = layer.store
    eye = (650_050.0, 6_860_050.0, 30.0)
    chosen = layer.choose_tiles(layer.bounds(), 0.2, eye, 60.0)
    assert {k[0] for k in chosen} == {0, 1, 2, 3}
    shift = {entry["level"]: entry.get("tile_shift", 0) for entry in store.meta["levels"]}
    footprint_tiles = layer.tile_index(0)["tile"].to_numpy()
    covered = np.zeros(len(footprint_tiles), int)
    for level, tile in chosen:
        covered += (footprint_tiles >> shift[level]) == tile
    assert (covered == 1).all()
    distance = {level: [] for level in range(4)}
    for level, tile in chosen:
        box = layer.tile_bounds((level, tile))
        dx = max(box[0] - eye[0], 0.0, eye[0] - box[2])
        dy = max(box[1] - eye[1], 0.0, eye[1] - box[3])
        distance[level].append((dx * dx + dy * dy) ** 0.5)
    assert max(distance[0]) < min(distance[2]) and max(distance[1]) < min(distance[3])


def test_only_tiles_in_view_are_read(small_store):
    layer = _open(small_store)
    # the south-west tile and a bit of its neighbours
    view = (650_100.0, 6_860_100.0, 650_600.0, 6_860_600.0)
    chosen = layer.choose_tiles(view, 0.5)
    # the four 500 m tiles it meets, by their keys on the store's Hilbert curve
    x = np.array([650_250.0, 650_750.0, 650_250.0, 650_750.0])
    y = np.array([6_860_250.0, 6_860_250.0, 6_860_750.0, 6_860_750.0])
    _, tiles = layer.store.grid.keys(x, y)
    assert set(chosen) == {(0, int(t)) for t in tiles}
    for key in chosen:
        layer.load_tile(key)
    assert set(layer.store.reads) == set(chosen)
    assert all(count == 1 for count in layer.store.reads.values())
    layer.load_tile(chosen[0])  # kept: not read again
    assert layer.store.reads[chosen[0]] == 1
    assert layer.describe()["summary"] == "7200 buildings, 1200 loaded"


def test_the_memory_stays_under_its_budget(small_store):
    layer = _open(small_store, memory_mb=0.6)
    budget = layer.memory.budget_bytes
    one = layer.load_tile((0, 0)).nbytes
    assert 0 < one < budget
    keys = [(0, int(t)) for t in layer.tile_index(0)["tile"]]
    for key in keys:
        layer.load_tile(key)
        assert layer.memory.total_bytes() <= budget
    kept = layer.memory.keys()
    assert kept == keys[-len(kept) :]  # the most recent kept, the oldest dropped
    assert layer.memory.evictions == len(keys) - len(kept) > 0
    # a view asks no more than the budget holds
    chosen = layer.choose_tiles(layer.bounds(), 0.5)
    assert 0 < len(chosen) < len(keys)


def test_picked_attributes_come_from_the_loaded_tile(small_store):
    layer = _open(small_store)
    tile = layer.load_tile((0, 0))
    from layers.streamed.layer import SERIAL_SHIFT

    attributes = layer.attributes((tile.serial << SERIAL_SHIFT) | 5)
    assert attributes["id"].startswith("BATIMENT")
    assert 4 <= attributes["height_m"] <= 40
    assert "usage" in attributes
    layer.memory.clear()
    assert layer.attributes((tile.serial << SERIAL_SHIFT) | 5) == {}


def test_style_round_trip_and_bad_values():
    style = StreamedStyle.from_dict({"color_by": "height_m", "memory_mb": 300, "future": 1})
    assert style.memory_mb == 300 and style.color_by == "height_m"
    assert style.to_dict() == {"color_by": "height_m", "memory_mb": 300, "future": 1}
    with pytest.raises(InputError):
        StreamedStyle.from_dict({"memory_mb": "lots"})
    with pytest.raises(InputError):
        StreamedStyle.from_dict({"color_by": "usage_wrong"})


def test_an_incomplete_store_is_refused(small_store, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(small_store, copy)
    meta = json.loads((copy / "store.json").read_text())
    meta["complete"] = False
    (copy / "store.json").write_text(json.dumps(meta))
    with pytest.raises(InputError, match="is an incomplete store"):
        open_layer(copy)
