"""Noise, heat and raster overlays as a person checks them: the legend's colours on screen, maps
under the buildings (never over them), translucent maps still visible from afar, the heat surface
following the clock in place, façades, the value probe."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import CRS

from layers.core.palettes import NOISE_BANDS, hex_to_rgb, noise_rgba
from layers.core.reading import open_layer
from layers.core.scene import Scene
from layers.core.timeutil import parse_time
from layers.heat.layer import HeatLayer
from layers.io.grid import Grid
from layers.noise.layer import NoiseLayer
from layers.session.views import CameraView
from viewer.probe import value_under
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.visuals.noise import NoiseVisual, noise_lut
from viewer.visuals.raster import map_colors

L93 = CRS.from_epsg(2154)
X0, Y0 = 351_500.0, 6_789_000.0


def lden_layer(
    value: float = 67.0, size: int = 100, pixel: float = 4.0, x0: float = X0 - 20, y0: float = Y0 + 380
) -> NoiseLayer:
    values = np.full((size, size), value, dtype=np.float32)
    values[:5, :5] = np.nan
    return NoiseLayer("Lden", Grid(values=values, x0=x0, y0=y0, dx=pixel, dy=pixel, crs=L93))


def view_of(scene: Scene, size=(800, 600)):
    plotter = make_plotter(size)
    return plotter, SceneView(plotter, scene, auto_render=False)


def top_down(view: SceneView, x: float, y: float, height: float) -> None:
    view.go_to(CameraView("top", (x, y - 1.0, height), (x, y, 0.0), (0.0, 1.0, 0.0), 30.0))


def shot(plotter) -> np.ndarray:
    plotter.ren_win.Render()
    return np.asarray(plotter.screenshot(None, return_img=True))[..., :3].astype(int)


def test_the_table_is_the_standard():
    levels = np.array(
        [20.0, 44.99, 45.0, 49.9, 50.0, 55.0, 59.99, 60.0, 65.0, 67.5, 70.0, 74.9, 75.0, 80.0, 110.0, np.nan]
    )
    ours = map_colors(noise_lut(), levels.astype(np.float32))
    assert (ours == noise_rgba(levels)).all()  # the model's classification, limits included
    assert tuple(ours[-1]) == (0, 0, 0, 0)  # no data is transparent, not quiet


def test_noise_colours_on_screen_are_the_legend_colours():
    scene = Scene()
    scene.add(lden_layer(67.0))
    plotter, view = view_of(scene)
    top_down(view, X0 + 180, Y0 + 180, 600.0)
    image = shot(plotter)
    red = np.array(hex_to_rgb(NOISE_BANDS[5].hex))  # 65-70 dB(A): #FD0000
    assert (np.abs(image[300, 400] - red) <= 1).all()  # unlit: exactly the legend's colour
    legend = view.legend_stack.legends[0]
    assert "Lden" in legend.title and "dB(A)" in legend.title
    assert [label for _, label in legend.entries()] == ["65-70 dB(A)"]
    plotter.close()


def test_maps_lie_under_the_buildings(tiny_city):
    """The depth-offset regression: a map must never be drawn over roofs and walls."""

    def render(buildings: bool, with_map: bool) -> np.ndarray:
        scene = Scene()
        scene.add(open_layer(tiny_city / "buildings.geojson"))
        scene.layers[0].visible = buildings
        if with_map:
            scene.add(lden_layer(72.0))  # 70-75: #CF03FD, nothing like the buildings
        plotter, view = view_of(scene, (900, 600))
        view.reset_camera()
        camera = plotter.renderer.GetActiveCamera()
        camera.Dolly(0.5)  # from afar, where the old offsets pulled the map through the roofs
        plotter.renderer.ResetCameraClippingRange()
        image = shot(plotter)
        plotter.close()
        return image

    ground, plain, mapped = render(False, False), render(True, False), render(True, True)
    violet = np.array(hex_to_rgb(NOISE_BANDS[6].hex))
    building = np.abs(plain - ground).sum(axis=2) > 30
    assert building.mean() > 0.02
    is_map = np.abs(mapped - violet).sum(axis=2) < 40
    assert (is_map & building).sum() < 0.05 * building.sum()
    assert (is_map & ~building).mean() > 0.01  # and the map is there, around them


def test_a_translucent_map_stays_visible_from_afar():
    scene = Scene()
    layer = lden_layer(67.0, size=300, pixel=10.0)
    layer.opacity = 0.8
    scene.add(layer)
    plotter, view = view_of(scene)
    view.go_to(
        CameraView("far", (X0 + 1300, Y0 - 3500, 2500.0), (X0 + 1300, Y0 + 1300, 0.0), (0.0, 0.0, 1.0), 30.0)
    )
    image = shot(plotter)
    reddish = (image[..., 0] > 200) & (image[..., 1] < 90) & (image[..., 2] < 90)
    assert reddish.mean() > 0.1
    plotter.close()


def test_isophones_and_facades(sample_city):
    scene = Scene()
    buildings = open_layer(sample_city / "buildings.gpkg", "buildings", height_field="hauteur")
    scene.add(buildings)
    bands = open_layer(sample_city / "noise_lden_isophones.gpkg", "noise")
    bands.update_style(facades=True)
    scene.add(bands)
    plotter, view = view_of(scene, (400, 300))
    visual = view.visual(bands)
    assert isinstance(visual, NoiseVisual) and visual.actor is not None and visual.facade_actor is not None
    exposure = bands.facade_exposure(buildings)
    drawn = exposure.segments.exposed & np.isfinite(exposure.level_db)
    assert visual.facade_actor.GetMapper().GetInput().GetNumberOfPolys() == 2 * int(drawn.sum())
    assert "facade_lden_over_68_pct" in buildings.frame.columns
    bands.update_style(facades="only")
    visual = view.visual(bands)
    assert visual.actor is None and visual.facade_actor is not None
    bands.visible = False
    assert not visual.facade_actor.GetVisibility()
    plotter.close()


def test_heat_raster_uses_the_layers_palette_and_limits(tmp_path):
    from layers.io.raster_file import write_geotiff

    values = np.linspace(18, 46, 64 * 64, dtype=np.float32).reshape(64, 64)
    path = write_geotiff(
        Grid(values=values, x0=X0, y0=Y0 + 640, dx=10, dy=10, crs=L93),
        tmp_path / "lst.tif",
        tags={"UNIT": "°C"},
    )
    layer = HeatLayer.load(path)
    scene = Scene()
    scene.add(layer)
    plotter, view = view_of(scene, (400, 300))
    visual = view.visual(layer)
    assert visual.lut.GetRange() == pytest.approx(layer.color_limits())
    assert (sum(layer.color_limits()) / 2) == pytest.approx(layer.color_center())
    title = view.legend_stack.legends[0].title
    assert "°C" in title
    assert value_under(view, X0 + 5, Y0 + 635).endswith("°C")
    plotter.close()


def test_heat_surface_follows_the_clock_in_place(sample_city):
    layer = open_layer(
        sample_city / "air_temperature.csv",
        "heat",
        time="time",
        id="station",
        value="temp_c",
        locations=sample_city / "air_temperature_stations.csv",
    )
    scene = Scene()
    scene.add(layer)
    scene.clock.time = parse_time("2025-07-01T16:00", "Europe/Paris")
    plotter, view = view_of(scene, (400, 300))
    visual = view.visual(layer)
    actors = list(visual.actors)
    pixels = visual.raster_texture._pixels
    noon = pixels.copy()
    legend = view.legend_stack.legends[0]
    scene.clock.time = parse_time("2025-07-02T04:00", "Europe/Paris")
    assert list(visual.actors) == actors and visual.raster_texture._pixels is pixels  # in place
    assert (pixels != noon).any()
    assert view.legend_stack.legends[0].lut.GetRange() == legend.lut.GetRange()  # the legend holds still
    # a station's puck shows its reading, the inspector its heat island intensity
    dense = list(layer.stations.sensor_ids).index("T07")
    info = visual.attributes(-1 - dense)
    assert info["uhi_k"] > 2.0 and info["reference"].startswith("Jardins familiaux")
    x, y = layer.stations.xy[dense]
    assert value_under(view, x, y).startswith("Température de l'air")
    layer.update_style(show="uhi")
    visual = view.visual(layer)
    assert "Îlot de chaleur" in view.legend_stack.legends[0].title
    assert value_under(view, x, y).startswith("Îlot de chaleur") and "+" in value_under(view, x, y)
    layer.set_reference(None)  # no reference, no heat island: the surface is redrawn as temperatures
    assert view.legend_stack.legends[0].title.startswith("Température de l'air")
    assert value_under(view, x, y).startswith("Température de l'air")
    plotter.close()


def test_probe_takes_the_topmost_overlay_and_pick_finds_the_pixel():
    scene = Scene()
    values = np.full((20, 20), 25.0, dtype=np.float32)
    heat = HeatLayer("lst", Grid(values=values, x0=X0, y0=Y0 + 200, dx=10, dy=10, crs=L93))
    noise = lden_layer(58.0, size=20, pixel=10.0, x0=X0, y0=Y0 + 200)
    scene.add(heat)
    scene.add(noise)
    plotter, view = view_of(scene, (600, 600))
    assert value_under(view, X0 + 105, Y0 + 105) == "Lden 58.0 dB(A)"
    noise.visible = False
    assert "25" in value_under(view, X0 + 105, Y0 + 105)
    assert value_under(view, X0 - 500, Y0) is None
    top_down(view, X0 + 100, Y0 + 100, 400.0)
    shot(plotter)
    pick = view.pick(300, 300)
    assert pick is not None and pick.layer is heat
    info = pick.attributes()
    assert info["value"] == 25.0 and info["unit"] == "°C"
    plotter.close()


def test_facades_stand_where_the_buildings_stand_on_a_terrain(tiny_city):
    from layers.terrain.layer import TerrainLayer

    scene = Scene()
    slope = np.tile(np.linspace(40.0, 70.0, 60, dtype=np.float32), (60, 1))  # rising to the east
    scene.add(TerrainLayer("dem", Grid(values=slope, x0=X0 - 100, y0=Y0 + 500, dx=10, dy=10, crs=L93)))
    buildings = open_layer(tiny_city / "buildings.geojson")
    scene.add(buildings)
    noise = lden_layer(67.0)
    noise.update_style(facades=True)
    scene.add(noise)
    plotter, view = view_of(scene, (300, 200))
    facades = view.visual(noise).facade_actor.GetBounds()
    ground = np.nan_to_num(buildings.seat_on(scene.terrain()) - scene.ground_reference_m, nan=0.0)
    assert ground.max() > 15.0
    assert facades[4] == pytest.approx(float(ground.min()), abs=0.01)
    assert facades[5] == pytest.approx(float((ground + buildings.height_m).max()), abs=0.01)
    plotter.close()
