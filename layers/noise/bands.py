"""Read the noise band of an isophone polygon from the many ways French maps label it.

Published strategic noise maps (END 2002/49/CE, "cartes de bruit stratégiques") spell a band of
levels in dB(A) in several styles; all of them come back as ``(low_db, high_db)`` meaning
``low_db <= L < high_db``, ``None`` for an open end:

============================================  =================  =================================
label                                          band               where it is found
============================================  =================  =================================
``Lden5559``, ``Lnight5054``                   (55, 60), (50, 55)  END reporting codes (integer dB
                                                                  classes: 55–59 means [55, 60))
``LdenGreaterThan75``, ``LnightGreaterThan70``  (75, None)         END reporting codes
``LdenSmallerThan55``                           (None, 55)
``[62,66]``, ``[67,71]``                        (62, 67), (67, 72)  integer intervals (Bordeaux)
``>=72``, ``> 75``, ``75+``                     (72, None) ...
``55-60``, ``55 à 60 dB(A)``, ``de 55 à 60``    (55, 60)           NoiseModelling ``ISOLABEL``,
                                                                  legends
``[55;60[``                                     (55, 60)           French half-open notation
``68`` (CNIG ``LEGENDE``, type C)               (68, None)         zones over a limit value
``55`` (CNIG ``LEGENDE``, type A)               (55, 60)           5 dB zones; the top code (75 Lden,
                                                                  70 Ln) is open: (75, None)
============================================  =================  =================================

A bare CNIG code must be one the map type allows (:data:`CNIG_A_CODES`, :data:`CNIG_C_CODES`, by
indicator); any other number (``57``, ``80``) is no band (:class:`ValueError` naming it), never a
guess. Without a map type, a code of a type A map is read as one, else a limit value as type C.

CNIG géostandard "bruit" (COVADIS): ``CBSTYPE`` A = exposure map in 5 dB(A) zones from 55 Lden /
50 Ln, ``LEGENDE`` = the lower limit of the zone; C = zones where a limit value is exceeded,
``LEGENDE`` = the limit (roads 68 Lden / 62 Ln, conventional rail 73 Lden / 65 Ln, high-speed rail
68 / 62). ``ZONEDEF`` 01/02 are type A Lden/Ln, 03/04 type C Lden/Ln. ``INDICETYPE`` LD = Lden,
LN = Ln.

Integer closed classes whose width is one short of a multiple of 5 dB (55–59, [62,66]) are read as
the half-open band they stand for ([55, 60), [62, 67)), so consecutive classes touch.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from layers.core.palettes import band_label

Band = tuple[float | None, float | None]

#: the top (open) code of a CNIG type A map, per indicator
CNIG_TOP_CODE = {"Lden": 75.0, "Ln": 70.0}
#: the codes of a CNIG type A map (lower limits of its 5 dB(A) zones), per indicator
CNIG_A_CODES = {"Lden": (55.0, 60.0, 65.0, 70.0, 75.0), "Ln": (50.0, 55.0, 60.0, 65.0, 70.0)}
#: the codes of a CNIG type C map: the French limit values (arrêté du 4 avril 2006), per indicator:
#: Lden 68 roads and high-speed rail, 73 conventional rail, 71 industry, 55 airports; Ln 62 roads
#: and high-speed rail, 65 conventional rail, 60 industry
CNIG_C_CODES: dict[str, tuple[float, ...]] = {"Lden": (55.0, 68.0, 71.0, 73.0), "Ln": (60.0, 62.0, 65.0)}
#: the limit values of a type C map by source (CNIG ``TYPESOURCE``: R roads, F railways, conventional
#: or high-speed, A airports, I industry) and indicator
CNIG_C_CODES_BY_SOURCE: dict[str, dict[str, tuple[float, ...]]] = {
    "R": {"Lden": (68.0,), "Ln": (62.0,)},
    "F": {"Lden": (68.0, 73.0), "Ln": (62.0, 65.0)},
    "A": {"Lden": (55.0,), "Ln": ()},
    "I": {"Lden": (71.0,), "Ln": (60.0,)},
}

_NUMBER = r"(\d+(?:\.\d+)?)"
_UNITS = re.compile(r"d\s*b\s*\(?\s*a\s*\)?|dba|\bdb\b", re.I)
_LEADING_WORD = re.compile(r"^(?:zone|classe|class|niveau|bande|band|plage|tranche)\b\s*", re.I)
_INDICATOR_PREFIX = re.compile(
    r"^(lnight|lnuit|lden|ln|ld)(?=[^a-z]|greater|smaller|less|lower|more|over|above|below|under|$)\s*[:=_]?\s*",
    re.I,
)
_GREATER_WORDS = re.compile(
    r"^(?:greaterthan|morethan|moreorequal|greaterorequal|over|above|sup(?:[ée]rieur)?\s*(?:ou\s*[ée]gal\s*)?(?:[àa])?|plus\s+de|>=?|≥|\+)\s*"
    + _NUMBER
    + r"$",
    re.I,
)
_GREATER_SUFFIX = re.compile(
    r"^" + _NUMBER + r"\s*(?:\+|et\s+plus|ou\s+plus|and\s+(?:more|above)|or\s+more|et\s+au[- ]del[àa])$", re.I
)
_LESS_WORDS = re.compile(
    r"^(?:smallerthan|lessthan|lowerthan|below|under|inf(?:[ée]rieur)?\s*(?:ou\s*[ée]gal\s*)?(?:[àa])?|moins\s+de|<=?|≤)\s*"
    + _NUMBER
    + r"$",
    re.I,
)
_BRACKETS = re.compile(r"^([\[\]])\s*" + _NUMBER + r"\s*[,;]\s*" + _NUMBER + r"\s*([\[\]])$")
_RANGE = re.compile(
    r"^(?:de\s+|from\s+|entre\s+)?" + _NUMBER + r"\s*(?:-|à|a|to|et|and|_|/|;|,)\s*" + _NUMBER + r"$", re.I
)
_GLUED = re.compile(r"^(\d{2})(\d{2})$")
_LONE = re.compile(r"^" + _NUMBER + r"$")


def normalise_indicator(value: object) -> str | None:
    """``"Lden"`` or ``"Ln"`` for the many spellings (LD, LDEN, Lden, LN, Lnight, nuit...); else None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = re.sub(r"[\s_\-()]", "", str(value)).lower()
    if text in {"ld", "lden", "den", "d", "jour-soir-nuit", "joursoirnuit"} or text.startswith("lden"):
        return "Lden"
    if text in {"ln", "lnight", "lnuit", "n", "night", "nuit"} or text.startswith(("lnight", "lnuit")):
        return "Ln"
    return None


def indicator_in_text(text: str) -> str | None:
    """The indicator named in a file name, tag or label (``..._Lden``, ``_LN_``, ``Lnight5054``)."""
    lowered = str(text).lower()
    tokens = re.split(r"[^a-z0-9]+", lowered)
    for token in tokens:
        if token in {"lden", "ld"} or re.match(r"^lden\d", token) or token.startswith("ldengreater"):
            return "Lden"
        if (
            token in {"lnight", "ln", "lnuit"}
            or re.match(r"^(lnight|ln)\d", token)
            or token.startswith("lnightgreater")
        ):
            return "Ln"
    if "lden" in lowered:
        return "Lden"
    if "lnight" in lowered or "lnuit" in lowered:
        return "Ln"
    return None


def _closed_integer_band(low: float, high: float) -> tuple[float, float]:
    """An integer class [low, high] of width 4, 9... stands for [low, high + 1)."""
    if low.is_integer() and high.is_integer() and high > low and (high - low + 1) % 5 == 0:
        return low, high + 1.0
    return low, high


def _clean(label: str) -> str:
    text = str(label).strip().replace("–", "-").replace("—", "-").replace("−", "-")
    text = _UNITS.sub("", text).strip().strip("_").strip()  # "Lden5559_" as some exports write it
    return re.sub(r"\s+", " ", text)


def parse_band(
    label: object, *, indicator: str | None = None, map_type: str | None = None, source: str | None = None
) -> Band:
    """``(low_db, high_db)`` of a band label in any style listed in this module's docstring.

    Parameters
    ----------
    label
        The text (or number) of the band.
    indicator
        ``"Lden"`` or ``"Ln"``, used for bare CNIG ``LEGENDE`` codes (the top code is open).
    map_type
        CNIG ``CBSTYPE`` (``"A"`` zones of 5 dB, ``"C"`` zones over a limit), for bare codes.
    source
        CNIG ``TYPESOURCE`` (``"R"``, ``"F"``, ``"A"``, ``"I"``): the limit values a type C code
        may take.

    Raises
    ------
    ValueError
        When the label is no noise band.
    """
    if label is None or (isinstance(label, float) and math.isnan(label)):
        raise ValueError("empty band label")
    if isinstance(label, (int, float, np.integer, np.floating)):
        return parse_legende(float(label), indicator=indicator, map_type=map_type, source=source)
    text = _clean(str(label))
    if not text:
        raise ValueError("empty band label")
    text = _LEADING_WORD.sub("", text)
    prefix = _INDICATOR_PREFIX.match(text)
    if prefix:
        indicator = indicator or normalise_indicator(prefix.group(1))
        text = text[prefix.end() :].strip()
    if ";" in text:  # French decimals with a semicolon separator: [55,5;60[
        text = text.replace(",", ".")
    if match := _GREATER_WORDS.match(text) or _GREATER_SUFFIX.match(text):
        return float(match.group(1)), None
    if match := _LESS_WORDS.match(text):
        return None, float(match.group(1))
    if match := _BRACKETS.match(text):
        opening, low, high, closing = (
            match.group(1),
            float(match.group(2)),
            float(match.group(3)),
            match.group(4),
        )
        if opening == "[" and closing == "]":
            return _checked(*_closed_integer_band(low, high), label)
        return _checked(low, high, label)
    if match := _GLUED.match(text):
        return _checked(*_closed_integer_band(float(match.group(1)), float(match.group(2))), label)
    if match := _RANGE.match(text):
        return _checked(*_closed_integer_band(float(match.group(1)), float(match.group(2))), label)
    if match := _LONE.match(text):
        if prefix:  # "Lden55": the exposure class "55 dB(A) and over"
            return float(match.group(1)), None
        return parse_legende(float(match.group(1)), indicator=indicator, map_type=map_type, source=source)
    raise ValueError(f"{label!r} is not a noise band label")


def _checked(low: float, high: float, label: object) -> Band:
    if not low < high:
        raise ValueError(f"{label!r}: the band's lower limit is not below its upper limit")
    return low, high


def parse_legende(
    code: object, *, indicator: str | None = None, map_type: str | None = None, source: str | None = None
) -> Band:
    """The band of a CNIG ``LEGENDE`` code (see the module docstring).

    Type C (limit exceeded) gives ``(code, None)``; type A gives the 5 dB(A) zone starting at the
    code, open above the top code (75 for Lden, 70 for Ln). Without a map type, a code of a type A
    map (55, 60...) is read as type A, a limit value (68, 62, 73) as type C. A code the map type
    does not have for the indicator (and the source, when known) is a :class:`ValueError` naming it.
    """
    try:
        value = float(str(code).strip().replace(",", "."))
    except ValueError:
        raise ValueError(f"{code!r} is not a CNIG LEGENDE code (a number in dB(A))") from None
    if not math.isfinite(value) or not 20.0 <= value <= 140.0:
        raise ValueError(f"{code!r} is not a plausible sound level in dB(A)")
    indicators = [indicator] if indicator in CNIG_A_CODES else list(CNIG_A_CODES)
    a_codes = {c for i in indicators for c in CNIG_A_CODES[i]}
    by_source = CNIG_C_CODES_BY_SOURCE.get((source or "").strip().upper()[:1], CNIG_C_CODES)
    c_codes = {c for i in indicators for c in by_source[i]}
    kind = (map_type or "").strip().upper()[:1]
    if kind not in {"A", "C"}:
        kind = "A" if value in a_codes else "C" if value in c_codes else ""
    allowed = a_codes if kind == "A" else c_codes
    if value not in allowed:
        listed = ", ".join(f"{c:g}" for c in sorted(allowed if kind else a_codes | c_codes))
        what = f"a code of a type {kind} map" if kind else "a CNIG code"
        what += f" of source {source}" if source and kind == "C" else ""
        raise ValueError(f"{code!r} is not {what} ({indicator or 'Lden or Ln'}: {listed})")
    if kind == "C":
        return value, None
    top = CNIG_TOP_CODE.get(indicator or "", 75.0)
    if value >= top:
        return value, None
    return value, value + 5.0


def parse_labels(
    values: Iterable[object],
    *,
    indicator: str | None = None,
    map_type: str | None = None,
    source: str | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`parse_band` over a column; each distinct label is parsed once.

    Returns ``low_db``, ``high_db`` (float, NaN for open ends and for labels not understood) and
    ``ok`` (bool, False where the label is no band).
    """
    codes, uniques = pd.factorize(pd.Series(list(values), dtype=object), use_na_sentinel=True)
    low_u = np.full(len(uniques) + 1, np.nan)  # the extra last slot serves missing values (code -1)
    high_u = np.full(len(uniques) + 1, np.nan)
    ok_u = np.zeros(len(uniques) + 1, dtype=bool)
    for i, value in enumerate(uniques):
        try:
            low, high = parse_band(value, indicator=indicator, map_type=map_type, source=source)
        except ValueError:
            continue
        ok_u[i] = True
        low_u[i] = np.nan if low is None else low
        high_u[i] = np.nan if high is None else high
    return low_u[codes], high_u[codes], ok_u[codes]


def limits_db(values: Iterable[object]) -> np.ndarray:
    """Numeric band limits (``lden_min``, ``lden_max`` fields) in dB(A); NaN for an open end.

    Empty, non-numeric, <= 0 or >= 150 values (placeholders such as 0, -99, 200, 999) are open ends.
    """
    numbers = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        plausible = (numbers > 0.0) & (numbers < 150.0)
    return np.where(plausible, numbers, np.nan)


def band_labels(low_db: np.ndarray, high_db: np.ndarray) -> np.ndarray:
    """:func:`format_band` of each (low, high) pair, formatted once per distinct pair."""
    keys = np.column_stack([np.asarray(low_db, float), np.asarray(high_db, float)])
    if len(keys) == 0:
        return np.empty(0, dtype=object)
    keys = np.where(np.isnan(keys), -1.0, keys)  # levels are positive: -1 stands for an open end
    uniques, codes = np.unique(keys, axis=0, return_inverse=True)
    texts = np.array([format_band(*(None if v < 0 else v for v in pair)) for pair in uniques], dtype=object)
    return texts[codes.ravel()]


def format_band(low_db: float | None, high_db: float | None) -> str:
    """Legend text of a band: ``55-60 dB(A)``, ``> 75 dB(A)``, ``< 55 dB(A)`` (NaN = open end)."""
    low = None if low_db is None or (isinstance(low_db, float) and math.isnan(low_db)) else float(low_db)
    high = None if high_db is None or (isinstance(high_db, float) and math.isnan(high_db)) else float(high_db)
    return band_label(low, high)
