"""Sensors: what the columns show (palette, colour range, how long a reading stays shown)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from layers.core.timeutil import format_local
from layers.sensors.layer import SensorLayer
from viewer.words import say

from ..translation import interface_language
from .base import LayerControls

#: (label, matplotlib colormap name or None for the quantity's own)
PALETTES = (
    (QT_TR_NOOP("Automatic"), None),
    (QT_TR_NOOP("Blue → red (turbo)"), "turbo"),
    (QT_TR_NOOP("Blue → red, pale middle"), "RdYlBu_r"),
    (QT_TR_NOOP("Yellow → blue (counts)"), "YlGnBu"),
    (QT_TR_NOOP("Viridis"), "viridis"),
    (QT_TR_NOOP("Magma (noise)"), "magma_r"),
)


class SensorsControls(LayerControls):
    """Palette, colour range and how long a reading stays shown (the layer's style)."""

    layer_type = SensorLayer
    layer: SensorLayer

    def build(self) -> None:
        layer = self.layer
        info = layer.describe()
        lines = [
            f"{info.get('quantity', '')} ({info.get('unit') or '—'}), "
            + self.tr("a reading every {}").format(info.get("step") or "?")
        ]
        if layer.cycle_s:
            lines.append(
                self.tr("A typical day (hours without dates): it replays on whatever day the clock shows.")
            )
        else:
            rng = layer.time_range()
            if rng is not None:
                lines.append(
                    f"{format_local(rng[0], layer.timezone)} → {format_local(rng[1], layer.timezone)}"
                )
        if layer.levels:
            lines.append(
                self.tr("Fast replays (1 day/s and more) show the {}.").format(
                    " / ".join(say(level.label, interface_language()) for level in layer.levels)
                )
            )
        text = QLabel("\n".join(lines), self)
        text.setWordWrap(True)
        self.form.addRow(text)

        self.palette_box = QComboBox(self)
        for label, name in PALETTES:
            self.palette_box.addItem(self.tr(str(label)), name)
        self.palette_box.setCurrentIndex(max(self.palette_box.findData(layer.style.cmap), 0))
        self.palette_box.currentIndexChanged.connect(
            lambda i: layer.update_style(cmap=self.palette_box.itemData(i))
        )
        self.form.addRow(self.tr("Colours"), self.palette_box)

        self.fixed = QCheckBox(self.tr("Fixed range"), self)
        low, high = layer.style.clim or _default_range(layer)
        self.low = QDoubleSpinBox(self)
        self.high = QDoubleSpinBox(self)
        for box, value in ((self.low, low), (self.high, high)):
            box.setRange(-1e6, 1e6)
            box.setDecimals(1)
            box.setValue(float(value))
            box.setSuffix(f" {layer.unit}" if layer.unit and not layer.unit.startswith("/") else "")
            box.editingFinished.connect(self._on_range)
        self.fixed.setChecked(layer.style.clim is not None)
        self.fixed.setToolTip(
            self.tr(
                "Keep the same colours from one data set to another (e.g. 20 → 40 °C); "
                "otherwise 2 % – 98 % of the readings"
            )
        )
        self.fixed.toggled.connect(self._on_range)
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.fixed)
        line.addWidget(self.low)
        line.addWidget(QLabel("→", self))
        line.addWidget(self.high)
        self.form.addRow(self.tr("Range"), row)

        self.max_age = QSpinBox(self)
        self.max_age.setRange(1, 60 * 24 * 31)
        self.max_age.setSuffix(" min")
        self.max_age.setValue(
            int(round(float(np.median(layer.max_age_s)) / 60.0)) if len(layer.max_age_s) else 30
        )
        self.max_age.setToolTip(
            self.tr(
                "A reading older than this is shown as « no reading » (grey); older than one step, it fades"
            )
        )
        self.max_age.editingFinished.connect(self._on_max_age)
        self.form.addRow(self.tr("Keep a reading"), self.max_age)

    def _on_range(self) -> None:
        wanted = (self.low.value(), self.high.value())
        if self.fixed.isChecked() and wanted[1] > wanted[0]:
            if self.layer.style.clim != wanted:
                self.layer.update_style(clim=wanted)
        elif not self.fixed.isChecked() and self.layer.style.clim is not None:
            self.layer.update_style(clim=None)

    def _on_max_age(self) -> None:
        seconds = float(self.max_age.value() * 60)
        if len(self.layer.max_age_s) and np.allclose(self.layer.max_age_s, seconds, atol=30.0):
            return  # focus left the box without a change
        self.layer.update_style(max_age_s=seconds)


def _default_range(layer: SensorLayer) -> tuple[float, float]:
    low, high = layer.value_range()
    if layer.is_count:
        return 0.0, float(np.ceil(high))
    return float(np.floor(low)), float(np.ceil(high))
