"""A store on screen: the tiles in view drawn one actor each, read in the background when the view
draws by itself, at once in batch; moving away changes and drops tiles; a pick names a building."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from pyproj import CRS

from layers.core.reading import open_layer
from layers.core.scene import Scene
from layers.session.views import CameraView
from layers.streamed.layer import StreamedBuildingsLayer
from tests.layers.streamed.store_writer import synthetic_footprints, write_store
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.visuals.streamed import StreamedVisual, arrivals_waiting

L93 = CRS.from_epsg(2154)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_store(tmp_path_factory.mktemp("stores") / "region", synthetic_footprints(6, 4, 300))


def _view(store: Path, *, auto_render: bool, memory_mb: float = 600.0):
    layer = open_layer(store, style={"memory_mb": memory_mb, "color_by": "height_m"})
    assert isinstance(layer, StreamedBuildingsLayer)
    scene = Scene(L93)
    scene.add(layer)
    plotter = make_plotter((400, 300))
    view = SceneView(plotter, scene, auto_render=auto_render)
    visual = view.visuals[id(layer)]
    assert isinstance(visual, StreamedVisual)
    return layer, plotter, view, visual


def _look(view: SceneView, x: float, y: float, height: float) -> None:
    view.go_to(CameraView("v", (x, y - height, height), (x, y, 0.0), (0.0, 0.0, 1.0), 30.0))


def test_batch_draws_the_tiles_in_view_at_once(store):
    layer, plotter, view, visual = _view(store, auto_render=False)
    _look(view, 650_250.0, 6_860_250.0, 400.0)
    plotter.ren_win.Render()
    assert visual.tile_actors and set(visual.tile_actors) <= set(visual.wanted) | set(layer.memory.keys())
    assert set(visual.wanted) <= set(visual.tile_actors)
    assert all(layer.store.reads[k] == 1 for k in visual.wanted)
    assert len(layer.store.reads) == len(visual.wanted)  # nothing out of view was read
    shown = [a for a, _, _ in visual.tile_actors.values() if a.GetVisibility()]
    assert len(shown) == len(visual.wanted)
    assert visual.legends()  # coloured by height: a legend
    # a pick on a building names it (some pixels fall in the streets)
    picks = (view.pick(x, y) for x in range(150, 250, 10) for y in range(100, 200, 10))
    pick = next((p for p in picks if p is not None), None)
    assert pick is not None and pick.layer is layer
    attributes = pick.attributes()
    assert attributes["id"].startswith("BATIMENT") and 4 <= attributes["height_m"] <= 40
    # a new style: the tiles drawn again, in one colour, no legend
    layer.update_style(color_by=None, color="#c04040")
    plotter.ren_win.Render()
    assert not visual.legends() and set(visual.wanted) <= set(visual.tile_actors)
    actor = next(iter(visual.tile_actors.values()))[0]
    assert np.allclose(actor.GetProperty().GetColor(), (0xC0 / 255, 0x40 / 255, 0x40 / 255), atol=0.01)
    view.close()
    plotter.close()


def test_tiles_load_in_the_background_and_change_with_the_camera(store):
    layer, plotter, view, visual = _view(store, auto_render=True, memory_mb=1.2)
    view.auto_render = True
    _look(view, 650_500.0, 6_860_500.0, 500.0)

    def settle() -> None:
        deadline = time.monotonic() + 30
        plotter.ren_win.Render()
        while visual.loading() and time.monotonic() < deadline:
            time.sleep(0.02)
            if arrivals_waiting(view.visuals.values()):
                plotter.ren_win.Render()
        plotter.ren_win.Render()

    plotter.ren_win.Render()  # the first draw only asks: the tiles are read on the workers
    first = set(visual.wanted)
    assert first and not (first & set(visual.tile_actors)) or visual.loading()
    settle()
    assert first <= set(visual.tile_actors)
    # far to the north-east: other tiles, and the memory (1.2 MB) drops the first ones
    _look(view, 652_500.0, 6_861_500.0, 500.0)
    settle()
    second = set(visual.wanted)
    assert second and not (second & first)
    assert second <= set(visual.tile_actors)
    visible = {k for k, (a, _, _) in visual.tile_actors.items() if a.GetVisibility()}
    assert visible == second
    assert layer.memory.evictions > 0
    assert layer.memory.total_bytes() <= layer.memory.budget_bytes
    assert set(visual.tile_actors) <= set(layer.memory.keys()) | second
    view.close()
    plotter.close()


def test_the_command_line_renders_a_store(store, tmp_path):
    out = tmp_path / "x.png"
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    import os

    env = {**os.environ, **env}
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "render", str(store), "-o", str(out), "--size", "600x400"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    from PIL import Image

    image = np.asarray(Image.open(out).convert("RGB")).astype(int)
    # the buildings' walls are far darker than the ground and the sky
    dark = (image.sum(axis=2) < 450).mean()
    assert dark > 0.05, f"only {dark:.1%} of the picture is building"


def test_an_incomplete_store_is_one_line_and_exit_2(store, tmp_path):
    import json
    import os
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(store, broken)
    meta = json.loads((broken / "store.json").read_text())
    (broken / "store.json").write_text(json.dumps({**meta, "complete": False}))
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "render", str(broken), "-o", str(tmp_path / "x.png")],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "is an incomplete store" in done.stderr
