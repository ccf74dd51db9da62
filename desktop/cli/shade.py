"""``maquette shade BUILDINGS --at ISO -o shadows.gpkg``: ground shadows at one instant, headless.

::

    maquette shade BUILDINGS --at ISO8601 -o shadows.gpkg [--json]

The shadows are computed and written by :func:`layers.sunlight.study.shade_to_file`, as the
desktop's *Export › Data › shadows* does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any, cast

from layers.core.errors import InputError

from .common import Command, OneLineParser, check_output, print_json

if TYPE_CHECKING:
    from layers.buildings.layer import BuildingsLayer


def parser() -> OneLineParser:
    shade = OneLineParser(
        prog="maquette shade",
        description="Ground shadows of buildings at one instant (footprints excluded), "
        "written in the buildings' CRS. Flat roofs, flat ground; the sun by NREL SPA.",
    )
    shade.add_argument(
        "buildings", metavar="BUILDINGS", help="building footprints with heights (any vector file)"
    )
    shade.add_argument("--at", required=True, help="instant, ISO 8601 (naive = --timezone)")
    shade.add_argument(
        "-o", "--output", required=True, help="shadow polygons to write (.gpkg, .geojson, .fgb, .shp)"
    )
    add_buildings_flags(shade)
    return shade


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
    from layers.core.registry import open_layer

    options: dict[str, Any] = {}
    if args.crs:
        options["crs"] = args.crs
    if args.height_field:
        options["height_field"] = args.height_field
    source = Path(path)
    if not source.exists():
        raise InputError(source, "no such file or folder")
    layer = cast("BuildingsLayer", open_layer(source, "buildings", **options))
    for warning in layer.warnings:
        print(f"maquette: warning: {source.name}: {warning}", file=sys.stderr)
    return layer


def timezone_of(args: argparse.Namespace) -> str:
    """The IANA name of ``--timezone`` (default Europe/Paris); :class:`InputError` if unknown."""
    from layers.core.timeutil import DEFAULT_TIMEZONE, zone

    try:
        return zone(args.timezone or DEFAULT_TIMEZONE).key
    except ValueError as exc:
        raise InputError(None, f"--timezone: {exc}") from None


def run(args: argparse.Namespace) -> int:
    from layers.core import crs as crs_util
    from layers.core.timeutil import parse_time, zone
    from layers.sun.shadow_map import Footprints
    from layers.sunlight.study import SHADOW_DRIVERS, shade_to_file

    output = check_output(args.output, tuple(SHADOW_DRIVERS))
    tz = timezone_of(args)
    try:
        instant = parse_time(args.at, tz).astimezone(zone(tz))
    except ValueError as exc:
        raise InputError(None, f"--at: {exc}") from None
    t0 = perf_counter()
    layer = load_buildings(args.buildings, args)
    load_s = perf_counter() - t0
    footprints = Footprints.from_layer(layer, tz)
    written = shade_to_file(footprints, instant, output)
    result, sun = written.shadows, written.shadows.sun
    stats = {
        "command": "shade",
        "input": str(args.buildings),
        "output": str(output),
        "time": sun.time.isoformat(),
        "timezone": tz,
        "sun_azimuth_deg": round(sun.azimuth_deg, 4),
        "sun_elevation_deg": round(sun.elevation_deg, 4),
        "sun_up": sun.is_up,
        "shadow_area_m2": round(result.area_m2, 2),
        "shadow_polygons": written.features,
        "buildings": int(layer.feature_count()),
        "crs": crs_util.label(layer.crs),
        "compute_crs": crs_util.label(footprints.crs),
        "meridian_convergence_deg": round(footprints.site.convergence_deg, 4),
        "load_s": round(load_s, 4),
        **result.timings,
        "write_s": round(written.write_s, 4),
        "total_s": round(perf_counter() - t0, 4),
    }
    if not sun.casts_shadows:
        print(
            f"maquette: warning: the sun is {sun.elevation_deg:.1f}° "
            f"{'below' if sun.elevation_deg < 0 else 'above'} the horizon "
            f"at {sun.time.isoformat()}: no ground shadows to write",
            file=sys.stderr,
        )
    if args.json:
        print_json(stats)
    else:
        print(
            f"{output}: {stats['shadow_polygons']} shadow polygons, {stats['shadow_area_m2']:,.0f} m² "
            f"(sun azimuth {sun.azimuth_deg:.1f}°, elevation {sun.elevation_deg:.1f}°; "
            f"{stats['total_s']:.2f} s)"
        )
    return 0


COMMAND = Command("shade", parser, run)
