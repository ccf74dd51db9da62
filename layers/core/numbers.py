"""Numbers as each language writes them: ``1 234,5`` in French, ``1,234.5`` in English.

French groups thousands with a narrow no-break space (U+202F) and writes a decimal comma; English
groups with a comma and writes a decimal point. Used wherever the interface or the audience screen
shows a number (the desktop, legends, the model's notes worded by :mod:`layers.core.messages`).
"""

from __future__ import annotations

import math
import re

#: the thousands separator in French: a narrow no-break space
FRENCH_GROUP = "\u202f"
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def number(value: float, language: str = "fr", decimals: int | None = None, *, group: bool = True) -> str:
    """``value`` written for ``language``: ``decimals`` places (``None``: an integer as such, a float
    with up to 2 places, trailing zeros dropped); thousands grouped when ``group`` is true."""
    if isinstance(value, float) and not math.isfinite(value):
        return "—"
    if decimals is None:
        if float(value).is_integer():
            text = f"{int(value):{',' if group else ''}d}"
        else:
            text = f"{value:{',' if group else ''}.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:{',' if group else ''}.{decimals}f}"
    return in_language(text, language)


def in_language(text: str, language: str) -> str:
    """A number written the English way (``1,234.5``) turned to ``language``'s way."""
    if language != "fr":
        return text
    return text.replace(",", FRENCH_GROUP).replace(".", ",")


def plain_numbers_in(text: str, language: str) -> str:
    """``text`` written for ``language`` when it is a bare number (``"9.5"`` → ``"9,5"``, ``"12345"``
    → ``"12 345"`` in French, ``"12,345"`` in English; four digits stay whole, as years do); any
    other text as it is."""
    bare = text.strip()
    if not _PLAIN_NUMBER.match(bare):
        return text
    whole, _, decimals = bare.partition(".")
    digits = whole.lstrip("-")
    if len(digits) > 4:
        digits = f"{int(digits):,}"
    english = ("-" if whole.startswith("-") else "") + digits + ("." + decimals if decimals else "")
    return in_language(english, language)
