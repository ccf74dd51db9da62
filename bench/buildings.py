"""Buildings at city scale: load + mesh time and peak memory, frame time while moving, picking.

Run on demand (not in the unit tests), from the repository root::

    .venv/bin/python bench/buildings.py mesh --n 100000 --repeat 3   # Maquette vs trimesh, FGB and GeoParquet
    .venv/bin/python bench/buildings.py mesh --n 1000000 --no-peer    # a metropolis: time and peak RSS
    .venv/bin/python bench/buildings.py frames --n 100000             # frame times while the camera moves
    .venv/bin/python bench/buildings.py pick --n 100000               # SceneView.pick among 100,000 buildings

Inputs are synthetic footprints written to /tmp by ``bench/buildings_data.py`` (not committed).
Every measurement of time and memory runs in a fresh subprocess, so its peak RSS is its own.
The peer for meshing is the common Python approach: read with geopandas, extrude each polygon
with ``trimesh.creation.extrude_polygon`` (trimesh's triangulation engine: mapbox_earcut), then
``trimesh.util.concatenate``; measured in the same run on the same file. Results go to stdout as
JSON lines; bench/buildings.md keeps the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# -- one measurement, in its own process --------------------------------------------------------
def child_maquette(path: str) -> dict:
    t0 = time.perf_counter()
    from layers.buildings.layer import BuildingsLayer

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    layer = BuildingsLayer.load(path)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    mesh = layer.mesh()
    mesh_s = time.perf_counter() - t0
    return {
        "tool": "maquette",
        "import_s": round(t_import, 3),
        "load_s": round(load_s, 3),
        "mesh_s": round(mesh_s, 3),
        "total_s": round(load_s + mesh_s, 3),
        "features": layer.feature_count(),
        "triangles": int(len(mesh.triangles)),
        "points": int(len(mesh.points)),
        "peak_rss_mb": round(_peak_rss_mb()),
    }


def child_trimesh(path: str, limit: int | None) -> dict:
    import geopandas as gpd
    import numpy as np
    import trimesh

    t0 = time.perf_counter()
    frame = (
        gpd.read_parquet(path)
        if path.endswith(".parquet")
        else gpd.read_file(path, engine="pyogrio", use_arrow=True)
    )
    load_s = time.perf_counter() - t0
    polygons = frame.geometry.values
    heights = frame["HAUTEUR"].to_numpy(dtype=float)
    if limit:
        polygons, heights = polygons[:limit], heights[:limit]
    t0 = time.perf_counter()
    meshes = [trimesh.creation.extrude_polygon(p, float(h)) for p, h in zip(polygons, heights)]
    combined = trimesh.util.concatenate(meshes)
    mesh_s = time.perf_counter() - t0
    return {
        "tool": "trimesh",
        "trimesh": trimesh.__version__,
        "engine": "earcut",
        "load_s": round(load_s, 3),
        "mesh_s": round(mesh_s, 3),
        "total_s": round(load_s + mesh_s, 3),
        "features": int(len(polygons)),
        "triangles": int(len(combined.faces)),
        "points": int(len(combined.vertices)),
        "peak_rss_mb": round(_peak_rss_mb()),
        "faces_per_building": round(len(combined.faces) / max(len(polygons), 1), 1),
        "numpy": np.__version__,
    }


def run_child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "child", *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- commands ------------------------------------------------------------------------------------
def cmd_mesh(args: argparse.Namespace) -> None:
    from buildings_data import write

    paths = write(args.n)
    for kind in args.formats:
        path = str(paths[kind])
        ours = [run_child("maquette", path) for _ in range(args.repeat)]
        best = min(ours, key=lambda r: r["total_s"])
        result = {
            "n": args.n,
            "format": kind,
            "maquette_best": best,
            "maquette_runs_s": [r["total_s"] for r in ours],
        }
        if not args.no_peer:
            peer = [run_child("trimesh", path, str(args.peer_limit or 0)) for _ in range(args.peer_repeat)]
            best_peer = min(peer, key=lambda r: r["total_s"])
            result["trimesh_best"] = best_peer
            result["trimesh_runs_s"] = [r["total_s"] for r in peer]
            scale = args.n / best_peer["features"]
            peer_total = best_peer["load_s"] + best_peer["mesh_s"] * scale
            result["ratio_total"] = round(peer_total / best["total_s"], 1)
            result["ratio_mesh"] = round(best_peer["mesh_s"] * scale / best["mesh_s"], 1)
        print(json.dumps(result), flush=True)


def _scene_with(n: int, size: tuple[int, int]):
    from buildings_data import write

    from layers.core.reading import open_layer
    from layers.core.scene import Scene
    from viewer.render import make_plotter
    from viewer.scene_view import SceneView

    layer = open_layer(write(n)["parquet"])
    scene = Scene()
    scene.add(layer)
    plotter = make_plotter(size)
    view = SceneView(plotter, scene, auto_render=False)
    view.reset_camera()
    plotter.show(auto_close=False)
    return plotter, view, layer


def _frame_times(plotter, frames: int) -> list[float]:
    """Seconds per frame while the camera orbits (each frame fully drawn and finished)."""
    camera = plotter.renderer.GetActiveCamera()
    times = []
    for _ in range(frames):
        camera.Azimuth(2.0)
        t0 = time.perf_counter()
        plotter.ren_win.Render()
        plotter.ren_win.WaitForCompletion()
        times.append(time.perf_counter() - t0)
    return times


def cmd_frames(args: argparse.Namespace) -> None:
    """Median frame time while orbiting, for a whole-city view and a street view (400 m across):
    full detail (tiles, back faces culled), the stand-ins drawn while moving, the foundation's
    single actor for reference, and the floor (no buildings: background, ground, legend)."""
    import numpy as np

    from viewer import camera as camera_util
    from viewer.visuals.base import triangles_polydata

    size = tuple(int(v) for v in args.size.split("x"))
    plotter, view, layer = _scene_with(args.n, size)
    visual = view.visual(layer)
    plotter.ren_win.Render()
    results = {
        "n": args.n,
        "size": list(size),
        "triangles": visual.triangle_count(),
        "tiles": len(visual.tiles),
        "renderer": plotter.ren_win.ReportCapabilities()
        .split("OpenGL renderer string:")[-1]
        .splitlines()[0]
        .strip(),
        "msaa_samples": plotter.ren_win.GetMultiSamples(),
    }
    mesh = layer.mesh()
    single = plotter.add_mesh(
        triangles_polydata(view.to_local(mesh.points), mesh.triangles), color="#e6dfd1", reset_camera=False
    )
    single.SetVisibility(False)
    cx, cy = np.median(mesh.points[:, :2], axis=0)
    cameras = {
        "city": view.default_view(),
        "street": camera_util.oblique_view(
            (cx - 200, cy - 200, cx + 200, cy + 200), aspect=size[0] / size[1]
        ),
    }
    median = lambda times: float(np.median(times)) * 1000.0  # noqa: E731
    for name, camera in cameras.items():
        view.go_to(camera)
        plotter.ren_win.Render()
        row = {"full_ms": median(_frame_times(plotter, args.frames))}
        view.lod.begin()
        plotter.ren_win.Render()
        row["lod_ms"] = median(_frame_times(plotter, args.frames))
        view.lod.end(render=False)
        for actor in visual.actors:
            actor.SetVisibility(False)
        single.SetVisibility(True)
        plotter.ren_win.Render()
        row["one_actor_ms"] = median(_frame_times(plotter, args.frames))
        single.SetVisibility(False)
        plotter.ren_win.Render()
        row["floor_ms"] = median(_frame_times(plotter, args.frames))
        layer.visible = False
        layer.visible = True
        view.lod.begin()
        view.lod.end(render=False)
        row = {k: round(v) for k, v in row.items()}
        row["lod_speedup"] = round(row["full_ms"] / max(row["lod_ms"], 1), 1)
        row["full_vs_one_actor"] = round(row["one_actor_ms"] / max(row["full_ms"], 1), 1)
        results[name] = row
    print(json.dumps(results), flush=True)
    plotter.close()


def cmd_pick(args: argparse.Namespace) -> None:
    import numpy as np

    size = tuple(int(v) for v in args.size.split("x"))
    plotter, view, layer = _scene_with(args.n, size)
    plotter.ren_win.Render()
    rng = np.random.default_rng(1)
    spots = rng.uniform([0.3, 0.3], [0.7, 0.7], size=(args.picks, 2)) * np.array(size)
    t0 = time.perf_counter()
    view.prepare_picking()
    warm_s = time.perf_counter() - t0
    times, hits = [], 0
    for x, y in spots:
        t0 = time.perf_counter()
        pick = view.pick(float(x), float(y))
        times.append(time.perf_counter() - t0)
        hits += pick is not None and pick.layer is layer
    print(
        json.dumps(
            {
                "n": args.n,
                "size": list(size),
                "locators_build_s": round(warm_s, 3),
                "picks": args.picks,
                "hits": hits,
                "pick_median_ms": round(1000 * float(np.median(times)), 2),
                "pick_max_ms": round(1000 * max(times), 2),
            }
        ),
        flush=True,
    )
    plotter.close()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "child":
        tool, path = argv[1], argv[2]
        result = child_maquette(path) if tool == "maquette" else child_trimesh(path, int(argv[3]) or None)
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    mesh = sub.add_parser("mesh")
    mesh.add_argument("--n", type=int, default=100_000)
    mesh.add_argument("--repeat", type=int, default=3)
    mesh.add_argument("--formats", nargs="+", default=["fgb", "parquet"])
    mesh.add_argument("--no-peer", action="store_true")
    mesh.add_argument("--peer-repeat", type=int, default=1)
    mesh.add_argument(
        "--peer-limit", type=int, default=0, help="extrude only this many with trimesh (then scaled)"
    )
    for name in ("frames", "pick"):
        p = sub.add_parser(name)
        p.add_argument("--n", type=int, default=100_000)
        p.add_argument("--size", default="1280x800")
        p.add_argument("--frames", type=int, default=8)
        p.add_argument("--picks", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    {"mesh": cmd_mesh, "frames": cmd_frames, "pick": cmd_pick}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
