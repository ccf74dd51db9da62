"""The planned project in the view: from a height change to the ground shadows recomputed.

A planned building next to the middle of a city is raised by one storey (``show_plan`` → the plan
layer's ``geometry_changed`` → its visual rebuilt, the sun's caster tables and the ground shadows at
the clock time recomputed), on the sample city (4,607 buildings) and on a synthetic city of
100,000 buildings (``bench/buildings_data.py``, nothing written to disk), the camera on the
project as in a meeting (about 300 m across) and on the whole city. Peer, same run, same view: the
behaviour before per-layer tables, every caster's prisms read again and every shade recomputed
(the tables dropped before the edit).

Usage::

    xvfb-run -a .venv/bin/python bench/plan_view.py [--repeat 5] [--sizes sample 100000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from datetime import datetime
from pathlib import Path
from time import perf_counter

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

T = "2025-06-21T18:00:00+02:00"


def city(size: str):
    """A buildings layer: the sample city's, or ``size`` synthetic footprints (Lambert-93)."""
    import geopandas as gpd

    from layers.buildings.layer import BuildingsLayer

    if size == "sample":
        return BuildingsLayer.load(ROOT / "sample_city" / "buildings.gpkg", height_field="hauteur")
    from buildings_data import footprints

    polygons, columns = footprints(int(size))
    frame = gpd.GeoDataFrame(columns, geometry=polygons, crs="EPSG:2154")
    frame.insert(0, "feature_index", np.arange(len(frame)))
    return BuildingsLayer("Bâtiments", frame, np.asarray(columns["HAUTEUR"], float))


def site(layer) -> list[tuple[float, float]]:
    """A 24 m × 14 m footprint at the middle of the city."""
    xmin, ymin, xmax, ymax = layer.bounds()
    x, y = (xmin + xmax) / 2, (ymin + ymax) / 2
    return [(x, y), (x + 24, y), (x + 24, y + 14), (x, y + 14)]


def run(size: str, repeat: int) -> list[dict]:
    from layers.core.scene import Scene
    from layers.plan import edits
    from layers.plan.model import Plan
    from layers.plan.scene import show_plan
    from viewer.render import make_plotter
    from viewer.scene_view import SceneView

    buildings = city(size)
    scene = Scene()
    scene.add(buildings)
    plan, ident = edits.add_building(Plan(crs="EPSG:2154"), site(buildings))
    plan = edits.set_roof(edits.set_storeys(plan, ident, 8), ident, "gable")
    show_plan(scene, plan)
    plotter = make_plotter((1366, 768))
    view = SceneView(plotter, scene, auto_render=False)
    view.scene.clock.time = datetime.fromisoformat(T)
    view.set_sun(True)
    x0, y0 = site(buildings)[0]
    views = {
        "project (300 m)": view.default_view((x0 - 140, y0 - 140, x0 + 160, y0 + 160)),
        "whole city": view.default_view(),
    }
    records = []
    for name, camera in views.items():
        assert camera is not None
        view.go_to(camera)
        plotter.ren_win.Render()
        storeys = 8
        for mode in ("per-layer tables (ours)", "all casters rebuilt (before)"):
            edit, paint = [], []
            for _ in range(repeat):
                storeys = 9 if storeys == 8 else 8
                new = edits.set_storeys(plan, ident, storeys)
                if mode.startswith("all"):
                    view.sun._tables = {}  # the old behaviour: every caster read again
                    view.sun._key = None
                t0 = perf_counter()
                show_plan(scene, new)
                t1 = perf_counter()
                plotter.ren_win.Render()
                t2 = perf_counter()
                edit.append(t1 - t0)
                paint.append(t2 - t1)
                mask = view.sun.shadow_mask()
            records.append(
                {
                    "bench": "plan-view",
                    "city": f"{len(buildings.frame)} buildings",
                    "view": name,
                    "mode": mode,
                    "edit_to_shadows_s": round(statistics.median(edit), 4),
                    "edit_to_shadows_best_s": round(min(edit), 4),
                    "render_s": round(statistics.median(paint), 4),
                    "texels": int(mask.size) if mask is not None else 0,
                    "casters": view.sun.caster_count,
                    "repeat": repeat,
                }
            )
            print(json.dumps(records[-1]), flush=True)
    view.close()
    plotter.close()
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", nargs="+", default=["sample", "100000"])
    args = parser.parse_args(argv)
    for size in args.sizes:
        run(size, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
