"""The features selected in each layer: one place the attribute table and the 3D view both observe.

A selection is a set of rows of a layer's ``frame`` (:class:`~layers.core.base.HasFrame`), held as a
sorted ``int64`` array. :class:`Selections` keeps one per layer and emits ``changed(layer)`` after
every change, whoever made it (rows chosen in the table, a click or a rectangle on the view), so
each side redraws from the same rows. :func:`export_rows` writes the selected features out.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from layers.core.events import Event

if TYPE_CHECKING:
    from layers.core.base import Layer

#: the suffixes :func:`export_rows` writes
EXPORT_SUFFIXES = (".gpkg", ".geojson", ".csv")


class Mode(Enum):
    """How new rows combine with the selection: replace it, add to it (Shift), toggle them (Ctrl)."""

    REPLACE = "replace"
    ADD = "add"
    TOGGLE = "toggle"


class Selections:
    """The selected rows of each layer. Event ``changed(layer)``: its selection changed."""

    def __init__(self) -> None:
        self._rows: dict[int, tuple[Layer[Any], np.ndarray]] = {}
        self.changed = Event("changed")

    def rows(self, layer: Layer[Any]) -> np.ndarray:
        """(k,) sorted int64 rows of ``layer`` selected (empty when none)."""
        kept = self._rows.get(id(layer))
        return kept[1] if kept is not None and kept[0] is layer else np.zeros(0, np.int64)

    def select(self, layer: Layer[Any], rows: np.ndarray | list[int], mode: Mode = Mode.REPLACE) -> None:
        """Combine ``rows`` with ``layer``'s selection as ``mode`` says; emits ``changed`` if it
        changed."""
        new = np.unique(np.asarray(rows, dtype=np.int64))
        old = self.rows(layer)
        if mode is Mode.ADD:
            new = np.union1d(old, new)
        elif mode is Mode.TOGGLE:
            new = np.setxor1d(old, new)
        if np.array_equal(new, old):
            return
        if len(new):
            self._rows[id(layer)] = (layer, new)
        else:
            self._rows.pop(id(layer), None)
        self.changed.emit(layer)

    def clear(self, layer: Layer[Any]) -> None:
        self.select(layer, np.zeros(0, np.int64))

    def forget(self, layer: Layer[Any]) -> None:
        """Drop ``layer``'s selection without telling anyone (the layer left the scene)."""
        self._rows.pop(id(layer), None)


def export_rows(
    frame: Any, rows: np.ndarray, path: str | Path, extra: dict[str, np.ndarray] | None = None
) -> Path:
    """Write rows ``rows`` of ``frame`` (a GeoDataFrame in the scene CRS) to ``path``: GeoPackage,
    GeoJSON (reprojected to WGS 84, as the format requires) or CSV (the geometry as WKT), replaced
    whole through :mod:`layers.io.atomic`. ``extra``: more columns, one value per row of ``frame``
    (a building's ``height_m``). Returns the path."""
    import geopandas as gpd

    from layers.io.atomic import atomic_write_text, replacing

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise ValueError(f"cannot write {path.name}: choose .gpkg, .geojson or .csv")
    picked = gpd.GeoDataFrame(frame.iloc[np.asarray(rows, dtype=np.int64)].copy())
    for name, values in (extra or {}).items():
        picked[name] = np.asarray(values)[rows]
    for name in picked.columns:  # dates and odd objects as text: every format takes them
        if name != picked.geometry.name and picked[name].dtype == object:
            picked[name] = picked[name].map(lambda v: None if v is None else str(v))
    if suffix == ".csv":
        table = picked.drop(columns=picked.geometry.name)
        table["wkt"] = picked.geometry.to_wkt()
        atomic_write_text(path, table.to_csv(index=False))
        return path
    if suffix == ".geojson" and picked.crs is not None:
        picked = picked.to_crs(4326)
    with replacing(path) as temp:
        if suffix == ".gpkg":  # the table named after the file, not after its temporary name
            picked.to_file(temp, driver="GPKG", layer=re.sub(r"\W+", "_", path.stem) or "selection")
        else:
            picked.to_file(temp, driver="GeoJSON", RFC7946="YES", WRITE_NAME="NO")
    return path
