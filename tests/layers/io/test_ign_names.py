"""IGN's downloads are credited as IGN asks, recognised by their names."""

from __future__ import annotations

import pytest

from layers.io.ign_names import BD_ORTHO, LIDAR_HD, ign_credit


@pytest.mark.parametrize(
    "path, credit",
    [
        ("/d/LHD_FXX_0770_6277_MNT_O_0M50_LAMB93_IGN69.tif", LIDAR_HD),
        ("/d/DHM_test_data_77055_627760_LA93_IGN69_50CM.tif", LIDAR_HD),
        ("/d/BDORTHO_2-0_RVB-0M20_JP2-E080_LAMB93_D035_2020/1_DONNEES/35-2020-0300-6790.jp2", BD_ORTHO),
        ("/d/ORTHOHR_1-0_RVB-0M20_JP2-E080_LAMB93_D034_2021/tile.jp2", BD_ORTHO),
        ("/d/ortho_rgb_20cm.tif", None),
        ("/d/mnt_lyon_10m.tif", None),
    ],
)
def test_ign_products_are_credited_by_their_names(path: str, credit: str | None) -> None:
    assert ign_credit(path) == credit


def test_a_lidar_tile_opens_with_its_credit(shared_data) -> None:
    from layers.core.reading import open_layer

    folder = shared_data / "lidar_hd" / "montpellier_0770_6277"
    tile = folder / "DTM_test_data_77055_627760_LA93_IGN69_50CM.tif"
    assert open_layer(tile).attribution == LIDAR_HD
