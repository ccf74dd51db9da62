"""A planned project: a buildings layer marked as one (layer option ``proposed: true``, or the
older ``role: "proposed"``), drawn in orange and compared with what stands today in the sunlight
study and the before / after swipe."""

from __future__ import annotations

from typing import Any

from layers.buildings.layer import BuildingsLayer
from layers.core.base import Layer

#: colour given to a layer marked as a planned project (orange, reads as "new" on a plan)
PROPOSED_COLOR = "#e8833a"


def is_proposed(layer: Layer[Any]) -> bool:
    """True for a buildings layer marked as a planned project."""
    options = layer.options
    return isinstance(layer, BuildingsLayer) and (
        bool(options.get("proposed"))
        or str(options.get("role", "")).lower() == "proposed"
        or str(layer.style.extra.get("role", "")).lower() == "proposed"  # written by hand in a style
    )


def mark_proposed(layer: Layer[Any], proposed: bool = True) -> None:
    """Mark (or unmark) a buildings layer as a planned project; it is drawn in orange."""
    if not isinstance(layer, BuildingsLayer):
        raise ValueError("only buildings can be a planned project")
    layer.options = dict(layer.options)
    if proposed:
        layer.options["proposed"] = True
        layer.update_style(color_by=None, color=PROPOSED_COLOR)
    else:
        layer.options.pop("proposed", None)
        if str(layer.options.get("role", "")).lower() == "proposed":
            layer.options.pop("role")
        if layer.style.color == PROPOSED_COLOR:
            layer.update_style(color=None)  # back to the default stone colour
    layer.options_changed.emit()
