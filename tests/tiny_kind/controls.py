"""The pins' controls: the common rows and the pins' colour."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from desktop.controls.base import LayerControls
from tests.tiny_kind.layer import PinsLayer


class PinsControls(LayerControls):
    layer_type = PinsLayer

    def build(self) -> None:
        self.color = QLineEdit(self.layer.style.color, self)
        self.color.editingFinished.connect(lambda: self.layer.update_style(color=self.color.text()))
        self.form.addRow("Colour", self.color)
