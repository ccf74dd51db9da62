"""Sensor speed: loading a year of 10-minute readings from 1,000 sensors, and moving the clock.

Run on demand (not a unit test)::

    .venv/bin/python bench/sensors.py [--repeat 3] [--sensors 1000] [--days 365] [--data DIR] [--no-peer-csv]

The data (made once, kept in ``--data``, default a folder under the system's temporary
directory): 1,000 sensors × 52,560 times = 52.6 million readings, 0.5 % of them missing, in a
long table (``time,sensor,temp_c``, ISO times in UTC) written both as CSV (1.7 GB) and as
Parquet, and a stations table (``sensor,lon,lat``).

1. **Loading** (each run in a fresh process, so the peak memory is its own): Maquette's
   ``SensorLayer.load`` (Arrow batches straight into the dense array, the last-reading index,
   hourly and daily levels) against the naive pandas way, ``read_csv`` / ``read_parquet`` then
   ``pivot`` to a (times × sensors) table. Time and peak resident memory (``ru_maxrss``).
2. **Moving the clock** to 200 random times: Maquette's ``SensorLayer.values_at`` (last reading
   within its max age) plus ``SensorsVisual.set_time`` (colours, heights, the glyph arrays
   rewritten in place; no GL render), against pandas ``DataFrame.asof`` on the pivoted table
   (no max age: a stale reading would be shown as current) and the naive long-table query
   ``df[df.time <= t].groupby("sensor").last()`` (timed on 3 times only: it takes seconds).

Times are the best of ``--repeat`` runs (the machine is shared: the spread is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable


def best(times: list[float]) -> dict[str, float]:
    return {
        "best_s": round(min(times), 4),
        "median_s": round(float(np.median(times)), 4),
        "worst_s": round(max(times), 4),
    }


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# -- data ------------------------------------------------------------------------------------------
def make_data(folder: Path, sensors: int, days: int) -> dict[str, Path]:
    """Write (once) the long CSV, the Parquet and the stations table."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    tag = f"{sensors}x{days}d"
    paths = {
        "csv": folder / f"readings_{tag}.csv",
        "parquet": folder / f"readings_{tag}.parquet",
        "stations": folder / f"readings_{tag}_stations.csv",
    }
    if all(p.exists() for p in paths.values()):
        return paths
    steps = days * 144
    rng = np.random.default_rng(0)
    ids = np.array([f"S{i:04d}" for i in range(sensors)])
    times = (np.datetime64("2024-01-01T00:00") + np.arange(steps) * np.timedelta64(10, "m")).astype(
        "datetime64[ns]"
    )
    daily = 15 + 8 * np.sin(np.arange(steps) / 144 * 2 * np.pi)[:, None]
    values = (daily + rng.normal(0, 1, (steps, sensors))).astype(np.float32).round(1).ravel()
    values[rng.random(values.size) < 0.005] = np.nan
    table = pa.table(
        {
            "time": pa.array(np.repeat(times, sensors)).cast(pa.timestamp("ns", tz="UTC")),
            "sensor": pa.DictionaryArray.from_arrays(
                pa.array(np.tile(np.arange(sensors, dtype=np.int32), steps)), pa.array(ids)
            ),
            "temp_c": pa.array(values),
        }
    )
    pq.write_table(table, paths["parquet"])
    pcsv.write_csv(table.set_column(1, "sensor", table["sensor"].cast(pa.string())), paths["csv"])
    lon = rng.uniform(-1.75, -1.60, sensors)
    lat = rng.uniform(48.05, 48.15, sensors)
    with open(paths["stations"], "w") as handle:
        handle.write("sensor,lon,lat\n")
        handle.writelines(f"{i},{a:.6f},{b:.6f}\n" for i, a, b in zip(ids, lon, lat))
    return paths


# -- children (one process per measurement) ----------------------------------------------------------
def child_load_ours(path: str, stations: str) -> dict:
    from layers.sensors.layer import SensorLayer

    t0 = time.perf_counter()
    layer = SensorLayer.load(path, locations=stations)
    load_s = time.perf_counter() - t0
    return {
        "load_s": load_s,
        "maxrss_mb": maxrss_mb(),
        "shape": list(layer.values.shape),
        "levels": [lv.label for lv in layer.levels],
        "resident_arrays_mb": round(
            (
                layer.values.nbytes
                + (layer._last_index.nbytes if layer._last_index is not None else 0)
                + sum(lv.nbytes for lv in layer.levels)
            )
            / 2**20,
            1,
        ),
    }


def child_load_peer(path: str) -> dict:
    import pandas as pd

    t0 = time.perf_counter()
    if path.endswith(".parquet"):
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(path, parse_dates=["time"])
    wide = frame.pivot(index="time", columns="sensor", values="temp_c")
    load_s = time.perf_counter() - t0
    return {"load_s": load_s, "maxrss_mb": maxrss_mb(), "shape": list(wide.shape)}


def child_clock(parquet: str, stations: str, count: int) -> dict:
    """values_at + set_time (ours) and the pandas peers, in one process (same data, same times)."""
    import pandas as pd

    from layers.core.scene import Scene
    from layers.sensors.layer import SensorLayer
    from viewer.render import make_plotter
    from viewer.scene_view import SceneView

    layer = SensorLayer.load(parquet, locations=stations)
    scene = Scene()
    scene.add(layer)
    plotter = make_plotter((1280, 720))
    view = SceneView(plotter, scene, auto_render=False)
    visual = view.visual(layer)
    rng = np.random.default_rng(1)
    t_ns = rng.integers(int(layer.times_ns[0]), int(layer.times_ns[-1]), count)
    from layers.core import timeutil

    times = [timeutil.from_ns(int(t), "UTC") for t in t_ns]
    out = {}
    for label, frame_advance in (("10min_per_s", 600 * 0.04), ("1day_per_s", 86400 * 0.04)):
        scene.clock.speed_s_per_s = frame_advance / 0.04
        values_s, set_time_s = [], []
        for t in times:
            a = time.perf_counter()
            layer.values_at(t, frame_advance_s=frame_advance)
            b = time.perf_counter()
            visual.set_time(t)
            c = time.perf_counter()
            values_s.append(b - a)
            set_time_s.append(c - b)  # set_time calls values_at itself: this is the whole update
        out[label] = {
            "values_at_ms": round(float(np.median(values_s)) * 1000, 3),
            "values_at_p95_ms": round(float(np.percentile(values_s, 95)) * 1000, 3),
            "set_time_ms": round(float(np.median(set_time_s)) * 1000, 3),
            "set_time_p95_ms": round(float(np.percentile(set_time_s, 95)) * 1000, 3),
        }
    plotter.close()
    del view
    # peers
    long = pd.read_parquet(parquet)
    wide = long.pivot(index="time", columns="sensor", values="temp_c")
    stamps = [pd.Timestamp(t) for t in times]
    asof = []
    for t in stamps:
        a = time.perf_counter()
        wide.asof(t)
        asof.append(time.perf_counter() - a)
    naive = []
    for t in stamps[:3]:
        a = time.perf_counter()
        long[long["time"] <= t].groupby("sensor", observed=True)["temp_c"].last()
        naive.append(time.perf_counter() - a)
    out["peer_asof_ms"] = round(float(np.median(asof)) * 1000, 3)
    out["peer_groupby_last_ms"] = round(float(np.median(naive)) * 1000, 1)
    return out


# -- driver ------------------------------------------------------------------------------------------
def run_child(args: list[str], timeout: float = 900) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [PYTHON, __file__, "--child", *args], capture_output=True, text=True, timeout=timeout, env=env
    )
    if done.returncode != 0:
        return {
            "error": done.stderr.strip().splitlines()[-1]
            if done.stderr.strip()
            else f"exit {done.returncode}"
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sensors", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "maquette-bench-sensors"))
    parser.add_argument(
        "--no-peer-csv", action="store_true", help="skip the pandas read_csv peer (slow, several GB)"
    )
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = {
            "load_ours": lambda: child_load_ours(*rest),
            "load_peer": lambda: child_load_peer(*rest),
            "clock": lambda: child_clock(rest[0], rest[1], int(rest[2])),
        }[kind]()
        print(json.dumps(result))
        return

    paths = make_data(Path(args.data), args.sensors, args.days)
    report: dict = {
        "sensors": args.sensors,
        "days": args.days,
        "readings": args.sensors * args.days * 144,
        "csv_mb": round(paths["csv"].stat().st_size / 2**20),
        "parquet_mb": round(paths["parquet"].stat().st_size / 2**20),
        "cpus": os.cpu_count(),
    }
    for fmt in ("parquet", "csv"):
        ours = [run_child(["load_ours", str(paths[fmt]), str(paths["stations"])]) for _ in range(args.repeat)]
        report[f"ours_{fmt}"] = {
            **best([r["load_s"] for r in ours if "load_s" in r] or [float("nan")]),
            "maxrss_mb": round(max(r.get("maxrss_mb", 0) for r in ours)),
            "detail": ours[0],
        }
        if fmt == "csv" and args.no_peer_csv:
            continue
        peers = [run_child(["load_peer", str(paths[fmt])]) for _ in range(1 if fmt == "csv" else args.repeat)]
        good = [r for r in peers if "load_s" in r]
        report[f"peer_{fmt}"] = {
            **(best([r["load_s"] for r in good]) if good else {"error": peers[0].get("error")}),
            "maxrss_mb": round(max((r.get("maxrss_mb", 0) for r in good), default=0)),
        }
        if good:
            report[f"ratio_load_{fmt}"] = round(
                report[f"peer_{fmt}"]["best_s"] / report[f"ours_{fmt}"]["best_s"], 1
            )
            report[f"ratio_memory_{fmt}"] = round(
                report[f"peer_{fmt}"]["maxrss_mb"] / max(report[f"ours_{fmt}"]["maxrss_mb"], 1), 1
            )
    clocks = [
        run_child(["clock", str(paths["parquet"]), str(paths["stations"]), "200"]) for _ in range(args.repeat)
    ]
    good = [c for c in clocks if "error" not in c]
    if good:
        pick = min(good, key=lambda c: c["10min_per_s"]["set_time_ms"])
        report["clock"] = pick
        report["clock_spread_set_time_ms"] = [c["10min_per_s"]["set_time_ms"] for c in good]
        report["ratio_clock_vs_asof"] = round(pick["peer_asof_ms"] / pick["10min_per_s"]["set_time_ms"], 1)
    else:
        report["clock"] = clocks[0]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
