"""Readable titles for fields and quantities in legends (French first, the audience's language)."""

from __future__ import annotations

KNOWN_FIELDS_FR = {
    "height_m": "Hauteur",
    "hauteur": "Hauteur",
    "height": "Hauteur",
    "usage": "Usage",
    "usage1": "Usage",
    "nature": "Nature",
    "annee_construction": "Année de construction",
    "date_app": "Année de construction",
    "nb_etages": "Nombre d'étages",
    "tmja": "Trafic moyen journalier",
    "aadf": "Trafic moyen journalier",
    "type": "Occupation du sol",
    "surf_cat": "Occupation du sol",
    "facade_lden_max_db": "Façade la plus exposée, Lden (dB(A))",
    "facade_lden_over_68_pct": "Part de façade au-dessus de 68 dB(A) Lden (%)",
    "facade_lden_band_68_pct": "Part de façade dans la bande 65-70 dB(A) Lden (%)",
    "facade_ln_max_db": "Façade la plus exposée, Ln (dB(A))",
    "facade_ln_over_62_pct": "Part de façade au-dessus de 62 dB(A) Ln (%)",
    "facade_ln_band_62_pct": "Part de façade dans la bande 60-65 dB(A) Ln (%)",
}


def field_title(field: str, unit: str | None = None) -> str:
    """``"Hauteur (m)"`` for ``hauteur`` in metres; unknown fields keep their own name."""
    name = KNOWN_FIELDS_FR.get(field.lower(), field.replace("_", " "))
    name = name[:1].upper() + name[1:]
    return f"{name} ({unit})" if unit else name
