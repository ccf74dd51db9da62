"""Story steps in front of a room: one drawing per change of step, keys never lost, the legends of
the step shown from its first frame, the window smoothed by the renderer it has."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .conftest import wait_loaded

pytestmark = pytest.mark.usefixtures("private_autosave")


def legend_titles(window) -> list[str]:
    return [legend.title for legend in window.scene_view.legend_stack.legends]


def test_a_step_is_one_drawing_and_keys_pressed_in_a_flight_are_kept(window, qtbot, city_copy):
    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    renders = window.workspace.renders
    presentation = window.mediation.presentation
    window.mediation.start_presentation(0)
    qtbot.waitUntil(lambda: not window.camera.flying, timeout=20_000)
    qtbot.wait(50)

    # step 2 turns the noise on and others off, moves the clock and the camera: asked a dozen
    # times, drawn once when the event loop comes back
    requested, drawn = renders.requested, renders.drawn
    qtbot.keyClick(window.plotter, Qt.Key.Key_PageDown)
    assert presentation.index == 1
    assert renders.requested - requested > 3 and renders.drawn == drawn and renders.pending
    qtbot.waitUntil(lambda: renders.drawn > drawn, timeout=5000)
    assert renders.drawn == drawn + 1

    # two more presses during the flight: both count
    assert window.camera.flying
    qtbot.keyClick(window.plotter, Qt.Key.Key_PageDown)
    qtbot.keyClick(window.plotter, Qt.Key.Key_PageDown)
    assert presentation.index == 3
    qtbot.waitUntil(lambda: not window.camera.flying, timeout=20_000)
    window.mediation.presentation.stop()


def test_legends_are_the_new_steps_from_the_first_frame_of_the_flight(window, qtbot, city_copy):
    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    steps = window.session.steps
    noise_step = next(i for i, step in enumerate(steps) if step.visible and "noise" in step.visible)
    after = noise_step + 1
    assert "noise" not in (steps[after].visible or [])
    window.mediation.start_presentation(noise_step)
    qtbot.waitUntil(lambda: not window.camera.flying, timeout=20_000)
    noise = next(layer for layer in window.scene.layers if layer.project_id == "noise")
    noise_titles = {legend.title for legend in window.scene_view.visual(noise).legends()}
    assert noise_titles & set(legend_titles(window))

    qtbot.keyClick(window.plotter, Qt.Key.Key_PageDown)
    # the noise fades out during the flight (still drawn), its legend is already gone
    assert noise.visible and window.mediation.presentation._fades
    assert not noise_titles & set(legend_titles(window))
    qtbot.waitUntil(lambda: not window.mediation.presentation._fades, timeout=10_000)
    assert not noise.visible and not noise_titles & set(legend_titles(window))
    window.mediation.presentation.stop()


def test_the_window_draws_without_multisampling_on_a_cpu_renderer(window):
    from viewer.gl import is_software_renderer, renderer_string

    name = renderer_string(window.plotter.ren_win)
    assert name  # the driver said its name
    software = is_software_renderer(name)
    assert window.workspace.software_gl == software
    if software:  # Xvfb in CI: Mesa's llvmpipe
        assert window.plotter.ren_win.GetMultiSamples() == 0


def test_a_flight_is_drawn_at_half_resolution_on_a_cpu_renderer_and_rests_at_full(window, qtbot, city_copy):
    window.open_paths_async([city_copy])
    wait_loaded(qtbot, window)
    window.workspace.software_gl = True  # as on a laptop without a GPU driver (Xvfb is one)
    ren_win = window.plotter.ren_win
    view = window.scene_view
    full = tuple(ren_win.GetSize())
    legend_scale = view.legend_stack.scale
    window.camera.go_to_view(window.session.views[1])
    assert window.camera.flying
    assert tuple(ren_win.GetSize()) == (round(full[0] / 2), round(full[1] / 2))
    assert view.legend_stack.scale == pytest.approx(legend_scale / 2)  # overlays look the same size
    qtbot.waitUntil(lambda: not window.camera.flying, timeout=20_000)
    assert tuple(ren_win.GetSize()) == full and view.legend_stack.scale == pytest.approx(legend_scale)
    # the picture at rest is the window's whole resolution, and the layout is the full one again
    window.workspace.renders.flush()
    image = window.plotter.screenshot(None, return_img=True)
    assert image.shape[1] == full[0]
