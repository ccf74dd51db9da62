"""Streets: daily traffic, and which counters colour the street pieces they sit on."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel

from layers.streets.layer import StreetsLayer

from .base import LayerControls


class StreetsControls(LayerControls):
    layer_type = StreetsLayer

    def build(self) -> None:
        layer = self.layer
        lines = []
        if layer.flow_field:
            lines.append(
                self.tr("Width and colour: {field} ({unit})").format(
                    field=layer.flow_field, unit=layer.flow_unit or "—"
                )
            )
        if getattr(layer, "direction_fields", None):
            lines.append(
                self.tr(
                    "Traffic per direction ({}): one ribbon each way, on the right of its direction"
                ).format(" / ".join(layer.direction_fields))
            )
        if getattr(layer, "oneway", None) is not None:
            lines.append(self.tr("{} one-way streets (arrows)").format(int((layer.oneway != 0).sum())))
        if lines:
            text = QLabel("\n".join(lines), self)
            text.setWordWrap(True)
            self.form.addRow(text)
        self.counters = QComboBox(self)
        self.counters.addItem(self.tr("Automatic (visible counters)"), "auto")
        self.counters.addItem(self.tr("None"), "none")
        for name in self._sensor_layer_names():
            self.counters.addItem(name, name)
        current = layer.style.get("counters", "auto")
        self.counters.setCurrentIndex(max(self.counters.findData(current), 0))
        self.counters.setToolTip(
            self.tr("Counters within 40 m of a street colour its piece by their count at the clock time")
        )
        self.counters.currentIndexChanged.connect(
            lambda i: layer.set_style("counters", self.counters.itemData(i))
        )
        self.form.addRow(self.tr("Counts at the clock time"), self.counters)

    def _sensor_layer_names(self) -> list[str]:
        window = self.window()
        scene = getattr(window, "scene", None)
        if scene is None:
            return []
        return [
            layer.name
            for layer in scene.layers
            if layer.kind == "sensors" and getattr(layer, "is_count", False)
        ]
