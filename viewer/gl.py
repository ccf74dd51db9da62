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


def quiet_vtk() -> None:
    """Send VTK warnings nowhere; errors still raise where PyVista checks them."""
    from vtkmodules.vtkCommonCore import vtkLogger, vtkObject

    vtkObject.GlobalWarningDisplayOff()
    vtkLogger.SetStderrVerbosity(vtkLogger.VERBOSITY_ERROR)
