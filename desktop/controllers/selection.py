"""The selection linked between the attribute table and the 3D view.

One :class:`layers.core.selection.Selections` holds each layer's selected rows; the table
(:mod:`desktop.panels.attribute_table`) and the view both change it and both follow it: the view
draws a layer's selection in one actor (``Visual.highlight_rows``). On the view, a click on a
feature selects it (Shift adds, Ctrl toggles: the picking controller's pick), and in the
Select-by-rectangle mode a box dragged on the view selects the rows whose centroid projects inside
it (all rows projected at once with the camera's matrices, :func:`rows_in_rectangle`). The mode
turns the planning tools off, and stops when one of them starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMenu, QRubberBand, QWidget

from layers.buildings.layer import BuildingsLayer
from layers.core.base import HasFrame, Layer
from layers.core.errors import OutputError
from layers.core.selection import Mode, Selections, export_rows
from viewer.scene_view import Pick, SceneView

from ..panels.attribute_table import AttributeTablePanel
from ..planning.tools import PlanTools, Tool
from .camera import CameraController
from .messages import Messages
from .picking import CLICK_TOLERANCE_PX, PickingController, display_xy
from .workspace import Workspace

#: the attribute table's dock opens this high, pixels (about eight rows)
TABLE_HEIGHT_PX = 260
#: the selection is framed in a view this wide at least, metres
SELECTION_VIEW_M = 120.0


def row_centroids(layer: Layer[Any]) -> np.ndarray:
    """(n, 2) the centroid of each row's geometry, scene CRS metres (NaN for an empty one)."""
    import shapely

    if not isinstance(layer, HasFrame) or len(layer.frame) == 0:
        return np.zeros((0, 2))
    points = shapely.centroid(np.asarray(layer.frame.geometry.values))
    return np.column_stack([shapely.get_x(points), shapely.get_y(points)])


def rows_in_rectangle(scene_view: SceneView, layer: Layer[Any], corners: tuple[float, ...]) -> np.ndarray:
    """Rows of ``layer`` whose centroid (a building's: half-way up its walls, on its ground) the
    camera projects inside the display rectangle ``corners`` = (x0, y0, x1, y1), VTK display
    pixels (origin bottom-left); in front of the camera only. One projection of all rows."""
    centroids = row_centroids(layer)
    if len(centroids) == 0:
        return np.zeros(0, np.int64)
    z = np.zeros(len(centroids))
    visual = scene_view.visual(layer)
    if isinstance(layer, BuildingsLayer):
        z = (layer.base_m + layer.height_m) / 2
        if visual is not None and _on_terrain(scene_view):  # standing on the terrain
            z = z + np.fromiter((visual.ground_offset(i) for i in range(len(z))), np.float64, len(z))
    local = scene_view.to_local(centroids, z)
    display, in_front = scene_view.project(local.astype(np.float64))
    x0, x1 = sorted((corners[0], corners[2]))
    y0, y1 = sorted((corners[1], corners[3]))
    inside = (
        in_front
        & np.isfinite(display).all(axis=1)
        & (display[:, 0] >= x0)
        & (display[:, 0] <= x1)
        & (display[:, 1] >= y0)
        & (display[:, 1] <= y1)
    )
    if isinstance(layer, BuildingsLayer):
        inside &= layer.standing()
    return np.flatnonzero(inside).astype(np.int64)


def _on_terrain(scene_view: SceneView) -> bool:
    return scene_view.scene.terrain() is not None


def mode_of(modifiers: Qt.KeyboardModifier) -> Mode:
    """Shift adds to the selection, Ctrl (Cmd on a Mac) toggles, else it is replaced."""
    if modifiers & Qt.KeyboardModifier.ControlModifier:
        return Mode.TOGGLE
    if modifiers & Qt.KeyboardModifier.ShiftModifier:
        return Mode.ADD
    return Mode.REPLACE


class SelectionController(QObject):
    """The attribute table's dock (tabbed with ``beside``, the timeline), the Select-by-rectangle
    mode and the selection drawn in the view."""

    def __init__(
        self,
        window: QMainWindow,
        view: QWidget,
        workspace: Workspace,
        camera: CameraController,
        messages: Messages,
        picking: PickingController,
        tools: PlanTools,
        beside: QDockWidget,
    ) -> None:
        super().__init__(window)
        self.view, self.workspace, self.camera, self.messages = view, workspace, camera, messages
        self.tools, self.picking = tools, picking
        self.window, self.beside = window, beside
        self.selections = Selections()
        self.panel = AttributeTablePanel(self.selections, window)
        self.dock = QDockWidget(self.panel.tr("Attribute table"), window)
        self.dock.setObjectName("AttributeTable")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.rectangle_action = QAction(self.panel.tr("Select by rectangle"), self)
        self.rectangle_action.setCheckable(True)
        self.rectangle_action.setShortcut("Ctrl+Shift+R")
        self.rectangle_action.toggled.connect(self.set_rectangle_mode)
        self.table_action = QAction(self.panel.tr("Attribute table"), self)
        self.table_action.triggered.connect(lambda: self.open_table(None))
        self._band = QRubberBand(QRubberBand.Shape.Rectangle, view)
        self._press: QPoint | None = None
        self.selections.changed.connect(self._draw)
        self.panel.zoom_requested.connect(self.zoom_to_selection)
        self.panel.export_requested.connect(self.export_selection)
        picking.picked.connect(self._picked)
        tools.tool_changed.connect(self._tool_changed)
        workspace.replaced.connect(self._scene_replaced)
        view.installEventFilter(self)

    def build_menu(self, menu: QMenu) -> None:
        """The table and the rectangle mode in ``menu`` (View)."""
        menu.addAction(self.table_action)
        menu.addAction(self.rectangle_action)

    # -- the table --------------------------------------------------------------------------------
    def open_table(self, layer: Layer[Any] | None) -> None:
        """Show the table (of ``layer``, else of the layer it showed or the first with features)."""
        self.panel.set_layers(list(self.workspace.scene.layers))
        if layer is not None:
            self.panel.show_layer(layer)
        if self.dock.isHidden() and not self.window.tabifiedDockWidgets(self.dock):
            # tabbed with the timeline, the whole width for its columns (only once opened: a hidden
            # tabbed dock would still change the view's size)
            self.window.tabifyDockWidget(self.beside, self.dock)
            self.window.resizeDocks([self.dock], [TABLE_HEIGHT_PX], Qt.Orientation.Vertical)
        self.dock.show()
        self.dock.raise_()

    def _scene_replaced(self) -> None:
        scene = self.workspace.scene
        scene.layer_added.connect(self._layers_changed)
        scene.layer_removed.connect(self._layer_removed)
        self.panel.set_layers(list(scene.layers))

    def _layers_changed(self, *_args: object) -> None:
        self.panel.set_layers(list(self.workspace.scene.layers))

    def _layer_removed(self, layer: Layer[Any], *_args: object) -> None:
        self.selections.forget(layer)
        self._layers_changed()

    # -- drawing the selection ----------------------------------------------------------------------
    def _draw(self, layer: Layer[Any]) -> None:
        scene_view = self.workspace.scene_view
        visual = scene_view.visual(layer) if scene_view is not None else None
        if scene_view is None or visual is None:
            return
        rows = self.selections.rows(layer)
        visual.highlight_rows(rows if len(rows) else None)
        scene_view.request_render()

    # -- on the view ------------------------------------------------------------------------------
    def _picked(self, pick: Pick | None, keys: Qt.KeyboardModifier) -> None:
        """A click on the view: its feature selected (Shift adds, Ctrl toggles); a click on nothing
        in the rectangle mode clears the selections."""
        if pick is None or not isinstance(pick.layer, HasFrame):
            if pick is None and self.rectangle_action.isChecked() and mode_of(keys) is Mode.REPLACE:
                for layer in self.workspace.scene.layers:
                    self.selections.clear(layer)
            return
        rows = (
            pick.layer.feature_rows(pick.index)
            if isinstance(pick.layer, BuildingsLayer)
            else np.array([pick.index])
        )
        self.selections.select(pick.layer, rows, mode_of(keys))

    def set_rectangle_mode(self, on: bool) -> None:
        """Select by rectangle: a drag on the view selects (the planning tools are turned off)."""
        if self.rectangle_action.isChecked() != on:
            self.rectangle_action.setChecked(on)  # comes back here
            return
        if on:
            self.tools.set_tool(Tool.OFF)
        self.view.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        self._press = None
        self._band.hide()

    def _tool_changed(self, value: str) -> None:
        if value != Tool.OFF.value:
            self.set_rectangle_mode(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.view or not self.rectangle_action.isChecked():
            return super().eventFilter(watched, event)
        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            self.set_rectangle_mode(False)
            return True
        if not isinstance(event, QMouseEvent):
            return super().eventFilter(watched, event)
        kind, pos = event.type(), event.position().toPoint()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._press = pos
            self._band.setGeometry(QRect(pos, QSize()))
            self._band.show()
            return True
        if kind == QEvent.Type.MouseMove and self._press is not None:
            self._band.setGeometry(QRect(self._press, pos).normalized())
            return False  # the coordinates still follow the cursor
        if kind == QEvent.Type.MouseButtonRelease and self._press is not None:
            start, self._press = self._press, None
            self._band.hide()
            if (pos - start).manhattanLength() > CLICK_TOLERANCE_PX:
                self.select_rectangle(start, pos, mode_of(event.modifiers()))
                return True
            # a click: the picking controller picks (it did not see the press), :meth:`_picked` selects
            keys = event.modifiers()
            QTimer.singleShot(0, lambda p=pos, k=keys: self.picking.pick_at(p, k))
            return True
        return super().eventFilter(watched, event)

    def select_rectangle(self, corner: QPoint, other: QPoint, mode: Mode = Mode.REPLACE) -> int:
        """Select the rows inside the box from ``corner`` to ``other`` (widget pixels) in the layer
        the table shows (while it is open), else in the visible buildings (else every visible layer
        with features); returns how many rows were selected."""
        scene_view = self.workspace.scene_view
        if scene_view is None:
            return 0
        x0, y0 = display_xy(self.view, corner)
        x1, y1 = display_xy(self.view, other)
        total = 0
        for layer in self._rectangle_layers(scene_view):
            rows = rows_in_rectangle(scene_view, layer, (x0, y0, x1, y1))
            self.selections.select(layer, rows, mode)
            total += len(rows)
        return total

    def _rectangle_layers(self, scene_view: SceneView) -> list[Layer[Any]]:
        shown: list[Layer[Any]] = [
            layer
            for layer in self.workspace.scene.layers
            if isinstance(layer, HasFrame) and layer.visible and scene_view.visual(layer) is not None
        ]
        table = self.panel.layer
        if self.dock.isVisible() and table is not None and table in shown:
            return [table]
        # not the river or the streets a box around some buildings also holds the middle of
        buildings: list[Layer[Any]] = [layer for layer in shown if isinstance(layer, BuildingsLayer)]
        return buildings or shown

    # -- zoom and export ---------------------------------------------------------------------------
    def zoom_to_selection(self, layer: Layer[Any]) -> None:
        import shapely

        scene_view = self.workspace.scene_view
        rows = self.selections.rows(layer)
        if scene_view is None or not len(rows) or not isinstance(layer, HasFrame):
            return
        box = shapely.total_bounds(np.asarray(layer.frame.geometry.values)[rows])
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        half = max(box[2] - box[0], box[3] - box[1], SELECTION_VIEW_M) / 2
        view = scene_view.default_view((cx - half, cy - half, cx + half, cy + half))
        if view is not None:
            self.camera.go_to_view(view)

    def export_selection(self, layer: Layer[Any], path: str | Path | None = None) -> Path | None:
        """Write ``layer``'s selected features to ``path`` (asked for when ``None``): GeoPackage,
        GeoJSON or CSV."""
        rows = self.selections.rows(layer)
        if not len(rows) or not isinstance(layer, HasFrame):
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self.panel,
                self.panel.tr("Export selection"),
                f"{layer.name}.gpkg",
                self.panel.tr("GeoPackage (*.gpkg);;GeoJSON (*.geojson);;CSV (*.csv)"),
            )
            if not chosen:
                return None
            path = chosen
        path = Path(path)
        extra = {"height_m": layer.height_m} if isinstance(layer, BuildingsLayer) else None
        try:
            self.workspace.check_outputs(path)
            return export_rows(layer.frame, rows, path, extra)
        except OutputError as error:
            self.messages.show_output_error(error)
        except (OSError, ValueError) as error:
            self.messages.show_output_error(OutputError(path, str(error)))
        return None
