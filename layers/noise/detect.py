"""The sniffers of the noise kind: a raster in dB(A) or named like a noise map, isophone polygons."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from layers.core.kinds import Claim

if TYPE_CHECKING:
    from layers.io.probe import FileProbe

NOISE_WORDS = re.compile(r"(lden|lnight|\bln\b|_ln_|bruit|noise|laeq|_ld_|isophone|cbs)", re.I)
DB_UNIT = re.compile(r"^d\s*b\s*(\(?\s*a\s*\)?)?$", re.I)
#: field names of isophone (noise band) polygons
NOISE_FIELDS = frozenset(
    {
        "legende", "lden_min", "lden_max", "ln_min", "ln_max", "lnight_min", "lnight_max",
        "db_min", "db_max", "dbmin", "dbmax", "isolvl", "isolabel", "noiselevel", "db_lo", "db_hi",
    }
)  # fmt: skip
#: a band label as French maps write it: Lden5559, LdenGreaterThan75, [62,66[, 55 à 60 dB(A)...
NOISE_VALUE = re.compile(
    r"^(lden|lnight|ln)\s*\d|greaterthan|^\[\d+\s*[,;]\s*\d+\s*[\[\]]$|^>=?\s*\d+$|^\d{2}\s*(-|à)\s*\d{2}\s*(db)?",
    re.I,
)
LABEL_FIELDS = {"category", "categorie", "classe", "class", "bande", "band", "label", "libelle", "type"}


def sniff_header(probe: FileProbe) -> Claim | None:
    """A raster whose unit is dB(A), or whose file name says noise (lden, bruit, cbs...)."""
    if "raster" not in probe.families:
        return None
    if DB_UNIT.match((probe.raster_header.unit or "").strip()):
        return Claim.CONTENT
    return Claim.NAME if NOISE_WORDS.search(probe.stem) else None


def sniff_features(probe: FileProbe) -> Claim | None:
    """Polygons with noise band fields, or whose labels read as noise bands."""
    if not probe.may_hold_polygons:
        return None
    fields = probe.fields
    if {f.lower() for f in fields} & NOISE_FIELDS or _has_noise_values(
        str(probe.vector_info["target"]), fields
    ):
        return Claim.CONTENT
    return None


def _has_noise_values(target: str, fields: list[str]) -> bool:
    """True when a text field of the first features holds noise band labels (Lden5559, [62,66]...)."""
    candidates = [f for f in fields if f.lower() in LABEL_FIELDS]
    if not candidates:
        return False
    import pyogrio

    try:
        frame = pyogrio.read_dataframe(target, columns=candidates, read_geometry=False, max_features=20)
    except Exception:  # noqa: BLE001 - unreadable labels: not a noise map by its values
        return False
    for column in candidates:
        values = frame[column].dropna().astype(str)
        if len(values) and values.map(lambda v: bool(NOISE_VALUE.search(v.strip()))).mean() > 0.5:
            return True
    return False
