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
from typing import Literal

from layers.topo.themes import BUILDINGS, COMMUNE, THEMES, bdtopo_theme

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

#: the role of each theme of a reference map (:data:`layers.topo.themes.THEMES`, BD TOPO's and
#: OpenStreetMap's), of buildings and of the commune's outline
THEME_ROLES: dict[str, Role] = {
    "road": "roads",
    "rail": "rail",
    "water": "water",
    "vegetation": "vegetation",
    "hedge": "vegetation",
    "sport": "other",
    "cemetery": "other",
    "construction": "other",
    "activity": "other",
    BUILDINGS: "buildings",
    COMMUNE: "other",
}
#: BD TOPO themes of the "bâti" family that stand as buildings: RESERVOIR holds water towers, tanks
#: and silos with their heights (the topo kind would draw them flat, as water)
BDTOPO_BUILDINGS = frozenset({"reservoir", "construction_legere"})
#: themes that are context rather than the picture (shown at will from the layer panel)
HIDDEN_THEMES = frozenset({"commune", "communes", "zone_d_activite_ou_d_interet"})

#: a recogniser: the role of a theme name, or ``None`` when it does not know it
ThemeRecogniser = Callable[[str], Role | None]


def theme_key(name: str) -> str:
    """``name`` lower-cased, accents and punctuation folded to ``_`` (``"Plan d'eau"`` → ``plan_d_eau``)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def bdtopo_kind_theme(name: str) -> str | None:
    """What a BD TOPO theme name is for a model: a topographic theme (``"road"``...), ``"buildings"``,
    ``"commune"``, or ``None`` when the name is not BD TOPO's."""
    if theme_key(name) in BDTOPO_BUILDINGS:
        return BUILDINGS
    return bdtopo_theme(name)


def bdtopo_role(name: str) -> Role | None:
    """The role of a BD TOPO theme name (``"BATIMENT"``, ``"troncon_de_route"``), else ``None``."""
    theme = bdtopo_kind_theme(name)
    return THEME_ROLES.get(theme) if theme is not None else None


THEME_RECOGNISERS: list[ThemeRecogniser] = [bdtopo_role]

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
    """The kind a theme is opened as: BD TOPO's themes as the topo kind draws them (roads as
    ribbons of their width, water, woods...), its buildings as buildings even when their attribute
    table is missing, the commune's outline as a plain vector; else ``detected``, unless another
    recogniser's role says better what a generic detection guessed (hedges are not streets)."""
    theme = bdtopo_kind_theme(name)
    if theme == BUILDINGS and detected in _GENERIC_VECTOR_KINDS | {"topo"}:
        return "buildings"
    if theme in THEMES and detected in _GENERIC_VECTOR_KINDS | {"topo"}:
        return "topo"
    if theme == COMMUNE:
        return "vector"
    role = next((r for r in (recognise(name) for recognise in THEME_RECOGNISERS) if r is not None), None)
    if role is None or detected not in _GENERIC_VECTOR_KINDS:
        return detected
    if role == "buildings":
        return "buildings"
    return "streets" if role == "roads" else "vector"
