"""Pictures drawn in tiles: the same pixels as one render, overlays once and at the picture's scale."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from layers.session.opening import open_paths
from viewer.decorations import ground_point
from viewer.export_image import BurnIn, ExportView
from viewer.render import find_view, render_still
from viewer.tiles import FrameProjection, gl_limits, tile_grid


@pytest.fixture(scope="module")
def session():
    return open_paths([])


@pytest.fixture
def export(session):
    view = ExportView(session.scene, title=session.project.title, size=(640, 400))
    view.view.go_to(find_view(session, None))
    yield view
    view.close()


def test_tile_grid_covers_the_picture_with_equal_tiles():
    tiles = tile_grid(1000, 700, 300, 256)
    assert len(tiles) == 4 * 3
    assert {(w, h) for *_, w, h in tiles} == {(250, 234)}
    assert max(x + w for x, _, w, _ in tiles) >= 1000 and max(y + h for _, y, _, h in tiles) >= 700


def test_gl_limits_are_asked_from_the_driver(export):
    width, height = gl_limits(export.plotter.ren_win)
    assert width >= 2048 and height >= 2048


def test_tiled_picture_matches_one_render(export):
    whole = export.render((640, 400)).astype(int)
    assert export.tiles_used == 1
    tiled = export.render((640, 400), max_tile=256).astype(int)  # 3 × 2 tiles, not dividing the picture
    assert export.tiles_used == 6
    difference = np.abs(whole - tiled).max(axis=2)
    # a few pixels of depth ties may differ; no seam, no shifted or repeated legend
    assert difference.mean() < 0.5
    assert (difference > 40).mean() < 0.002
    # rows and columns along the tile seams are like the rest
    for x in (213, 214, 426, 427):
        assert np.abs(whole[:, x] - tiled[:, x]).max(axis=1).mean() < 2
    assert np.abs(whole[200] - tiled[200]).max(axis=1).mean() < 2
    # the window is back to its size and the camera to its angle
    assert tuple(export.plotter.ren_win.GetSize()) == (640, 400)
    assert export.view.renderer.GetActiveCamera().GetWindowCenter() == (0.0, 0.0)


def test_overlays_are_drawn_once_at_the_picture_scale(export):
    burn_off = BurnIn(
        title=False, legends=False, scale_bar=False, north_arrow=False, clock=False, credits=False
    )
    export.set_burn(burn_off)
    bare = export.render((640, 400), max_tile=200).astype(int)
    export.set_burn(BurnIn())
    dressed = export.render((640, 400), max_tile=200).astype(int)
    single = export.render((640, 400)).astype(int)
    changed = np.abs(dressed - bare).max(axis=2) > 30
    # the legends (the right column, compact at this size) and the furniture are there in the
    # tiled picture...
    assert changed[:200, 525:].mean() > 0.1
    assert changed[330:, :110].mean() > 0.1  # north arrow, bottom left
    # ... exactly where the single render puts them (not once per tile, not at tile scale)
    same = np.abs(dressed - single).max(axis=2) < 30
    assert same[changed].mean() > 0.99


def test_frame_projection_agrees_with_the_renderer(export):
    export.render((640, 400))
    projection = FrameProjection.of(export.view, 640, 400)
    for x, y in ((320, 200), (100, 50), (600, 380)):
        expected = ground_point(export.view.renderer, x, y)
        found = projection.ground_point(x, y)
        assert (expected is None) == (found is None)
        if expected is not None:
            assert np.allclose(found, expected, atol=1e-3 * max(1.0, np.abs(expected).max()))
            assert np.allclose(projection.to_display(found)[:2], (x, y), atol=0.05)


def test_render_still_burn_in_and_credits(session, tmp_path):
    out = tmp_path / "bare.png"
    stats = render_still(
        session, out, size=(480, 300), burn=BurnIn(legends=False, credits_text="Source : IGN – BD TOPO")
    )
    assert "legends" not in stats["burned_in"] and stats["credits"] == "Source : IGN – BD TOPO"
    assert Image.open(out).size == (480, 300)


@pytest.mark.slow
def test_8k_picture_in_tiles(session, tmp_path):
    out = tmp_path / "8k.jpg"
    stats = render_still(session, out, size=(7680, 4320), max_tile=4096)
    assert stats["tiles"] == 4
    image = Image.open(out)
    assert image.size == (7680, 4320)
    small = np.asarray(image.resize((768, 432))).astype(int)
    assert small.std() > 20
