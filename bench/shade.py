"""Sun and shade: truth of the ground shadows, speed against pybdshadow, 100,000 buildings,
sunlight hours, and the render time of the sunlit view. Side by side, in one run.

Run on demand from the repository root (pybdshadow comes with ``pip install -e .[bench]``)::

    .venv/bin/python bench/shade.py all --repeat 3       # everything below
    .venv/bin/python bench/shade.py truth                # exact union vs two independent references
    .venv/bin/python bench/shade.py peer --repeat 3      # vs pybdshadow on 5,000+ real footprints
    .venv/bin/python bench/shade.py city --repeat 2      # 100,000 buildings, three kinds of city
    .venv/bin/python bench/shade.py hours --repeat 3     # 1 km² at 1 m, 15-min steps, 21 June
    .venv/bin/python bench/shade.py render --repeat 5    # sample city, 1920x1080, CPU or GPU

Truth references, independent of the code under test:

* **triangle sweep**: each footprint is cut into GEOS constrained-Delaunay triangles; a triangle
  swept along the shadow is the convex hull of its six corners at the base and the top offsets
  (exact for a convex piece); all hulls are unioned and the ground footprints removed. The shadow
  offset is found separately for every building with a geodesic: the point ``height / tan(el)``
  away along the true azimuth (``pyproj.Geod.fwd`` on the ellipsoid), projected into the layer's
  CRS; so the meridian convergence and the grid scale are not taken from :mod:`layers.sun.position`.
  WGS84 input is compared in its UTM zone, not in our local transverse Mercator;
* **ray test**: pixel centres of a fine grid are in the shade when the segment from the point
  towards the sun, between each part's base and top heights, meets that part's footprint.

Figures are printed as JSON lines and as a table; bench/shade.md keeps them.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = Path(os.environ.get("MAQUETTE_SHARED_DATA", ROOT.parent / "shared" / "data")) / "buildings"
LYON = DATA / "lyon1_bdtopo" / "buildings_lyon1.geojson"
LORIENT = DATA / "lorient_noisemodelling" / "buildings.shp"
CAMPUS = DATA / "rennes2_campus" / "campus_rennes2_bati_3d.geojson"
SAMPLE = ROOT / "sample_city" / "buildings.gpkg"
TZ = "Europe/Paris"


def emit(record: dict) -> dict:
    print(json.dumps(record, ensure_ascii=False), flush=True)
    return record


def best_of(repeat: int, function):
    """(best seconds, last result) of ``repeat`` calls."""
    best, result = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - t0)
    return best, result


def instant(text: str):
    from layers.core.timeutil import parse_time

    return parse_time(text, TZ)


def load(path: Path, **options):
    from layers.buildings.layer import BuildingsLayer

    return BuildingsLayer.load(path, **options)


# -- truth ---------------------------------------------------------------------------------------
def geodesic_offsets(polygons, crs, when) -> np.ndarray:
    """(n, 2) grid metres of shadow per metre of height, per building: the sun from pvlib's SPA at
    the building (groups of 0.01°), then a geodesic step away from it, projected into ``crs``."""
    import pandas as pd
    import shapely
    from pvlib import solarposition
    from pyproj import Geod, Transformer

    geod = Geod(ellps="GRS80")
    centres = shapely.centroid(polygons)
    x, y = shapely.get_x(centres), shapely.get_y(centres)
    to_geo = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    to_grid = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    lon, lat = (np.asarray(v) for v in to_geo.transform(x, y))
    keys = np.round(np.column_stack([lon, lat]), 2)
    unique, group = np.unique(keys, axis=0, return_inverse=True)
    azimuth, elevation = np.empty(len(unique)), np.empty(len(unique))
    for k, (glon, glat) in enumerate(unique):
        table = solarposition.get_solarposition(pd.DatetimeIndex([when]), glat, glon, method="nrel_numpy")
        azimuth[k], elevation[k] = table["azimuth"].iloc[0], table["apparent_elevation"].iloc[0]
    azimuth, elevation = azimuth[group.ravel()], elevation[group.ravel()]
    step_m = 100.0  # ground metres walked, then scaled to one metre of height
    lon2, lat2, _ = geod.fwd(lon, lat, (azimuth + 180.0) % 360.0, np.full(len(lon), step_m))
    x2, y2 = to_grid.transform(lon2, lat2)
    per_height = 1.0 / np.tan(np.radians(elevation)) / step_m
    return np.column_stack([(np.asarray(x2) - x) * per_height, (np.asarray(y2) - y) * per_height])


def polygonal(geometry):
    """The polygons of a geometry (make_valid may add lines and points)."""
    import shapely

    parts = shapely.get_parts(shapely.get_parts(geometry))  # collections may hold multipolygons
    return shapely.multipolygons(parts[np.isin(shapely.get_type_id(parts), (3,))])


def overlay_areas(a, b) -> tuple[float, float]:
    """Areas of the intersection and the union of two geometries (snapped to 1 mm if GEOS balks)."""
    import shapely

    try:
        return shapely.area(shapely.intersection(a, b)), shapely.area(shapely.union(a, b))
    except shapely.errors.GEOSException:
        a, b = (polygonal(shapely.make_valid(g)) for g in (a, b))  # degrees rounded back to metres
        return (
            shapely.area(shapely.intersection(a, b, grid_size=0.001)),
            shapely.area(shapely.union(a, b, grid_size=0.001)),
        )


def triangle_sweep_union(polygons, height, base, offsets):
    """The reference ground shadow: triangle hull sweeps, unioned, ground footprints removed."""
    import shapely

    from layers.sun.shadow import on_ground

    triangles = shapely.constrained_delaunay_triangles(polygons)
    counts = shapely.get_num_geometries(triangles)
    coords = shapely.get_coordinates(triangles).reshape(-1, 4, 2)[:, :3]
    owner = np.repeat(np.arange(len(polygons)), counts)
    v0 = (base[owner, None] * offsets[owner])[:, None, :]
    v1 = (height[owner, None] * offsets[owner])[:, None, :]
    corners = np.concatenate([coords + v0, coords + v1], axis=1)
    hulls = shapely.convex_hull(shapely.multipoints(corners))
    swept = shapely.union_all(hulls)
    ground = shapely.union_all(polygons[on_ground(height, base)])
    return shapely.difference(swept, ground)


def ray_test(polygons, height, base, offset, window, pixel_m: float):
    """Bool grid over ``window`` (xmin, ymin, xmax, ymax): pixel centres the sun cannot reach."""
    import shapely

    from layers.sun.shadow import on_ground

    xs = np.arange(window[0] + pixel_m / 2, window[2], pixel_m)
    ys = np.arange(window[3] - pixel_m / 2, window[1], -pixel_m)
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    tree = shapely.STRtree(polygons)
    reach = float(np.max(height)) * offset
    probe = shapely.linestrings(np.stack([points, points - reach], axis=1))
    pairs = tree.query(probe, predicate="intersects")
    point, part = pairs
    a = points[point] - base[part, None] * offset
    b = points[point] - height[part, None] * offset
    hit = shapely.intersects(shapely.linestrings(np.stack([a, b], axis=1)), polygons[part])
    shade = np.zeros(len(points), bool)
    shade[point[hit]] = True
    inside = tree.query(shapely.points(points), predicate="within")
    ground = np.zeros(len(points), bool)
    ground[inside[0][on_ground(height, base)[inside[1]]]] = True
    return (shade & ~ground).reshape(gx.shape), ground.reshape(gx.shape)


def truth(args) -> list[dict]:
    import geopandas as gpd
    import shapely
    from rasterio.features import rasterize

    from layers.core import crs as crs_util
    from layers.sun.shadow_map import Footprints, ground_shadows

    records = []
    cases = [
        ("Lyon 1er, BD TOPO (CC46)", LYON, {}),
        ("Lorient, OSM (Lambert-93)", LORIENT, {}),
        ("Rennes 2 campus (WGS84, parts on stilts)", CAMPUS, {}),
        ("sample city (Lambert-93)", SAMPLE, {"height_field": "hauteur"}),
    ]
    times = ["2025-06-21T09:00", "2025-06-21T13:00", "2025-06-21T18:00", "2025-12-21T11:00"]
    for label, path, options in cases:
        if not path.exists():
            continue
        layer = load(path, **options)
        footprints = Footprints.from_layer(layer, TZ)
        polygons = np.asarray(layer.frame.geometry.values)
        crs = layer.crs
        if crs.is_geographic:  # the reference works in the UTM zone, we work in a local TM
            b = layer.bounds()
            crs = crs_util.utm_for((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
            polygons = np.asarray(gpd.GeoSeries(polygons, crs=layer.crs).to_crs(crs).values)
        for when in times:
            t = instant(when)
            ours = ground_shadows(footprints, t)
            sun = ours.sun
            ours_geom = shapely.union_all(ours.parts)
            if not layer.crs.equals(crs):
                ours_geom = gpd.GeoSeries([ours_geom], crs=layer.crs).to_crs(crs).iloc[0]
            offsets = geodesic_offsets(polygons, crs, t)
            t0 = time.perf_counter()
            reference = triangle_sweep_union(polygons, layer.height_m, layer.base_m, offsets)
            ref_s = time.perf_counter() - t0
            inter, union = overlay_areas(ours_geom, reference)
            a_ours, a_ref = shapely.area(ours_geom), shapely.area(reference)
            records.append(
                emit(
                    {
                        "bench": "truth",
                        "case": label,
                        "time": when,
                        "crs": crs_util.label(crs),
                        "buildings": len(polygons),
                        "holes": int(shapely.get_num_interior_rings(polygons).sum()),
                        "stilts": int((layer.base_m > 0).sum()),
                        "sun_azimuth_deg": round(sun.azimuth_deg, 2),
                        "sun_elevation_deg": round(sun.elevation_deg, 2),
                        "area_ours_m2": round(a_ours, 1),
                        "area_reference_m2": round(a_ref, 1),
                        "area_error_pct": round(100 * abs(a_ours - a_ref) / a_ref, 4),
                        "iou": round(inter / union, 5),
                        "reference_s": round(ref_s, 2),
                    }
                )
            )
        # the ray test on a 200 m window at 0.5 m, at 18:00
        t = instant("2025-06-21T18:00")
        cx, cy = np.median(shapely.get_coordinates(shapely.centroid(polygons)), axis=0)
        window = (cx - 100, cy - 100, cx + 100, cy + 100)
        near = shapely.intersects(polygons, shapely.box(*window).buffer(500))
        offset = geodesic_offsets(polygons[near], crs, t).mean(axis=0)
        rays, ground = ray_test(polygons, layer.height_m, layer.base_m, offset, window, 0.5)
        ours = ground_shadows(footprints, t)
        ours_geom = shapely.union_all(ours.parts)
        if not layer.crs.equals(crs):
            ours_geom = gpd.GeoSeries([ours_geom], crs=layer.crs).to_crs(crs).iloc[0]
        from affine import Affine

        burnt = (
            rasterize(
                [(ours_geom, 1)],
                out_shape=rays.shape,
                transform=Affine(0.5, 0, window[0], 0, -0.5, window[3]),
            )
            > 0
        )
        agree = np.mean(burnt[~ground] == rays[~ground])
        iou = (burnt & rays).sum() / max((burnt | rays).sum(), 1)
        records.append(
            emit(
                {
                    "bench": "truth-rays",
                    "case": label,
                    "time": "2025-06-21T18:00",
                    "pixel_m": 0.5,
                    "pixels": int(rays.size),
                    "agreement_pct": round(100 * agree, 3),
                    "iou": round(float(iou), 4),
                }
            )
        )
    return records


# -- peer ------------------------------------------------------------------------------------------
def no_hole_city(copies: int):
    """Real footprints without courtyards: Lyon 1er parts with no hole, copied side by side
    (CC46), as pybdshadow ignores courtyard walls."""
    import geopandas as gpd
    import shapely

    layer = load(LYON)
    keep = shapely.get_num_interior_rings(np.asarray(layer.frame.geometry.values)) == 0
    frame = gpd.GeoDataFrame(
        {"height": layer.height_m[keep]}, geometry=layer.frame.geometry.values[keep], crs=layer.crs
    )
    xmin, ymin, xmax, ymax = frame.total_bounds
    parts = []
    for k in range(copies):
        moved = frame.copy()
        moved["geometry"] = moved.geometry.translate(k * (xmax - xmin + 100.0), 0.0)
        parts.append(moved)
    city = gpd.GeoDataFrame(__import__("pandas").concat(parts, ignore_index=True), crs=layer.crs)
    city["building_id"] = np.arange(len(city))
    return city


def peer(args) -> list[dict]:
    import pybdshadow
    import shapely

    from layers.sun.shadow import building_shadows
    from layers.sun.shadow_map import Footprints, ground_shadows

    records = []
    city = no_hole_city(args.copies)
    wgs84 = city.to_crs(4326)
    for when in ("2025-06-21T10:00", "2025-06-21T17:00"):
        t = instant(when)
        footprints = Footprints.from_arrays(
            np.asarray(city.geometry.values), city["height"].to_numpy(), np.zeros(len(city)), city.crs, TZ
        )
        _, offset, _ = footprints.offsets(t)
        ours_each_s, each = best_of(
            args.repeat,
            lambda fp=footprints, offset=offset: building_shadows(
                fp.polygons, fp.height_m, fp.base_m, offset
            ),
        )
        ours_union_s, ours = best_of(args.repeat, lambda fp=footprints, t=t: ground_shadows(fp, t))
        peer_s, theirs = best_of(
            max(1, args.repeat - 1),
            lambda t=t: pybdshadow.bdshadow_sunlight(wgs84.copy(), t, height="height", include_building=True),
        )
        peer_union_s, peer_ground = best_of(
            1,
            lambda theirs=theirs: shapely.difference(
                shapely.union_all(theirs.set_crs(4326, allow_override=True).to_crs(city.crs).geometry.values),
                shapely.union_all(city.geometry.values),
            ),
        )
        ours_geom = shapely.union_all(ours.parts)
        inter, union = overlay_areas(ours_geom, peer_ground)
        records.append(
            emit(
                {
                    "bench": "peer",
                    "time": when,
                    "buildings": len(city),
                    "crs": "EPSG:3946",
                    "ours_per_building_s": round(ours_each_s, 3),
                    "ours_ground_union_s": round(ours_union_s, 3),
                    "pybdshadow_per_building_s": round(peer_s, 3),
                    "pybdshadow_then_union_s": round(peer_s + peer_union_s, 3),
                    "speedup_per_building": round(peer_s / ours_each_s, 1),
                    "speedup_full": round((peer_s + peer_union_s) / ours_union_s, 1),
                    "area_ours_m2": round(ours.area_m2, 0),
                    "area_pybdshadow_m2": round(shapely.area(peer_ground), 0),
                    "iou_with_pybdshadow": round(inter / union, 4),
                }
            )
        )
    return records


# -- 100,000 buildings -------------------------------------------------------------------------------
def tiled(path: Path, target: int, **options):
    """Real footprints copied on a grid until ``target`` parts (same CRS, 60 m apart)."""
    import shapely

    layer = load(path, **options)
    polygons = np.asarray(layer.frame.geometry.values)
    xmin, ymin, xmax, ymax = shapely.total_bounds(polygons)
    copies = math.ceil(target / len(polygons))
    side = math.ceil(math.sqrt(copies))
    out, heights, bases = [], [], []
    for k in range(copies):
        dx, dy = (k % side) * (xmax - xmin + 60.0), (k // side) * (ymax - ymin + 60.0)
        out.append(shapely.transform(polygons, lambda c, dx=dx, dy=dy: c + [dx, dy]))
        heights.append(layer.height_m)
        bases.append(layer.base_m)
    return (
        np.concatenate(out)[:target],
        np.concatenate(heights)[:target],
        np.concatenate(bases)[:target],
        layer.crs,
    )


def city(args) -> list[dict]:
    from layers.sun.shadow_map import Footprints, ground_shadows

    records = []
    for label, path, options in [
        ("Lyon 1er x40 (dense, courtyards)", LYON, {}),
        ("Lorient x59 (OSM, mixed)", LORIENT, {}),
        ("sample city x22 (synthetic)", SAMPLE, {"height_field": "hauteur"}),
    ]:
        if not path.exists():
            continue
        polygons, height, base, crs = tiled(path, args.n, **options)
        footprints = Footprints.from_arrays(polygons, height, base, crs, TZ)
        t = instant("2025-06-21T17:00")
        ground_shadows(footprints, t)  # warm-up (pvlib import, first GEOS calls)
        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = ground_shadows(footprints, t)
            runs.append((time.perf_counter() - t0, result))
        total, result = min(runs, key=lambda r: r[0])
        records.append(
            emit(
                {
                    "bench": "city",
                    "case": label,
                    "buildings": len(polygons),
                    "total_s": round(total, 3),
                    "all_runs_s": [round(r[0], 2) for r in runs],
                    **result.timings,
                    "clusters": result.clusters,
                    "shadow_polygons": len(result.parts),
                    "shadow_area_km2": round(result.area_m2 / 1e6, 3),
                    "cpus": os.cpu_count(),
                }
            )
        )
    return records


# -- sunlight hours ------------------------------------------------------------------------------------
def hours(args) -> list[dict]:
    import shapely

    from layers.sun.shadow_map import Footprints
    from layers.sunlight.hours import sunlight_change, sunlight_hours

    records = []
    for label, path, options in [
        ("sample city centre", SAMPLE, {"height_field": "hauteur"}),
        ("Lyon 1er", LYON, {}),
    ]:
        if not path.exists():
            continue
        layer = load(path, **options)
        footprints = Footprints.from_layer(layer, TZ)
        cx, cy = np.median(shapely.get_coordinates(shapely.centroid(footprints.polygons)), axis=0)
        box = (cx - 500, cy - 500, cx + 500, cy + 500)
        seconds, result = best_of(
            args.repeat,
            lambda fp=footprints, box=box: sunlight_hours(
                fp, date(2025, 6, 21), step_min=15, resolution_m=1.0, bounds=box
            ),
        )
        records.append(
            emit(
                {
                    "bench": "hours",
                    "case": label,
                    "area_km2": 1.0,
                    "pixel_m": 1.0,
                    "step_min": 15,
                    "date": "2025-06-21",
                    "samples_sun_up": result.sun_samples,
                    "buildings": len(footprints),
                    "seconds": round(seconds, 3),
                    "mean_hours": round(float(np.nanmean(result.hours)), 2),
                }
            )
        )
    tower = ROOT / "sample_city" / "proposed_tower.geojson"
    if tower.exists():
        existing = Footprints.from_layer(load(SAMPLE, height_field="hauteur"), TZ)
        project = Footprints.from_layer_in(load(tower), existing)
        seconds, change = best_of(
            args.repeat,
            lambda: sunlight_change(existing, project, date(2025, 6, 21), step_min=15, resolution_m=1.0),
        )
        records.append(
            emit(
                {
                    "bench": "hours-project",
                    "case": "sample city + planned tower",
                    "pixels": change.before.grid.pixels,
                    "seconds": round(seconds, 3),
                    "area_loss_1h_m2": round(change.area_loss_m2[1.0], 0),
                    "area_loss_2h_m2": round(change.area_loss_m2[2.0], 0),
                }
            )
        )
    return records


# -- rendering -----------------------------------------------------------------------------------------
def render(args) -> list[dict]:
    from viewer.gl import prepare_headless

    prepare_headless()
    from layers.session.opening import open_paths
    from viewer.render import make_plotter
    from viewer.scene_view import SceneView

    session = open_paths([])
    scene = session.scene
    plotter = make_plotter((1920, 1080))
    view = SceneView(plotter, scene, auto_render=False)
    view.go_to(session.project.views()[0])
    times = [instant(f"2025-07-01T{h:02d}:00") for h in (9, 11, 13, 15, 17)]

    def frames(label: str) -> dict:
        plotter.screenshot(None, return_img=True)  # warm-up
        updates, renders = [], []
        for _ in range(args.repeat):
            for t in times:
                t0 = time.perf_counter()
                scene.clock.time = t
                t1 = time.perf_counter()
                plotter.render()
                t2 = time.perf_counter()
                updates.append(t1 - t0)
                renders.append(t2 - t1)
        still = []
        for _ in range(3):  # the camera moves, the clock does not
            t0 = time.perf_counter()
            plotter.render()
            still.append(time.perf_counter() - t0)
        return {
            "mode": label,
            "update_median_s": round(float(np.median(updates)), 4),
            "render_median_s": round(float(np.median(renders)), 4),
            "still_render_median_s": round(float(np.median(still)), 4),
        }

    first = frames("light kit (default)")
    info = plotter.ren_win.ReportCapabilities()
    renderer = next(
        (line.split(":", 1)[1].strip() for line in info.splitlines() if "renderer string" in line.lower()),
        "unknown",
    )
    records = [emit({"bench": "render", "renderer": renderer, **first})]
    view.sun.use_shadow_maps = False
    view.set_sun(True)
    records.append(emit({"bench": "render", "renderer": renderer, **frames("sun + exact ground shadows")}))
    view.set_sun(False)
    view.sun.use_shadow_maps = True
    view.set_sun(True)
    records.append(
        emit(
            {
                "bench": "render",
                "renderer": renderer,
                "shadow_maps": view.sun.shadow_maps,
                "note": view.sun.note,
                **frames(f"sun + ground shadows + VTK shadow maps ({view.sun.shadow_map_resolution}²)"),
            }
        )
    )
    view.close()
    plotter.close()
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("all", "truth", "peer", "city", "hours", "render"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n", type=int, default=100_000, help="buildings for the city bench")
    parser.add_argument(
        "--copies", type=int, default=3, help="copies of Lyon's footprints for the peer bench (2,455 each)"
    )
    args = parser.parse_args()
    steps = {"truth": truth, "peer": peer, "city": city, "hours": hours, "render": render}
    for name, step in steps.items():
        if args.what in ("all", name):
            step(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
