"""What every visual does: own its actors, follow its layer's events, give legends and picks.

A visual turns one layer into one actor (or a handful: e.g. routes + stops + vehicles). It never
creates one actor per feature. Geometry arrives in real scene-CRS metres and is shifted by the scene
origin before it becomes float32 in VTK.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import numpy as np
import pyvista as pv
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkDataSetMapper,
    vtkMapper,
    vtkPolyDataMapper,
    vtkProp,
)

from layers.core.base import Layer

from ..drape import drape

if TYPE_CHECKING:
    from matplotlib.typing import ColorType
    from vtkmodules.vtkCommonCore import vtkLookupTable
    from vtkmodules.vtkCommonDataModel import vtkAbstractCellLocator

    from ..context import ViewContext
    from ..legends import Legend

#: polygon offset *factors* by role: flat layers lying on the ground are pulled towards the camera
#: by this many times the depth one screen pixel of their surface spans (VTK scales the factor by
#: the fragment's depth slope), so draw order holds at any distance and any tilt while a wall or a
#: roof in front still wins (the pull is about one pixel). No constant *units*: VTK applies them as
#: 1/65000 of the depth range, which is hundreds of metres at a kilometre and drew the overlays
#: over the buildings. Looking straight down the slope is 0: the few-centimetre lifts of
#: :data:`GROUND_Z` separate the layers there, and the depth range is then tight.
DEPTH_PULL = {
    "ground": 1.0,
    "terrain": 0.0,
    "basemap": -0.1,
    "vector": -0.25,
    "raster": -0.5,
    "heat": -0.6,
    "noise": -0.75,
    "streets": -1.0,
    "transit": -1.25,
    "facade": -1.0,
}

#: heights (m) of flat overlays above the ground plane, by role, so they never z-fight
GROUND_Z = {
    "ground": -0.05,
    "terrain": 0.0,
    "basemap": 0.02,
    "vector": 0.05,
    "raster": 0.15,
    "heat": 0.2,
    "noise": 0.25,
    "streets": 0.35,
    "transit": 0.5,
}


#: layer class → the visual drawing it (filled by :meth:`Visual.__init_subclass__`)
_VISUALS: dict[type[Layer[Any]], type[Visual[Any]]] = {}

LayerT = TypeVar("LayerT", bound=Layer[Any])


def registered_visual(layer_class: type[Layer[Any]]) -> type[Visual[Any]] | None:
    """The visual registered for ``layer_class`` or its closest ancestor, ``None`` if none."""
    for klass in layer_class.__mro__:
        if klass in _VISUALS:
            return _VISUALS[klass]
    return None


#: the rows selected (attribute table, a rectangle on the view), drawn over a layer
SELECTION_COLOR = "#ffc21a"


class Visual(Generic[LayerT]):
    """Base class of the per-kind visuals (``viewer/visuals/<kind>.py``).

    A subclass names the layer class it draws in :attr:`layer_type`; defining it registers it
    (:func:`viewer.visuals.visual_class`). It draws in the view it is given, which it sees as a
    :class:`~viewer.context.ViewContext`.
    """

    #: the layer class this visual draws (its kind's class, or a variant of it)
    layer_type: ClassVar[type[Layer[Any]]]
    kind: ClassVar[str] = ""
    #: flat overlays are unlit so that their colours match their legend exactly
    unlit: ClassVar[bool] = False
    #: the flat overlay's role in :data:`GROUND_Z` (which one is on top, for the value probe);
    #: ``""`` for solids and visuals with no value under a point
    z_role: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "layer_type" in cls.__dict__:
            _VISUALS[cls.layer_type] = cls

    def __init__(self, layer: LayerT, view: ViewContext) -> None:
        self.layer = layer
        self.view = view
        self.actors: list[vtkProp] = []
        layer.visible_changed.connect(self._on_visible)
        layer.opacity_changed.connect(self._on_opacity)
        layer.style_changed.connect(self._on_style)

    # -- life cycle --------------------------------------------------------------------------
    def build(self) -> None:
        """Create the actors (called once, on the GUI or render thread)."""
        raise NotImplementedError

    def rebuild(self) -> None:
        """Drop and recreate the actors (after a style change that needs new geometry)."""
        self.remove_actors()
        self.build()
        self.view.legends_changed()

    def remove_actors(self) -> None:
        for actor in self.actors:
            self.view.renderer.remove_actor(actor, render=False)
        self.actors = []

    def dispose(self) -> None:
        """Remove the actors and stop listening to the layer."""
        self.remove_actors()
        self.layer.visible_changed.disconnect(self._on_visible)
        self.layer.opacity_changed.disconnect(self._on_opacity)
        self.layer.style_changed.disconnect(self._on_style)

    def actors_without(self, rows: np.ndarray) -> list[vtkProp] | None:
        """New actors drawing this layer as it is now less the features of ``rows`` (the layer's
        rows), for the "after" side of a comparison; not added to any renderer (``[]`` when nothing
        is left). A visual that cannot leave features out returns ``None``."""
        return None

    # -- helpers for subclasses --------------------------------------------------------------
    def local(self, points: np.ndarray) -> np.ndarray:
        """Scene CRS metres (n, 2|3) → origin-relative float32 (n, 3) for VTK."""
        return self.view.to_local(points)

    def add_polydata(
        self,
        mesh: pv.DataSet,
        *,
        lut: vtkLookupTable | None = None,
        scalars: str | None = None,
        color: ColorType | None = None,
        cell_scalars: bool = True,
        rgb: bool = False,
        lit: bool | None = None,
        pickable: bool = True,
        depth_role: str | None = None,
        **props: Any,
    ) -> vtkActor:
        """Add ``mesh`` as one actor, coloured by ``scalars`` through ``lut``, or by ``color``.

        ``rgb``: the scalars are colours (uint8 RGB / RGBA) used as they are. ``props``: VTK
        property setters without their ``Set`` (``Ambient=0.3``).
        """
        if (
            (self.unlit if lit is None else not lit)
            and self.view.scene.terrain() is not None
            and self.kind != "terrain"
        ):
            mesh = drape(mesh, self.view)  # a flat overlay lies on the terrain
        mapper = _mapper_of(mesh)
        apply_depth_pull(mapper, depth_role or (self.kind if self.unlit else None))
        if scalars is not None:
            if cell_scalars:
                mapper.SetScalarModeToUseCellFieldData()
            else:
                mapper.SetScalarModeToUsePointFieldData()
            mapper.SelectColorArray(scalars)
            mapper.ScalarVisibilityOn()
            if rgb:
                mapper.SetColorModeToDirectScalars()
            else:
                mapper.SetColorModeToMapScalars()
                mapper.SetLookupTable(lut)
                mapper.UseLookupTableScalarRangeOn()
        else:
            mapper.ScalarVisibilityOff()
        actor = vtkActor()
        actor.SetMapper(mapper)
        prop = actor.GetProperty()
        if color is not None:
            from ..colors import rgb as to_rgb

            prop.SetColor(*to_rgb(color))
        unlit = self.unlit if lit is None else not lit
        if unlit:
            prop.LightingOff()
            prop.SetAmbient(1.0)
            prop.SetDiffuse(0.0)
            prop.SetSpecular(0.0)
        for name, value in props.items():
            getattr(prop, f"Set{name}")(value)
        actor.SetPickable(pickable)
        self.add_actor(actor)
        return actor

    def add_actor(self, actor: vtkProp) -> vtkProp:
        """Register ``actor`` with the plotter, applying the layer's visibility and opacity."""
        actor.SetVisibility(self.layer.visible)
        self._apply_opacity(actor, self.layer.opacity)
        self.view.renderer.add_actor(actor, reset_camera=False, render=False, pickable=actor.GetPickable())
        self.actors.append(actor)
        return actor

    # -- layer events ------------------------------------------------------------------------
    def _on_visible(self, visible: bool) -> None:
        for actor in self.actors:
            actor.SetVisibility(visible)
        self.view.legends_changed()
        self.view.request_render()

    def _on_opacity(self, opacity: float) -> None:
        for actor in self.actors:
            self._apply_opacity(actor, opacity)
        self.view.request_render()

    def _on_style(self, changed: frozenset[str]) -> None:
        self.rebuild()
        self.view.request_render()

    @staticmethod
    def _apply_opacity(actor: vtkProp, opacity: float) -> None:
        prop = actor.GetProperty() if hasattr(actor, "GetProperty") else None
        if prop is not None and hasattr(prop, "SetOpacity"):
            prop.SetOpacity(opacity)

    # -- what the scene view asks ------------------------------------------------------------
    def set_time(self, t: datetime) -> None:
        """Follow the clock (time-aware visuals update their scalars in place)."""

    def legends(self) -> list[Legend]:
        """The legends to show while the layer is visible."""
        return []

    def pick_cell(self, actor: vtkProp, cell_id: int) -> int | None:
        """The feature index under a picked cell of one of this visual's actors."""
        return None

    def pick_points(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Points (n, 3) origin-relative and their feature indices, for picking by screen distance."""
        return None

    def pick_locators(self) -> Sequence[vtkAbstractCellLocator]:
        """Cell locators of large meshes, given to the picker so that a pick searches a few cells."""
        return []

    def attributes(self, index: int) -> dict[str, Any]:
        """The attributes the inspector shows for feature ``index``."""
        return dict(self.layer.attributes(index))

    def probe(self, x: float, y: float) -> str | None:
        """The value under (x, y) in scene CRS metres as the status bar writes it (``"Lden 67.3
        dB(A)"``); ``None`` where there is none or for visuals without values (the default)."""
        return None

    def set_detail(self, full: bool) -> None:
        """Full meshes (``True``) or light stand-ins while the camera moves (``viewer/lod.py``);
        visuals light enough to move at full detail ignore it (the default)."""

    def ground_offset(self, index: int) -> float:
        """Metres between the scene's ground reference and the ground under feature ``index`` (a
        building standing on a terrain); 0 for flat layers (the default)."""
        return 0.0

    def highlight(self, index: int | None) -> None:
        """Show feature ``index`` as selected (``None`` clears)."""

    def highlight_rows(self, rows: np.ndarray | None) -> None:
        """Show the rows ``rows`` of the layer's frame as the selection, in one actor (``None``
        clears); visuals without per-row features ignore it (the default)."""

    def triangle_count(self) -> int:
        total = 0
        for actor in self.actors:
            mapper = actor.GetMapper() if hasattr(actor, "GetMapper") else None
            data = mapper.GetInput() if mapper is not None else None
            if data is not None and hasattr(data, "GetNumberOfPolys"):
                total += data.GetNumberOfPolys()
        return total


def _mapper_of(mesh: pv.DataSet) -> vtkMapper:
    """A mapper drawing ``mesh``: a polydata mapper for surfaces and lines, else a dataset mapper."""
    if isinstance(mesh, pv.PolyData):
        surface = vtkPolyDataMapper()
        surface.SetInputData(mesh)
        return surface
    dataset = vtkDataSetMapper()
    dataset.SetInputData(mesh)
    return dataset


def apply_depth_pull(mapper: vtkMapper, role: str | None) -> None:
    """Give a mapper the polygon offset factor of its role in :data:`DEPTH_PULL` (none for solid 3D)."""
    mapper.SetResolveCoincidentTopologyToPolygonOffset()
    if role in DEPTH_PULL:
        mapper.SetRelativeCoincidentTopologyPolygonOffsetParameters(DEPTH_PULL[role], 0.0)


def triangles_polydata(points: np.ndarray, triangles: np.ndarray) -> pv.PolyData:
    """A PolyData of triangles from (P, 3) float32 points and (T, 3) indices."""
    if len(triangles) == 0:
        return pv.PolyData()
    # plain ndarrays: PyVista's hints ask for Python float / int dtypes, VTK takes float32 / int64
    vertices: np.ndarray = np.ascontiguousarray(points, dtype=np.float32)
    faces: np.ndarray = np.asarray(triangles, dtype=np.int64)
    return pv.PolyData.from_regular_faces(vertices, faces)
