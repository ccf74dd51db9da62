"""Heat: what a temperature layer shows; for loggers, temperature or heat island, and the reference."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

from layers.heat.layer import HeatLayer

from .base import LayerControls


class HeatControls(LayerControls):
    layer_type = HeatLayer

    def build(self) -> None:
        layer = self.layer
        limits = layer.color_limits()
        if limits is not None:
            centre = (limits[0] + limits[1]) / 2.0
            text = self.tr(
                "Diverging colours centred on {centre:.1f} °C, from {low:.1f} to {high:.1f} °C"
            ).format(centre=centre, low=limits[0], high=limits[1])
            self.palette_label = QLabel(text, self)
            self.palette_label.setWordWrap(True)
            self.form.addRow(self.palette_label)
        if not getattr(layer, "interpolated", False):
            return
        self.show_box = QComboBox(self)
        self.show_box.addItem(self.tr("Air temperature"), "temperature")
        self.show_box.addItem(self.tr("Heat island (difference to the reference)"), "uhi")
        self.show_box.setCurrentIndex(1 if layer.show == "uhi" else 0)
        self.show_box.currentIndexChanged.connect(
            lambda i: layer.set_style("show", self.show_box.itemData(i))
        )
        self.form.addRow(self.tr("Show"), self.show_box)
        self.reference = QComboBox(self)
        self.reference.addItem(self.tr("None"), None)
        for sensor_id, name in zip(layer.stations.sensor_ids, layer.stations.names):
            self.reference.addItem(
                f"{name} ({sensor_id})" if str(name) != str(sensor_id) else str(sensor_id), str(sensor_id)
            )
        current = None if layer.reference is None else str(layer.stations.sensor_ids[layer.reference])
        self.reference.setCurrentIndex(max(self.reference.findData(current), 0))
        self.reference.setToolTip(
            self.tr("The logger the heat island intensity is measured against (a rural or park site)")
        )
        self.reference.currentIndexChanged.connect(self._on_reference)
        self.form.addRow(self.tr("Reference"), self.reference)
        self.show_box.setEnabled(layer.reference is not None)
        self.pucks = QCheckBox(self.tr("Show the loggers"), self)
        self.pucks.setChecked(bool(layer.style.get("stations", True)))
        self.pucks.toggled.connect(lambda on: layer.set_style("stations", bool(on)))
        self.form.addRow(self.pucks)

    def _on_reference(self, index: int) -> None:
        self.layer.set_reference(self.reference.itemData(index))
        self.show_box.setEnabled(self.layer.reference is not None)
