"""OpenStreetMap tag values as Maquette needs them: the ``other_tags`` text GDAL writes, lengths in
metres, counts, and what puts a feature under the ground.

GDAL's OSM driver gives the tags of its ``osmconf.ini`` as columns and every other tag in one hstore
text, ``other_tags``: ``"building:levels"=>"3","height"=>"12 m"``, quotes and backslashes escaped
with a backslash (``"name"=>"Le \\"Grand\\" Bleu"``), ``=>`` and commas possible inside values.
:func:`parse_other_tags` reads it; :func:`length_m` turns the free text of ``height``, ``width``,
``min_height`` (``"12"``, ``"12 m"``, ``"12.5m"``, ``"40'"`` feet, ``"12;15"``: the first) into metres.
"""

from __future__ import annotations

import math
import re

_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=>\s*"((?:[^"\\]|\\.)*)"', re.S)
_ESCAPE = re.compile(r"\\(.)", re.S)

#: metres per unit of a length as OSM writes it (no unit: metres)
_UNITS_M = {
    "": 1.0,
    "m": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "km": 1000.0,
    "cm": 0.01,
    "ft": 0.3048,
    "feet": 0.3048,
    "foot": 0.3048,
    "'": 0.3048,
    "mi": 1609.344,
}
_LENGTH = re.compile(
    r"""^\s*(?P<number>[+-]?\d+(?:[.,]\d*)?|[+-]?[.,]\d+)\s*
    (?P<unit>m|meters?|metres?|km|cm|ft|feet|foot|'|mi)?\s*
    (?:(?P<inches>\d+(?:\.\d*)?)\s*(?:"|''|in))?\s*$""",
    re.X | re.I,
)
_NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d*)?|[+-]?[.,]\d+)\s*$")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)


def parse_other_tags(text: object) -> dict[str, str]:
    """The tags of GDAL's ``other_tags`` hstore text as a dict (empty for None, NaN or "")."""
    if not isinstance(text, str) or not text:
        return {}
    pairs = _PAIR.findall(text)
    if "\\" not in text:  # nothing escaped (nearly always): no unescaping to do
        return dict(pairs)
    return {_unescape(key): _unescape(value) for key, value in pairs}


def first_value(text: object) -> str | None:
    """The first of a ``;``-separated OSM value (``"12;15"`` → ``"12"``), stripped; None if empty."""
    if not isinstance(text, str):
        return None
    first = text.split(";", 1)[0].strip()
    return first or None


def length_m(text: object) -> float:
    """A length tag in metres: ``"12"``, ``"12 m"``, ``"12.5m"``, ``"12,5"``, ``"40'"`` and ``"40 ft"``
    (feet), ``"6'6\\""`` (feet and inches), ``"12;15"`` (the first); NaN when it is no length."""
    value = first_value(text)
    if value is None:
        return math.nan
    match = _LENGTH.match(value)
    if match is None:
        return math.nan
    number = float(match["number"].replace(",", "."))
    unit = (match["unit"] or "").lower()
    metres = number * _UNITS_M[unit]
    if match["inches"]:
        if unit not in {"'", "ft", "feet", "foot"}:
            return math.nan
        metres += float(match["inches"]) * 0.0254
    return metres


def count(text: object) -> float:
    """A count tag (``building:levels``, ``lanes``): ``"3"``, ``"2.5"``, ``"3;4"`` (the first);
    NaN when it is no number."""
    value = first_value(text)
    if value is None:
        return math.nan
    match = _NUMBER.match(value)
    return float(match[1].replace(",", ".")) if match else math.nan


def is_underground(tags: dict[str, str]) -> bool:
    """True for a feature in a tunnel (``tunnel=*`` but ``no``) or on a layer below the ground
    (``layer`` < 0), or said to be underground (``location=underground``)."""
    tunnel = tags.get("tunnel")
    if tunnel is not None and tunnel.strip().lower() not in {"", "no"}:
        return True
    if tags.get("location", "").strip().lower() == "underground":
        return True
    layer = count(tags.get("layer"))
    return not math.isnan(layer) and layer < 0
