"""The base of every layer: a name, a source, a CRS, display properties and their events.

A layer is model only. It holds its data in the scene CRS (after :meth:`Layer.reproject`), answers
questions about it (bounds, attributes of a feature, values at a time) and emits one event per
display property so the viewer can follow. It knows nothing of VTK or Qt.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.events import Event


class Layer:
    """Common state of all layers.

    Parameters
    ----------
    name
        Shown in the layer panel and legends.
    source
        The file the layer was read from (``None`` for computed layers).
    crs
        CRS of the layer's coordinates as held in memory.
    style
        Display options specific to the kind (``color_by``, ``cmap``...), saved in the project.

    Events
    ------
    visible_changed(bool), opacity_changed(float), style_changed(key, value)
    """

    #: the kind name, the same in layers/, viewer/visuals/ and desktop/controls/
    kind: ClassVar[str] = "layer"
    #: True for layers answering ``values_at(t)``
    time_aware: ClassVar[bool] = False

    def __init__(
        self,
        name: str,
        *,
        source: str | Path | None = None,
        crs: CRS | None = None,
        style: dict[str, Any] | None = None,
        attribution: str | None = None,
    ) -> None:
        self.name = name
        self.source = Path(source) if source is not None else None
        self.crs = crs
        self.style: dict[str, Any] = dict(style or {})
        #: the credit line for this layer's data, e.g. "Source : IGN – BD TOPO"
        self.attribution = attribution
        #: what was repaired, defaulted or skipped while loading, in user words
        self.warnings: list[str] = []
        #: the options the layer was loaded with (saved in the project, e.g. ``height_field``)
        self.options: dict[str, Any] = {}
        #: the id of this layer in the project file
        self.project_id: str | None = None
        self._visible = True
        self._opacity = 1.0
        self.visible_changed = Event("visible_changed")
        self.opacity_changed = Event("opacity_changed")
        self.style_changed = Event("style_changed")

    # -- display properties ---------------------------------------------------------------
    @property
    def visible(self) -> bool:
        return self._visible

    @visible.setter
    def visible(self, value: bool) -> None:
        value = bool(value)
        if value != self._visible:
            self._visible = value
            self.visible_changed.emit(value)

    @property
    def opacity(self) -> float:
        return self._opacity

    @opacity.setter
    def opacity(self, value: float) -> None:
        value = min(max(float(value), 0.0), 1.0)
        if value != self._opacity:
            self._opacity = value
            self.opacity_changed.emit(value)

    def set_style(self, key: str, value: Any) -> None:
        """Change one style option and tell the viewer."""
        if self.style.get(key) != value:
            self.style[key] = value
            self.style_changed.emit(key, value)

    # -- geometry --------------------------------------------------------------------------
    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) in :attr:`crs`."""
        raise NotImplementedError

    def focus_points(self):
        """Representative points (n, 2) of the features, for framing the view; ``None`` if none.

        Layers holding a GeoDataFrame ``frame`` give the centres of their features' boxes.
        """
        frame = getattr(self, "frame", None)
        if frame is None or len(frame) == 0:
            return None
        import numpy as np
        import shapely

        boxes = shapely.bounds(frame.geometry.values)
        return np.column_stack([(boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2])

    def reproject(self, crs: CRS) -> None:
        """Move the layer's coordinates into ``crs`` (the scene CRS)."""
        raise NotImplementedError

    def prepare(self) -> None:
        """Precompute what the viewer will ask for (meshes...), so that it can run off the GUI thread."""

    # -- time ------------------------------------------------------------------------------
    def time_range(self) -> tuple[datetime, datetime] | None:
        """First and last time of a time-aware layer, ``None`` otherwise."""
        return None

    # -- description -----------------------------------------------------------------------
    def feature_count(self) -> int:
        return 0

    def describe(self) -> dict[str, Any]:
        """What ``maquette info`` prints for this layer (JSON-ready)."""
        info: dict[str, Any] = {
            "kind": self.kind,
            "name": self.name,
            "crs": crs_util.label(self.crs),
            "features": self.feature_count(),
        }
        try:
            info["bounds"] = [round(float(v), 3) for v in self.bounds()]
        except NotImplementedError:
            pass
        rng = self.time_range()
        if rng is not None:
            info["time_range"] = [rng[0].isoformat(), rng[1].isoformat()]
        if self.attribution:
            info["attribution"] = self.attribution
        if self.warnings:
            info["warnings"] = list(self.warnings)
        return info

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} ({self.kind})>"
