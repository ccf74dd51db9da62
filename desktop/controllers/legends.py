"""Where the working window shows the legends: in its Legend panel (the default) or drawn over the
3D view, in the right column.

While the Legend dock is open the 3D view draws no legend column, so the city is not covered. The
audience screen hides every dock, so the column comes back there by itself, at the presentation's
scale; the exported pictures and videos draw their own legends (:class:`viewer.export_image.BurnIn`).
The user's choice (View › Legend, or the dock's close button) is kept in the settings.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QDockWidget

from ..panels.legend import LegendPanel
from ..settings import Settings
from .workspace import Workspace


class LegendController(QObject):
    """Keeps ``panel`` listing the legends of the workspace's visible layers and the 3D view's
    legend column shown only while the ``dock`` holding the panel is closed."""

    def __init__(
        self, workspace: Workspace, dock: QDockWidget, panel: LegendPanel, settings: Settings
    ) -> None:
        super().__init__(dock)
        self.workspace = workspace
        self.dock = dock
        self.panel = panel
        self.settings = settings
        if not settings.legend_panel():
            dock.hide()
        action = dock.toggleViewAction()
        action.toggled.connect(lambda _shown: self.sync_column())  # shown, hidden, presentation
        action.triggered.connect(settings.set_legend_panel)  # View › Legend: the user's choice
        dock.installEventFilter(self)  # its close button: the user's choice too
        workspace.replaced.connect(self._bind)
        self._bind()

    @property
    def panel_open(self) -> bool:
        """The Legend dock is open (shown, even behind another tab)."""
        return self.dock.toggleViewAction().isChecked()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.dock and event.type() == QEvent.Type.Close:
            self.settings.set_legend_panel(False)
        return False

    def _bind(self) -> None:
        scene_view = self.workspace.scene_view
        if scene_view is not None:
            scene_view.on_legends_changed = self.refresh
        self.refresh()
        self.sync_column()

    def refresh(self) -> None:
        """List the legends of the visible layers again (a layer came, went, was shown or restyled)."""
        scene_view = self.workspace.scene_view
        if scene_view is None:
            self.panel.set_legends([])
            return
        language = self.workspace.language
        self.panel.set_legends(
            [
                (layer.name, [legend.content(language) for legend in legends])
                for layer, legends in scene_view.visible_legends()
            ]
        )

    def sync_column(self) -> None:
        """The legend column drawn on the 3D view only while the panel is closed."""
        scene_view = self.workspace.scene_view
        if scene_view is not None:
            scene_view.show_legend_column(not self.panel_open)
