"""The attribute table: the features of a layer as rows, sortable, filtered, linked to the 3D view.

One table per layer with features (:class:`~layers.core.base.HasFrame`), chosen in the panel's list
(or from the layer panel's menu). Columns are the layer's fields with friendly names and units
(:func:`viewer.labels.field_title`); a click on a header sorts (:mod:`.attribute_model`). "Only the
filtered features" keeps the rows the layer's attribute filter keeps (the buildings' filter, set in
the layer's options). Rows chosen here are the layer's selection in
:class:`layers.core.selection.Selections`, which the 3D view draws and changes in turn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from layers.buildings import filters
from layers.buildings.layer import BuildingsLayer
from layers.core.base import HasFrame, Layer
from layers.core.numbers import number
from layers.core.selection import Selections
from layers.streets.layer import StreetsLayer
from layers.vector.layer import VectorLayer
from viewer.labels import field_title

from ..translation import interface_language
from .attribute_model import AttributeModel

#: the widest a column starts, pixels (a long text is cut, its whole value in the cell's tooltip)
MAX_COLUMN_PX = 260


def layer_columns(layer: Layer[Any], language: str) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """``({field: (n,) values}, {field: header})`` of a layer with features: a building's height
    (and base) first, then the frame's columns (not the geometry, nor the row bookkeeping)."""
    columns: dict[str, np.ndarray] = {}
    if isinstance(layer, BuildingsLayer):
        columns["height_m"] = layer.height_m
        if np.any(layer.base_m > 0):
            columns["base_m"] = layer.base_m
    if isinstance(layer, HasFrame):
        frame = layer.frame
        geometry = str(frame.geometry.name)
        for name in frame.columns:
            if name not in (geometry, "feature_index") and str(name) not in columns:
                columns[str(name)] = frame[name].to_numpy()
    titles: dict[str, str] = {}
    for field in columns:
        title = field_title(field, _unit(layer, field), language)
        # a building's height and the file's height field would read the same
        titles[field] = f"{title} · {field}" if title in titles.values() else title
    return columns, titles


def _unit(layer: Layer[Any], field: str) -> str:
    if isinstance(layer, (BuildingsLayer, StreetsLayer, VectorLayer)):
        return layer.unit(field)
    return ""


class AttributeTablePanel(QWidget):
    """The table of one layer's features. Signals: ``zoom_requested(layer)``,
    ``export_requested(layer)`` (the selection's), ``filter_requested(layer)`` (its options, where
    its attribute filter is set)."""

    zoom_requested = Signal(object)
    export_requested = Signal(object)
    filter_requested = Signal(object)

    def __init__(self, selections: Selections, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selections = selections
        self.layer: Layer[Any] | None = None
        self.model: AttributeModel | None = None
        self._layers: list[Layer[Any]] = []
        self._syncing = False
        self.choice = QComboBox(self)
        self.choice.currentIndexChanged.connect(self._chosen)
        self.filtered = QCheckBox(self.tr("Only the filtered features"), self)
        self.filtered.setToolTip(self.tr("Rows kept by the layer's attribute filter (in its options)"))
        self.filtered.setChecked(True)
        self.filtered.toggled.connect(lambda _on: self._apply_filter())
        self.filter_button = QPushButton(self.tr("Filter…"), self)
        self.filter_button.setToolTip(self.tr("Set the layer's attribute filter in its options"))
        self.filter_button.clicked.connect(
            lambda: self.layer is not None and self.filter_requested.emit(self.layer)
        )
        self.count = QLabel(self)
        self.zoom_button = QPushButton(self.tr("Zoom to selection"), self)
        self.zoom_button.clicked.connect(
            lambda: self.layer is not None and self.zoom_requested.emit(self.layer)
        )
        self.clear_button = QPushButton(self.tr("Clear selection"), self)
        self.clear_button.clicked.connect(lambda: self.layer is not None and selections.clear(self.layer))
        self.export_button = QPushButton(self.tr("Export selection…"), self)
        self.export_button.clicked.connect(
            lambda: self.layer is not None and self.export_requested.emit(self.layer)
        )
        self.table = QTableView(self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setDefaultSectionSize(22)
        top = QHBoxLayout()
        top.addWidget(self.choice, 1)
        top.addWidget(self.filtered)
        top.addWidget(self.filter_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        for button in (self.zoom_button, self.clear_button, self.export_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        selections.changed.connect(self._selection_changed)

    # -- which layer -------------------------------------------------------------------------------
    def set_layers(self, layers: list[Layer[Any]]) -> None:
        """The layers the table may show (those with features); keeps the current one if still there."""
        current = self.layer
        self._layers = [layer for layer in layers if isinstance(layer, HasFrame)]
        self.choice.blockSignals(True)
        self.choice.clear()
        for layer in self._layers:
            self.choice.addItem(layer.name)
        self.choice.blockSignals(False)
        if current is not None and current in self._layers:
            self.choice.setCurrentIndex(self._layers.index(current))
        else:
            self.show_layer(self._layers[0] if self._layers else None)

    def show_layer(self, layer: Layer[Any] | None) -> None:
        """Show ``layer``'s features (``None``: an empty table)."""
        if (
            layer is not None
            and layer in self._layers
            and self.choice.currentIndex() != self._layers.index(layer)
        ):
            self.choice.setCurrentIndex(self._layers.index(layer))  # comes back here through _chosen
            return
        if self.layer is not None:
            self.layer.style_changed.disconnect(self._style_changed)
        self.layer = layer
        if layer is None:
            self.model = None
            self.table.setModel(None)
            self._update_count()
            return
        columns, titles = layer_columns(layer, interface_language())
        self.model = AttributeModel(columns, titles, interface_language())
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the file's order until a click
        header.setMaximumSectionSize(MAX_COLUMN_PX)
        self.table.resizeColumnsToContents()  # the headers whole (Qt measures the rows in view only)
        self.table.selectionModel().selectionChanged.connect(self._table_selection_changed)
        layer.style_changed.connect(self._style_changed)
        filterable = isinstance(layer, BuildingsLayer)  # the attribute filter is the buildings'
        self.filtered.setEnabled(filterable)
        self.filter_button.setEnabled(filterable)
        self._apply_filter()

    def _chosen(self, index: int) -> None:
        if 0 <= index < len(self._layers):
            self.show_layer(self._layers[index])

    # -- filter -----------------------------------------------------------------------------------
    def _style_changed(self, fields: frozenset[str]) -> None:
        if "filter" in fields:
            self._apply_filter()

    def _apply_filter(self) -> None:
        model, layer = self.model, self.layer
        if model is None or layer is None:
            return
        mask = None
        if self.filtered.isChecked() and isinstance(layer, BuildingsLayer) and layer.style.filter.active:
            try:
                mask = filters.filter_mask(layer, layer.style.filter)
            except KeyError:  # a filter on a field the layer lacks filters nothing (said in its warnings)
                mask = None
        model.set_mask(mask)
        self._show_selection()

    # -- the selection, both ways --------------------------------------------------------------------
    def selected_rows(self) -> np.ndarray:
        """The layer rows selected in the table (sorted)."""
        if self.model is None:
            return np.zeros(0, np.int64)
        ranges = self.table.selectionModel().selection()
        parts = [np.arange(ranges.at(i).top(), ranges.at(i).bottom() + 1) for i in range(ranges.count())]
        rows = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        return np.unique(self.model.order[rows.astype(np.int64)])

    def _table_selection_changed(self, *_args: object) -> None:
        if self._syncing or self.layer is None:
            return
        self._syncing = True
        try:
            self.selections.select(self.layer, self.selected_rows())
        finally:
            self._syncing = False
        self._update_count()

    def _selection_changed(self, layer: Layer[Any]) -> None:
        if layer is self.layer and not self._syncing:
            self._show_selection()

    def _show_selection(self) -> None:
        """Select in the table the rows of the layer's selection, and scroll to the first."""
        model, layer = self.model, self.layer
        if model is None or layer is None:
            return
        rows = model.table_rows(self.selections.rows(layer))
        selection = QItemSelection()
        last = model.columnCount() - 1
        if len(rows):
            breaks = np.flatnonzero(np.diff(rows) != 1) + 1
            for run in np.split(rows, breaks):
                selection.select(model.index(int(run[0]), 0), model.index(int(run[-1]), last))
        self._syncing = True
        try:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.table.selectionModel().select(selection, flags)
        finally:
            self._syncing = False
        if len(rows):
            self.table.scrollTo(model.index(int(rows[0]), 0))
        self._update_count()

    def _update_count(self) -> None:
        if self.model is None or self.layer is None:
            self.count.setText("")
            return
        language = interface_language()
        selected = len(self.selections.rows(self.layer))
        self.count.setText(
            self.tr("{selected} selected · {shown} of {total} rows").format(
                selected=number(selected, language),
                shown=number(len(self.model.order), language),
                total=number(self.model.row_total, language),
            )
        )
        has = selected > 0
        self.zoom_button.setEnabled(has)
        self.clear_button.setEnabled(has)
        self.export_button.setEnabled(has)
