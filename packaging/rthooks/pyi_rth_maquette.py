"""Runtime hook of the frozen Maquette: runs before any of its code.

GDAL and PROJ find their data in the bundle (share/gdal, share/proj; see maquette.spec). The
variables are overridden, not just defaulted: a host with QGIS, conda or OSGeo4W often exports
GDAL_DATA / PROJ_LIB for *its* GDAL and PROJ, whose data the bundled libraries may refuse (PROJ
rejects a proj.db older than itself). For the same reason GDAL loads no plugins from the host, and
PROJ never goes to the network (Maquette works offline).

On Linux the window goes through X11 (XWayland in a Wayland session): VTK draws into an X11
window, and the bundle carries Qt's xcb platform only.
"""

import os
import sys

_base = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
for _variable, _folder in (
    ("GDAL_DATA", ("share", "gdal")),
    ("PROJ_DATA", ("share", "proj")),
    ("PROJ_LIB", ("share", "proj")),
):
    _path = os.path.join(_base, *_folder)
    if os.path.isdir(_path):
        os.environ[_variable] = _path
os.environ["GDAL_DRIVER_PATH"] = "disable"
os.environ["PROJ_NETWORK"] = "OFF"
if sys.platform.startswith("linux"):
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
del _base, _variable, _folder, _path
