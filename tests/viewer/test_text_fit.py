"""viewer.text_fit: what is written on a picture is cut to what a picture holds, before VTK draws it."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from layers.core.errors import InputError
from layers.session.opening import open_paths
from viewer.render import render_still
from viewer.text_fit import MAX_BLOCK_LINES, MAX_LINE_CHARS, check_flag_text, fit_block, fit_line


def test_a_line_is_one_line_cut_with_an_ellipsis():
    assert fit_line("Quartier des\nPeupliers") == "Quartier des Peupliers"
    long = fit_line("mot " * 10_000)
    assert len(long) <= MAX_LINE_CHARS and long.endswith("…")
    assert fit_line(None) == ""


def test_a_block_keeps_its_lines_up_to_the_budget():
    assert fit_block("une\ndeux") == "une\ndeux"
    cut = fit_block("\n".join(f"ligne {i}" for i in range(100)))
    assert cut.count("\n") == MAX_BLOCK_LINES - 1 and cut.endswith("…")
    assert len(fit_block("x" * 10_000_000)) <= 1_500


def test_a_flag_past_the_budget_is_refused_by_name():
    assert check_flag_text("--title", "Réunion publique") == "Réunion publique"
    with pytest.raises(InputError, match=r"--title: 10,000 characters; a picture's title holds at most 200"):
        check_flag_text("--title", "x" * 10_000)


def test_a_huge_project_title_renders_without_a_huge_texture(tiny_city, tmp_path):
    """A 10 MB project title once asked for gigabytes of texture: it is cut and the picture made."""
    session = open_paths([tiny_city / "buildings.geojson"])
    session.project.data["title"] = "Titre " * 1_750_000  # 10.5 MB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    render_still(session, tmp_path / "titre.png", size=(640, 360))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert (tmp_path / "titre.png").stat().st_size > 0
    assert grown_mb < 500


def test_the_command_line_refuses_a_title_too_long(tiny_city, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "render", str(tiny_city / "buildings.geojson"), "-o",
         str(tmp_path / "x.png"), "--title", "x" * 5_000],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "maquette: error: --title: 5,000 characters; a picture's title holds at most 200 (shorten it)"
    ]
    assert not (tmp_path / "x.png").exists()
