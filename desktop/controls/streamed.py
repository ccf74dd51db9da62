"""A streamed store: the common rows (opacity, what it holds, warnings), its colours and its filter.
Tiles read in the background wake the window through ``SceneView.wake_from_thread``
(:class:`desktop.controllers.workspace.Workspace`).

The choices are the buildings kind's (:mod:`desktop.controls.buildings`) over the columns the store
keeps: colour by height or by usage; filter on a height range or a choice of usages (listed with
their counts over the whole store), filtered-out buildings hidden or greyed. The filter is applied
to each tile as it is drawn, so it holds for the tiles loaded later.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

from desktop.controls.base import LayerControls
from layers.buildings.style import BuildingsFilter, FilterCondition
from layers.core.numbers import number
from layers.streamed.layer import StreamedBuildingsLayer
from viewer.labels import inspector_label

from ..translation import interface_language
from .buildings import MAX_FILTER_CATEGORIES, BuildingsControls


class StreamedControls(LayerControls):
    layer_type = StreamedBuildingsLayer
    layer: StreamedBuildingsLayer

    def build(self) -> None:
        layer = self.layer
        language = interface_language()
        self.color_by = QComboBox(self)
        self.color_by.addItem(self.tr("Uniform colour"), None)
        self.filter_field = QComboBox(self)
        self.filter_field.addItem(self.tr("No filter"), None)
        for field, kind in layer.color_fields().items():
            name = inspector_label(field, language)
            label = name if kind == "numeric" else self.tr("{} (categories)").format(name)
            self.color_by.addItem(label, field)
            self.filter_field.addItem(label, field)
        self.color_by.setCurrentIndex(max(self.color_by.findData(layer.style.color_by), 0))
        self.color_by.setToolTip(self.tr("Attribute that colours the buildings (with a legend)"))
        self.color_by.currentIndexChanged.connect(
            lambda i: self.layer.update_style(color_by=self.color_by.itemData(i))
        )
        self.form.addRow(self.tr("Colour by"), self.color_by)

        spec = layer.style.filter
        condition = spec.active[0] if spec.active else FilterCondition()
        self.filter_field.setCurrentIndex(max(self.filter_field.findData(condition.field or None), 0))
        self.filter_field.setToolTip(
            self.tr("Show only the buildings whose attribute is in a range or among chosen categories")
        )
        self.form.addRow(self.tr("Filter"), self.filter_field)
        self.range_row = QWidget(self)
        row = QHBoxLayout(self.range_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.minimum = QLineEdit(self.range_row)
        self.maximum = QLineEdit(self.range_row)
        low, high = layer.height_range()
        for edit, bound in ((self.minimum, condition.min), (self.maximum, condition.max)):
            edit.setClearButtonEnabled(True)
            if bound is not None:
                edit.setText(f"{bound:g}")
            edit.editingFinished.connect(self._apply_filter)
            row.addWidget(edit)
        self.minimum.setPlaceholderText(self.tr("min {}").format(f"{low:g} m"))
        self.maximum.setPlaceholderText(self.tr("max {}").format(f"{high:g} m"))
        self.form.addRow(self.tr("From / to"), self.range_row)
        self.categories = QListWidget(self)
        self.categories.setMaximumHeight(150)
        self.categories.itemChanged.connect(lambda _item: self._apply_filter())
        self.form.addRow(self.categories)
        self.mode = QComboBox(self)
        self.mode.addItem(self.tr("Hide the others"), "hide")
        self.mode.addItem(self.tr("Grey out the others"), "grey")
        self.mode.setCurrentIndex(max(self.mode.findData(spec.mode), 0))
        self.mode.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.form.addRow(self.tr("Filtered out"), self.mode)
        self.filter_note = QLabel(self.tr("Applied to each tile as it loads."), self)
        self.filter_note.setWordWrap(True)
        self.form.addRow(self.filter_note)
        self._fill_filter_inputs(condition)
        self.filter_field.currentIndexChanged.connect(self._on_filter_field)

    def _fill_filter_inputs(self, condition: FilterCondition) -> None:
        field: str | None = self.filter_field.currentData()
        kind = self.layer.filter_fields().get(field) if field else None
        self.range_row.setVisible(kind == "numeric")
        self.categories.setVisible(kind == "categorical")
        self.mode.setEnabled(field is not None)
        self.filter_note.setVisible(field is not None)
        if kind != "categorical":
            return
        chosen = set(condition.categories or ())
        self.categories.blockSignals(True)
        self.categories.clear()
        for name, count in list(self.layer.usage_counts().items())[:MAX_FILTER_CATEGORIES]:
            item = QListWidgetItem(f"{name} ({number(count, interface_language())})")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = not chosen or name in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.categories.addItem(item)
        self.categories.blockSignals(False)

    def _on_filter_field(self, _index: int) -> None:
        self.minimum.clear()
        self.maximum.clear()
        self._fill_filter_inputs(FilterCondition())
        self._apply_filter()

    def filter_spec(self) -> BuildingsFilter:
        """The filter the inputs describe (empty: no filter)."""
        field: str | None = self.filter_field.currentData()
        if not field:
            return BuildingsFilter()
        low = high = None
        categories: tuple[str, ...] | None = None
        if self.layer.filter_fields().get(field) == "numeric":
            low, high = BuildingsControls._bound(self.minimum), BuildingsControls._bound(self.maximum)
        else:
            items = [self.categories.item(i) for i in range(self.categories.count())]
            chosen = [
                str(i.data(Qt.ItemDataRole.UserRole))
                for i in items
                if i.checkState() == Qt.CheckState.Checked
            ]
            if len(chosen) < len(items):
                categories = tuple(chosen)
        condition = FilterCondition(field=field, min=low, max=high, categories=categories)
        if not condition.filters:
            return BuildingsFilter()
        return BuildingsFilter(conditions=(condition,), mode=self.mode.currentData())

    def _apply_filter(self) -> None:
        self.layer.update_style(filter=self.filter_spec())
