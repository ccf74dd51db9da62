"""The canopy: the common rows, and from which height a pixel is a tree."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QLabel

from desktop.controls.base import LayerControls
from layers.canopy.layer import CanopyLayer
from layers.core.messages import word
from layers.core.numbers import number

from ..translation import interface_language


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
        self.min_height.valueChanged.connect(self._on_min_height)
        self.form.addRow(self.tr("Vegetation from"), self.min_height)
        self.account = QLabel("", self)
        self.account.setWordWrap(True)
        self.form.addRow(self.account)
        self._update_account()

    def _on_min_height(self, value: float) -> None:
        self.layer.update_style(min_height_m=float(value))
        self._update_account()

    def _update_account(self) -> None:
        """Every pixel accounted for: the canopy's area, and the pixels left out with their reason."""
        language = interface_language()
        stats = self.layer.stats
        lines = [
            self.tr("{area} m² of trees and shrubs ({pixels} pixels)").format(
                area=number(round(float(stats.get("canopy_area_m2", 0.0))), language),
                pixels=number(int(stats.get("features", 0)), language),
            )
        ]
        for reason, n in sorted(stats.get("dropped_reasons", {}).items(), key=lambda kv: -kv[1]):
            lines.append(
                self.tr("left out, {reason}: {count}").format(
                    reason=word(reason, language), count=number(int(n), language)
                )
            )
        self.account.setText("\n".join(lines))
