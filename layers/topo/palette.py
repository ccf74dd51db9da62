"""The cartographic look of the topographic themes: colours, default widths, legend words.

A legible palette in the spirit of IGN's Plan IGN: white roads with a grey casing, motorways red,
dual carriageways orange, tracks and paths brown; dark railways; water blue; forests in deeper
greens than heaths and grass, orchards and vineyards apart; hedges dark green; sports grounds,
cemeteries and constructions in quiet tints. Categories are BD TOPO ``nature`` values (lower case)
or OpenStreetMap values; any other category takes its theme's colour.

Widths are metres on the ground. Plain data: no VTK, no Qt.
"""

from __future__ import annotations

#: the colour of a theme's features whose category has none of its own, ``#rrggbb``
THEME_COLORS: dict[str, str] = {
    "road": "#fffdf6",  # white carriageway in a grey casing, as Plan IGN draws minor roads
    "rail": "#55514d",
    "water": "#9fc6ea",
    "vegetation": "#b9d89f",
    "hedge": "#4f7f3f",
    "sport": "#d4e8c2",
    "cemetery": "#c3cfbd",
    "construction": "#bdb7ae",
    "activity": "#efe6d6",
}

#: colours of categories, by theme (categories lower case)
CATEGORY_COLORS: dict[str, dict[str, str]] = {
    "road": {
        "type autoroutier": "#e0584b",
        "autoroute": "#e0584b",
        "quasi-autoroute": "#e0584b",
        "motorway": "#e0584b",
        "trunk": "#ee7d4e",
        "bretelle": "#ee8a5c",
        "route à 2 chaussées": "#f6b14a",
        "primary": "#f6b14a",
        "secondary": "#fbd66a",
        "route empierrée": "#e9dcc4",
        "chemin": "#d2bc94",
        "track": "#d2bc94",
        "sentier": "#bfa27a",
        "path": "#bfa27a",
        "footway": "#bfa27a",
        "escalier": "#a89582",
        "steps": "#a89582",
        "piste cyclable": "#8fbf6f",
        "cycleway": "#8fbf6f",
        "bac ou liaison maritime": "#7fa7d8",
        "bac auto": "#7fa7d8",
    },
    "water": {
        "mare": "#aacfee",
        "réservoir-bassin": "#aacfee",
        "réservoir-bassin d'orage": "#aacfee",
    },
    "vegetation": {
        "forêt fermée de feuillus": "#8fbd78",
        "forêt fermée de conifères": "#7cab73",
        "forêt fermée mixte": "#88b676",
        "forêt fermée sans couvert arboré": "#a9cc92",
        "forêt ouverte": "#a6cc8e",
        "bois": "#94c07c",
        "zone arborée": "#a6cc8e",
        "peupleraie": "#a3cb88",
        "forest": "#8fbd78",
        "wood": "#8fbd78",
        "haie": "#6f9c5c",
        "lande ligneuse": "#cfe2ac",
        "lande": "#cfe2ac",
        "heath": "#cfe2ac",
        "grassland": "#d6e9b8",
        "grass": "#d6e9b8",
        "meadow": "#d6e9b8",
        "park": "#c4e0a8",
        "verger": "#d8e69a",
        "orchard": "#d8e69a",
        "vigne": "#cdb8d8",
        "vineyard": "#cdb8d8",
    },
    "sport": {
        "grand terrain de sport": "#c8e2b2",
        "petit terrain multi-sports": "#d7e3c6",
        "piste de sport": "#e3bfa4",
        "terrain de tennis": "#e0c29f",
        "bassin de natation": "#9fd0ea",
        "pitch": "#c8e2b2",
    },
    "construction": {
        "pont": "#d8d2c8",
        "ecluse": "#a7b6c6",
        "écluse": "#a7b6c6",
        "barrage": "#a7b6c6",
    },
    "activity": {
        "parking": "#e2e0e6",
        "gare voyageurs et fret": "#ddd2e6",
        "gare voyageurs uniquement": "#ddd2e6",
        "port": "#d3e0ec",
        "science et enseignement": "#f1e2bd",
        "santé": "#f2d0cc",
        "sport": "#d4e8c2",
        "culture et loisirs": "#e6d8ee",
        "administratif ou militaire": "#e2d9ca",
        "industriel et commercial": "#ddd6e2",
        "religieux": "#e7dcc3",
        "gestion des eaux": "#cfe2f0",
    },
}

#: the colour of a road's casing (a slightly wider ribbon under it)
ROAD_CASING_COLOR = "#9a9187"
#: metres the casing shows on each side of a road
ROAD_CASING_M = 0.6

#: carriageway width by road category when the data gives none, metres
ROAD_WIDTHS_M: dict[str, float] = {
    "type autoroutier": 14.0,
    "autoroute": 14.0,
    "quasi-autoroute": 12.0,
    "motorway": 14.0,
    "trunk": 10.0,
    "route à 2 chaussées": 12.0,
    "primary": 8.0,
    "secondary": 7.0,
    "tertiary": 6.0,
    "route à 1 chaussée": 5.5,
    "residential": 5.5,
    "bretelle": 5.0,
    "rond-point": 7.0,
    "place": 6.0,
    "route empierrée": 3.5,
    "chemin": 2.5,
    "track": 2.5,
    "sentier": 1.2,
    "path": 1.2,
    "footway": 1.5,
    "escalier": 2.0,
    "steps": 2.0,
    "piste cyclable": 2.0,
    "cycleway": 2.0,
}
#: width of a road whose category is unknown too, metres
DEFAULT_ROAD_WIDTH_M = 5.0
#: width of line features by theme when the data gives none, metres
LINE_WIDTHS_M: dict[str, float] = {"rail": 2.5, "hedge": 2.0, "water": 3.0, "construction": 3.0}
#: width of line features of any other theme, metres
DEFAULT_LINE_WIDTH_M = 2.0

#: legend titles by theme: (English, French)
THEME_TITLES: dict[str, tuple[str, str]] = {
    "road": ("Roads", "Routes"),
    "rail": ("Railways", "Voies ferrées"),
    "water": ("Water", "Eau"),
    "vegetation": ("Vegetation", "Végétation"),
    "hedge": ("Hedges", "Haies"),
    "sport": ("Sports grounds", "Terrains de sport"),
    "cemetery": ("Cemeteries", "Cimetières"),
    "construction": ("Constructions", "Constructions"),
    "activity": ("Activity areas", "Zones d'activité"),
}

#: English names of BD TOPO categories (French names are BD TOPO's own)
ENGLISH_CATEGORIES: dict[str, str] = {
    "type autoroutier": "motorway",
    "autoroute": "motorway",
    "quasi-autoroute": "expressway",
    "route à 2 chaussées": "dual carriageway",
    "route à 1 chaussée": "single carriageway",
    "route empierrée": "gravel road",
    "chemin": "track",
    "sentier": "path",
    "bretelle": "slip road",
    "rond-point": "roundabout",
    "escalier": "steps",
    "piste cyclable": "cycle track",
    "bac ou liaison maritime": "ferry",
    "voie ferrée principale": "main railway",
    "voie de service": "service track",
    "tramway": "tramway",
    "métro": "metro",
    "forêt fermée de feuillus": "broadleaved forest",
    "forêt fermée de conifères": "coniferous forest",
    "forêt fermée mixte": "mixed forest",
    "forêt ouverte": "open forest",
    "bois": "wood",
    "zone arborée": "wooded area",
    "peupleraie": "poplar grove",
    "haie": "hedge",
    "lande ligneuse": "heath",
    "verger": "orchard",
    "vigne": "vineyard",
    "retenue": "reservoir lake",
    "réservoir-bassin": "basin",
    "réservoir-bassin d'orage": "storm basin",
    "mare": "pond",
    "ecoulement naturel": "river",
    "écoulement naturel": "river",
    "canal": "canal",
    "grand terrain de sport": "sports field",
    "petit terrain multi-sports": "multi-sport court",
    "piste de sport": "running track",
    "terrain de tennis": "tennis court",
    "bassin de natation": "swimming pool",
    "civil": "civil",
    "militaire": "military",
    "pont": "bridge",
    "ecluse": "lock",
    "écluse": "lock",
    "barrage": "dam",
    "parking": "car park",
    "carrefour": "junction",
    "port": "harbour",
    "aire de triage": "marshalling yard",
    "gare voyageurs et fret": "station",
    "service dédié aux véhicules": "vehicle services",
    "science et enseignement": "education",
    "santé": "health",
    "sport": "sport",
    "culture et loisirs": "culture and leisure",
    "administratif ou militaire": "administration",
    "industriel et commercial": "industry and commerce",
    "religieux": "religious",
    "gestion des eaux": "water management",
}

#: OpenStreetMap's tag values as a legend says them: (English, French). BD TOPO's categories are
#: French already; an extract's are OSM's English keys (``primary``, ``sports_centre``)
OSM_WORDS: dict[str, tuple[str, str]] = {
    "motorway": ("motorway", "autoroute"),
    "trunk": ("trunk road", "voie rapide"),
    "primary": ("primary road", "route principale"),
    "secondary": ("secondary road", "route secondaire"),
    "tertiary": ("tertiary road", "route tertiaire"),
    "unclassified": ("minor road", "route non classée"),
    "residential": ("residential street", "rue résidentielle"),
    "living_street": ("living street", "zone de rencontre"),
    "service": ("service road", "voie de desserte"),
    "pedestrian": ("pedestrian street", "voie piétonne"),
    "footway": ("footway", "chemin piéton"),
    "corridor": ("corridor", "passage couvert"),
    "platform": ("platform", "quai"),
    "raceway": ("race track", "circuit"),
    "construction": ("under construction", "en travaux"),
    "path": ("path", "sentier"),
    "track": ("track", "chemin"),
    "steps": ("steps", "escalier"),
    "cycleway": ("cycleway", "piste cyclable"),
    "bridleway": ("bridleway", "chemin cavalier"),
    "road": ("road", "route"),
    "rail": ("railway", "voie ferrée"),
    "tram": ("tramway", "tramway"),
    "light_rail": ("light rail", "métro léger"),
    "subway": ("metro", "métro"),
    "narrow_gauge": ("narrow-gauge railway", "voie ferrée étroite"),
    "park": ("park", "parc"),
    "garden": ("garden", "jardin"),
    "grass": ("grass", "pelouse"),
    "forest": ("forest", "forêt"),
    "wood": ("wood", "bois"),
    "scrub": ("scrub", "broussailles"),
    "meadow": ("meadow", "prairie"),
    "grassland": ("grassland", "prairie"),
    "village_green": ("village green", "espace vert"),
    "water": ("water", "eau"),
    "sea": ("sea", "mer"),
    "river": ("river", "rivière"),
    "riverbank": ("river", "rivière"),
    "stream": ("stream", "ruisseau"),
    "ditch": ("ditch", "fossé"),
    "drain": ("drain", "fossé"),
    "reservoir": ("reservoir", "réservoir"),
    "basin": ("basin", "bassin"),
    "pond": ("pond", "étang"),
    "lake": ("lake", "lac"),
    "pitch": ("pitch", "terrain de sport"),
    "stadium": ("stadium", "stade"),
    "sports_centre": ("sports centre", "centre sportif"),
    "swimming_pool": ("swimming pool", "piscine"),
    "cemetery": ("cemetery", "cimetière"),
    "grave_yard": ("graveyard", "cimetière"),
    "bridge": ("bridge", "pont"),
    "pier": ("pier", "jetée"),
    "breakwater": ("breakwater", "digue"),
    "school": ("school", "école"),
    "college": ("college", "lycée"),
    "university": ("university", "université"),
    "hospital": ("hospital", "hôpital"),
    "clinic": ("clinic", "clinique"),
    "hedge": ("hedge", "haie"),
}

#: the legend's word for the categories left out of it: (English, French)
OTHERS = ("other", "autres")

#: the legend's word for features without a category: (English, French)
NO_CATEGORY = ("unspecified", "non précisé")


#: categories drawn and listed as one class (a legend of a few greens, not nine alike), by theme:
#: category → class key (keys start with ``@``)
CATEGORY_CLASSES: dict[str, dict[str, str]] = {
    "vegetation": {
        **dict.fromkeys(
            (
                "forêt fermée de feuillus",
                "forêt fermée de conifères",
                "forêt fermée mixte",
                "forêt fermée sans couvert arboré",
                "forêt ouverte",
                "bois",
                "zone arborée",
                "peupleraie",
                "forest",
                "wood",
            ),
            "@forest",
        ),
        **dict.fromkeys(("haie",), "@hedge"),
        **dict.fromkeys(
            ("lande ligneuse", "lande", "heath", "grassland", "grass", "meadow", "park"), "@open"
        ),
        **dict.fromkeys(("verger", "orchard"), "@orchard"),
        **dict.fromkeys(("vigne", "vineyard"), "@vineyard"),
    },
    "water": {
        **dict.fromkeys(
            ("ecoulement naturel", "écoulement naturel", "canal", "cours d'eau", "river", "stream"),
            "@watercourse",
        ),
        **dict.fromkeys(
            (
                "retenue",
                "mare",
                "réservoir-bassin",
                "réservoir-bassin d'orage",
                "réservoir-bassin piscicole",
                "plan d'eau",
                "lac",
                "étang",
                "lake",
                "pond",
                "reservoir",
                "basin",
            ),
            "@still",
        ),
    },
}
#: the classes: colour, English and French words
CLASSES: dict[str, tuple[str, str, str]] = {
    "@forest": ("#8fbd78", "forest, wood", "forêt, bois"),
    "@hedge": ("#6f9c5c", "hedge", "haie"),
    "@open": ("#cfe2ac", "heath, grassland", "lande, prairie"),
    "@orchard": ("#d8e69a", "orchard", "verger"),
    "@vineyard": ("#cdb8d8", "vineyard", "vigne"),
    "@watercourse": ("#9fc6ea", "river, canal", "cours d'eau, canal"),
    "@still": ("#a9cdee", "lake, pond, basin", "plan d'eau, bassin"),
}


def legend_key(theme: str, category: str) -> str:
    """What a feature is listed as in the legend: its category's class (``@forest``), else its
    category."""
    return CATEGORY_CLASSES.get(theme, {}).get(category, category)


def category_color(theme: str, category: str) -> str:
    """``#rrggbb`` of a feature of ``theme`` whose category (or class key) is ``category``."""
    if category in CLASSES:
        return CLASSES[category][0]
    return CATEGORY_COLORS.get(theme, {}).get(category, THEME_COLORS.get(theme, "#cccccc"))


def category_label(category: str, language: str) -> str:
    """The legend's words for ``category`` (or a class key): BD TOPO's own in French, English
    where known."""
    if category in CLASSES:
        _, english_class, french_class = CLASSES[category]
        words = french_class if language == "fr" else english_class
        return words[:1].upper() + words[1:]
    if not category:
        return NO_CATEGORY[1] if language == "fr" else NO_CATEGORY[0]
    base = category.removesuffix("_link")
    if base in OSM_WORDS:
        english, french = OSM_WORDS[base]
        if base != category:  # primary_link: the slip road of a primary road
            english, french = f"{english} (slip road)", f"{french} (bretelle)"
        words = french if language == "fr" else english
        return words[:1].upper() + words[1:]
    if language == "fr":
        return category[:1].upper() + category[1:]
    english = ENGLISH_CATEGORIES.get(category, category)
    return english[:1].upper() + english[1:]


def theme_title(theme: str, language: str) -> str:
    """The legend's title of ``theme`` in ``language`` (``"fr"`` or English)."""
    english, french = THEME_TITLES.get(theme, (theme, theme))
    return french if language == "fr" else english


def default_width_m(theme: str, category: str) -> float:
    """Width of a line feature the data gives none for, metres."""
    if theme == "road":
        return ROAD_WIDTHS_M.get(category, DEFAULT_ROAD_WIDTH_M)
    return LINE_WIDTHS_M.get(theme, DEFAULT_LINE_WIDTH_M)
