"""A closed SceneView leaves nothing in its plotter (the window draws one scene after another in the
same renderer: issue 15, the GUI's memory stays flat)."""

from __future__ import annotations

from layers.core.scene import Scene
from viewer.render import make_plotter
from viewer.scene_view import SceneView


def test_scenes_shown_one_after_another_leave_no_props_behind():
    plotter = make_plotter((320, 200))
    try:
        counts = []
        for _ in range(3):
            view = SceneView(plotter, Scene(), auto_render=False)
            view.close()
            counts.append(plotter.renderer.GetViewProps().GetNumberOfItems())
        assert counts == [counts[0]] * 3, f"props left in the renderer after each view: {counts}"
    finally:
        plotter.close()
