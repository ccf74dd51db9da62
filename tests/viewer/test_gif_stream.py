"""GIFs are written frame by frame: memory does not grow with the frame count, the file is a valid
animated GIF with every frame, through the encoder and through ``maquette video -o x.gif``."""

from __future__ import annotations

import contextlib
import io
import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageSequence

from viewer.video import open_encoder
from viewer.video_gif import MAX_DELAY_MS, GifEncoder

W, H = 160, 120


def frame(i: int) -> np.ndarray:
    """A blue frame with a yellow square moving (each frame differs from the one before)."""
    picture = np.zeros((H, W, 3), np.uint8)
    picture[:, :, 2] = 90
    y, x = (i * 3) % (H - 20), (i * 7) % (W - 20)
    picture[y : y + 20, x : x + 20] = (255, 210, 0)
    return picture


def write_gif(path: Path, frames: list[np.ndarray] | int, fps: float = 10.0) -> None:
    encoder = open_encoder(path, (W, H), fps)
    for i in range(frames) if isinstance(frames, int) else range(len(frames)):
        encoder.write(frame(i) if isinstance(frames, int) else frames[i])
    encoder.close()


def timeline(path: Path, delay_ms: int) -> list[np.ndarray]:
    """The picture shown at each tick of ``delay_ms`` (a frame held longer counts several times)."""
    shown = []
    for picture in ImageSequence.Iterator(Image.open(path)):
        assert picture.info["duration"] % delay_ms == 0
        shown += [np.asarray(picture.convert("RGB"))] * (picture.info["duration"] // delay_ms)
    return shown


@pytest.mark.parametrize("count", [1, 2, 7, 30, 120])
def test_every_frame_is_in_the_gif(tmp_path, count):
    out = tmp_path / "film.gif"
    write_gif(out, count)
    image = Image.open(out)
    assert image.format == "GIF" and image.size == (W, H)
    assert image.n_frames == count and image.info.get("loop") == 0
    shown = timeline(out, 100)
    assert len(shown) == count
    for i in (0, count // 2, count - 1):  # the square where it was drawn, in its colour
        y, x = (i * 3) % (H - 20), (i * 7) % (W - 20)
        assert np.abs(shown[i][y + 10, x + 10].astype(int) - (255, 210, 0)).max() < 40
        assert shown[i][:, :, 2].mean() > 60
    assert sorted(p.name for p in tmp_path.iterdir()) == ["film.gif"]  # nothing left beside it


def peak_bytes(path: Path, count: int) -> int:
    tracemalloc.start()
    try:
        write_gif(path, count)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_frame_count(tmp_path):
    peak_bytes(tmp_path / "warm.gif", 3)
    few, many = peak_bytes(tmp_path / "few.gif", 30), peak_bytes(tmp_path / "many.gif", 300)
    one_frame = W * H * 3
    # keeping the frames would take 300 of them (17 MB); a dozen are read back for the palette
    assert many < few + 20 * one_frame, (few, many)
    assert many < 40 * one_frame, many
    assert Image.open(tmp_path / "many.gif").n_frames == 300


def test_identical_frames_lengthen_the_delay_and_every_tick_is_kept(tmp_path):
    frames = [frame(i) for i in range(12)]
    frames[5] = frames[6] = frames[7] = frames[4]
    out = tmp_path / "held.gif"
    write_gif(out, frames)
    assert Image.open(out).n_frames == 9
    shown = timeline(out, 100)
    assert len(shown) == 12
    assert all(np.array_equal(shown[4], shown[k]) for k in (5, 6, 7))


def test_a_still_longer_than_a_gif_delay_is_cut_in_frames(tmp_path):
    fps = 1.0
    count = MAX_DELAY_MS // 1000 + 5  # held longer than one GIF frame can say
    out = tmp_path / "still.gif"
    write_gif(out, [frame(0)] * count, fps=fps)
    durations = [p.info["duration"] for p in ImageSequence.Iterator(Image.open(out))]
    assert sum(durations) == count * 1000 and max(durations) <= MAX_DELAY_MS


def test_no_frame_and_abort_leave_nothing(tmp_path):
    encoder = GifEncoder(tmp_path / "vide.gif", (W, H), 10)
    with pytest.raises(ValueError, match="no frame"):
        encoder.close()
    encoder = GifEncoder(tmp_path / "stop.gif", (W, H), 10)
    encoder.write(frame(0))
    encoder.abort()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("fps", "duration"), [(4, 1), (5, 2), (10, 1.5)])
def test_maquette_video_writes_every_frame_of_a_gif(tmp_path, fps, duration):
    from desktop.cli import main

    out = tmp_path / "replay.gif"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(
            [
                "video",
                "--size",
                "96x64",
                "--fps",
                str(fps),
                "--duration",
                str(duration),
                "--json",
                "-o",
                str(out),
            ]
        )
    assert code == 0
    frames = json.loads(stdout.getvalue())["frames"]
    delay = int(round(1000 / fps / 10)) * 10
    assert abs(frames - duration * fps) <= 1
    image = Image.open(out)
    assert image.size == (96, 64) and image.info.get("loop") == 0
    assert len(timeline(out, delay)) == frames
    assert sorted(p.name for p in tmp_path.iterdir()) == ["replay.gif"]
