"""The city framed in the free part of the view: the whole scene, seen from the default camera,
lies clear of the legend column and of the caption (at 1366×768, the laptop of a meeting)."""

from __future__ import annotations

import numpy as np
import pytest

from layers.session.opening import open_paths
from layers.session.views import CameraView
from viewer.camera import frame_in, oblique_view, project_view
from viewer.overlay_layout import free_rect, intersects
from viewer.render import make_plotter
from viewer.scene_view import SceneView

LONG_CAPTION = (
    "Les quais et les avenues portent jusqu'à 25 000 véhicules par jour : plus de 70 dB(A) en façade."
)


def test_the_free_rect_is_what_the_column_and_the_band_leave():
    column = (1100.0, 200.0, 250.0, 550.0)
    band = (300.0, 20.0, 900.0, 120.0)
    assert free_rect(1366, 768, []) == (0.0, 0.0, 1366.0, 768.0)
    assert free_rect(1366, 768, [column]) == (0.0, 0.0, 1100.0, 768.0)
    assert free_rect(1366, 768, [column, band]) == (0.0, 140.0, 1100.0, 628.0)


def corners(bounds: tuple[float, float, float, float]) -> np.ndarray:
    xmin, ymin, xmax, ymax = bounds
    return np.array([[xmin, ymin, 0.0], [xmax, ymin, 0.0], [xmax, ymax, 0.0], [xmin, ymax, 0.0]])


def test_a_view_is_moved_into_the_free_part_and_left_alone_when_already_there():
    bounds = (0.0, 0.0, 800.0, 500.0)
    view = oblique_view(bounds, aspect=1366 / 768)
    assert frame_in(view, bounds, 1366 / 768, (0.0, 0.0, 1.0, 1.0)) == view
    free = (0.0, 0.2, 0.75, 1.0)
    framed = frame_in(view, bounds, 1366 / 768, free)
    seen = project_view(framed, corners(bounds), 1366 / 768)
    assert seen[:, 0].min() >= 0.0 and seen[:, 0].max() <= 0.75 + 1e-6
    assert seen[:, 1].min() >= 0.2 - 1e-6 and seen[:, 1].max() <= 1.0
    assert seen[:, 0].max() - seen[:, 0].min() == pytest.approx(0.75 * 0.94, abs=2e-3)  # as large as may be
    assert isinstance(framed, CameraView) and framed.view_angle_deg == view.view_angle_deg


@pytest.mark.parametrize("caption", [False, True])
def test_the_whole_scene_lies_clear_of_legends_and_caption(caption):
    session = open_paths([])
    scene = session.scene
    for layer in scene.layers:
        layer.visible = True  # every legend: the fullest column
    width, height = 1366, 768
    plotter = make_plotter((width, height))
    view = SceneView(plotter, scene, auto_render=False)
    try:
        if caption:
            view.caption.set("Le bruit des grands axes", LONG_CAPTION)
        view.reset_camera()
        plotter.ren_win.Render()
        taken = [(n, r) for n, r in view.overlay_rects() if n.startswith("legend") or n == "caption"]
        assert any(n.startswith("legend") for n, _ in taken)
        assert caption == any(n == "caption" for n, _ in taken)
        bounds = scene.focus_bounds()
        assert bounds is not None
        display, in_front = view.project(view.to_local(corners(bounds)[:, :2], z=0.0))
        assert in_front.all()
        x0, y0 = display.min(axis=0)
        x1, y1 = display.max(axis=0)
        assert x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height
        box = (x0, y0, x1 - x0, y1 - y0)
        assert not [n for n, r in taken if intersects(box, r)], (box, taken)
        assert (x1 - x0) > 0.5 * width or (y1 - y0) > 0.5 * height  # and the city is not a speck
    finally:
        view.close()
        plotter.close()


def test_a_picture_without_legends_uses_the_whole_frame():
    """`maquette render --no-legend`: nothing to keep clear of, the usual whole-scene view."""
    from viewer.export_image import BurnIn, ExportView

    session = open_paths([])
    size = (1366, 768)
    views = []
    for legends in (True, False):
        export = ExportView(session.scene, burn=BurnIn(legends=legends, caption=False), size=size)
        try:
            views.append(export.view.current_view())
            drawn = [n for n, _ in export.view.overlay_rects() if n.startswith("legend")]
            assert bool(drawn) == legends
        finally:
            export.close()
    with_legends, without = views
    assert without != with_legends
    bounds = session.scene.focus_bounds()
    plain = oblique_view(bounds, aspect=size[0] / size[1])
    assert np.allclose(without.focal_point, plain.focal_point, atol=0.05)
