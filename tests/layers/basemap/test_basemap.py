"""Basemaps: MBTiles in both row orders, PMTiles v3, the zoom chosen for a view, the tile cache,
tiles warped into Lambert-93, the real MBTiles of the test data."""

from __future__ import annotations

import io

import numpy as np
import pytest
from pyproj import CRS, Transformer

from layers.basemap import webmercator as wm
from layers.basemap.cache import TileCache
from layers.basemap.layer import BasemapLayer
from layers.basemap.mbtiles import write_mbtiles
from layers.basemap.pmtiles import PMTiles, tile_id, write_pmtiles
from layers.core.area import Area
from layers.core.reading import open_layer
from tests.conftest import SHARED_DATA

L93 = CRS.from_epsg(2154)
DATA = SHARED_DATA / "basemap"
#: Rennes (lon, lat)
RENNES = (-1.6778, 48.1173)


def png(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(out, format="PNG")
    return out.getvalue()


def rennes_tiles(z: int = 15, span: int = 2) -> dict[tuple[int, int, int], bytes]:
    """Tiles around Rennes at zoom ``z``: red in the top-left, the others blue."""
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform(*RENNES)
    x0, y0, _, _ = wm.tile_range((x, y, x, y), z)
    return {
        (z, x0 + i, y0 + j): png((220, 30, 30) if (i, j) == (0, 0) else (30, 30, 220))
        for i in range(span)
        for j in range(span)
    }


def test_tile_ids_follow_the_spec():
    assert [tile_id(0, 0, 0), tile_id(1, 0, 0), tile_id(1, 0, 1), tile_id(1, 1, 1), tile_id(1, 1, 0)] == [
        0,
        1,
        2,
        3,
        4,
    ]
    assert tile_id(2, 0, 0) == 5 and tile_id(3, 0, 0) == 21


@pytest.mark.parametrize("order", ["tms", "xyz"])
def test_mbtiles_rows_read_in_either_order_land_where_they_belong(tmp_path, order):
    path = write_mbtiles(tmp_path / f"{order}.mbtiles", rennes_tiles(), row_order=order)
    layer = BasemapLayer.load(path)
    assert layer.tiles.row_order == order
    assert bool(layer.warnings) == (order == "xyz")  # reading against the spec is said
    layer.reproject(L93)
    xmin, ymin, xmax, ymax = layer.bounds()
    x, y = Transformer.from_crs("EPSG:4326", L93, always_xy=True).transform(*RENNES)
    assert xmin <= x <= xmax and ymin <= y <= ymax


def test_the_metadata_scheme_and_bounds_decide_the_row_order(tmp_path):
    tiles = rennes_tiles()
    by_scheme = write_mbtiles(tmp_path / "s.mbtiles", tiles, row_order="xyz", metadata={"scheme": "xyz"})
    assert BasemapLayer.load(by_scheme).tiles.row_order_reason == "metadata scheme = xyz"
    bounds = {"bounds": "-1.75,48.05,-1.6,48.15"}
    by_bounds = write_mbtiles(tmp_path / "b.mbtiles", tiles, row_order="xyz", metadata=bounds)
    assert "bounds" in BasemapLayer.load(by_bounds).tiles.row_order_reason
    assert BasemapLayer.load(by_bounds).tiles.row_order == "xyz"
    forced = BasemapLayer.load(by_bounds, row_order="tms")
    assert forced.tiles.row_order == "tms" and forced.options == {"row_order": "tms"}


def test_pmtiles_read_back_what_was_written(tmp_path):
    tiles = rennes_tiles(z=14, span=3)
    path = write_pmtiles(tmp_path / "r.pmtiles", tiles, metadata={"attribution": "<a>© Test</a>"})
    archive = PMTiles(path)
    assert archive.tile_count() == 9 and archive.zooms() == [14]
    for key, data in tiles.items():
        assert archive.tile(*key) == data
    z, x, y = next(iter(tiles))
    assert archive.tile(z, x + 10, y) is None
    assert open_layer(path).attribution == "© Test"  # HTML tags left out


def test_the_zoom_follows_the_screen_pixel_and_the_view_takes_few_tiles(tmp_path):
    tiles = {**rennes_tiles(13, 1), **rennes_tiles(15, 4), **rennes_tiles(17, 8)}
    layer = BasemapLayer.load(write_mbtiles(tmp_path / "z.mbtiles", tiles))
    layer.reproject(L93)
    box = layer.bounds()
    # a pixel of 1 m on the ground at 48° N is about zoom 17; 20 m about zoom 13
    assert layer.choose_tiles(box, 0.8)[0] == 17
    assert layer.choose_tiles(box, 3.0)[0] == 15
    assert layer.choose_tiles(box, 40.0)[0] == 13
    # a whole-country view at 1 m per pixel would need thousands of tiles: a coarser zoom
    wide = (box[0] - 1e5, box[1] - 1e5, box[2] + 1e5, box[3] + 1e5)
    z, (x0, y0, x1, y1) = layer.choose_tiles(wide, 0.8)
    assert (x1 - x0 + 1) * (y1 - y0 + 1) <= 64


def test_tiles_are_warped_into_the_scene_crs_with_their_colours(tmp_path):
    layer = BasemapLayer.load(write_mbtiles(tmp_path / "c.mbtiles", rennes_tiles()))
    layer.reproject(L93)
    grid = layer.view_image(layer.bounds(), 4.0)
    assert grid is not None and grid.crs.equals(L93)
    rows, cols = grid.shape
    assert tuple(grid.rgba[rows // 5, cols // 5]) == (220, 30, 30, 255)  # north-west tile red
    assert tuple(grid.rgba[4 * rows // 5, 4 * cols // 5]) == (30, 30, 220, 255)


def test_the_cache_keeps_decoded_tiles_within_its_budget(tmp_path):
    layer = BasemapLayer.load(write_mbtiles(tmp_path / "k.mbtiles", rennes_tiles(span=4)))
    layer.reproject(L93)
    layer.view_image(layer.bounds(), 4.0)
    assert layer.cache.misses == 16 and layer.cache.hits == 0
    layer.view_image(layer.bounds(), 4.0)
    assert layer.cache.hits == 16  # a second look decodes nothing
    small = TileCache(budget_bytes=3 * 256 * 256 * 4)
    for i in range(10):
        small.get((0, 0, i), lambda: np.zeros((256, 256, 4), np.uint8))
    assert len(small) == 3 and small.used_bytes <= small.budget_bytes


def test_an_area_keeps_only_its_part(tmp_path):
    x, y = Transformer.from_crs("EPSG:4326", L93, always_xy=True).transform(*RENNES)
    area = Area.from_bbox((x - 100, y - 100, x + 100, y + 100), L93)
    layer = BasemapLayer.load(write_mbtiles(tmp_path / "a.mbtiles", rennes_tiles(span=4)), area=area)
    layer.reproject(L93)
    xmin, ymin, xmax, ymax = layer.bounds()
    assert xmax - xmin < 260 and ymax - ymin < 260


@pytest.mark.skipif(not DATA.exists(), reason="shared test data not on this machine")
def test_the_real_mbtiles_land_on_france():
    tms = open_layer(DATA / "france-35.mbtiles")
    xyz = open_layer(DATA / "france-6.mbtiles")
    assert isinstance(tms, BasemapLayer) and isinstance(xyz, BasemapLayer)
    assert tms.tiles.row_order == "tms"
    assert xyz.tiles.row_order == "xyz" and "land" in xyz.tiles.row_order_reason
    to_lonlat = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
    for layer in (tms, xyz):
        w, s, e, n = to_lonlat.transform_bounds(*layer.bounds())
        assert w < 2.35 < e and s < 48.85 < n  # Paris is under the tiles


def test_a_guessed_row_order_is_settled_by_the_scene(tmp_path):
    """Rows stored from the north over Libya (30° N, 20° E): read from the south they would lie
    in South Africa, on land as well, so only the rest of the scene can tell."""
    to_3857 = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    x, y = to_3857.transform(20.0, 30.0)
    x0, y0, _, _ = wm.tile_range((x, y, x, y), 12)
    tiles = {(12, x0 + i, y0 + j): png((200, 180, 120)) for i in range(2) for j in range(2)}
    layer = BasemapLayer.load(write_mbtiles(tmp_path / "libye.mbtiles", tiles, row_order="xyz"))
    assert layer.tiles.row_order == "tms" and layer.tiles.row_order_guessed  # the spec's, a guess
    utm = CRS.from_epsg(32634)
    layer.reproject(utm)
    here = Transformer.from_crs("EPSG:4326", utm, always_xy=True).transform(20.01, 29.99)
    city = (here[0] - 100, here[1] - 100, here[0] + 100, here[1] + 100)
    assert layer.place_among([city])
    assert layer.tiles.row_order == "xyz" and "other layers" in layer.warnings[-1]
    xmin, ymin, xmax, ymax = layer.bounds()
    assert xmin < here[0] < xmax and ymin < here[1] < ymax
    assert not layer.place_among([city])  # settled
