"""Finding features by their identifier or name, ignoring case and accents (model logic).

:func:`search` finds rows of a frame: ``"ecole"`` finds ``"École Jules Ferry"``; ``"Nom: halle"``
or ``"ID=BATIMENT00"`` searches one field. It works on whole columns at once and keeps the folded
columns in a cache the caller holds, so typing stays instant on a million rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

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
#: folded text columns kept between searches: (id of the frame, column) → folded column
SearchCache = dict[tuple[int, str], pd.Series]

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


def search(
    frame: pd.DataFrame, query: str, *, limit: int = 20, cache: SearchCache | None = None
) -> list[Match]:
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
    named = (
        [c for c in frame.columns if fold(c) == fold(scoped.group(1)) and str(frame[c].dtype) != "geometry"]
        if scoped
        else []
    )
    if scoped and named:
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


def _folded(frame: pd.DataFrame, column: str, cache: SearchCache | None) -> pd.Series:
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
