"""Checks of a project document (``*.maquette.json``) that a hand edit or a damaged file can fail.

Every refusal is an :class:`InputError` whose ``field`` is the path of the value in the document,
written as in JavaScript: ``layers[1].style.opacity``, ``views[0].position`` (indices from 0).
What the document may hold:

* values nested at most :data:`MAX_DEPTH` levels deep (unknown keys included: they are kept, and
  copied and written back, which deeper values would make fail);
* numbers that are numbers: no NaN, Infinity, 1e999 or integer of thousands of digits;
* text that is text: no lone UTF-16 surrogate (``"\\ud800"``, which JSON can write but no file,
  message or library can carry);
* the known keys with their types (see :mod:`layers.session.project`); a layer's opacity between 0
  and 1; its options plain values (text, numbers, true / false, lists of them; ``style`` an object).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from layers.core.errors import InputError

#: deepest nesting of lists and objects a project may hold (Maquette writes 5 levels)
MAX_DEPTH = 100
#: the longest integer written in a project (digits): longer is no coordinate, time or count
MAX_INT_DIGITS = 30
DAMAGED = "the project file was edited by hand or damaged: fix that value, or use a backup copy"


def path_text(parts: tuple[Any, ...] | list[Any]) -> str:
    """``layers[0].style.color`` for ``("layers", 0, "style", "color")``; past 8 parts, ``…``."""
    text = ""
    for part in parts[:8]:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text + ("…" if len(parts) > 8 else "")


def shown(value: Any, limit: int = 40) -> str:
    """``value`` as JSON, cut to ``limit`` characters (for a message)."""
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def refuse(path: Path | None, where: tuple[Any, ...] | str, message: str) -> InputError:
    """The error for the value at ``where`` (parts or text) of the document ``path``."""
    field = where if isinstance(where, str) else path_text(where)
    return InputError(path, message, field=field or None, hint=DAMAGED)


class BadNumber:
    """A number of the JSON text that a project cannot hold (NaN, Infinity, 1e999, 5,000 digits):
    kept in its place while the text is read, so that :func:`check_values` names where it is."""

    def __init__(self, text: str, why: str) -> None:
        self.text = text if len(text) <= 24 else f"a number of {len(text.lstrip('-')):,} digits"
        self.why = why


def parse_constant(text: str) -> BadNumber:
    """``NaN``, ``Infinity``, ``-Infinity``: not JSON numbers (Maquette never writes them)."""
    return BadNumber(text, "is not a JSON number")


def parse_float(text: str) -> float | BadNumber:
    value = float(text)
    return value if math.isfinite(value) else BadNumber(text, "is beyond the numbers a project holds")


def parse_int(text: str) -> int | BadNumber:
    """A JSON integer; beyond :data:`MAX_INT_DIGITS` digits a :class:`BadNumber` (Python would
    refuse past 4,300 digits with words about its own settings)."""
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        return BadNumber(text, "is beyond the numbers a project holds")
    return int(text)


def deep_place(text: str, limit: int = MAX_DEPTH) -> tuple[Any, ...]:
    """Where the JSON ``text`` first goes deeper than ``limit`` levels (parts of its path); read
    without recursion, for a text too deep for :func:`json.loads` (which stops with a
    ``RecursionError`` and no place)."""
    frames: list[list[Any]] = []  # [kind "{" or "[", current key or index]
    last: str = ""
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == '"':
            end = i + 1
            while end < n and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            try:
                last = json.loads(text[i : end + 1])
            except ValueError:
                last = text[i + 1 : end]
            i = end + 1
            continue
        if char in "[{":
            if len(frames) >= limit:
                break
            frames.append([char, 0 if char == "[" else None])
        elif char in "]}" and frames:
            frames.pop()
        elif char == ":" and frames and frames[-1][0] == "{":
            frames[-1][1] = last
        elif char == "," and frames and frames[-1][0] == "[":
            frames[-1][1] += 1
        i += 1
    return tuple(frame[1] for frame in frames)


def _bad_text(text: str) -> str | None:
    """The lone surrogate in ``text`` (escaped, for the message), or ``None`` when it is clean."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return text[exc.start].encode("unicode_escape").decode("ascii")
    return None


def check_values(data: Any, path: Path | None) -> None:
    """:class:`InputError` for a value nested deeper than :data:`MAX_DEPTH` or a text (value or
    key) holding a lone surrogate, naming where it is. Walks without recursion."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        value, where = stack.pop()
        if isinstance(value, BadNumber):
            raise refuse(path, where, f"{value.text} {value.why}")
        if isinstance(value, str):
            bad = _bad_text(value)
            if bad is not None:
                raise refuse(path, where, f"holds {bad}, half of a character, not text")
            continue
        if not isinstance(value, (dict, list)):
            continue
        if len(where) >= MAX_DEPTH:
            raise refuse(path, where, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, dict):
            for key, item in value.items():
                bad = _bad_text(key)
                if bad is not None:
                    raise refuse(path, where, f"has a key holding {bad}, half of a character, not text")
                stack.append((item, (*where, key)))
        else:
            stack.extend((item, (*where, i)) for i, item in enumerate(value))


_PLAIN = (str, int, float, bool)
#: layer options that name something (a column, a unit, a file): text only
TEXT_OPTIONS = frozenset(
    {
        "time",
        "id",
        "value",
        "unit",
        "quantity",
        "locations",
        "proposed_of",
        "height_field",
        "flow_field",
        "encoding",
        "role",
        "reference",
        "indicator",
        "layer",
        "name",
    }
)


def check_layer_values(spec: dict[str, Any], index: int, path: Path | None) -> None:
    """A layer's data paths without a null character, its opacity between 0 and 1, and its options
    plain values (``style`` an object; names of columns, units and files texts)."""
    for where, value in [(("layers", index, "source"), spec.get("source"))] + [
        (("layers", index, "options", key), (spec.get("options") or {}).get(key))
        for key in ("locations", "proposed_of")
    ]:
        if isinstance(value, str) and "\x00" in value:
            raise refuse(
                path, where, f"the path {shown(value)} holds a null character: no file has that name"
            )
    opacity = spec.get("opacity")
    if isinstance(opacity, (int, float)) and not isinstance(opacity, bool) and not 0 <= opacity <= 1:
        raise refuse(path, ("layers", index, "opacity"), f"should be between 0 and 1, not {shown(opacity)}")
    for key, value in (spec.get("options") or {}).items():
        where = ("layers", index, "options", key)
        if key == "style":
            if value is not None and not isinstance(value, dict):
                raise refuse(path, where, f"should be an object, not {shown(value)}")
            continue
        if key in TEXT_OPTIONS and value is not None and not isinstance(value, str):
            raise refuse(path, where, f"should be a text, not {shown(value)}")
        items = value if isinstance(value, list) else [value]
        if not all(item is None or isinstance(item, _PLAIN) for item in items):
            raise refuse(path, where, f"should be a text, a number or true / false, not {shown(value)}")
