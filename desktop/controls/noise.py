"""Noise maps: façades coloured by the level in front of them, and the limit value of the report.

The controls only change the layer's style; the façades are computed where they are drawn (the
noise visual annotates the scene's buildings, and so does opening a project that asks for them),
and the report reads the layer's figures for the buildings last annotated
(:meth:`layers.noise.layer.NoiseLayer.facade_summaries`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel

from layers.core.numbers import number
from layers.core.palettes import NOISE_PALETTE_NAME
from layers.noise.layer import NoiseLayer

from ..translation import interface_language
from .base import LayerControls

#: values of the style's ``facades``: map only, map and façades, façades only
FACADE_CHOICES: tuple[bool | str, ...] = (False, True, "only")


class NoiseControls(LayerControls):
    """The indicator and palette of a noise map, its façades and their limit value."""

    layer_type = NoiseLayer
    layer: NoiseLayer

    def build(self) -> None:
        layer = self.layer
        info = QLabel(
            self.tr("{indicator} in dB(A), colours of {palette}").format(
                indicator=layer.indicator, palette=NOISE_PALETTE_NAME
            ),
            self,
        )
        info.setWordWrap(True)
        self.form.addRow(info)
        self.facades = QComboBox(self)
        self.facades.addItem(self.tr("Map only"), False)
        self.facades.addItem(self.tr("Map and façades"), True)
        self.facades.addItem(self.tr("Façades only"), "only")
        current = layer.style.facades or False
        self.facades.setCurrentIndex(FACADE_CHOICES.index(current) if current in FACADE_CHOICES else 0)
        self.facades.setToolTip(self.tr("Colour the building walls by the level in front of them"))
        self.facades.currentIndexChanged.connect(self._on_facades)
        self.form.addRow(self.tr("Façades"), self.facades)
        self.limit = QDoubleSpinBox(self)
        self.limit.setRange(30.0, 90.0)
        self.limit.setDecimals(0)
        self.limit.setSuffix(" dB(A)")
        self.limit.setValue(layer.facade_limit_db())
        self.limit.setToolTip(
            self.tr(
                "Limit value: the share of façade above it is reported per building "
                "(68 Lden, 62 Ln for roads)"
            )
        )
        self.limit.valueChanged.connect(self._on_limit)
        self.form.addRow(self.tr("Limit value"), self.limit)
        self.report = QLabel("", self)
        self.report.setWordWrap(True)
        self.form.addRow(self.report)
        self._update_report()

    def _on_facades(self, index: int) -> None:
        self.layer.update_style(facades=self.facades.itemData(index))
        self._update_report()

    def _on_limit(self, value: float) -> None:
        self.layer.update_style(facade_limit_db=float(value))
        self._update_report()

    def _update_report(self) -> None:
        if not self.layer.style.shows_facades:
            self.report.setText(
                self.tr(
                    "Choose façades to see the share of façade above the limit value per building "
                    "(inspector, colour by)."
                )
            )
            return
        lines = []
        for name, summary in self.layer.facade_summaries():
            if summary["share_above_pct"] is None:
                continue
            lines.append(
                self.tr(
                    "{name}: {share} % of façade area above {limit} dB(A) {indicator}; "
                    "{count} buildings concerned"
                ).format(
                    name=name,
                    share=number(summary["share_above_pct"], interface_language(), 1),
                    limit=number(summary["limit_db"], interface_language()),
                    indicator=summary["indicator"],
                    count=number(summary["buildings_above"], interface_language()),
                )
            )
        self.report.setText("\n".join(lines) or self.tr("No buildings layer in the scene."))
