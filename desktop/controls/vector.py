"""Flat vector features: colour by a category field."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from layers.vector.layer import VectorLayer

from .base import LayerControls


class VectorControls(LayerControls):
    layer_type = VectorLayer
    layer: VectorLayer

    def build(self) -> None:
        layer = self.layer
        self.color_by = QComboBox(self)
        self.color_by.addItem(self.tr("Uniform colour"), None)
        for field, kind in layer.color_fields().items():
            if kind == "categorical":
                self.color_by.addItem(field, field)
        current = layer.style.color_by or layer.category_field
        self.color_by.setCurrentIndex(max(self.color_by.findData(current), 0))
        self.color_by.currentIndexChanged.connect(
            lambda i: layer.update_style(color_by=self.color_by.itemData(i))
        )
        self.form.addRow(self.tr("Colour by"), self.color_by)
