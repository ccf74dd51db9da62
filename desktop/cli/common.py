"""What the commands share: the table entry, the one-line-error parser, the burn-in flags, the
warnings printed before and after opening a project, and the checks of output files (the right
type, a folder that exists, never one of the inputs).

Nothing heavy is imported here (no Qt, VTK, PyVista, pandas, geopandas, pvlib): a command imports
what it uses when it runs, so ``maquette COMMAND --help`` and the table stay instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from layers.core.errors import InputError

if TYPE_CHECKING:
    from layers.buildings.layer import BuildingsLayer
    from layers.core.base import Layer
    from layers.session.opening import Session
    from viewer.export_image import BurnIn


class UsageError(Exception):
    """A command-line mistake (exit 2, one line)."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


class Command(NamedTuple):
    """One ``maquette`` command: its name, its argument parser, and what it runs (exit status).
    (A named tuple: ``dataclasses`` would import ``inspect`` and ``ast`` before ``--help``.)"""

    name: str
    parser: Callable[[], argparse.ArgumentParser]
    run: Callable[[argparse.Namespace], int]


def add_burn_flags(parser: argparse.ArgumentParser, *, title: bool = True) -> None:
    """What is written on the picture: every part on by default, each can be left out."""
    group = parser.add_argument_group("burned in (all on by default)")
    if title:
        group.add_argument("--title", help="title written on the picture (default: the project's)")
    group.add_argument("--no-title", action="store_true", help="no title")
    group.add_argument("--no-legend", action="store_true", help="no legends")
    group.add_argument("--no-scale-bar", action="store_true", help="no scale bar")
    group.add_argument("--no-north", action="store_true", help="no north arrow")
    group.add_argument("--no-clock", action="store_true", help="no date and time")
    group.add_argument("--no-credits", action="store_true", help="no data credits")
    group.add_argument(
        "--credits", help='credits line written instead of the layers\' own (e.g. "Source : IGN – BD TOPO")'
    )
    group.add_argument(
        "--comments",
        action="store_true",
        help="pin the project's comments, each with a short label (off by default)",
    )


def burn_in(args: argparse.Namespace, session: Session) -> BurnIn:
    """The :class:`viewer.export_image.BurnIn` the flags of :func:`add_burn_flags` ask for
    (``--comments``: the comments of ``session``'s project)."""
    from dataclasses import replace

    from layers.session.comments import comments_from_project
    from viewer.export_image import burn_from_flags

    burn = burn_from_flags(
        no_title=args.no_title,
        no_legend=args.no_legend,
        no_scale_bar=args.no_scale_bar,
        no_north=args.no_north,
        no_clock=args.no_clock,
        no_credits=args.no_credits,
        credits=args.credits,
        title=args.title,
    )
    if args.comments:
        burn = replace(burn, comments=tuple(comments_from_project(session.project.data.get("annotations"))))
    return burn


def warn_outside(paths: Sequence[str]) -> None:
    """Before anything is read: one warning line per file a project reads outside its folder (the
    GUI asks instead; a script goes on)."""
    from layers.session.opening import outside_of

    try:
        project, outside = outside_of(list(paths))
    except InputError:
        return  # opening the project reports it
    for _key, path in outside:
        print(f"maquette: warning: {project} reads data outside its folder: {path}", file=sys.stderr)


def warn_report(session: Session) -> None:
    """Print the layers of a project that could not be opened (the rest was)."""
    for error in session.report.errors:
        print(f"maquette: warning: layer skipped: {error.one_line()}", file=sys.stderr)


def layer_warnings(layers: Sequence[Layer[Any]]) -> list[str]:
    """The loaders' warnings of ``layers``, one line each naming its file, as ``maquette info``
    lists them (:func:`layers.session.info.warning_lines`): for ``--json``."""
    from layers.session.info import warning_lines

    return warning_lines(layers)


def warn_layers(layers: Sequence[Layer[Any]]) -> list[str]:
    """Print the loaders' warnings of ``layers`` (``maquette: warning: FILE: …``, one line each)
    and return them for ``--json``."""
    lines = layer_warnings(layers)
    for line in lines:
        print(f"maquette: warning: {line}", file=sys.stderr)
    return lines


def open_session(paths: Sequence[str], crs: str | None) -> tuple[Session, float]:
    """The project or data files named (the sample city with none), its skipped layers and the
    loaders' warnings printed (:func:`warn_layers`); and the seconds it took (``load_s``)."""
    from layers.session.opening import open_paths

    t0 = perf_counter()
    session = open_paths(list(paths), crs=crs)
    load_s = perf_counter() - t0
    warn_report(session)
    warn_layers(session.scene.layers)
    warn_far_apart(session.scene.layers)
    return session, load_s


def warn_far_apart(layers: Sequence[Layer[Any]]) -> list[str]:
    """Print one warning per file lying further than :data:`layers.core.scene.FAR_APART_M` from
    all the files before it (``maquette: warning: B is 420 km from A: …``), and return the lines."""
    from layers.core.scene import far_apart

    lines = [far.describe() for far in far_apart(layers)]
    for line in lines:
        print(f"maquette: warning: {line}", file=sys.stderr)
    return lines


def add_buildings_flags(parser: argparse.ArgumentParser) -> None:
    """The flags of the commands that read building footprints (``shade``, ``sunlight``)."""
    parser.add_argument(
        "--timezone", default=None, help="IANA time zone of naive times and of the day (default Europe/Paris)"
    )
    parser.add_argument("--crs", help="CRS of files that declare none (e.g. EPSG:2154)")
    parser.add_argument("--height-field", help="field holding the heights (guessed when absent)")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object with the results and timings"
    )


def load_buildings(path: str, args: argparse.Namespace) -> BuildingsLayer:
    """The buildings layer in ``path`` (``--crs``, ``--height-field`` applied), its warnings printed."""
    from layers.core.reading import open_layer

    options: dict[str, Any] = {}
    if args.crs:
        options["crs"] = args.crs
    if args.height_field:
        options["height_field"] = args.height_field
    source = Path(path)
    if not source.exists():
        raise InputError(source, "no such file or folder")
    layer = cast("BuildingsLayer", open_layer(source, "buildings", **options))
    warn_layers([layer])
    return layer


def timezone_of(args: argparse.Namespace) -> str:
    """The IANA name of ``--timezone`` (default Europe/Paris); :class:`InputError` if unknown."""
    from layers.core.timeutil import DEFAULT_TIMEZONE, zone

    try:
        return zone(args.timezone or DEFAULT_TIMEZONE).key
    except ValueError as exc:
        raise InputError(None, f"--timezone: {exc}") from None


def check_output(path: str, suffixes: Sequence[str]) -> Path:
    """``path`` when its suffix is one of ``suffixes`` and its folder exists; :class:`InputError`
    naming the file otherwise."""
    output = Path(path)
    if output.suffix.lower() not in suffixes:
        written = output.suffix or "a file without extension"
        raise InputError(output, f"cannot write {written!r} (expected {', '.join(sorted(suffixes))})")
    if not output.parent.exists():
        raise InputError(output, "the output folder does not exist")
    return output


def refuse_inputs(
    outputs: Sequence[str | Path], inputs: Sequence[str | Path | None], session: Session | None = None
) -> None:
    """:class:`InputError` (exit 2, nothing written) when an output is one of the ``inputs`` or,
    with ``session``, one of the files it read (:func:`layers.session.inputs.session_inputs`), or
    cannot be written at all (a folder, a device, a read-only file or folder: said before the work)."""
    from layers.io.atomic import check_writable
    from layers.io.outputs import check_not_inputs

    paths = list(inputs)
    if session is not None:
        from layers.session.inputs import session_inputs

        paths += session_inputs(session.project, session.scene)
    check_not_inputs(outputs, paths)
    for output in outputs:
        check_writable(output)


def print_json(payload: dict[str, Any], **options: Any) -> None:
    """The one JSON object of ``--json`` on stdout (UTF-8 kept as is)."""
    print(json.dumps(payload, ensure_ascii=False, **options))
