"""The layers one file holds: a BD TOPO GeoPackage's themes, an OpenStreetMap extract's.

Most files are one layer. Two kinds of download hold a whole map: a BD TOPO GeoPackage (a
département's file, dozens of layers: ``batiment``, ``troncon_de_route``, ``zone_de_vegetation``...)
and an OpenStreetMap extract (buildings, roads, water, green areas... in one ``.osm.pbf``). Opened
(dropped on the window, named on the command line), such a file gives one layer per theme Maquette
draws, in the drawing order (water under roads under buildings); the window first offers the
themes of a GeoPackage to choose from (:func:`layer_choices`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from layers.session.new_themes import HIDDEN_THEMES, ROLE_ORDER, THEME_ROLES, Role, theme_key

#: suffixes of files whose layers are looked at (a GeoPackage, a SpatiaLite base)
MULTI_LAYER_SUFFIXES = frozenset({".gpkg", ".sqlite"})


@dataclass(frozen=True)
class LayerChoice:
    """One layer of a file that holds several: what it is read as, and whether it is wanted first.

    ``layer`` names a GeoPackage's layer, ``theme`` an extract's theme (exactly one is set, except
    an extract's buildings, which need neither). ``key`` is what a choice is known by."""

    kind: str
    role: Role
    theme_of_map: str
    layer: str | None = None
    theme: str | None = None
    #: shown at first (the commune's outline and the zones of activity are context: hidden)
    shown: bool = True

    @property
    def key(self) -> str:
        return self.layer or self.theme or self.kind

    def options(self) -> dict[str, Any]:
        """The load options that read this layer of the file."""
        if self.layer:
            return {"layer": self.layer}
        return {"theme": self.theme} if self.theme else {}

    def name(self, path: Path, language: str = "en") -> str:
        """The layer's name in the panel: the GeoPackage's layer, or the extract and its theme."""
        if self.layer:
            return self.layer
        from layers.io.osm import osm_name
        from layers.topo.palette import theme_title

        what = theme_title(self.theme, language) if self.theme else theme_title_of_buildings(language)
        return f"{osm_name(path)} · {what}"


#: the words of the layers that are not the topo kind's themes: (English, French)
OTHER_TITLES = {
    "buildings": ("Buildings", "Bâtiments"),
    "commune": ("Commune outline", "Limite de la commune"),
}


def theme_title_of_buildings(language: str) -> str:
    """The word for an extract's buildings layer in ``language``."""
    english, french = OTHER_TITLES["buildings"]
    return french if language == "fr" else english


def choice_title(choice: LayerChoice, language: str) -> str:
    """What a layer of a file is, in ``language`` (the legends' theme words)."""
    from layers.topo.palette import theme_title

    if choice.kind == "topo":
        return theme_title(choice.theme_of_map, language)
    english, french = OTHER_TITLES["buildings" if choice.kind == "buildings" else "commune"]
    return french if language == "fr" else english


def layer_choices(path: str | Path) -> list[LayerChoice]:
    """The layers of ``path`` Maquette draws, in the drawing order, when it holds several themes of a
    map (a BD TOPO GeoPackage, an OpenStreetMap extract); ``[]`` for a file of one layer."""
    from layers.io.osm import is_osm_path

    path = Path(path)
    if is_osm_path(path):
        return _ordered(_extract_choices(path))
    if path.suffix.lower() in MULTI_LAYER_SUFFIXES:
        return _ordered(_geopackage_choices(path))
    return []


def chosen(choices: list[LayerChoice], keys: Collection[str] | None) -> list[LayerChoice]:
    """The ``choices`` whose key is in ``keys``; all of them when ``keys`` is ``None``."""
    return list(choices) if keys is None else [c for c in choices if c.key in keys]


def _geopackage_choices(path: Path) -> list[LayerChoice]:
    from layers.topo.geopackage import bdtopo_layers
    from layers.topo.themes import BUILDINGS, COMMUNE

    try:
        themes = bdtopo_layers(path)
    except Exception:  # noqa: BLE001 - an unreadable file is said by its reader when opened
        return []
    if len(themes) < 2:
        return []
    out = []
    for layer, theme in themes.items():
        kind = "buildings" if theme == BUILDINGS else "vector" if theme == COMMUNE else "topo"
        shown = theme != COMMUNE and theme_key(layer) not in HIDDEN_THEMES
        out.append(LayerChoice(kind, THEME_ROLES.get(theme, "other"), theme, layer=layer, shown=shown))
    return out


def _extract_choices(path: Path) -> list[LayerChoice]:
    from layers.io.osm import osm_contents
    from layers.topo.themes import BUILDINGS, THEMES

    contents = osm_contents(path)
    out = [LayerChoice("buildings", "buildings", BUILDINGS)] if contents.get(BUILDINGS) else []
    out += [
        LayerChoice("topo", THEME_ROLES[theme], theme, theme=theme, shown=theme != "activity")
        for theme in THEMES
        if contents.get(theme)
    ]
    return out


def _ordered(choices: list[LayerChoice]) -> list[LayerChoice]:
    order = {role: i for i, role in enumerate(ROLE_ORDER)}
    return sorted(choices, key=lambda c: order[c.role])
