"""Which attribute gives a building's height, and how to turn it into metres.

Cities spell it many ways. In order of preference: a height in metres (``HAUTEUR``, ``hauteur``,
``height``, ``HEIGHT``, ``h_mean``...), then a number of storeys (``NB_ETAGES``, BD TOPO v3's
``nombre_d_etages``, ``building:levels``, ``levels``...) times :data:`STOREY_HEIGHT_M`. Roof / ground
altitudes (``Z_MAX_TOIT`` − ``Z_MIN_SOL``, v3's ``altitude_maximale_toit`` −
``altitude_minimale_sol``) come after; an altitude of −1000 m (BD TOPO's "unknown") is no altitude.
:func:`resolve_heights` turns a table into heights in metres, row by row, falling back
to the next source where the preferred one is missing, and to a default with a record of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers.vector.attributes import numeric_values

#: a height source: (field, bottom field or None, factor): metres ``(f, None, 1)``, storeys
#: ``(f, None, STOREY_HEIGHT_M)``, altitudes ``(top, bottom, 1)`` (height = top − bottom)
Candidate = tuple[str, str | None, float]

#: metres per storey when only a storey count is known (a common planning convention)
STOREY_HEIGHT_M = 3.0
#: height used when a building has none, in metres
DEFAULT_HEIGHT_M = 9.0

HEIGHT_FIELDS = (
    "hauteur",
    "height",
    "haut",
    "h_mean",
    "h",
    "hauteur_m",
    "height_m",
    "measuredheight",
    "measured_height",
    "building_height",
    "bldg_height",
    "haut_moy",
    "htot",
    "hmax",
)
LEVEL_FIELDS = (
    "nombre_d_etages",
    "nb_etages",
    "building:levels",
    "building_levels",
    "levels",
    "nb_niveaux",
    "etages",
    "storeys",
    "floors",
    "num_floors",
)
ALTITUDE_PAIRS = (
    ("altitude_maximale_toit", "altitude_minimale_sol"),
    ("z_max_toit", "z_min_sol"),
    ("z_max", "z_min"),
    ("alti_toit", "alti_sol"),
)
#: altitudes below this are "unknown" markers (BD TOPO writes −1000), metres
UNKNOWN_ALTITUDE_M = -500.0


def find_height_field(fields: Iterable[str]) -> str | None:
    """The field holding heights in metres or storeys, ``None`` if there is none.

    Matching ignores case. A height in metres wins over a storey count.
    """
    by_lower = {str(f).lower(): str(f) for f in fields}
    for candidate in HEIGHT_FIELDS + LEVEL_FIELDS:
        if candidate in by_lower:
            return by_lower[candidate]
    for top, bottom in ALTITUDE_PAIRS:
        if top in by_lower and bottom in by_lower:
            return by_lower[top]
    return None


def is_level_field(field: str) -> bool:
    """True when ``field`` counts storeys rather than metres."""
    return field.lower() in LEVEL_FIELDS


#: a building part's lowest point above ground (walls start there), metres or storeys
MIN_HEIGHT_FIELDS = (
    "hauteur_mi",
    "hauteur_min",
    "min_height",
    "minheight",
    "min_hauteur",
    "h_min",
    "base_height",
    "height_min",
)
MIN_LEVEL_FIELDS = ("building:min_level", "min_level", "building_min_level")
#: heights above this are data errors (the tallest building is 828 m), metres
MAX_HEIGHT_M = 1000.0


@dataclass
class Heights:
    """Per-feature heights in metres and where each came from.

    Attributes
    ----------
    height_m
        (n,) float64 top of the walls above the ground, metres; defaulted where the data had none.
    base_m
        (n,) float64 bottom of the walls above the ground, metres (0 unless a min-height field says).
    source
        (n,) object: what gave each height (``"HAUTEUR"``, ``"NB_ETAGES × 3 m"``,
        ``"Z_MAX_TOIT − Z_MIN_SOL"``, ``"default 9 m"``).
    field
        The main height field, ``None`` when the data has none.
    base_field
        The min-height field, ``None`` when there is none.
    defaulted
        (n,) bool: the height is the default (missing, zero, negative or absurd value).
    base_ignored
        (n,) bool: a base was given but was not below the top (walls then start at 0).
    """

    height_m: np.ndarray
    base_m: np.ndarray
    source: np.ndarray
    field: str | None
    base_field: str | None
    defaulted: np.ndarray
    base_ignored: np.ndarray


def height_candidates(fields: Iterable[str]) -> list[Candidate]:
    """Every usable height source of ``fields`` in order of preference.

    Each is ``(field, bottom_field or None, factor)``: metres are ``(f, None, 1)``, storeys
    ``(f, None, STOREY_HEIGHT_M)``, altitudes ``(top, bottom, 1)`` (height = top − bottom).
    """
    by_lower = {str(f).lower(): str(f) for f in fields}
    found: list[Candidate] = [(by_lower[c], None, 1.0) for c in HEIGHT_FIELDS if c in by_lower]
    found += [(by_lower[c], None, STOREY_HEIGHT_M) for c in LEVEL_FIELDS if c in by_lower]
    found += [(by_lower[t], by_lower[b], 1.0) for t, b in ALTITUDE_PAIRS if t in by_lower and b in by_lower]
    return found


def _candidate_for(field: str, fields: list[str]) -> Candidate:
    """The height source for a field the user named (storeys and altitude pairs recognised)."""
    if field not in fields:
        raise LookupError(f"no height field {field!r} (fields: {', '.join(fields) or 'none'})")
    for candidate in height_candidates(fields):
        if candidate[0] == field:
            return candidate
    return (field, None, STOREY_HEIGHT_M if is_level_field(field) else 1.0)


def _label(candidate: Candidate) -> str:
    field, bottom, factor = candidate
    if bottom is not None:
        return f"{field} − {bottom}"
    if factor != 1.0:
        return f"{field} × {factor:g} m"
    return field


def resolve_heights(
    frame: pd.DataFrame,
    *,
    field: str | None = None,
    default_height_m: float = DEFAULT_HEIGHT_M,
) -> Heights:
    """Heights (and bases) of every row of ``frame``, metres, with their provenance.

    With ``field`` only that field is used; otherwise the preferred field (see
    :func:`height_candidates`) and, for rows where it is missing, the next ones in turn. Values that
    are missing, not positive or above :data:`MAX_HEIGHT_M` become ``default_height_m``.
    Raises ``LookupError`` when ``field`` is not a column of ``frame``.
    """
    columns = [str(c) for c in frame.columns if str(frame[c].dtype) != "geometry"]
    n = len(frame)
    candidates = [_candidate_for(field, columns)] if field is not None else height_candidates(columns)
    height = np.full(n, np.nan)
    source = np.full(n, f"default {default_height_m:g} m", dtype=object)
    for candidate in candidates:
        top, bottom, factor = candidate
        values = numeric_values(frame[top]) * factor
        if bottom is not None:
            values = _altitudes(frame[top]) - _altitudes(frame[bottom])
        ok = np.isfinite(values) & (values > 0) & (values <= MAX_HEIGHT_M) & np.isnan(height)
        height[ok] = values[ok]
        source[ok] = _label(candidate)
    defaulted = np.isnan(height)
    height[defaulted] = default_height_m
    base, base_field = _bases(frame, columns)
    base_ignored = base >= height
    base[base_ignored] = 0.0
    return Heights(
        height_m=height,
        base_m=base,
        source=source,
        field=candidates[0][0] if candidates else None,
        base_field=base_field,
        defaulted=defaulted,
        base_ignored=base_ignored,
    )


def _altitudes(column: pd.Series) -> np.ndarray:
    """Altitudes in metres, NaN where missing or an "unknown" marker (below
    :data:`UNKNOWN_ALTITUDE_M`)."""
    values = numeric_values(column).astype(np.float64)
    values[values < UNKNOWN_ALTITUDE_M] = np.nan
    return values


def height_source_counts(heights: Heights, rows: np.ndarray | None = None) -> dict[str, int]:
    """``{what gave the height: buildings}`` (``"hauteur"``, ``"nombre_d_etages × 3 m"``,
    ``"altitude_maximale_toit − altitude_minimale_sol"``, ``"default 9 m"``), most frequent first;
    ``rows``: only those (a boolean mask)."""
    source = heights.source if rows is None else heights.source[rows]
    labels, counts = np.unique(source.astype(str), return_counts=True)
    order = np.argsort(-counts, kind="stable")
    return {str(labels[i]): int(counts[i]) for i in order}


def _bases(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, str | None]:
    by_lower = {c.lower(): c for c in columns}
    for names, factor in ((MIN_HEIGHT_FIELDS, 1.0), (MIN_LEVEL_FIELDS, STOREY_HEIGHT_M)):
        for name in names:
            if name in by_lower:
                values = numeric_values(frame[by_lower[name]]) * factor
                values[~np.isfinite(values) | (values < 0)] = 0.0
                return values, by_lower[name]
    return np.zeros(len(frame)), None


#: the altitude of a building's ground in the file (BD TOPO ``Z_MIN_SOL``...), metres
GROUND_ALTITUDE_FIELDS = (
    "altitude_minimale_sol",
    "z_min_sol",
    "zmin_sol",
    "alti_sol",
    "altitude_sol",
    "z_sol",
    "zmin",
    "z_min",
    "ground_altitude",
    "ground_z",
)


def ground_altitudes(frame: pd.DataFrame) -> tuple[np.ndarray, str | None]:
    """(n,) altitude of each row's ground in metres from a ``Z_MIN_SOL``-like field (NaN missing),
    and the field used (``None`` when there is none)."""
    by_lower = {str(c).lower(): str(c) for c in frame.columns if str(frame[c].dtype) != "geometry"}
    for name in GROUND_ALTITUDE_FIELDS:
        if name in by_lower:
            values = numeric_values(frame[by_lower[name]]).copy()
            values[(values < -500) | (values > 9000)] = np.nan  # sentinels such as -9999
            return values, by_lower[name]
    return np.full(len(frame), np.nan), None
