"""BD TOPO themes: the topographic frame's theme names and the table that recognises a BD TOPO
theme from a file stem or a GeoPackage layer name (v2 and v3, any case).

:data:`THEMES` are the themes of the topographic frame (the contract between the BD TOPO and the
OpenStreetMap readers): every reader of reference-map features gives, per theme, a GeoDataFrame
with the columns ``theme``, ``category``, ``width_m`` (metres, NaN when unknown) and ``name``.

:func:`bdtopo_theme` maps a BD TOPO name (``troncon_de_route``, ``TRONCON_ROUTE``,
``SURFACE_EAU``, ``BATI_INDIFFERENCIE``...) to one of :data:`THEMES`, or to ``"buildings"`` (the
buildings kind) or ``"commune"`` (an area outline), or ``None`` when the name is no BD TOPO theme
drawn by Maquette.
"""

from __future__ import annotations

import re
import unicodedata

#: the themes of the topographic frame, in drawing order (bottom first)
THEMES: tuple[str, ...] = (
    "vegetation",
    "sport",
    "cemetery",
    "activity",
    "water",
    "construction",
    "hedge",
    "rail",
    "road",
)

#: what a BD TOPO name is besides a topographic theme
BUILDINGS = "buildings"
COMMUNE = "commune"

#: BD TOPO v3 layer / shapefile names (lower case) → theme
_V3: dict[str, str] = {
    "batiment": BUILDINGS,
    "troncon_de_route": "road",
    "route_numerotee_ou_nommee": "road",
    "troncon_de_voie_ferree": "rail",
    "surface_hydrographique": "water",
    "plan_d_eau": "water",
    "reservoir": "water",
    "troncon_hydrographique": "water",
    "cours_d_eau": "water",
    "zone_de_vegetation": "vegetation",
    "haie": "hedge",
    "terrain_de_sport": "sport",
    "cimetiere": "cemetery",
    "construction_surfacique": "construction",
    "construction_lineaire": "construction",
    "construction_ponctuelle": "construction",
    "ligne_orographique": "construction",
    "equipement_de_transport": "activity",
    "zone_d_activite_ou_d_interet": "activity",
    "aerodrome": "activity",
    "commune": COMMUNE,
}

#: BD TOPO v2 names (lower case) → theme
_V2: dict[str, str] = {
    "bati_indifferencie": BUILDINGS,
    "bati_remarquable": BUILDINGS,
    "bati_industriel": BUILDINGS,
    "route": "road",
    "troncon_route": "road",
    "chemin": "road",
    "route_primaire": "road",
    "route_secondaire": "road",
    "voie_ferree": "rail",
    "troncon_voie_ferree": "rail",
    "surface_eau": "water",
    "troncon_cours_eau": "water",
    "reservoir_eau": "water",
    "zone_vegetation": "vegetation",
    "terrain_sport": "sport",
    "cimetiere": "cemetery",
    "construction_surfacique": "construction",
    "construction_lineaire": "construction",
    "surface_activite": "activity",
    "piste_aerodrome": "activity",
    "commune": COMMUNE,
}

_TABLE: dict[str, str] = {**_V2, **_V3}


def _normalised(name: str) -> str:
    """``name`` in lower case, accents removed, any run of non-alphanumerics as one ``_``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def bdtopo_theme(name: str) -> str | None:
    """The theme of a BD TOPO file stem or GeoPackage layer name, any case, v2 or v3.

    ``"TRONCON_DE_ROUTE"`` → ``"road"``; ``"batiment"`` / ``"BATI_INDIFFERENCIE"`` →
    ``"buildings"``; ``"COMMUNE"`` → ``"commune"``; a name qualified by a schema or prefix
    (``"bdtopo.troncon_de_route"``, ``"BDT_3-3_SHP_..._TRONCON_DE_ROUTE"``) is recognised by its last
    words. ``None``: not a BD TOPO theme.
    """
    key = _normalised(name)
    if key in _TABLE:
        return _TABLE[key]
    words = key.split("_")
    bdtopo_prefix = False
    for start in range(1, len(words)):  # the longest known tail: "bdtopo_troncon_de_route"
        bdtopo_prefix = bdtopo_prefix or words[start - 1] in {"bdtopo", "bdt"}
        tail = "_".join(words[start:])
        if tail in _TABLE and (bdtopo_prefix or len(words) - start > 1):
            return _TABLE[tail]
    return None
