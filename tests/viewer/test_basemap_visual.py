"""A basemap on screen: the tiles' colours where they belong, a finer zoom as the camera comes
down, nothing fetched while the camera moves."""

from __future__ import annotations

import numpy as np
from pyproj import CRS, Transformer

from layers.basemap.layer import BasemapLayer
from layers.basemap.mbtiles import write_mbtiles
from layers.core.scene import Scene
from layers.session.views import CameraView
from tests.layers.basemap.test_basemap import RENNES, rennes_tiles
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.visuals.basemap import BasemapVisual

L93 = CRS.from_epsg(2154)


def test_the_basemap_follows_the_camera(tmp_path):
    tiles = {**rennes_tiles(13, 1), **rennes_tiles(16, 4)}
    layer = BasemapLayer.load(write_mbtiles(tmp_path / "v.mbtiles", tiles))
    scene = Scene(L93)
    scene.add(layer)
    plotter = make_plotter((400, 300))
    view = SceneView(plotter, scene, auto_render=False)
    visual = view.visuals[id(layer)]
    assert isinstance(visual, BasemapVisual)
    x, y = Transformer.from_crs("EPSG:4326", L93, always_xy=True).transform(*RENNES)

    def look(height: float) -> np.ndarray:
        view.go_to(CameraView("top", (x, y - 1.0, height), (x, y, 0.0), (0.0, 1.0, 0.0), 30.0))
        plotter.ren_win.Render()
        return np.asarray(plotter.screenshot(None, return_img=True))[..., :3].astype(int)

    far = look(20_000.0)
    assert visual.shown is not None and visual.shown[0] == 13
    assert (np.abs(far[150, 200] - (220, 30, 30)) < 12).all()  # Rennes lies in the red zoom-13 tile
    look(600.0)
    assert visual.shown is not None and visual.shown[0] == 16
    shown = visual.shown
    visual.set_detail(False)  # the camera moves: the picture waits
    look(20_000.0)
    assert visual.shown == shown
    visual.set_detail(True)
    look(20_000.0)
    assert visual.shown[0] == 13
    view.close()
    plotter.close()


def test_the_basemap_lies_on_the_terrain(tmp_path):
    import rasterio
    from rasterio.transform import from_origin

    from layers.core.reading import open_layer

    x, y = Transformer.from_crs("EPSG:4326", L93, always_xy=True).transform(*RENNES)
    rise = np.tile(np.linspace(30.0, 60.0, 200, dtype=np.float32), (200, 1))  # 30 m up to the east
    dtm = tmp_path / "mnt.tif"
    profile = dict(driver="GTiff", width=200, height=200, count=1, dtype="float32", crs="EPSG:2154")
    with rasterio.open(dtm, "w", transform=from_origin(x - 500, y + 500, 5.0, 5.0), **profile) as ds:
        ds.write(rise, 1)
    scene = Scene(L93)
    scene.add(open_layer(dtm))
    layer = scene.add(BasemapLayer.load(write_mbtiles(tmp_path / "t.mbtiles", rennes_tiles(16, 4))))
    plotter = make_plotter((300, 200))
    view = SceneView(plotter, scene, auto_render=False)
    view.go_to(CameraView("top", (x, y - 1.0, 1500.0), (x, y, 0.0), (0.0, 1.0, 0.0), 30.0))
    plotter.ren_win.Render()
    visual = view.visuals[id(layer)]
    points = np.asarray(visual.actor.GetMapper().GetInput().GetPoints().GetData())
    assert points[:, 2].max() - points[:, 2].min() > 20.0  # it climbs with the ground
    view.close()
    plotter.close()
