"""``maquette shade BUILDINGS --at ISO -o shadows.gpkg``: ground shadows at one instant, headless.

::

    maquette shade BUILDINGS [TREES|CANOPY ...] --at ISO8601 -o shadows.gpkg [--json]

Trees and canopy given after the buildings cast their shadows too (:mod:`desktop.cli.casters`).

The shadows are computed and written by :func:`layers.sunlight.study.shade_to_file`, as the
desktop's *Export › Data › shadows* does.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from time import perf_counter
from typing import TYPE_CHECKING, Any

from layers.core.errors import InputError

from .casters import add_caster_arguments, load_casters, parse_bbox, store_areas
from .common import (
    Command,
    OneLineParser,
    add_buildings_flags,
    check_output,
    layer_warnings,
    print_json,
    refuse_inputs,
    timezone_of,
)

if TYPE_CHECKING:
    from layers.core.base import Layer


def parser() -> OneLineParser:
    shade = OneLineParser(
        prog="maquette shade",
        description="Ground shadows of buildings (and trees, canopy) at one instant (footprints excluded), "
        "written in the buildings' CRS. Flat roofs, flat ground; the sun by NREL SPA.",
    )
    add_caster_arguments(shade, "building footprints with heights (any vector file)")
    shade.add_argument("--at", required=True, help="instant, ISO 8601 (naive = --timezone)")
    shade.add_argument(
        "-o", "--output", required=True, help="shadow polygons to write (.gpkg, .geojson, .fgb, .shp)"
    )
    shade.add_argument(
        "--bbox",
        metavar="XMIN,YMIN,XMAX,YMAX",
        help="with a prepared store: the area studied, in the store's CRS (default: the whole store)",
    )
    add_buildings_flags(shade)
    return shade


def run(args: argparse.Namespace) -> int:
    from layers.core import crs as crs_util
    from layers.core.timeutil import parse_time, zone
    from layers.sun.position import no_shadow_reason
    from layers.sun.shadow_map import Footprints
    from layers.sunlight.study import SHADOW_DRIVERS, shade_to_file

    output = check_output(args.output, tuple(SHADOW_DRIVERS))
    refuse_inputs([output], [args.buildings, *args.casters])
    tz = timezone_of(args)
    try:
        instant = parse_time(args.at, tz).astimezone(zone(tz))
    except ValueError as exc:
        raise InputError(None, f"--at: {exc}") from None
    t0 = perf_counter()
    layers = load_casters([args.buildings, *args.casters], args)
    stored = layers[0].kind == "streamed"  # a store: the buildings around --bbox, its shadows on it
    if args.bbox and not stored:
        raise InputError(None, "--bbox: only with a prepared store (a file's buildings are studied whole)")
    layers = store_areas(layers, args, _elevation_at(layers[0], instant, tz))
    layer = layers[0]
    warnings = layer_warnings(layers)
    load_s = perf_counter() - t0
    try:
        footprints = Footprints.from_layers(layers, tz)
    except ValueError as exc:
        raise InputError(args.buildings, str(exc)) from None
    area = parse_bbox(args.bbox) if stored else None
    written = shade_to_file(footprints, instant, output, area)
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
        "buildings": sum(int(other.feature_count()) for other in layers if other.kind == "buildings"),
        "casters": {other.name: int(other.feature_count()) for other in layers},
        "crs": crs_util.label(layer.crs),
        "compute_crs": crs_util.label(footprints.crs),
        "meridian_convergence_deg": round(footprints.site.convergence_deg, 4),
        "load_s": round(load_s, 4),
        **result.timings,
        "write_s": round(written.write_s, 4),
        "total_s": round(perf_counter() - t0, 4),
    }
    site = footprints.site
    reason = no_shadow_reason(sun, site.times(sun.time.astimezone(zone(site.timezone)).date()), site.lat)
    if reason is not None:
        warnings.append(f"{reason} to write")
        print(f"maquette: warning: {reason} to write", file=sys.stderr)
    if warnings:
        stats["warnings"] = warnings
    if args.json:
        print_json(stats)
    else:
        print(
            f"{output}: {stats['shadow_polygons']} shadow polygons, {stats['shadow_area_m2']:,.0f} m² "
            f"(sun azimuth {sun.azimuth_deg:.1f}°, elevation {sun.elevation_deg:.1f}°; "
            f"{stats['total_s']:.2f} s)"
        )
    return 0


def _elevation_at(layer: Layer[Any], instant: datetime, tz: str) -> float:
    """The sun's elevation (degrees) over ``layer`` at ``instant``: how far a store's buildings
    around the area studied can shade it."""
    from layers.sun.position import SunSite

    if layer.crs is None:
        return 90.0
    return SunSite.for_bounds(layer.crs, layer.bounds(), tz).position(instant).elevation_deg


COMMAND = Command("shade", parser, run)
