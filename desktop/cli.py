"""The ``maquette`` command line.

::

    maquette [PATH ...]                     open the GUI (no PATH: the sample city)
    maquette render [PATH ...] -o out.png   headless still (--size, --time, --view, --no-legend..., --json)
    maquette video [PATH ...] -o out.mp4    headless video of a replay (--start/--end/--step/--fps) or --story
    maquette export [PATH ...] -o model.glb 3D model (.glb/.gltf/.obj) or data (.tif/.gpkg/.geojson, --data)
    maquette info PATH ...                  what a file is (kind, CRS, count, bounds, fields...)
    maquette shade BUILDINGS --at ISO -o shadows.gpkg          ground shadows at an instant
    maquette sunlight BUILDINGS --date D -o hours.tif         hours of sun over a day (--proposed)

Exit 0 on success, 2 on bad input with one line on stderr naming the file and the problem, 1 on an
internal error (with the traceback only when ``MAQUETTE_DEBUG`` is set).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from time import perf_counter
from typing import Any

from layers import __version__
from layers.core.errors import InputError

from .cli_export import add_burn_flags, burn_in
from .cli_export import add_parsers as export_parsers

COMMANDS = ("render", "video", "export", "info", "shade", "sunlight")


class UsageError(Exception):
    """A command-line mistake (exit 2, one line)."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def build_parsers() -> dict[str, argparse.ArgumentParser]:
    gui = OneLineParser(
        prog="maquette",
        description="Maquette: the city's open data in 3D. Opens the app on PATH (a project or data files), or on the sample city.",
        epilog="Commands: maquette render …, video …, export …, info …, shade …, sunlight … (maquette COMMAND --help).",
    )
    gui.add_argument("paths", nargs="*", metavar="PATH", help="project (*.maquette.json) or data files")
    gui.add_argument("--crs", help="CRS of data files that declare none (e.g. EPSG:2154)")
    gui.add_argument(
        "--lang",
        choices=("fr", "en"),
        help="interface language for this session (default: View › Interface language, else the system's)",
    )
    gui.add_argument("--version", action="version", version=f"maquette {__version__}")

    render = OneLineParser(
        prog="maquette render",
        description="Render a still image of a project or data files, without a display.",
    )
    render.add_argument(
        "paths", nargs="*", metavar="PATH", help="project or data files (default: the sample city)"
    )
    render.add_argument("-o", "--output", required=True, help="image to write (.png or .jpg)")
    render.add_argument("--size", default="1920x1080", help="WIDTHxHEIGHT in pixels (default 1920x1080)")
    render.add_argument("--time", help="clock time, ISO 8601 (naive = the scene's time zone)")
    render.add_argument("--view", help="name of a camera view of the project")
    render.add_argument("--title", help="title written on the image (default: the project's)")
    render.add_argument("--crs", help="CRS of data files that declare none")
    render.add_argument(
        "--lang", choices=("fr", "en"), default="fr", help="language of the date on the image"
    )
    render.add_argument(
        "--sun",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="light from the true sun with cast shadows (--no-sun: the usual light; default: as the project says)",
    )
    render.add_argument(
        "--dpi", type=int, help="print resolution stored in the file (e.g. 300 for A4 at 3508x2480)"
    )
    render.add_argument(
        "--max-tile",
        type=int,
        metavar="PX",
        help="draw in tiles of at most PX pixels a side (default: what the GL driver allows, up to 4096)",
    )
    render.add_argument(
        "--json", action="store_true", help="print one JSON object with the results and timings"
    )
    add_burn_flags(render, title=False)

    info = OneLineParser(
        prog="maquette info",
        description="Say what files are: kind, CRS, feature count, bounds, fields, height field, time range.",
    )
    info.add_argument("paths", nargs="+", metavar="PATH")
    info.add_argument("--crs", help="CRS of files that declare none")
    info.add_argument("--json", action="store_true", help="print one JSON object")
    from .cli_sun import add_parsers as sun_parsers

    return {
        "gui": gui,
        "render": render,
        "info": info,
        **sun_parsers(OneLineParser),
        **export_parsers(OneLineParser),
    }


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parsers = build_parsers()
    command = argv[0] if argv and argv[0] in COMMANDS else "gui"
    if command != "gui":
        argv = argv[1:]
    try:
        args = parsers[command].parse_args(argv)
        if command not in ("gui", "info"):
            warn_outside(getattr(args, "paths", None) or [])
        if command == "render":
            return cmd_render(args)
        if command == "info":
            return cmd_info(args)
        if command in ("video", "export"):
            from . import cli_export

            return cli_export.cmd_video(args) if command == "video" else cli_export.cmd_export(args)
        if command in ("shade", "sunlight"):
            from . import cli_sun

            return cli_sun.cmd_shade(args) if command == "shade" else cli_sun.cmd_sunlight(args)
        from .app import run_gui

        return run_gui(args.paths, crs=args.crs, language=args.lang)
    except (InputError, UsageError) as exc:
        message = exc.one_line() if isinstance(exc, InputError) else str(exc)
        print(f"maquette: error: {message}" if isinstance(exc, InputError) else message, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("maquette: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: one line, traceback on demand
        if os.environ.get("MAQUETTE_DEBUG"):
            traceback.print_exc()
        print(
            f"maquette: internal error: {type(exc).__name__}: {exc} (set MAQUETTE_DEBUG=1 for details; please report it)",
            file=sys.stderr,
        )
        return 1


def cmd_render(args: argparse.Namespace) -> int:
    from layers.session.opening import open_paths
    from viewer.render import parse_size, render_still

    size = parse_size(args.size)
    t0 = perf_counter()
    session = open_paths(args.paths, crs=args.crs)
    load_s = perf_counter() - t0
    warn_report(session)
    stats = render_still(
        session,
        args.output,
        size=size,
        time=args.time,
        view=args.view,
        title=args.title,
        language=args.lang,
        sun=args.sun,
        burn=burn_in(args),
        max_tile=args.max_tile,
        dpi=args.dpi,
    )
    stats = {"command": "render", "load_s": round(load_s, 4), **stats}
    stats["total_s"] = round(perf_counter() - t0, 4)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        print(
            f"{stats['output']}: {stats['size'][0]}x{stats['size'][1]}, {stats['features']} features, {stats['triangles']} triangles "
            f"(load {load_s:.2f} s, mesh {stats['mesh_s']:.2f} s, render {stats['render_s']:.2f} s)"
        )
    return 0


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


def warn_report(session: Any) -> None:
    """Print the layers of a project that could not be opened (the rest was)."""
    for error in session.report.errors:
        print(f"maquette: warning: layer skipped: {error.one_line()}", file=sys.stderr)


def cmd_info(args: argparse.Namespace) -> int:
    from layers.session.info import describe_path

    results = []
    total = perf_counter()
    for path in args.paths:
        results.append(describe_path(path, crs=args.crs))  # the text as typed: "http://" not folded
    payload = {"command": "info", "files": results, "load_s": round(perf_counter() - total, 4)}
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, default=str))
    else:
        for result in results:
            print(format_info(result))
    return 0


def format_info(info: dict[str, Any]) -> str:
    """Human-readable ``maquette info`` output: one ``key: value`` per line, nested lists indented."""
    lines = [f"{info.get('path')}"]
    for key, value in info.items():
        if key == "path":
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"  {key}:")
            for item in value:
                lines.append("    - " + ", ".join(f"{k}={v}" for k, v in item.items()))
        elif isinstance(value, dict):
            lines.append(f"  {key}: " + ", ".join(f"{k}={v}" for k, v in value.items()))
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value[:12]) + (
                f", … ({len(value)} in all)" if len(value) > 12 else ""
            )
            lines.append(f"  {key}: {shown}")
        else:
            lines.append(f"  {key}: {value}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
