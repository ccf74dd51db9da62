"""``maquette render [PATH ...] -o out.png``: a still image of a project or data files, headless."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING

from .common import (
    Command,
    OneLineParser,
    add_burn_flags,
    burn_in,
    layer_warnings,
    open_session,
    print_json,
    refuse_inputs,
    warn_outside,
)

if TYPE_CHECKING:
    from layers.session.opening import Session


def parser() -> OneLineParser:
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
    render.add_argument(
        "--compare",
        nargs=2,
        metavar=("TIME_A", "TIME_B"),
        help="two moments side by side, ISO 8601 (e.g. 2025-06-21T08:00 2025-06-21T18:00): "
        "the left half at TIME_A, the right half at TIME_B, one camera (the sun on unless --no-sun)",
    )
    render.add_argument("--title", help="title written on the image (default: the project's)")
    render.add_argument("--crs", help="CRS of data files that declare none")
    render.add_argument(
        "--lang", choices=("fr", "en"), default="fr", help="language of the date on the image"
    )
    render.add_argument(
        "--sun",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="light from the true sun with cast shadows "
        "(--no-sun: the usual light; default: as the project says)",
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
    return render


def run(args: argparse.Namespace) -> int:
    from viewer.render import check_image_output, parse_size, render_still

    warn_outside(args.paths)
    size = parse_size(args.size)
    check_image_output(Path(args.output))
    refuse_inputs([args.output], args.paths)
    t0 = perf_counter()
    session, load_s = open_session(args.paths, args.crs)
    refuse_inputs([args.output], args.paths, session)
    if args.compare:
        return run_compare(args, session, size, load_s, t0)
    stats = render_still(
        session,
        args.output,
        size=size,
        time=args.time,
        view=args.view,
        title=args.title,
        language=args.lang,
        sun=args.sun,
        burn=burn_in(args, session),
        max_tile=args.max_tile,
        dpi=args.dpi,
    )
    for warning in stats["warnings"]:
        print(f"maquette: warning: {warning}", file=sys.stderr)
    stats["warnings"] = layer_warnings(session.scene.layers) + stats["warnings"]
    stats = {"command": "render", "load_s": round(load_s, 4), **stats}
    stats["total_s"] = round(perf_counter() - t0, 4)
    if args.json:
        print_json(stats)
    else:
        print(
            f"{stats['output']}: {stats['size'][0]}x{stats['size'][1]}, "
            f"{stats['features']} features, {stats['triangles']} triangles "
            f"(load {load_s:.2f} s, mesh {stats['mesh_s']:.2f} s, render {stats['render_s']:.2f} s)"
        )
    return 0


def run_compare(
    args: argparse.Namespace, session: Session, size: tuple[int, int], load_s: float, t0: float
) -> int:
    """``--compare TIME_A TIME_B``: the scene at two moments side by side in one picture."""
    from layers.core.errors import InputError
    from layers.core.timeutil import parse_time
    from viewer.render import find_view
    from viewer.split import render_compare

    if args.time is not None:
        raise InputError(None, "--time and --compare cannot be used together (--compare gives both times)")
    scene = session.scene
    times = []
    for text in args.compare:
        try:
            times.append(parse_time(text, scene.timezone))
        except ValueError as exc:
            raise InputError(None, f"--compare: {exc}") from None
    stats = render_compare(
        scene,
        args.output,
        (times[0], times[1]),
        size=size,
        view=find_view(session, args.view),
        title=args.title if args.title is not None else session.project.data.get("title"),
        language=args.lang,
        sun=args.sun is not False,
        burn=burn_in(args, session),
        max_tile=args.max_tile,
        dpi=args.dpi,
    )
    for warning in stats["warnings"]:
        print(f"maquette: warning: {warning}", file=sys.stderr)
    stats["warnings"] = layer_warnings(scene.layers) + stats["warnings"]
    stats = {"command": "render", "load_s": round(load_s, 4), **stats}
    stats["total_s"] = round(perf_counter() - t0, 4)
    if args.json:
        print_json(stats)
    else:
        print(f"{stats['output']}: {size[0]}x{size[1]}, {' | '.join(args.compare)} (load {load_s:.2f} s)")
    return 0


COMMAND = Command("render", parser, run)
