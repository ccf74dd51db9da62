"""Overlay speed: draping a large raster, and moving the clock on an interpolated heat surface.

Run on demand (not a unit test)::

    .venv/bin/python bench/overlays.py [--repeat 3] [--size 2000] [--stations 100] [--grid 500]

1. **Draping** a 2000 × 2000 Lden GeoTIFF (2 m pixels, no-data holes): read it
   (``NoiseLayer.load``), add it to an open scene (the visual builds its actor) and draw the first
   frame, 1920 × 1080 off screen. Maquette draws a raster as one quad with a texture coloured
   through the legend's table. The peer, in the same run, is the common PyVista way, which
   Maquette used before: an ``ImageData`` with one cell per pixel handed to ``add_mesh`` with a
   colour map and transparent NaN.
2. **Heat surface**: 100 loggers, a 500 × 500 grid, readings every 10 minutes with gaps. Moving the
   clock to a new time = the model's surface (``StationHeatLayer.values_at``) plus recolouring the
   texture in place (``HeatSurfaceVisual.set_time``), without drawing. The peers recompute the
   surface from scratch at each time, as one would with scipy: ``RBFInterpolator`` (the same
   thin-plate spline, so the same surface) and ``griddata`` (linear, a different and cruder
   surface), both on the stations with a reading.

Times are the best of ``--repeat`` runs (this machine is shared; the spread is printed).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def best(times: list[float]) -> dict[str, float]:
    return {
        "best_s": round(min(times), 4),
        "median_s": round(float(np.median(times)), 4),
        "worst_s": round(max(times), 4),
    }


# -- 1. draping -------------------------------------------------------------------------------
def write_lden(folder: Path, size: int) -> Path:
    from pyproj import CRS

    from layers.io.grid import Grid
    from layers.io.raster_file import write_geotiff

    y, x = np.mgrid[0:size, 0:size].astype(np.float32)
    values = 55 + 15 * np.sin(x / 150.0) * np.cos(y / 210.0) + 5 * np.sin(x / 17.0)
    values[((x // 40) % 5 == 0) & ((y // 40) % 5 == 0)] = np.nan  # buildings: no data
    path = folder / f"lden_{size}.tif"
    write_geotiff(
        Grid(
            values=values.astype(np.float32),
            x0=350_000,
            y0=6_790_000,
            dx=2.0,
            dy=2.0,
            crs=CRS.from_epsg(2154),
        ),
        path,
        tags={"UNIT": "dB(A)", "INDICATOR": "Lden"},
    )
    return path


def open_view():
    from layers.core.scene import Scene
    from viewer.render import make_plotter
    from viewer.scene_view import SceneView

    scene = Scene()
    plotter = make_plotter((1920, 1080))
    view = SceneView(plotter, scene, auto_render=False)
    plotter.ren_win.Render()  # the app is open: GL context and base frame exist
    return scene, plotter, view


def drape_maquette(path: Path) -> dict[str, float]:
    from layers.noise.layer import NoiseLayer

    scene, plotter, view = open_view()
    t0 = time.perf_counter()
    layer = NoiseLayer.load(path)
    t1 = time.perf_counter()
    scene.add(layer)
    view.reset_camera()
    t2 = time.perf_counter()
    plotter.ren_win.Render()
    t3 = time.perf_counter()
    plotter.ren_win.Render()
    t4 = time.perf_counter()
    plotter.close()
    return {
        "load_s": t1 - t0,
        "build_s": t2 - t1,
        "first_render_s": t3 - t2,
        "total_s": t3 - t0,
        "next_frame_s": t4 - t3,
    }


def drape_peer(path: Path) -> dict[str, float]:
    """One VTK cell per pixel through ``add_mesh`` (colour map, NaN transparent)."""
    import pyvista as pv

    from layers.noise.layer import NoiseLayer

    scene, plotter, view = open_view()
    t0 = time.perf_counter()
    layer = NoiseLayer.load(path)
    t1 = time.perf_counter()
    grid = layer.grid
    rows, cols = grid.shape
    image = pv.ImageData(
        dimensions=(cols + 1, rows + 1, 1), spacing=(grid.dx, grid.dy, 1.0), origin=(0.0, 0.0, 0.2)
    )
    image.cell_data["lden"] = np.ascontiguousarray(grid.values[::-1]).reshape(-1)
    plotter.add_mesh(
        image,
        scalars="lden",
        cmap="RdYlGn_r",
        clim=(40, 80),
        nan_opacity=0.0,
        lighting=False,
        show_scalar_bar=False,
        reset_camera=True,
    )
    t2 = time.perf_counter()
    plotter.ren_win.Render()
    t3 = time.perf_counter()
    plotter.ren_win.Render()
    t4 = time.perf_counter()
    plotter.close()
    return {
        "load_s": t1 - t0,
        "build_s": t2 - t1,
        "first_render_s": t3 - t2,
        "total_s": t3 - t0,
        "next_frame_s": t4 - t3,
    }


def bench_drape(size: int, repeat: int) -> dict:
    from viewer.gl import prepare_headless

    prepare_headless()
    folder = Path(tempfile.mkdtemp(prefix="maquette_bench_"))
    path = write_lden(folder, size)
    ours, peer = [], []
    for _ in range(repeat):
        ours.append(drape_maquette(path))
        peer.append(drape_peer(path))
    result = {
        "raster": f"{size} x {size} px, {path.stat().st_size / 1e6:.1f} MB GeoTIFF",
        "window": "1920x1080",
    }
    for name, runs in (("maquette", ours), ("peer_pyvista_cells", peer)):
        result[name] = {key: best([run[key] for run in runs]) for key in runs[0]}
    result["ratio_total"] = round(
        result["peer_pyvista_cells"]["total_s"]["best_s"] / result["maquette"]["total_s"]["best_s"], 1
    )
    result["ratio_next_frame"] = round(
        result["peer_pyvista_cells"]["next_frame_s"]["best_s"] / result["maquette"]["next_frame_s"]["best_s"],
        1,
    )
    return result


# -- 2. heat surface --------------------------------------------------------------------------
def write_loggers(folder: Path, stations: int, days: int = 3, seed: int = 4) -> tuple[Path, Path]:
    import pandas as pd

    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 5000, (stations, 2)) + np.array([350_000.0, 6_785_000.0])
    times = pd.date_range("2025-07-01", periods=days * 144, freq="10min", tz="Europe/Paris")
    hours = (times.hour + times.minute / 60).to_numpy()
    urban = np.exp(-np.hypot(*(xy - xy.mean(axis=0)).T) / 1500.0)
    base = 26 + 6 * np.sin((hours - 9) / 24 * 2 * np.pi)
    night = np.clip(np.cos((hours - 3) / 24 * 2 * np.pi), 0, None)
    values = base[:, None] + 4 * urban[None, :] * night[:, None] + rng.normal(0, 0.3, (len(times), stations))
    values[rng.random(values.shape) < 0.05] = np.nan  # gaps
    frame = pd.DataFrame(
        {
            "time": np.repeat(times.strftime("%Y-%m-%dT%H:%M:%S%z"), stations),
            "station": np.tile([f"L{i:03d}" for i in range(stations)], len(times)),
            "temp_c": values.reshape(-1).round(2),
        }
    )
    readings = folder / "loggers.csv"
    frame.to_csv(readings, index=False)
    sites = folder / "loggers_stations.csv"
    pd.DataFrame({"station": [f"L{i:03d}" for i in range(stations)], "x": xy[:, 0], "y": xy[:, 1]}).to_csv(
        sites, index=False
    )
    return readings, sites


def bench_heat(stations: int, grid: int, repeat: int, steps: int = 24) -> dict:
    from scipy.interpolate import RBFInterpolator, griddata

    from layers.core.scene import Scene
    from layers.heat.stations import StationHeatLayer
    from viewer.render import make_plotter
    from viewer.scene_view import SceneView

    folder = Path(tempfile.mkdtemp(prefix="maquette_bench_"))
    readings, sites = write_loggers(folder, stations)
    probe = StationHeatLayer.load(readings, locations=sites, crs="EPSG:2154", reference="L000")
    xmin, ymin, xmax, ymax = probe.grid.bounds()
    resolution = min(xmax - xmin, ymax - ymin) / grid  # the shorter side gets `grid` cells
    layer = StationHeatLayer.load(
        readings, locations=sites, crs="EPSG:2154", reference="L000", resolution_m=resolution
    )
    t0 = time.perf_counter()
    layer.prepare()
    precompute_s = time.perf_counter() - t0
    scene = Scene()
    scene.add(layer)
    plotter = make_plotter((1280, 720))
    view = SceneView(plotter, scene, auto_render=False)
    visual = view.visual(layer)
    times = layer.stations.times_ns[:: max(1, len(layer.stations.times_ns) // steps)][:steps]
    from layers.core.timeutil import from_ns

    clock = [from_ns(int(t), "Europe/Paris") for t in times]
    xs, ys = layer.grid.cell_centers()
    cells = np.column_stack([np.tile(xs, len(ys)), np.repeat(ys, len(xs))])
    ours, ours_model, rbf, linear = [], [], [], []
    differences = []
    visual.set_values(layer.values_at(clock[-1]))  # warm-up (first BLAS call), not counted
    for _ in range(repeat):
        for t in clock:
            a = time.perf_counter()
            surface = layer.values_at(t)
            b = time.perf_counter()
            visual.set_values(surface)
            c = time.perf_counter()
            ours_model.append(b - a)
            ours.append(c - a)
    for t in clock[: max(3, steps // 4)]:
        values = layer.readings_at(t)
        have = np.isfinite(values)
        a = time.perf_counter()
        reference = RBFInterpolator(
            layer.stations.xy[have], values[have], kernel="thin_plate_spline", degree=1
        )(cells)
        b = time.perf_counter()
        griddata(layer.stations.xy[have], values[have], cells, method="linear")
        c = time.perf_counter()
        rbf.append(b - a)
        linear.append(c - b)
        mine = layer.field().evaluate(values)  # the linear map itself, before the display clamp
        inside = layer.inside().reshape(-1)
        differences.append(float(np.max(np.abs(mine - reference[inside]))))
    plotter.close()
    rows, cols = layer.grid.shape
    result = {
        "stations": stations,
        "grid": f"{cols} x {rows}",
        "cells_interpolated": int(layer.field().point_count),
        "clock_steps": len(clock),
        "precompute_s": round(precompute_s, 3),
        "maquette_update": best(ours),
        "maquette_model_only": best(ours_model),
        "peer_scipy_rbf_each_time": best(rbf),
        "peer_scipy_griddata_linear_each_time": best(linear),
        "max_difference_to_scipy_rbf_c": round(max(differences), 5),
    }
    result["ratio_vs_rbf"] = round(
        result["peer_scipy_rbf_each_time"]["best_s"] / result["maquette_update"]["best_s"], 1
    )
    result["ratio_vs_griddata"] = round(
        result["peer_scipy_griddata_linear_each_time"]["best_s"] / result["maquette_update"]["best_s"], 1
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size", type=int, default=2000, help="raster side, pixels")
    parser.add_argument("--stations", type=int, default=100)
    parser.add_argument("--grid", type=int, default=500, help="heat grid side, cells")
    parser.add_argument("--only", choices=("drape", "heat"))
    args = parser.parse_args(argv)
    out = {}
    if args.only in (None, "drape"):
        out["drape"] = bench_drape(args.size, args.repeat)
    if args.only in (None, "heat"):
        out["heat_surface"] = bench_heat(args.stations, args.grid, args.repeat)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
