"""The sun in the view: light from the SPA sun, exact ground shadows, shadow maps, night, off again."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from layers.core.timeutil import zone
from layers.session.opening import open_paths
from layers.sun.shadow_raster import RingTable
from viewer.render import make_plotter
from viewer.scene_view import SceneView

PARIS = zone("Europe/Paris")


@pytest.fixture
def view(tiny_city):
    session = open_paths([tiny_city / "buildings.geojson"])
    plotter = make_plotter((480, 320))
    scene_view = SceneView(plotter, session.scene, auto_render=False)
    scene_view.reset_camera()
    clock = session.scene.clock
    start = datetime(2025, 6, 21, tzinfo=PARIS)
    clock.set_range(start, start + timedelta(days=1))
    yield scene_view
    scene_view.close()
    plotter.close()


def shot(view):
    """A freshly rendered frame (PyVista's screenshot renders only the first time)."""
    view.plotter.render()
    return view.plotter.screenshot(None, return_img=True)


def lights_of(renderer):
    lights = renderer.GetLights()
    lights.InitTraversal()
    return [lights.GetNextItem() for _ in range(lights.GetNumberOfItems())]


def test_sun_light_and_ground_shadows_follow_the_clock(view):
    scene = view.scene
    plain = shot(view)
    view.set_sun(True)
    scene.clock.time = datetime(2025, 6, 21, 9, 0, tzinfo=PARIS)
    state = view.sun.state
    assert 60 < state.position.azimuth_deg < 100 and 20 < state.position.elevation_deg < 35
    assert state.times.sunrise.hour == 6 and state.times.sunset.hour == 22
    sun, fill = lights_of(view.renderer)
    assert sun.GetSwitch() and not sun.GetPositional() and fill.LightTypeIsHeadlight()
    direction = np.array(sun.GetPosition()) - np.array(sun.GetFocalPoint())
    expected = view.sun.site.direction(state.position)
    assert np.allclose(direction / np.linalg.norm(direction), expected, atol=1e-6)
    # the texture is the exact shadow of every building for the sun at that instant
    mask = view.sun.shadow_mask()
    assert mask is not None and mask.any()
    exact = np.zeros(view.sun.shadow_grid.shape, bool)
    for caster in view.sun.caster_tables():
        _, offset, lit = caster.footprints.offsets(scene.clock.time)
        exact |= caster.table.shade(offset, view.sun.shadow_grid, lit)
    assert np.array_equal(mask, exact)
    # morning sun in the east: more shade west of the blocks than east of them
    cols = mask.shape[1]
    assert mask[:, : cols // 3].sum() > mask[:, -cols // 3 :].sum()
    lit_image = shot(view)
    assert np.abs(lit_image.astype(int) - plain.astype(int)).mean() > 2
    assert "Soleil : azimut" in view.decorations.clock.GetInput()
    noon = view.sun.shadow_mask().sum()
    scene.clock.time = datetime(2025, 6, 21, 14, 0, tzinfo=PARIS)
    assert view.sun.shadow_mask().sum() < noon  # shorter shadows at solar noon


def test_night_is_a_look_not_an_error(view):
    view.set_sun(True)
    view.scene.clock.time = datetime(2025, 6, 21, 23, 30, tzinfo=PARIS)
    assert view.sun.state.night and view.sun.state.summary().startswith("Nuit")
    sun, fill = lights_of(view.renderer)
    assert not sun.GetSwitch() and fill.GetIntensity() > 0
    assert view.sun._quad_actor is None or not view.sun._quad_actor.GetVisibility()
    assert "lever 06:" in view.decorations.clock.GetInput()
    image = shot(view)
    assert image.mean() < 150  # a dark sky and ground


def test_shadow_maps_on_the_buildings_and_back_to_the_light_kit(view):
    assert not view.sun.use_shadow_maps  # an option, off by default
    view.sun.set_shadow_maps(True)
    view.set_sun(True)
    view.scene.clock.time = datetime(2025, 6, 21, 18, 0, tzinfo=PARIS)
    shot(view)
    assert view.sun.shadow_maps and view.sun.note is None
    baker = view.sun.shadow_baker()
    assert baker.GetHasShadows() and baker.GetResolution() == view.sun.shadow_map_resolution
    # the kilometres-wide ground plane is drawn by a background layer so the shadow map stays tight
    assert view.sun.ground_renderer() is not view.renderer
    assert view.renderer.GetLayer() == 1
    view.set_sun(False)
    assert not view.sun.enabled and view.sun._quad_actor is None
    assert view.sun.ground_renderer() is view.renderer and view.renderer.GetLayer() == 0
    assert view.renderer.HasViewProp(view._ground_actor)
    assert len(lights_of(view.renderer)) >= 4  # the light kit again
    assert view.renderer.GetPass() is None
    shot(view)


def test_textured_maps_keep_their_colours_under_shadow_maps(tiny_city):
    """A raster overlay drawn inside VTK's shadow pass loses its texture; it goes after it."""
    import rasterio
    from affine import Affine

    path = tiny_city / "hours.tif"
    values = np.full((40, 40), 3.0, np.float32)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=40,
        height=40,
        count=1,
        dtype="float32",
        crs="EPSG:2154",
        transform=Affine(10, 0, 351_480, 0, -10, 6_789_380),
        nodata=np.nan,
    ) as ds:
        ds.write(values, 1)
        ds.update_tags(UNIT="h", QUANTITY="sunlight hours", MAQUETTE_KIND="sunlight", MAX_HOURS="16")
    session = open_paths([tiny_city / "buildings.geojson", path])
    plotter = make_plotter((320, 240))
    scene_view = SceneView(plotter, session.scene, auto_render=False)
    scene_view.reset_camera()
    session.scene.clock.time = datetime(2025, 6, 21, 12, 0, tzinfo=PARIS)
    raster_actor = scene_view.visual(session.scene.layers[1]).actor
    scene_view.sun.set_shadow_maps(True)
    scene_view.set_sun(True)
    assert scene_view.sun.shadow_maps and raster_actor.GetForceTranslucent()
    image = shot(scene_view)
    assert image.std() > 10  # not one flat colour
    scene_view.sun.set_shadow_maps(False)
    assert not raster_actor.GetForceTranslucent() and scene_view.renderer.GetPass() is None
    scene_view.set_sun(False)
    scene_view.close()
    plotter.close()


def test_shadow_maps_refused_keep_the_ground_shadows(view, monkeypatch):
    import viewer.shadow_maps

    def refuse(resolution):
        raise RuntimeError("no FBO")

    monkeypatch.setattr(viewer.shadow_maps, "shadow_passes", refuse)
    view.sun.set_shadow_maps(True)
    view.set_sun(True)
    view.scene.clock.time = datetime(2025, 6, 21, 12, 0, tzinfo=PARIS)
    assert not view.sun.shadow_maps and "indisponibles" in view.sun.note
    assert view.sun.shadow_mask().any()
    view.language = "en"  # the note in the view's language
    view.sun.set_shadow_maps(False)
    view.sun.set_shadow_maps(True)
    assert view.sun.note == "shadows on the buildings unavailable (RuntimeError): ground shadows only"
    view.language = "fr"
    shot(view)


def test_ring_table_is_the_union_of_the_visible_buildings(view):
    view.set_sun(True)
    view.scene.clock.time = datetime(2025, 6, 21, 10, 0, tzinfo=PARIS)
    first = view.sun.shadow_mask().sum()
    layer = view.scene.layers[0]
    layer.visible = False
    view.legends_changed()
    assert view.sun.caster_count == 0 and view.sun._quad_actor is None
    layer.visible = True
    view.legends_changed()
    assert view.sun.shadow_mask().sum() == first
    tables = view.sun.caster_tables()
    assert [type(t.table) for t in tables] == [RingTable] and view.sun.caster_count == 36


def test_shadow_maps_switched_off_give_their_framebuffers_back(view):
    """Stopping the shadow maps frees their GL framebuffer and textures: VTK complains when a
    framebuffer is destroyed without them released (seen on the terminal at each switch-off)."""
    import gc

    from vtkmodules.vtkCommonCore import vtkObject, vtkOutputWindow, vtkStringOutputWindow

    previous_window, previous_display = vtkOutputWindow.GetInstance(), vtkObject.GetGlobalWarningDisplay()
    said = vtkStringOutputWindow()
    vtkOutputWindow.SetInstance(said)
    vtkObject.GlobalWarningDisplayOn()
    try:
        view.sun.set_shadow_maps(True)
        view.set_sun(True)
        view.scene.clock.time = datetime(2025, 6, 21, 18, 0, tzinfo=PARIS)
        shot(view)
        assert view.sun.shadow_maps
        view.sun.set_shadow_maps(False)
        gc.collect()
        shot(view)
    finally:
        vtkObject.SetGlobalWarningDisplay(previous_display)
        vtkOutputWindow.SetInstance(previous_window)
    assert "should have been deleted" not in said.GetOutput()
