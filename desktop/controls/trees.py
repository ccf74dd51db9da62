"""Trees: their trunks shown or not, and the heights they stand at."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel

from layers.core.numbers import number
from layers.trees.layer import TreesLayer

from ..translation import interface_language
from .base import LayerControls


class TreesControls(LayerControls):
    layer_type = TreesLayer
    layer: TreesLayer

    def build(self) -> None:
        layer = self.layer
        language = interface_language()
        if len(layer.height_m):
            heights = QLabel(
                self.tr("Heights from {low} to {high} m; {count} sized by default").format(
                    low=number(float(layer.height_m.min()), language),
                    high=number(float(layer.height_m.max()), language),
                    count=number(int(layer.stats.get("heights_defaulted", 0)), language),
                ),
                self,
            )
            heights.setWordWrap(True)
            self.form.addRow(heights)
        self.trunks = QCheckBox(self.tr("Show the trunks"), self)
        self.trunks.setChecked(layer.style.trunks)
        self.trunks.setToolTip(self.tr("Crowns alone draw faster on very large inventories"))
        self.trunks.toggled.connect(lambda on: layer.update_style(trunks=bool(on)))
        self.form.addRow(self.trunks)
