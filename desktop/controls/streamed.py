"""A streamed store: the common rows (opacity, what it holds, warnings), its colours and its filter.
Tiles read in the background wake the window through ``SceneView.wake_from_thread``
(:class:`desktop.controllers.workspace.Workspace`).

The choices are the buildings kind's (:mod:`desktop.controls.buildings`) over the columns the store
keeps: colour by height or by usage; filter on a height range or a choice of usages (listed with
their counts over the whole store), filtered-out buildings hidden or greyed. The filter is applied
to each tile as it is drawn, so it holds for the tiles loaded later.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QComboBox

from layers.buildings.layer import FilterKind
from layers.streamed.layer import StreamedBuildingsLayer
from viewer.labels import inspector_label

from ..translation import interface_language
from .filtered import FilteredControls


class StreamedControls(FilteredControls):
    layer_type = StreamedBuildingsLayer
    layer: StreamedBuildingsLayer

    def build(self) -> None:
        layer = self.layer
        language = interface_language()
        self.color_by = QComboBox(self)
        self.color_by.addItem(self.tr("Uniform colour"), None)
        for field, kind in layer.color_fields().items():
            name = inspector_label(field, language)
            label = name if kind == "numeric" else self.tr("{} (categories)").format(name)
            self.color_by.addItem(label, field)
        self.color_by.setCurrentIndex(max(self.color_by.findData(layer.style.color_by), 0))
        self.color_by.setToolTip(self.tr("Attribute that colours the buildings (with a legend)"))
        self.color_by.currentIndexChanged.connect(
            lambda i: self.layer.update_style(color_by=self.color_by.itemData(i))
        )
        self.form.addRow(self.tr("Colour by"), self.color_by)
        self.build_filter(self.tr("Applied to each tile as it loads."))

    def filter_fields(self) -> Mapping[str, FilterKind]:
        return self.layer.filter_fields()

    def filter_categories(self, field: str) -> dict[str, int]:
        return self.layer.usage_counts()

    def filter_range(self, field: str) -> tuple[float, float, str] | None:
        low, high = self.layer.height_range()
        return low, high, "m"
