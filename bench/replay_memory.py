"""Two hours of replay on the sample city: does memory stay flat?

A public meeting replays the city for hours. This drives the scene clock through the sample city's
range again and again, frame after frame, for as many frames as the GUI draws in ``--hours`` (25
frames a second: the timeline's 40 ms tick), off screen through the same ``SceneView`` the window
uses (every visual updated at each frame, every frame rendered unless ``--render-every`` says
otherwise), as fast as the machine goes. The resident memory (RSS) is sampled along the way.

The first full pass through the clock's range is warm-up (caches of levels, textures and labels
fill then); growth is measured after it: RSS at the end minus RSS after warm-up, and the slope of a
straight line fitted to the samples (MB per replayed hour). The same loop over an empty scene is
the control: what VTK, PyVista and Python themselves do.

    python bench/replay_memory.py                     # two hours' worth of frames (180,000)
    python bench/replay_memory.py --hours 0.2 --json out.json
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FPS = 25  # desktop/panels/timeline.py: FRAME_MS = 40


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 1e6


def replay(scene, plotter, frames: int, render_every: int, sample_every: int) -> dict:
    """Advance the clock ``frames`` times by one GUI frame; samples of (frame, RSS MB, seconds)."""
    clock = scene.clock
    clock.loop = True
    span_s = (clock.end - clock.start).total_seconds() if clock.start is not None else 0.0
    warmup = int(np.ceil(span_s / (clock.speed_s_per_s / FPS))) if span_s else 0
    samples, t0 = [], time.perf_counter()
    for frame in range(frames):
        if clock.time is not None:
            clock.advance(1.0 / FPS)
        if frame % render_every == 0:
            plotter.render()
        if frame % sample_every == 0 or frame == frames - 1:
            if frame % (sample_every * 20) == 0:
                gc.collect()  # the GUI collects on its timer (desktop/gc_guard.py)
            samples.append((frame, rss_mb(), time.perf_counter() - t0))
    return {"samples": samples, "warmup_frames": min(warmup, frames // 2), "seconds": time.perf_counter() - t0}


def summary(run: dict, frames: int) -> dict:
    samples = np.array(run["samples"])
    after = samples[samples[:, 0] >= run["warmup_frames"]]
    hours = after[:, 0] / FPS / 3600
    slope = float(np.polyfit(hours, after[:, 1], 1)[0]) if len(after) > 2 else 0.0
    return {
        "frames": frames,
        "replayed_hours": round(frames / FPS / 3600, 3),
        "wall_s": round(run["seconds"], 1),
        "ms_per_frame": round(1000 * run["seconds"] / frames, 2),
        "warmup_frames": run["warmup_frames"],
        "rss_start_mb": round(float(samples[0, 1]), 1),
        "rss_after_warmup_mb": round(float(after[0, 1]), 1),
        "rss_end_mb": round(float(samples[-1, 1]), 1),
        "rss_max_mb": round(float(samples[:, 1].max()), 1),
        "growth_after_warmup_mb": round(float(after[-1, 1] - after[0, 1]), 1),
        "slope_mb_per_replayed_hour": round(slope, 2),
        "samples": [[int(f), round(float(m), 1)] for f, m, _ in run["samples"][:: max(1, len(run["samples"]) // 200)]],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=2.0, help="replayed hours of GUI frames (default 2: 180,000 frames)")
    parser.add_argument("--size", default="960x540", help="off-screen frame, pixels")
    parser.add_argument("--render-every", type=int, default=1, help="render one frame in N (default: every frame)")
    parser.add_argument("--speed", type=float, help="simulated seconds per second (default: the project's)")
    parser.add_argument("--control-hours", type=float, default=None, help="length of the empty-scene control (default: a tenth)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)

    from layers.scene import Scene
    from layers.session import open_paths
    from viewer.render import make_plotter, parse_size
    from viewer.scene_view import SceneView

    size = parse_size(args.size)
    frames = int(args.hours * 3600 * FPS)
    sample_every = max(1, frames // 2000)
    results = {"machine": f"{psutil.cpu_count()} CPUs", "size": list(size)}

    session = open_paths([])
    if args.speed:
        session.scene.clock.speed_s_per_s = args.speed
    plotter = make_plotter(size)
    view = SceneView(plotter, session.scene, auto_render=False)
    print(f"sample city: {len(session.scene.layers)} layers, clock {session.scene.clock.start} → {session.scene.clock.end} "
          f"at {session.scene.clock.speed_s_per_s:g} s/s; {frames} frames", flush=True)
    results["sample_city"] = summary(replay(session.scene, plotter, frames, args.render_every, sample_every), frames)
    view.close()
    plotter.close()

    control_frames = int((args.control_hours if args.control_hours is not None else args.hours / 10) * 3600 * FPS)
    if control_frames:
        empty = Scene()
        plotter = make_plotter(size)
        view = SceneView(plotter, empty, auto_render=False)
        results["empty_scene_control"] = summary(replay(empty, plotter, control_frames, args.render_every, max(1, control_frames // 500)), control_frames)
        view.close()
        plotter.close()

    for name in ("sample_city", "empty_scene_control"):
        if name in results:
            r = results[name]
            print(f"{name}: {r['frames']} frames ({r['replayed_hours']} h) in {r['wall_s']} s ({r['ms_per_frame']} ms/frame); RSS "
                  f"{r['rss_start_mb']} → {r['rss_after_warmup_mb']} after warm-up → {r['rss_end_mb']} MB (max {r['rss_max_mb']}); "
                  f"growth after warm-up {r['growth_after_warmup_mb']} MB, slope {r['slope_mb_per_replayed_hour']} MB/h")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
