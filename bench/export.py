"""Video export speed: what encoding adds to rendering, PyAV against imageio-ffmpeg, in one run.

    .venv/bin/python bench/export.py [--frames 250] [--repeats 3] [--size 1920x1080] [--json out.json]

The sample city replayed for 10 seconds of video (250 frames at 25 fps, its whole 3-day range) at
1920×1080 on the off-screen renderer (EGL; Mesa llvmpipe here), frames rendered exactly as
``maquette video`` does. Configurations, interleaved in each repeat so a busy machine slows them
alike (best of the repeats reported, with the spread):

* ``render only`` — frames rendered and grabbed, not encoded (the reference);
* ``pyav thread`` — PyAV (libx264 in process) on a worker thread, overlapping rendering (the app);
* ``pyav inline`` — PyAV in the rendering loop;
* ``imageio thread`` / ``imageio inline`` — imageio-ffmpeg (bundled ffmpeg executable, frames
  piped), the peer;
* ``encode only`` — the same 50 rendered frames encoded by each library with no rendering around.

Overhead = (wall time per frame with encoding) / (render only) − 1; the target is ≤ 20 %.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from time import perf_counter

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CONFIGS = {
    "render only": ("none", True),
    "pyav thread": ("pyav", True),
    "pyav inline": ("pyav", False),
    "imageio thread": ("imageio-ffmpeg", True),
    "imageio inline": ("imageio-ffmpeg", False),
}


def build(size, antialias="fxaa"):
    from layers.session.opening import open_paths
    from viewer.export_image import ExportView
    from viewer.render import find_view

    session = open_paths([])
    export = ExportView(session.scene, title=session.project.title, size=size)
    export.set_antialias(antialias)
    view = find_view(session, None)
    if view is not None:
        export.view.go_to(view)
    export.render(size)  # first frame: GL context, textures
    return session, export


def run_config(export, session, name, size, first, count, folder):
    """Frames ``first`` .. ``first + count - 1`` of the 10-second replay with configuration ``name``."""
    from datetime import timedelta

    from viewer.video_export import VideoJob
    from viewer.video_plan import ReplayPlan

    encoder, threaded = CONFIGS[name]
    whole = ReplayPlan.for_scene(session.scene, 25, duration_s=10.0)
    start = whole.start + timedelta(seconds=first * whole.step_s)
    plan = ReplayPlan(start, start + timedelta(seconds=(count - 1) * whole.step_s), whole.step_s, 25)
    output = Path(folder) / f"{name.replace(' ', '_')}.mp4"
    job = VideoJob(export, plan, output, size=size, fps=25, encoder=encoder, threaded=threaded)
    t0 = perf_counter()
    stats = job.run()
    wall = perf_counter() - t0
    stats["wall_s"] = wall
    stats["wall_per_frame_s"] = wall / stats["frames"]
    stats["bytes"] = output.stat().st_size if output.exists() else 0
    return stats


def encode_only(images, size, folder):
    from viewer.video import open_encoder

    out = {}
    for encoder in ("pyav", "imageio-ffmpeg"):
        path = Path(folder) / f"encode_{encoder}.mp4"
        writer = open_encoder(path, size, 25, encoder=encoder)
        t0 = perf_counter()
        for image in images:
            writer.write(image)
        writer.close()
        out[encoder] = (perf_counter() - t0) / len(images)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=250)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--chunk", type=int, default=50, help="frames per configuration before switching to the next"
    )
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    names = [n.strip() for n in args.configs.split(",")]
    session, export = build(size)
    chunks = [(first, min(args.chunk, args.frames - first)) for first in range(0, args.frames, args.chunk)]
    results: dict[str, list[list[dict]]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory() as folder:
        for repeat in range(args.repeats):
            for name in names:
                results[name].append([])
            for (
                first,
                count,
            ) in chunks:  # configurations interleaved chunk by chunk: a busy machine slows all alike
                for name in names:
                    stats = run_config(export, session, name, size, first, count, folder)
                    results[name][-1].append(stats)
            line = "  ".join(
                f"{name} {sum(s['wall_s'] for s in results[name][-1]) / args.frames * 1000:.0f}"
                for name in names
            )
            print(f"[{repeat + 1}/{args.repeats}] ms/frame: {line}", flush=True)
        # the same frames, encoding alone
        from viewer.video_plan import ReplayPlan

        plan = ReplayPlan.for_scene(session.scene, 25, duration_s=2.0)
        images = []
        for _ in plan.frames(export.view):
            images.append(export.render(size))
        encode = [encode_only(images, size, folder) for _ in range(args.repeats)]
        msaa = []
        export.set_antialias("msaa")
        for _ in range(5):
            session.scene.clock.time = plan.start
            t0 = perf_counter()
            export.render(size)
            msaa.append(perf_counter() - t0)
    export.close()
    summary = {
        "size": list(size),
        "frames": args.frames,
        "chunk": args.chunk,
        "repeats": args.repeats,
        "cpu_count": os.cpu_count(),
        "configs": {},
    }
    reference = results.get("render only")
    print(
        "\n10-second replay (best repeat; overhead: median over "
        "chunks of the ratio to 'render only' in the same chunk):"
    )
    for name, runs in results.items():
        totals = [sum(s["wall_s"] for s in run) / args.frames for run in runs]
        best = int(np.argmin(totals))
        entry = {
            "wall_per_frame_s": round(totals[best], 4),
            "spread_s": [round(min(totals), 4), round(max(totals), 4)],
            "frames_per_s": round(1 / totals[best], 3),
            "render_s": round(float(np.mean([s["render_s"] for s in runs[best]])), 4),
            "encode_s": round(float(np.mean([s["encode_s"] for s in runs[best]])), 4),
            "encode_wait_s": round(float(np.mean([s["encode_wait_s"] for s in runs[best]])), 4),
            "bytes": int(sum(s["bytes"] for s in runs[best])),
        }
        if reference:
            ratios = [
                s["wall_per_frame_s"] / r["wall_per_frame_s"]
                for run, ref in zip(runs, reference)
                for s, r in zip(run, ref)
            ]
            entry["overhead"] = round(float(np.median(ratios)) - 1, 4)
            entry["overhead_quartiles"] = [round(float(q) - 1, 4) for q in np.percentile(ratios, [25, 75])]
        summary["configs"][name] = entry
        print(
            f"  {name:15s} {entry['wall_per_frame_s'] * 1000:7.1f} ms/frame  {entry['frames_per_s']:5.2f} fps"
            + (
                f"  overhead {entry['overhead']:+.1%} (quartiles "
                f"{entry['overhead_quartiles'][0]:+.1%} … {entry['overhead_quartiles'][1]:+.1%})"
                if reference
                else ""
            )
            + f"  (repeats {min(totals) * 1000:.0f}–{max(totals) * 1000:.0f} ms)"
        )
    enc = {k: round(min(e[k] for e in encode), 4) for k in encode[0]}
    summary["encode_only_s"] = enc
    summary["msaa_render_s"] = round(min(msaa), 4)
    print(
        f"  encode only (no rendering): pyav {enc['pyav'] * 1000:.1f} ms/frame, imageio-ffmpeg "
        f"{enc['imageio-ffmpeg'] * 1000:.1f} ms/frame (ratio {enc['imageio-ffmpeg'] / enc['pyav']:.2f})"
    )
    print(f"  msaa render (stills' anti-aliasing) {summary['msaa_render_s'] * 1000:.0f} ms/frame")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
