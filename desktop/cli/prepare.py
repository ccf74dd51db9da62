"""``maquette prepare SOURCES... -o STORE``: a whole region's buildings prepared once into a store.

::

    maquette prepare BATIMENT_D035.gpkg BATIMENT_D056.gpkg ... -o bretagne.store
        [--workers N] [--memory-limit 2GB] [--scheduler ADDRESS] [--tile-size 1000] [--crs EPSG:2154]
        [--layer NAME] [--json]

The work (:func:`layers.store.prepare.prepare_store`) runs on a local Dask cluster (processes
bound to 127.0.0.1) or on the cluster at ``--scheduler``. Progress goes to the standard error on
one line; Ctrl+C stops, and the same command run again continues where it stopped. The summary
says what each source read, kept and dropped (by reason), the tiles, the size and the time.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import Command, OneLineParser, print_json


def parser() -> OneLineParser:
    prepare = OneLineParser(
        prog="maquette prepare",
        description="Prepare the buildings of a whole region once (many footprint files, e.g. one per "
        "departement) into a tiled store: repaired, heights resolved, reprojected, sorted along a "
        "Hilbert curve into GeoParquet tiles with merged blocks for far views. Resumable.",
    )
    prepare.add_argument("sources", nargs="+", help="footprint files (.gpkg, .fgb, .shp, .geojson, .parquet)")
    prepare.add_argument(
        "-o", "--output", required=True, help="store folder to write (new, empty or resumed)"
    )
    prepare.add_argument("--workers", type=int, default=2, help="local Dask worker processes (default 2)")
    prepare.add_argument("--memory-limit", default="2GB", help="memory per local worker (default 2GB)")
    prepare.add_argument(
        "--scheduler",
        help="address of an existing Dask scheduler (tcp://HOST:PORT); its workers must see the sources "
        "and the store folder at the same paths (a shared disk)",
    )
    prepare.add_argument("--tile-size", type=float, default=1000.0, help="tile side in metres (default 1000)")
    prepare.add_argument("--crs", default="EPSG:2154", help="CRS of the store, metres (default EPSG:2154)")
    prepare.add_argument("--layer", help="GeoPackage layer to read in every source")
    prepare.add_argument("--chunksize", type=int, default=100_000, help=argparse.SUPPRESS)
    prepare.add_argument("--json", action="store_true", help="print the summary as JSON")
    return prepare


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def run(args: argparse.Namespace) -> int:
    from layers.core.errors import InputError
    from layers.store.prepare import PrepareOptions, prepare_store

    if args.workers < 1:
        raise InputError(None, f"--workers must be 1 or more, not {args.workers}")
    if args.chunksize < 1:
        raise InputError(None, f"--chunksize must be 1 or more, not {args.chunksize}")
    options = PrepareOptions(
        crs=args.crs,
        tile_size_m=args.tile_size,
        layer=args.layer,
        workers=args.workers,
        memory_limit=args.memory_limit,
        scheduler=args.scheduler,
        chunksize=args.chunksize,
    )
    summary = prepare_store(args.sources, args.output, options, progress=sys.stderr)
    payload: dict[str, Any] = {
        "command": "prepare",
        "store": str(summary.store),
        "sources": summary.sources,
        "read": sum(int(s["read"]) for s in summary.sources),
        "kept": summary.count,
        "blocks": summary.blocks,
        "tiles": summary.tiles,
        "bytes": summary.bytes,
        "resumed_partitions": summary.resumed,
        "total_s": round(summary.seconds, 3),
    }
    if args.json:
        print_json(payload)
        return 0
    for source in summary.sources:
        dropped = sum(source["dropped"].values())
        reasons = ", ".join(f"{reason} {count}" for reason, count in source["dropped"].items())
        print(
            f"{source['path']}: read {source['read']}, kept {source['kept']}, dropped {dropped}"
            + (f" ({reasons})" if reasons else "")
            + f", repaired {source['repaired']}, heights defaulted {source['heights_defaulted']}"
        )
    print(
        f"{summary.store}: {summary.count} buildings in {summary.tiles} tiles, {summary.blocks} merged "
        f"blocks, {_size(summary.bytes)} ({summary.seconds:.1f} s"
        + (f", {summary.resumed} partitions kept from before" if summary.resumed else "")
        + ")"
    )
    return 0


COMMAND = Command("prepare", parser, run)
