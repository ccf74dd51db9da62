"""What a series of readings measures, guessed from its column's name and its sampling step."""

from __future__ import annotations

import re

from layers.io.tables import normalise_name

#: (pattern on the folded value column name, quantity, unit); a unit of "/step" is per sampling step
QUANTITIES = (
    (r"uhi|icu|heat_island", "heat island intensity", "K"),
    (r"temp|^t$|^ta$|^tair|t_air|^t2m|^tc$", "air temperature", "°C"),
    (
        r"laeq|lden|lnight|^la(eq|max|min|\d)|(^|_)db(a)?($|_)|noise|bruit|sound|sonore",
        "noise level",
        "dB(A)",
    ),
    (r"bike|bicycle|velo|cycl", "bicycle count", "/step"),
    (r"pedestrian|pieton|piéton|people|personnes|crowd", "pedestrian count", "/step"),
    (r"comptage|count|passage|intensit|flow|debit|vehic", "count", "/step"),
    (r"humid|^rh$|^hr$", "relative humidity", "%"),
    (r"pm10|pm2_?5|pm1$|no2|^o3|ozone|so2|nox", "concentration", "µg/m³"),
    (r"wind|vent", "wind speed", "m/s"),
    (r"rain|precip|pluie", "precipitation", "mm"),
)
COUNT_QUANTITIES = {"bicycle count", "pedestrian count", "count", "vehicle count"}
#: a unit per time: ``vélos/h``, ``/jour``, ``/ 15 min``
_PER_TIME = re.compile(r"/\s*(h|heure|jour|j|d|day|\d+\s*min)\b", re.I)


def guess_quantity(column: str, step_s: float | None) -> tuple[str, str]:
    """``(quantity, unit)`` guessed from a value column's name and the sampling step (seconds).

    ``temp_c`` → air temperature, °C; ``laeq_db`` → noise level, dB(A); ``bikes`` → bicycle
    count per hour (``/h``) or per day (``/jour``) from the step; otherwise the column's name and
    no unit.
    """
    folded = normalise_name(column)
    for pattern, quantity, unit in QUANTITIES:
        if re.search(pattern, folded):
            if unit == "/step":
                unit = per_step(step_s)
            return quantity, unit
    return str(column), ""


def is_count(quantity: str, unit: str) -> bool:
    """True for counts (bikes, pedestrians, vehicles): a zero is a reading, a scale starts at 0.

    Known from the quantity (``bicycle count``, or a name such as ``Vélos``, ``Comptage``) or from
    a unit per time (``/h``, ``vélos/h``, ``/jour``)."""
    if quantity in COUNT_QUANTITIES or unit.startswith("/") or _PER_TIME.search(unit or ""):
        return True
    return guess_quantity(quantity or "", None)[0] in COUNT_QUANTITIES


def per_step(step_s: float | None) -> str:
    if step_s is None:
        return ""
    if 3000 <= step_s <= 4200:
        return "/h"
    if 72_000 <= step_s <= 100_800:
        return "/jour"
    return "/" + duration_label(step_s)


def duration_label(seconds: float) -> str:
    """``"10 min"``, ``"1 h"``, ``"1 d"`` for a step in seconds."""
    for size, label in ((86_400, "d"), (3_600, "h"), (60, "min"), (1, "s")):
        if seconds >= size:
            value = seconds / size
            return f"{value:.0f} {label}" if abs(value - round(value)) < 0.05 else f"{value:.1f} {label}"
    return f"{seconds:g} s"
