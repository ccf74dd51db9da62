"""Filtering and searching the features of a layer by their attributes (model logic, no display).

A filter is plain JSON kept in the layer's style (``style["filter"]``), so it is saved in the
project::

    {"conditions": [{"field": "height_m", "min": 28},
                    {"field": "USAGE1", "categories": ["Résidentiel"]}],
     "mode": "hide"}                      # or "grey": filtered-out features drawn greyed

Conditions are combined with AND. A numeric condition keeps ``min <= value <= max`` (either bound
may be missing; a missing value never passes); a categorical one keeps the listed values.
:func:`filter_mask` gives the (n,) boolean mask of the rows that pass.

:func:`search` finds features by identifier or name, ignoring case and accents (``"ecole"`` finds
``"École Jules Ferry"``), optionally restricted to one field (``"Nom: halle"``, ``"ID=BATIMENT00"``).
It works on whole columns at once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MODES = ("hide", "grey")
#: above this many rows an unscoped search looks at identifier and name columns only
LARGE_FRAME_ROWS = 200_000
#: columns searched first, in this order (matched ignoring case), then any other text column
ID_FIELDS = (
    "id",
    "cleabs",
    "identifiant",
    "gml_id",
    "osm_id",
    "id_way",
    "fid",
    "gid",
    "objectid",
    "code",
    "ref",
    "uid",
)
NAME_FIELDS = (
    "nom",
    "name",
    "libelle",
    "toponyme",
    "denomination",
    "nom_batiment",
    "designation",
    "adresse",
    "address",
    "label",
)


def normalise_filter(spec: Any) -> dict[str, Any] | None:
    """A filter spec checked and cleaned (``None`` when it filters nothing); ``ValueError`` when it
    is malformed. Accepts one condition given directly (``{"field": ..., "min": ...}``)."""
    if not spec:
        return None
    if not isinstance(spec, dict):
        raise ValueError(f"a filter is a JSON object, not {type(spec).__name__}")
    conditions = spec.get("conditions")
    if conditions is None and "field" in spec:
        conditions = [{k: v for k, v in spec.items() if k != "mode"}]
    cleaned = []
    for condition in conditions or []:
        if not isinstance(condition, dict) or not condition.get("field"):
            raise ValueError(f"a filter condition needs a field: {condition!r}")
        out: dict[str, Any] = {"field": str(condition["field"])}
        for bound in ("min", "max"):
            value = condition.get(bound)
            if value is not None and value != "":
                try:
                    out[bound] = float(value)
                except (TypeError, ValueError):
                    raise ValueError(
                        f"filter {bound} of {out['field']} must be a number, not {value!r}"
                    ) from None
        if condition.get("categories") is not None:
            out["categories"] = [str(c) for c in condition["categories"]]
        if len(out) == 1:
            continue  # a field with no bound and no category list filters nothing
        cleaned.append(out)
    if not cleaned:
        return None
    mode = spec.get("mode", "hide")
    if mode not in MODES:
        raise ValueError(f"filter mode must be one of {', '.join(MODES)}, not {mode!r}")
    return {"conditions": cleaned, "mode": mode}


def filter_mask(layer: Any, spec: Any) -> np.ndarray:
    """(n,) bool: the rows of ``layer`` (``values(field)``, ``feature_count``-like rows) that pass.

    ``layer`` needs ``values(field) -> (n,)`` and ``color_fields()`` (or a ``frame``). Unknown
    fields raise ``KeyError`` naming them.
    """
    spec = normalise_filter(spec)
    n = _row_count(layer)
    mask = np.ones(n, bool)
    if spec is None:
        return mask
    for condition in spec["conditions"]:
        values = _values(layer, condition["field"])
        if "categories" in condition:
            text = _as_text(values)
            mask &= np.isin(text, np.asarray(condition["categories"], dtype=object))
        if "min" in condition or "max" in condition:
            numbers = as_numbers(values)
            with np.errstate(invalid="ignore"):
                ok = np.isfinite(numbers)
                if "min" in condition:
                    ok &= numbers >= condition["min"]
                if "max" in condition:
                    ok &= numbers <= condition["max"]
            mask &= ok
    return mask


def describe_filter(spec: Any, unit_of=lambda field: "") -> str:
    """The filter in words for a legend or a status line: ``height_m ≥ 28 m · USAGE1: Résidentiel``."""
    spec = normalise_filter(spec)
    if spec is None:
        return ""
    parts = []
    for c in spec["conditions"]:
        unit = unit_of(c["field"]) or ""
        unit = f" {unit}" if unit else ""
        if "min" in c and "max" in c:
            parts.append(f"{c['field']} {c['min']:g}–{c['max']:g}{unit}")
        elif "min" in c:
            parts.append(f"{c['field']} ≥ {c['min']:g}{unit}")
        elif "max" in c:
            parts.append(f"{c['field']} ≤ {c['max']:g}{unit}")
        if "categories" in c:
            shown = ", ".join(c["categories"][:3]) + ("…" if len(c["categories"]) > 3 else "")
            parts.append(f"{c['field']}: {shown}")
    return " · ".join(parts)


def category_counts(layer: Any, field: str, mask: np.ndarray | None = None) -> dict[str, int]:
    """``{category: rows}`` of a text field (rows in ``mask`` only), most frequent first."""
    text = pd.Series(_as_text(_values(layer, field)))
    if mask is not None:
        text = text[np.asarray(mask, bool)]
    counts = text[text != ""].value_counts()
    return {str(k): int(v) for k, v in counts.items()}


# -- search ---------------------------------------------------------------------------------------
@dataclass
class Match:
    """A feature found by :func:`search`: its row, the field and value that matched, a score
    (0 exact, 1 prefix, 2 inside the text)."""

    row: int
    field: str
    value: str
    score: int


def fold(text: Any) -> str:
    """Lower case without accents or extra spaces: ``"  École  Ferry"`` → ``"ecole ferry"``."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def searchable_fields(frame: pd.DataFrame) -> list[str]:
    """Text-like columns to search: identifiers first, then names, then the other text columns."""
    columns = [str(c) for c in frame.columns if str(frame[c].dtype) != "geometry" and c != "feature_index"]
    lower = {c.lower(): c for c in columns}
    ordered = [lower[f] for f in ID_FIELDS + NAME_FIELDS if f in lower]
    for column in columns:
        if column not in ordered and (
            frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype)
        ):
            ordered.append(column)
    return ordered


def search(frame: pd.DataFrame, query: str, *, limit: int = 20, cache: dict | None = None) -> list[Match]:
    """Rows of ``frame`` whose identifier or name matches ``query`` (see the module docstring).

    ``"field: text"`` or ``"field=text"`` searches that field only (its name matched ignoring case
    and accents). Results: exact matches first, then prefixes, then matches inside the text; each
    row once; at most ``limit``. ``cache`` (a dict kept by the caller) keeps the folded columns
    between searches of the same frame, so typing stays instant on a million rows.
    """
    query = str(query or "").strip()
    if not query:
        return []
    fields = searchable_fields(frame)
    scoped = re.match(r"^\s*([^:=]{1,40}?)\s*[:=]\s*(.+)$", query)
    named = [
        c
        for c in frame.columns
        if scoped and fold(c) == fold(scoped.group(1)) and str(frame[c].dtype) != "geometry"
    ]
    if named:
        fields = [str(named[0])]
        query = scoped.group(2)
    elif len(frame) > LARGE_FRAME_ROWS:
        # a metropolis: identifiers and names only (each other column would cost seconds to fold)
        named = [f for f in fields if f.lower() in ID_FIELDS + NAME_FIELDS]
        fields = named or fields
    needle = fold(query)
    if not needle:
        return []
    found: dict[int, Match] = {}
    for column in fields:
        folded = _folded(frame, column, cache)
        exact = (folded == needle).to_numpy(dtype=bool, na_value=False)
        prefix = folded.str.startswith(needle).to_numpy(dtype=bool, na_value=False) & ~exact
        inside = (
            folded.str.contains(needle, regex=False).to_numpy(dtype=bool, na_value=False) & ~exact & ~prefix
        )
        for score, hits in ((0, exact), (1, prefix), (2, inside)):
            for row in np.flatnonzero(hits)[: limit * 4].tolist():
                if row not in found or found[row].score > score:
                    found[row] = Match(row, column, str(frame[column].iloc[row]), score)
    ordered = sorted(found.values(), key=lambda m: (m.score, fields.index(m.field), len(m.value), m.row))
    return ordered[:limit]


def _folded(frame: pd.DataFrame, column: str, cache: dict | None) -> pd.Series:
    """A column as folded text (:func:`fold`, vectorised), ``<NA>`` where missing; cached."""
    key = (id(frame), column)
    if cache is not None and key in cache:
        return cache[key]
    text = frame[column].astype("string")
    if not text.str.isascii().all():  # identifiers are mostly plain ASCII: no accents to strip
        text = text.str.normalize("NFKD").str.replace(r"[\u0300-\u036f]", "", regex=True)
    folded = text.str.casefold().str.replace(r"\s+", " ", regex=True).str.strip()
    folded = folded.reset_index(drop=True)
    if cache is not None:
        cache[key] = folded
    return folded


# -- helpers ----------------------------------------------------------------------------------
def _row_count(layer: Any) -> int:
    frame = getattr(layer, "frame", None)
    if frame is not None:
        return len(frame)
    return len(layer.values(next(iter(layer.color_fields()))))


def _values(layer: Any, field: str) -> np.ndarray:
    frame = getattr(layer, "frame", None)
    known = set(layer.color_fields()) if hasattr(layer, "color_fields") else set()
    if field in known or (frame is not None and field in frame.columns) or field in ("height_m", "base_m"):
        return np.asarray(layer.values(field)) if hasattr(layer, "values") else frame[field].to_numpy()
    raise KeyError(f"no field {field!r} to filter on")


def _as_text(values: np.ndarray) -> np.ndarray:
    series = pd.Series(values, dtype=object)
    return series.where(series.notna(), "").astype(str).to_numpy(dtype=object)


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
