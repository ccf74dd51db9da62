"""LiDAR HD products: recognised by name, several tiles as one terrain, the window over an area."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from affine import Affine

from layers.core.area import Area
from layers.core.detect import detect_kind
from layers.core.errors import InputError
from layers.terrain.layer import TerrainLayer
from layers.terrain.products import HEIGHT, SURFACE, TERRAIN, product_of, tile_group


def write_tile(path, values, x0, y0, res, nodata=-9999.0, crs="EPSG:2154"):
    rows, cols = values.shape
    with rasterio.open(
        path, "w", driver="GTiff", width=cols, height=rows, count=1, dtype="float32",
        crs=crs, transform=Affine(res, 0, x0, 0, -res, y0), nodata=nodata,
    ) as ds:  # fmt: skip
        ds.write(values.astype(np.float32), 1)
    return path


@pytest.mark.parametrize(
    ("stem", "product"),
    [
        ("LHD_FXX_0770_6277_MNT_O_0M50_LAMB93_IGN69", TERRAIN),
        ("LHD_FXX_0770_6277_MNS_O_0M50_LAMB93_IGN69", SURFACE),
        ("LHD_FXX_0770_6277_MNH_O_0M50_LAMB93_IGN69", HEIGHT),
        ("DHM_test_data_77055_627760_LA93_IGN69_50CM", HEIGHT),
        ("DSM_test_data_77055_627760_LA93_IGN69_50CM", SURFACE),
        ("chm_rennes", HEIGHT),
        ("mns_hydro_postfiltre_test_mns_hydro_2023_0299_6802_LA93_IGN69_5m", SURFACE),
        ("dhmaps_of_paris", None),
    ],
)
def test_products_by_name(stem, product):
    assert product_of(stem) == product


def test_tiles_of_one_product_share_a_group():
    a, b = "LHD_FXX_0770_6277_MNT_O_0M50_LAMB93_IGN69", "LHD_FXX_0771_6277_MNT_O_0M50_LAMB93_IGN69"
    assert tile_group(a) == tile_group(b)
    assert tile_group(a) != tile_group(a.replace("MNT", "MNS"))


def test_lidar_hd_files_find_their_kind(shared_data):
    folder = shared_data / "lidar_hd/montpellier_0770_6277"
    assert detect_kind(next(folder.glob("DTM_*.tif"))) == "terrain"
    assert detect_kind(next(folder.glob("DSM_*.tif"))) == "terrain"
    assert detect_kind(next(folder.glob("DHM_*.tif"))) == "canopy"
    assert detect_kind(folder / "ortho_rgb_20cm.tif") == "raster"


def test_two_brittany_tiles_are_one_seamless_terrain(shared_data):
    a, b = sorted((shared_data / "lidar_hd/brittany_mns_5m").glob("*.tif"))
    layer = TerrainLayer.load(a, tiles=[b.name])
    assert layer.bounds() == (299000.0, 6801000.0, 301000.0, 6802000.0)
    assert layer.heights_m.shape == (200, 400) and layer.tile_count == 2
    with rasterio.open(a) as da, rasterio.open(b) as db:
        left, right = da.read(1, masked=True), db.read(1, masked=True)
    # every pixel is the file's own: the seam is between two columns, nothing resampled
    expected = np.ma.filled(np.ma.hstack([left, right]).astype(np.float32), np.nan)
    np.testing.assert_array_equal(layer.heights_m, expected)
    assert np.isnan(layer.heights_m).sum() == int(left.mask.sum() + right.mask.sum())  # nodata 9999
    assert layer.options["tiles"] == [b.name]
    assert "buildings and trees included" in layer.describe()["product"]


def test_an_area_reads_only_its_window(shared_data):
    a, b = sorted((shared_data / "lidar_hd/brittany_mns_5m").glob("*.tif"))
    area = Area.from_bbox((299802, 6801200, 300298, 6801700), "EPSG:2154")
    layer = TerrainLayer.load(a, tiles=[b.name], area=area)
    assert layer.bounds() == (299800.0, 6801200.0, 300300.0, 6801700.0)
    assert layer.heights_m.shape == (100, 100)
    far = Area.from_bbox((0, 0, 10, 10), "EPSG:2154")
    with pytest.raises(InputError, match="no tile"):
        TerrainLayer.load(a, tiles=[b.name], area=far)


def test_resolutions_nodata_and_budget(tmp_path):
    fine = np.full((40, 40), 100.0)
    fine[0, 0] = -9999.0
    coarse = np.full((20, 20), 120.0)
    coarse[5, 5] = 9999.0
    a = write_tile(tmp_path / "mnt_a.tif", fine, 1000.0, 2020.0, 0.5)
    write_tile(tmp_path / "mnt_b.tif", coarse, 1020.0, 2020.0, 1.0, nodata=9999.0)
    layer = TerrainLayer.load(a, tiles=["mnt_b.tif"])
    assert layer.grid.dx == 0.5 and layer.heights_m.shape == (40, 80)
    assert np.isnan(layer.heights_m[0, 0]) and np.isnan(layer.heights_m[10:12, 50:52]).all()
    assert np.nanmax(layer.heights_m) == pytest.approx(120.0)
    assert any("resolution" in w for w in layer.warnings)
    small = TerrainLayer.load(a, tiles=["mnt_b.tif"], max_pixels=800)
    assert small.heights_m.size <= 800 and any("1/" in w for w in small.warnings)


def test_tiles_in_other_crs_are_refused(tmp_path):
    a = write_tile(tmp_path / "mnt_a.tif", np.ones((4, 4)), 1000.0, 2000.0, 1.0)
    write_tile(tmp_path / "mnt_b.tif", np.ones((4, 4)), 1004.0, 2000.0, 1.0, crs="EPSG:3948")
    with pytest.raises(InputError, match="CRS"):
        TerrainLayer.load(a, tiles=["mnt_b.tif"])


def test_tiles_named_together_open_as_one_layer_and_come_back_from_a_project(tmp_path):
    from layers.session.opening import open_paths
    from layers.session.project import save_project
    from layers.session.scene_io import update_from_scene

    data = tmp_path / "data"
    data.mkdir()
    names = ["LHD_FXX_0770_6277_MNT_O_0M50", "LHD_FXX_0771_6277_MNT_O_0M50", "LHD_FXX_0770_6277_MNH_O_0M50"]
    write_tile(data / f"{names[1]}.tif", np.full((20, 20), 30.0), 771000.0, 6277000.0, 0.5)
    write_tile(data / f"{names[0]}.tif", np.full((20, 20), 20.0), 770990.0, 6277000.0, 0.5)
    write_tile(data / f"{names[2]}.tif", np.full((20, 20), 5.0), 770990.0, 6277000.0, 0.5)
    session = open_paths(sorted(data.glob("*.tif")))
    kinds = sorted(layer.kind for layer in session.scene.layers)
    assert kinds == ["canopy", "terrain"]  # the two terrain tiles are one layer
    terrain = next(layer for layer in session.scene.layers if layer.kind == "terrain")
    assert terrain.bounds() == (770990.0, 6276990.0, 771010.0, 6277000.0)
    project = update_from_scene(session.project, session.scene, tmp_path / "projects")
    saved = save_project(project, tmp_path / "projects/lidar.maquette.json")
    spec = next(s for s in project.layer_specs if s["kind"] == "terrain")
    assert spec["source"] == f"../data/{names[0]}.tif" and spec["options"]["tiles"] == [f"{names[1]}.tif"]
    again = open_paths([saved])
    terrain = next(layer for layer in again.scene.layers if layer.kind == "terrain")
    assert terrain.tile_count == 2 and np.nanmax(terrain.heights_m) == 30.0


def test_the_same_place_twice_is_not_a_mosaic(tmp_path):
    from layers.terrain.grouping import group_tiles

    a = write_tile(tmp_path / "mnt_2019.tif", np.ones((4, 4)), 1000.0, 2000.0, 1.0)
    b = write_tile(tmp_path / "mnt_2020.tif", np.ones((4, 4)), 1000.0, 2000.0, 1.0)
    specs = [{"kind": "terrain", "source": str(a)}, {"kind": "terrain", "source": str(b)}]
    assert group_tiles(specs) == specs


def test_a_missing_or_wrong_tile_is_said(tmp_path):
    a = write_tile(tmp_path / "mnt_a.tif", np.ones((4, 4)), 1000.0, 2000.0, 1.0)
    with pytest.raises(InputError, match="no such file") as missing:
        TerrainLayer.load(a, tiles=["mnt_gone.tif"])
    assert missing.value.path.name == "mnt_gone.tif"
    with pytest.raises(InputError, match="tiles option"):
        TerrainLayer.load(a, tiles=[3])
    (tmp_path / "mnt_junk.tif").write_bytes(b"not a tiff at all")
    with pytest.raises(InputError, match="cannot be read"):
        TerrainLayer.load(a, tiles=["mnt_junk.tif"])


def test_the_ground_is_the_terrain_model_not_the_surface_model(shared_data):
    from layers.core.scene import Scene

    folder = shared_data / "lidar_hd/montpellier_0770_6277"
    dsm = TerrainLayer.load(next(folder.glob("DSM_*.tif")))
    dtm = TerrainLayer.load(next(folder.glob("DTM_*.tif")))
    assert dsm.surface_model and not dtm.surface_model
    scene = Scene()
    scene.add(dsm)
    assert scene.terrain() is dsm  # alone, a surface model is the ground shown
    scene.add(dtm)
    assert scene.terrain() is dtm  # roofs and tree tops are not where buildings stand


def test_tiles_without_a_crs_take_the_one_given(tmp_path):
    a = write_tile(tmp_path / "mnt_a.tif", np.ones((4, 4)), 1000.0, 2000.0, 1.0, crs=None)
    write_tile(tmp_path / "mnt_b.tif", np.ones((4, 4)), 1004.0, 2000.0, 1.0, crs=None)
    with pytest.raises(InputError, match="no coordinate reference system"):
        TerrainLayer.load(a, tiles=["mnt_b.tif"])
    layer = TerrainLayer.load(a, tiles=["mnt_b.tif"], crs="EPSG:2154")
    assert layer.crs.to_epsg() == 2154 and layer.heights_m.shape == (4, 8)
    assert layer.options == {"crs": "EPSG:2154", "tiles": ["mnt_b.tif"]}


def test_a_surface_model_named_with_a_terrain_model_opens_hidden(shared_data):
    from layers.session.opening import open_paths

    folder = shared_data / "lidar_hd/montpellier_0770_6277"
    dsm, dtm = next(folder.glob("DSM_*.tif")), next(folder.glob("DTM_*.tif"))
    session = open_paths([dsm, dtm])
    shown = {layer.name[:3]: layer.visible for layer in session.scene.layers}
    assert shown == {"DSM": False, "DTM": True} and session.scene.terrain().name.startswith("DTM")
    (alone,) = open_paths([dsm]).scene.layers
    assert alone.visible
