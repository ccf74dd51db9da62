"""Buildings: colour by any attribute, filter by attribute, and what loading kept or left out.

The filter is the layer's style field ``filter`` (:class:`layers.buildings.style.BuildingsFilter`,
:mod:`layers.buildings.filters`), so it is saved in the project: one field, a numeric range
(``taller than 28 m``: minimum 28) or a choice of categories, filtered-out buildings hidden or
greyed. The counts of shown, dropped, repaired and defaulted buildings are listed under the
summary (details in the tooltip).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from PySide6.QtWidgets import QComboBox, QLabel

from layers.buildings import filters
from layers.buildings.footprints import BuildingStats
from layers.buildings.layer import BuildingsLayer, FilterKind
from layers.core.messages import word
from layers.core.numbers import number
from viewer.labels import inspector_label

from ..translation import interface_language
from .filtered import FilteredControls

PLAIN = None


class BuildingsControls(FilteredControls):
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

    # -- filter (rows in :mod:`.filtered`) ------------------------------------------------------
    def _build_filter(self) -> None:
        self.build_filter()
        self.filter_count = QLabel("", self)
        self.form.addRow(self.filter_count)
        self._update_count()

    def filter_fields(self) -> Mapping[str, FilterKind]:
        return self.layer.filter_fields()

    def filter_categories(self, field: str) -> dict[str, int]:
        return filters.category_counts(self.layer, field)

    def filter_range(self, field: str) -> tuple[float, float, str] | None:
        values = filters.as_numbers(self.layer.values(field))
        finite = values[np.isfinite(values)]
        if not len(finite):
            return None
        return float(finite.min()), float(finite.max()), self.layer.unit(field)

    def filter_applied(self) -> None:
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
