"""A valid small project, and its mutations field by field: each known field of the document (layers,
styles, options, views, story steps, comments, moments, the clock, the camera, colours) given a
wrong type, null, a huge, negative or non-finite number, an empty, very long or invalid-unicode
text, a bad colour, extreme nesting, duplicate ids or an unknown kind.

``mutations(document)`` yields ``(name, text)``: the JSON text of one mutated document (text, not a
dict, so that NaN, Infinity, 10,000 levels of nesting and lone surrogates can be written)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

X0, Y0 = 351_500.0, 6_789_000.0
AT = "2025-07-01T10:00:00+02:00"
DEEP = 10_000
#: marks a value written as raw JSON text in the document (NaN, Infinity, deep nesting)
RAW = "\u0000raw:"


def small_project(folder: Path) -> Path:
    """A project in ``folder``: buildings (GeoJSON) and sensors (CSV with lon/lat), with styles,
    options, two views, a two-step story, a comment, a moment and a clock."""
    buildings = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"id": f"B{i}", "hauteur": 10.0 + 4 * i},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [X0 + 50 * i, Y0],
                            [X0 + 50 * i + 30, Y0],
                            [X0 + 50 * i + 30, Y0 + 30],
                            [X0 + 50 * i, Y0 + 30],
                            [X0 + 50 * i, Y0],
                        ]
                    ],
                },
            }
            for i in range(3)
        ],
    }
    (folder / "batiments.geojson").write_text(json.dumps(buildings), encoding="utf-8")
    rows = ["time,sensor,lon,lat,temp_c"] + [
        f"2025-07-01T{h:02d}:00:00+02:00,{s},{lon},48.11,{20 + h / 2}"
        for h in range(6, 18)
        for s, lon in (("A", -1.68), ("B", -1.679))
    ]
    (folder / "capteurs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    document = valid_document()
    path = folder / "etude.maquette.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def valid_document() -> dict[str, Any]:
    view = {
        "name": "Ensemble",
        "position": [X0 + 40, Y0 - 300, 250.0],
        "focal_point": [X0 + 65, Y0 + 15, 0.0],
        "view_up": [0.0, 0.0, 1.0],
        "view_angle_deg": 30.0,
    }
    return {
        "version": 1,
        "title": "Étude",
        "crs": "EPSG:2154",
        "timezone": "Europe/Paris",
        "clock": {
            "start": "2025-07-01T06:00:00+02:00",
            "end": "2025-07-01T17:00:00+02:00",
            "time": AT,
            "speed_s_per_s": 600,
            "loop": True,
        },
        "layers": [
            {
                "id": "bati",
                "kind": "buildings",
                "name": "Bâtiments",
                "source": "batiments.geojson",
                "options": {"height_field": "hauteur"},
                "style": {"color_by": None, "color": "#aabbcc", "cmap": "viridis", "clim": [0, 40]},
                "visible": True,
                "opacity": 1.0,
                "attribution": "Ville",
            },
            {
                "id": "capteurs",
                "kind": "sensors",
                "name": "Capteurs",
                "source": "capteurs.csv",
                "options": {"time": "time", "id": "sensor", "value": "temp_c", "unit": "°C"},
                "style": {},
                "visible": True,
                "opacity": 0.8,
            },
        ],
        "views": [view, {**copy.deepcopy(view), "name": "Près", "position": [X0 + 60, Y0 - 80, 60.0]}],
        "story": [
            {
                "title": "Le quartier",
                "text": "Trois immeubles.",
                "view": "Ensemble",
                "visible": ["bati", "capteurs"],
                "time": AT,
                "styles": {"bati": {"color": "#ff8800"}},
                "opacity": {"bati": 0.9},
            },
            {
                "title": "La journée",
                "text": "Les températures.",
                "view": "Près",
                "visible": ["bati", "capteurs"],
                "replay": {"start": AT, "end": "2025-07-01T12:00:00+02:00", "speed_s_per_s": 1200},
            },
        ],
        "annotations": [
            {"category": "idea", "text": "Des arbres", "x": X0 + 10, "y": Y0 + 10, "z": 0.0, "id": "c1"}
        ],
        "moments": [{"name": "Midi", "time": "2025-07-01T12:00:00+02:00"}],
    }


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every (path, value) of the document, containers included (the root excepted)."""
    if path:
        yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))


def field_path(path: tuple[Any, ...]) -> str:
    """``layers[0].style.color`` for ``("layers", 0, "style", "color")``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _set(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    mutated = copy.deepcopy(document)
    target = mutated
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return mutated


def _values(value: Any) -> list[tuple[str, Any]]:
    """The bad values tried in place of ``value``."""
    wrong_type: Any = {
        str: 12345,
        bool: "oui",
        int: "beaucoup",
        float: "beaucoup",
        list: {"a": 1},
        dict: [1, 2],
        type(None): [[]],
    }[type(value)]
    tried: list[tuple[str, Any]] = [
        ("wrong type", wrong_type),
        ("null", None),
        ("huge number", 1e308),
        ("huge integer", RAW + "9" * 5000),
        ("NaN", RAW + "NaN"),
        ("Infinity", RAW + "-Infinity"),
        ("negative", -1),
        ("empty text", ""),
        ("long text", "x" * 1_000_000),
        ("lone surrogate", RAW + '"ab\\ud800cd"'),
        ("deep nesting", RAW + "[" * DEEP + "]" * DEEP),
        ("bad colour", "#zz11"),
        ("object", {"nested": {"deeper": [1, "2", None]}}),
    ]
    if isinstance(value, str):
        tried += [("text number", "1e400"), ("control characters", "a\u0000b\u001bc\u202e")]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        tried += [("zero", 0), ("tiny", 5e-324)]
    return tried


def dumps(document: Any) -> str:
    """JSON text of ``document`` with :data:`RAW` strings written as they are."""
    raws: list[str] = []

    def swap(value: Any) -> Any:
        if isinstance(value, str) and value.startswith(RAW):
            raws.append(value[len(RAW) :])
            return f"@@RAW{len(raws) - 1}@@"
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    text = json.dumps(swap(document), ensure_ascii=False)
    for i, raw in enumerate(raws):
        text = text.replace(f'"@@RAW{i}@@"', raw)
    return text


def mutations(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(name, JSON text)`` of each mutation of ``document``, field by field, plus the whole-document
    ones (duplicate ids, unknown kind, deep nesting at the top)."""
    for path, value in _leaves(document):
        if path == ("version",):
            continue  # its own tests (tests/test_bad_input.py)
        for what, bad in _values(value):
            yield f"{field_path(path)} = {what}", dumps(_set(document, path, bad))
    layers = document["layers"]
    yield (
        "duplicate layer ids",
        dumps({**document, "layers": [layers[0], {**layers[1], "id": layers[0]["id"]}]}),
    )
    yield "duplicate view names", dumps({**document, "views": [document["views"][0]] * 2})
    yield "unknown kind", dumps(_set(document, ("layers", 0, "kind"), "dragon"))
    yield "deep nesting unknown key", dumps({**document, "extra": RAW + "[" * DEEP + "]" * DEEP})
    yield "deep nesting objects", dumps({**document, "extra": RAW + '{"a":' * DEEP + "1" + "}" * DEEP})
    yield "unknown key", dumps({**document, "nouveau": {"x": 1}})
