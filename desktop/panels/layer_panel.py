"""The layer panel: one checkable row per layer, and the selected layer's controls below."""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from layers.buildings.planned import is_proposed, mark_proposed
from layers.core.base import HasFrame, Layer
from layers.core.messages import word
from layers.core.scene import Scene

from ..controls import controls_class
from ..translation import interface_language

#: kind → its name in the list (translated where shown)
KIND_LABELS = {
    "buildings": QT_TR_NOOP("buildings"),
    "vector": QT_TR_NOOP("areas"),
    "streets": QT_TR_NOOP("streets"),
    "noise": QT_TR_NOOP("noise"),
    "heat": QT_TR_NOOP("heat"),
    "raster": QT_TR_NOOP("raster"),
    "terrain": QT_TR_NOOP("terrain"),
    "sensors": QT_TR_NOOP("sensors"),
    "transit": QT_TR_NOOP("transit"),
    "sunlight": QT_TR_NOOP("sunlight"),
    "basemap": QT_TR_NOOP("basemap"),
    "topo": QT_TR_NOOP("map"),
    "canopy": QT_TR_NOOP("canopy"),
    "trees": QT_TR_NOOP("trees"),
    "streamed": QT_TR_NOOP("prepared buildings"),
}


class LayerPanel(QWidget):
    """Lists the scene's layers. Signals: ``zoom_requested(layer)``, ``remove_requested(layer)``."""

    zoom_requested = Signal(object)
    remove_requested = Signal(object)
    table_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scene: Scene | None = None
        self.list = QListWidget(self)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.currentRowChanged.connect(self._on_current)
        self.controls_area = QScrollArea(self)
        self.controls_area.setWidgetResizable(True)
        self.controls_area.setWidget(QLabel(self.tr("Select a layer to see its options."), self))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.controls_area)
        splitter.setSizes([260, 240])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    def set_scene(self, scene: Scene | None) -> None:
        if self.scene is not None:
            self.scene.layer_added.disconnect(self._on_layers)
            self.scene.layer_removed.disconnect(self._on_layers)
            self.scene.layers_reordered.disconnect(self._on_layers)
        self.scene = scene
        if scene is not None:
            scene.layer_added.connect(self._on_layers)
            scene.layer_removed.connect(self._on_layers)
            scene.layers_reordered.connect(self._on_layers)
        self._on_layers()

    def layers(self) -> list[Layer]:
        return list(self.scene.layers) if self.scene else []

    def _on_layers(self, *_: object) -> None:
        current = self.current_layer()
        self.list.blockSignals(True)
        self.list.clear()
        for layer in reversed(self.layers()):
            # str(): QT_TR_NOOP is typed as returning object
            kind = self.tr(str(KIND_LABELS[layer.kind])) if layer.kind in KIND_LABELS else layer.kind
            item = QListWidgetItem(
                f"{layer.name}  ·  {kind}" + ("  ·  " + self.tr("planned") if is_proposed(layer) else "")
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, layer)
            if layer.warnings:
                item.setToolTip("\n".join(word(note, interface_language()) for note in layer.warnings[:8]))
                item.setText(item.text() + "  ⚠")
            self.list.addItem(item)
            layer.visible_changed.connect(self._on_visible_changed)
        self.list.blockSignals(False)
        if current is not None and current in self.layers():
            self.select(current)
        elif self.list.count():
            self.list.setCurrentRow(0)
        else:
            self._on_current(-1)

    def item_for(self, layer: Layer) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) is layer:
                return item
        return None

    def select(self, layer: Layer) -> None:
        item = self.item_for(layer)
        if item is not None:
            self.list.setCurrentItem(item)

    def current_layer(self) -> Layer | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        layer = item.data(Qt.ItemDataRole.UserRole)
        if layer is not None:
            layer.visible = item.checkState() == Qt.CheckState.Checked

    def _on_visible_changed(self, visible: bool) -> None:
        self.list.blockSignals(True)
        for row in range(self.list.count()):
            item = self.list.item(row)
            layer = item.data(Qt.ItemDataRole.UserRole)
            item.setCheckState(Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)

    def _on_current(self, row: int) -> None:
        layer = self.current_layer()
        if layer is None:
            self.controls_area.setWidget(QLabel(self.tr("Select a layer to see its options."), self))
            return
        self.controls_area.setWidget(controls_class(type(layer))(layer, self))

    def _context_menu(self, position: QPoint) -> None:
        item = self.list.itemAt(position)
        if item is None:
            return
        layer = item.data(Qt.ItemDataRole.UserRole)
        menu = QMenu(self)
        menu.addAction(self.tr("Zoom to layer"), lambda: self.zoom_requested.emit(layer))
        menu.addAction(self.tr("Remove layer"), lambda: self.remove_requested.emit(layer))
        if isinstance(layer, HasFrame):
            menu.addAction(self.tr("Attribute table"), lambda: self.table_requested.emit(layer))
        if layer.kind == "buildings":
            action = menu.addAction(self.tr("Mark as planned project"), lambda: self.toggle_proposed(layer))
            action.setCheckable(True)
            action.setChecked(is_proposed(layer))
            action.setToolTip(self.tr("Planned buildings: the sunlight study compares before / after"))
        menu.exec(self.list.mapToGlobal(position))

    def toggle_proposed(self, layer: Layer) -> None:
        """Mark a buildings layer as a planned project (drawn in orange), or unmark it."""
        mark_proposed(layer, not is_proposed(layer))
        self._on_layers()
