"""3D Tiles export of many buildings: time, size on disk, what the validators say, and the time
of the single-file glb export of the same buildings.

    .venv/bin/python bench/tiles3d.py [--n 1000000] [--compare 100000] [--sample 40] [--json out.json]

* ``--n`` synthetic footprints (:mod:`bench.buildings_data`: vectorised, the shape mix of BD TOPO)
  written as a tileset by :func:`layers.tiles3d.writer.write_tileset` from the frame in memory:
  seconds, peak memory of the process, bytes, tiles, triangles;
* validators: every tile (or a random sample of ``--sample`` tiles, the root and the deepest tile
  included) through glTF-Validator; the whole tileset read by 3d-tiles-tools (``convert`` to a .3tz, which
  opens every tile) — the sample is said as such in the results;
* ``--compare`` buildings (a FlatGeobuf) through the command line twice, same load path:
  ``maquette export FILE -o x.glb`` (the single-file export: VTK scene off screen, then pygltflib)
  and ``maquette export FILE -o DIR --3dtiles``; ``export_s`` of each and their ratio.

Synthetic data goes to /tmp/maquette_bench (never committed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

NODE_MODULES = next(
    (
        p
        for p in (ROOT / "packaging/node/node_modules", Path("/work/main/packaging/node/node_modules"))
        if (p / "gltf-validator").is_dir()
    ),
    None,
)


def frame_of(n: int):
    import geopandas as gpd
    from buildings_data import footprints

    polygons, columns = footprints(n)
    return gpd.GeoDataFrame(
        {"id": columns["ID"], "height_m": columns["HAUTEUR"], "usage": columns["USAGE1"]},
        geometry=polygons,
        crs="EPSG:2154",
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def validate_sample(folder: Path, sample: int) -> dict:
    glbs = sorted((folder / "tiles").glob("*.glb"))
    rng = np.random.default_rng(0)
    deepest = max(glbs, key=lambda p: p.stem.count("-"))
    chosen = {folder / "tiles/0.glb", deepest}
    count = len(glbs) if sample <= 0 else min(sample, len(glbs))
    chosen.update(glbs[i] for i in rng.choice(len(glbs), count, replace=False))
    t0 = perf_counter()
    done = subprocess.run(
        [
            "node",
            str(ROOT / "tests/layers/tiles3d/validate_glb.cjs"),
            str(NODE_MODULES),
            *map(str, sorted(chosen)),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    infos = sorted({m.split(" ", 2)[1] for r in reports for m in r["messages"]})
    return {
        "tiles_validated": len(reports),
        "of_tiles": len(glbs),
        "errors": sum(r["errors"] for r in reports),
        "warnings": sum(r["warnings"] for r in reports),
        "infos": sum(r["infos"] for r in reports),
        "info_codes": infos,
        "seconds": round(perf_counter() - t0, 2),
    }


def tiles_tools_convert(folder: Path, work: Path) -> dict:
    t0 = perf_counter()
    done = subprocess.run(
        [
            str(NODE_MODULES / ".bin/3d-tiles-tools"),
            "--logJson",
            "convert",
            "-i",
            str(folder / "tileset.json"),
            "-o",
            str(work / "all.3tz"),
        ],
        capture_output=True,
        text=True,
    )
    complaints = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if '"level":4' in line or '"level":5' in line
    ]
    return {
        "command": "3d-tiles-tools convert -> .3tz",
        "exit": done.returncode,
        "complaints": complaints[:5],
        "bytes_3tz": (work / "all.3tz").stat().st_size if (work / "all.3tz").exists() else None,
        "seconds": round(perf_counter() - t0, 2),
    }


def cli_export(source: Path, output: Path, *extra: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "export", str(source), "-o", str(output), *extra, "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    wall = perf_counter() - t0
    if done.returncode != 0:
        return {"exit": done.returncode, "error": done.stderr.strip()[-300:]}
    stats = json.loads(done.stdout.strip().splitlines()[-1])
    export_s = stats.get("export_s", stats.get("seconds"))
    size = (
        sum(f.stat().st_size for f in output.rglob("*") if f.is_file())
        if output.is_dir()
        else output.stat().st_size
    )
    return {"load_s": stats["load_s"], "export_s": export_s, "wall_s": round(wall, 2), "bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument(
        "--compare", type=int, default=100_000, help="buildings of the glb comparison (0: none)"
    )
    parser.add_argument("--sample", type=int, default=0, help="tiles through glTF-Validator (0: all)")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    from layers.tiles3d.writer import write_tileset

    results: dict = {"n": args.n, "cpus": os.cpu_count()}
    work = Path(tempfile.mkdtemp(prefix="tiles3d_bench_"))
    try:
        t0 = perf_counter()
        frame = frame_of(args.n)
        results["generate_s"] = round(perf_counter() - t0, 2)
        t0 = perf_counter()
        stats = write_tileset(frame, work / "tileset")
        results["write_s"] = round(perf_counter() - t0, 2)
        results["tileset"] = {
            k: stats[k] for k in ("buildings", "tiles", "features", "triangles", "vertices", "bytes")
        }
        results["bytes_per_building"] = round(stats["bytes"] / args.n, 1)
        results["buildings_per_s"] = round(args.n / results["write_s"])
        results["peak_rss_mb"] = round(peak_rss_mb())
        print(json.dumps(results), flush=True)
        del frame
        if NODE_MODULES is not None and shutil.which("node"):
            results["gltf_validator"] = validate_sample(work / "tileset", args.sample)
            print(json.dumps(results["gltf_validator"]), flush=True)
            results["3d_tiles_tools"] = tiles_tools_convert(work / "tileset", work)
            print(json.dumps(results["3d_tiles_tools"]), flush=True)
            (work / "all.3tz").unlink(missing_ok=True)
        shutil.rmtree(work / "tileset")
        if args.compare:
            from buildings_data import write

            source = write(args.compare)["fgb"]
            glb = cli_export(source, work / "x.glb")
            tiles = cli_export(source, work / "t", "--3dtiles")
            results["compare"] = {"buildings": args.compare, "glb": glb, "3dtiles": tiles}
            if "export_s" in glb and "export_s" in tiles:
                results["compare"]["3dtiles_over_glb"] = round(tiles["export_s"] / glb["export_s"], 2)
            print(json.dumps(results["compare"]), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
