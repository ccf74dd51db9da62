"""LiDAR HD mosaic: opening and drawing several 1 km terrain tiles, as one layer against one per tile.

Run on demand (not a unit test), from the checkout, under a display or not (off screen)::

    .venv/bin/python bench/lidar_mosaic.py [--tiles 4] [--side 2000] [--repeat 3] [--peer DIR]

Writes ``--tiles`` LiDAR-like terrain tiles (``LHD_FXX_…_MNT_O_0M50_LAMB93_IGN69.tif``: ``--side`` ×
``--side`` float32 pixels of 0.5 m, rolling ground with buildings-sized nodata holes of −9999,
deflate) side by side, then times, in a fresh process each, ``maquette render``'s sequence:
``open_paths(tiles)`` (detect, read, reproject, the scene), then the view: ``SceneView`` builds the
actors and draws the first 1920 × 1080 frame off screen (software OpenGL here), a second frame, and
a frame while the camera moves (every visual's light stand-in, :meth:`Visual.set_detail`).
The peer is the same call on the code of ``--peer`` (a checkout of main before the mosaic,
``git worktree add /work/wt/lidar-peer 826916f``): there every tile opens as a terrain layer of its
own, overlapping at nothing but drawn as N surfaces of full resolution. Medians of ``--repeat``
runs, each side alternating in the same run; the peak memory of each process is reported too.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from layers.session.opening import open_paths
from viewer.render import make_plotter
from viewer.scene_view import SceneView
paths = [Path(p) for p in sys.argv[1:]]
t1 = time.perf_counter()
session = open_paths(paths)
t2 = time.perf_counter()
plotter = make_plotter((1920, 1080))
view = SceneView(plotter, session.scene, auto_render=False)
view.reset_camera()
plotter.ren_win.Render()
t3 = time.perf_counter()
plotter.ren_win.Render()
t4 = time.perf_counter()
for visual in view.visuals.values():
    visual.set_detail(False)  # what the view does while the camera moves (viewer/lod.py)
plotter.ren_win.Render()
plotter.ren_win.Render()
t5 = time.perf_counter()
cells = sum(a.GetMapper().GetInput().GetNumberOfCells() for v in view.visuals.values() for a in v.actors)
print(json.dumps({
    "layers": len(session.scene.layers), "cells_drawn": int(cells),
    "import_s": t1 - t0, "open_s": t2 - t1, "draw_s": t3 - t2, "open_and_draw_s": t3 - t1,
    "next_frame_s": t4 - t3, "moving_frame_s": (t5 - t4) / 2,
    "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6,
}))
"""


def write_tiles(folder: Path, count: int, side: int) -> list[Path]:
    """``count`` tiles in a row of ``ceil(sqrt(count))`` columns, LiDAR HD names, 0.5 m pixels."""
    import rasterio
    from affine import Affine

    columns = int(np.ceil(np.sqrt(count)))
    size_m = side * 0.5
    paths = []
    for i in range(count):
        col, row = i % columns, i // columns
        x0, y0 = 770_000.0 + col * size_m, 6_278_000.0 - row * size_m
        y, x = np.mgrid[0:side, 0:side].astype(np.float32)
        gx, gy = x + col * side, y + row * side  # one continuous ground across the tiles
        ground = 20 + 8 * np.sin(gx / 900.0) * np.cos(gy / 1300.0) + 0.3 * np.sin(gx / 37.0)
        ground[((gx // 60) % 7 == 0) & ((gy // 50) % 6 == 0)] = -9999.0  # buildings: no ground
        name = f"LHD_FXX_{int(x0 // 1000):04d}_{int(y0 // 1000):04d}_{col}{row}_MNT_O_0M50_LAMB93_IGN69.tif"
        path = folder / name
        with rasterio.open(
            path, "w", driver="GTiff", width=side, height=side, count=1, dtype="float32",
            crs="EPSG:2154", transform=Affine(0.5, 0, x0, 0, -0.5, y0), nodata=-9999.0,
            compress="deflate", tiled=True,
        ) as ds:  # fmt: skip
            ds.write(ground.astype(np.float32), 1)
        paths.append(path)
    return paths


def run(code_root: Path, paths: list[Path]) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, *map(str, paths)],
        cwd=code_root, env=env, capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    if out.returncode != 0:
        return {
            "error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"
        }
    return json.loads(out.stdout.strip().splitlines()[-1])


def median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if key in r]
    return round(float(np.median(values)), 3) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tiles", type=int, default=4)
    parser.add_argument("--side", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peer", type=Path, default=Path("/work/wt/lidar-peer"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_tiles(Path(tmp), args.tiles, args.side)
        sides = {"maquette": ROOT, "peer": args.peer} if args.peer.is_dir() else {"maquette": ROOT}
        runs: dict[str, list[dict]] = {k: [] for k in sides}
        for _ in range(args.repeat):
            for name, root in sides.items():
                runs[name].append(run(root, paths))
                print(name, json.dumps(runs[name][-1]), flush=True)
    keys = ("layers", "cells_drawn", "open_s", "draw_s", "open_and_draw_s", "next_frame_s", "moving_frame_s")
    keys += ("peak_rss_gb",)
    summary = {name: {k: median(r, k) for k in keys} for name, r in runs.items()}
    if "peer" in summary and summary["peer"]["open_and_draw_s"] and summary["maquette"]["open_and_draw_s"]:
        summary["ratio_open_and_draw"] = round(
            summary["peer"]["open_and_draw_s"] / summary["maquette"]["open_and_draw_s"], 2
        )
    print(json.dumps({"tiles": args.tiles, "side": args.side, "repeat": args.repeat, **summary}, indent=1))


if __name__ == "__main__":
    main()
