"""The sun in the view: light from the true sun following the clock, cast shadows, night.

:class:`SunLighting` is off by default (the usual soft "light kit" look stays the default). On, it
replaces the light kit by

* a **directional light from the sun** (NREL SPA, :class:`layers.sun.position.SunSite`, turned into the scene
  grid with the meridian convergence), warmer when the sun is low, and a faint headlight so walls
  in their own shade stay readable;
* **ground shadows**: the exact shadows of every visible building, tree and canopy on flat ground,
  burnt into a texture by :class:`layers.sun.shadow_raster.RingTable` (numpy, tens of
  milliseconds) and laid as one translucent quad over the ground and every flat map, so parks,
  streets and noise maps darken where the shade falls. Each caster layer has its own table
  (:mod:`viewer.caster_tables`): an edit of the planned project makes the plan's table again, not
  the city's, and the kept shade of the unchanged layers is OR'ed with the edited one's. The
  texture covers what the camera looks at (:mod:`viewer.ground_view`), never the whole scene,
  within :data:`SHADOW_TEXELS`: coarser texels for a wide view and, past the coarsest, only the
  ground around the view's centre (:attr:`SunLighting.note` says so);
* optionally (:meth:`SunLighting.set_shadow_maps`, off by default) **shadows on the buildings**
  with VTK's shadow maps (:mod:`viewer.shadow_maps`: why they stay an option). If the OpenGL
  context refuses the passes, :attr:`SunLighting.note` says so and the exact ground shadows remain;
  it never raises;
* **night**: below the horizon the sky, the ground and the lights dim, and the clock line says when
  the sun rises (:class:`viewer.sun_state.SunState`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import numpy as np
from vtkmodules.vtkRenderingCore import vtkLight

from layers.core.errors import InputError
from layers.core.timeutil import zone
from layers.sun.casters import casters
from layers.sun.position import SunPosition, SunSite, SunTimes, no_shadow_reason
from layers.sun.shadow_raster import GridPlan, PixelGrid, plan_grid

from .caster_tables import CasterTable, Key, caster_key, caster_tables, reach_of
from .context import GROUND
from .ground_view import camera_footprint
from .shadow_maps import SHADOW_MAP_RESOLUTION, ShadowMaps, SunView
from .sun_state import SunState, compass, sun_color
from .visuals.raster import RasterTexture, ground_quad

if TYPE_CHECKING:
    from typing import Any

    from vtkmodules.vtkRenderingCore import vtkActor, vtkRenderer
    from vtkmodules.vtkRenderingOpenGL2 import vtkShadowMapBakerPass

    from layers.core.base import Layer

__all__ = ["SunLighting", "SunState", "compass", "sun_color"]

#: the ground shadow tint (RGB 0-255) and its opacity (0-255): a cool dark blue at 40 %
SHADOW_RGBA = (24, 34, 58, 102)
#: height of the shadow quad above the ground (m): over every flat map (transit lines are at 0.5 m)
SHADOW_Z = 0.6
#: polygon offset factor of the shadow quad (flat maps use -0.25 … -1.25)
SHADOW_PULL = -1.5
#: texels of the ground shadow texture at most (16 MB of RGBA, about 100 MB of work while it is
#: computed); the finest of these pixel sizes (m) that fits the ground looked at
SHADOW_TEXELS = 4_000_000
SHADOW_SIZES_M = (0.5, 1.0, 2.0, 4.0, 8.0)
DAY_SKY = ("#eef3f8", "#9dbfe0")  # bottom, top
NIGHT_SKY = ("#2a3347", "#0b1020")
TWILIGHT_SKY = ("#e9c9a8", "#5b7199")


class SunLighting:
    """Sun light, shadows and night look of a :class:`viewer.scene_view.SceneView` (off by default).

    Attributes
    ----------
    state
        The last :class:`SunState` (``None`` until enabled with a clock time).
    note
        Why a part is missing (shadow maps refused by the GL context, no buildings...), or ``None``.
    use_shadow_maps
        The option: VTK shadow maps on the buildings when the sun is on (off by default).
    """

    def __init__(self, view: SunView) -> None:
        self.view = view
        self.enabled = False
        self.state: SunState | None = None
        #: why the shadows on the buildings or the sun are missing (see :attr:`note`)
        self._light_note: str | None = None
        #: the ground shadows cover only part of the view (see :attr:`note`)
        self._grid_note: str | None = None
        #: VTK shadow maps on the buildings: off by default (see :mod:`viewer.shadow_maps`)
        self.use_shadow_maps = False
        self.shadow_map_resolution = SHADOW_MAP_RESOLUTION
        self._maps = ShadowMaps(view)
        self._sun = vtkLight()
        self._sun.SetLightTypeToSceneLight()
        self._sun.PositionalOff()
        self._sun.SetShadowAttenuation(0.8)
        self._fill = vtkLight()
        self._fill.SetLightTypeToHeadlight()
        self._fill.SetIntensity(0.28)
        #: one table of prisms per visible caster layer, by id(layer), in the scene's order
        self._tables: dict[int, CasterTable] = {}
        self._grid: PixelGrid | None = None
        #: the ground the casters' shadows can reach (xmin, ymin, xmax, ymax), scene CRS metres
        self._reach_box: tuple[float, float, float, float] | None = None
        self._key: tuple[Key, ...] | None = None
        self._texture: RasterTexture | None = None
        self._quad_actor: vtkActor | None = None
        self._times_cache: dict[date, SunTimes] = {}
        #: the site of the light and the sun there at the clock time (one SPA call per instant)
        self._sun_now: tuple[SunSite, SunPosition] | None = None

    @property
    def note(self) -> str | None:
        """Why a part is missing, in the view's language (shadow maps refused by the GL context, data
        off the Earth, ground shadows cut to the middle of a very wide view), or ``None``."""
        notes = [n for n in (self._light_note, self._grid_note) if n]
        return " · ".join(notes) or None

    @note.setter
    def note(self, value: str | None) -> None:
        self._light_note = value

    @property
    def shadow_grid(self) -> PixelGrid | None:
        """The grid of the ground shadows now (scene CRS metres), ``None`` without one."""
        return self._grid

    @property
    def site(self) -> SunSite | None:
        """Where the sun is computed for (the first caster layer's centre), ``None`` without casters."""
        first = next(iter(self._tables.values()), None)
        return first.footprints.site if first is not None else None

    @property
    def caster_count(self) -> int:
        """Prisms casting the ground shadows now (building parts, roof slices, crowns...)."""
        return sum(len(t.table) for t in self._tables.values())

    def caster_tables(self) -> list[CasterTable]:
        """The tables of the caster layers, in the scene's order."""
        return list(self._tables.values())

    def shade(
        self, t: datetime, grid: PixelGrid, sun: tuple[SunSite, SunPosition] | None = None
    ) -> np.ndarray | None:
        """(rows, cols) bool: every caster's ground shadow at ``t`` on ``grid`` (their shades OR'ed;
        each table's kept for the next call at the same instant and grid); ``None`` when the sun
        casts none. ``sun``: the site and the sun there at ``t``, shared by every table (else each
        table's own)."""
        out: np.ndarray | None = None
        for table in self._tables.values():
            found = table.shade(t, grid, sun)
            if found is not None:
                out = np.zeros(grid.shape, bool) if out is None else out
                window, shade = found
                out[window] |= shade
        return out

    @property
    def shadow_maps(self) -> bool:
        """True when VTK's shadow passes are active on the buildings."""
        return self._maps.active

    # -- switching -------------------------------------------------------------------------
    def enable(self, on: bool = True) -> None:
        """Turn the sun on (light, shadows, night) or back to the default light kit."""
        on = bool(on)
        if on == self.enabled:
            return
        self.enabled = on
        renderer = self.view.renderer
        if on:
            self.view.plotter.remove_all_lights()
            renderer.AddLight(self._sun)
            renderer.AddLight(self._fill)
            if self.use_shadow_maps:
                self._start_shadow_maps()
            if self.view.scene.clock.time is not None:
                self.set_time(self.view.scene.clock.time)
        else:
            self._maps.stop()
            renderer.RemoveLight(self._sun)
            renderer.RemoveLight(self._fill)
            self.view.plotter.enable_lightkit()
            self._remove_quad()
            self._set_sky(*DAY_SKY)
            self._set_ground_colour(None)
            self.state = None
        self.view.request_render()

    def set_shadow_maps(self, on: bool) -> None:
        """Use VTK's shadow maps for roofs and walls shaded by their neighbours (experimental)."""
        self.use_shadow_maps = bool(on)
        if not self.enabled:
            return
        if on and not self.shadow_maps:
            self._start_shadow_maps()
        elif not on and self.shadow_maps:
            self._maps.stop()
            self.note = None
        self.view.request_render()

    def dispose(self) -> None:
        if self.enabled:
            self.enable(False)
        self._remove_quad()

    def adopt(self, layer: Layer[Any], table: CasterTable | None) -> None:
        """A table of ``layer``'s casters made off the drawing thread for its current
        :func:`~viewer.caster_tables.caster_key` (a streamed layer's loaded tiles): kept as it is
        (not made again here), and the ground shadows recomputed with it."""
        if table is not None and table.key == caster_key(layer):
            self._tables[id(layer)] = table
        self.layers_changed()

    def layers_changed(self) -> None:
        """Layers were added, removed, shown or hidden: follow a new ground plane, and recompute
        the shadows when the visible buildings changed."""
        self._maps.follow_ground()
        if self.enabled and self._ensure_casters() and self.view.scene.clock.time is not None:
            self.set_time(self.view.scene.clock.time)
        if self.shadow_maps:
            self._maps.textures_after_shadows()

    # -- following the clock -----------------------------------------------------------------
    def set_time(self, t: datetime | None) -> None:
        """Place the sun at ``t`` and recompute the ground shadows (nothing when disabled)."""
        if not self.enabled or t is None:
            return
        try:
            site = self._site()
        except InputError as exc:  # data that is no place on Earth (a wrong CRS): no sun to place
            self._tables, self._grid, self._reach_box = {}, None, None
            self.state = None
            self.note = exc.one_line()
            self._sun.SetSwitch(False)
            return
        if site is None:
            return
        position = site.position(t)
        self._sun_now = (site, position)
        day = t.astimezone(site_zone(site)).date()
        times = self._times_cache.get(day) or self._times_cache.setdefault(day, site.times(day))
        self._place_light(position, site)
        self._update_ground_shadows(t)
        self.state = SunState(position, times, self.note, no_shadow_reason(position, times, site.lat))
        self._set_look(position)

    def view_changed(self) -> None:
        """The camera moved: draw the ground shadows over what is now looked at, when the grid in
        use no longer covers it at the right texel size (nothing else to do otherwise)."""
        t = self.view.scene.clock.time
        if not self.enabled or t is None or not self._tables:
            return
        plan = self.plan_shadow_grid()
        if plan is not None and self._grid is not None and _still_fits(self._grid, plan):
            return
        self._update_ground_shadows(t)
        if self.state is not None:
            self.state.note = self.note

    def _site(self) -> SunSite | None:
        self._ensure_casters()
        if self.site is not None:
            return self.site
        scene = self.view.scene
        bounds = scene.focus_bounds()
        if bounds is None or scene.crs is None:
            return None
        return SunSite.for_bounds(scene.crs, bounds, scene.timezone)

    def _place_light(self, position: SunPosition, site: SunSite) -> None:
        up = position.is_up
        self._sun.SetSwitch(up)
        if up:
            direction = site.direction(position)
            self._sun.SetFocalPoint(0.0, 0.0, 0.0)
            self._sun.SetPosition(*(direction * 1000.0))
            self._sun.SetColor(*sun_color(position.elevation_deg))
            self._sun.SetIntensity(min(1.0, 0.55 + position.elevation_deg / 40.0))
            self._fill.SetIntensity(0.28)
            self._fill.SetColor(1.0, 1.0, 1.0)
        else:
            self._fill.SetIntensity(0.45)  # moonlit streets: the model stays readable
            self._fill.SetColor(0.62, 0.68, 0.86)

    def _set_look(self, position: SunPosition) -> None:
        elevation = position.elevation_deg
        if elevation <= -6.0:
            self._set_sky(*NIGHT_SKY)
            self._set_ground_colour("#5b6172")
        elif elevation < 6.0:
            self._set_sky(*TWILIGHT_SKY)
            self._set_ground_colour("#c9c2b6")
        else:
            self._set_sky(*DAY_SKY)
            self._set_ground_colour(None)

    def _set_sky(self, bottom: str, top: str) -> None:
        self.view.plotter.renderers.set_background(bottom, top=top)
        self._maps.set_sky(bottom, top)

    def _set_ground_colour(self, colour: str | None) -> None:
        ground = self.view.ground_actor
        if ground is None:
            return
        from .colors import rgb

        ground.GetProperty().SetColor(*rgb(colour or GROUND))

    # -- ground shadows ----------------------------------------------------------------------
    def _ensure_casters(self) -> bool:
        """Collect the visible layers casting shadows (buildings, the planned project, trees,
        canopy: :mod:`layers.sun.casters`), each in its own table made again only when that layer
        changed (:func:`viewer.caster_tables.caster_key`: an edit bumps its revision); True when
        any changed."""
        layers = casters(self.view.scene.layers)
        key = tuple(caster_key(layer) for layer in layers)
        if key == self._key:
            return False
        self._key = key
        crs = self.view.scene.crs
        if crs is None:
            self._tables, self._reach_box, self._grid = {}, None, None
            self._remove_quad()
            return True
        self._tables = caster_tables(layers, self._tables, crs, self.view.scene.timezone)
        reach = reach_of(self._tables)
        if reach != self._reach_box:  # the texture's extent may change: a new grid
            self._remove_quad()
            self._grid = None
        self._reach_box = reach
        if not self._tables:
            self._remove_quad()
        return True

    def plan_shadow_grid(self) -> GridPlan | None:
        """The ground-shadow grid for the view now: the ground looked at (:mod:`viewer.ground_view`)
        within reach of the casters' shadows, at the finest of :data:`SHADOW_SIZES_M` that keeps it
        under :data:`SHADOW_TEXELS`, cut around the view's centre past the coarsest; ``None`` when
        no shadow can fall in view. Sized from the view, never from the scene: nothing allocated."""
        box, origin = self._reach_box, self.view.scene.origin
        if box is None or origin is None:
            return None
        camera = self.view.renderer.GetActiveCamera()
        width, height = self.view.frame_size()
        x0, y0, x1, y1 = camera_footprint(camera, width / max(height, 1))
        seen = (x0 + origin[0], y0 + origin[1], x1 + origin[0], y1 + origin[1])
        area = (max(seen[0], box[0]), max(seen[1], box[1]), min(seen[2], box[2]), min(seen[3], box[3]))
        if area[0] >= area[2] or area[1] >= area[3]:
            return None
        fx, fy = camera.GetFocalPoint()[:2]
        return plan_grid(area, SHADOW_SIZES_M, SHADOW_TEXELS, (fx + origin[0], fy + origin[1]))

    def _update_ground_shadows(self, t: datetime) -> None:
        if not self._tables:
            self._remove_quad()
            return
        plan = self.plan_shadow_grid()
        self._grid_note = _cropped_note(plan, self.view.language)
        if plan is None:  # no building's shadow can fall in view
            if self._quad_actor is not None:
                self._quad_actor.SetVisibility(False)
            return
        if self._grid is None or not _still_fits(self._grid, plan):
            self._remove_quad()
            self._grid = plan.grid
        shade = self.shade(t, self._grid, self._sun_at(t))
        if shade is None:
            if self._quad_actor is not None:
                self._quad_actor.SetVisibility(False)
            return
        # one 32-bit word per texel: the tint where shaded, 0 elsewhere (a third of the time of a
        # masked assignment on millions of texels)
        tint = np.frombuffer(bytes(SHADOW_RGBA), np.uint32)[0]
        rgba = np.multiply(shade, tint, dtype=np.uint32).view(np.uint8).reshape(shade.shape + (4,))
        if self._quad_actor is None or self._texture is None:
            self._add_quad(self._grid, rgba)
        else:
            self._texture.update(rgba)
            self._quad_actor.SetVisibility(True)

    def _add_quad(self, grid: PixelGrid, rgba: np.ndarray) -> None:
        origin = self.view.scene.origin
        assert origin is not None  # the scene has buildings, hence an origin
        x0, y0, x1, y1 = grid.bounds()
        quad = ground_quad((x0 - origin[0], y0 - origin[1], x1 - origin[0], y1 - origin[1]), SHADOW_Z)
        self._texture = RasterTexture(rgba, smooth=True)
        actor = self.view.plotter.add_mesh(
            quad, color="white", lighting=False, pickable=False, reset_camera=False, render=False
        )
        actor.SetTexture(self._texture.texture)
        mapper = actor.GetMapper()
        mapper.SetResolveCoincidentTopologyToPolygonOffset()
        mapper.SetRelativeCoincidentTopologyPolygonOffsetParameters(SHADOW_PULL, 0.0)
        actor.GetProperty().SetAmbient(1.0)
        actor.GetProperty().SetDiffuse(0.0)
        actor.ForceTranslucentOn()  # over the maps, after the shadow pass
        self._quad_actor = actor

    def _sun_at(self, t: datetime) -> tuple[SunSite, SunPosition] | None:
        """The light's site and the sun there when computed for ``t``, else ``None``."""
        sun = self._sun_now
        return sun if sun is not None and sun[1].time == t and sun[0] is self.site else None

    def _remove_quad(self) -> None:
        if self._quad_actor is not None:
            self.view.renderer.remove_actor(self._quad_actor, render=False)
            self._quad_actor = None
            self._texture = None

    def shadow_mask(self) -> np.ndarray | None:
        """The last ground-shadow texture as (rows, cols) bool, north row first (for tests)."""
        if self._texture is None or self._texture._pixels is None or self._grid is None:
            return None
        rows, cols = self._grid.shape
        return (self._texture._pixels[:, 3].reshape(rows, cols) > 0)[::-1]

    # -- VTK shadow maps on the buildings --------------------------------------------------------
    def _start_shadow_maps(self) -> None:
        try:
            self._maps.start(self.shadow_map_resolution, DAY_SKY)
            self.note = None
        except Exception as exc:  # noqa: BLE001 - a GL context without the passes keeps ground shadows
            self._maps.stop()
            cause = type(exc).__name__
            self.note = (
                f"ombres portées sur les bâtiments indisponibles ({cause}) : ombres au sol seules"
                if self.view.language == "fr"
                else f"shadows on the buildings unavailable ({cause}): ground shadows only"
            )

    def shadow_baker(self) -> vtkShadowMapBakerPass | None:
        """The ``vtkShadowMapBakerPass`` in use, ``None`` without shadow maps."""
        return self._maps.baker()

    def ground_renderer(self) -> vtkRenderer:
        """The renderer holding the ground plane (the background one while parked)."""
        return self._maps.ground_renderer()


def _still_fits(grid: PixelGrid, plan: GridPlan) -> bool:
    """True when ``grid`` covers ``plan``'s grid at the same texel size (a camera that moved a little
    within it, or zoomed out to a view it still covers, keeps its texture)."""
    new = plan.grid
    if new.size_m != grid.size_m:
        return False
    x0, y0, x1, y1 = grid.bounds()
    a0, b0, a1, b1 = new.bounds()
    return x0 <= a0 and y0 <= b0 and a1 <= x1 and b1 <= y1


def _cropped_note(plan: GridPlan | None, language: str) -> str | None:
    """The words saying the ground shadows cover only the middle of a very wide view."""
    if plan is None or not plan.cropped:
        return None
    x0, y0, x1, y1 = plan.grid.bounds()
    side_km = max(x1 - x0, y1 - y0) / 1000.0
    if language == "fr":
        return f"vue très large : ombres au sol dessinées sur {side_km:.0f} km autour du centre de la vue"
    return f"very wide view: ground shadows drawn {side_km:.0f} km around the centre of the view only"


def site_zone(site: SunSite) -> ZoneInfo:
    """The time zone of ``site``."""
    return zone(site.timezone)
