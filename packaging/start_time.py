"""Measure how fast an installed Maquette starts: cold (page cache dropped) and warm (best of N).

    python3 packaging/start_time.py [--maquette /usr/bin/maquette] [--runs 5] [--no-cold] [--json]

Three things are timed, each in a fresh HOME with PATH=/usr/bin:/bin (no Python of the machine):
``maquette --version``; ``maquette render`` of the sample city to a 1280x720 PNG (EGL, no display);
and, when an X display and xwininfo are there, the GUI from launch until its window is mapped.
Cold runs write 3 to /proc/sys/vm/drop_caches first (root only; skipped with a note otherwise), so
the bundle, the system's libraries and the GL driver are read from disk again. Times in seconds of
wall clock. Needs only the Python standard library (runs with the system's python3).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def drop_caches() -> bool:
    """Empty the page cache (root); False where not allowed."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def environment(home: Path) -> dict[str, str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "MAQUETTE_AUTOSAVE_DIR": str(home / "autosave"),
    }
    for key in ("DISPLAY", "XAUTHORITY"):
        if os.environ.get(key):
            env[key] = os.environ[key]
    return env


def timed(command: list[str], home: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        command,
        check=True,
        env=environment(home),
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=600,
    )
    return time.perf_counter() - t0


def window_mapped(maquette: str, home: Path, timeout_s: float = 120.0) -> float:
    """Seconds from launch until a Maquette top-level window is viewable; the app is then closed."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [maquette],
        env=environment(home),
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while time.perf_counter() - t0 < timeout_s and proc.poll() is None:
            tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True).stdout
            for wid in re.findall(
                r'^\s*(0x[0-9a-f]+) "[^"\n]*Maquette[^"\n]*": \("maquette" "Maquette"\)', tree, re.M
            ):
                info = subprocess.run(["xwininfo", "-id", wid], capture_output=True, text=True).stdout
                if "Map State: IsViewable" in info:
                    return time.perf_counter() - t0
            time.sleep(0.05)
        raise RuntimeError(f"no Maquette window after {timeout_s} s (exit {proc.poll()})")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--maquette", default="/usr/bin/maquette", help="the installed command (default /usr/bin/maquette)"
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="warm runs of each; the best is reported (default 5)"
    )
    parser.add_argument("--no-cold", action="store_true", help="do not drop the page cache")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="maquette-start-") as folder:
        home = Path(folder)
        checks = {
            "version_s": lambda: timed([args.maquette, "--version"], home),
            "render_s": lambda: timed(
                [args.maquette, "render", "-o", str(home / "city.png"), "--size", "1280x720"], home
            ),
        }
        if os.environ.get("DISPLAY") and shutil.which("xwininfo"):
            checks["gui_mapped_s"] = lambda: window_mapped(args.maquette, home)
        results: dict[str, object] = {"maquette": args.maquette}
        cold = not args.no_cold
        for name, check in checks.items():
            if cold and drop_caches():
                results[f"cold_{name}"] = round(check(), 2)
            elif cold:
                results["cold"] = "not measured: /proc/sys/vm/drop_caches is not writable (run as root)"
                cold = False
            results[f"warm_{name}"] = round(min(check() for _ in range(max(1, args.runs))), 2)
    if args.json:
        print(json.dumps(results))
    else:
        for key, value in results.items():
            print(f"{key:>20}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
