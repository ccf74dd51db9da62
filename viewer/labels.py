"""Fields and units as people read them, in French and in English: one table for the legends and
the inspector.

A field the table knows (BD TOPO v2 and v3 buildings, the sample city's, the ones Maquette computes,
sensors' and pixels' attributes) gets a label and, where it has one, its unit: ``hauteur`` →
"Hauteur (m)" / "Height (m)". Unknown fields keep their own name (underscores as spaces in a legend,
as they are in the inspector, where the user may look for the file's column).

Units in the model are language-neutral keys (``"vehicles/day"``, ``"m"``, ``"dB(A)"``); :data:`UNITS`
words the ones that differ between the languages.
"""

from __future__ import annotations

from typing import NamedTuple


class FieldLabel(NamedTuple):
    """How a field is named for people: in English, in French, and its unit key (``""``: none)."""

    english: str
    french: str
    unit: str = ""


_HEIGHT = FieldLabel("Height", "Hauteur", "m")
_STOREYS = FieldLabel("Number of storeys", "Nombre d'étages")
_USE = FieldLabel("Use", "Usage")
_USE_2 = FieldLabel("Secondary use", "Usage secondaire")
_YEAR = FieldLabel("Year of construction", "Année de construction")
_DWELLINGS = FieldLabel("Number of dwellings", "Nombre de logements")
_TRAFFIC = FieldLabel("Average daily traffic", "Trafic moyen journalier", "vehicles/day")

#: field (lower case) → its label and unit
FIELDS: dict[str, FieldLabel] = {
    # computed by Maquette
    "height_m": _HEIGHT,
    "base_m": FieldLabel("Base height", "Hauteur de la base", "m"),
    "height_source": FieldLabel("Height taken from", "Origine de la hauteur"),
    "feature_index": FieldLabel("Row in the file", "Ligne du fichier"),
    "geometry_type": FieldLabel("Geometry", "Géométrie"),
    "facade_lden_max_db": FieldLabel("Most exposed façade, Lden", "Façade la plus exposée, Lden", "dB(A)"),
    "facade_lden_over_68_pct": FieldLabel(
        "Share of façade above 68 dB(A) Lden", "Part de façade au-dessus de 68 dB(A) Lden", "%"
    ),
    "facade_lden_band_68_pct": FieldLabel(
        "Share of façade in the 65-70 dB(A) Lden band", "Part de façade dans la bande 65-70 dB(A) Lden", "%"
    ),
    "facade_ln_max_db": FieldLabel("Most exposed façade, Ln", "Façade la plus exposée, Ln", "dB(A)"),
    "facade_ln_over_62_pct": FieldLabel(
        "Share of façade above 62 dB(A) Ln", "Part de façade au-dessus de 62 dB(A) Ln", "%"
    ),
    "facade_ln_band_62_pct": FieldLabel(
        "Share of façade in the 60-65 dB(A) Ln band", "Part de façade dans la bande 60-65 dB(A) Ln", "%"
    ),
    # buildings: BD TOPO v3 (lower case) and v2 (upper case, short), OSM, the sample city
    "hauteur": _HEIGHT,
    "height": _HEIGHT,
    "nombre_d_etages": _STOREYS,
    "nb_etages": _STOREYS,
    "building:levels": _STOREYS,
    "usage_1": _USE,
    "usage1": _USE,
    "usage": _USE,
    "usage_2": _USE_2,
    "usage2": _USE_2,
    "nature": FieldLabel("Nature", "Nature"),
    "leger": FieldLabel("Light structure", "Construction légère"),
    "etat_de_l_objet": FieldLabel("State", "État"),
    "etat": FieldLabel("State", "État"),
    "date_d_apparition": FieldLabel("Date of appearance", "Date d'apparition"),
    "date_app": _YEAR,
    "date_creation": FieldLabel("Created on", "Date de création"),
    "date_modification": FieldLabel("Modified on", "Date de modification"),
    "date_de_confirmation": FieldLabel("Confirmed on", "Date de confirmation"),
    "annee_construction": _YEAR,
    "start_date": _YEAR,
    "nombre_de_logements": _DWELLINGS,
    "nb_logts": _DWELLINGS,
    "materiaux_des_murs": FieldLabel("Wall material", "Matériaux des murs"),
    "mat_murs": FieldLabel("Wall material", "Matériaux des murs"),
    "materiaux_de_la_toiture": FieldLabel("Roof material", "Matériaux de la toiture"),
    "mat_toits": FieldLabel("Roof material", "Matériaux de la toiture"),
    "altitude_minimale_sol": FieldLabel("Lowest ground altitude", "Altitude minimale du sol", "m"),
    "altitude_maximale_sol": FieldLabel("Highest ground altitude", "Altitude maximale du sol", "m"),
    "altitude_minimale_toit": FieldLabel("Lowest roof altitude", "Altitude minimale du toit", "m"),
    "altitude_maximale_toit": FieldLabel("Highest roof altitude", "Altitude maximale du toit", "m"),
    "z_min_sol": FieldLabel("Lowest ground altitude", "Altitude minimale du sol", "m"),
    "z_max_sol": FieldLabel("Highest ground altitude", "Altitude maximale du sol", "m"),
    "z_min_toit": FieldLabel("Lowest roof altitude", "Altitude minimale du toit", "m"),
    "z_max_toit": FieldLabel("Highest roof altitude", "Altitude maximale du toit", "m"),
    "cleabs": FieldLabel("Identifier", "Identifiant"),
    "id": FieldLabel("Identifier", "Identifiant"),
    "nom": FieldLabel("Name", "Nom"),
    "name": FieldLabel("Name", "Nom"),
    "origine_du_batiment": FieldLabel("Origin of the building", "Origine du bâtiment"),
    "appariement_fichiers_fonciers": FieldLabel("Land registry match", "Appariement fichiers fonciers"),
    # streets, land use
    "tmja": _TRAFFIC,
    "aadf": _TRAFFIC,
    "flow": FieldLabel("Traffic", "Trafic"),
    "flow_unit": FieldLabel("Traffic unit", "Unité du trafic"),
    "type": FieldLabel("Land use", "Occupation du sol"),
    "surf_cat": FieldLabel("Land use", "Occupation du sol"),
    # sensors, pixels
    "quantity": FieldLabel("Quantity", "Grandeur"),
    "unit": FieldLabel("Unit", "Unité"),
    "readings": FieldLabel("Readings", "Mesures"),
    "mean": FieldLabel("Mean", "Moyenne"),
    "last_reading": FieldLabel("Last reading", "Dernière mesure"),
    "last_reading_time": FieldLabel("Time of the last reading", "Heure de la dernière mesure"),
    "environment": FieldLabel("Surroundings", "Environnement"),
    "value": FieldLabel("Value", "Valeur"),
    "label": FieldLabel("Band", "Classe"),
    "x": FieldLabel("X", "X", "m"),
    "y": FieldLabel("Y", "Y", "m"),
    "crs": FieldLabel("Coordinate system", "Système de coordonnées"),
}

#: unit key → its French, for the units that are not written the same in both languages
UNITS: dict[str, str] = {
    "vehicles/day": "véhicules/jour",
    "vehicles/hour": "véhicules/heure",
    "vehicles": "véhicules",
    "h": "h",
}


def unit_text(unit: str | None, language: str = "fr") -> str:
    """The unit key ``unit`` as ``language`` writes it (``""`` for none)."""
    if not unit:
        return ""
    return UNITS.get(unit, unit) if language == "fr" else unit


def known_label(field: str) -> FieldLabel | None:
    """The table's entry for ``field`` (any case), ``None`` when unknown."""
    return FIELDS.get(field.lower())


def field_title(field: str, unit: str | None = None, language: str = "fr") -> str:
    """A legend title: ``"Hauteur (m)"`` (``"Height (m)"`` in English) for ``hauteur``; the unit is
    ``unit`` when given, else the table's; unknown fields keep their name, underscores as spaces."""
    known = known_label(field)
    if known is not None:
        name = known.french if language == "fr" else known.english
        unit = unit or known.unit
    else:
        name = field.replace("_", " ")
    name = name[:1].upper() + name[1:]
    shown = unit_text(unit, language)
    return f"{name} ({shown})" if shown else name


def inspector_label(field: str, language: str = "fr") -> str:
    """The inspector's name for ``field``: its label and unit when known, the field itself otherwise."""
    if known_label(field) is None:
        return field
    return field_title(field, None, language)
