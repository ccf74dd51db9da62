"""Flat vector features: colour by a category field."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from layers.vector.layer import VectorLayer

from .base import LayerControls


class VectorControls(LayerControls):
    layer_type = VectorLayer

    def build(self) -> None:
        self.color_by = QComboBox(self)
        self.color_by.addItem(self.tr("Uniform colour"), None)
        fields = getattr(self.layer, "color_fields", lambda: {})()
        for field, kind in fields.items():
            if kind == "categorical":
                self.color_by.addItem(field, field)
        current = self.layer.style.get("color_by") or getattr(self.layer, "category_field", None)
        self.color_by.setCurrentIndex(max(self.color_by.findData(current), 0))
        self.color_by.currentIndexChanged.connect(
            lambda i: self.layer.set_style("color_by", self.color_by.itemData(i))
        )
        self.form.addRow(self.tr("Colour by"), self.color_by)
