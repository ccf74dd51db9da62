"""The project file ``sample_city.maquette.json``: layers, camera views, the story."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .common import ATTRIBUTION, CRS, END, START, X0_M, Y0_M, iso

TITLE = "Quartier Vilaine (ville synthétique)"


def camera_view(name: str, focal_uv, looking_towards_deg: float, down_deg: float, distance_m: float) -> dict:
    """A view in EPSG:2154 metres: the camera ``distance_m`` from the focal point (on the ground),
    looking towards the compass bearing ``looking_towards_deg``, ``down_deg`` below the horizon."""
    az, el = np.radians(looking_towards_deg), np.radians(down_deg)
    direction = np.array([np.sin(az) * np.cos(el), np.cos(az) * np.cos(el), -np.sin(el)])
    focal = np.array([focal_uv[0] + X0_M, focal_uv[1] + Y0_M, 0.0])
    position = focal - distance_m * direction
    return {
        "name": name,
        "position": [round(float(v), 1) for v in position],
        "focal_point": [round(float(v), 1) for v in focal],
        "view_up": [0.0, 0.0, 1.0],
        "view_angle_deg": 30.0,
    }


def _centre(layout, role):
    blocks = [b for b, r in zip(layout.blocks, layout.block_role) if r == role]
    big = max(blocks, key=lambda b: b.area)
    return big.centroid.x, big.centroid.y


def views(layout) -> list[dict]:
    return [
        camera_view("Vue d'ensemble", (800.0, 590.0), 5.0, 45.0, 2400.0),
        camera_view("Les quais", (780.0, 450.0), 70.0, 35.0, 800.0),
        camera_view("Les tours", _centre(layout, "towers"), 35.0, 40.0, 650.0),
        camera_view("Le parc", _centre(layout, "park"), 340.0, 45.0, 650.0),
    ]


def _layer(id_, kind, name, source, *, options=None, style=None, visible=True, opacity=1.0) -> dict:
    return {
        "id": id_,
        "kind": kind,
        "name": name,
        "source": source,
        "options": options or {},
        "style": style or {},
        "visible": visible,
        "opacity": opacity,
        "attribution": ATTRIBUTION,
    }


LAYERS = [
    # the ground under everything: tiles drawn from the district's own streets, water and parks
    _layer("basemap", "basemap", "Fond de plan", "basemap.mbtiles"),
    _layer("landuse", "vector", "Occupation du sol", "landuse.gpkg", style={"color_by": "type"}),
    _layer(
        "buildings",
        "buildings",
        "Bâtiments",
        "buildings.gpkg",
        options={"height_field": "hauteur"},
        style={"color_by": "hauteur"},
    ),
    _layer(
        "proposed_tower",
        "buildings",
        "Projet : Tour des Peupliers (fictif)",
        "proposed_tower.geojson",
        options={"height_field": "hauteur", "proposed": True},
        style={"color": "#e8833a"},
        visible=False,
    ),
    _layer("streets", "streets", "Rues et trafic (TMJA)", "streets.gpkg", options={"flow_field": "tmja"}),
    _layer(
        "noise",
        "noise",
        "Bruit routier Lden",
        "noise_lden.tif",
        style={"facades": True},
        visible=False,
        opacity=0.8,
    ),
    _layer("noise_bands", "noise", "Isophones Lden (5 dB)", "noise_lden_isophones.gpkg", visible=False),
    _layer(
        "surface_temp",
        "heat",
        "Température de surface (1er juillet, 16 h)",
        "surface_temperature.tif",
        visible=False,
    ),
    _layer(
        "air_temp",
        "sensors",
        "Température de l'air",
        "air_temperature.csv",
        options={
            "time": "time",
            "id": "station",
            "value": "temp_c",
            "locations": "air_temperature_stations.csv",
            "quantity": "Température de l'air",
            "unit": "°C",
        },
    ),
    _layer(
        "air_surface",
        "heat",
        "Îlot de chaleur (air, interpolé)",
        "air_temperature.csv",
        options={
            "time": "time",
            "id": "station",
            "value": "temp_c",
            "locations": "air_temperature_stations.csv",
            "reference": "T01",
        },
        style={"show": "uhi"},
        visible=False,
        opacity=0.85,
    ),
    _layer(
        "noise_sensors",
        "sensors",
        "Capteurs de bruit",
        "noise_sensors.csv",
        options={
            "time": "time",
            "id": "sensor",
            "value": "laeq_db",
            "x": "x",
            "y": "y",
            "crs": CRS,
            "quantity": "Bruit LAeq 10 min",
            "unit": "dB(A)",
        },
        visible=False,
    ),
    _layer(
        "bike_counters",
        "sensors",
        "Compteurs vélo",
        "bike_counters.csv",
        options={
            "time": "time",
            "id": "counter",
            "value": "bikes",
            "locations": "bike_counters.geojson",
            "quantity": "Vélos",
            "unit": "vélos/h",
        },
        visible=False,
    ),
    _layer("transit", "transit", "Bus et trambus", "gtfs.zip"),
]

STORY = [
    {
        "title": "Bienvenue dans le quartier Vilaine",
        "text": "Voici un quartier de centre-ville imaginaire, posé à Rennes au bord de la rivière.\n"
        "Rues, places, jardin, gare et tours : tout est inventé, mais tout ressemble à une vraie ville.",
        "view": "Vue d'ensemble",
        "visible": ["basemap", "landuse", "buildings", "streets"],
        "time": "2025-07-01T10:00:00+02:00",
        "styles": {"buildings": {"color_by": "hauteur"}},
    },
    {
        "title": "Le bruit des grands axes",
        "text": (
            "Les quais et les avenues portent jusqu'à 25 000 véhicules par jour : "
            "plus de 70 dB(A) en façade.\n"
            "Derrière les immeubles, les cœurs d'îlots restent calmes, souvent sous 50 dB(A)."
        ),
        "view": "Les quais",
        "visible": ["basemap", "landuse", "buildings", "noise", "noise_sensors"],
        "time": "2025-07-01T08:30:00+02:00",
        "styles": {"buildings": {"color_by": None}},
    },
    {
        "title": "Un après-midi de canicule",
        "text": "Le 1er juillet à 16 h, toitures et bitume dépassent 50 °C au soleil.\n"
        "L'eau et les arbres du jardin restent 20 à 25 °C plus frais.",
        "view": "Vue d'ensemble",
        "visible": ["basemap", "buildings", "surface_temp", "air_temp"],
        "time": "2025-07-01T16:00:00+02:00",
        "styles": {"buildings": {"color_by": None}},
    },
    {
        "title": "La nuit, le parc respire",
        "text": "À 4 h du matin, le centre dense garde la chaleur : 3 à 5 °C de plus qu'au jardin.\n"
        "C'est l'îlot de chaleur urbain : les nuits chaudes fatiguent les habitants.",
        "view": "Le parc",
        "visible": ["basemap", "landuse", "buildings", "air_surface"],
        "time": "2025-07-02T04:00:00+02:00",
        "styles": {"buildings": {"color_by": None}},
    },
    {
        "title": "L'heure de pointe du matin",
        "text": "À 8 h, un trambus passe toutes les 6 minutes et les vélos affluent sur les ponts.\n"
        "Les compteurs montrent deux pointes par jour : vers 8 h et vers 18 h.",
        "view": "Vue d'ensemble",  # the bridges, the counters on them and the three lines
        "visible": ["basemap", "landuse", "buildings", "streets", "transit", "bike_counters"],
        "time": "2025-07-02T07:30:00+02:00",
        "styles": {"buildings": {"color_by": None}},
        # the morning rush plays by itself: 07:30 → 09:00 at 10 simulated minutes per second
        "replay": {
            "start": "2025-07-02T07:30:00+02:00",
            "end": "2025-07-02T09:00:00+02:00",
            "speed_s_per_s": 600,
        },
    },
]


def project_document(layout) -> dict:
    return {
        "version": 1,
        "title": TITLE,
        "crs": CRS,
        "timezone": "Europe/Paris",
        "clock": {
            "start": iso(START),
            "end": iso(END),
            "time": "2025-07-01T16:00:00+02:00",
            "speed_s_per_s": 600,
            "loop": True,
        },
        "layers": LAYERS,
        "views": views(layout),
        "story": STORY,
        "annotations": [],
    }


def write_project(document: dict, path: Path) -> None:
    Path(path).write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
