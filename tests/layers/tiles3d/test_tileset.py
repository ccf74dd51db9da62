"""3D Tiles export: the tileset's structure, where buildings land on Earth, their metadata, and the
folder written whole or not at all."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon, box

from layers.core.errors import InputError, OutputError
from layers.tiles3d import writer
from layers.tiles3d.tiling import quadtree
from layers.tiles3d.writer import write_tileset

from .reading import content, tiles

CRS = "EPSG:2154"  # Lambert-93, metres: Lyon
X0, Y0 = 842_000.0, 6_519_000.0


def district(n_side: int = 18) -> gpd.GeoDataFrame:
    """n_side² buildings on a grid (some L-shaped, one courtyard, one in two parts), heights 4-80 m."""
    rng = np.random.default_rng(7)
    geoms, heights, usages = [], [], []
    for i in range(n_side):
        for j in range(n_side):
            x, y = X0 + i * 35.0, Y0 + j * 35.0
            k = i * n_side + j
            if k % 7 == 3:
                geom = Polygon(
                    [(x, y), (x + 20, y), (x + 20, y + 8), (x + 8, y + 8), (x + 8, y + 20), (x, y + 20)]
                )
            elif k == 10:
                geom = box(x, y, x + 30, y + 30).difference(box(x + 10, y + 10, x + 20, y + 20))
            elif k == 11:
                geom = MultiPolygon([box(x, y, x + 10, y + 10), box(x + 15, y, x + 25, y + 10)])
            else:
                geom = box(x, y, x + rng.uniform(8, 25), y + rng.uniform(8, 25))
            geoms.append(geom)
            heights.append(float(rng.uniform(4, 80)))
            usages.append(None if k % 5 == 0 else ("Résidentiel" if k % 2 else "Commercial et services"))
    return gpd.GeoDataFrame(
        {"id": [f"BAT{k:05d}" for k in range(len(geoms))], "height_m": heights, "usage": usages},
        geometry=geoms,
        crs=CRS,
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    frame = district()
    folder = tmp_path_factory.mktemp("tileset") / "out"
    stats = write_tileset(frame, folder, max_per_tile=40)
    return frame, folder, stats


def _region_contains(outer, inner, tol=1e-12):
    return (
        outer[0] <= inner[0] + tol
        and outer[1] <= inner[1] + tol
        and outer[2] >= inner[2] - tol
        and outer[3] >= inner[3] - tol
        and outer[4] <= inner[4] + 1e-6
        and outer[5] >= inner[5] - 1e-6
    )


def test_structure(written):
    frame, folder, stats = written
    tileset, tile_list = tiles(folder)
    assert json.loads((folder / "tileset.json").read_text())["asset"]["version"] == "1.1"
    assert tileset["root"]["refine"] == "ADD"
    assert set(tileset["schema"]["classes"]["building"]["properties"]) == {"id", "height_m", "usage"}
    assert max(t.depth for t in tile_list) >= 2  # a real tree, not one tile
    assert stats["tiles"] == len(tile_list) == len(list((folder / "tiles").glob("*.glb")))
    assert tileset["geometricError"] > tileset["root"]["geometricError"] > 0
    to_geo = Transformer.from_crs(4978, 4979, always_xy=True)
    total = 0
    ids = []
    for tile in tile_list:
        region = tile.json["boundingVolume"]["region"]
        assert region[0] < region[2] and region[1] < region[3] and region[4] < region[5]
        children = tile.json.get("children", [])
        if children:
            assert 0 < tile.json["geometricError"]
            for child in children:
                assert child["geometricError"] < tile.json["geometricError"]
                assert _region_contains(region, child["boundingVolume"]["region"])
        else:
            assert tile.json["geometricError"] == 0
        assert (folder / tile.json["content"]["uri"]).is_file()
        decoded = content(folder, tile)
        lon, lat, h = to_geo.transform(*decoded.ecef.T, radians=True)
        assert region[0] <= lon.min() and lon.max() <= region[2]
        assert region[1] <= lat.min() and lat.max() <= region[3]
        assert region[4] <= h.min() and h.max() <= region[5]
        assert set(np.unique(decoded.feature)) == set(range(decoded.feature_count))
        total += decoded.feature_count
        ids.extend(decoded.table["id"])
    assert total == len(frame) == stats["features"] == stats["buildings"]
    assert sorted(ids) == sorted(frame["id"])  # each building exactly once


def _world_to_source(ecef):
    to_source = Transformer.from_crs(4978, "EPSG:4979", always_xy=True)
    lon, lat, h = to_source.transform(*ecef.T)
    x, y = Transformer.from_crs(4326, CRS, always_xy=True).transform(lat * 0 + lon, lat)
    return np.asarray(x), np.asarray(y), np.asarray(h)


def test_positions_land_on_the_footprints(written):
    frame, folder, _ = written
    _, tile_list = tiles(folder)
    checked = 0
    for tile in tile_list:
        decoded = content(folder, tile)
        for feature in (0, decoded.feature_count - 1):
            row = int(np.flatnonzero(frame["id"].to_numpy() == decoded.table["id"][feature])[0])
            vertices = decoded.ecef[decoded.feature == feature]
            x, y, h = _world_to_source(vertices)
            corners = shapely.get_coordinates(shapely.get_parts(frame.geometry.iloc[row]).tolist())
            # every footprint corner has a vertex within 5 cm, at the ground and at the top
            for cx, cy in corners:
                distance = np.hypot(x - cx, y - cy)
                near = distance < 0.05
                assert near.any(), (tile.key, row, distance.min())
                assert np.abs(h[near]).min() < 0.05
                assert np.abs(h[near] - frame["height_m"].iloc[row]).min() < 0.05
            # and no vertex strays from the footprint
            outline = shapely.get_parts(frame.geometry.iloc[row])
            gaps = shapely.distance(shapely.union_all(outline), shapely.points(x, y))
            assert gaps.max() < 0.05
            checked += 1
    assert checked >= 2 * len(tile_list)


def test_metadata_of_a_picked_building(written):
    frame, folder, _ = written
    _, tile_list = tiles(folder)
    tallest = frame.iloc[int(frame["height_m"].argmax())]
    found = None
    for tile in tile_list:
        decoded = content(folder, tile)
        hits = np.flatnonzero(decoded.table["id"] == tallest["id"])
        if len(hits):
            found = (tile, decoded, int(hits[0]))
    assert found is not None
    tile, decoded, feature = found
    assert tile.depth == 0  # the largest buildings stay in the root: seen from afar
    assert decoded.table["height_m"][feature] == pytest.approx(tallest["height_m"], abs=1e-4)
    assert decoded.table["usage"][feature] == (tallest["usage"] or "")
    # the feature id painted on the building's vertices indexes that row
    assert (decoded.feature == feature).sum() >= 8
    no_usage = frame[frame["usage"].isna()].iloc[0]
    for tile in tile_list:
        decoded = content(folder, tile)
        hits = np.flatnonzero(decoded.table["id"] == no_usage["id"])
        if len(hits):
            assert decoded.table["usage"][hits[0]] == ""


def test_quadtree_keeps_the_largest_high():
    rng = np.random.default_rng(1)
    centres = rng.uniform(0, 1000, (5000, 2))
    importance = rng.uniform(0, 1, 5000)
    root = quadtree(centres, importance, max_per_tile=100)
    nodes = root.walk()
    rows = np.concatenate([n.rows for n in nodes])
    assert sorted(rows.tolist()) == list(range(5000))
    for node in nodes:
        assert len(node.rows) <= 100
        for child in node.children:
            if len(child.rows):
                assert importance[node.rows].min() >= importance[child.rows].max()


def test_buildings_stand_on_their_ground(tmp_path):
    frame = district(3)
    frame["ground_m"] = np.linspace(40.0, 48.0, len(frame))  # metres above the ellipsoid
    write_tileset(frame, tmp_path / "out")
    (tile,) = tiles(tmp_path / "out")[1]
    decoded = content(tmp_path / "out", tile)
    _, _, h = _world_to_source(decoded.ecef)
    for feature, row in enumerate(frame.itertuples()):
        mine = h[decoded.feature == feature]
        assert mine.min() == pytest.approx(row.ground_m, abs=0.01)
        assert mine.max() == pytest.approx(row.ground_m + row.height_m, abs=0.01)
    region = tile.json["boundingVolume"]["region"]
    assert region[4] == pytest.approx(40.0, abs=0.02) and region[5] >= h.max()


def test_rows_without_a_polygon_are_counted(tmp_path):
    frame = district(3)
    frame.loc[[2, 5], "geometry"] = [None, box(X0, Y0, X0, Y0 + 5)]  # nothing, and no area
    stats = write_tileset(frame, tmp_path / "out")
    assert stats["buildings"] == stats["features"] == 7
    assert stats["dropped"] == {"no polygon with an area": 2}
    assert write_tileset(district(3), tmp_path / "out")["dropped"] == {}


def test_output_is_a_file_or_a_foreign_folder(tmp_path):
    frame = district(3)
    file = tmp_path / "taken.txt"
    file.write_text("keep me")
    with pytest.raises(OutputError, match="it is a file"):
        write_tileset(frame, file)
    assert file.read_text() == "keep me"
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "a.jpg").write_bytes(b"x")
    with pytest.raises(OutputError, match="not empty"):
        write_tileset(frame, foreign)
    assert (foreign / "a.jpg").read_bytes() == b"x"
    with pytest.raises(InputError, match="projected CRS"):
        write_tileset(frame.to_crs(4326), tmp_path / "geo")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos", "taken.txt"]


def test_a_failed_write_keeps_the_previous_tileset(tmp_path, monkeypatch):
    folder = tmp_path / "out"
    write_tileset(district(4), folder)
    before = (folder / "tileset.json").read_text()
    calls = {"n": 0}
    real = writer.tile_glb

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(writer, "tile_glb", failing)
    with pytest.raises(OSError):
        write_tileset(district(10), folder, max_per_tile=10)
    assert (folder / "tileset.json").read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no half tileset left beside it
    monkeypatch.setattr(writer, "tile_glb", real)
    stats = write_tileset(district(10), folder, max_per_tile=10)  # a good one replaces it
    assert stats["buildings"] == 100
    assert json.loads((folder / "tileset.json").read_text())["asset"]["extras"]["buildings"] == 100
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_tileset_of_one_building_is_drawn_from_afar(tmp_path):
    # a client draws a tileset's root only while its geometric error, seen from the camera, exceeds
    # the screen-space limit: a planned tower alone must not need the camera a few metres away
    write_tileset(district(1), tmp_path / "tower")
    document = json.loads((tmp_path / "tower" / "tileset.json").read_text(encoding="utf-8"))
    assert document["geometricError"] >= writer.MIN_TILESET_ERROR_M
    write_tileset(district(18), tmp_path / "city")
    whole = json.loads((tmp_path / "city" / "tileset.json").read_text(encoding="utf-8"))
    assert whole["geometricError"] >= 2 * whole["root"]["geometricError"]
