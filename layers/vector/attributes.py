"""The attribute columns of feature layers: which can colour, their values, their JSON form.

Shared by the kinds that hold a frame of features read from a vector file (vector, buildings,
streets): the columns offered for colours (:func:`column_kinds`), one column as numbers or text
(:func:`column_values`, :func:`numeric_values`), a cell as plain JSON for the inspector
(:func:`jsonable`) and the guess of a category column (:func:`guess_category_field`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any, Literal

import numpy as np
import pandas as pd

from layers.io.vector_file import ID_COLUMNS

#: how a column can colour features
ColumnKind = Literal["numeric", "categorical"]

#: field names that usually hold a category, in order of preference (matched ignoring case)
CATEGORY_FIELDS = (
    "type",
    "nature",
    "surf_cat",
    "class",
    "classe",
    "category",
    "categorie",
    "landuse",
    "natural",
    "leisure",
    "usage",
    "usage1",
    "fclass",
    "code",
    "typ",
    "kind",
    "libelle",
    "label",
)
#: a text column with more distinct values than this is not offered for colouring
MAX_CATEGORIES = 30


def jsonable(value: Any) -> Any:
    """A cell value as plain JSON (NaN / NA → ``None``, numpy scalars → Python, times → ISO text)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
        return None if isinstance(value, float) and np.isnan(value) else value
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def column_kinds(frame: pd.DataFrame, skip: Collection[str] = frozenset()) -> dict[str, ColumnKind]:
    """``{column: "numeric" | "categorical"}`` for the columns that can colour features.

    Numeric: number columns (booleans excluded). Categorical: text columns with 1 to
    :data:`MAX_CATEGORIES` distinct values.
    """
    kinds: dict[str, ColumnKind] = {}
    for name in frame.columns:
        column = frame[name]
        if name in skip or str(column.dtype) == "geometry" or _is_identifier(str(name)):
            continue
        if pd.api.types.is_bool_dtype(column.dtype):
            continue
        if pd.api.types.is_numeric_dtype(column.dtype):
            if column.notna().any():
                kinds[str(name)] = "numeric"
        elif pd.api.types.is_string_dtype(column.dtype) or column.dtype == object:
            distinct = column.dropna().astype(str).nunique()
            if 1 <= distinct <= MAX_CATEGORIES:
                kinds[str(name)] = "categorical"
    return kinds


def _is_identifier(name: str) -> bool:
    """True for identifier columns (``ID``, ``ID_WAY``, ``osm_id``...): no use for colours."""
    lower = name.lower()
    return lower in ID_COLUMNS or lower.startswith("id_") or lower.endswith("_id")


def column_values(frame: pd.DataFrame, field: str) -> np.ndarray:
    """One column as (n,) float64 (numbers, NaN missing) or object (text, ``None`` missing)."""
    if field not in frame.columns:
        raise KeyError(f"no field {field!r} (fields: {', '.join(map(str, frame.columns))})")
    column = frame[field]
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        return column.to_numpy(dtype=float, na_value=np.nan)
    values = np.array(column.astype(object).to_numpy(), dtype=object)  # a writable copy
    values[pd.isna(values)] = None
    return values


def numeric_values(column: pd.Series) -> np.ndarray:
    """A column as float64: numbers kept, text such as ``"12,5"`` or ``"9 m"`` parsed, else NaN."""
    if pd.api.types.is_bool_dtype(column.dtype):
        return np.full(len(column), np.nan)
    if pd.api.types.is_numeric_dtype(column.dtype):
        return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    text = (
        column.astype("string")
        .str.strip()
        .str.replace(",", ".", regex=False)
        .str.removesuffix("m")
        .str.strip()
    )
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def guess_category_field(frame: pd.DataFrame) -> str | None:
    """The text column that best names a feature's category, ``None`` when none fits."""
    kinds = column_kinds(frame)
    by_lower = {name.lower(): name for name, kind in kinds.items() if kind == "categorical"}
    return next((by_lower[c] for c in CATEGORY_FIELDS if c in by_lower), None)
