"""Streets: daily traffic, and which counters colour the street pieces they sit on."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel

from layers.sensors.layer import SensorLayer
from layers.streets.layer import StreetsLayer
from layers.streets.style import AUTO_COUNTERS, NO_COUNTERS
from viewer.labels import field_title, unit_text

from ..translation import interface_language
from .base import LayerControls


class StreetsControls(LayerControls):
    layer_type = StreetsLayer
    layer: StreetsLayer

    def build(self) -> None:
        layer = self.layer
        lines = []
        if layer.flow_field:
            lines.append(
                self.tr("Width and colour: {field} ({unit})").format(
                    field=field_title(layer.flow_field, None, interface_language()),
                    unit=unit_text(layer.flow_unit, interface_language()) or "—",
                )
            )
        if layer.direction_fields:
            lines.append(
                self.tr(
                    "Traffic per direction ({}): one ribbon each way, on the right of its direction"
                ).format(" / ".join(layer.direction_fields))
            )
        if layer.oneway is not None:
            lines.append(self.tr("{} one-way streets (arrows)").format(int((layer.oneway != 0).sum())))
        if lines:
            text = QLabel("\n".join(lines), self)
            text.setWordWrap(True)
            self.form.addRow(text)
        self.counters = QComboBox(self)
        self.counters.addItem(self.tr("Automatic (visible counters)"), AUTO_COUNTERS)
        self.counters.addItem(self.tr("None"), NO_COUNTERS)
        for name in self._sensor_layer_names():
            self.counters.addItem(name, name)
        self.counters.setCurrentIndex(max(self.counters.findData(layer.style.counters), 0))
        self.counters.setToolTip(
            self.tr("Counters within 40 m of a street colour its piece by their count at the clock time")
        )
        self.counters.currentIndexChanged.connect(
            lambda i: layer.update_style(counters=self.counters.itemData(i))
        )
        self.form.addRow(self.tr("Counts at the clock time"), self.counters)

    def _sensor_layer_names(self) -> list[str]:
        """Names of the scene's sensors layers of counts, as the layer panel holding these
        controls lists them (none outside a layer panel)."""
        from desktop.panels.layer_panel import LayerPanel

        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, LayerPanel):
            widget = widget.parentWidget()
        if widget is None:
            return []
        return [layer.name for layer in widget.layers() if isinstance(layer, SensorLayer) and layer.is_count]
