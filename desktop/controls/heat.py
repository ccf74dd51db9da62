"""Heat: what a temperature layer shows; for loggers, temperature or heat island, and the reference."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

from layers.core.numbers import number
from layers.heat.layer import HeatLayer
from layers.heat.stations import StationHeatLayer
from layers.heat.style import SHOW_TEMPERATURE, SHOW_UHI

from ..translation import interface_language
from .base import LayerControls


class HeatControls(LayerControls):
    """The colour scale of a temperature layer; for a surface interpolated from loggers
    (:class:`StationHeatLayer`), also what it shows, the reference logger and the pucks."""

    layer_type = HeatLayer
    layer: HeatLayer

    def build(self) -> None:
        layer = self.layer
        limits = layer.color_limits()
        if limits is not None:
            centre = (limits[0] + limits[1]) / 2.0
            text = self.tr("Diverging colours centred on {centre} °C, from {low} to {high} °C").format(
                centre=number(centre, interface_language(), 1),
                low=number(limits[0], interface_language(), 1),
                high=number(limits[1], interface_language(), 1),
            )
            self.palette_label = QLabel(text, self)
            self.palette_label.setWordWrap(True)
            self.form.addRow(self.palette_label)
        if isinstance(layer, StationHeatLayer):
            self._build_loggers(layer)

    def _build_loggers(self, layer: StationHeatLayer) -> None:
        self.show_box = QComboBox(self)
        self.show_box.addItem(self.tr("Air temperature"), SHOW_TEMPERATURE)
        self.show_box.addItem(self.tr("Heat island (difference to the reference)"), SHOW_UHI)
        self.show_box.setCurrentIndex(1 if layer.show == SHOW_UHI else 0)
        self.show_box.currentIndexChanged.connect(
            lambda i: layer.update_style(show=self.show_box.itemData(i))
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
        self.reference.currentIndexChanged.connect(lambda i: self._on_reference(layer, i))
        self.form.addRow(self.tr("Reference"), self.reference)
        self.show_box.setEnabled(layer.reference is not None)
        self.pucks = QCheckBox(self.tr("Show the loggers"), self)
        self.pucks.setChecked(layer.style.stations)
        self.pucks.toggled.connect(lambda on: layer.update_style(stations=bool(on)))
        self.form.addRow(self.pucks)

    def _on_reference(self, layer: StationHeatLayer, index: int) -> None:
        layer.set_reference(self.reference.itemData(index))
        self.show_box.setEnabled(layer.reference is not None)
