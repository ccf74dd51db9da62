"""A streamed store's buildings: the tiles the camera needs, read and meshed in the background.

Before each render (the renderer's ``StartEvent``) the visual works out the ground the camera sees
(:func:`viewer.visuals.basemap.ground_footprint`) and asks the layer which tiles to draw
(:meth:`layers.streamed.layer.StreamedBuildingsLayer.choose_tiles`: footprints near, merged blocks
far). Tiles not drawn yet are read and meshed on the visual's own worker threads (a
:class:`~concurrent.futures.ThreadPoolExecutor`, shut down with the visual); what they produce waits
in a list until the next ``StartEvent`` adds it on the drawing thread, one actor per tile; tiles
asked for by a view the camera has left and not started yet are cancelled. Workers
never draw: they set :attr:`StreamedVisual.arrived`, which the window polls
(:func:`arrivals_waiting`) to draw again. A tile of the previous view stays visible only where a tile
of the new one is still being read (no holes while flying, no double drawing once it is there);
tiles the layer's memory dropped lose their actor.

In batch (an export, the command line: the view does not render by itself) the tiles in view are
read at once, before drawing, so the picture holds them.

Colours and filter are the buildings kind's (:mod:`viewer.visuals.buildings`): by height over the
store's height range, or by usage with the categorical palette over the usages of the whole store
(:meth:`~layers.streamed.layer.StreamedBuildingsLayer.usage_counts`), so a tile arriving never
changes the legend; the style's filter is applied to each tile as it is meshed (tiles loading later
included): filtered-out buildings are left out of the tile's actor (not drawn, not picked), or drawn
greyed in a second, unpickable actor.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from vtkmodules.vtkRenderingCore import vtkActor, vtkProp

from layers.buildings.style import DEFAULT_COLOR
from layers.core.base import Layer
from layers.streamed.layer import SERIAL_SHIFT, StreamedBuildingsLayer
from layers.streamed.memory import LoadedTile, TileKey

from ..caster_tables import CasterTable, Key, caster_key
from ..colors import continuous_lut
from ..labels import field_title
from ..legends import Legend
from .base import Visual, triangles_polydata
from .basemap import ground_footprint
from .buildings import GREYED_COLOR, GREYED_OPACITY, category_lut, numeric_limits

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pyvista as pv
    from vtkmodules.vtkCommonCore import vtkLookupTable

#: worker threads reading tiles, per visual: two, one on a two-core machine (the renderer needs one)
WORKERS = 2 if (os.cpu_count() or 1) > 2 else 1


@dataclass
class _Meshed:
    """A tile ready to draw: its polydata (origin-relative float32) and the row of each cell; the
    filtered-out buildings' polydata when they are drawn greyed."""

    key: TileKey
    serial: int
    poly: pv.PolyData
    owner: np.ndarray
    grey: pv.PolyData | None = None


class StreamedVisual(Visual[StreamedBuildingsLayer]):
    """The tiles of a store the camera needs (see the module docstring)."""

    layer_type: ClassVar[type[Layer[Any]]] = StreamedBuildingsLayer
    kind = "streamed"

    def build(self) -> None:
        #: actor, row of each cell and serial of each tile drawn
        self.tile_actors: dict[TileKey, tuple[vtkActor, np.ndarray, int]] = {}
        #: the greyed filtered-out buildings of each tile drawn (filter mode "grey")
        self.grey_actors: dict[TileKey, vtkActor] = {}
        #: the tiles the last view asked for
        self.wanted: list[TileKey] = []
        self.arrived = threading.Event()
        self._lock = threading.Lock()
        self._ready: list[_Meshed] = []
        self._pending: dict[TileKey, Future[None]] = {}
        self._failed: set[TileKey] = set()
        self._executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="maquette-tiles")
        self.lut: vtkLookupTable | None = None
        self._legend: Legend | None = None
        #: the lookup table entry of each usage (colour by usage)
        self._usage_entry: dict[str, float] | None = None
        style = self.layer.style
        if style.color_by == "height_m":
            clim = style.clim or numeric_limits(np.array(self.layer.height_range()))
            self.lut = continuous_lut(style.cmap, clim)
            self._legend = Legend(field_title("height_m", "m", self.view.language), self.lut)
        elif style.color_by == "usage":
            counts = self.layer.usage_counts()
            names = np.array(list(counts), dtype=object)
            everywhere = np.array(list(counts.values()), dtype=np.int64)
            lookup, self.lut = category_lut(names, everywhere, everywhere)
            self._usage_entry = dict(zip(counts, lookup.tolist(), strict=True))
            title = field_title("usage", "", self.view.language)
            self._legend = Legend(title, self.lut, categorical=True)
        #: the tiles whose buildings cast the view's shadows (the layer's revision counts them)
        self._casting: frozenset[TileKey] = frozenset()
        #: the caster table being made on a worker, and the one made (see :meth:`_follow_casters`)
        self._caster_job: Future[None] | None = None
        self._caster_table: list[CasterTable | None] = []
        self._observer = self.view.renderer.AddObserver("StartEvent", lambda *_: self.follow_camera())

    def remove_actors(self) -> None:
        self.view.renderer.RemoveObserver(self._observer)
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.tile_actors = {}
        self._pending = {}
        with self._lock:
            self._ready = []
        super().remove_actors()

    # -- following the camera ------------------------------------------------------------------
    def follow_camera(self) -> None:
        """Draw what arrived, ask for what the view needs (at once in batch), drop what left."""
        if not self.layer.visible:
            return
        wanted = self._wanted()
        if wanted is None:
            return
        self.wanted = wanted
        self.layer.memory.touch(wanted)
        if not self.view.auto_render:
            for key in wanted:
                if key not in self.tile_actors and key not in self._failed:
                    self._load(key, self._ready)
        self._show_arrivals()
        for key, future in list(self._pending.items()):
            if key not in wanted and future.cancel():  # the view moved on before it was read
                del self._pending[key]
        for key in wanted:
            if key not in self.tile_actors and key not in self._pending and key not in self._failed:
                self._pending[key] = self._executor.submit(self._load, key, self._ready)
        wanted_set = set(wanted)
        missing = [
            self.layer.tile_bounds(k) for k in wanted if k not in self.tile_actors and k not in self._failed
        ]
        memory = set(self.layer.memory.keys())
        for key, (actor, _, _) in list(self.tile_actors.items()):
            if key not in memory and key not in wanted_set:
                self._drop(key)
                continue
            # a tile left behind stays drawn only where a wanted one is still being read
            keep = key in wanted_set or _overlaps(self.layer.tile_bounds(key), missing)
            actor.SetVisibility(self.layer.visible and keep)
            if key in self.grey_actors:
                self.grey_actors[key].SetVisibility(self.layer.visible and keep)
        self._follow_casters()

    def _follow_casters(self) -> None:
        """When the level-0 tiles loaded changed, the layer's shadow casters did: its revision is
        bumped (:func:`viewer.caster_tables.caster_key`) and, while the view shows shadows, their
        table is made on a worker thread (at once in batch), then handed to the view, which draws
        the ground shadows with it: no stall of the drawing thread. One table is made at a time,
        for all the tiles that arrived meanwhile."""
        with self._lock:
            made = self._caster_table[:1]
            self._caster_table.clear()
        if made:
            self._caster_job = None
            self.view.casters_ready(self.layer, made[0])
        if self._caster_job is not None:
            return
        casting = self.layer.casting_tiles()
        if casting == self._casting:
            return
        self._casting = casting
        self.layer.revision += 1
        if not self.view.shadows_shown():
            return  # the revision bumped: the view makes the table when shadows are turned on
        key = caster_key(self.layer)
        if not self.view.auto_render:
            self.view.casters_ready(self.layer, self._make_casters(key))
            return
        self._caster_job = self._executor.submit(self._cast_on_worker, key)

    def _make_casters(self, key: Key) -> CasterTable | None:
        scene = self.view.scene
        if scene.crs is None:
            return None
        return CasterTable.of(self.layer, key, scene.crs, scene.timezone)

    def _cast_on_worker(self, key: Key) -> None:
        try:
            table = self._make_casters(key)
        except Exception as exc:  # noqa: BLE001 - the view keeps its last shadows
            note = f"shadows of the loaded tiles could not be made: {exc}"
            if note not in self.layer.warnings:
                self.layer.warnings.append(note)
            table = None
        with self._lock:
            self._caster_table.append(table)
        self._arrived()

    def _wanted(self) -> list[TileKey] | None:
        origin = self.view.scene.origin
        seen = ground_footprint(self.view.renderer, self.view.frame_size())
        if seen is None or origin is None:
            return None
        (xmin, ymin, xmax, ymax), pixel_m = seen
        world = (xmin + origin[0], ymin + origin[1], xmax + origin[0], ymax + origin[1])
        camera = self.view.renderer.GetActiveCamera()
        eye = self.view.to_world(np.array(camera.GetPosition()))
        return self.layer.choose_tiles(world, pixel_m, eye, float(camera.GetDistance()))

    def _load(self, key: TileKey, ready: list[_Meshed]) -> None:
        """Read and mesh tile ``key`` into ``ready`` (a worker thread, or the drawing thread in
        batch); ``ready`` is the list of the build that asked, so a tile meshed for a style since
        replaced is never shown."""
        try:
            tile = self.layer.load_tile(key)
            meshed = self._meshed(tile)
        except Exception as exc:  # noqa: BLE001 - one unreadable tile must not stop the others
            self._failed.add(key)
            note = f"tile {key[1]} of level {key[0]} could not be read: {exc}"
            if note not in self.layer.warnings:
                self.layer.warnings.append(note)
            self._arrived()
            return
        with self._lock:
            ready.append(meshed)
        self._arrived()

    def _arrived(self) -> None:
        self.arrived.set()
        wake = self.view.wake_from_thread
        if wake is not None:
            wake()

    def _meshed(self, tile: LoadedTile) -> _Meshed:
        mesh = tile.mesh
        points = self.local(mesh.points)
        passes = self._passes(tile)
        kept = passes[mesh.owner]
        owner = mesh.owner[kept]
        poly = (
            triangles_polydata(points, mesh.triangles) if kept.all() else _part(points, mesh.triangles[kept])
        )
        if self.lut is not None and len(owner):
            poly.cell_data["value"] = self._row_values(tile)[owner]
        grey = None
        if self.layer.style.filter.mode == "grey" and not kept.all():
            grey = _part(points, mesh.triangles[~kept])
        return _Meshed(tile.key, tile.serial, poly, owner, grey)

    def _passes(self, tile: LoadedTile) -> np.ndarray:
        """(n,) bool: the buildings of ``tile`` the filter keeps (all when it names a field the
        store lacks, with a warning)."""
        try:
            return self.layer.passes_filter(tile)
        except KeyError as exc:
            note = f"filter ignored: {exc.args[0] if exc.args else exc}"
            if note not in self.layer.warnings:
                self.layer.warnings.append(note)
            return np.ones(tile.count, bool)

    def _row_values(self, tile: LoadedTile) -> np.ndarray:
        """(n,) float32 scalar of each building of ``tile`` in :attr:`lut` (NaN: no colour)."""
        if self._usage_entry is None:
            return tile.height_m.astype(np.float32)
        import pandas as pd

        entries = pd.Series(tile.usage, dtype=object).map(self._usage_entry)
        return entries.to_numpy(dtype=np.float32, na_value=np.nan)

    def _show_arrivals(self) -> None:
        with self._lock:
            ready = list(self._ready)
            self._ready.clear()
        for meshed in ready:
            self._pending.pop(meshed.key, None)
            if meshed.key in self.tile_actors:
                continue
            if meshed.grey is not None and meshed.grey.n_cells:
                grey = self.add_polydata(meshed.grey, color=GREYED_COLOR, pickable=False, **_surface())
                grey.GetProperty().SetOpacity(GREYED_OPACITY * self.layer.opacity)
                grey.GetProperty().BackfaceCullingOn()
                self.grey_actors[meshed.key] = grey
            if meshed.poly.n_cells == 0:
                actor = self.add_polydata(meshed.poly, color=DEFAULT_COLOR, pickable=False)
                actor.SetVisibility(False)  # every building filtered out: nothing drawn, tile known
                self.tile_actors[meshed.key] = (actor, meshed.owner, meshed.serial)
                continue
            if self.lut is not None:
                actor = self.add_polydata(meshed.poly, lut=self.lut, scalars="value", **_surface())
            else:
                color = self.layer.style.color or DEFAULT_COLOR
                actor = self.add_polydata(meshed.poly, color=color, **_surface())
            actor.GetProperty().BackfaceCullingOn()
            self.tile_actors[meshed.key] = (actor, meshed.owner, meshed.serial)
        for key in [k for k, f in self._pending.items() if f.done() and k in self._failed]:
            self._pending.pop(key)

    def _drop(self, key: TileKey) -> None:
        actor, _, _ = self.tile_actors.pop(key)
        grey = self.grey_actors.pop(key, None)
        for gone in (actor, grey):
            if gone is None:
                continue
            self.view.renderer.remove_actor(gone, render=False)
            if gone in self.actors:
                self.actors.remove(gone)

    def loading(self) -> bool:
        """True while tiles the view asked for are being read."""
        return bool(self._pending)

    # -- what the scene view asks ----------------------------------------------------------------
    def _on_visible(self, visible: bool) -> None:
        for key, (actor, _, _) in self.tile_actors.items():
            actor.SetVisibility(visible and key in self.wanted)
        for key, grey in self.grey_actors.items():
            grey.SetVisibility(visible and key in self.wanted)
        self.view.legends_changed()
        self.view.request_render()

    def _on_opacity(self, opacity: float) -> None:
        super()._on_opacity(opacity)
        for grey in self.grey_actors.values():
            grey.GetProperty().SetOpacity(GREYED_OPACITY * opacity)

    def legends(self) -> list[Legend]:
        return [self._legend] if self._legend is not None else []

    def pick_cell(self, actor: vtkProp, cell_id: int) -> int | None:
        for tile_actor, owner, serial in self.tile_actors.values():
            if actor is tile_actor and 0 <= cell_id < len(owner):
                return (serial << SERIAL_SHIFT) | int(owner[cell_id])
        return None


def arrivals_waiting(visuals: Iterable[Visual[Any]]) -> bool:
    """True (once) when a streamed visual among ``visuals`` has tiles ready to draw: the window
    then draws again, on its own thread."""
    waiting = False
    for visual in visuals:
        if isinstance(visual, StreamedVisual) and visual.arrived.is_set():
            visual.arrived.clear()
            waiting = True
    return waiting


def _overlaps(
    box: tuple[float, float, float, float], others: list[tuple[float, float, float, float]]
) -> bool:
    return any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in others)


def _part(points: np.ndarray, triangles: np.ndarray) -> pv.PolyData:
    """The polydata of ``triangles`` (indices into ``points``) with only the points they use."""
    if len(triangles):
        used, inverse = np.unique(triangles, return_inverse=True)
        return triangles_polydata(points[used], inverse.reshape(-1, 3))
    return triangles_polydata(points[:0], triangles[:0].reshape(0, 3))


def _surface() -> dict[str, Any]:
    return {"Ambient": 0.28, "Diffuse": 0.78, "Specular": 0.0}
