"""Streamed buildings cast the view's ground shadows from their level-0 tiles loaded: the casters
follow the tiles as they load and are dropped, merged blocks cast none."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from pyproj import CRS

from layers.core.base import CastsShadows
from layers.core.reading import open_layer
from layers.core.scene import Scene
from layers.session.views import CameraView
from layers.streamed.layer import StreamedBuildingsLayer
from tests.layers.streamed.store_writer import synthetic_footprints, write_store
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.visuals.streamed import StreamedVisual

L93 = CRS.from_epsg(2154)
MORNING = datetime(2025, 6, 21, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_store(tmp_path_factory.mktemp("stores") / "region", synthetic_footprints(6, 4, 300))


def test_loaded_tiles_cast_the_ground_shadows_and_follow_the_camera(store):
    layer = open_layer(store, style={"memory_mb": 1.2})
    assert isinstance(layer, StreamedBuildingsLayer) and isinstance(layer, CastsShadows)
    polygons, base, top = layer.shadow_prisms()
    assert len(polygons) == 0  # nothing loaded, nothing cast
    scene = Scene(L93)
    scene.add(layer)
    plotter = make_plotter((400, 300))
    view = SceneView(plotter, scene, auto_render=False)
    visual = view.visual(layer)
    assert isinstance(visual, StreamedVisual)

    def look(x: float, y: float, height: float) -> None:
        view.go_to(CameraView("v", (x, y - height, height), (x, y, 0.0), (0.0, 0.0, 1.0), 30.0))
        plotter.ren_win.Render()

    view.set_sun(True)
    scene.clock.time = MORNING
    view.set_time(MORNING)
    look(650_250.0, 6_860_250.0, 400.0)
    level0 = {k for k in layer.memory.keys() if k[0] == 0}
    assert level0 and layer.casting_tiles() == level0
    buildings = sum(t.count for t in layer.memory.tiles() if t.key[0] == 0)
    polygons, base, top = layer.shadow_prisms()
    assert len(polygons) == buildings and not base.any() and (top >= 4).all()
    assert view.sun.caster_count == buildings
    shaded = view.sun.shadow_mask()
    assert shaded is not None and shaded.sum() > 0
    # elsewhere: other tiles load, the first ones are dropped (1.2 MB), the casters follow
    look(652_500.0, 6_861_500.0, 500.0)
    now = {k for k in layer.memory.keys() if k[0] == 0}
    assert now and now != level0 and layer.casting_tiles() == now
    assert view.sun.caster_count == sum(t.count for t in layer.memory.tiles() if t.key[0] == 0)
    # a far view draws merged blocks: they cast nothing
    look(651_500.0, 6_861_000.0, 20_000.0)
    assert all(k[0] == 0 for k in layer.casting_tiles())
    assert view.sun.caster_count == len(layer.shadow_prisms()[0])
    assert np.isfinite(layer.shadow_prisms()[2]).all()
    view.close()
    plotter.close()


def test_in_the_window_the_casters_are_made_on_a_worker(store, monkeypatch):
    from viewer import caster_tables
    from viewer.visuals.streamed import arrivals_waiting

    made_on: list[str] = []
    original = caster_tables.CasterTable.of.__func__  # type: ignore[attr-defined]

    def spy(cls, layer, key, crs, timezone):
        if isinstance(layer, StreamedBuildingsLayer):
            if len(layer.shadow_prisms()[0]):  # (an empty layer's table is nothing to make)
                made_on.append(threading.current_thread().name)
        return original(cls, layer, key, crs, timezone)

    monkeypatch.setattr(caster_tables.CasterTable, "of", classmethod(spy))
    layer = open_layer(store)
    assert isinstance(layer, StreamedBuildingsLayer)
    scene = Scene(L93)
    scene.add(layer)
    plotter = make_plotter((400, 300))
    view = SceneView(plotter, scene, auto_render=True)
    visual = view.visual(layer)
    assert isinstance(visual, StreamedVisual)
    scene.clock.time = MORNING
    view.set_sun(True)
    view.set_time(MORNING)
    x, y, height = 650_250.0, 6_860_250.0, 400.0
    view.go_to(CameraView("v", (x, y - height, height), (x, y, 0.0), (0.0, 0.0, 1.0), 30.0))
    deadline = time.monotonic() + 30
    plotter.ren_win.Render()
    loaded = lambda: sum(t.count for t in layer.memory.tiles() if t.key[0] == 0)  # noqa: E731
    while time.monotonic() < deadline and not (
        not visual.loading() and visual._caster_job is None and view.sun.caster_count == loaded() > 0
    ):
        time.sleep(0.02)
        if arrivals_waiting(view.visuals.values()):
            plotter.ren_win.Render()
    assert view.sun.caster_count == loaded() > 0
    assert made_on and all(name.startswith("maquette-tiles") for name in made_on)
    shaded = view.sun.shadow_mask()
    assert shaded is not None and shaded.sum() > 0
    view.close()
    plotter.close()
