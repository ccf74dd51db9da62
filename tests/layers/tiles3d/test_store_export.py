"""A prepared store exported as 3D Tiles one store tile at a time: every building of the store
written once (or dropped with a reason), merged blocks replaced by buildings up close, every glb
valid for Khronos' validator and the tileset for 3d-tiles-tools, positions back on the footprints,
bounding regions nested, and the command line taking a store."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from desktop.cli import main
from layers.store.reader import open_store
from layers.tiles3d.store_export import write_store_tileset
from tests.layers.store.conftest import dataset, prepared  # noqa: F401 - the session's prepared store

from .reading import Tile, content
from .test_validators import tiles_tools, validate_glbs


@pytest.fixture(scope="module")
def exported(prepared, tmp_path_factory):  # noqa: F811
    from layers.tiles3d import store_export

    folder = tmp_path_factory.mktemp("store_tiles") / "region"
    store = open_store(prepared)
    batch = store_export.BATCH_ROWS
    store_export.BATCH_ROWS = 300  # runs of a few store tiles, so that the root has several
    try:
        stats = write_store_tileset(store, folder, max_per_tile=40)
    finally:
        store_export.BATCH_ROWS = batch
    return store, folder, stats


def all_tiles(folder: Path) -> list[Tile]:
    """Every tile, external tilesets followed (their tiles keyed by their path from ``folder``),
    with world transforms composed down the tree."""
    out: list[Tile] = []

    def visit(node: dict[str, Any], parent: Tile | None, depth: int, base: str) -> None:
        local = np.array(node.get("transform", np.eye(4).reshape(-1).tolist()), float).reshape(4, 4).T
        world = local if parent is None else parent.world @ local
        uri = node.get("content", {}).get("uri")
        key = f"{base}{uri}" if uri else f"(empty {len(out)})"
        tile = Tile(key, node, world, depth, parent)
        out.append(tile)
        if uri and uri.endswith(".json"):
            external = json.loads((folder / key).read_text(encoding="utf-8"))
            visit(external["root"], tile, depth + 1, str(Path(key).parent) + "/")
        for child in node.get("children", []):
            visit(child, tile, depth + 1, base)

    visit(json.loads((folder / "tileset.json").read_text(encoding="utf-8"))["root"], None, 0, "")
    return out


def test_every_building_of_the_store_is_written_once(exported):
    store, folder, stats = exported
    assert stats["buildings"] + sum(stats["dropped"].values()) == store.meta["count"]
    assert stats["buildings"] == store.meta["count"]  # the store holds valid footprints only
    ids = []
    blocks = overview = 0
    for tile in all_tiles(folder):
        if tile.key.endswith(".glb"):
            decoded = content(folder, tile)
            if tile.key.endswith("blocks.glb"):
                blocks += decoded.feature_count
            elif tile.key.startswith(("o2/", "o3/")):
                overview += decoded.feature_count
            else:
                ids.extend(decoded.table["id"])
    assert len(ids) == len(set(ids)) == stats["features"] == stats["buildings"]
    expected = set()
    for key in store.tiles(0)["tile"]:
        expected |= set(store.read_tile(int(key), 0, ["id"])["id"].astype(str))
    assert set(ids) == expected
    assert blocks == stats["blocks"] == int(store.tiles(1)["count"].sum())
    assert (
        overview
        == stats["overview_blocks"]
        == int(store.tiles(2)["count"].sum() + store.tiles(3)["count"].sum())
    )
    assert stats["store_tiles"] == len(store.tiles(0)) > stats["tilesets"] > 3


def test_blocks_are_replaced_by_buildings_up_close(exported):
    """From afar the 2 km built-up blocks, then the 250 m ones, then each run's merged blocks, then
    its buildings, each replacing the one before, with errors shrinking down the tree."""
    store, folder, _ = exported
    root = json.loads((folder / "tileset.json").read_text(encoding="utf-8"))
    assert root["asset"]["version"] == "1.1"
    runs = 0
    for level3 in root["root"]["children"]:
        assert level3["refine"] == "REPLACE" and level3["content"]["uri"].startswith("o3/")
        assert root["root"]["geometricError"] > level3["geometricError"] >= 2 * store.grid.tile_size_m
        for level2 in level3["children"]:
            assert level2["refine"] == "REPLACE" and level2["content"]["uri"].startswith("o2/")
            assert level3["geometricError"] >= level2["geometricError"] >= store.grid.tile_size_m / 4
            for entry in level2["children"]:
                assert entry["refine"] == "REPLACE" and entry["content"]["uri"].endswith("blocks.glb")
                (child,) = entry["children"]
                assert child["content"]["uri"].endswith("tileset.json")
                assert level2["geometricError"] >= entry["geometricError"] >= child["geometricError"] > 0
                assert entry["geometricError"] >= store.grid.tile_size_m / 8
                runs += 1
    assert runs == len(list(folder.glob("t*/blocks.glb"))) > 3


def _contains(outer: list[float], inner: list[float]) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
        and outer[4] <= inner[4]
        and inner[5] <= outer[5]
    )


def test_bounding_regions_contain_their_children_and_contents(exported):
    _, folder, _ = exported
    to_geo = Transformer.from_crs(4978, 4979, always_xy=True)
    tile_list = all_tiles(folder)
    for tile in tile_list:
        region = tile.json["boundingVolume"]["region"]
        if tile.parent is not None:
            assert _contains(tile.parent.json["boundingVolume"]["region"], region), tile.key
        if tile.key.endswith(".glb"):
            decoded = content(folder, tile)
            lon, lat, h = to_geo.transform(*decoded.ecef.T, radians=True)
            assert region[0] <= lon.min() and lon.max() <= region[2], tile.key
            assert region[1] <= lat.min() and lat.max() <= region[3], tile.key
            assert region[4] <= h.min() and h.max() <= region[5], tile.key


def test_building_corners_come_back_in_the_store_crs(exported):
    store, folder, _ = exported
    to_geo = Transformer.from_crs(4978, 4979, always_xy=True)
    to_store = Transformer.from_crs(4326, store.crs, always_xy=True)
    everything = store.read_tiles(store.tiles(0)["tile"], 0, ["id", "height_m"])
    checked = 0
    for tile in all_tiles(folder):
        if not tile.key.endswith(".glb") or tile.key.endswith("blocks.glb") or tile.key.startswith("o"):
            continue
        decoded = content(folder, tile)
        rows = everything
        feature = decoded.feature_count - 1
        row = int(np.flatnonzero(rows["id"].astype(str).to_numpy() == decoded.table["id"][feature])[0])
        lon, lat, h = to_geo.transform(*decoded.ecef[decoded.feature == feature].T)
        x, y = (np.asarray(v) for v in to_store.transform(lon, lat))
        for cx, cy in shapely.get_coordinates(rows.geometry.iloc[row]):
            distance = np.hypot(x - cx, y - cy)
            near = distance < 0.05
            assert near.any(), (tile.key, distance.min())
            assert np.abs(np.asarray(h)[near]).min() < 0.05
            assert np.abs(np.asarray(h)[near] - rows["height_m"].iloc[row]).min() < 0.05
        checked += 1
    assert checked >= stats_tilesets(folder)


def stats_tilesets(folder: Path) -> int:
    return len(json.loads((folder / "tileset.json").read_text(encoding="utf-8"))["root"]["children"])


def test_the_export_passes_the_validators(exported, tmp_path):
    _, folder, _ = exported
    glbs = sorted(folder.rglob("*.glb"))
    reports = validate_glbs(glbs)
    assert all(r["errors"] == 0 and r["warnings"] == 0 for r in reports), [
        r for r in reports if r["errors"] or r["warnings"]
    ][:3]
    tiles_tools("upgrade", "-i", str(folder), "-o", str(tmp_path / "upgraded"), "--targetVersion", "1.1")
    tiles_tools("convert", "-i", str(folder / "tileset.json"), "-o", str(tmp_path / "region.3tz"))
    tiles_tools("convert", "-i", str(tmp_path / "region.3tz"), "-o", str(tmp_path / "unpacked"))
    for path in folder.rglob("*"):
        if path.is_file():
            twin = tmp_path / "unpacked" / path.relative_to(folder)
            assert twin.is_file() and filecmp.cmp(path, twin, shallow=False), path


def test_the_command_line_exports_a_store(prepared, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "cli"
    assert main(["export", str(prepared), "-o", str(out), "--3dtiles", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["buildings"] == open_store(prepared).meta["count"]
    assert (out / "tileset.json").is_file() and stats["store_tiles"] > 1
    # inside the store: refused, one line, nothing written
    assert main(["export", str(prepared), "-o", str(prepared / "tiles"), "--3dtiles"]) == 2
    assert not (prepared / "tiles").exists()
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    # Dask workers for a store only
    assert main(["export", "-o", str(tmp_path / "x"), "--3dtiles", "--workers", "2"]) == 2
    assert "prepared store" in capsys.readouterr().err


def test_a_store_with_coarser_blocks_gets_buildings_only(tmp_path):
    from tests.layers.streamed.store_writer import synthetic_footprints, write_store

    folder = write_store(tmp_path / "synthetic", synthetic_footprints(3, 2, 30))
    meta = json.loads((folder / "store.json").read_text())
    for level in meta["levels"]:  # blocks said to be cut by tiles twice as large as the buildings'
        if level["level"] == 1:
            level["tile_size_m"] = 2 * meta["tile_size_m"]
    (folder / "store.json").write_text(json.dumps(meta))
    store = open_store(folder)
    stats = write_store_tileset(store, tmp_path / "out")
    assert stats["buildings"] == store.meta["count"] == 180 and stats["blocks"] == 0
    assert stats["far_view"] == "buildings added"
    tile_list = all_tiles(tmp_path / "out")
    assert not any(t.key.endswith("blocks.glb") for t in tile_list)
    features = sum(content(tmp_path / "out", t).feature_count for t in tile_list if t.key.endswith(".glb"))
    assert features == 180


def test_dask_workers_write_the_same_tileset(prepared, exported, tmp_path, monkeypatch):  # noqa: F811
    from layers.store.prepare import PrepareOptions, dask_client
    from layers.tiles3d import store_export

    monkeypatch.setattr(store_export, "BATCH_ROWS", 300)  # the runs of the exported fixture

    store, folder, stats = exported
    with dask_client(PrepareOptions(workers=2)) as client:
        parallel = write_store_tileset(
            open_store(prepared), tmp_path / "parallel", max_per_tile=40, client=client
        )
    assert parallel["buildings"] == stats["buildings"] and parallel["tiles"] == stats["tiles"]
    files = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    assert files == sorted(
        p.relative_to(tmp_path / "parallel") for p in (tmp_path / "parallel").rglob("*") if p.is_file()
    )
    for name in files:
        assert (folder / name).read_bytes() == (tmp_path / "parallel" / name).read_bytes(), name
