"""Montpellier's 23,972 street trees: file → trees on screen, and a frame at rest and moving.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python bench/trees_render.py [--repeats 3]

Prints one JSON object: ``load_s`` (read, sized, defaults counted), ``build_s`` (the visual: two
glyph actors and the dots), ``first_frame_s``, ``frame_s`` (at rest, median), ``moving_frame_s``
(dots alone, :mod:`viewer.lod`), ``triangles`` at rest. Needs ``MAQUETTE_SHARED_DATA`` (../shared/data).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from pathlib import Path
from time import perf_counter

SHARED = Path(os.environ.get("MAQUETTE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
TREES = SHARED / "trees" / "montpellier_alignment" / "VilleMTP_MTP_ArbresAlign.shp"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    from layers.session.opening import open_paths
    from viewer.render import make_plotter
    from viewer.scene_view import SceneView
    from viewer.visuals.trees import TreesVisual

    t0 = perf_counter()
    session = open_paths([TREES])
    load_s = perf_counter() - t0
    plotter = make_plotter((width, height))
    t1 = perf_counter()
    view = SceneView(plotter, session.scene, auto_render=False)
    build_s = perf_counter() - t1
    view.reset_camera()
    window = plotter.ren_win

    def frame() -> float:
        start = perf_counter()
        window.Render()
        return perf_counter() - start

    first = frame()
    rest = [frame() for _ in range(args.repeats)]
    visual = next(v for v in view.visuals.values() if isinstance(v, TreesVisual))
    visual.set_detail(False)
    moving = [frame() for _ in range(args.repeats)]
    visual.set_detail(True)
    print(
        json.dumps(
            {
                "trees": session.scene.layers[0].feature_count(),
                "size": [width, height],
                "load_s": round(load_s, 3),
                "build_s": round(build_s, 3),
                "first_frame_s": round(first, 3),
                "frame_s": round(statistics.median(rest), 3),
                "moving_frame_s": round(statistics.median(moving), 3),
                "triangles": visual.triangle_count(),
                "load_average": os.getloadavg()[0],
            }
        )
    )
    view.close()
    plotter.close()


if __name__ == "__main__":
    main()
