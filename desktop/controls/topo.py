"""Reference-map features (BD TOPO themes, OpenStreetMap): line widths and road casing."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox

from layers.topo.layer import TopoLayer

from .base import LayerControls


class TopoControls(LayerControls):
    layer_type = TopoLayer
    layer: TopoLayer

    def build(self) -> None:
        layer = self.layer
        self.widths = QComboBox(self)
        self.widths.addItem(self.tr("Real width"), "real")
        self.widths.addItem(self.tr("Twice as wide"), "wide")
        self.widths.setCurrentIndex(max(self.widths.findData(layer.style.widths), 0))
        self.widths.currentIndexChanged.connect(lambda i: layer.update_style(widths=self.widths.itemData(i)))
        self.form.addRow(self.tr("Line widths"), self.widths)
        if layer.theme == "road":
            self.casing = QCheckBox(self.tr("Road edges"), self)
            self.casing.setChecked(layer.style.casing)
            self.casing.toggled.connect(lambda on: layer.update_style(casing=bool(on)))
            self.form.addRow(self.casing)
