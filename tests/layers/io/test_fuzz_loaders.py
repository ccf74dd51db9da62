"""Fuzzing the loaders with hypothesis: any bytes give a layer or an InputError — never another
exception, a crash or a hang (see fuzz_loaders.py for the strategies and the oracle).

The regular run is fixed (hypothesis derandomised) and short: :data:`EXAMPLES` examples per format,
about 45 s in all. GDAL-backed formats run in a child process, so a segfault fails the test with
the example that caused it instead of killing pytest. The ``slow`` run goes deeper with a
fixed seed, so CI stays reproducible; ``MAQUETTE_FUZZ_SEED=daily`` (or a number) explores new
ground, and the seed is printed so a failure can be replayed; ``MAQUETTE_FUZZ_EXAMPLES`` sets its
size. Every seed that once found a bug joins :data:`REGRESSION_SEEDS`::

    MAQUETTE_FUZZ_SEED=daily MAQUETTE_FUZZ_EXAMPLES=5000 pytest tests/layers/io/test_fuzz_loaders.py -m slow
    python -m tests.layers.io.fuzz_loaders shapefile --examples 5000 --seed 20250701
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .fuzz_loaders import DEADLINE_S, FORMATS, GDAL_FORMATS, run

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = 200
#: seeds of the deeper run that found a bug once (20261126: a project whose "views" was null)
REGRESSION_SEEDS = (20261126,)


def deeper_seed() -> int:
    """The seed of the deeper run: ``MAQUETTE_FUZZ_SEED`` (a number, or ``daily``), else the last
    regression seed."""
    wanted = os.environ.get("MAQUETTE_FUZZ_SEED", "")
    if wanted == "daily":
        return int(datetime.date.today().strftime("%Y%m%d"))
    return int(wanted) if wanted.isdigit() else REGRESSION_SEEDS[-1]


def fuzz(fmt: str, count: int, seed: int | None, folder: Path) -> dict:
    """The tally of ``count`` examples of ``fmt``; GDAL formats in a child process."""
    if fmt not in GDAL_FORMATS:
        return run(fmt, count, seed, folder)
    out = folder / "tally.json"
    command = [
        sys.executable,
        "-m",
        "tests.layers.io.fuzz_loaders",
        fmt,
        "--examples",
        str(count),
        "--folder",
        str(folder),
        "--out",
        str(out),
    ]
    if seed is not None:
        command += ["--seed", str(seed)]
    done = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=max(600, count * DEADLINE_S // 10)
    )
    if not out.exists():
        last = folder / "last_example.json"
        culprit = json.loads(last.read_text()) if last.exists() else None
        pytest.fail(
            f"the {fmt} fuzzer died (exit {done.returncode}) on "
            f"{culprit and list(culprit['files'])} kept in {last}:\n{done.stderr[-3000:]}"
        )
    return json.loads(out.read_text())


def check(tally: dict) -> None:
    failures = tally["failures"]
    report = "\n\n".join(
        f"{f['error']}\n(example kept in {f['example']})\n{f['traceback']}" for f in failures[:3]
    )
    assert not failures, (
        f"{len(failures)} of {tally['examples']} {tally['format']} "
        f"examples raised something else than InputError:\n{report}"
    )
    assert (
        tally["examples"] >= min(EXAMPLES, 50) and tally["layer"] + tally["input error"] == tally["examples"]
    )
    assert tally["max_s"] < DEADLINE_S


@pytest.mark.parametrize("fmt", FORMATS)
def test_any_bytes_give_a_layer_or_an_input_error(fmt, tmp_path):
    tally = fuzz(fmt, EXAMPLES, None, tmp_path)
    print(
        f"\n{fmt}: {tally['examples']} examples, {tally['layer']} opened, "
        f"{tally['input error']} refused, slowest {tally['max_s']} s"
    )
    check(tally)
    assert tally["layer"] > 0, "the mutations never leave a readable file: the fuzzer tests nothing deep"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_deeper_fuzzing(fmt, tmp_path):
    count = int(os.environ.get("MAQUETTE_FUZZ_EXAMPLES", "600"))
    seed = deeper_seed()
    tally = fuzz(fmt, count, seed, tmp_path)
    print(
        f"\n{fmt} (seed {seed}): {tally['examples']} examples, {tally['layer']} opened, "
        f"{tally['input error']} refused, slowest {tally['max_s']} s"
    )
    check(tally)
