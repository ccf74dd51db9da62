"""The canopy: the common rows, and from which height a pixel is a tree."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox

from desktop.controls.base import LayerControls
from layers.canopy.layer import CanopyLayer


class CanopyControls(LayerControls):
    layer_type = CanopyLayer
    layer: CanopyLayer

    def build(self) -> None:
        self.min_height = QDoubleSpinBox(self)
        self.min_height.setRange(0.0, 30.0)
        self.min_height.setDecimals(1)
        self.min_height.setSingleStep(0.5)
        self.min_height.setSuffix(" m")
        self.min_height.setValue(self.layer.style.min_height_m)
        self.min_height.setToolTip(
            self.tr(
                "Pixels at least this high above the ground are trees and shrubs; lower ones are left out"
            )
        )
        self.min_height.valueChanged.connect(lambda v: self.layer.update_style(min_height_m=float(v)))
        self.form.addRow(self.tr("Vegetation from"), self.min_height)
