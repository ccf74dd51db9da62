"""The filter rows of buildings' controls, from a file (:mod:`.buildings`) or a prepared store
(:mod:`.streamed`): one field, a numeric range or a choice of categories, filtered-out buildings
hidden or greyed. The filter is the layer's style field ``filter``
(:class:`layers.buildings.style.BuildingsFilter`), so it is saved in the project.

A subclass says what its layer can be filtered by (:meth:`FilteredControls.filter_fields`), the
categories of a field with their counts, the range of a numeric field, and what follows a change
(:meth:`FilteredControls.filter_applied`: the count of buildings that pass, for a file).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

from layers.buildings.layer import FilterKind
from layers.buildings.style import BuildingsFilter, FilterCondition
from layers.core.numbers import number
from viewer.labels import inspector_label

from ..translation import interface_language
from .base import LayerControls

#: categories listed in the filter at most
MAX_FILTER_CATEGORIES = 60


class FilteredControls(LayerControls):
    """Controls with the filter rows (see the module docstring); :meth:`build_filter` adds them."""

    # -- what a subclass says --------------------------------------------------------------------
    def filter_fields(self) -> Mapping[str, FilterKind]:
        """``{field: kind}`` the layer can be filtered by."""
        raise NotImplementedError

    def filter_categories(self, field: str) -> dict[str, int]:
        """``{category: buildings}`` of a categorical ``field``, most frequent first."""
        raise NotImplementedError

    def filter_range(self, field: str) -> tuple[float, float, str] | None:
        """(lowest, highest, unit) of a numeric ``field``, ``None`` when it has no number."""
        raise NotImplementedError

    def filter_applied(self) -> None:
        """After the filter changed (nothing by default)."""

    # -- the rows ----------------------------------------------------------------------------------
    def build_filter(self, note: str | None = None) -> None:
        """Add the filter rows to the form, set from the layer's style; ``note`` under them."""
        spec: BuildingsFilter = self.layer.style.filter
        condition = spec.active[0] if spec.active else FilterCondition()
        self.fields = dict(self.filter_fields())
        self.filter_field = QComboBox(self)
        self.filter_field.addItem(self.tr("No filter"), None)
        for field, kind in self.fields.items():
            name = inspector_label(field, interface_language())
            self.filter_field.addItem(
                name if kind != "categorical" else self.tr("{} (categories)").format(name), field
            )
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
        for edit, bound in ((self.minimum, condition.min), (self.maximum, condition.max)):
            edit.setClearButtonEnabled(True)
            if bound is not None:
                edit.setText(f"{bound:g}")
            edit.editingFinished.connect(self._apply_filter)
            row.addWidget(edit)
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
        self.filter_note = QLabel(note or "", self)
        self.filter_note.setWordWrap(True)
        self.form.addRow(self.filter_note)

        self._fill_filter_inputs(condition)
        self.filter_field.currentIndexChanged.connect(self._on_filter_field)

    def _fill_filter_inputs(self, condition: FilterCondition) -> None:
        field: str | None = self.filter_field.currentData()
        kind = self.fields.get(field) if field else None
        # whole rows, their labels with them ("From / to" is not left alone without its inputs)
        self.form.setRowVisible(self.range_row, kind in ("numeric", "year"))
        self.form.setRowVisible(self.categories, kind == "categorical")
        self.mode.setEnabled(field is not None)
        self.form.setRowVisible(self.filter_note, field is not None and bool(self.filter_note.text()))
        if field and kind in ("numeric", "year"):
            extent = self.filter_range(field)
            if extent is not None:
                low, high, unit = extent
                unit = f" {unit}" if unit and kind == "numeric" else ""
                self.minimum.setPlaceholderText(self.tr("min {}").format(f"{low:g}{unit}"))
                self.maximum.setPlaceholderText(self.tr("max {}").format(f"{high:g}{unit}"))
        if field and kind == "categorical":
            chosen = set(condition.categories or ())
            self.categories.blockSignals(True)
            self.categories.clear()
            for name, count in list(self.filter_categories(field).items())[:MAX_FILTER_CATEGORIES]:
                item = QListWidgetItem(f"{name} ({number(count, interface_language())})")
                item.setData(Qt.ItemDataRole.UserRole, name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if not chosen or name in chosen else Qt.CheckState.Unchecked
                )
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
        low: float | None = None
        high: float | None = None
        categories: tuple[str, ...] | None = None
        kind = self.fields.get(field)
        if kind in ("numeric", "year"):
            low, high = self._bound(self.minimum), self._bound(self.maximum)
        elif kind == "categorical":
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

    @staticmethod
    def _bound(edit: QLineEdit) -> float | None:
        """The number typed in ``edit`` (``None`` when empty; shown in red when not a number)."""
        text = edit.text().strip().replace(",", ".").replace("\u202f", "").replace(" ", "")
        value = None
        if text:
            try:
                value = float(text)
            except ValueError:
                edit.setStyleSheet("color: #b00020;")
                return None
        edit.setStyleSheet("")
        return value

    def _apply_filter(self) -> None:
        self.layer.update_style(filter=self.filter_spec())
        self.filter_applied()
