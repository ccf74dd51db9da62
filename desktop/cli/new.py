"""``maquette new FOLDER_OR_FILES... [--commune NAME|INSEE] [--bbox ...] -o PROJECT``: a model of a
place from a folder of downloads (BD TOPO, LiDAR HD, orthophotos, trees...), clipped to a commune
or a box, written as a project with first styles and a first view. The work is
:func:`layers.session.new_model.make_model`, which the window's File › New model runs too."""

from __future__ import annotations

import argparse

from .common import Command, OneLineParser, print_json


def parser() -> OneLineParser:
    new = OneLineParser(
        prog="maquette new",
        description="Make a project of a place from a folder of open-data downloads "
        "(each file recognised, everything read over the commune or the box only).",
    )
    new.add_argument("paths", nargs="+", metavar="FOLDER_OR_FILE", help="folders of downloads, or files")
    new.add_argument("-o", "--output", required=True, help="the project to write (*.maquette.json)")
    area = new.add_mutually_exclusive_group()
    area.add_argument(
        "--commune",
        metavar="NAME|INSEE",
        help="the commune to model, by name or INSEE code (its outline from BD TOPO's COMMUNE theme)",
    )
    area.add_argument("--bbox", metavar="XMIN,YMIN,XMAX,YMAX", help="the box to model")
    new.add_argument(
        "--bbox-crs",
        metavar="CRS",
        help="CRS of --bbox (default: degrees when the numbers look like degrees, else the data's CRS)",
    )
    new.add_argument(
        "--lang", choices=("fr", "en"), default="fr", help="language of the first view's name (default fr)"
    )
    new.add_argument("--json", action="store_true", help="print the report as one JSON object with timings")
    return new


def run(args: argparse.Namespace) -> int:
    from layers.core.safety import check_local
    from layers.session.new_model import make_model, write_model

    for path in args.paths:
        check_local(path)
    model = make_model(
        args.paths,
        args.output,
        commune=args.commune,
        bbox=args.bbox,
        bbox_crs=args.bbox_crs,
        language=args.lang,
    )
    written = write_model(model)
    if args.json:
        print_json(model.to_dict())
    else:
        print(f"{written}: {len(model.layers)} layers")
        for line in model.report_lines():
            print(line)
    return 0


COMMAND = Command("new", parser, run)
