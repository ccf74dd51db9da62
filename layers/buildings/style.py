"""The display options of buildings (kind ``buildings``), their attribute filter included.

The filter is part of the style, so it is saved with the project and a story step can change it.
Its JSON form::

    {"conditions": [{"field": "height_m", "min": 28},
                    {"field": "USAGE1", "categories": ["Résidentiel"]}],
     "mode": "hide"}                      # or "grey": filtered-out buildings drawn greyed

One condition may also be given alone (``{"field": "height_m", "min": 28, "mode": "grey"}``).
What the filter keeps is computed by :func:`layers.buildings.filters.filter_mask`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Self

from layers.core.style import LayerStyle

#: the colour map of numeric attributes
DEFAULT_CMAP = "YlGnBu"
#: the colour of buildings when no attribute colours them and the style names none: warm light stone
DEFAULT_COLOR = "#e6dfd1"
#: what becomes of filtered-out buildings: hidden, or drawn greyed (not pickable)
FilterMode = Literal["hide", "grey"]


@dataclass(frozen=True, kw_only=True)
class FilterCondition(LayerStyle):
    """One condition on an attribute: a numeric range (dates: years), or a choice of categories.

    Attributes
    ----------
    field
        The attribute (a column of the frame, ``height_m`` or ``base_m``).
    min, max
        Bounds kept (inclusive), in the field's unit; ``None``: open. A missing value never passes.
    categories
        The text values kept; ``None``: any.
    """

    field: str = ""
    min: float | None = None
    max: float | None = None
    categories: tuple[str, ...] | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None, *, source: str | Path | None = None) -> Self:
        """As :meth:`LayerStyle.from_dict`; an empty bound (``"min": ""``) is an open one, and
        categories may be numbers (kept as their text)."""
        if isinstance(data, Mapping):
            data = {k: v for k, v in data.items() if not (k in ("min", "max") and v == "")}
            if isinstance(data.get("categories"), (list, tuple)):
                data["categories"] = [str(c) for c in data["categories"]]
        return super().from_dict(data, source=source)

    @property
    def filters(self) -> bool:
        """True when the condition keeps only some rows (it has a field and a bound or a choice)."""
        return bool(self.field) and (
            self.min is not None or self.max is not None or self.categories is not None
        )


@dataclass(frozen=True, kw_only=True)
class BuildingsFilter(LayerStyle):
    """Conditions (combined with AND) and what becomes of the buildings that fail them."""

    conditions: tuple[FilterCondition, ...] = ()
    mode: FilterMode = "hide"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None, *, source: str | Path | None = None) -> Self:
        """As :meth:`LayerStyle.from_dict`, also reading one condition given alone."""
        if isinstance(data, Mapping) and "conditions" not in data and "field" in data:
            condition = {k: v for k, v in data.items() if k != "mode"}
            data = {"conditions": [condition], **({"mode": data["mode"]} if "mode" in data else {})}
        return super().from_dict(data, source=source)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form; ``mode`` is written with the conditions even when it is the default."""
        out = super().to_dict()
        if self.conditions:
            out.setdefault("mode", self.mode)
        return out

    @property
    def active(self) -> tuple[FilterCondition, ...]:
        """The conditions that keep only some rows (the others filter nothing)."""
        return tuple(c for c in self.conditions if c.filters)


@dataclass(frozen=True, kw_only=True)
class BuildingsStyle(LayerStyle):
    """How buildings are drawn.

    Attributes
    ----------
    color_by
        The attribute that colours the buildings (a legend explains it): ``height_m``, ``base_m``
        or a column of the frame; ``None``: one plain colour.
    cmap
        Matplotlib colour map of numeric attributes.
    clim
        (low, high) of the colour map in the attribute's unit; ``None``: its whole range on round
        numbers.
    color
        ``"#rrggbb"`` of every building when no attribute colours them; ``None``: warm light stone
        (:data:`DEFAULT_COLOR`; a planned project is orange, see
        :func:`layers.buildings.planned.mark_proposed`).
    filter
        Which buildings are shown (:class:`BuildingsFilter`; empty: all).
    """

    color_by: str | None = None
    cmap: str = DEFAULT_CMAP
    clim: tuple[float, float] | None = None
    color: str | None = None
    filter: BuildingsFilter = field(default_factory=BuildingsFilter)
