"""An orthophoto on the terrain (IGN's test tile in Montpellier, Lambert-93 written as a WKT that
names no EPSG code): read at full resolution with its own colours, nodata transparent, laid on
the DTM of the same tile and shown as a photo."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from pyproj import CRS

from layers.core.reading import open_layer
from layers.core.scene import Scene
from layers.raster.layer import RasterLayer
from layers.session.views import CameraView
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.visuals.raster import RasterVisual

TILE = "lidar_hd/montpellier_0770_6277"


@pytest.fixture(scope="module")
def files(shared_data):
    folder = shared_data / TILE
    return folder / "ortho_rgb_20cm.tif", folder / "DTM_test_data_77055_627760_LA93_IGN69_50CM.tif"


def test_the_orthophoto_keeps_its_pixels_colours_and_place(files):
    ortho, _ = files
    layer = open_layer(ortho)
    assert isinstance(layer, RasterLayer) and layer.grid.is_image
    assert layer.crs.equals(CRS.from_epsg(2154))  # the odd WKT understood as Lambert-93, and said
    assert any("is the projection of EPSG:2154" in note for note in layer.warnings)
    with rasterio.open(ortho) as ds:
        rgb = np.moveaxis(ds.read(), 0, -1)
        nodata = (rgb == 255).all(axis=-1)
    assert layer.grid.shape == rgb.shape[:2]  # full resolution: 252 × 252 at 0.2 m
    rgba = layer.grid.rgba
    assert (rgba[..., :3][~nodata] == rgb[~nodata]).all()  # the very colours
    assert (rgba[..., 3][nodata] == 0).all() and (rgba[..., 3][~nodata] == 255).all()
    assert nodata.any()  # the tile has nodata pixels: they are see-through


def test_a_jpeg_2000_orthophoto_opens_as_a_photo(tmp_path):
    """BD ORTHO ships JPEG 2000 tiles (rasterio's JP2OpenJPEG driver reads them)."""
    from rasterio.transform import from_origin

    rgb = np.zeros((3, 64, 64), dtype=np.uint8)
    rgb[0, :32], rgb[1, 32:], rgb[2] = 200, 150, 40
    path = tmp_path / "0350_6790_ortho.jp2"
    profile = dict(driver="JP2OpenJPEG", width=64, height=64, count=3, dtype="uint8", crs="EPSG:2154")
    with rasterio.open(path, "w", transform=from_origin(350_000, 6_790_000, 0.2, 0.2), **profile) as ds:
        ds.write(rgb)
    layer = open_layer(path)
    assert isinstance(layer, RasterLayer) and layer.grid.is_image and layer.grid.shape == (64, 64)
    assert np.abs(layer.grid.rgba[10, 10, :3].astype(int) - (200, 0, 40)).max() <= 3  # lossless by default
    assert layer.crs.equals(CRS.from_epsg(2154))


def test_the_orthophoto_lies_on_the_terrain_as_a_photo(files):
    ortho, dtm = files
    scene = Scene()
    terrain = scene.add(open_layer(dtm))
    photo = scene.add(open_layer(ortho))
    plotter = make_plotter((400, 400))
    view = SceneView(plotter, scene, auto_render=False)
    visual = view.visuals[id(photo)]
    assert isinstance(visual, RasterVisual) and visual.actor is not None
    texture = visual.actor.GetTexture()
    assert texture.GetInterpolate() and texture.GetMipmap()  # filtered as a photo
    z = np.asarray(visual.actor.GetMapper().GetInput().GetPoints().GetData())[:, 2]
    low, high = terrain.elevation_range()
    assert z.max() - z.min() == pytest.approx(high - low, abs=0.2)  # draped: it follows the DTM
    # seen from above, the middle of the picture is the middle of the photo
    xmin, ymin, xmax, ymax = photo.bounds()
    x, y = (xmin + xmax) / 2, (ymin + ymax) / 2
    view.go_to(CameraView("top", (x, y - 0.01, 120.0), (x, y, 0.0), (0.0, 1.0, 0.0), 30.0))
    plotter.ren_win.Render()
    image = np.asarray(plotter.screenshot(None, return_img=True))[..., :3].astype(int)
    expected = photo.grid.sample(x, y)[:3]
    assert np.abs(image[200, 200] - expected).max() < 40
    view.close()
    plotter.close()


def test_a_terrain_under_the_orthophoto_has_no_altitude_legend(files):
    """Its colours are hidden by the photo: a ramp nobody sees would mislead; the photo hidden, it
    comes back."""
    ortho, dtm = files
    scene = Scene()
    terrain = scene.add(open_layer(dtm))
    photo = scene.add(open_layer(ortho))
    plotter = make_plotter((300, 300))
    view = SceneView(plotter, scene, auto_render=False)
    assert view.visuals[id(terrain)].legends() == []
    photo.visible = False
    assert [legend.title for legend in view.visuals[id(terrain)].legends()] == ["Altitude (m)"]
    view.close()
    plotter.close()
