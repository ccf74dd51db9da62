"""Filtering the features of a layer by their attributes (model logic, no display).

A filter is the layer's style field ``filter`` (:class:`layers.buildings.style.BuildingsFilter`), so
it is saved with the project. Conditions are combined with AND. A numeric condition keeps
``min <= value <= max`` (either bound may be missing; a missing value never passes; dates compare
by their year); a categorical one keeps the listed values. :func:`filter_mask` gives the (n,)
boolean mask of the rows that pass, :func:`describe_filter` the filter in words.

Searching features by name is :mod:`layers.buildings.search`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from layers.buildings.style import BuildingsFilter


class Filterable(Protocol):
    """A layer whose rows can be filtered: a frame (one row per feature or part) and the values
    of a field per row (a column, or one the layer computes such as ``height_m``)."""

    @property
    def frame(self) -> pd.DataFrame: ...

    def values(self, field: str) -> np.ndarray: ...


def filter_mask(layer: Filterable, spec: BuildingsFilter) -> np.ndarray:
    """(n,) bool: the rows of ``layer`` that pass ``spec`` (all of them for an empty filter).

    Raises ``KeyError`` naming a field the layer does not have.
    """
    mask = np.ones(len(layer.frame), bool)
    for condition in spec.active:
        values = _values(layer, condition.field)
        if condition.categories is not None:
            text = _as_text(values)
            mask &= np.isin(text, np.asarray(condition.categories, dtype=object))
        if condition.min is not None or condition.max is not None:
            numbers = as_numbers(values)
            with np.errstate(invalid="ignore"):
                ok = np.isfinite(numbers)
                if condition.min is not None:
                    ok &= numbers >= condition.min
                if condition.max is not None:
                    ok &= numbers <= condition.max
            mask &= ok
    return mask


def describe_filter(spec: BuildingsFilter, unit_of: Callable[[str], str] = lambda field: "") -> str:
    """The filter in words for a legend or a status line: ``height_m ≥ 28 m · USAGE1: Résidentiel``."""
    parts = []
    for c in spec.active:
        unit = unit_of(c.field) or ""
        unit = f" {unit}" if unit else ""
        if c.min is not None and c.max is not None:
            parts.append(f"{c.field} {c.min:g}–{c.max:g}{unit}")
        elif c.min is not None:
            parts.append(f"{c.field} ≥ {c.min:g}{unit}")
        elif c.max is not None:
            parts.append(f"{c.field} ≤ {c.max:g}{unit}")
        if c.categories is not None:
            shown = ", ".join(c.categories[:3]) + ("…" if len(c.categories) > 3 else "")
            parts.append(f"{c.field}: {shown}")
    return " · ".join(parts)


def category_counts(layer: Filterable, field: str, mask: np.ndarray | None = None) -> dict[str, int]:
    """``{category: rows}`` of a text field (rows in ``mask`` only), most frequent first."""
    text = pd.Series(_as_text(_values(layer, field)))
    if mask is not None:
        text = text[np.asarray(mask, bool)]
    counts = text[text != ""].value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def as_numbers(values: np.ndarray) -> np.ndarray:
    """Values as float64 for ranges: numbers as they are, dates as their year, text parsed."""
    values = np.asarray(values)
    if values.dtype.kind in "fiu":
        return values.astype(np.float64)
    if values.dtype.kind == "M":
        return pd.DatetimeIndex(values).year.to_numpy(dtype=np.float64)
    series = pd.Series(values, dtype=object)
    dates = (
        pd.to_datetime(series, errors="coerce", format="mixed")
        if series.astype(str).str.match(r"^\d{4}-\d{2}").mean() > 0.5
        else None
    )
    if dates is not None and dates.notna().any():
        return dates.dt.year.to_numpy(dtype=np.float64, na_value=np.nan)
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def _values(layer: Filterable, field: str) -> np.ndarray:
    try:
        return np.asarray(layer.values(field))
    except KeyError:
        raise KeyError(f"no field {field!r} to filter on") from None


def _as_text(values: np.ndarray) -> np.ndarray:
    series = pd.Series(values, dtype=object)
    return series.where(series.notna(), "").astype(str).to_numpy(dtype=object)
