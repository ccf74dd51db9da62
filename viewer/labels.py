"""Readable titles for fields in legends, in the scene's language (French by default)."""

from __future__ import annotations

from .words import say

#: field (lower case) → its title in a legend, in English (French through viewer.words.say)
KNOWN_FIELDS = {
    "height_m": "Height",
    "hauteur": "Height",
    "height": "Height",
    "usage": "Use",
    "usage1": "Use",
    "nature": "Nature",
    "annee_construction": "Year of construction",
    "date_app": "Year of construction",
    "nb_etages": "Number of storeys",
    "tmja": "Average daily traffic",
    "aadf": "Average daily traffic",
    "type": "Land use",
    "surf_cat": "Land use",
    "facade_lden_max_db": "Most exposed façade, Lden (dB(A))",
    "facade_lden_over_68_pct": "Share of façade above 68 dB(A) Lden (%)",
    "facade_lden_band_68_pct": "Share of façade in the 65-70 dB(A) Lden band (%)",
    "facade_ln_max_db": "Most exposed façade, Ln (dB(A))",
    "facade_ln_over_62_pct": "Share of façade above 62 dB(A) Ln (%)",
    "facade_ln_band_62_pct": "Share of façade in the 60-65 dB(A) Ln band (%)",
}


def field_title(field: str, unit: str | None = None, language: str = "fr") -> str:
    """``"Hauteur (m)"`` (``"Height (m)"`` in English) for ``hauteur`` in metres; unknown fields
    keep their own name."""
    known = KNOWN_FIELDS.get(field.lower())
    name = say(known, language) if known else field.replace("_", " ")
    name = name[:1].upper() + name[1:]
    return f"{name} ({unit})" if unit else name
