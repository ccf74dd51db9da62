"""``maquette [PATH ...]``: open the app on a project or data files, or on the sample city."""

from __future__ import annotations

import argparse

from layers import __version__

from .common import Command, OneLineParser


def parser() -> OneLineParser:
    gui = OneLineParser(
        prog="maquette",
        description="Maquette: the city's open data in 3D. "
        "Opens the app on PATH (a project or data files), or on the sample city.",
        epilog="Commands: maquette render …, video …, export …, info …, shade …, sunlight … "
        "(maquette COMMAND --help).",
    )
    gui.add_argument("paths", nargs="*", metavar="PATH", help="project (*.maquette.json) or data files")
    gui.add_argument("--crs", help="CRS of data files that declare none (e.g. EPSG:2154)")
    gui.add_argument(
        "--lang",
        choices=("fr", "en"),
        help="interface language for this session (default: View › Interface language, else the system's)",
    )
    gui.add_argument("--version", action="version", version=f"maquette {__version__}")
    return gui


def run(args: argparse.Namespace) -> int:
    from desktop.app import run_gui  # Qt: only for this command

    return run_gui(args.paths, crs=args.crs, language=args.lang)


COMMAND = Command("gui", parser, run)
