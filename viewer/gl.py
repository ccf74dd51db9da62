"""OpenGL set-up for rendering without a display.

With no X display, VTK's default X window fails noisily before falling back to EGL. Choosing EGL up
front avoids the noise; VTK's own warnings are kept off stderr so the command line prints only what
the user needs. Call :func:`prepare_headless` before the first render window is created.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyvista import Plotter
    from vtkmodules.vtkRenderingCore import vtkRenderWindow

#: OpenGL renderers that draw on the CPU (Mesa's llvmpipe / softpipe / swrast and lavapipe, Google's
#: SwiftShader, Windows' "GDI Generic" and "Microsoft Basic Render Driver"), lower case
SOFTWARE_RENDERERS = (
    "llvmpipe",
    "softpipe",
    "swrast",
    "lavapipe",
    "swiftshader",
    "gdi generic",
    "basic render",
)


def has_display() -> bool:
    """True when an X11 or Wayland display is available (or on Windows / macOS)."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def prepare_headless() -> None:
    """Use EGL off-screen rendering when there is no display; quiet VTK's console output."""
    if not has_display():
        os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    quiet_vtk()


def make_plotter(size: tuple[int, int]) -> Plotter:
    """An off-screen PyVista plotter of ``size`` pixels (EGL when there is no display), lit by
    PyVista's light kit."""
    prepare_headless()
    import pyvista as pv  # the plotting part of PyVista (and matplotlib): when a picture is drawn

    return pv.Plotter(off_screen=True, window_size=list(size), lighting="light kit")


def renderer_string(window: vtkRenderWindow) -> str:
    """The OpenGL renderer's name ("llvmpipe (LLVM 15.0.6, 256 bits)", "NVIDIA GeForce…"), from
    VTK's capability report; empty when VTK cannot say."""
    try:
        report = window.ReportCapabilities() or ""
    except Exception:  # noqa: BLE001 - no context yet on some platforms: unknown
        return ""
    for line in report.splitlines():
        if line.lower().startswith("opengl renderer string:"):
            return line.split(":", 1)[1].strip()
    return ""


def is_software_renderer(name: str) -> bool:
    """True for an OpenGL renderer that draws on the CPU (a laptop without a usable GPU driver,
    a virtual machine, a remote desktop): see :data:`SOFTWARE_RENDERERS`."""
    lowered = name.lower()
    return any(word in lowered for word in SOFTWARE_RENDERERS)


def quiet_vtk() -> None:
    """Send VTK warnings nowhere; errors still raise where PyVista checks them."""
    from vtkmodules.vtkCommonCore import vtkLogger, vtkObject

    vtkObject.GlobalWarningDisplayOff()
    vtkLogger.SetStderrVerbosity(vtkLogger.VERBOSITY_ERROR)
