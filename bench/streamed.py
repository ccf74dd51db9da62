"""Streaming a prepared store vs opening the same buildings as one file: first frame, memory, flight.

Run on demand (not in the unit tests), from the repository root::

    .venv/bin/python bench/streamed.py --tiles 32 --per-tile 1000     # 1,024,000 footprints
    .venv/bin/python bench/streamed.py --tiles 32 --per-tile 1000 --no-peer
    .venv/bin/python bench/streamed.py --store /tmp/c1m.store --store /tmp/c10m.store   # prepared

With ``--store``, stores written by ``maquette prepare`` (e.g. from ``bench/country.py``) are
measured one after the other in the same run, without the one-file peer (ten million footprints
as one file do not fit in this machine's memory).

The store is synthetic (``tests/layers/streamed/store_writer.py``: box footprints 8–20 m a side on
a street grid, 500 m tiles, written by :mod:`layers.store.single`), written once to /tmp. The peer is the
same footprints as one GeoParquet file opened the normal way (the buildings kind: the whole file
read and meshed). Each measurement runs in a fresh subprocess, so its peak RSS is its own:

* ``first frame``: from opening the path to the first picture of the default (whole-region) view,
  drawn off screen at 1366×768 — in batch (the command line: the tiles in view read before
  drawing) and, for the store, as the window does it (the frame drawn at once, tiles arriving
  from the workers: the time until the view is complete is reported too);
* ``flight`` (the store, then the peer): the camera 400 m up flying across the region in 60 steps,
  each frame drawn while tiles stream in the background; frame times (median, 95th percentile,
  max) and the memory.

Results go to stdout as JSON lines; bench/streamed.md keeps the figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZE = (1366, 768)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * 4096 / 1e6


def _open_view(path: str, auto_render: bool):
    from layers.session.opening import open_paths
    from viewer.render import make_plotter
    from viewer.scene_view import SceneView

    session = open_paths([path], prepare=True)
    plotter = make_plotter(SIZE)
    view = SceneView(plotter, session.scene, auto_render=auto_render)
    view.reset_camera()
    return session, plotter, view


def child_first_frame(path: str, mode: str) -> dict:
    t0 = time.perf_counter()
    session, plotter, view = _open_view(path, auto_render=mode == "window")
    plotter.ren_win.Render()
    first = time.perf_counter() - t0
    out = {"what": "first frame", "path": Path(path).name, "mode": mode, "first_frame_s": round(first, 2)}
    from viewer.visuals.streamed import StreamedVisual

    visual = next(iter(view.visuals.values()))
    if isinstance(visual, StreamedVisual):
        while visual.loading():
            time.sleep(0.01)
            if visual.arrived.is_set():
                visual.arrived.clear()
                plotter.ren_win.Render()
        plotter.ren_win.Render()
        out["view_complete_s"] = round(time.perf_counter() - t0, 2)
        out["tiles"] = len(visual.tile_actors)
        out["levels"] = sorted({k[0] for k in visual.wanted})
        out["loaded_mb"] = round(visual.layer.memory.total_bytes() / 1e6, 1)
    out["triangles"] = view.triangle_count()
    out["peak_rss_mb"] = round(_peak_rss_mb())
    return out


def child_flight(path: str) -> dict:
    import numpy as np

    from layers.session.views import CameraView
    from viewer.visuals.streamed import StreamedVisual

    session, plotter, view = _open_view(path, auto_render=True)
    visual = next(iter(view.visuals.values()))
    xmin, ymin, xmax, ymax = visual.layer.bounds()
    # what a frame costs without the buildings (sky, ground, overlays): this machine's floor
    visual.layer.visible = False
    empty = []
    for _ in range(5):
        t = time.perf_counter()
        plotter.ren_win.Render()
        empty.append(time.perf_counter() - t)
    visual.layer.visible = True
    frames = []
    rss = []
    steps = 60
    for i in range(steps):
        x = xmin + 1000 + (xmax - xmin - 2000) * i / (steps - 1)
        y = ymin + 1000 + (ymax - ymin - 2000) * i / (steps - 1)
        camera = CameraView("f", (x - 400, y - 400, 400.0), (x + 300, y + 300, 0.0), (0, 0, 1), 30.0)
        view.go_to(camera)
        t = time.perf_counter()
        plotter.ren_win.Render()
        frames.append(time.perf_counter() - t)
        rss.append(_rss_mb())
        time.sleep(0.05)  # 20 frames a second at most, as a flight in the window
    times = np.array(frames) * 1000
    streamed = isinstance(visual, StreamedVisual)
    return {
        "what": "flight",
        "path": Path(path).name,
        "steps": steps,
        "empty_frame_ms_median": round(float(np.median(empty)) * 1000, 1),
        "frame_ms_median": round(float(np.median(times)), 1),
        "frame_ms_p95": round(float(np.percentile(times, 95)), 1),
        "frame_ms_max": round(float(times.max()), 1),
        "evictions": visual.layer.memory.evictions if streamed else None,
        "loaded_mb_end": round(visual.layer.memory.total_bytes() / 1e6, 1) if streamed else None,
        "rss_mb_max": round(max(rss)),
        "peak_rss_mb": round(_peak_rss_mb()),
    }


# -- the parent ---------------------------------------------------------------------------------
def _data(tiles: int, per_tile: int) -> tuple[Path, Path]:
    import geopandas as gpd
    import shapely

    from tests.layers.streamed.store_writer import synthetic_footprints, write_store

    folder = Path(f"/tmp/maquette-bench/streamed-{tiles}x{tiles}x{per_tile}")
    store, peer = folder / "store", folder / "footprints.parquet"
    if not (store / "store.json").exists() or not peer.exists():
        rows = synthetic_footprints(tiles, tiles, per_tile)
        t = time.perf_counter()
        write_store(store, rows)
        print(json.dumps({"what": "store written", "s": round(time.perf_counter() - t, 1)}), flush=True)
        frame = gpd.GeoDataFrame(
            {"height_m": rows["height_m"], "usage": rows["usage"], "id": rows["id"]},
            geometry=shapely.box(rows["xmin"], rows["ymin"], rows["xmax"], rows["ymax"]),
            crs=2154,
        )
        frame.to_parquet(peer)
    return store, peer


def _run(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT, timeout=1800
    )
    if done.returncode != 0:
        return {"what": " ".join(args), "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiles", type=int, default=32, help="tiles a side (500 m each)")
    parser.add_argument("--per-tile", type=int, default=1000, help="footprints per tile")
    parser.add_argument("--no-peer", action="store_true", help="skip the one-file peer")
    parser.add_argument(
        "--store",
        action="append",
        type=Path,
        help="measure these prepared stores instead (side by side, e.g. 1 and 10 million footprints)",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        what, path, *rest = args.child
        result = child_flight(path) if what == "flight" else child_first_frame(path, rest[0])
        print(json.dumps(result))
        return
    if args.store:
        for store in args.store:
            meta = json.loads((store / "store.json").read_text())
            print(json.dumps({"footprints": meta["count"], "store": str(store)}), flush=True)
            print(json.dumps(_run("--child", "first", str(store), "window")), flush=True)
            print(json.dumps(_run("--child", "first", str(store), "batch")), flush=True)
            print(json.dumps(_run("--child", "flight", str(store))), flush=True)
        return
    store, peer = _data(args.tiles, args.per_tile)
    print(json.dumps({"footprints": args.tiles**2 * args.per_tile, "store": str(store)}), flush=True)
    print(json.dumps(_run("--child", "first", str(store), "window")), flush=True)
    print(json.dumps(_run("--child", "first", str(store), "batch")), flush=True)
    print(json.dumps(_run("--child", "flight", str(store))), flush=True)
    if not args.no_peer:
        print(json.dumps(_run("--child", "first", str(peer), "batch")), flush=True)
        print(json.dumps(_run("--child", "flight", str(peer))), flush=True)


if __name__ == "__main__":
    main()
