"""The store prepared on Dask from a multi-file dataset: every feature accounted for, the same
heights as loading, Hilbert order, tiles, index, merged blocks, GeoParquet 1.1, resumable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import shapely

from layers.buildings.layer import BuildingsLayer
from layers.store.reader import open_store

from .conftest import OPTIONS


def _all_rows(store: Path, level: int = 0):
    import geopandas as gpd
    import pandas as pd

    folder = store / "buildings" / f"lod{level}"
    frames = [pq.read_table(f).to_pandas() for f in sorted(folder.glob("*.parquet"))]
    frame = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapely.from_wkb(frame.pop("geometry").to_numpy())))


def test_every_feature_is_kept_or_dropped_with_the_loaders_reason(prepared, dataset):
    meta = json.loads((prepared / "store.json").read_text())
    assert meta["complete"] is True and meta["format"] == "maquette-store" and meta["version"] == 1
    assert meta["epsg"] == 2154
    by_path = {Path(s["path"]).name: s for s in meta["sources"]}
    for path in dataset.values():
        source = by_path[path.name]
        assert source["read"] == source["kept"] + sum(source["dropped"].values())
        layer = BuildingsLayer.load(path)
        assert source["read"] == layer.stats["features_in"]
        assert source["kept"] == layer.feature_count()
        assert source["dropped"] == layer.stats["dropped_reasons"]
        assert source["repaired"] == layer.stats["repaired"]
        assert source["heights_defaulted"] == layer.stats["heights_defaulted"]
    assert by_path["d35.gpkg"]["dropped"] == {"no geometry": 1, "no area": 1}
    assert by_path["d56.geojson"]["dropped"] == {"not a polygon": 2}
    assert by_path["d35.gpkg"]["repaired"] == 2
    assert meta["count"] == sum(s["kept"] for s in meta["sources"]) == 1498 + 998 + 800


def test_heights_are_those_of_the_loader(prepared, dataset):
    rows = _all_rows(prepared)
    for key, id_field in (("gpkg", "ID"), ("geojson", "id"), ("fgb", None)):
        layer = BuildingsLayer.load(dataset[key])
        features = layer.frame["feature_index"].to_numpy()
        ids = (
            layer.frame[id_field].astype(str).to_numpy()
            if id_field
            else np.array([f"{dataset[key].stem}:{f}" for f in features])
        )
        expected = dict(zip(ids, layer.height_m.astype(np.float32), strict=True))
        mine = rows[rows["id"].isin(set(ids))]
        assert len(mine) == layer.feature_count()
        got = mine["height_m"].to_numpy()
        want = np.array([expected[i] for i in mine["id"]], np.float32)
        np.testing.assert_array_equal(got, want)
    assert (rows["height_m"].to_numpy() > 0).all()


def test_geometries_are_the_repaired_footprints_in_the_store_crs(prepared, dataset):
    rows = _all_rows(prepared).set_index("id")
    layer = BuildingsLayer.load(dataset["geojson"])  # WGS 84: reprojected to Lambert-93
    layer.reproject(layer.frame.crs.__class__.from_epsg(2154))
    areas = layer.frame.assign(a=layer.frame.area).groupby("id")["a"].sum()
    mine = shapely.area(np.asarray(rows.loc[areas.index, "geometry"].values))
    np.testing.assert_allclose(mine, areas.to_numpy(), rtol=1e-6)
    assert shapely.is_valid(np.asarray(rows.geometry.values)).all()
    assert not shapely.has_z(np.asarray(rows.geometry.values)).any()


def test_rows_are_sorted_along_the_curve_and_inside_their_tile(prepared):
    store = open_store(prepared)
    rows = _all_rows(prepared)
    hilbert = rows["hilbert"].to_numpy()
    assert (np.diff(hilbert.astype(np.float64)) >= 0).all()
    assert (np.diff(rows["tile"].to_numpy()) >= 0).all()
    centroids = shapely.centroid(np.asarray(rows.geometry.values))
    cells = store.grid.tile_bounds(rows["tile"].to_numpy())
    x, y = shapely.get_x(centroids), shapely.get_y(centroids)
    assert ((x >= cells[:, 0]) & (x < cells[:, 2]) & (y >= cells[:, 1]) & (y < cells[:, 3])).all()
    assert len(list((prepared / "buildings" / "lod0").glob("*.parquet"))) > 1


def test_the_index_matches_the_files(prepared):
    store = open_store(prepared)
    tiles = store.tiles(0)
    assert tiles["tile"].is_unique and tiles["count"].sum() == store.meta["count"]
    assert len(tiles) > 10
    for row in tiles.itertuples():
        rows = store.read_tile(row.tile)
        assert len(rows) == row.count
        assert (rows["tile"] == row.tile).all()
        box = shapely.total_bounds(np.asarray(rows.geometry.values))
        assert np.allclose(box, [row.xmin, row.ymin, row.xmax, row.ymax])
        assert rows["height_m"].min() == pytest.approx(row.height_min_m)
        assert rows["height_m"].max() == pytest.approx(row.height_max_m)
        named = pq.ParquetFile(prepared / row.file).read_row_groups(list(row.row_groups), columns=["tile"])
        assert (named.column("tile").to_numpy() == row.tile).sum() == row.count
    assert store.read_tile(-5).empty


def test_read_bbox_reads_only_the_rows_that_meet_it(prepared):
    from .conftest import X0, Y0

    store = open_store(prepared)
    rows = _all_rows(prepared)
    bounds = (X0 + 400, Y0 + 300, X0 + 1400, Y0 + 900)
    boxes = shapely.bounds(np.asarray(rows.geometry.values))
    meets = (
        (boxes[:, 0] <= bounds[2])
        & (boxes[:, 2] >= bounds[0])
        & (boxes[:, 1] <= bounds[3])
        & (boxes[:, 3] >= bounds[1])
    )
    got = store.read_bbox(bounds)
    assert sorted(got["id"]) == sorted(rows.loc[meets, "id"]) and len(got) > 50


def test_merged_blocks_are_fewer_with_the_same_footprint_area(prepared):
    store = open_store(prepared)
    lod0, lod1 = _all_rows(prepared, 0), _all_rows(prepared, 1)
    assert 0 < len(lod1) < len(lod0)
    assert "id" not in lod1.columns and set(lod1.columns) >= {"bbox", "height_m", "usage", "tile", "hilbert"}
    assert len(store.tiles(1)) == len(store.tiles(0))
    for tile in store.tiles(0)["tile"]:
        footprints = shapely.union_all(np.asarray(lod0.geometry.values)[lod0["tile"].to_numpy() == tile])
        blocks = shapely.area(np.asarray(lod1.geometry.values)[lod1["tile"].to_numpy() == tile]).sum()
        assert blocks == pytest.approx(shapely.area(footprints), rel=0.01)
    assert (np.diff(lod1["hilbert"].to_numpy().astype(np.float64)) >= 0).all()
    heights = lod1["height_m"].to_numpy()
    assert heights.min() >= lod0["height_m"].min() - 1e-3 and heights.max() <= lod0["height_m"].max() + 1e-3


def test_files_are_geoparquet_1_1_with_a_bbox_covering(prepared):
    path = next((prepared / "buildings" / "lod0").glob("*.parquet"))
    geo = json.loads(pq.ParquetFile(path).schema_arrow.metadata[b"geo"])
    column = geo["columns"]["geometry"]
    assert geo["version"] == "1.1.0" and column["encoding"] == "WKB"
    assert column["covering"]["bbox"]["xmin"] == ["bbox", "xmin"]
    assert column["crs"]["id"]["code"] == 2154
    import geopandas as gpd

    frame = gpd.read_parquet(path)  # geopandas reads it as GeoParquet
    assert frame.crs.to_epsg() == 2154 and len(frame) > 0
    schema = pq.ParquetFile(path).schema_arrow
    assert str(schema.field("height_m").type) == "float" and str(schema.field("hilbert").type) == "uint64"


def test_a_rerun_after_an_interruption_finishes_with_the_same_result(prepared, tmp_path):
    from layers.store.prepare import PrepareOptions, prepare_store

    store = tmp_path / "copy.store"
    shutil.copytree(prepared, store)
    meta = json.loads((store / "store.json").read_text())
    sources = [s["path"] for s in meta["sources"]]
    meta["complete"] = False
    (store / "store.json").write_text(json.dumps(meta))
    (store / "buildings" / "lod0" / "part-00001.parquet").unlink()
    with pytest.raises(Exception, match="is an incomplete store"):
        open_store(store)
    summary = prepare_store(sources, store, PrepareOptions(**OPTIONS), progress=None)  # type: ignore[arg-type]
    assert summary.count == meta["count"]
    before, after = _all_rows(prepared), _all_rows(store)
    assert before.drop(columns="geometry").equals(after.drop(columns="geometry"))
    assert shapely.equals_exact(np.asarray(before.geometry.values), np.asarray(after.geometry.values)).all()
    assert (
        open_store(store)
        .tiles()
        .drop(columns="row_groups")
        .equals(open_store(prepared).tiles().drop(columns="row_groups"))
    )
    assert not (store / "_work").exists()
    again = prepare_store(sources, store, PrepareOptions(**OPTIONS), progress=None)  # type: ignore[arg-type]
    assert again.partitions == 0 and again.count == summary.count  # complete: nothing to redo


def test_row_groups_hold_whole_tiles_small_ones_together():
    from layers.store import layout

    tiles = np.repeat([1, 2, 3, 4, 5], [10, 10, layout.MIN_ROW_GROUP, 2 * layout.MAX_ROW_GROUP + 5, 3])
    groups = layout.row_groups(tiles)
    assert groups[0] == (0, 20 + layout.MIN_ROW_GROUP)  # tiles 1, 2 and 3 share a group
    big = [g for g in groups if tiles[g[0]] == 4]
    assert len(big) == 3 and all(b - a <= layout.MAX_ROW_GROUP for a, b in big)
    assert groups[-1][1] == len(tiles)
    assert all(a < b for a, b in groups) and all(
        groups[i][1] == groups[i + 1][0] for i in range(len(groups) - 1)
    )
    for a, b in groups:  # a group that holds part of a large tile holds nothing else
        assert len(set(tiles[a:b])) == 1 or b - a <= layout.MAX_ROW_GROUP
