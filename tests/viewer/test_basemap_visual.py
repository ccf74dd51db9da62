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
