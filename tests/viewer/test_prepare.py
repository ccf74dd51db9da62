"""A story's next layers drawn once, unseen, before they are shown (no loading at the step)."""

from __future__ import annotations

import numpy as np

from layers.session.opening import open_paths
from viewer.export_image import ExportView
from viewer.render import find_view


def test_hidden_layers_are_drawn_unseen_and_left_as_they_were():
    session = open_paths([])
    export = ExportView(session.scene, title=None, size=(320, 180))
    try:
        view = export.view
        view.go_to(find_view(session, None))
        noise = next(layer for layer in session.scene.layers if layer.project_id == "noise")
        assert not noise.visible
        before = export.render((320, 180))
        legends = [legend.title for legend in view.legend_stack.legends]
        actors = view.visual(noise).actors
        opacities = [actor.GetProperty().GetOpacity() for actor in actors]

        drawn = view.prepare([noise])

        assert drawn == len(actors) > 0
        assert [actor.GetVisibility() for actor in actors] == [0] * len(actors)
        assert [actor.GetProperty().GetOpacity() for actor in actors] == opacities
        assert [legend.title for legend in view.legend_stack.legends] == legends
        after = export.render((320, 180))
        assert np.array_equal(before, after)  # nothing of it shows
        assert view.prepare([noise]) == len(actors)  # again: harmless
        noise.visible = True
        assert view.prepare([noise]) == 0  # shown layers are not touched
    finally:
        export.close()
