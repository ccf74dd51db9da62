"""Work is sized before it starts: flags that would make millions of frames or sun samples are
refused with one line and exit 2, before a frame is drawn or a sample computed (issue 15)."""

from __future__ import annotations

import pytest

from desktop.cli import main


def refused(capsys, *args: str) -> str:
    assert main(list(args)) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    # the data's own notes (warnings) may come first: one error line, and nothing but maquette's lines
    errors = [line for line in lines if line.startswith("maquette: error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0]
    assert all(line.startswith("maquette: warning: ") for line in lines[:-1])
    return errors[0]


def test_a_century_of_replay_is_refused_by_its_frame_count(tmp_path, capsys):
    line = refused(
        capsys, "video", "-o", str(tmp_path / "siecle.mp4"), "--start", "1925-01-01", "--end", "2025-01-01",
        "--step", "1h",
    )  # fmt: skip
    assert "this replay would make 876,601 frames (584 min of video at 25 fps)" in line
    assert "a video holds at most 36,000 frames" in line
    assert not (tmp_path / "siecle.mp4").exists()


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--duration", "1e9"], "--duration 1e+09 would make 25,000,000,000 frames"),
        (["--duration", "-5"], "--duration -5: must be a number of seconds above zero"),
        (["--step", "0.000001"], "this replay would make"),
    ],
)
def test_replay_flags_past_the_budget(tmp_path, capsys, flags, expected):
    assert expected in refused(capsys, "video", "-o", str(tmp_path / "v.mp4"), *flags)


def test_a_story_held_for_ever_is_refused(tmp_path, capsys):
    line = refused(capsys, "video", "-o", str(tmp_path / "recit.mp4"), "--story", "--hold", "1e6")
    assert "--hold 1e+06: seconds on a step, above zero and at most 600" in line


@pytest.mark.parametrize("step", ["0.001", "0", "nan", "1000"])
def test_sun_samples_finer_than_a_minute_are_refused(sample_city, tmp_path, capsys, step):
    line = refused(
        capsys, "sunlight", str(sample_city / "buildings.gpkg"), "--date", "2025-06-21", "--step", step,
        "-o", str(tmp_path / "h.tif"),
    )  # fmt: skip
    assert "the time step must be between 1 and 240 minutes" in line
