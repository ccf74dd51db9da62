"""Videos: frame plans, the MP4 read back (codec, pixel format, frames), the GIF, cancel and errors."""

from __future__ import annotations

from datetime import timedelta

import av
import numpy as np
import pytest
from PIL import Image

from layers.core.errors import InputError
from layers.session.opening import open_paths
from layers.session.story import Story
from viewer.export_image import ExportView
from viewer.render import find_view
from viewer.video import PyAVEncoder, ThreadedEncoder, even_size
from viewer.video_export import VideoJob
from viewer.video_plan import ReplayPlan, StoryPlan, parse_duration_s


@pytest.fixture(scope="module")
def session():
    return open_paths([])


@pytest.fixture
def export(session):
    view = ExportView(session.scene, title=session.project.title, size=(320, 180))
    view.set_antialias("fxaa")
    view.view.go_to(find_view(session, None))
    yield view
    view.close()


def decode(path):
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        context = stream.codec_context
        info = {
            "codec": context.name,
            "pix_fmt": context.format.name,
            "width": context.width,
            "height": context.height,
            "colorspace": int(context.colorspace),
            "rate": float(stream.average_rate),
        }
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    return info, frames


def test_durations_are_read_as_seconds_or_durations():
    assert parse_duration_s("90") == 90.0
    assert parse_duration_s("10min") == 600.0
    assert parse_duration_s("PT15M") == 900.0
    assert parse_duration_s("1h") == 3600.0
    for bad in ("soon", "-5", "0"):
        with pytest.raises(InputError):
            parse_duration_s(bad)


def test_replay_plan_spans_the_project_range(session):
    scene = session.scene
    plan = ReplayPlan.for_scene(scene, 25, duration_s=2.0)
    times = list(plan.times())
    assert len(plan) == len(times) == 50
    assert times[0] == scene.clock.start and abs((times[-1] - scene.clock.end).total_seconds()) < 1e-3
    stepped = ReplayPlan.for_scene(scene, 25, start="2025-07-01T08:00", end="2025-07-01T09:00", step="10min")
    assert len(stepped) == 7 and stepped.start.utcoffset() == timedelta(hours=2)
    with pytest.raises(InputError):
        ReplayPlan.for_scene(scene, 25, start="2025-07-02", end="2025-07-01")


def test_mp4_plays_everywhere_and_holds_every_frame(export, session, tmp_path):
    out = tmp_path / "replay.mp4"
    plan = ReplayPlan.for_scene(
        session.scene, 10, start="2025-07-01T06:00", end="2025-07-01T18:00", step="1h"
    )
    stills = []  # the frames as rendered, to compare with what the file holds
    job = VideoJob(export, plan, out, size=(320, 180), fps=10)
    original = export.render

    def render(size, **kw):
        image = original(size, **kw)
        stills.append(image.copy())
        return image

    export.render = render
    stats = job.run()
    export.render = original
    assert stats["frames"] == 13 and stats["seconds"] == pytest.approx(1.3)
    assert stats["render_s"] > 0 and stats["encode_s"] > 0
    info, frames = decode(out)
    assert info["codec"] == "h264" and info["pix_fmt"] == "yuv420p"
    assert (info["width"], info["height"]) == (320, 180) and info["rate"] == pytest.approx(10)
    assert info["colorspace"] == 1  # BT.709 tagged
    assert len(frames) == 13
    data = out.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat"), "faststart: the index comes first"
    # each decoded frame is the frame rendered at its time (lossy, so close, not equal)
    for still, frame in zip(stills, frames):
        assert np.abs(still.astype(int) - frame.astype(int)).mean() < 6
    # the clock moved between frames: the clock text and the sensors differ
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 0.5


def test_gif_for_slides(export, session, tmp_path):
    out = tmp_path / "replay.gif"
    plan = ReplayPlan.for_scene(session.scene, 5, duration_s=1.2)
    stats = VideoJob(export, plan, out, size=(320, 180), fps=5).run()
    assert stats["frames"] == 6
    image = Image.open(out)
    assert image.size == (320, 180) and image.n_frames == 6 and image.info.get("loop") == 0
    assert image.info.get("duration") == 200
    image.seek(5)
    last = np.asarray(image.convert("RGB")).astype(int)
    assert last.std() > 10


def test_story_plan_flies_holds_and_replays(export, session):
    story = Story.from_list(session.project.data["story"], session.scene.timezone)
    plan = StoryPlan(story, session.project.views(), fps=4, hold_s=0.5)
    assert [t.flight for t in plan.timings] == [0, 8, 8, 8, 8]
    assert plan.timings[-1].replay == round(9.0 * 4) + 1  # 07:30 → 09:00 at 600 s/s = 9 s of video
    assert len(plan) == sum(t.total for t in plan.timings)
    view = export.view
    captions, cameras = [], []
    for _ in plan.frames(view):
        captions.append(view.caption.title_text)
        cameras.append(view.current_view().position)
    assert len(captions) == len(plan)
    assert captions[0] == story.steps[0].title and captions[-1] == story.steps[-1].title
    # the camera flew: four flights of 8 frames, the two back to the overview (steps 3 and 5)
    # retracing the way out (steps 2 and 4)
    assert len({tuple(np.round(p, 0)) for p in cameras}) >= 16
    last = story.steps[-1]
    assert session.scene.clock.time == last.replay.end
    by_id = {layer.project_id: layer for layer in session.scene.layers}
    assert {k for k, layer in by_id.items() if layer.visible} == set(last.visible)
    assert all(by_id[k].opacity == pytest.approx(1.0) for k in last.visible)  # faded in fully
    assert plan.missing == []


def test_encoder_errors_reach_the_caller_and_cancel_deletes(tmp_path):
    class Broken:
        name = "broken"

        def write(self, frame):
            raise RuntimeError("disk full")

        def close(self):
            pass

        def abort(self):
            pass

    threaded = ThreadedEncoder(Broken())
    threaded.write(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(RuntimeError, match="disk full"):
        threaded.close()
    out = tmp_path / "partial.mp4"
    encoder = ThreadedEncoder(PyAVEncoder(out, (64, 32), 25))
    for _ in range(3):
        encoder.write(np.full((32, 64, 3), 128, np.uint8))
    encoder.abort()
    assert not out.exists()
    assert even_size((1921, 1081)) == (1920, 1080)
    with pytest.raises(ValueError):
        PyAVEncoder(tmp_path / "odd.mp4", (65, 32), 25)


def test_a_story_video_draws_a_held_picture_once(export, session, tmp_path):
    """Held frames repeat the picture (the clock and the camera still): drawn once, written at
    every frame, so the video is as long as before and quicker to make."""
    story = Story.from_list(session.project.data["story"][:2], session.scene.timezone)
    plan = StoryPlan(story, session.project.views(), fps=4, hold_s=1.0)
    assert [(t.flight, t.replay, t.hold) for t in plan.timings] == [(0, 0, 4), (8, 0, 4)]
    out = tmp_path / "story.mp4"
    stats = VideoJob(export, plan, out, size=(320, 180), fps=4).run()
    assert stats["frames"] == 16 and stats["drawn"] == 1 + 8 + 1
    info, frames = decode(out)
    assert len(frames) == 16
    held = frames[-4:]  # the second step's hold: four times the same picture
    assert all(np.abs(f.astype(int) - held[0].astype(int)).mean() < 1.0 for f in held)
    # and it is the end of the flight, with the second step's caption: not a stale picture
    assert np.abs(frames[11].astype(int) - frames[12].astype(int)).mean() < 1.0
    assert np.abs(frames[3].astype(int) - held[0].astype(int)).mean() > 2.0


def test_legends_of_a_step_fading_out_are_gone_during_the_flight(export, session):
    story = Story.from_list(session.project.data["story"], session.scene.timezone)
    index = next(i for i, step in enumerate(story.steps) if step.visible and "noise" in step.visible)
    assert "noise" not in story.steps[index + 1].visible
    plan = StoryPlan(story, session.project.views(), fps=4, hold_s=0.5)
    view = export.view
    noise = next(layer for layer in session.scene.layers if layer.project_id == "noise")
    noise_titles = {legend.title for legend in view.visual(noise).legends()}
    frames = plan.frames(view)
    start_of_next = sum(t.total for t in plan.timings[: index + 1])
    seen = []
    for n, _ in enumerate(frames):
        if n >= start_of_next:
            seen.append((noise.visible, {legend.title for legend in view.legend_stack.legends}))
        if n >= start_of_next + 2:
            break
    frames.close()
    drawn, titles = seen[0]
    assert drawn  # still fading out in the flight's first frame
    assert not titles & noise_titles
