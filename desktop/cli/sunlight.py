"""``maquette sunlight BUILDINGS --date D -o hours.tif``: hours of sun over a day, headless.

::

    maquette sunlight BUILDINGS [TREES|CANOPY ...] --date YYYY-MM-DD [--step MIN] [--resolution M]
                      -o hours.tif [--json]
    maquette sunlight EXISTING [TREES|CANOPY ...] --proposed PROJECT --date D -o difference.tif [--json]

Trees and canopy given after the buildings shade the ground too (:mod:`desktop.cli.casters`).

The study is computed and written by :func:`layers.sunlight.study.sunlight_study`, as the app's
« Ensoleillement » dialog does.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from time import perf_counter
from typing import TYPE_CHECKING, Any

from layers.core.errors import InputError

from .casters import add_caster_arguments, load_casters, store_areas
from .common import (
    Command,
    OneLineParser,
    add_buildings_flags,
    check_output,
    layer_warnings,
    load_buildings,
    print_json,
    refuse_inputs,
    timezone_of,
)

if TYPE_CHECKING:
    from pyproj import CRS

    from layers.sunlight.hours import SunlightHours


def parser() -> OneLineParser:
    sunlight = OneLineParser(
        prog="maquette sunlight",
        description="Hours of direct sun on the ground over one day (GeoTIFF, hours, "
        "in the buildings' CRS); with --proposed, the change a planned project brings.",
    )
    add_caster_arguments(sunlight, "existing building footprints with heights")
    sunlight.add_argument("--date", required=True, help="the day, YYYY-MM-DD (local day in --timezone)")
    sunlight.add_argument(
        "-o", "--output", required=True, help="GeoTIFF to write (hours, or the difference with --proposed)"
    )
    sunlight.add_argument(
        "--step", type=float, default=15.0, metavar="MIN", help="sampling step in minutes (default 15)"
    )
    sunlight.add_argument(
        "--resolution",
        type=float,
        metavar="M",
        help="pixel size in metres (default: 1 m, coarser for large areas)",
    )
    sunlight.add_argument(
        "--bbox",
        metavar="XMIN,YMIN,XMAX,YMAX",
        help="area to compute, in the buildings' CRS (default: all of them, or around the project)",
    )
    sunlight.add_argument(
        "--proposed",
        metavar="PROJECT",
        help="planned buildings: writes before / after hours and their difference",
    )
    add_buildings_flags(sunlight)
    return sunlight


def parse_day(text: str) -> date:
    from layers.core.timeutil import OUTSIDE, check_day

    try:
        day = date.fromisoformat(text.strip()[:10])
    except ValueError as exc:
        if re.match(r"^\s*(?:[+-]\d{4,}|\d{5,}|0000)-", text):
            raise InputError(None, f"--date {text!r} {OUTSIDE}") from None
        if re.match(r"^\s*\d{4}-\d{2}-\d{2}", text) and ("range" in str(exc) or "must be in" in str(exc)):
            raise InputError(None, f"--date {text!r} is not a day that exists ({exc})") from None
        raise InputError(None, f"--date {text!r}: expected YYYY-MM-DD, e.g. 2025-06-21") from None
    try:
        return check_day(day, text)
    except ValueError as exc:
        raise InputError(None, f"--date {exc}") from None


def parse_bbox(text: str | None, layer_crs: CRS, metric_crs: CRS) -> tuple[float, float, float, float] | None:
    """``--bbox`` in the buildings' CRS, as bounds in the computation's metric CRS."""
    if text is None:
        return None
    try:
        values = [float(v) for v in text.replace(";", ",").split(",")]
    except ValueError:
        values = []
    if len(values) != 4 or not (values[0] < values[2] and values[1] < values[3]):
        raise InputError(None, f"--bbox {text!r}: expected XMIN,YMIN,XMAX,YMAX in the buildings' CRS")
    check_bbox_domain(text, (values[0], values[1], values[2], values[3]), layer_crs)
    if layer_crs.equals(metric_crs):
        return (values[0], values[1], values[2], values[3])
    from pyproj import Transformer

    xmin, ymin, xmax, ymax = values
    return Transformer.from_crs(layer_crs, metric_crs, always_xy=True).transform_bounds(
        xmin, ymin, xmax, ymax
    )


def check_bbox_domain(text: str, bbox: tuple[float, float, float, float], layer_crs: CRS) -> None:
    """:class:`InputError` for a ``--bbox`` that is no place in the buildings' CRS: beyond
    longitude ±180° / latitude ±90° in degrees, degrees given for a CRS in metres, or no place on
    Earth (a UTM easting of 10⁹ m)."""
    from layers.core import crs as crs_util

    horizontal = crs_util.horizontal(layer_crs)
    label = crs_util.label(layer_crs)
    if horizontal.is_geographic:
        if not crs_util.looks_like_degrees(bbox):
            raise InputError(
                None,
                f"--bbox {text!r} goes beyond longitude ±180° or latitude ±90°, "
                f"the buildings' CRS being {label} (degrees)",
            )
        return
    if crs_util.looks_like_degrees(bbox) and not crs_util.plausible_in(horizontal, bbox):
        raise InputError(
            None,
            f"--bbox {text!r} looks like longitudes / latitudes, but the buildings' CRS is {label} "
            "(metres): give the box in metres in that CRS",
        )
    if not crs_util.on_earth(horizontal, bbox):
        raise InputError(None, f"--bbox {text!r} is no place on Earth in the buildings' CRS {label}")


def run(args: argparse.Namespace) -> int:
    from layers.core import crs as crs_util
    from layers.streamed.studies import LOWEST_ELEVATION_DEG
    from layers.sun.position import polar_note
    from layers.sun.shadow_map import Footprints
    from layers.sunlight.study import StudyFiles, sunlight_study

    output = check_output(args.output, (".tif", ".tiff"))
    files = StudyFiles(
        hours=output,
        before=output.with_name(output.stem + "_before" + output.suffix),
        after=output.with_name(output.stem + "_after" + output.suffix),
        difference=output,
    )
    refuse_inputs(
        [output, files.before, files.after] if args.proposed else [output],
        [args.buildings, *args.casters, args.proposed],
    )
    tz = timezone_of(args)
    day = parse_day(args.date)
    t0 = perf_counter()
    layers = load_casters([args.buildings, *args.casters], args)
    layers = store_areas(layers, args, LOWEST_ELEVATION_DEG)  # a store: the buildings around --bbox
    layer = layers[0]
    project_layer = load_buildings(args.proposed, args) if args.proposed else None
    load_s = perf_counter() - t0
    try:
        existing = Footprints.from_layers(layers, tz)
    except ValueError as exc:
        raise InputError(args.buildings, str(exc)) from None
    if layer.crs is None:  # a loaded layer always has one (its file's, or --crs)
        raise InputError(args.buildings, "no coordinate reference system", hint="give --crs")
    bounds = parse_bbox(args.bbox, layer.crs, existing.crs)
    times = existing.site.times(day)
    stats: dict[str, Any] = {
        "command": "sunlight",
        "input": str(args.buildings),
        "output": str(output),
        "date": day.isoformat(),
        "timezone": tz,
        "step_min": args.step,
        "crs": crs_util.label(layer.crs),
        "compute_crs": crs_util.label(existing.crs),
        "sunrise": times.sunrise.isoformat() if times.sunrise else None,
        "sunset": times.sunset.isoformat() if times.sunset else None,
        "daylight_h": round(times.daylight_h, 3),
        "load_s": round(load_s, 4),
        "casters": {other.name: int(other.feature_count()) for other in layers},
        "warnings": layer_warnings(layers if project_layer is None else [*layers, project_layer]),
    }
    polar = polar_note(times, existing.site.lat)
    if polar is not None:
        polar += ": no hour of sun anywhere" if times.polar == "night" else ": up to 24 hours of sun"
        print(f"maquette: warning: {polar}", file=sys.stderr)
        stats["warnings"].append(polar)
    project = Footprints.from_layer_in(project_layer, existing) if project_layer is not None else None
    study = sunlight_study(
        existing,
        project,
        day,
        files,
        layer.crs,
        step_min=args.step,
        resolution_m=args.resolution,
        bounds=bounds,
    )
    figures, timings = study.figures, study.timings
    write_s = round(timings.pop("write_s"), 4)
    if study.change is None:
        stats.update(
            grid_stats(study.hours),
            mean_hours=round(figures["mean_hours"], 3),
            ground_area_m2=round(figures["ground_area_m2"], 1),
            **timings,
            write_s=write_s,
        )
    else:
        stats.update(
            grid_stats(study.hours),
            proposed=str(args.proposed),
            outputs={
                "difference": str(files.difference),
                "before": str(files.before),
                "after": str(files.after),
            },
            area_loss_1h_m2=round(figures["area_loss_1h_m2"], 1),
            area_loss_2h_m2=round(figures["area_loss_2h_m2"], 1),
            largest_loss_h=round(figures["largest_loss_h"], 3),
            project_footprint_m2=round(figures["project_footprint_m2"], 1),
            margin_m=round(figures["margin_m"], 1),
            **timings,
            write_s=write_s,
        )
    stats["total_s"] = round(perf_counter() - t0, 4)
    if args.json:
        print_json(stats)
    elif study.change is None:
        print(
            f"{output}: {stats['size'][0]}x{stats['size'][1]} px at {stats['resolution_m']:g} m, "
            f"mean {stats['mean_hours']:.2f} h of sun on {day} "
            f"(at most {stats['max_hours']:g} h; {stats['total_s']:.2f} s)"
        )
    else:
        print(
            f"{output}: the project takes at least 1 h of sun from {stats['area_loss_1h_m2']:,.0f} m² "
            f"and at least 2 h from {stats['area_loss_2h_m2']:,.0f} m² on {day} "
            f"(before / after: {files.before.name}, {files.after.name}; {stats['total_s']:.2f} s)"
        )
    return 0


def grid_stats(result: SunlightHours) -> dict[str, Any]:
    """The grid of a result, for ``--json``: pixel size (m), size (columns, rows), pixels, samples."""
    rows, cols = result.grid.shape
    return {
        "resolution_m": result.grid.size_m,
        "size": [cols, rows],
        "pixels": rows * cols,
        "sun_samples": result.sun_samples,
        "max_hours": round(result.max_hours, 3),
    }


COMMAND = Command("sunlight", parser, run)
