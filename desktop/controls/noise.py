"""Noise maps: façades coloured by the level in front of them, and the limit value of the report."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QWidget

from layers.core.palettes import NOISE_PALETTE_NAME
from layers.noise.facade import annotate, limit_for
from layers.noise.layer import NoiseLayer

from .base import LayerControls

#: façades style values: none, map and façades, façades only
FACADE_CHOICES = (None, True, "only")


def find_scene(widget: QWidget | None) -> Any:
    """The scene of the window holding ``widget`` (the layer panel or the main window has one)."""
    while widget is not None:
        scene = getattr(widget, "scene", None)
        if scene is not None and hasattr(scene, "of_kind"):
            return scene
        widget = widget.parent()
    return None


class NoiseControls(LayerControls):
    layer_type = NoiseLayer

    def build(self) -> None:
        self.scene = find_scene(self.parent())
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
        self.facades.addItem(self.tr("Map only"), None)
        self.facades.addItem(self.tr("Map and façades"), True)
        self.facades.addItem(self.tr("Façades only"), "only")
        current = layer.style.get("facades") or None
        self.facades.setCurrentIndex(
            max(FACADE_CHOICES.index(current) if current in FACADE_CHOICES else 0, 0)
        )
        self.facades.setToolTip(self.tr("Colour the building walls by the level in front of them"))
        self.facades.currentIndexChanged.connect(self._on_facades)
        self.form.addRow(self.tr("Façades"), self.facades)
        self.limit = QDoubleSpinBox(self)
        self.limit.setRange(30.0, 90.0)
        self.limit.setDecimals(0)
        self.limit.setSuffix(" dB(A)")
        self.limit.setValue(limit_for(layer.indicator, layer.style.get("facade_limit_db")))
        self.limit.setToolTip(
            self.tr(
                "Limit value: the share of façade above it is reported per building (68 Lden, 62 Ln for roads)"
            )
        )
        self.limit.valueChanged.connect(self._on_limit)
        self.form.addRow(self.tr("Limit value"), self.limit)
        self.report = QLabel("", self)
        self.report.setWordWrap(True)
        self.form.addRow(self.report)
        self._update_report()

    def _buildings(self) -> list:
        return list(self.scene.of_kind("buildings")) if self.scene is not None else []

    def _on_facades(self, index: int) -> None:
        value = self.facades.itemData(index)
        if value:
            self._compute()
        self.layer.set_style("facades", value)
        self._update_report()

    def _on_limit(self, value: float) -> None:
        self.layer.set_style("facade_limit_db", float(value))
        if self.layer.style.get("facades"):
            self._compute()
        self._update_report()

    def _compute(self) -> None:
        """Compute (cached in the layer) and annotate the buildings' façades."""
        for buildings in self._buildings():
            annotate(buildings, self.layer.facade_exposure(buildings))

    def _update_report(self) -> None:
        if not self.layer.style.get("facades"):
            self.report.setText(
                self.tr(
                    "Choose façades to see the share of façade above the limit value per building (inspector, colour by)."
                )
            )
            return
        lines = []
        for buildings in self._buildings():
            summary = self.layer.facade_exposure(buildings).summary()
            if summary["share_above_pct"] is None:
                continue
            lines.append(
                self.tr(
                    "{name}: {share:.1f} % of façade area above {limit:g} dB(A) {indicator}; {count} buildings concerned"
                ).format(
                    name=buildings.name,
                    share=summary["share_above_pct"],
                    limit=summary["limit_db"],
                    indicator=summary["indicator"],
                    count=summary["buildings_above"],
                )
            )
        self.report.setText("\n".join(lines) or self.tr("No buildings layer in the scene."))
