"""The story page of the sample city (``maquette publish``): its size, the time to write it, and
its load time in headless Chromium on this machine (WebGL on SwiftShader, the CPU: no GPU).

Load times are measured from the navigation (``performance.now()`` of the page, cold cache: a new
browser context per run, served from 127.0.0.1) to:

* ``caption_ms``: the first step's caption painted (the first contentful paint: the caption is the
  page's first text) — the reader can start reading and stepping;
* ``globe_ms``: the first frame of the 3D view drawn (``document.body.dataset.globeMs``);
* ``tiles_ms``: all the tiles and overlays of the first view loaded and drawn
  (``document.body.dataset.loadMs``, set with ``dataset.ready``).

The peer, same run: the ``maquette export --3dtiles --viewer`` page of the same city (its load time
to ``dataset.ready``), and the video export of the same story (``maquette video``: its size and
time), the other way to hand over a story. Medians of ``--runs`` runs (5).

Usage::

    MAQUETTE_SHARED_DATA=/work/shared/data .venv/bin/python bench/publish.py [--runs 5] [--json OUT]
        [--vs EARLIER_PAGE_FOLDER] [--no-video]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PROJECT = ROOT / "sample_city" / "sample_city.maquette.json"
PYTHON = sys.executable


def cli(*args: str) -> tuple[float, str]:
    """Run ``maquette ARGS`` in a child process; its wall time (s) and its standard output."""
    t0 = perf_counter()
    done = subprocess.run(
        [PYTHON, "-m", "desktop.cli", *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return perf_counter() - t0, done.stdout


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def load_times(
    folders: list[Path], runs: int, size: tuple[int, int] = (1366, 768)
) -> list[list[dict[str, float]]]:
    """``runs`` cold loads of each of ``folders``' index.html, the folders taking turns (so that the
    machine's load falls on each alike): per folder, the caption, globe and tiles times (ms)."""
    from contextlib import ExitStack

    from tests.web.browser import Browser, FolderServer

    found: list[list[dict[str, float]]] = [[] for _ in folders]
    with ExitStack() as stack:
        browser = stack.enter_context(Browser(*size))
        servers = [stack.enter_context(FolderServer(folder)) for folder in folders]
        for _ in range(runs):
            for rows, server in zip(found, servers):
                with browser.open(server) as visit:
                    visit.wait_ready(timeout_s=180)
                    times = visit.page.evaluate(
                        """() => ({
                        caption_ms:
                          (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
                        globe_ms: Number(document.body.dataset.globeMs),
                        tiles_ms: Number(document.body.dataset.loadMs)})"""
                    )
                    visit.assert_offline()
                rows.append({k: round(float(v), 1) for k, v in times.items() if v is not None})
    return found


def median(rows: list[dict[str, float]], key: str) -> float | None:
    values = [row[key] for row in rows if key in row and row[key] == row[key]]
    return round(statistics.median(values), 1) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", help="write the figures there too")
    parser.add_argument("--no-video", action="store_true", help="leave out the video peer (minutes)")
    parser.add_argument(
        "--vs",
        metavar="DIR",
        help="another story page folder of the same project (written by an earlier version), "
        "loaded in turn with this one",
    )
    args = parser.parse_args()
    from tests.web.browser import cesium_build

    os.environ.setdefault("MAQUETTE_CESIUM_DIR", str(cesium_build()))
    result: dict[str, Any] = {"renderer": "Chromium headless, WebGL on SwiftShader (CPU)", "runs": args.runs}
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        page = work / "story"
        seconds, out = cli("publish", str(PROJECT), "-o", str(page), "--zip", "--json")
        stats = json.loads(out)
        result["story"] = {
            "write_s": round(seconds, 2),
            "write_own_s": stats["seconds"],
            "bytes": stats["bytes"],
            "zip_bytes": stats["zip_bytes"],
            "overlays": stats.get("overlays", 0),
        }
        folders = [page] + ([Path(args.vs)] if args.vs else [])
        loads, *earlier = load_times(folders, args.runs)
        result["story"]["loads"] = loads
        for key in ("caption_ms", "globe_ms", "tiles_ms"):
            result["story"][key] = median(loads, key)
        if earlier:
            result["vs"] = {"folder": args.vs, "bytes": folder_bytes(Path(args.vs)), "loads": earlier[0]}
            for key in ("caption_ms", "globe_ms", "tiles_ms"):
                result["vs"][key] = median(earlier[0], key)
        viewer = work / "viewer"
        seconds, _ = cli("export", str(PROJECT), "-o", str(viewer), "--3dtiles", "--viewer")
        (viewer_loads,) = load_times([viewer], args.runs)
        result["viewer"] = {
            "write_s": round(seconds, 2),
            "bytes": folder_bytes(viewer),
            "tiles_ms": median(viewer_loads, "tiles_ms"),
            "caption_ms": median(viewer_loads, "caption_ms"),
        }
        if not args.no_video:
            video = work / "story.mp4"
            seconds, _ = cli("video", str(PROJECT), "--story", "-o", str(video), "--size", "1280x720")
            result["video"] = {"write_s": round(seconds, 1), "bytes": video.stat().st_size}
    print(json.dumps(result, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
