"""What a theme of a download is for a new model: its role (the drawing order) and its kind.

A file's kind comes from the kind detection; its *role* (terrain, orthophoto, water, vegetation,
roads, rail, buildings, trees, the rest) orders the layers and chooses their first style. BD TOPO
names its themes (``BATIMENT``, ``TRONCON_DE_ROUTE``, ``batiment`` in the GeoPackage...): the
recognisers of :data:`THEME_RECOGNISERS` read those names, in order. The list is open: a kind that
knows a family of themes adds a recogniser (``layers.topo.themes.bdtopo_theme`` is asked, once that
package is installed, for the themes the table here does not know).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from importlib import import_module
from typing import Literal

Role = Literal["terrain", "basemap", "water", "vegetation", "roads", "rail", "buildings", "trees", "other"]

#: the drawing order: the ground first, what stands on it last
ROLE_ORDER: tuple[Role, ...] = (
    "terrain",
    "basemap",
    "water",
    "vegetation",
    "roads",
    "rail",
    "buildings",
    "trees",
    "other",
)

#: BD TOPO v2/v3 theme names (normalised, see :func:`theme_key`) → role
BDTOPO_ROLES: dict[str, Role] = {
    "batiment": "buildings",
    "bati_indifferencie": "buildings",
    "bati_industriel": "buildings",
    "bati_remarquable": "buildings",
    "construction_legere": "buildings",
    "reservoir": "buildings",
    "troncon_de_route": "roads",
    "route_numerotee_ou_nommee": "roads",
    "troncon_de_voie_ferree": "rail",
    "surface_hydrographique": "water",
    "plan_d_eau": "water",
    "troncon_hydrographique": "water",
    "cours_d_eau": "water",
    "zone_de_vegetation": "vegetation",
    "haie": "vegetation",
    "terrain_de_sport": "other",
    "cimetiere": "other",
}

#: the colour of a BD TOPO theme drawn flat in one colour (the topographic map's conventions)
BDTOPO_COLOURS: dict[str, str] = {
    "surface_hydrographique": "#8db9e2",
    "plan_d_eau": "#8db9e2",
    "reservoir": "#8db9e2",
    "zone_de_vegetation": "#a9cf8f",
    "haie": "#7fae6a",
    "troncon_de_voie_ferree": "#5f5f5f",
    "terrain_de_sport": "#c6dfa4",
    "cimetiere": "#c4cbbd",
    "construction_surfacique": "#b9b2a6",
    "equipement_de_transport": "#d4d0c8",
    "zone_d_activite_ou_d_interet": "#eadfcb",
}
#: themes that are context rather than the picture (shown at will from the layer panel)
HIDDEN_THEMES = frozenset({"commune", "communes", "zone_d_activite_ou_d_interet"})

#: a recogniser: the role of a theme name, or ``None`` when it does not know it
ThemeRecogniser = Callable[[str], Role | None]


def theme_key(name: str) -> str:
    """``name`` lower-cased, accents and punctuation folded to ``_`` (``"Plan d'eau"`` → ``plan_d_eau``)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def bdtopo_role(name: str) -> Role | None:
    """The role of a BD TOPO theme name (``"BATIMENT"``, ``"troncon_de_route"``), else ``None``."""
    return BDTOPO_ROLES.get(theme_key(name))


def _topo_recogniser(name: str) -> Role | None:
    """The topo kind's own recognition of BD TOPO themes, when that package is installed: a theme
    it knows and this table does not is at least drawn (role ``other``)."""
    try:
        themes = import_module("layers.topo.themes")
    except ImportError:
        return None
    recognise: Callable[[str], str | None] = themes.bdtopo_theme
    theme = recognise(name)
    if theme is None:
        return None
    if theme in ROLE_ORDER:  # it may answer with a role itself
        return theme
    return bdtopo_role(theme) or bdtopo_role(name) or "other"


THEME_RECOGNISERS: list[ThemeRecogniser] = [bdtopo_role, _topo_recogniser]

#: the role of a file by its kind, when no theme name says more
_KIND_ROLES: dict[str, Role] = {
    "terrain": "terrain",
    "basemap": "basemap",
    "canopy": "vegetation",
    "streets": "roads",
    "buildings": "buildings",
    "trees": "trees",
}
_ORTHO_WORDS = ("ortho", "bdortho", "rgb", "irc", "photo")


def role_of(name: str, kind: str) -> Role:
    """The role of the theme or file ``name`` read as ``kind``."""
    for recognise in THEME_RECOGNISERS:
        role = recognise(name)
        if role is not None:
            return role
    if kind == "raster" and any(word in theme_key(name) for word in _ORTHO_WORDS):
        return "basemap"
    return _KIND_ROLES.get(kind, "other")


#: kinds a vector file falls to when nothing more specific claims it
_GENERIC_VECTOR_KINDS = frozenset({"vector", "streets", "buildings"})


def kind_for_layer(name: str, detected: str) -> str:
    """The kind a theme is opened as: ``detected`` unless the theme's name says better what a
    generic detection guessed (BD TOPO's buildings are buildings even when their attribute table is
    missing; hedges and railway lines are not streets; a GeoPackage's layers each by their theme)."""
    role = next((r for r in (recognise(name) for recognise in THEME_RECOGNISERS) if r is not None), None)
    if role is None:
        return detected
    if role == "buildings" and detected in _GENERIC_VECTOR_KINDS | {"topo"}:
        return "buildings"
    if detected not in _GENERIC_VECTOR_KINDS:
        return detected  # a kind of its own claimed it (BD TOPO's themes, once known)
    return "streets" if role == "roads" else "vector"
