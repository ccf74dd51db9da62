"""layers.core.clock: one aware time, its range, its speed and the frame step replays aggregate over."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from layers.core.clock import DEFAULT_FRAME_INTERVAL_S, Clock
from layers.core.timeutil import zone

T0 = datetime(2025, 7, 1, 6, tzinfo=zone("Europe/Paris"))


def test_the_frame_step_is_what_the_clock_moves_between_two_frames():
    clock = Clock()
    clock.set_range(T0, T0 + timedelta(days=2))
    clock.speed_s_per_s = 22_500  # the GUI at 6 h 15 min a second: 15 min per 40-ms tick
    assert clock.frame_interval_s == DEFAULT_FRAME_INTERVAL_S
    assert clock.frame_step_s == pytest.approx(900.0)
    before = clock.time
    clock.advance(clock.frame_interval_s)
    assert (clock.time - before).total_seconds() == pytest.approx(clock.frame_step_s)


@pytest.mark.parametrize("fps", [10, 25, 30])
def test_a_video_steps_its_own_frames_whatever_its_rate(fps):
    clock = Clock()
    clock.play_frames(step_s=900.0, fps=fps)
    assert clock.frame_step_s == pytest.approx(900.0)
    assert clock.speed_s_per_s == pytest.approx(900.0 * fps)


def test_naive_times_are_refused_and_time_stays_in_its_range():
    clock = Clock("Europe/Paris")
    with pytest.raises(ValueError):
        clock.set_range(datetime(2025, 7, 1), datetime(2025, 7, 2))
    clock.set_range(T0, T0 + timedelta(hours=1))
    clock.loop = False
    clock.speed_s_per_s = 3600
    assert clock.advance(5.0) == T0 + timedelta(hours=1)
