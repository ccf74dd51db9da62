"""``maquette shade`` and ``maquette sunlight``: ground shadows and hours of sun, headless.

::

    maquette shade BUILDINGS --at ISO8601 -o shadows.gpkg [--json]
    maquette sunlight BUILDINGS --date YYYY-MM-DD [--step MIN] [--resolution M] -o hours.tif [--json]
    maquette sunlight EXISTING --proposed PROJECT --date D -o difference.tif [--json]

No Qt is imported here: both commands run through :mod:`layers` alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from time import perf_counter
from typing import Any

from layers.core.errors import InputError

VECTOR_OUTPUTS = {
    ".gpkg": "GPKG",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".fgb": "FlatGeobuf",
    ".shp": "ESRI Shapefile",
}


def add_parsers(parser_class: type[argparse.ArgumentParser]) -> dict[str, argparse.ArgumentParser]:
    """The ``shade`` and ``sunlight`` parsers (``parser_class``: the CLI's one-line-error parser)."""
    shade = parser_class(
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
    _common(shade)

    sunlight = parser_class(
        prog="maquette sunlight",
        description="Hours of direct sun on the ground over one day (GeoTIFF, hours, "
        "in the buildings' CRS); with --proposed, the change a planned project brings.",
    )
    sunlight.add_argument("buildings", metavar="BUILDINGS", help="existing building footprints with heights")
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
    _common(sunlight)
    return {"shade": shade, "sunlight": sunlight}


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timezone", default=None, help="IANA time zone of naive times and of the day (default Europe/Paris)"
    )
    parser.add_argument("--crs", help="CRS of files that declare none (e.g. EPSG:2154)")
    parser.add_argument("--height-field", help="field holding the heights (guessed when absent)")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object with the results and timings"
    )


def _load(path: str, args: argparse.Namespace):
    from layers.core.reading import open_layer

    options: dict[str, Any] = {}
    if args.crs:
        options["crs"] = args.crs
    if args.height_field:
        options["height_field"] = args.height_field
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file or folder")
    layer = open_layer(path, "buildings", **options)
    for warning in layer.warnings:
        print(f"maquette: warning: {path.name}: {warning}", file=sys.stderr)
    return layer


def _timezone(args: argparse.Namespace) -> str:
    from layers.core.timeutil import DEFAULT_TIMEZONE, zone

    try:
        return zone(args.timezone or DEFAULT_TIMEZONE).key
    except ValueError as exc:
        raise InputError(None, f"--timezone: {exc}") from None


def _output(path: str, suffixes: set[str] | dict[str, str]) -> Path:
    output = Path(path)
    if output.suffix.lower() not in suffixes:
        raise InputError(
            output,
            f"cannot write {output.suffix or 'a file without extension'!r} (expected {', '.join(sorted(suffixes))})",
        )
    if not output.parent.exists():
        raise InputError(output, "the output folder does not exist")
    return output


def cmd_shade(args: argparse.Namespace) -> int:
    from layers.core import crs as crs_util
    from layers.core.timeutil import parse_time, zone
    from layers.sun.shadow_map import Footprints, ground_shadows

    output = _output(args.output, VECTOR_OUTPUTS)
    tz = _timezone(args)
    try:
        instant = parse_time(args.at, tz).astimezone(zone(tz))
    except ValueError as exc:
        raise InputError(None, f"--at: {exc}") from None
    t0 = perf_counter()
    layer = _load(args.buildings, args)
    load_s = perf_counter() - t0
    footprints = Footprints.from_layer(layer, tz)
    result = ground_shadows(footprints, instant)
    t1 = perf_counter()
    frame = result.frame()
    if output.exists():
        output.unlink()
    frame.to_file(
        output,
        driver=VECTOR_OUTPUTS[output.suffix.lower()],
        layer="ombres" if output.suffix.lower() == ".gpkg" else None,
    )
    write_s = perf_counter() - t1
    sun = result.sun
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
        "shadow_polygons": int(len(result.parts)),
        "buildings": int(layer.feature_count()),
        "crs": crs_util.label(layer.crs),
        "compute_crs": crs_util.label(footprints.crs),
        "meridian_convergence_deg": round(footprints.site.convergence_deg, 4),
        "load_s": round(load_s, 4),
        **result.timings,
        "write_s": round(write_s, 4),
        "total_s": round(perf_counter() - t0, 4),
    }
    if not sun.casts_shadows:
        print(
            f"maquette: warning: the sun is {sun.elevation_deg:.1f}° {'below' if sun.elevation_deg < 0 else 'above'} the horizon "
            f"at {sun.time.isoformat()}: no ground shadows to write",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        print(
            f"{output}: {stats['shadow_polygons']} shadow polygons, {stats['shadow_area_m2']:,.0f} m² "
            f"(sun azimuth {sun.azimuth_deg:.1f}°, elevation {sun.elevation_deg:.1f}°; {stats['total_s']:.2f} s)"
        )
    return 0


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise InputError(None, f"--date {text!r}: expected YYYY-MM-DD, e.g. 2025-06-21") from None


def _parse_bbox(text: str | None, layer_crs, metric_crs) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    try:
        values = [float(v) for v in text.replace(";", ",").split(",")]
    except ValueError:
        values = []
    if len(values) != 4 or not (values[0] < values[2] and values[1] < values[3]):
        raise InputError(None, f"--bbox {text!r}: expected XMIN,YMIN,XMAX,YMAX in the buildings' CRS")
    if layer_crs.equals(metric_crs):
        return tuple(values)
    from pyproj import Transformer

    return Transformer.from_crs(layer_crs, metric_crs, always_xy=True).transform_bounds(*values)


def cmd_sunlight(args: argparse.Namespace) -> int:
    from layers.core import crs as crs_util
    from layers.sun.shadow_map import Footprints
    from layers.sunlight.hours import sunlight_change, sunlight_hours, write_hours

    output = _output(args.output, {".tif", ".tiff"})
    tz = _timezone(args)
    day = _parse_day(args.date)
    t0 = perf_counter()
    layer = _load(args.buildings, args)
    project_layer = _load(args.proposed, args) if args.proposed else None
    load_s = perf_counter() - t0
    existing = Footprints.from_layer(layer, tz)
    bounds = _parse_bbox(args.bbox, layer.crs, existing.crs)
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
    }
    if project_layer is None:
        result = sunlight_hours(
            existing, day, step_min=args.step, resolution_m=args.resolution, bounds=bounds
        )
        t1 = perf_counter()
        write_hours(result, output, layer.crs)
        import numpy as np

        ground = ~np.isnan(result.hours)
        stats.update(
            _grid_stats(result),
            mean_hours=round(float(np.nanmean(result.hours)) if ground.any() else 0.0, 3),
            ground_area_m2=round(result.ground_area_m2(ground, existing.site.scale_factor), 1),
            **result.timings,
            write_s=round(perf_counter() - t1, 4),
        )
    else:
        project = Footprints.from_layer_in(project_layer, existing)
        change = sunlight_change(
            existing, project, day, step_min=args.step, resolution_m=args.resolution, bounds=bounds
        )
        t1 = perf_counter()
        before_path = output.with_name(output.stem + "_before" + output.suffix)
        after_path = output.with_name(output.stem + "_after" + output.suffix)
        write_hours(
            change.before, output, layer.crs, values=change.difference, quantity="sunlight hours difference"
        )
        write_hours(change.before, before_path, layer.crs)
        write_hours(change.after, after_path, layer.crs)
        import numpy as np

        stats.update(
            _grid_stats(change.before),
            proposed=str(args.proposed),
            outputs={"difference": str(output), "before": str(before_path), "after": str(after_path)},
            area_loss_1h_m2=round(change.area_loss_m2[1.0], 1),
            area_loss_2h_m2=round(change.area_loss_m2[2.0], 1),
            largest_loss_h=round(
                float(-np.nanmin(change.difference)) if np.isfinite(change.difference).any() else 0.0, 3
            ),
            project_footprint_m2=round(change.project_footprint_m2, 1),
            margin_m=round(change.margin_m, 1),
            **change.timings,
            write_s=round(perf_counter() - t1, 4),
        )
    stats["total_s"] = round(perf_counter() - t0, 4)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    elif project_layer is None:
        print(
            f"{output}: {stats['size'][0]}x{stats['size'][1]} px at {stats['resolution_m']:g} m, mean {stats['mean_hours']:.2f} h of sun "
            f"on {day} (at most {stats['max_hours']:g} h; {stats['total_s']:.2f} s)"
        )
    else:
        print(
            f"{output}: the project takes at least 1 h of sun from {stats['area_loss_1h_m2']:,.0f} m² and at least 2 h from "
            f"{stats['area_loss_2h_m2']:,.0f} m² on {day} (before / after: {before_path.name}, {after_path.name}; {stats['total_s']:.2f} s)"
        )
    return 0


def _grid_stats(result) -> dict[str, Any]:
    rows, cols = result.grid.shape
    return {
        "resolution_m": result.grid.size_m,
        "size": [cols, rows],
        "pixels": rows * cols,
        "sun_samples": result.sun_samples,
        "max_hours": round(result.max_hours, 3),
    }
