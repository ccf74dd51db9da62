"""3D Tiles from a prepared store, tile by tile, against the same buildings in memory.

    .venv/bin/python bench/tiles3d_store.py [--buildings 1000000] [--json out.json]

The data: :mod:`bench.country` (a synthetic country by département, cached under ``/tmp``)
prepared once by ``maquette prepare`` (Dask, 2 workers, 1 km tiles) into a store under
``/tmp/maquette_bench`` (never committed). Each side runs in its own child process, one after the
other, so that its peak memory (``ru_maxrss``) is its own:

* ``store``: :func:`layers.tiles3d.store_export.write_store_tileset` (one store tile at a time:
  read, mesh, write; merged blocks as far content);
* ``peer``: every building of the store's level 0 read into one GeoDataFrame (``load_s``), then
  :func:`layers.tiles3d.writer.write_tileset` on it (``export_s``): what
  ``maquette export FILES -o DIR --3dtiles`` does with the buildings in memory.

Both write the same buildings (counts checked); ratios are store / peer.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path("/tmp/maquette_bench")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_store(store_path: str, out: str) -> dict:
    from layers.store.reader import open_store
    from layers.tiles3d.store_export import write_store_tileset

    t0 = perf_counter()
    store = open_store(store_path)
    stats = write_store_tileset(store, out)
    return {
        "side": "store",
        "export_s": round(perf_counter() - t0, 2),
        "buildings": stats["buildings"],
        "dropped": stats["dropped"],
        "store_tiles": stats["store_tiles"],
        "blocks": stats["blocks"],
        "glb_tiles": stats["tiles"],
        "bytes": stats["bytes"],
        "peak_rss_mb": round(_peak_rss_mb()),
    }


def child_peer(store_path: str, out: str) -> dict:
    import geopandas as gpd
    import pandas as pd
    import pyarrow.parquet as pq
    import shapely

    from layers.store.reader import open_store
    from layers.tiles3d.writer import write_tileset

    t0 = perf_counter()
    store = open_store(store_path)
    frames = [
        pq.read_table(store.path / str(file), columns=["geometry", "height_m", "usage", "id"]).to_pandas()
        for file in sorted(set(store.tiles(0)["file"]))
    ]
    frame = pd.concat(frames, ignore_index=True)
    del frames
    geometry = shapely.from_wkb(frame.pop("geometry").to_numpy())
    buildings = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=store.crs))
    load_s = perf_counter() - t0
    t1 = perf_counter()
    stats = write_tileset(buildings, out)
    return {
        "side": "peer",
        "load_s": round(load_s, 2),
        "export_s": round(perf_counter() - t1, 2),
        "buildings": stats["buildings"],
        "dropped": stats["dropped"],
        "glb_tiles": stats["tiles"],
        "bytes": stats["bytes"],
        "peak_rss_mb": round(_peak_rss_mb()),
    }


def _store(buildings: int) -> Path:
    """The prepared store of ``buildings`` synthetic footprints (made once, then reused)."""
    sources = Path(f"/tmp/maquette-country-{buildings}")
    store = DATA / f"tiles3d_store/store-{buildings}"
    if not (store / "store.json").is_file() or '"complete": true' not in (store / "store.json").read_text():
        if not sources.is_dir():
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench/country.py"),
                    "--buildings",
                    str(buildings),
                    "-o",
                    str(sources),
                ],
                check=True,
            )
        t0 = perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "desktop.cli",
                "prepare",
                *map(str, sorted(sources.iterdir())),
                "-o",
                str(store),
            ],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        print(json.dumps({"what": "store prepared", "s": round(perf_counter() - t0, 1)}), flush=True)
    return store


def _run(side: str, store: Path, out: Path) -> dict:
    t0 = perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", side, str(store), str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=3600,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = round(perf_counter() - t0, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--buildings", type=int, default=1_000_000)
    parser.add_argument("--json", help="write the results here too")
    parser.add_argument("--child", nargs=3, metavar=("SIDE", "STORE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        side, store_path, out = args.child
        print(json.dumps((child_store if side == "store" else child_peer)(store_path, out)), flush=True)
        return
    store = _store(args.buildings)
    meta = json.loads((store / "store.json").read_text(encoding="utf-8"))
    work = DATA / "tiles3d_store"
    results = {"buildings": meta["count"], "store": str(store)}
    for side in ("store", "peer"):
        out = work / f"out-{side}"
        shutil.rmtree(out, ignore_errors=True)
        results[side] = _run(side, store, out)
        print(json.dumps(results[side]), flush=True)
        shutil.rmtree(out, ignore_errors=True)
    store_side, peer = results["store"], results["peer"]
    assert store_side["buildings"] == peer["buildings"] == meta["count"], (store_side, peer)
    results["ratios"] = {
        "export_s": round(store_side["export_s"] / peer["export_s"], 2),
        "export_s_vs_load_and_export": round(store_side["export_s"] / (peer["export_s"] + peer["load_s"]), 2),
        "peak_rss_mb": round(store_side["peak_rss_mb"] / peer["peak_rss_mb"], 2),
    }
    print(json.dumps(results["ratios"]), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
