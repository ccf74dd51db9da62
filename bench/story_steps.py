"""Story steps on a laptop without a GPU: how long from PageDown to the step on screen, how smooth
the flight, whether the clock keeps its speed (issue 16, "Fast steps on ordinary laptops").

The real window (:class:`desktop.main_window.MainWindow`) under Xvfb, software OpenGL (Mesa
llvmpipe), the sample city's story presented full screen at the screen's size (1920×1080 in the
command below), stepped with PageDown as a clicker does. For each step:

* ``handler_ms``: the time the key press keeps the window busy (nothing can be drawn or pressed
  meanwhile);
* ``ready_ms``: from the key press to the end of the first picture drawn after the step was applied
  (its layers, styles, clock and caption on screen: the step's data ready);
* ``flight_fps``: pictures drawn during the camera flight per second of flight, and
  ``worst_fps``: one over the longest gap between two of them (a stutter);
* ``draw_ms``: the median time VTK takes to draw one picture of the flight (the rest of a frame is
  Qt putting it on screen and the event loop);
* ``settled_ms``: until the flight and the fades are over and the full-detail picture is drawn.

On the step with a replay, ``clock_ratio`` is the clock's advance over 3 s of wall time divided by
what the speed shown promises (1.0: the clock keeps its speed).

Run it from a checkout; ``--repo`` measures another checkout's code with the same script (the
peer: the application before this work), so both can run in turn on a busy machine:

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python bench/story_steps.py --json now.json
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python bench/story_steps.py --repo ../peer \
        --json before.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repo", default=str(Path(__file__).resolve().parents[1]), help="checkout to measure"
    )
    parser.add_argument("--rounds", type=int, default=2, help="times the story is stepped through")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(args.repo).resolve()))
    os.environ.setdefault("MAQUETTE_AUTOSAVE_DIR", tempfile.mkdtemp(prefix="maquette-bench-"))
    os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="maquette-bench-cache-"))
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    from desktop.main_window import MainWindow

    def pump(ms: int = 0) -> None:
        if ms:
            QTest.qWait(ms)
        app.processEvents()

    def wait_until(condition: Any, timeout_s: float = 120.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout_s:.0f} s")
            pump(5)

    window = MainWindow(language="fr")
    window.resize(1366, 768)
    window.show()
    pump(300)
    window.open_paths_async([])
    wait_until(lambda: bool(window.scene.layers) and not window.tasks.busy, 240)
    pump(500)
    drawn_at: list[tuple[float, float]] = []  # (start, end) of each picture drawn
    started: list[float] = []
    ren_win = window.plotter.ren_win
    ren_win.AddObserver("StartEvent", lambda *_: started.append(time.perf_counter()))
    ren_win.AddObserver("EndEvent", lambda *_: drawn_at.append((started[-1], time.perf_counter())))
    presentation = window.mediation.presentation
    camera = window.camera
    steps = window.session.steps
    presentation.start(0)
    wait_until(lambda: not camera.flying and not presentation._fades, 60)
    pump(1500)
    size = tuple(ren_win.GetSize())
    results: list[dict[str, Any]] = []
    for round_ in range(args.rounds):
        QTest.keyClick(window.plotter, Qt.Key.Key_Home)
        wait_until(lambda: not camera.flying and not presentation._fades, 60)
        pump(1000)
        for index in range(1, len(steps)):
            drawn_at.clear()
            t0 = time.perf_counter()
            QTest.keyClick(window.plotter, Qt.Key.Key_PageDown)
            handler_end = time.perf_counter()
            flight_start = camera._start if camera.flying else handler_end
            wait_until(lambda: not camera.flying and not presentation._fades, 60)
            flight_end = time.perf_counter()
            pump(400)  # the full-detail picture at rest
            after = [end for start, end in drawn_at if start >= handler_end]
            in_flight = [end for start, end in drawn_at if flight_start <= end <= flight_end]
            draw_ms = [1000 * (end - start) for start, end in drawn_at if flight_start <= end <= flight_end]
            gaps = [b - a for a, b in zip(in_flight, in_flight[1:])]
            flight_s = max(flight_end - flight_start, 1e-6)
            row: dict[str, Any] = {
                "round": round_ + 1,
                "step": index + 1,
                "handler_ms": round(1000 * (handler_end - t0)),
                "ready_ms": round(1000 * (after[0] - t0)) if after else None,
                "flight_s": round(flight_s, 3),
                "flight_fps": round(len(in_flight) / flight_s, 1),
                "worst_fps": round(1.0 / max(gaps), 1) if gaps else None,
                "draw_ms": round(median(draw_ms)) if draw_ms else None,
                "settled_ms": round(1000 * ((drawn_at[-1][1] if drawn_at else flight_end) - t0)),
                "frames": len(drawn_at),
            }
            step = steps[index]
            if step.replay is not None:
                clock = window.scene.clock
                speed = clock.speed_s_per_s
                c0, w0 = clock.time, time.perf_counter()
                pump(3000)
                c1, w1 = clock.time, time.perf_counter()
                if c0 is not None and c1 is not None and speed:
                    row["clock_ratio"] = round((c1 - c0).total_seconds() / ((w1 - w0) * speed), 2)
            results.append(row)
            print(json.dumps(row), flush=True)
    presentation.stop()
    pump(200)

    def med(key: str) -> float | None:
        values = [r[key] for r in results if r.get(key) is not None]
        return round(median(values), 1) if values else None

    summary = {
        "repo": str(Path(args.repo).resolve()),
        "size": size,
        "multisamples": ren_win.GetMultiSamples(),
        **{
            f"median_{k}": med(k)
            for k in ("handler_ms", "ready_ms", "flight_fps", "worst_fps", "draw_ms", "settled_ms")
        },
        "worst_ready_ms": max((r["ready_ms"] or 0) for r in results),
        "clock_ratio": med("clock_ratio"),
        "load_average": os.getloadavg(),
        "steps": results,
    }
    print(json.dumps({k: v for k, v in summary.items() if k != "steps"}), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1), encoding="utf-8")
    window.session.mark_clean()
    window.close()


if __name__ == "__main__":
    main()
