"""The sun in the view: light from the true sun following the clock, cast shadows, night.

:class:`SunLighting` is off by default (the usual soft "light kit" look stays the default). On, it
replaces the light kit by

* a **directional light from the sun** (NREL SPA, :class:`layers.sun.position.SunSite`, turned into the scene
  grid with the meridian convergence), warmer when the sun is low, and a faint headlight so walls
  in their own shade stay readable;
* **ground shadows**: the exact shadows of every visible building on flat ground, burnt into a
  texture by :class:`layers.sun.shadow_raster.RingTable` (numpy, tens of milliseconds) and laid as one
  translucent quad over the ground and every flat map, so parks, streets and noise maps darken
  where the shade falls;
* optionally (:meth:`SunLighting.set_shadow_maps`, off by default) **shadows on the buildings**
  with VTK's shadow maps (``vtkShadowMapPass``: bake, shadow pass, then the translucent step and
  the overlay). They run off screen with EGL (Mesa llvmpipe) and on Xvfb with GLX, but VTK 9's
  maps are *exponential* shadow maps normalised over the bounds of every prop: at city scale
  (kilometres) shadows fade with depth and lit walls come out dimmed, and maps drawn inside the
  shadow pass lose their colours. So the wide ground plane moves to a background layer (layer
  0, same camera), flat maps are drawn after the shadow pass, and the option stays off by
  default. If the OpenGL context refuses the passes, :attr:`SunLighting.note` says so and the
  exact ground shadows remain; it never raises;
* **night**: below the horizon the sky, the ground and the lights dim, and the clock line says when
  the sun rises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from vtkmodules.vtkRenderingCore import vtkLight

from layers.sun.position import SunPosition, SunTimes
from layers.sun.shadow_map import Footprints
from layers.sun.shadow_raster import PixelGrid, RingTable

from .visuals.raster import RasterTexture, ground_quad

if TYPE_CHECKING:
    from .scene_view import SceneView

#: the ground shadow tint (RGB 0-255) and its opacity (0-255): a cool dark blue at 40 %
SHADOW_RGBA = (24, 34, 58, 102)
#: height of the shadow quad above the ground (m): over every flat map (transit lines are at 0.5 m)
SHADOW_Z = 0.6
#: polygon offset factor of the shadow quad (flat maps use -0.25 … -1.25)
SHADOW_PULL = -1.5
#: texels of the ground shadow texture at most; the finest of these pixel sizes (m) that fits
SHADOW_TEXELS = 4_000_000
SHADOW_SIZES_M = (0.5, 1.0, 2.0, 4.0, 8.0)
#: shadow-map resolution (texels a side) and exponential constant for VTK's shadow pass
SHADOW_MAP_RESOLUTION = 2048
SHADOW_MAP_EXPONENT = 80.0
DAY_SKY = ("#eef3f8", "#9dbfe0")  # bottom, top
NIGHT_SKY = ("#2a3347", "#0b1020")
TWILIGHT_SKY = ("#e9c9a8", "#5b7199")


@dataclass
class SunState:
    """What the sun panel shows: the position now, the day's times, and a note."""

    position: SunPosition
    times: SunTimes
    note: str | None = None

    @property
    def night(self) -> bool:
        return not self.position.is_up

    def summary(self, language: str = "fr") -> str:
        """One line: azimuth and elevation (or night), sunrise and sunset, local times."""
        tz = self.position.time.tzinfo
        rise = self.times.sunrise.astimezone(tz).strftime("%H:%M") if self.times.sunrise else None
        sets = self.times.sunset.astimezone(tz).strftime("%H:%M") if self.times.sunset else None
        fr = language == "fr"
        if self.night:
            if rise is None:
                return (
                    "Nuit polaire : le soleil ne se lève pas ce jour"
                    if fr
                    else "Polar night: no sunrise today"
                )
            when = (
                rise
                if self.position.time < self.times.transit
                else (rise + (" (demain)" if fr else " (tomorrow)"))
            )
            return (
                f"Nuit : soleil couché, {-self.position.elevation_deg:.0f}° sous l'horizon · lever {when}"
                if fr
                else f"Night: the sun is down, {-self.position.elevation_deg:.0f}° below the horizon · sunrise {when}"
            )
        az = self.position.azimuth_deg
        line = (
            f"Soleil : azimut {az:.0f}° ({compass(az, language)}), hauteur {self.position.elevation_deg:.0f}°"
            if fr
            else f"Sun: azimuth {az:.0f}° ({compass(az, language)}), elevation {self.position.elevation_deg:.0f}°"
        )
        if rise and sets:
            line += f" · lever {rise}, coucher {sets}" if fr else f" · sunrise {rise}, sunset {sets}"
        elif self.times.polar == "day":
            line += " · soleil de minuit" if fr else " · midnight sun"
        return line


def compass(azimuth_deg: float, language: str = "fr") -> str:
    """The 8-point compass name of an azimuth (N, NE, E, SE, S, SO/SW, O/W, NO/NW)."""
    names = (
        ("N", "NE", "E", "SE", "S", "SO", "O", "NO")
        if language == "fr"
        else ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
    )
    return names[int(((azimuth_deg % 360) + 22.5) // 45) % 8]


def sun_color(elevation_deg: float) -> tuple[float, float, float]:
    """Warm near the horizon, white when high."""
    warmth = max(0.0, min(1.0, (20.0 - elevation_deg) / 20.0))
    return (1.0, 1.0 - 0.18 * warmth, 1.0 - 0.38 * warmth)


class SunLighting:
    """Sun light, shadows and night look of a :class:`viewer.scene_view.SceneView` (off by default).

    Attributes
    ----------
    state
        The last :class:`SunState` (``None`` until enabled with a clock time).
    shadow_maps
        True when VTK's shadow passes are active on the buildings.
    note
        Why a part is missing (shadow maps refused by the GL context, no buildings...), or ``None``.
    """

    def __init__(self, view: SceneView) -> None:
        self.view = view
        self.enabled = False
        self.state: SunState | None = None
        self.shadow_maps = False
        self.note: str | None = None
        #: VTK shadow maps on the buildings: off by default (see the module notes)
        self.use_shadow_maps = False
        self.shadow_map_resolution = SHADOW_MAP_RESOLUTION
        self._sun = vtkLight()
        self._sun.SetLightTypeToSceneLight()
        self._sun.PositionalOff()
        self._sun.SetShadowAttenuation(0.8)
        self._fill = vtkLight()
        self._fill.SetLightTypeToHeadlight()
        self._fill.SetIntensity(0.28)
        self._footprints: Footprints | None = None
        self._table: RingTable | None = None
        self._grid: PixelGrid | None = None
        self._key: tuple | None = None
        self._texture: RasterTexture | None = None
        self._quad_actor = None
        self._times_cache: dict[Any, SunTimes] = {}
        self._background = None
        self._ground_parked = None
        self._passes: dict | None = None
        self._forced: list = []

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
            self._stop_shadow_maps()
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
            self._stop_shadow_maps()
            self.note = None
        self.view.request_render()

    def dispose(self) -> None:
        if self.enabled:
            self.enable(False)
        self._remove_quad()

    def layers_changed(self) -> None:
        """Layers were added, removed, shown or hidden: follow a new ground plane, and recompute
        the shadows when the visible buildings changed."""
        if self._background is not None and self.view._ground_actor is not self._ground_parked:
            self._background.RemoveActor(self._ground_parked)
            ground = self.view._ground_actor
            if ground is not None:
                self.view.renderer.RemoveActor(ground)
                self._background.AddActor(ground)
            self._ground_parked = ground
        if self.enabled and self._ensure_casters() and self.view.scene.clock.time is not None:
            self.set_time(self.view.scene.clock.time)
        if self.shadow_maps:
            self._textures_after_shadows()

    # -- following the clock -----------------------------------------------------------------
    def set_time(self, t: datetime) -> None:
        """Place the sun at ``t`` and recompute the ground shadows (nothing when disabled)."""
        if not self.enabled or t is None:
            return
        site = self._site()
        if site is None:
            return
        position = site.position(t)
        day = t.astimezone(site_zone(site)).date()
        times = self._times_cache.get(day) or self._times_cache.setdefault(day, site.times(day))
        self.state = SunState(position, times, self.note)
        self._place_light(position, site)
        self._update_ground_shadows(t)
        self._set_look(position)

    def _site(self):
        self._ensure_casters()
        if self._footprints is not None:
            return self._footprints.site
        bounds = self.view.scene.focus_bounds()
        if bounds is None or self.view.scene.crs is None:
            return None
        from layers.sun.position import SunSite

        return SunSite.for_bounds(self.view.scene.crs, bounds, self.view.scene.timezone)

    def _place_light(self, position: SunPosition, site) -> None:
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
        self.view.plotter.set_background(bottom, top=top)
        if self._background is not None:
            self._background.SetBackground(*_rgb(bottom))
            self._background.SetBackground2(*_rgb(top))
            self._background.GradientBackgroundOn()

    def _set_ground_colour(self, colour: str | None) -> None:
        ground = self.view._ground_actor
        if ground is None:
            return
        from .scene_view import GROUND

        ground.GetProperty().SetColor(*_rgb(colour or GROUND))

    # -- ground shadows ----------------------------------------------------------------------
    def _ensure_casters(self) -> bool:
        """Collect the visible buildings as shadow casters; True when they changed."""
        buildings = [layer for layer in self.view.scene.layers if layer.kind == "buildings" and layer.visible]
        key = tuple((id(layer), len(layer.frame)) for layer in buildings)
        if key == self._key:
            return False
        self._key = key
        self._remove_quad()
        if not buildings or self.view.scene.crs is None:
            self._footprints = self._table = self._grid = None
            return True
        polygons = np.concatenate([np.asarray(layer.frame.geometry.values) for layer in buildings])
        height = np.concatenate([layer.height_m for layer in buildings])
        base = np.concatenate([layer.base_m for layer in buildings])
        crs = self.view.scene.crs
        self._footprints = Footprints.from_arrays(
            polygons, height, base, crs, self.view.scene.timezone, metric=crs
        )
        self._table = RingTable.from_polygons(polygons, height, base)
        xmin, ymin, xmax, ymax = (
            float(v)
            for v in self._table.boxes[:, :2].min(axis=0).tolist()
            + self._table.boxes[:, 2:].max(axis=0).tolist()
        )
        reach = min(3.0 * float(np.max(height)), 400.0)
        bounds = (xmin - reach, ymin - reach, xmax + reach, ymax + reach)
        for size in SHADOW_SIZES_M:
            grid = PixelGrid.covering(bounds, size)
            if grid.pixels <= SHADOW_TEXELS:
                break
        self._grid = grid
        return True

    def _update_ground_shadows(self, t: datetime) -> None:
        if self._table is None or self._footprints is None or self._grid is None:
            self._remove_quad()
            return
        _, offset, lit = self._footprints.offsets(t)
        if not lit.any():
            if self._quad_actor is not None:
                self._quad_actor.SetVisibility(False)
            return
        shade = self._table.shade(offset, self._grid, lit)
        rgba = np.zeros(shade.shape + (4,), np.uint8)
        rgba[shade] = SHADOW_RGBA
        if self._quad_actor is None:
            self._add_quad(rgba)
        else:
            self._texture.update(rgba)
            self._quad_actor.SetVisibility(True)

    def _add_quad(self, rgba: np.ndarray) -> None:
        grid, origin = self._grid, self.view.scene.origin
        x0, y0, x1, y1 = grid.bounds()
        quad = ground_quad((x0 - origin[0], y0 - origin[1], x1 - origin[0], y1 - origin[1]), SHADOW_Z)
        self._texture = RasterTexture(rgba, smooth=True)
        self._quad_actor = self.view.plotter.add_mesh(
            quad, color="white", lighting=False, pickable=False, reset_camera=False, render=False
        )
        self._quad_actor.SetTexture(self._texture.texture)
        mapper = self._quad_actor.GetMapper()
        mapper.SetResolveCoincidentTopologyToPolygonOffset()
        mapper.SetRelativeCoincidentTopologyPolygonOffsetParameters(SHADOW_PULL, 0.0)
        self._quad_actor.GetProperty().SetAmbient(1.0)
        self._quad_actor.GetProperty().SetDiffuse(0.0)
        self._quad_actor.ForceTranslucentOn()  # over the maps, after the shadow pass

    def _remove_quad(self) -> None:
        if self._quad_actor is not None:
            self.view.plotter.remove_actor(self._quad_actor, render=False)
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
        """Bake shadow maps for the sun; the ground plane goes to a background layer first."""
        try:
            self._park_ground()
            self._passes = shadow_passes(self.shadow_map_resolution)
            self.view.plotter.renderer.SetPass(self._passes["camera"])
            self.shadow_maps = True
            self._textures_after_shadows()
            self.note = None
        except Exception as exc:  # noqa: BLE001 - a GL context without the passes keeps ground shadows
            self._stop_shadow_maps()
            self.note = f"ombres portées sur les bâtiments indisponibles ({type(exc).__name__}) : ombres au sol seules"

    def _stop_shadow_maps(self) -> None:
        if self.shadow_maps:
            try:
                self.view.plotter.renderer.SetPass(None)
            except Exception:  # noqa: BLE001
                pass
        self.shadow_maps = False
        self._passes = None
        self._textures_back()
        self._unpark_ground()

    def _textures_after_shadows(self) -> None:
        """Draw the flat maps (unlit, or textured: rasters, the ground shadows) in the translucent
        step, after the shadow pass: drawn inside it they lose their colours (a texture to the
        shadow map's unit, scalar colours to the last uniform colour seen). Only lit solids (the
        buildings) are drawn by the shadow pass."""
        props = self.view.renderer.GetViewProps()
        props.InitTraversal()
        for _ in range(props.GetNumberOfItems()):
            prop = props.GetNextProp()
            if not (hasattr(prop, "GetTexture") and hasattr(prop, "GetForceTranslucent")):
                continue  # 2D and text actors
            flat = prop.GetTexture() is not None or not prop.GetProperty().GetLighting()
            if flat and not prop.GetForceTranslucent():
                prop.ForceTranslucentOn()
                self._forced.append(prop)

    def _textures_back(self) -> None:
        for prop in self._forced:
            prop.ForceTranslucentOff()
        self._forced = []

    def shadow_baker(self):
        """The ``vtkShadowMapBakerPass`` in use, ``None`` without shadow maps."""
        return self._passes["baker"] if self._passes else None

    def _park_ground(self) -> None:
        """Move the wide ground plane to a renderer drawn beneath (layer 0), sharing the camera."""
        from vtkmodules.vtkRenderingCore import vtkRenderer

        ground = self.view._ground_actor
        window = self.view.plotter.ren_win
        if ground is None or window is None or self._background is not None:
            return
        background = vtkRenderer()
        background.SetLayer(0)
        background.SetInteractive(False)
        background.SetActiveCamera(self.view.renderer.GetActiveCamera())
        background.SetViewport(self.view.renderer.GetViewport())
        window.SetNumberOfLayers(max(window.GetNumberOfLayers(), 2))
        self.view.renderer.SetLayer(1)
        window.AddRenderer(background)
        self.view.renderer.RemoveActor(ground)
        background.AddActor(ground)
        self._background_observer = background.AddObserver(
            "StartEvent", lambda *_: background.ResetCameraClippingRange()
        )
        self._background = background
        self._ground_parked = ground
        bottom, top = DAY_SKY
        self._set_sky(bottom, top)

    def _unpark_ground(self) -> None:
        background, ground = self._background, self._ground_parked
        if background is None:
            return
        window = self.view.plotter.ren_win
        background.RemoveActor(ground)
        if ground is self.view._ground_actor:
            self.view.renderer.AddActor(ground)
        if window is not None:
            window.RemoveRenderer(background)
        self.view.renderer.SetLayer(0)
        self._background = None
        self._ground_parked = None

    def ground_renderer(self):
        """The renderer holding the ground plane (the background one while parked)."""
        return self._background or self.view.renderer


def shadow_passes(resolution: int) -> dict:
    """VTK's shadow-mapping pipeline, as in its shadow demos: the camera pass drives a sequence of
    the shadow-map bake, the opaque geometry lit with shadows, then the translucent geometry (the
    flat maps and the ground shadows, textured) and the 2D overlay (legends, text) drawn once.

    PyVista's own ``enable_shadows`` draws the whole scene first and the opaque geometry again on
    top, which painted over the translucent textured maps."""
    from vtkmodules.vtkRenderingCore import vtkRenderPass  # noqa: F401 - registers the base class
    from vtkmodules.vtkRenderingOpenGL2 import (
        vtkCameraPass,
        vtkLightsPass,
        vtkOpaquePass,
        vtkOverlayPass,
        vtkRenderPassCollection,
        vtkSequencePass,
        vtkShadowMapBakerPass,
        vtkShadowMapPass,
        vtkTranslucentPass,
    )

    lights, opaque = vtkLightsPass(), vtkOpaquePass()
    opaque_passes = vtkRenderPassCollection()
    opaque_passes.AddItem(lights)
    opaque_passes.AddItem(opaque)
    opaque_sequence = vtkSequencePass()
    opaque_sequence.SetPasses(opaque_passes)
    opaque_camera = vtkCameraPass()
    opaque_camera.SetDelegatePass(opaque_sequence)
    baker = vtkShadowMapBakerPass()
    baker.SetOpaqueSequence(opaque_camera)
    baker.SetResolution(resolution)
    baker.SetExponentialConstant(SHADOW_MAP_EXPONENT)
    shadows = vtkShadowMapPass()
    shadows.SetShadowMapBakerPass(baker)
    shadows.SetOpaqueSequence(opaque_sequence)
    passes = vtkRenderPassCollection()
    for step in (baker, shadows, vtkTranslucentPass(), vtkOverlayPass()):
        passes.AddItem(step)
    sequence = vtkSequencePass()
    sequence.SetPasses(passes)
    camera = vtkCameraPass()
    camera.SetDelegatePass(sequence)
    return {
        "camera": camera,
        "baker": baker,
        "shadows": shadows,
        "keep": (lights, opaque, opaque_passes, opaque_sequence, opaque_camera, passes, sequence),
    }


def site_zone(site) -> Any:
    from layers.core.timeutil import zone

    return zone(site.timezone)


def _rgb(colour: str) -> tuple[float, float, float]:
    from .colors import rgb

    return rgb(colour)
