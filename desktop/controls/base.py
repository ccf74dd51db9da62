"""Controls common to every layer: opacity, a summary of what it holds, its warnings."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QSlider, QWidget

from layers.core import crs as crs_util
from layers.core.base import Layer
from layers.core.messages import word
from layers.core.numbers import number

from ..translation import interface_language

#: layer class → its controls (filled by :meth:`LayerControls.__init_subclass__`)
_CONTROLS: dict[type, type[LayerControls]] = {}


def registered_controls(layer_class: type) -> type[LayerControls] | None:
    """The controls registered for ``layer_class`` or its closest ancestor, ``None`` if none."""
    for klass in layer_class.__mro__:
        if klass in _CONTROLS:
            return _CONTROLS[klass]
    return None


class LayerControls(QWidget):
    """The options panel of one layer: opacity, what it holds, its warnings. A kind's subclass
    names its layer class in :attr:`layer_type` (which registers it) and adds rows in
    :meth:`build`."""

    #: the layer class these controls serve
    layer_type: ClassVar[type[Layer[Any]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "layer_type" in cls.__dict__:
            _CONTROLS[cls.layer_type] = cls

    def __init__(self, layer: Layer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer = layer
        self.form = QFormLayout(self)
        self.form.setContentsMargins(4, 4, 4, 4)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        summary = QLabel(self.summary(), self)
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(summary)
        self.opacity = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(int(round(layer.opacity * 100)))
        self.opacity.setToolTip(self.tr("Opacity of the layer"))
        self.opacity.valueChanged.connect(lambda v: setattr(self.layer, "opacity", v / 100.0))
        self.form.addRow(self.tr("Opacity"), self.opacity)
        self.build()
        if layer.warnings:
            notes = [word(note, interface_language()) for note in layer.warnings[:6]]
            warnings = QLabel("⚠ " + "\n⚠ ".join(notes) + ("\n…" if len(layer.warnings) > 6 else ""), self)
            warnings.setWordWrap(True)
            warnings.setStyleSheet("color: #8a5a00;")
            warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(warnings)

    def build(self) -> None:
        """Add kind-specific rows (subclasses)."""

    def summary(self) -> str:
        parts = [
            number(self.layer.feature_count(), interface_language()) + " " + self.tr("features"),
            crs_util.label(self.layer.crs),
        ]
        if self.layer.source is not None:
            parts.append(self.layer.source.name)
        return " · ".join(parts)
