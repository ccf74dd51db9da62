"""Typed display options of a layer kind: a frozen dataclass with defaults, checked on load.

Every kind declares its style next to its layer (``layers/<kind>/style.py``), subclassing
:class:`LayerStyle`. A style is what the project file keeps under a layer's ``"style"`` key and what
a story step changes; the viewer reads its fields (``layer.style.clim``), never string keys.

* :meth:`LayerStyle.from_dict` reads the JSON form, checks every known key against the field's
  type (a wrong value is an :class:`~layers.core.errors.InputError` naming the key) and keeps keys
  it does not know in :attr:`LayerStyle.extra`, so a project written by a later Maquette survives a
  load / save round trip.
* :meth:`LayerStyle.to_dict` writes back only what differs from the defaults, plus the unknown keys.
* :meth:`LayerStyle.replace` is how a style changes (through :meth:`Layer.update_style`): a new,
  checked value; the layer says which fields changed.

Field types understood: ``bool``, ``int``, ``float``, ``str``, ``Literal[...]``, ``X | None``,
``tuple[float, float]`` (and other fixed tuples of numbers), ``tuple[str, ...]``, another
:class:`LayerStyle` (nested, e.g. a filter) and ``dict[str, Any]`` (free JSON).
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, Self, get_args, get_origin

from layers.core.errors import InputError

_MISSING = object()


class StyleError(InputError):
    """A style value that is not what its field holds (the key is :attr:`InputError.field`)."""


@dataclass(frozen=True)
class LayerStyle:
    """The base of every kind's style. Subclasses add fields with defaults (units in their names)."""

    #: keys of the project's style object this version does not know, kept as they were
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    #: field names whose change needs the visual's geometry rebuilt (not only its colours)
    rebuild_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None, *, source: str | Path | None = None) -> Self:
        """The style written ``data`` in a project file; :class:`StyleError` for a wrong value."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise StyleError(source, f"a layer style should be an object, not {type(data).__name__}")
        known = _fields(cls)
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key in known and key != "extra":
                values[key] = _convert(value, known[key], key, source)
            else:
                extra[str(key)] = value
        return cls(extra=extra, **values)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the fields that differ from their defaults, then the unknown keys."""
        out: dict[str, Any] = dict(self.extra)
        defaults = type(self)()
        for f in dataclasses.fields(self):
            if f.name == "extra":
                continue
            value = getattr(self, f.name)
            if value != getattr(defaults, f.name):
                out[f.name] = _jsonable(value)
        return out

    def replace(self, *, source: str | Path | None = None, **changes: Any) -> Self:
        """A copy with ``changes`` applied, each checked like :meth:`from_dict` checks it."""
        known = _fields(type(self))
        unknown = [k for k in changes if k not in known or k == "extra"]
        if unknown:
            raise StyleError(source, f"{type(self).__name__} has no option {unknown[0]!r}", field=unknown[0])
        checked = {k: _convert(v, known[k], k, source) for k, v in changes.items()}
        return dataclasses.replace(self, **checked)

    def split_known(self, data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """``data`` split into the keys this style has as fields and the others."""
        known = _fields(type(self))
        inside = {k: v for k, v in data.items() if k in known and k != "extra"}
        return inside, {str(k): v for k, v in data.items() if k not in inside}

    def with_extra(self, extra: Mapping[str, Any]) -> Self:
        """A copy whose unknown keys include ``extra``."""
        return dataclasses.replace(self, extra={**self.extra, **extra})

    def changed_fields(self, other: LayerStyle) -> frozenset[str]:
        """Names of the fields (and unknown keys) whose value differs in ``other``."""
        names = {
            f.name
            for f in dataclasses.fields(self)
            if f.name != "extra" and getattr(self, f.name) != getattr(other, f.name, None)
        }
        keys = set(self.extra) | set(other.extra)
        names |= {k for k in keys if self.extra.get(k, _MISSING) != other.extra.get(k, _MISSING)}
        return frozenset(names)


#: style class → its field names and their resolved type hints (computed once per class)
_FIELD_HINTS: dict[type[LayerStyle], dict[str, Any]] = {}


def _fields(cls: type[LayerStyle]) -> dict[str, Any]:
    found = _FIELD_HINTS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _FIELD_HINTS[cls] = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
    return found


_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "a text"}


def _convert(value: Any, hint: Any, key: str, source: str | Path | None) -> Any:
    """``value`` (from JSON) as the field's type ``hint``; :class:`StyleError` when it is not one."""
    try:
        converted = _as(value, hint)
        if isinstance(converted, str) and (key == "color" or key.endswith("_color")):
            _check_colour(converted)
        return converted
    except (TypeError, ValueError) as exc:
        raise StyleError(
            source,
            f"style option {key!r} should be {_describe(hint)}, not {value!r:.40}"
            if not isinstance(value, str) or not (key == "color" or key.endswith("_color"))
            else f"style option {key!r} should be a colour, not {value!r:.40}",
            field=key,
            hint=str(exc) or None,
        ) from None


def _check_colour(text: str) -> None:
    """``ValueError`` unless ``text`` is a colour the viewer draws (``#rrggbb``, ``#rgb``, a name)."""
    from matplotlib.colors import is_color_like

    if len(text) > 40 or not is_color_like(text):
        raise ValueError("a colour such as #e8833a or orange")


def _as(value: Any, hint: Any) -> Any:
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = get_args(hint)
        if value is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            try:
                return _as(value, option)
            except (TypeError, ValueError):
                continue
        raise ValueError("")
    if origin is Literal:
        if value in get_args(hint):
            return value
        raise ValueError("")
    if hint is Any:
        return value
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise TypeError("")
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
            raise TypeError("")
        return int(value)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise TypeError("")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise TypeError("")
        return value
    if origin is tuple:
        args = get_args(hint)
        if not isinstance(value, (list, tuple)):
            raise TypeError("")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_as(v, args[0]) for v in value)
        if len(value) != len(args):
            raise ValueError("")
        return tuple(_as(v, a) for v, a in zip(value, args))
    if origin in (dict, Mapping) or hint in (dict, Mapping):
        if not isinstance(value, Mapping):
            raise TypeError("")
        return dict(value)
    if isinstance(hint, type) and issubclass(hint, LayerStyle):
        if isinstance(value, hint):
            return value
        return hint.from_dict(value)
    raise TypeError(f"unsupported style field type {hint!r}")


def _describe(hint: Any) -> str:
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        parts = [_describe(a) for a in get_args(hint) if a is not type(None)]
        return " or ".join(parts) + (" or null" if type(None) in get_args(hint) else "")
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(hint))
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return f"a list of {_describe(args[0])}s"
        return f"a list of {len(args)} numbers"
    if isinstance(hint, type) and issubclass(hint, LayerStyle):
        return "an object"
    return _WORDS.get(hint, "an object")


def _jsonable(value: Any) -> Any:
    if isinstance(value, LayerStyle):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class ColourScaleStyle(LayerStyle):
    """A colour scale set by the user over a kind's default one (the kinds whose values go
    through a continuous colour map share it).

    Attributes
    ----------
    clim
        (low, high) values at the two ends of the colour map, in the layer's unit; ``None``: the
        kind's limits (robust percentiles, a diverging range...).
    cmap
        A matplotlib / VTK colour map name (``"viridis"``, ``"RdBu_r"``...); ``None``: the kind's
        palette.
    """

    clim: tuple[float, float] | None = None
    cmap: str | None = None
