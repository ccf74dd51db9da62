"""Words the scene itself writes (legend titles, "no reading", inspector keys), in French or English.

The viewer does not use Qt's translations (it renders headless for the CLI too): its texts are
written in English and :func:`say` gives the French of the ones an audience reads. The scene's
language is :attr:`viewer.scene_view.SceneView.language` ("fr" by default: the audience's).
"""

from __future__ import annotations

FRENCH = {
    # legends of attributes (see viewer.labels)
    "Height": "Hauteur",
    "Use": "Usage",
    "Nature": "Nature",
    "Year of construction": "Année de construction",
    "Number of storeys": "Nombre d'étages",
    "Average daily traffic": "Trafic moyen journalier",
    "Land use": "Occupation du sol",
    "Most exposed façade, Lden (dB(A))": "Façade la plus exposée, Lden (dB(A))",
    "Share of façade above 68 dB(A) Lden (%)": "Part de façade au-dessus de 68 dB(A) Lden (%)",
    "Share of façade in the 65-70 dB(A) Lden band (%)": "Part de façade dans la bande 65-70 dB(A) Lden (%)",
    "Most exposed façade, Ln (dB(A))": "Façade la plus exposée, Ln (dB(A))",
    "Share of façade above 62 dB(A) Ln (%)": "Part de façade au-dessus de 62 dB(A) Ln (%)",
    "Share of façade in the 60-65 dB(A) Ln band (%)": "Part de façade dans la bande 60-65 dB(A) Ln (%)",
    # heat and noise overlays (see viewer.visuals.heat, viewer.visuals.noise)
    "Surface temperature": "Température de surface",
    "Temperature difference": "Écart de température",
    "Heat island, difference to the reference": "Îlot de chaleur, écart à la référence",
    "Temperature": "Température",
    "Noise": "Bruit",
    # sunlight (see viewer.visuals.sunlight)
    "Sun gained / lost": "Soleil gagné / perdu",
    "Hours of sun": "Ensoleillement",
    "on": "le",
    # public transport stops (see viewer.visuals.transit)
    "departures": "départs",
    "none": "aucun",
    "frequency": "fréquence",
    "one every {} min on average": "un passage toutes les {} min en moyenne",
    # sensors (see viewer.visuals.sensors)
    "Air temperature": "Température de l'air",
    "Heat island (difference to the reference)": "Îlot de chaleur (écart à la référence)",
    "Noise level": "Niveau sonore",
    "Bicycles": "Vélos",
    "Pedestrians": "Piétons",
    "Vehicles": "Véhicules",
    "Passages": "Passages",
    "Relative humidity": "Humidité relative",
    "Concentration": "Concentration",
    "Wind speed": "Vitesse du vent",
    "Precipitation": "Précipitations",
    "per direction": "par sens",
    "per hour": "par heure",
    "per day": "par jour",
    "per minute": "par minute",
    "per": "par",
    "typical day": "journée type",
    "hourly mean": "moyenne horaire",
    "daily mean": "moyenne journalière",
    "no reading": "pas de mesure",
    "value at the time shown": "valeur à l'heure affichée",
    "counter": "compteur",
    # classes of the sun a project takes away (see viewer.visuals.sunlight)
    "Sun the project takes away": "Soleil perdu avec le projet",
    "2 h of sun or more lost": "2 h de soleil perdues ou plus",
    "1 to 2 h lost": "1 à 2 h perdues",
    "less than 1 h lost": "moins d'1 h perdue",
    "sun gained": "soleil gagné",
    # comment pins (see viewer.annotations)
    "Concern": "Inquiétude",
    "Idea": "Idée",
    "Question": "Question",
}


def say(text: str, language: str = "fr") -> str:
    """``text`` (English) in ``language``: its French for "fr" when known, else as it is."""
    return FRENCH.get(text, text) if language == "fr" else text
