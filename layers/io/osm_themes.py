"""Which map theme an OpenStreetMap feature belongs to, from its tags and its shape.

:func:`classify` puts each feature of an extract in one theme of the topographic frame (the names of
``layers/topo/themes.py: THEMES``: ``road``, ``rail``, ``water``, ``vegetation``, ``hedge``,
``sport``, ``cemetery``, ``construction``, ``activity``) or in :data:`BUILDINGS`, with its category
(the OSM value: ``primary``, ``park``, ``wood``, ``river``...), or says why it is left out (one of
the reasons below). A feature has one theme: a building first (a stadium that is a building is a
building), then the first theme whose tags it has.
"""

from __future__ import annotations

from dataclasses import dataclass

from layers.io.osm_tags import is_underground

#: the buildings kind's theme (not a topographic one)
BUILDINGS = "buildings"

#: why a feature of an extract is not drawn (the keys of the accounting)
UNDERGROUND = "under the ground (tunnel, layer below 0)"
COASTLINE = "coastline (a line: the sea is not drawn from it)"
#: a coastline way whose sea is drawn by the first of them (the extract's sea, :mod:`layers.io.osm_sea`)
COAST_IN_SEA = "coastline (drawn as the sea it bounds)"
#: the category of the sea built from the coastline (theme water)
SEA = "sea"
NOT_DRAWN = "not a map feature Maquette draws"
ROAD_AREA = "road area (roads are drawn as lines)"
NOT_BUILT = "not built (proposed, abandoned or razed)"

#: geometry kinds of the features: GDAL's layers points, lines (and multilinestrings), areas
#: (multipolygons); other_relations are collections of members
POINT, LINE, AREA, COLLECTION = "point", "line", "area", "collection"

_NOT_BUILT = {"proposed", "abandoned", "razed", "disused", "dismantled", "demolished", "planned"}
_RAIL = {"rail", "tram", "light_rail", "subway", "narrow_gauge"}
_WATERWAYS = {"river", "stream", "canal", "drain", "ditch"}
_VEGETATION = {
    "leisure": {"park", "garden"},
    "landuse": {"grass", "forest", "meadow", "village_green"},
    "natural": {"wood", "scrub", "grassland"},
}
_SPORT = {"pitch", "stadium", "sports_centre", "track"}
_CONSTRUCTIONS = {"bridge", "pier"}
_ACTIVITY = {"school", "college", "university", "hospital", "kindergarten"}


@dataclass(frozen=True)
class Choice:
    """A feature's theme and category, or the reason it is left out (``theme`` None)."""

    theme: str | None
    category: str = ""
    reason: str | None = None
    #: a closed way GDAL gave as a line that is an area of its theme (a riverbank, a pier)
    as_area: bool = False


def _value(tags: dict[str, str], key: str) -> str:
    return tags.get(key, "").strip().lower()


def is_building(tags: dict[str, str]) -> bool:
    """A building outline (``building=*`` but ``no``) or a part of one (``building:part=*``)."""
    building = _value(tags, "building") or _value(tags, "building:part")
    return building not in {"", "no"}


def classify(tags: dict[str, str], shape: str, closed: bool = False) -> Choice:
    """The theme (and category) of a feature with ``tags`` and geometry kind ``shape`` (:data:`POINT`,
    :data:`LINE`, :data:`AREA`, :data:`COLLECTION`), or why it is left out. A ``closed`` line whose
    tags name no line theme (or a construction) but an area theme is that area (``as_area``)."""
    if shape in {POINT, COLLECTION}:
        return Choice(None, reason=NOT_DRAWN)
    if shape == LINE and closed and is_building(tags):  # GDAL gives building:part ways as lines
        choice = classify(tags, AREA)
        return Choice(choice.theme, choice.category, choice.reason, as_area=choice.theme is not None)
    if shape == AREA and is_building(tags):
        if _value(tags, "building") in _NOT_BUILT or _value(tags, "building:part") in _NOT_BUILT:
            return Choice(None, reason=NOT_BUILT)
        if is_underground(tags):
            return Choice(None, reason=UNDERGROUND)
        return Choice(BUILDINGS, _value(tags, "building") or _value(tags, "building:part"))
    choice = _line_theme(tags) if shape == LINE else _area_theme(tags)
    if shape == LINE and closed and choice.theme in {None, "construction"} and choice.reason != COASTLINE:
        area = _area_theme(tags)
        if area.theme is not None:
            choice = Choice(area.theme, area.category, as_area=True)
    if choice.theme is not None and is_underground(tags):
        return Choice(None, reason=UNDERGROUND)
    return choice


def _line_theme(tags: dict[str, str]) -> Choice:
    highway, railway, waterway = _value(tags, "highway"), _value(tags, "railway"), _value(tags, "waterway")
    if highway:
        return Choice(None, reason=NOT_BUILT) if highway in _NOT_BUILT else Choice("road", highway)
    if railway in _RAIL:
        return Choice("rail", railway)
    if waterway in _WATERWAYS:
        return Choice("water", waterway)
    if _value(tags, "natural") == "coastline":
        return Choice(None, reason=COASTLINE)
    if _value(tags, "barrier") == "hedge":
        return Choice("hedge", "hedge")
    if _value(tags, "man_made") in _CONSTRUCTIONS:
        return Choice("construction", _value(tags, "man_made"))
    if railway in _NOT_BUILT:
        return Choice(None, reason=NOT_BUILT)
    return Choice(None, reason=NOT_DRAWN)


def _area_theme(tags: dict[str, str]) -> Choice:
    natural, landuse, leisure = _value(tags, "natural"), _value(tags, "landuse"), _value(tags, "leisure")
    if natural == "water":
        return Choice("water", _value(tags, "water") or "water")
    if _value(tags, "waterway") == "riverbank":
        return Choice("water", "river")
    if landuse in {"reservoir", "basin"}:
        return Choice("water", landuse)
    for key, values in _VEGETATION.items():
        if _value(tags, key) in values:
            return Choice("vegetation", _value(tags, key))
    if leisure in _SPORT:
        return Choice("sport", leisure)
    if landuse == "cemetery" or _value(tags, "amenity") == "grave_yard":
        return Choice("cemetery", landuse or "grave_yard")
    if _value(tags, "man_made") in _CONSTRUCTIONS:
        return Choice("construction", _value(tags, "man_made"))
    if _value(tags, "amenity") in _ACTIVITY:
        return Choice("activity", _value(tags, "amenity"))
    if _value(tags, "highway"):
        return Choice(None, reason=ROAD_AREA)
    return Choice(None, reason=NOT_DRAWN)


#: every theme :func:`classify` gives (the topographic ones and :data:`BUILDINGS`)
THEME_NAMES = frozenset(
    {
        BUILDINGS,
        "road",
        "rail",
        "water",
        "vegetation",
        "hedge",
        "sport",
        "cemetery",
        "construction",
        "activity",
    }
)
