"""Two cities 500 km apart in one scene: peak memory of the commands that draw or compute grids.

The sample city (Rennes, EPSG:2154) plus Lyon's BD TOPO buildings (EPSG:3946, about 560 km away
edge to edge) with the sun on once asked numpy for 15.5 GiB (``maquette render … --sun``) and grew
the GUI to 22 GB: the ground-shadow grid covered the whole scene's extent. Each command below runs
in a child process on the two-cities scene and on the sample city alone (the peer); its peak
resident memory is read from the kernel (``wait4`` rusage ``ru_maxrss``). Every child runs under an
address-space cap (``--cap-gb``, default 12) so a runaway allocation fails instead of taking the
machine down: such a run shows its exit status and the allocation refused.

    python bench/two_cities.py                      # the CLI commands, this checkout
    xvfb-run -a python bench/two_cities.py --gui    # and the window: open both, sun, clock, each city
    python bench/two_cities.py --code /work/main    # the same commands run on another checkout

Needs ``MAQUETTE_SHARED_DATA`` (or ``../shared/data``) holding ``buildings/lyon1_bdtopo``. Figures
and the protocol: ``bench/two_cities.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LYON = "buildings/lyon1_bdtopo/buildings_lyon1.geojson"
#: the sample city's area in Lambert-93 (for --bbox)
RENNES_BBOX = "351000,6788500,353000,6790100"
TIME = "2025-06-21T15:00"


def shared_data() -> Path:
    return Path(os.environ.get("MAQUETTE_SHARED_DATA") or ROOT.parent / "shared" / "data")


def make_inputs(folder: Path) -> dict[str, Path]:
    """The two cities' buildings in one file (Lambert-93, ``hauteur``) and the sample city's
    planned tower in WGS84 (a project in another CRS than the buildings)."""
    import geopandas as gpd
    import pandas as pd

    sample = gpd.read_file(ROOT / "sample_city" / "buildings.gpkg")[["hauteur", "geometry"]]
    lyon = gpd.read_file(shared_data() / LYON).to_crs(sample.crs).rename(columns={"HAUTEUR": "hauteur"})
    both = folder / "two_cities.gpkg"
    frame = pd.concat([sample, lyon[["hauteur", "geometry"]]], ignore_index=True)
    gpd.GeoDataFrame(frame, crs=sample.crs).to_file(both)
    tower = folder / "tower_4326.geojson"
    gpd.read_file(ROOT / "sample_city" / "proposed_tower.geojson").to_crs(4326).to_file(tower)
    return {"both": both, "tower": tower}


def cases(inputs: dict[str, Path], out: Path) -> list[tuple[str, list[str], list[str]]]:
    """(name, argv on the two cities, argv on the sample city alone)."""
    project = str(ROOT / "sample_city" / "sample_city.maquette.json")
    lyon = str(shared_data() / LYON)
    sample_b = str(ROOT / "sample_city" / "buildings.gpkg")
    both_b = str(inputs["both"])
    heights = ["--height-field", "hauteur"]
    video = ["--sun", "--start", "2025-06-21T08:00", "--end", "2025-06-21T18:00", "--step", "2h"]
    sun = ["--date", "2025-06-21", "--step", "30"]
    return [
        (
            "render --sun --time (1280x720)",
            [
                "render",
                project,
                lyon,
                "--sun",
                "--time",
                TIME,
                "--size",
                "1280x720",
                "-o",
                str(out / "r2.png"),
            ],
            ["render", project, "--sun", "--time", TIME, "--size", "1280x720", "-o", str(out / "r1.png")],
        ),
        (
            "video --sun, 6 frames (640x360)",
            ["video", project, lyon, *video, "--size", "640x360", "-o", str(out / "v2.mp4")],
            ["video", project, *video, "--size", "640x360", "-o", str(out / "v1.mp4")],
        ),
        (
            "export --data shadows --time",
            ["export", project, lyon, "--data", "shadows", "--time", TIME, "-o", str(out / "e2.gpkg")],
            ["export", project, "--data", "shadows", "--time", TIME, "-o", str(out / "e1.gpkg")],
        ),
        (
            "shade --at",
            ["shade", both_b, *heights, "--at", TIME, "-o", str(out / "s2.gpkg")],
            ["shade", sample_b, *heights, "--at", TIME, "-o", str(out / "s1.gpkg")],
        ),
        (
            "sunlight (automatic grid)",
            ["sunlight", both_b, *heights, *sun, "-o", str(out / "h2.tif")],
            ["sunlight", sample_b, *heights, *sun, "-o", str(out / "h1.tif")],
        ),
        (
            "sunlight --bbox (the sample city)",
            ["sunlight", both_b, *heights, *sun, "--bbox", RENNES_BBOX, "-o", str(out / "b2.tif")],
            ["sunlight", sample_b, *heights, *sun, "--bbox", RENNES_BBOX, "-o", str(out / "b1.tif")],
        ),
        (
            "sunlight --proposed (tower in EPSG:4326)",
            [
                "sunlight",
                both_b,
                *heights,
                *sun,
                "--proposed",
                str(inputs["tower"]),
                "-o",
                str(out / "p2.tif"),
            ],
            [
                "sunlight",
                sample_b,
                *heights,
                *sun,
                "--proposed",
                str(inputs["tower"]),
                "-o",
                str(out / "p1.tif"),
            ],
        ),
    ]


def run_capped(
    argv: list[str], code: Path, cap_gb: float, timeout_s: float = 900, env: dict[str, str] | None = None
) -> dict:
    """Run ``argv`` in a child Python importing ``code`` first, under an address-space cap: its
    exit status, peak RSS (MB), seconds and the last ``maquette:`` line of stderr."""
    cap = int(cap_gb * 1024**3)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = {**os.environ, **(env or {}), "PYTHONPATH": str(code), "MAQUETTE_SHARED_DATA": str(shared_data())}
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            argv, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=err, preexec_fn=limit
        )
        deadline = t0 + timeout_s
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        lines = [line for line in err.read().decode(errors="replace").splitlines() if line.strip()]
    said = [line for line in lines if "error" in line or "km from" in line or "Unable to allocate" in line]
    note = said[-1] if said else ""
    match = re.search(r"Unable to allocate [\d.]+ \w+", note)
    return {
        "exit": child.returncode,
        "peak_mb": round(usage.ru_maxrss / 1024),
        "seconds": round(time.perf_counter() - t0, 1),
        "note": (match.group(0) if match else note)[:160],
    }


GUI_SCRIPT = r"""
import sys, time
from datetime import datetime, timedelta
from PySide6.QtWidgets import QApplication, QMessageBox
app = QApplication(sys.argv)
from desktop.main_window import MainWindow
from viewer import camera as camera_util

def wait(condition, seconds=300):
    end = time.time() + seconds
    while not condition() and time.time() < end:
        app.processEvents(); time.sleep(0.01)

def answer_add():  # the far-apart question, when there is one: add the file to this scene
    for box in window.findChildren(QMessageBox):
        if box.isVisible():
            for button in box.buttons():
                if box.buttonRole(button) == QMessageBox.ButtonRole.RejectRole:
                    button.click(); return True
    return False

t0 = time.time()
def say(what):
    print(f"{time.time() - t0:7.1f} s  {what}", file=sys.stderr, flush=True)
window = MainWindow(language="fr"); window.resize(1400, 900); window.show()
window.open_paths_async([sys.argv[1]]); wait(lambda: not window.tasks.busy and window.scene.layers)
say(f"opened, {len(window.scene.layers)} layers")
paths = sys.argv[2:]
if paths:
    count = len(window.scene.layers)
    window.add_files_async(paths)
    wait(lambda: not window.tasks.busy and (answer_add() or len(window.scene.layers) > count))
    wait(lambda: len(window.scene.layers) > count, 30)
    say(f"added, {len(window.scene.layers)} layers")
view = window.scene_view
clock = window.scene.clock
clock.time = datetime.fromisoformat("2025-06-21T08:00:00+02:00")
view.set_sun(True)
say("sun on")
boxes = [(351150.0, 6788720.0, 352750.0, 6789920.0)]
if paths:
    boxes.append((840958.0, 6519999.0, 842835.0, 6521108.0))
for box in boxes:  # look at each city, then play the clock there (a frame every 10 min of sun)
    view.go_to(camera_util.oblique_view(box, aspect=1.5)); app.processEvents()
    for k in range(30):
        clock.time = clock.time + timedelta(minutes=10)
        view.plotter.render(); app.processEvents()
    say(f"played the clock at {box[:2]}")
window.session.mark_clean(); window.close(); app.processEvents()
"""


def run_gui(code: Path, cap_gb: float, with_lyon: bool) -> dict:
    project = str(ROOT / "sample_city" / "sample_city.maquette.json")
    argv = [sys.executable, "-c", GUI_SCRIPT, project] + ([str(shared_data() / LYON)] if with_lyon else [])
    with tempfile.TemporaryDirectory(prefix="two_cities_home_") as home:  # no autosave of another run
        dirs = {
            name: str(Path(home) / name) for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME")
        }
        return run_capped(argv, code, cap_gb, env={**dirs, "HOME": home})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--code", type=Path, default=ROOT, help="checkout whose code runs (default: this one)"
    )
    parser.add_argument("--cap-gb", type=float, default=12.0, help="address-space cap of each child (GiB)")
    parser.add_argument("--gui", action="store_true", help="also the window (needs a display: xvfb-run)")
    parser.add_argument("--only", help="only the cases whose name contains this")
    parser.add_argument("--json", type=Path, help="write the results there too")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="two_cities_") as tmp:
        folder = Path(tmp)
        inputs = make_inputs(folder)
        cli = [sys.executable, "-m", "desktop.cli"]
        for name, two, one in cases(inputs, folder):
            if args.only and args.only not in name or args.only == "gui":
                continue
            row = {"command": name, "two_cities": run_capped(cli + two, args.code, args.cap_gb)}
            row["sample_city"] = run_capped(cli + one, args.code, args.cap_gb)
            results.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
        if args.gui:
            row = {
                "command": "GUI: open both, sun on, each city, 30 clock steps each",
                "two_cities": run_gui(args.code, args.cap_gb, True),
                "sample_city": run_gui(args.code, args.cap_gb, False),
            }
            results.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
