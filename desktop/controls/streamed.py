"""A streamed store: the common rows (opacity, what it holds, warnings). Tiles read in the background
wake the window through ``SceneView.wake_from_thread`` (:class:`desktop.controllers.workspace.Workspace`)."""

from __future__ import annotations

from desktop.controls.base import LayerControls
from layers.streamed.layer import StreamedBuildingsLayer


class StreamedControls(LayerControls):
    layer_type = StreamedBuildingsLayer
    layer: StreamedBuildingsLayer
