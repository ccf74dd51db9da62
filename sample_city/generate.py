"""Generate Maquette's synthetic sample city (a plausible invented district placed in Rennes).

Usage::

    .venv/bin/python sample_city/generate.py [--out DIR]

Writes, into DIR (default: this folder), the files described in ``sample_city/README.md``:
buildings, streets, land use, a road-noise Lden map and its isophones, a surface temperature map,
air temperature / noise / bike time series, a GTFS feed, a basemap (MBTiles) and the project file.
Deterministic: fixed seeds, no network, no clock; GeoTIFFs and the zip come out byte-identical,
GeoPackages identical in content (and in bytes with the same GDAL), the basemap's tiles and
metadata identical.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))

from citygen import gtfs, heat, noise, series, vectors
from citygen.basemap import write_basemap
from citygen.buildings import generate_buildings
from citygen.common import deterministic_gdal_env
from citygen.layout import build_layout, street_corridors
from citygen.network import street_segments
from citygen.project import project_document, write_project
from citygen.proposed import proposed_tower
from citygen.proposed import write_geojson as write_proposed

HERE = Path(__file__).resolve().parent


def generate(out: Path, verbose: bool = True) -> dict[str, float]:
    """Write every file of the sample city into ``out``; returns the timings of the steps (s)."""
    out.mkdir(parents=True, exist_ok=True)
    deterministic_gdal_env()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now
        if verbose:
            print(f"  {name:<22} {timings[name]:6.2f} s", flush=True)

    layout = build_layout()
    segments = street_segments(layout)
    main_streets = shapely.union_all(
        [g for g, c in zip(segments.geometry, segments.classe) if c != "desserte"]
    )
    geoms, rows = generate_buildings(layout, main_streets)
    step("layout + buildings")

    buildings = vectors.buildings_frame(geoms, rows)
    vectors.write_gpkg(buildings, out / "buildings.gpkg", "batiments")
    vectors.write_gpkg(vectors.streets_frame(segments), out / "streets.gpkg", "troncons")
    vectors.write_gpkg(vectors.landuse_frame(layout.landuse), out / "landuse.gpkg", "occupation_sol")
    write_proposed(proposed_tower(layout, geoms), out / "proposed_tower.geojson")
    step("vector files")

    write_basemap(
        vectors.landuse_frame(layout.landuse), vectors.streets_frame(segments), out / "basemap.mbtiles"
    )
    step("basemap tiles")

    lden = noise.lden_grid(segments, geoms)
    noise.write_lden(lden, out / "noise_lden.tif")
    vectors.write_gpkg(
        noise.isophones_frame(noise.isophone_bands(lden)), out / "noise_lden_isophones.gpkg", "isophones"
    )
    step("noise")

    temp = heat.surface_temperature(layout, street_corridors(layout.streets), geoms, rows)
    heat.write_surface_temperature(temp, out / "surface_temperature.tif")
    step("surface temperature")

    tree = shapely.STRtree(np.array(geoms, dtype=object))
    stations = series.place_stations(layout, segments, tree)
    series.write_csv(out / "air_temperature_stations.csv", *series.station_rows(stations))
    series.write_csv(out / "air_temperature.csv", *series.air_temperature_rows(stations))
    sensors = _noise_sensors(layout, segments, tree)
    series.write_csv(out / "noise_sensors.csv", *series.noise_sensor_rows(sensors, _sampler(lden)))
    counters = series.place_counters(segments)
    series.write_csv(out / "bike_counters.csv", *series.bike_rows(counters))
    (out / "bike_counters.geojson").write_text(series.counters_geojson(counters), encoding="utf-8")
    step("time series")

    gtfs.write_zip(gtfs.build_feed(layout, segments), out / "gtfs.zip")
    step("gtfs")

    write_project(project_document(layout), out / "sample_city.maquette.json")
    step("project")
    return timings


def _sampler(lden: np.ndarray):
    """Lden at a local point, from the nearest pixel that is not inside a building."""
    rows, cols = np.nonzero(np.isfinite(lden))
    cx = (cols + 0.5) * noise.PIXEL_M
    cy = lden.shape[0] * noise.PIXEL_M - (rows + 0.5) * noise.PIXEL_M

    def at(uv) -> float:
        k = int(np.argmin(np.hypot(cx - uv[0], cy - uv[1])))
        return float(lden[rows[k], cols[k]])

    return at


def _noise_sensors(layout, segments, tree):
    """Three sensors on façades of busy streets, one in a quiet courtyard (local metres)."""
    n1 = series.on_street(
        segments, tree, (860.0, 640.0), side_m=9.0, prefer="principale"
    )  # avenue de la Gare
    n2 = series.on_street(segments, tree, (520.0, 500.0), side_m=7.0, prefer="principale")  # north quay
    n3 = series.on_street(segments, tree, (520.0, 205.0), side_m=9.0, prefer="principale")  # south avenue
    # the courtyard of the largest old block near the main square
    candidates = [
        b
        for b, r in zip(layout.blocks, layout.block_role)
        if r == "historic" and 3000 < b.area < 9000 and b.centroid.distance(shapely.Point(800, 735)) < 400
    ]
    block = max(candidates, key=lambda b: shapely.buffer(b, -16.0).area)
    court = shapely.buffer(block, -16.0)
    n4 = np.asarray(shapely.point_on_surface(court).coords[0])
    return [
        ("N1", "street", tuple(n1)),
        ("N2", "street", tuple(n2)),
        ("N3", "street", tuple(n3)),
        ("N4", "courtyard", tuple(n4)),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: %(default)s)")
    parser.add_argument("--quiet", action="store_true", help="do not print the step timings")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if not args.quiet:
        print(f"sample city → {args.out}")
    generate(args.out, verbose=not args.quiet)
    if not args.quiet:
        print(f"  {'total':<22} {time.perf_counter() - start:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
