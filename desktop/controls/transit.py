"""Public transport: what the feed holds, its routes in their colours."""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem

from layers.transit.layer import TransitLayer

from .base import LayerControls


class TransitControls(LayerControls):
    """What the feed holds: its routes, stops, trips, service period and typical day."""

    layer_type = TransitLayer
    layer: TransitLayer

    def build(self) -> None:
        layer = self.layer
        info = layer.describe()
        lines = [
            self.tr("{routes} routes, {stops} stops, {trips} trips").format(
                routes=info["routes"], stops=info["stops"], trips=info["trips"]
            )
        ]
        if info.get("service_start"):
            lines.append(self.tr("Service from {} to {}").format(info["service_start"], info["service_end"]))
        day = layer.typical_day()
        if day is not None:
            lines.append(self.tr("Typical day: {}").format(day.isoformat()))
        lines.append(self.tr("Click a stop: departures per route in the clock's hour."))
        if not info.get("shapes"):
            lines.append(self.tr("No shapes.txt: vehicles go straight from stop to stop."))
        text = QLabel("\n".join(lines), self)
        text.setWordWrap(True)
        self.form.addRow(text)
        self.routes = QListWidget(self)
        self.routes.setMaximumHeight(180)
        for _, route in layer.routes.iterrows():
            pixmap = QPixmap(14, 14)
            pixmap.fill(QColor(route["color"]))
            label = str(route["short_name"])
            if route.get("long_name"):
                label += f" — {route['long_name']}"
            self.routes.addItem(QListWidgetItem(QIcon(pixmap), label))
        self.form.addRow(self.routes)
