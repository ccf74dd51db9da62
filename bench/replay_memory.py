"""Two hours of replay on the sample city: does memory stay flat?

A public meeting replays the city for hours. This drives the scene clock through the sample city's
range again and again, frame after frame, for as many frames as the GUI draws in ``--hours`` (25
frames a second: the timeline's 40 ms tick), off screen through the same ``SceneView`` the window
uses (every visual updated at each frame, every frame rendered unless ``--render-every`` says
otherwise), as fast as the machine goes. The resident memory (RSS) is sampled along the way.

The first full pass through the clock's range is warm-up (caches of levels, textures and labels
fill then); growth is measured after it: RSS at the end minus RSS after warm-up, and the slope of a
straight line fitted to the samples (MB per replayed hour), also over the second half alone. The
same loop over an empty scene is the control: what VTK, PyVista and Python themselves do.

RSS moves in steps (the allocator takes memory from the system in chunks and keeps what is freed),
so at each pass, at the same moment of the replay, the bench also counts the Python objects and the
bytes malloc has handed out and not got back (glibc ``mallinfo2``): a leak makes those grow pass
after pass; fragmentation does not. At the end ``malloc_trim`` tells how much of the RSS was freed
memory kept by the allocator.

Rendering every frame costs 0.1–0.2 s here (960×540, Mesa llvmpipe), so the protocol in
``bench/replay_memory.md`` is two hours of clock steps rendering one frame in 100, plus shorter
runs rendering every frame at faster replay speeds (more passes through the range):

    python bench/replay_memory.py --render-every 100              # 180,000 clock steps (2 replayed hours)
    python bench/replay_memory.py --hours 0.1 --speed 3600        # 9,000 frames, all rendered, 5 passes
    python bench/replay_memory.py --hours 0.06 --speed 21600      # 5,400 frames, all rendered, 18 passes
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
    """Resident set of this process, MB."""
    return psutil.Process().memory_info().rss / 1e6


def _libc():
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [
            (n, ctypes.c_size_t)
            for n in "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()
        ]

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = MallInfo2
        return libc
    except (OSError, AttributeError):  # not glibc (or glibc < 2.33)
        return None


LIBC = _libc()


def census() -> dict:
    """After a full collection: Python objects tracked by the collector, and bytes handed out by
    malloc and not freed (glibc's ``mallinfo2``, all arenas, MB; ``None`` elsewhere). RSS can grow
    while these stay flat (freed memory kept by the allocator); a leak makes them grow too."""
    gc.collect()
    info = LIBC.mallinfo2() if LIBC is not None else None
    return {
        "python_objects": len(gc.get_objects()),
        "malloc_in_use_mb": round((info.uordblks + info.hblkhd) / 1e6, 2) if info is not None else None,
    }


def replay(scene, plotter, frames: int, render_every: int, sample_every: int, label: str = "") -> dict:
    """Advance the clock ``frames`` times by one GUI frame; samples of (frame, RSS MB, seconds).

    A progress line (frame, RSS in MB, elapsed seconds) is printed every 5 % of the frames, so a
    run stopped early still tells its story."""
    clock = scene.clock
    clock.loop = True
    span_s = (clock.end - clock.start).total_seconds() if clock.start is not None else 0.0
    warmup = int(np.ceil(span_s / (clock.speed_s_per_s / FPS))) if span_s else 0
    report_every = max(1, frames // 20)
    per_pass = warmup or max(1, frames // 10)  # frames in one pass through the clock's range
    warmup = min(warmup, frames // 2)
    samples, renders, counts, passes, t0 = [], 0, {}, [], time.perf_counter()
    for frame in range(frames):
        if clock.time is not None:
            clock.advance(1.0 / FPS)
        if frame % render_every == 0:
            # not plotter.render(): a no-op until a never-shown plotter's first screenshot
            plotter.ren_win.Render()
            renders += 1
        if frame == warmup or frame == frames - 1:
            counts["after_warmup" if frame == warmup else "end"] = census()
        if frame % per_pass == 0:  # the same moment of the replay at each pass: the state drawn is comparable
            passes.append({"frame": frame, "rss_mb": round(rss_mb(), 1), **census()})
        if frame % sample_every == 0 or frame == frames - 1:
            if frame % (sample_every * 20) == 0:
                gc.collect()  # the GUI collects on its timer (desktop/gc_guard.py)
            samples.append((frame, rss_mb(), time.perf_counter() - t0))
        if frame % report_every == 0:
            print(
                f"  {label} frame {frame}/{frames}: "
                f"RSS {samples[-1][1]:.1f} MB, {time.perf_counter() - t0:.0f} s",
                flush=True,
            )
    seconds = time.perf_counter() - t0
    if LIBC is not None:  # give freed heap back to the system: what is left is in use (or fragmented)
        LIBC.malloc_trim(0)
        counts["rss_after_malloc_trim_mb"] = round(rss_mb(), 1)
    counts["per_pass"] = passes
    return {
        "samples": samples,
        "warmup_frames": warmup,
        "renders": renders,
        "census": counts,
        "seconds": seconds,
    }


def _pass_slope(passes: list[dict], warmup: int) -> float | None:
    """MB more in use by malloc at each pass than at the one before (fitted line over the passes
    after warm-up); ``None`` with fewer than three."""
    points = [
        (p["frame"], p["malloc_in_use_mb"])
        for p in passes
        if p["frame"] >= warmup and p["malloc_in_use_mb"] is not None
    ]
    if len(points) < 3:
        return None
    x = np.arange(len(points))
    return round(float(np.polyfit(x, [m for _, m in points], 1)[0]), 3)


def summary(run: dict, frames: int) -> dict:
    samples = np.array(run["samples"])
    after = samples[samples[:, 0] >= run["warmup_frames"]]
    hours = after[:, 0] / FPS / 3600
    slope = float(np.polyfit(hours, after[:, 1], 1)[0]) if len(after) > 2 else 0.0
    late = after[
        len(after) // 2 :
    ]  # the second half after warm-up: is the growth slowing down, steady or speeding up?
    late_slope = float(np.polyfit(late[:, 0] / FPS / 3600, late[:, 1], 1)[0]) if len(late) > 2 else 0.0
    return {
        "frames": frames,
        "renders": run["renders"],
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
        "slope_second_half_mb_per_replayed_hour": round(late_slope, 2),
        **run["census"],
        "malloc_slope_per_pass_mb": _pass_slope(run["census"]["per_pass"], run["warmup_frames"]),
        "samples": [
            [int(f), round(float(m), 1)] for f, m, _ in run["samples"][:: max(1, len(run["samples"]) // 200)]
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--hours", type=float, default=2.0, help="replayed hours of GUI frames (default 2: 180,000 frames)"
    )
    parser.add_argument("--size", default="960x540", help="off-screen frame, pixels")
    parser.add_argument(
        "--render-every", type=int, default=1, help="render one frame in N (default: every frame)"
    )
    parser.add_argument("--speed", type=float, help="simulated seconds per second (default: the project's)")
    parser.add_argument(
        "--control-hours",
        type=float,
        default=None,
        help="length of the empty-scene control (default: a tenth)",
    )
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)

    from layers.core.scene import Scene
    from layers.session.opening import open_paths
    from viewer.render import find_view, make_plotter, parse_size
    from viewer.scene_view import SceneView

    size = parse_size(args.size)
    frames = int(args.hours * 3600 * FPS)
    sample_every = max(1, frames // 2000)
    results = {"machine": f"{psutil.cpu_count()} CPUs", "size": list(size), "render_every": args.render_every}

    session = open_paths([])
    if args.speed:
        session.scene.clock.speed_s_per_s = args.speed
    plotter = make_plotter(size)
    view = SceneView(plotter, session.scene, auto_render=False)
    start_view = find_view(session, None)
    if start_view is not None:
        view.go_to(start_view)  # the project's opening view, as the window shows it
    else:
        view.reset_camera()
    results["speed_s_per_s"] = session.scene.clock.speed_s_per_s
    print(
        f"sample city: {len(session.scene.layers)} layers, clock {session.scene.clock.start} → "
        f"{session.scene.clock.end} at {session.scene.clock.speed_s_per_s:g} s/s; {frames} frames",
        flush=True,
    )
    results["sample_city"] = summary(
        replay(session.scene, plotter, frames, args.render_every, sample_every, "city"), frames
    )
    view.close()
    plotter.close()

    control_frames = int(
        (args.control_hours if args.control_hours is not None else args.hours / 10) * 3600 * FPS
    )
    if control_frames:
        empty = Scene()
        plotter = make_plotter(size)
        view = SceneView(plotter, empty, auto_render=False)
        results["empty_scene_control"] = summary(
            replay(empty, plotter, control_frames, args.render_every, max(1, control_frames // 500), "empty"),
            control_frames,
        )
        view.close()
        plotter.close()

    for name in ("sample_city", "empty_scene_control"):
        if name in results:
            r = results[name]
            print(
                f"{name}: {r['frames']} frames ({r['replayed_hours']} h) in {r['wall_s']} s "
                f"({r['ms_per_frame']} ms/frame); RSS {r['rss_start_mb']} → {r['rss_after_warmup_mb']} "
                f"after warm-up → {r['rss_end_mb']} MB (max {r['rss_max_mb']}); growth after warm-up "
                f"{r['growth_after_warmup_mb']} MB, slope {r['slope_mb_per_replayed_hour']} MB/h (second "
                f"half {r['slope_second_half_mb_per_replayed_hour']} MB/h); {r['renders']} frames rendered"
            )
            if "end" in r and "after_warmup" in r:
                a, e = r["after_warmup"], r["end"]
                print(
                    f"  after warm-up → end: Python objects {a['python_objects']} → {e['python_objects']}, "
                    f"malloc in use {a['malloc_in_use_mb']} → {e['malloc_in_use_mb']} MB; "
                    f"RSS after malloc_trim {r.get('rss_after_malloc_trim_mb')} MB"
                )
            print(
                "  at each pass (frame: RSS MB, malloc in use MB, Python objects): "
                + ", ".join(
                    f"{p['frame']}: {p['rss_mb']}, {p['malloc_in_use_mb']}, {p['python_objects']}"
                    for p in r["per_pass"][:40]
                )
                + f"; malloc slope {r['malloc_slope_per_pass_mb']} MB per pass"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
