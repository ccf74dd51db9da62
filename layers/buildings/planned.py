"""A planned project: a buildings layer marked as one (layer option ``proposed: true``, or the
older ``role: "proposed"``), drawn in orange and compared with what stands today in the sunlight
study and the before / after swipe."""

from __future__ import annotations

from typing import Any

import numpy as np

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


#: an existing building counts as replaced by a project when the project covers at least this share
#: of its footprint (a tower on a demolished block), not when they only touch along a wall
REPLACED_SHARE = 0.2


def replaced_rows(
    existing: BuildingsLayer, project: BuildingsLayer, share: float = REPLACED_SHARE
) -> np.ndarray:
    """Rows of ``existing`` whose footprint the ``project``'s footprints cover for at least ``share``
    of its area (both layers in one metric CRS, the scene's): what the project replaces, hidden on
    the "after" side of a comparison. Sorted row numbers, int64; empty when nothing overlaps."""
    import shapely

    built = np.asarray(existing.frame.geometry.values)
    planned = np.asarray(project.frame.geometry.values)
    if not len(built) or not len(planned):
        return np.zeros(0, np.int64)
    tree = shapely.STRtree(built)
    pairs = tree.query(planned, predicate="intersects")  # (2, k): project row, existing row
    if not pairs.shape[1]:
        return np.zeros(0, np.int64)
    covered = shapely.area(shapely.intersection(planned[pairs[0]], built[pairs[1]]))
    covered_by_row = np.bincount(pairs[1], weights=covered, minlength=len(built))
    area = shapely.area(built)
    rows = np.flatnonzero((covered_by_row > 0) & (covered_by_row >= share * np.maximum(area, 1e-9)))
    return rows.astype(np.int64)
