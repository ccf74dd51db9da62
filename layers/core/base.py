"""The contract of every layer: an abstract base and the small protocols some kinds add.

A layer is model only. It holds its data in the scene CRS (after :meth:`Layer.reproject`), answers
questions about it (bounds, attributes of a feature, values at a time) and emits one event per
display property so the viewer can follow. It knows nothing of VTK or Qt.

Each kind subclasses :class:`Layer` with its own typed style (``layers/<kind>/style.py``) and is
declared in its package (``layers/<kind>/__init__.py``, see :mod:`layers.core.kinds`). The viewer
draws it with the visual registered for its class, the desktop shows the controls registered for
it; both are typed against the kind's own class, so they use its attributes directly. Code that
handles layers of any kind asks the protocols below (``isinstance(layer, Searchable)``), never
``hasattr``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar, cast, runtime_checkable

from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.events import Event
from layers.core.style import LayerStyle

if TYPE_CHECKING:
    import numpy as np
    from geopandas import GeoDataFrame

    from layers.io.grid import Grid

StyleT = TypeVar("StyleT", bound=LayerStyle)

#: (xmin, ymin, xmax, ymax) in a layer's CRS, metres in the scene CRS
Bounds = tuple[float, float, float, float]


class Layer(ABC, Generic[StyleT]):
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
        The kind's display options: its :attr:`style_class`, or their JSON form (checked).
    attribution
        The credit line of the data ("Source : IGN – BD TOPO").

    Events
    ------
    visible_changed(bool), opacity_changed(float), style_changed(frozenset of field names),
    options_changed(): a load option saved in the project changed (a heat map's reference logger)
    geometry_changed(ids): the features changed in place (:attr:`revision` bumped); ``ids`` are the
    features concerned (a frozenset of ids), or ``None`` for all
    """

    #: the kind name, the same in layers/<kind>/, viewer/visuals/<kind>.py and desktop/controls/<kind>.py
    kind: ClassVar[str] = "layer"
    #: the kind's style dataclass
    style_class: ClassVar[type[LayerStyle]] = LayerStyle
    #: True for layers answering ``values_at(t)`` (:class:`TimeAware`)
    time_aware: ClassVar[bool] = False

    def __init__(
        self,
        name: str,
        *,
        source: str | Path | None = None,
        crs: CRS | None = None,
        style: StyleT | Mapping[str, Any] | None = None,
        attribution: str | None = None,
    ) -> None:
        self.name = name
        self.source = Path(source) if source is not None else None
        self.crs = crs
        self._style: StyleT = self._checked_style(style)
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
        self.options_changed = Event("options_changed")
        #: bumped when the features change in place (a planned project being shaped): what a
        #: cache of the layer's geometry (its visual, the view's shadows) compares
        self.revision = 0
        self.geometry_changed = Event("geometry_changed")

    # -- reading -------------------------------------------------------------------------------
    @classmethod
    @abstractmethod
    def load(cls, path: str | Path, **options: Any) -> Layer[Any]:
        """Read ``path``; :class:`~layers.core.errors.InputError` (file, feature, field, what was
        expected) for bad input, never a raw GDAL / pandas exception. ``options``: ``name``,
        ``crs`` (overrides a missing or wrong CRS), ``style`` and the kind's own options, kept in
        :attr:`options` so that they survive a save."""

    @classmethod
    def accepts(cls, path: Path) -> bool:
        """Whether this class, a variant of its kind, reads ``path`` rather than the kind's main
        class (a CityJSON model among buildings); see :class:`layers.core.kinds.Kind`."""
        return False

    # -- display properties ----------------------------------------------------------------------
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

    @property
    def style(self) -> StyleT:
        """The display options (a frozen dataclass: change them with :meth:`update_style`)."""
        return self._style

    def update_style(self, **changes: Any) -> None:
        """Change style fields (checked: :class:`~layers.core.style.StyleError` for a wrong value)
        and tell the viewer which changed."""
        self._set_style(self._style.replace(source=self.source, **changes))

    def apply_style(self, data: Mapping[str, Any]) -> None:
        """Apply the JSON form of (some of) a style, as a project or a story step writes it: known
        keys checked, unknown ones kept."""
        known, extra = self._style.split_known(data)
        style = self._style.replace(source=self.source, **known)
        if extra:
            style = style.with_extra(extra)
        self._set_style(style)

    def replace_style(self, style: StyleT) -> None:
        """Put back a whole style (one kept earlier: styles are immutable values)."""
        self._set_style(self._checked_style(style))

    def _set_style(self, style: StyleT) -> None:
        changed = self._style.changed_fields(style)
        self._style = style
        if changed:
            self.style_changed.emit(changed)

    def _checked_style(self, style: StyleT | Mapping[str, Any] | None) -> StyleT:
        if isinstance(style, LayerStyle):
            if not isinstance(style, self.style_class):
                raise TypeError(f"{type(self).__name__} takes a {self.style_class.__name__}")
            return style
        return cast(StyleT, self.style_class.from_dict(style, source=self.source))

    # -- geometry ----------------------------------------------------------------------------
    @abstractmethod
    def bounds(self) -> Bounds:
        """(xmin, ymin, xmax, ymax) in :attr:`crs`."""

    @abstractmethod
    def reproject(self, crs: CRS) -> None:
        """Move the layer's coordinates into ``crs`` (the scene CRS)."""

    def focus_points(self) -> np.ndarray | None:
        """Representative points (n, 2) of the features, for framing the view; ``None`` if none.

        Layers holding features (:class:`HasFrame`) give the centres of their features' boxes.
        """
        if not isinstance(self, HasFrame) or len(self.frame) == 0:
            return None
        import numpy as np
        import shapely

        boxes = shapely.bounds(self.frame.geometry.values)
        return np.column_stack([(boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2])

    def prepare(self) -> None:
        """Precompute what the viewer will ask for (meshes...), so that it can run off the GUI thread."""

    # -- time ----------------------------------------------------------------------------------
    def time_range(self) -> tuple[datetime, datetime] | None:
        """First and last time of a time-aware layer, ``None`` otherwise."""
        return None

    # -- description -------------------------------------------------------------------------
    @abstractmethod
    def feature_count(self) -> int:
        """How many features (or pixels with data) the layer holds, as users count them."""

    def attributes(self, index: int) -> dict[str, Any]:
        """What the inspector shows for feature ``index`` (as the visual's picks number them)."""
        return {}

    def describe(self) -> dict[str, Any]:
        """What ``maquette info`` prints for this layer (JSON-ready)."""
        info: dict[str, Any] = {
            "kind": self.kind,
            "name": self.name,
            "crs": crs_util.label(self.crs),
            "features": self.feature_count(),
        }
        info["bounds"] = [round(float(v), 3) for v in self.bounds()]
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


# -- protocols: what some kinds add ------------------------------------------------------------
@runtime_checkable
class HasFrame(Protocol):
    """Layers of features: ``frame`` holds one row per feature (or part), geometry in the scene CRS."""

    frame: GeoDataFrame


@runtime_checkable
class TimeAware(Protocol):
    """Layers whose values follow the clock; they never own time."""

    def values_at(self, t: datetime | int) -> Any: ...

    def time_range(self) -> tuple[datetime, datetime] | None: ...


@runtime_checkable
class SuggestsTime(Protocol):
    """Time-aware layers without dates (a timetable, a typical day): the range the clock replays
    until a layer with real dates arrives (some also say where it starts: :class:`SuggestsStart`)."""

    def suggested_range(self) -> tuple[datetime, datetime] | None: ...


@runtime_checkable
class SuggestsStart(Protocol):
    """Layers without dates that also say where the clock starts in their suggested range (a
    timetable: the morning rush)."""

    def suggested_time(self) -> datetime | None: ...


@runtime_checkable
class Probeable(Protocol):
    """Layers with a value under any point (a raster, a surface): for the cursor read-out."""

    def attributes_at(self, x: float, y: float) -> dict[str, Any] | None: ...


@runtime_checkable
class Searchable(Protocol):
    """Layers whose features can be found by their attributes (the search dock)."""

    def find(self, query: str, limit: int = 20) -> list[Any]: ...

    def feature_bounds(self, row: int) -> Bounds: ...


@runtime_checkable
class HasGrid(Protocol):
    """Raster layers: a north-up grid in the scene CRS and the unit of its values."""

    grid: Grid | None
    unit: str | None


@runtime_checkable
class HasElevation(Protocol):
    """A terrain: the altitude of its ground in metres, on a grid in the scene CRS.

    ``surface_model``: the altitude of roofs and tree tops rather than of the ground (an MNS/DSM),
    the scene's ground only when it has no other terrain."""

    grid: Grid | None

    @property
    def surface_model(self) -> bool:
        """True for roofs and tree tops (an MNS/DSM) rather than the bare ground."""
        ...

    def elevation_range(self) -> tuple[float, float] | None:
        """(lowest, highest) ground altitude, metres; ``None`` when no pixel has data."""
        ...

    def height_at(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        """Ground altitude (m) under points (x, y) in scene CRS metres (bilinear; NaN outside)."""
        ...


@runtime_checkable
class HasStats(Protocol):
    """Layers that account for what loading kept, repaired and left out (``--json``'s figures):
    ``stats`` holds ``features_in``, ``dropped``, ``dropped_reasons`` ``{reason: count}``,
    ``repaired`` and ``heights_defaulted`` counts (and examples of each)."""

    stats: dict[str, Any]


@runtime_checkable
class CastsShadows(Protocol):
    """Layers that shade the ground (buildings, trees, canopy): their shadow casters as vertical
    prisms, for the shade and sunlight studies and the 3D view's ground shadows.

    A prism is a footprint (a shapely Polygon in the layer's CRS, metres when it is the scene's)
    raised from ``base_m`` to ``top_m`` above the ground: a building part from its foot (or its
    overhang's underside) to its roof, a tree's crown from the bottom of its crown to its top.
    """

    def shadow_prisms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(polygons, base_m, top_m)``: (n,) Polygons in :attr:`Layer.crs` and (n,) floats, metres
        above the ground; empty arrays when the layer has nothing to cast."""
        ...


@runtime_checkable
class HasQuantity(Protocol):
    """Layers that say what their values measure (``"air temperature"``, ``"sunlight hours"``...)."""

    quantity: str


@runtime_checkable
class SurfaceAtTime(Protocol):
    """Raster layers computed for a time from point readings (air temperature interpolated from
    loggers): the surface at any time without moving the one shown."""

    @property
    def show(self) -> str:
        """What the surface shows (``"temperature"``, or ``"uhi"``: the difference to a reference)."""
        ...

    @property
    def display_quantity(self) -> str:
        """The quantity of the surface shown (``"air temperature"``, ``"heat island intensity"``)."""
        ...

    def surface_at(self, t: datetime | int, show: str = ...) -> np.ndarray:
        """(rows, cols) float32 surface at ``t`` (NaN where no value), on the layer's grid."""
        ...
