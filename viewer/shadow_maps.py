"""VTK's shadow maps on the buildings of a view: an option of :class:`viewer.shadows.SunLighting`.

``vtkShadowMapPass`` bakes a shadow map from the sun, then draws the opaque geometry lit with
shadows, then the translucent geometry and the 2D overlay. They run off screen with EGL (Mesa
llvmpipe) and on Xvfb with GLX, but VTK 9's maps are *exponential* shadow maps normalised over the
bounds of every prop: at city scale (kilometres) shadows fade with depth and lit walls come out
dimmed, and maps drawn inside the shadow pass lose their colours. So :class:`ShadowMaps` moves the
wide ground plane to a background renderer (layer 0, same camera) and draws the flat maps after
the shadow pass; the option stays off by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .context import ViewContext

if TYPE_CHECKING:
    from vtkmodules.vtkCommonCore import vtkObject
    from vtkmodules.vtkRenderingCore import vtkActor, vtkRenderer, vtkRenderPass
    from vtkmodules.vtkRenderingOpenGL2 import vtkShadowMapBakerPass

#: shadow-map resolution (texels a side) and exponential constant for VTK's shadow pass
SHADOW_MAP_RESOLUTION = 2048
SHADOW_MAP_EXPONENT = 80.0


class SunView(ViewContext, Protocol):
    """The view as the sun sees it: a :class:`~viewer.context.ViewContext` and its ground plane."""

    @property
    def ground_actor(self) -> vtkActor | None:
        """The wide ground plane under the scene (``None`` before the first layer)."""
        ...


@dataclass
class ShadowPasses:
    """VTK's shadow-mapping pipeline (:func:`shadow_passes`): the camera pass to set on the
    renderer, the shadow-map baker, and every pass kept alive with them."""

    camera: vtkRenderPass
    baker: vtkShadowMapBakerPass
    keep: tuple[vtkObject, ...]


def shadow_passes(resolution: int) -> ShadowPasses:
    """VTK's shadow-mapping pipeline, as in its shadow demos: the camera pass drives a sequence of
    the shadow-map bake (``resolution`` texels a side), the opaque geometry lit with shadows, then
    the translucent geometry (the flat maps and the ground shadows, textured) and the 2D overlay
    (legends, text) drawn once.

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
    translucent, overlay = vtkTranslucentPass(), vtkOverlayPass()
    passes = vtkRenderPassCollection()
    for step in (baker, shadows, translucent, overlay):
        passes.AddItem(step)
    sequence = vtkSequencePass()
    sequence.SetPasses(passes)
    camera = vtkCameraPass()
    camera.SetDelegatePass(sequence)
    return ShadowPasses(
        camera=camera,
        baker=baker,
        keep=(lights, opaque, opaque_passes, opaque_sequence, opaque_camera, shadows, translucent, overlay)
        + (passes, sequence),
    )


class ShadowMaps:
    """Shadow maps on the buildings of ``view``, with the ground plane on a background layer.

    :meth:`start` raises when the OpenGL context refuses the passes (the caller then stops and
    keeps its exact ground shadows).
    """

    def __init__(self, view: SunView) -> None:
        self.view = view
        #: True while the shadow passes draw the view
        self.active = False
        self._passes: ShadowPasses | None = None
        #: flat props made translucent so that they are drawn after the shadow pass
        self._forced: list[vtkActor] = []
        self._background: vtkRenderer | None = None
        self._ground_parked: vtkActor | None = None

    def start(self, resolution: int, sky: tuple[str, str]) -> None:
        """Bake shadow maps of ``resolution`` texels; the ground plane goes to a background layer
        first, under the ``sky`` gradient (bottom, top colours)."""
        self._park_ground(sky)
        self._passes = shadow_passes(resolution)
        self.view.renderer.SetPass(self._passes.camera)
        self.active = True
        self.textures_after_shadows()

    def stop(self) -> None:
        """Back to VTK's default passes, the ground plane back in the view's renderer; the shadow
        map textures and framebuffers are given back to the GL driver."""
        if self.active:
            try:
                self.view.renderer.SetPass(None)
            except Exception:  # noqa: BLE001 - a broken context keeps whatever pass it has
                pass
        if self._passes is not None:
            self._release(self._passes)
        self.active = False
        self._passes = None
        self._textures_back()
        self._unpark_ground()

    def _release(self, passes: ShadowPasses) -> None:
        """Free the passes' GL resources (the baker's framebuffer and shadow map textures, the
        shadow pass's shaders) while the view's window still has its context: dropped without
        this, VTK leaves them to the driver ("FrameBufferObject should have been deleted")."""
        from vtkmodules.vtkRenderingCore import vtkRenderPass

        window = self.view.plotter.ren_win
        if window is None:
            return  # the window is finalized: its context, and what it held, are gone already
        try:
            for step in (passes.camera, passes.baker, *passes.keep):
                if isinstance(step, vtkRenderPass):  # not the pass collections
                    step.ReleaseGraphicsResources(window)
        except Exception:  # noqa: BLE001 - a broken context: the driver keeps them, as before
            pass

    def baker(self) -> vtkShadowMapBakerPass | None:
        """The ``vtkShadowMapBakerPass`` in use, ``None`` without shadow maps."""
        return self._passes.baker if self._passes is not None else None

    def ground_renderer(self) -> vtkRenderer:
        """The renderer holding the ground plane (the background one while parked)."""
        return self._background or self.view.renderer

    def set_sky(self, bottom: str, top: str) -> None:
        """The background layer's sky gradient (nothing while the ground is not parked)."""
        if self._background is None:
            return
        from .colors import rgb

        self._background.SetBackground(*rgb(bottom))
        self._background.SetBackground2(*rgb(top))
        self._background.GradientBackgroundOn()

    def follow_ground(self) -> None:
        """The view made a new ground plane (layers came or went): park that one instead."""
        if self._background is None or self.view.ground_actor is self._ground_parked:
            return
        if self._ground_parked is not None:
            self._background.RemoveActor(self._ground_parked)
        ground = self.view.ground_actor
        if ground is not None:
            self.view.renderer.RemoveActor(ground)
            self._background.AddActor(ground)
        self._ground_parked = ground

    def textures_after_shadows(self) -> None:
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

    def _park_ground(self, sky: tuple[str, str]) -> None:
        """Move the wide ground plane to a renderer drawn beneath (layer 0), sharing the camera."""
        from vtkmodules.vtkCommonCore import vtkCommand
        from vtkmodules.vtkRenderingCore import vtkRenderer

        from .camera import fit_clipping_range

        view = self.view
        ground = view.ground_actor
        window = view.plotter.ren_win
        if ground is None or window is None or self._background is not None:
            return
        background = vtkRenderer()
        background.SetLayer(0)
        background.SetInteractive(False)
        background.SetActiveCamera(view.renderer.GetActiveCamera())
        background.SetViewport(view.renderer.GetViewport())
        window.SetNumberOfLayers(max(window.GetNumberOfLayers(), 2))
        view.renderer.SetLayer(1)
        window.AddRenderer(background)
        view.renderer.RemoveActor(ground)
        background.AddActor(ground)
        background.AddObserver(vtkCommand.StartEvent, lambda *_: fit_clipping_range(background))
        self._background = background
        self._ground_parked = ground
        view.plotter.renderers.set_background(sky[0], top=sky[1])
        self.set_sky(*sky)

    def _unpark_ground(self) -> None:
        background, ground = self._background, self._ground_parked
        if background is None:
            return
        view = self.view
        window = view.plotter.ren_win
        if ground is not None:
            background.RemoveActor(ground)
            if ground is view.ground_actor:
                view.renderer.AddActor(ground)
        if window is not None:
            window.RemoveRenderer(background)
        view.renderer.SetLayer(0)
        self._background = None
        self._ground_parked = None
