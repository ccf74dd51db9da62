"""Start-up cost of the command line: import time per command, whole-command wall time, and the
stages of ``maquette render`` of 100,000 footprints, against a peer checkout.

Run on demand (not in the unit tests), from the repository root::

    .venv/bin/python bench/startup.py imports --peer ../peer-v01            # -X importtime, summed
    .venv/bin/python bench/startup.py whole --runs 7 --peer ../peer-v01     # wall time, A/B paired
    .venv/bin/python bench/startup.py stages --runs 5 --peer ../peer-v01    # render --json of 100k

``--peer DIR`` is another checkout of Maquette (here 0.1 as released, commit 59d8ce8, made with
``git worktree add ../peer-v01 59d8ce8``), run with the same interpreter from its own root, so both
trees use the very same libraries. Inputs are synthetic footprints written to /tmp by
``bench/buildings_data.py`` (100 and 100,000 buildings, GeoParquet; not committed); outputs go to
a temporary folder. Every measurement is a fresh ``python -m desktop.cli`` process, run without a
display (EGL off screen, as in a script on a server). A and B run in turn (A B A B ...), so that a
machine slowing down during the run slows both; ratios are medians of the pairs. Results are
JSON lines on stdout; bench/startup.md keeps the figures and defines what they mean.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

SMALL, BIG = 100, 100_000


def commands(small: Path, big: Path, out: Path) -> dict[str, list[str]]:
    """The commands measured: a trivial input (100 buildings) shows what a command costs before
    and after its work; ``render_100k`` is the issue's case."""
    return {
        "help": ["render", "--help"],
        "info": ["info", str(small)],
        "shade": ["shade", str(small), "--at", "2025-06-21T10:00", "-o", str(out / "shade.gpkg")],
        "sunlight": [
            "sunlight",
            str(small),
            "--date",
            "2025-06-21",
            "--resolution",
            "2",
            "-o",
            str(out / "h.tif"),
        ],
        "export_list": ["export", str(small), "--list"],
        "render": ["render", str(small), "-o", str(out / "small.png"), "--size", "640x480"],
        "render_100k": ["render", str(big), "-o", str(out / "big.png"), "--size", "1920x1080", "--json"],
    }


READ = ["geopandas", "pyogrio", "pyarrow.parquet"]
DRAW = ["pyvista.plotting", "vtkmodules.vtkRenderingOpenGL2", "vtkmodules.vtkRenderingFreeType", "PIL.Image"]
#: the libraries each command's work needs, imported alone: the floor of its import time
FLOORS = {
    "help": [],
    "info": READ,
    "shade": [*READ, "scipy.sparse.csgraph"],
    "sunlight": [*READ, "rasterio", "affine"],
    "export_list": READ,
    "render": READ + DRAW,
    "render_100k": READ + DRAW,
}


def headless_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("PYTHONPATH", None)
    return env


def run(
    tree: Path, args: list[str], *, importtime: bool = False, code: str | None = None
) -> tuple[float, subprocess.CompletedProcess]:
    """Wall seconds of ``python -m desktop.cli ARGS`` (or ``python -c CODE``) run from ``tree``'s
    root, and its result."""
    flags = ["-X", "importtime"] if importtime else []
    what = ["-c", code] if code is not None else ["-m", "desktop.cli", *args]
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *flags, *what],
        cwd=tree,
        env=headless_env(),
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(
            f"{tree}: maquette {' '.join(args)} failed ({done.returncode}): {done.stderr[-800:]}"
        )
    return wall, done


def import_times(stderr: str) -> tuple[float, Counter]:
    """Summed self time (s) of every import of a ``-X importtime`` report, and per top-level package."""
    total, per_package = 0, Counter()
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = line.split(":", 1)[1].split("|")
        total += int(self_us)
        per_package[name.strip().split(".")[0]] += int(self_us)
    return total / 1e6, Counter({k: v / 1e6 for k, v in per_package.items()})


def trees(args: argparse.Namespace) -> dict[str, Path]:
    found = {"maquette": ROOT}
    if args.peer:
        found["peer"] = Path(args.peer).resolve()
    return found


def spread(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def inputs() -> tuple[Path, Path]:
    from buildings_data import write

    return write(SMALL)["parquet"], write(BIG)["parquet"]


# -- modes ---------------------------------------------------------------------------------------
def cmd_imports(args: argparse.Namespace) -> None:
    """Import overhead: summed ``-X importtime`` self time per command (median of the runs), and
    the packages that cost most."""
    small, big = inputs()
    with tempfile.TemporaryDirectory() as folder:
        for name, argv in commands(small, big, Path(folder)).items():
            if args.only and name not in args.only:
                continue
            row: dict = {"mode": "imports", "command": name}
            for side, tree in trees(args).items():
                totals, packages = [], Counter()
                for _ in range(args.runs):
                    _, done = run(tree, argv, importtime=True)
                    total, per_package = import_times(done.stderr)
                    totals.append(total)
                    packages = per_package
                row[side] = {
                    "import_s": spread(totals),
                    "top": {k: round(v, 3) for k, v in packages.most_common(8)},
                }
            code = f"import {', '.join(FLOORS[name]) or 'sys'}"
            floor = [
                import_times(run(ROOT, [], importtime=True, code=code)[1].stderr)[0] for _ in range(args.runs)
            ]
            row["floor"] = {"modules": FLOORS[name], "import_s": spread(floor)}
            if "peer" in row:
                row["ratio"] = round(
                    row["maquette"]["import_s"]["median"] / row["peer"]["import_s"]["median"], 2
                )
            print(json.dumps(row, ensure_ascii=False), flush=True)


def cmd_whole(args: argparse.Namespace) -> None:
    """Wall time of whole commands, this tree and the peer in turn."""
    small, big = inputs()
    with tempfile.TemporaryDirectory() as folder:
        for name, argv in commands(small, big, Path(folder)).items():
            if args.only and name not in args.only:
                continue
            sides = trees(args)
            for tree in sides.values():
                run(tree, argv)  # warm-up: file cache, compiled bytecode
            walls: dict[str, list[float]] = {side: [] for side in sides}
            for _ in range(args.runs):
                for side, tree in sides.items():
                    walls[side].append(run(tree, argv)[0])
            row: dict = {"mode": "whole", "command": name, "runs": args.runs}
            row.update({side: spread(values) for side, values in walls.items()})
            if "peer" in walls:
                row["ratio"] = round(
                    statistics.median(a / b for a, b in zip(walls["maquette"], walls["peer"])), 3
                )
            print(json.dumps(row), flush=True)


STAGES = ("load_s", "mesh_s", "render_s", "total_s")


def cmd_stages(args: argparse.Namespace) -> None:
    """``maquette render --json`` of 100,000 footprints: the stages it reports, the whole process,
    and what lies outside the stages (start-up, imports made before the first stage, exit)."""
    small, big = inputs()
    with tempfile.TemporaryDirectory() as folder:
        argv = commands(small, big, Path(folder))["render_100k"]
        sides = trees(args)
        for tree in sides.values():
            run(tree, argv)
        rows: dict[str, list[dict]] = {side: [] for side in sides}
        for _ in range(args.runs):
            for side, tree in sides.items():
                wall, done = run(tree, argv)
                stats = json.loads(done.stdout.strip().splitlines()[-1])
                figures = {key: stats[key] for key in STAGES}
                figures["render_ready_s"] = stats["load_s"] + stats["mesh_s"]
                figures["wall_s"] = wall
                figures["outside_stages_s"] = wall - stats["total_s"]
                rows[side].append(figures)
        result: dict = {"mode": "stages", "features": BIG, "runs": args.runs}
        for side, figures in rows.items():
            result[side] = {key: spread([f[key] for f in figures]) for key in figures[0]}
        if "peer" in rows:
            result["ratio"] = {
                key: round(
                    statistics.median(a[key] / b[key] for a, b in zip(rows["maquette"], rows["peer"])), 3
                )
                for key in ("render_ready_s", "wall_s")
            }
        print(json.dumps(result), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    for mode, runs in (("imports", 3), ("whole", 7), ("stages", 5)):
        one = sub.add_parser(mode)
        one.add_argument("--runs", type=int, default=runs)
        one.add_argument("--peer", help="another checkout to compare with (run from its own root)")
        if mode != "stages":
            one.add_argument("--only", nargs="*", help="command names (default: all)")
    args = parser.parse_args(argv)
    {"imports": cmd_imports, "whole": cmd_whole, "stages": cmd_stages}[args.mode](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
