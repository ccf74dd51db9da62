"""``maquette prepare`` on Dask against the same preparation in one geopandas process.

The data: :mod:`bench.country` (a synthetic country by département, GeoParquet and FlatGeobuf,
cached under ``/tmp``). Each side runs in its own child process, one after the other:

* **dask**: :func:`layers.store.prepare.prepare_store` on a ``distributed.LocalCluster`` of
  ``--workers`` processes of one thread (started first, its start timed apart, then given as
  ``scheduler``: the same code path as ``--scheduler``); peak memory (``ru_maxrss``) of each worker
  and of the driver.
* **single**: the same steps in one process without Dask: each file read whole with geopandas,
  :func:`layers.store.footprints.store_rows`, then the whole store written by
  :func:`layers.store.single.write_store` (the same files: levels 0 to 3, index, ``store.json``).

Both write a store of the same rows (checked: count and heights' sum).

    python bench/prepare.py --buildings 1000000            # figures: bench/prepare.md
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_dask(files: list[Path], store: Path, workers: int, memory_limit: str) -> dict[str, object]:
    from layers.store.prepare import PrepareOptions, dask_client, prepare_store

    t0 = time.perf_counter()
    with dask_client(PrepareOptions(workers=workers, memory_limit=memory_limit)) as client:
        start_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        summary = prepare_store(files, store, PrepareOptions(scheduler=client.scheduler.address))
        work_s = time.perf_counter() - t1
        peaks = client.run(_peak_mb)
    return {
        "cluster_start_s": round(start_s, 2),
        "prepare_s": round(work_s, 2),
        "count": summary.count,
        "blocks": summary.blocks,
        "tiles": summary.tiles,
        "bytes": summary.bytes,
        "worker_peak_mb": sorted(round(v) for v in peaks.values()),
        "driver_peak_mb": round(_peak_mb()),
    }


def run_single(files: list[Path], store: Path) -> dict[str, object]:
    import geopandas as gpd
    import pandas as pd
    from pyproj import CRS

    from layers.store.footprints import store_rows
    from layers.store.grid import Grid
    from layers.store.single import write_store
    from layers.store.sources import describe_source

    t0 = time.perf_counter()
    crs = CRS.from_epsg(2154)
    sources = [describe_source(p, crs.to_wkt()) for p in files]
    bounds = (
        min(s.bounds[0] for s in sources),
        min(s.bounds[1] for s in sources),
        max(s.bounds[2] for s in sources),
        max(s.bounds[3] for s in sources),
    )
    grid = Grid.covering(bounds, 1000.0)
    parts = []
    for source in sources:
        frame = gpd.read_parquet(source.path) if source.parquet else gpd.read_file(source.path)
        rows, _ = store_rows(frame, source, crs.to_wkt(), grid)
        parts.append(rows)
    rows = pd.concat(parts, ignore_index=True).drop(columns=["tile", "hilbert"])
    meta = write_store(rows, store, tile_size_m=1000.0, rows_per_file=250_000)
    blocks = next(level["count"] for level in meta["levels"] if level["level"] == 1)
    return {
        "prepare_s": round(time.perf_counter() - t0, 2),
        "count": len(rows),
        "blocks": blocks,
        "height_sum": float(rows["height_m"].astype(np.float64).sum()),
        "peak_mb": round(_peak_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=1_000_000)
    parser.add_argument(
        "--data", type=Path, default=None, help="cache folder (default /tmp/maquette-country-N)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="3GB")
    parser.add_argument("--side", choices=["dask", "single"], help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    data = args.data or Path(f"/tmp/maquette-country-{args.buildings}")
    if args.side:
        files = sorted(p for p in data.iterdir() if p.suffix in (".fgb", ".parquet"))
        shutil.rmtree(args.store, ignore_errors=True)
        if args.side == "dask":
            result = run_dask(files, args.store, args.workers, args.memory_limit)
        else:
            result = run_single(files, args.store)
        print(json.dumps(result))
        return
    if not data.exists():
        from bench.country import write

        t0 = time.perf_counter()
        write(args.buildings, data)
        print(f"generated {args.buildings} footprints in {time.perf_counter() - t0:.1f} s: {data}")
    results = {}
    for side in ("dask", "single"):
        store = Path(f"/tmp/maquette-bench-{side}.store")
        command = [sys.executable, __file__, "--side", side, "--store", str(store), "--data", str(data)]
        command += ["--workers", str(args.workers), "--memory-limit", args.memory_limit]
        t0 = time.perf_counter()
        out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
        results[side] = json.loads(out.strip().splitlines()[-1]) | {
            "process_s": round(time.perf_counter() - t0, 2)
        }
        print(side, results[side], flush=True)
    dask, single = results["dask"], results["single"]
    print(
        f"time dask/single: {dask['prepare_s'] / single['prepare_s']:.2f} "
        f"(whole processes {dask['process_s'] / single['process_s']:.2f}); "
        f"peak memory per worker / single process: {max(dask['worker_peak_mb']) / single['peak_mb']:.2f}"
    )


if __name__ == "__main__":
    main()
