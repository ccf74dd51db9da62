"""The ``maquette`` command line.

::

    maquette [PATH ...]                     open the GUI (no PATH: the sample city)
    maquette new FOLDER... -o PROJECT       a model of a place from its downloads (--commune, --bbox)
    maquette render [PATH ...] -o out.png   headless still (--size, --time, --view, --no-legend..., --json)
    maquette video [PATH ...] -o out.mp4    headless video of a replay (--start/--end/--step/--fps) or --story
    maquette export [PATH ...] -o model.glb 3D model (.glb/.gltf/.obj) or data (.tif/.gpkg/.geojson, --data)
    maquette info PATH ...                  what a file is (kind, CRS, count, bounds, fields...)
    maquette shade BUILDINGS --at ISO -o shadows.gpkg          ground shadows at an instant
    maquette sunlight BUILDINGS --date D -o hours.tif         hours of sun over a day (--proposed)
    maquette prepare SOURCES... -o STORE    a whole region's buildings into a tiled store (on Dask)
    maquette publish PROJECT -o FOLDER      the story as an offline web page (--zip, --lang)

Exit 0 on success, 2 on bad input with one line on stderr naming the file and the problem, 1 on an
internal error (with the traceback only when ``MAQUETTE_DEBUG`` is set).

One module per command, each with a ``parser()`` and a ``run(args)``; :data:`COMMANDS` is the
table. The work itself (opening, rendering, shading, exporting) lives in :mod:`layers` and
:mod:`viewer`, shared with the GUI. Importing this package imports neither Qt nor VTK, PyVista,
pandas or pvlib: each command imports what it uses when it runs (``tests/test_startup.py``).
"""

from __future__ import annotations

import gc
import os
import sys
import traceback
from collections.abc import Sequence

from layers.core.errors import InputError

from . import export, gui, info, new, prepare, publish, render, shade, sunlight, video
from .common import Command, UsageError

#: the commands after ``maquette``, in the order of the help; without one, ``maquette`` opens the GUI
COMMANDS: dict[str, Command] = {
    command.name: command
    for command in (
        render.COMMAND,
        video.COMMAND,
        export.COMMAND,
        info.COMMAND,
        shade.COMMAND,
        sunlight.COMMAND,
        new.COMMAND,
        prepare.COMMAND,
        publish.COMMAND,
    )
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``maquette`` with ``argv`` (default: the process's arguments); the exit status."""
    process_entry = argv is None  # the console script, python -m desktop.cli, the frozen app
    argv = list(sys.argv[1:] if argv is None else argv)
    command = COMMANDS.get(argv[0]) if argv else None
    if command is None:
        command = gui.COMMAND
    else:
        argv = argv[1:]
    try:
        args = command.parser().parse_args(argv)
        status = command.run(args)
        if process_entry and command is not gui.COMMAND:
            # The process ends next. Python's last garbage collections at shut-down would walk every
            # object the command made (0.45 s after a 100,000-building render) to free memory the
            # system takes back anyway: frozen objects are skipped (still released by reference
            # counting; atexit handlers still run).
            gc.freeze()
        return status
    except (InputError, UsageError) as exc:
        message = f"maquette: error: {exc.one_line()}" if isinstance(exc, InputError) else str(exc)
        print(message, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("maquette: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: one line, traceback on demand
        if os.environ.get("MAQUETTE_DEBUG"):
            traceback.print_exc()
        print(
            f"maquette: internal error: {type(exc).__name__}: {exc} "
            "(set MAQUETTE_DEBUG=1 for details; please report it)",
            file=sys.stderr,
        )
        return 1


__all__ = ["COMMANDS", "Command", "UsageError", "main"]
