"""Slider released → figures updated: the planned project's figures engine, kept vs from scratch.

A "release" is one height change of one planned building (what the height slider does when the
mouse button goes up); the time is from the edit to the updated :class:`layers.plan.figures.
PlanFigures` (ground and façade sun lost on the study day, neighbours, façade noise). The peer, in
the same run, is the from-scratch computation of the same variant: a fresh
:class:`layers.plan.effects.PlanEffects` over the same scene (its making included), which is what
one would do without the engine's caches.

Two places:

* **sample**: the sample city (4,607 buildings, a noise map), the planned tower of
  ``sample_city/proposed_tower.geojson`` raised from 40 m;
* **city**: 100,000 generated footprints (``bench/buildings_data.py``, 30 m plots around Rennes),
  an 18 m × 18 m tower of 45 m in the middle, the buildings under it demolished.

Each release alternates a new height (up by one storey, then down, then up…); the median of
``--repeat`` releases is reported, with min and max. Run from the repository root::

    .venv/bin/python bench/plan_effects.py all --repeat 7
    .venv/bin/python bench/plan_effects.py sample --day 2026-06-21
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def emit(record: dict) -> dict:
    print(json.dumps(record, ensure_ascii=False), flush=True)
    return record


def sample_scene():
    """The sample city and its planned tower as a plan (one building, 40 m)."""
    import geopandas as gpd

    from layers.plan import edits
    from layers.plan.model import Plan
    from layers.session.project import load_project
    from layers.session.scene_io import build_scene

    scene, _ = build_scene(load_project(ROOT / "sample_city" / "sample_city.maquette.json"))
    tower = (
        gpd.read_file(ROOT / "sample_city" / "proposed_tower.geojson").to_crs(scene.crs).geometry.values[0]
    )
    plan, ident = edits.add_building(Plan(crs="EPSG:2154"), list(tower.exterior.coords)[:-1])
    return scene, edits.set_height(plan, ident, 40.0), ident


def city_scene(n: int = 100_000):
    """``n`` generated buildings and an 18 m × 18 m tower of 45 m in their middle, on the
    buildings it stands on (demolished)."""
    import geopandas as gpd
    import shapely
    from buildings_data import PITCH_M, X0, Y0, footprints
    from pyproj import CRS

    from layers.buildings.layer import BuildingsLayer
    from layers.core.scene import Scene
    from layers.plan import edits
    from layers.plan.model import BuildingRef, Plan

    crs = CRS.from_epsg(2154)
    polygons, columns = footprints(n)
    frame = gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(polygons, crs=crs), crs=crs)
    layer = BuildingsLayer("Bâtiments", frame, np.asarray(columns["HAUTEUR"], float), crs=crs)
    scene = Scene(crs=crs, timezone="Europe/Paris")
    scene.add(layer)
    side = int(np.ceil(np.sqrt(n)))
    cx, cy = X0 + side // 2 * PITCH_M + 15.0, Y0 + side // 2 * PITCH_M + 15.0
    ring = [(cx - 9, cy - 9), (cx + 9, cy - 9), (cx + 9, cy + 9), (cx - 9, cy + 9)]
    plan, ident = edits.add_building(Plan(crs="EPSG:2154"), ring)
    under = shapely.STRtree(polygons).query(shapely.Polygon(ring), predicate="intersects")
    plan = edits.set_demolished(plan, [BuildingRef("Bâtiments", int(f)) for f in under])
    return scene, edits.set_height(plan, ident, 45.0), ident


def releases(name: str, scene, plan, ident: str, day: date, repeat: int) -> dict:
    from layers.plan import edits
    from layers.plan.effects import PlanEffects

    t0 = time.perf_counter()
    engine = PlanEffects.for_scene(scene, day)
    engine_s = time.perf_counter() - t0
    first = engine.figures(plan.variant)  # the project as it opened: the existing city's sun kept
    kept, scratch, checks = [], [], []
    height = plan.variant.buildings[0].height_m
    for i in range(repeat):
        height += 3.0 if i % 2 == 0 else -1.5  # a storey up, half a storey down: new tiles and old
        plan = edits.set_height(plan, ident, height)
        t1 = time.perf_counter()
        figures = engine.figures(plan.variant)
        kept.append(time.perf_counter() - t1)
        t2 = time.perf_counter()
        fresh = PlanEffects.for_scene(scene, day).figures(plan.variant)
        scratch.append(time.perf_counter() - t2)
        checks.append(
            figures.ground_loss_m2 == fresh.ground_loss_m2
            and abs(figures.facade_loss_m2[1] - fresh.facade_loss_m2[1]) < 1e-6
            and len(figures.neighbours) == len(fresh.neighbours)
        )
    median_kept, median_scratch = statistics.median(kept), statistics.median(scratch)
    return emit(
        {
            "bench": "plan_effects",
            "place": name,
            "day": day.isoformat(),
            "engine_s": round(engine_s, 3),
            "first_figures_s": round(first.seconds, 3),
            "release_s_median": round(median_kept, 3),
            "release_s_min": round(min(kept), 3),
            "release_s_max": round(max(kept), 3),
            "scratch_s_median": round(median_scratch, 3),
            "scratch_s_min": round(min(scratch), 3),
            "scratch_s_max": round(max(scratch), 3),
            "ratio": round(median_scratch / median_kept, 1),
            "same_figures": all(checks),
            "runs": repeat,
            "ground_loss_1h_m2": round(figures.ground_loss_m2[1], 1),
            "facade_loss_1h_m2": round(figures.facade_loss_m2[1], 1),
            "neighbours": len(figures.neighbours),
            "noise": figures.noise is not None,
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["sample", "city", "all"])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--day", type=date.fromisoformat, default=date(2026, 3, 21))
    parser.add_argument("--n", type=int, default=100_000, help="buildings of the generated city")
    args = parser.parse_args(argv)
    if args.what in ("sample", "all"):
        releases("sample city", *sample_scene(), args.day, args.repeat)
    if args.what in ("city", "all"):
        releases(f"generated city, {args.n:,} buildings", *city_scene(args.n), args.day, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
