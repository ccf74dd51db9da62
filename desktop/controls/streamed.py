"""A streamed store: the common rows (opacity, what it holds, warnings), and the window's side of
tiles loaded in the background (a timer drawing the view again when tiles arrived)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from desktop.controls.base import LayerControls
from layers.streamed.layer import StreamedBuildingsLayer

if TYPE_CHECKING:
    from viewer.scene_view import SceneView

#: how often the window looks for tiles loaded in the background (ms)
ARRIVALS_POLL_MS = 50


class StreamedControls(LayerControls):
    layer_type = StreamedBuildingsLayer
    layer: StreamedBuildingsLayer


class TileArrivals(QObject):
    """Draws the view again when a streamed visual has tiles waiting to be shown: the tiles are
    read on worker threads, and only the GUI thread may draw (a flag polled by a timer, cheap
    while nothing streams)."""

    def __init__(self, parent: QObject, view: Callable[[], SceneView | None]) -> None:
        super().__init__(parent)
        self._view = view
        self.timer = QTimer(self)
        self.timer.setInterval(ARRIVALS_POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        from viewer.visuals.streamed import arrivals_waiting

        view = self._view()
        if view is not None and arrivals_waiting(view.visuals.values()):
            view.request_render()
