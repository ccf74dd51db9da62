"""``maquette video [PATH ...] -o out.mp4``: an MP4 or a GIF of a time replay or of the story, headless.

::

    maquette video [PATH ...] -o out.mp4 [--start ISO --end ISO --step 10min --fps 25 | --story] [--json]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from time import perf_counter
from typing import Any

from layers.core.errors import InputError

from .common import (
    Command,
    OneLineParser,
    add_burn_flags,
    burn_in,
    layer_warnings,
    open_session,
    print_json,
    refuse_inputs,
    warn_outside,
)

#: largest video (pixels): 4K (DCI width allowed); H.264 players beyond that are rare
MAX_VIDEO_PIXELS = 4096 * 2160
MAX_VIDEO_SIDE = 4096


def parser() -> OneLineParser:
    video = OneLineParser(
        prog="maquette video",
        description="Make an MP4 (H.264, plays everywhere) or an animated GIF of a time "
        "replay or of the project's story, without a display.",
    )
    video.add_argument(
        "paths", nargs="*", metavar="PATH", help="project or data files (default: the sample city)"
    )
    video.add_argument("-o", "--output", required=True, help="video to write (.mp4, or .gif for slides)")
    video.add_argument("--start", help="replay start, ISO 8601 (default: the start of the data's time range)")
    video.add_argument("--end", help="replay end, ISO 8601 (default: the end of the data's time range)")
    video.add_argument(
        "--step",
        help="clock step per frame: seconds or a duration such as 10min, 1h "
        "(default: the replay lasts --duration)",
    )
    video.add_argument(
        "--duration",
        type=float,
        metavar="S",
        help="length of a replay in seconds of video when no --step is given (default 20)",
    )
    video.add_argument(
        "--story",
        action="store_true",
        help="play the project's story: flights between views, each step held with its caption, "
        "replays inside steps",
    )
    video.add_argument(
        "--hold",
        type=float,
        metavar="S",
        help="seconds on each story step (default: time to read its caption, 3 to 10 s)",
    )
    video.add_argument("--fps", type=float, help="frames per second (default 25; 10 for a GIF)")
    video.add_argument(
        "--size", help="WIDTHxHEIGHT in pixels (default 1920x1080; 800x450 for a GIF; up to 4K)"
    )
    video.add_argument("--view", help="camera view of the project for a replay (default: its first view)")
    video.add_argument(
        "--crf", type=int, default=20, help="H.264 quality, 0-51, lower is better (default 20)"
    )
    video.add_argument("--preset", default="veryfast", help="x264 speed preset (default veryfast)")
    video.add_argument(
        "--antialias",
        choices=("fxaa", "msaa", "none"),
        default="fxaa",
        help="edge smoothing (default fxaa; msaa is sharper and slower)",
    )
    video.add_argument(
        "--sun",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="light from the true sun with cast shadows",
    )
    video.add_argument("--crs", help="CRS of data files that declare none")
    video.add_argument(
        "--lang", choices=("fr", "en"), default="fr", help="language of the date on the picture"
    )
    video.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: frames, seconds, mean render_s and encode_s per frame",
    )
    add_burn_flags(video)
    return video


def parse_video_size(text: str | None, gif: bool) -> tuple[int, int]:
    from viewer.render import parse_size
    from viewer.video import even_size

    width, height = parse_size(text or ("800x450" if gif else "1920x1080"))
    if not gif:
        if width > MAX_VIDEO_SIDE or height > MAX_VIDEO_SIDE or width * height > MAX_VIDEO_PIXELS:
            raise InputError(None, f"--size {text}: videos go up to 4K (3840x2160 or 4096x2160)")
        width, height = even_size((width, height))  # H.264 yuv420p
    return width, height


def run(args: argparse.Namespace) -> int:
    from layers.session.story import Story
    from viewer.export_image import ExportView
    from viewer.render import find_view
    from viewer.video import check_video_output
    from viewer.video_export import VideoJob
    from viewer.video_plan import ReplayPlan, StoryPlan

    warn_outside(args.paths)
    output = Path(args.output)
    kind = check_video_output(output)
    gif = kind == "gif"
    size = parse_video_size(args.size, gif)
    fps = args.fps or (10.0 if gif else 25.0)
    if not (1.0 <= fps <= 120.0):
        raise InputError(None, f"--fps {args.fps:g}: between 1 and 120")
    if args.story and (args.start or args.end or args.step):
        raise InputError(
            None, "--story plays the times of its own steps: leave out --start, --end and --step"
        )
    if not (0 <= args.crf <= 51):
        raise InputError(None, f"--crf {args.crf}: between 0 and 51")
    refuse_inputs([output], args.paths)
    session, load_s = open_session(args.paths, args.crs)
    refuse_inputs([output], args.paths, session)
    scene = session.scene
    t0 = perf_counter()
    plan: ReplayPlan | StoryPlan
    if args.story:
        try:
            story = Story.from_list(session.project.data.get("story"), scene.timezone)
        except ValueError as exc:
            raise InputError(session.project.path, str(exc)) from None
        plan = StoryPlan(story, session.project.views(), fps, hold_s=args.hold)
    else:
        plan = ReplayPlan.for_scene(
            scene, fps, start=args.start, end=args.end, step=args.step, duration_s=args.duration
        )
    chosen = find_view(session, args.view)
    export = ExportView(
        scene,
        burn=burn_in(args, session),
        title=session.project.data.get("title"),
        language=args.lang,
        size=size,
    )
    export.set_antialias(args.antialias)
    sun = args.sun if args.sun is not None else bool((session.project.data.get("sun") or {}).get("shadows"))
    if sun:
        export.view.set_sun(True)
    if chosen is not None:
        export.view.go_to(chosen)
    mesh_s = perf_counter() - t0
    options = {} if gif else {"crf": args.crf, "preset": args.preset}
    job = VideoJob(export, plan, output, size=size, fps=fps, **options)
    try:
        stats = job.run(progress=None if args.json or not sys.stderr.isatty() else _progress)
    except BaseException:
        if not job.finished:
            job.cancel()
        raise
    finally:
        export.close()
    missing = plan.missing if isinstance(plan, StoryPlan) else []
    if missing:
        print(
            f"maquette: warning: the story names layers that are not open: {', '.join(missing)}",
            file=sys.stderr,
        )
    stats = {"command": "video", "load_s": round(load_s, 4), "mesh_s": round(mesh_s, 4), **stats}
    stats["warnings"] = layer_warnings(scene.layers)
    if not gif:
        stats.update(probe_video(output))
    stats["bytes"] = output.stat().st_size
    if args.json:
        print_json(stats)
    else:
        if sys.stderr.isatty():
            print(file=sys.stderr)
        print(
            f"{stats['output']}: {stats['size'][0]}x{stats['size'][1]}, {stats['frames']} frames, "
            f"{stats['seconds']:.1f} s at {fps:g} fps (render {stats['render_s']:.3f} s/frame, "
            f"encode {stats['encode_s']:.3f} s/frame, {stats['wall_s']:.1f} s in all)"
        )
    return 0


def _progress(fraction: float, message: str) -> None:
    print(f"\rmaquette video: {message} frames ({fraction:.0%})", end="", file=sys.stderr, flush=True)


def probe_video(path: Path) -> dict[str, Any]:
    """Codec, profile and pixel format of the first video stream, read back with PyAV."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        context = stream.codec_context
        return {
            "codec": context.name,
            "profile": context.profile,
            "pix_fmt": context.format.name if context.format else None,
            "duration_s": round(float(container.duration / av.time_base), 3) if container.duration else None,
        }


COMMAND = Command("video", parser, run)
