"""Buildings: colour by any attribute, filter by attribute, and what loading kept or left out.

The filter is the layer's style field ``filter`` (:class:`layers.buildings.style.BuildingsFilter`,
:mod:`layers.buildings.filters`), so it is saved in the project: one field, a numeric range
(``taller than 28 m``: minimum 28) or a choice of categories, filtered-out buildings hidden or
greyed. The counts of shown, dropped, repaired and defaulted buildings are listed under the
summary (details in the tooltip).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

from layers.buildings import filters
from layers.buildings.footprints import BuildingStats
from layers.buildings.layer import BuildingsLayer, FilterKind
from layers.buildings.style import BuildingsFilter, FilterCondition
from layers.core.messages import word
from layers.core.numbers import number
from viewer.labels import inspector_label

from ..translation import interface_language
from .base import LayerControls

PLAIN = None
#: categories listed in the filter at most
MAX_FILTER_CATEGORIES = 60


class BuildingsControls(LayerControls):
    layer_type = BuildingsLayer
    layer: BuildingsLayer

    def account_text(self, stats: BuildingStats, shown: int) -> tuple[str, str]:
        """One line on what loading kept and left out, and the details for a tooltip."""
        language = interface_language()

        def count(value: int) -> str:
            return number(int(value), language)

        parts = [self.tr("{} shown").format(count(shown))]
        details = []
        dropped = int(stats.get("dropped", 0))
        if dropped:
            parts.append(self.tr("{} left out").format(count(dropped)))
            for reason, n in sorted(stats.get("dropped_reasons", {}).items(), key=lambda kv: -kv[1]):
                example = stats.get("dropped_examples", {}).get(reason)
                details.append(
                    self.tr("left out, {reason}: {count}").format(
                        reason=word(reason, language), count=count(n)
                    )
                    + (f" ({example})" if example else "")
                )
        if stats.get("repaired"):
            parts.append(self.tr("{} repaired").format(count(stats["repaired"])))
            details.append(self.tr("repaired: {}").format(stats.get("repaired_examples", "")))
        if stats.get("heights_defaulted"):
            parts.append(self.tr("{} heights defaulted").format(count(stats["heights_defaulted"])))
            details.append(
                self.tr("heights defaulted: {}").format(stats.get("heights_defaulted_examples", ""))
            )
        features_in = stats.get("features_in")
        if features_in is not None:
            parts[0] = self.tr("{shown} of {total} shown").format(
                shown=count(shown), total=count(features_in)
            )
        return " · ".join(parts), "\n".join(details)

    def build(self) -> None:
        layer = self.layer
        text, details = self.account_text(layer.stats, layer.feature_count())
        self.account = QLabel(text, self)
        self.account.setWordWrap(True)
        self.account.setToolTip(details or self.tr("Every feature of the file is shown."))
        if layer.stats.get("dropped"):
            self.account.setStyleSheet("color: #8a5a00;")
        self.form.addRow(self.account)

        self.color_by = QComboBox(self)
        self.color_by.addItem(self.tr("Uniform colour"), PLAIN)
        for field, kind in layer.color_fields().items():
            name = inspector_label(field, interface_language())
            label = name if kind == "numeric" else self.tr("{} (categories)").format(name)
            self.color_by.addItem(label, field)
        self.color_by.setCurrentIndex(max(self.color_by.findData(layer.style.color_by), 0))
        self.color_by.setToolTip(self.tr("Attribute that colours the buildings (with a legend)"))
        self.color_by.currentIndexChanged.connect(self._on_color_by)
        self.form.addRow(self.tr("Colour by"), self.color_by)
        self._build_filter()

    def _on_color_by(self, index: int) -> None:
        self.layer.update_style(color_by=self.color_by.itemData(index))

    # -- filter -----------------------------------------------------------------------------
    def _build_filter(self) -> None:
        layer = self.layer
        spec = layer.style.filter
        condition = spec.active[0] if spec.active else FilterCondition()
        self.fields: dict[str, FilterKind] = layer.filter_fields()
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
        self.filter_count = QLabel("", self)
        self.form.addRow(self.filter_count)

        self._fill_filter_inputs(condition)
        self.filter_field.currentIndexChanged.connect(self._on_filter_field)
        self._update_count()

    def _fill_filter_inputs(self, condition: FilterCondition) -> None:
        field: str | None = self.filter_field.currentData()
        kind = self.fields.get(field) if field else None
        self.range_row.setVisible(kind in ("numeric", "year"))
        self.categories.setVisible(kind == "categorical")
        self.mode.setEnabled(field is not None)
        if field and kind in ("numeric", "year"):
            values = filters.as_numbers(self.layer.values(field))
            finite = values[np.isfinite(values)]
            unit = self.layer.unit(field) if kind == "numeric" else ""
            unit = f" {unit}" if unit else ""
            if len(finite):
                self.minimum.setPlaceholderText(self.tr("min {}").format(f"{finite.min():g}{unit}"))
                self.maximum.setPlaceholderText(self.tr("max {}").format(f"{finite.max():g}{unit}"))
        if field and kind == "categorical":
            chosen = set(condition.categories or ())
            self.categories.blockSignals(True)
            self.categories.clear()
            for name, count in list(filters.category_counts(self.layer, field).items())[
                :MAX_FILTER_CATEGORIES
            ]:
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
        self._update_count()

    def _update_count(self) -> None:
        spec = self.layer.style.filter
        try:
            mask = filters.filter_mask(self.layer, spec)
        except KeyError as exc:
            self.filter_count.setText(str(exc))
            return
        if not spec.active:
            self.filter_count.setText("")
            return
        shown = self.layer.count_features(mask)
        self.filter_count.setText(
            self.tr("{shown} of {total} buildings pass: {what}").format(
                shown=number(shown, interface_language()),
                total=number(self.layer.feature_count(), interface_language()),
                what=filters.describe_filter(spec, self.layer.unit),
            )
        )
