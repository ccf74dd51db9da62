"""A Qt table model over a layer's columns, as numpy arrays: fast on 100,000 rows.

The model never holds a Python object per cell: each column is one array (a frame's column, or a
value the layer computes such as a building's ``height_m``), and :attr:`AttributeModel.order`
maps the table's rows to the layer's rows. Sorting is one stable ``argsort`` of the column's ranks
(missing values last, ascending or descending); filtering keeps the rows of a boolean mask (the
layer's attribute filter, :func:`layers.buildings.filters.filter_mask`). Cells are written when Qt
asks for them, numbers per language (:func:`layers.core.numbers.number`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from layers.core.numbers import number

Index = QModelIndex | QPersistentModelIndex


def sort_order(values: np.ndarray, descending: bool = False) -> np.ndarray:
    """Rows of ``values`` in sorted order: stable, missing values (NaN, None, "") last either way.

    Numbers sort as numbers, anything else by its text. ``argsort`` of the values' ranks, so
    descending is the same stable sort of the negated ranks (ties keep their order)."""
    values = np.asarray(values)
    if values.dtype.kind in "fiub":
        numbers = values.astype(np.float64)
        missing = ~np.isfinite(numbers)
        ranks = np.unique(np.where(missing, 0.0, numbers), return_inverse=True)[1]
    elif values.dtype.kind == "M":
        missing = np.isnat(values)
        ranks = np.unique(values.astype("int64"), return_inverse=True)[1]
    else:
        series = pd.Series(values, dtype=object)
        missing = series.isna().to_numpy() | (series.astype(str) == "").to_numpy()
        text = series.where(~missing, "").astype(str).to_numpy(dtype=object)
        ranks = np.unique(text, return_inverse=True)[1]
    ranks = ranks.astype(np.int64).reshape(-1)
    key = -ranks if descending else ranks
    key = np.where(missing, np.iinfo(np.int64).max, key)
    return np.argsort(key, kind="stable")


class AttributeModel(QAbstractTableModel):
    """Rows of a layer (``order``: layer row of each table row) × columns (one array each).

    Parameters
    ----------
    columns
        ``{field: (n,) values}``, in display order.
    titles
        The header of each field (its friendly name and unit).
    language
        How numbers are written (``"fr"``: ``12,5``; ``"en"``: ``12.5``).
    """

    def __init__(self, columns: dict[str, np.ndarray], titles: dict[str, str], language: str = "fr") -> None:
        super().__init__()
        self.fields = list(columns)
        self.columns = [np.asarray(columns[f]) for f in self.fields]
        self.titles = [titles.get(f, f) for f in self.fields]
        self.language = language
        self.row_total = len(self.columns[0]) if self.columns else 0
        self._sorted = np.arange(self.row_total, dtype=np.int64)
        self._mask: np.ndarray | None = None
        #: the layer row of each table row
        self.order = self._sorted
        self.sort_key: tuple[int, bool] | None = None

    # -- what the table shows -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(int(self.order[index.row()]), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[index.column()].dtype.kind in "fiu":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.titles[section] if 0 <= section < len(self.titles) else None
        return str(int(self.order[section]) + 1) if 0 <= section < len(self.order) else None

    def text(self, row: int, column: int) -> str:
        """Layer row ``row``'s value of column ``column`` as shown: numbers per language, missing
        values blank."""
        value = self.columns[column][row]
        if value is None:
            return ""
        if isinstance(value, (float, np.floating)):
            return "" if not math.isfinite(value) else number(float(value), self.language)
        if isinstance(value, (bool, np.bool_)):
            return str(bool(value))
        if isinstance(value, (int, np.integer)):
            return number(int(value), self.language, group=False)
        if isinstance(value, np.datetime64):
            return "" if np.isnat(value) else str(value)[:10]
        if isinstance(value, pd.Timestamp):
            return value.strftime("%Y-%m-%d")
        return "" if value is pd.NaT or value is pd.NA else str(value)

    # -- sorting and filtering ---------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` (stable, missing values last); what Qt calls on a click on a header.
        Column -1: the layer's own order."""
        if not -1 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        descending = order == Qt.SortOrder.DescendingOrder
        if column < 0:
            self._sorted, self.sort_key = np.arange(self.row_total, dtype=np.int64), None
        else:
            self._sorted = sort_order(self.columns[column], descending)
            self.sort_key = (column, descending)
        self._apply()
        self.layoutChanged.emit()

    def set_mask(self, mask: np.ndarray | None) -> None:
        """Show only the layer rows where ``mask`` (n,) is true (``None``: all rows)."""
        self.beginResetModel()
        self._mask = None if mask is None else np.asarray(mask, bool)
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        self.order = self._sorted if self._mask is None else self._sorted[self._mask[self._sorted]]

    def table_rows(self, layer_rows: np.ndarray) -> np.ndarray:
        """The table rows (sorted) showing ``layer_rows`` (rows filtered out have none)."""
        position = np.full(self.row_total, -1, np.int64)
        position[self.order] = np.arange(len(self.order))
        found = position[np.asarray(layer_rows, dtype=np.int64)]
        return np.sort(found[found >= 0])
