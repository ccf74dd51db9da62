"""Comment pins: a short label the audience reads, and pins on exported pictures when asked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from layers.session.comments import Comment
from viewer.annotations import PIN_LABEL_CHARS, pin_label

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_pin_label_is_the_category_and_the_first_words(language):
    short = Comment("idea", "Des arbres sur le quai", 0, 0)
    assert (
        pin_label(short, language) == ("Idée" if language == "fr" else "Idea") + " · Des arbres sur le quai"
    )
    long = Comment("concern", "Trop de circulation devant l'école aux heures de pointe", 0, 0)
    label = pin_label(long, language)
    assert len(label) <= PIN_LABEL_CHARS and label.endswith("…")
    assert label[:-1].split()[-1] in long.text.split()  # cut at a word
    assert pin_label(Comment("question", "", 0, 0), language) == "Question"


@pytest.fixture
def city_with_comments(tmp_path) -> Path:
    folder = tmp_path / "ville"
    shutil.copytree(
        REPO / "sample_city", folder, ignore=shutil.ignore_patterns("citygen", "*.py", "README.md")
    )
    path = folder / "sample_city.maquette.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    x, y, _ = data["views"][0]["focal_point"]
    data["annotations"] = [
        {"type": "comment", "category": "idea", "text": "Des arbres sur le quai", "x": x + 150, "y": y - 40},
        {"type": "comment", "category": "question", "text": "Et le parc ?", "x": x, "y": y + 200},
    ]
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_render_pins_the_comments_only_when_asked(city_with_comments, tmp_path, capsys):
    from desktop.cli import main

    plain, pinned = tmp_path / "sans.png", tmp_path / "avec.png"
    common = ["--size", "640x360", "--json", "--no-legend", "--no-title", "--no-clock"]
    assert main(["render", str(city_with_comments), "-o", str(plain), *common]) == 0
    without = json.loads(capsys.readouterr().out)
    assert main(["render", str(city_with_comments), "-o", str(pinned), "--comments", *common]) == 0
    with_pins = json.loads(capsys.readouterr().out)
    assert "comments" not in without["burned_in"] and "comments" in with_pins["burned_in"]
    a = np.asarray(Image.open(plain).convert("RGB")).astype(int)
    b = np.asarray(Image.open(pinned).convert("RGB")).astype(int)
    changed = np.abs(a - b).sum(axis=2) > 60
    assert 200 < changed.sum() < 0.05 * changed.size  # two pins and their labels, nothing else


def test_export_view_pins_and_unpins(city_with_comments):
    from dataclasses import replace

    from layers.session.comments import comments_from_project
    from layers.session.opening import open_paths
    from viewer.export_image import BurnIn, ExportView

    session = open_paths([city_with_comments])
    comments = comments_from_project(session.project.data.get("annotations"))
    export = ExportView(session.scene, burn=replace(BurnIn(), comments=tuple(comments)), size=(320, 180))
    pins = export.view.comment_pins
    assert pins is not None and pins.labels.texts == [
        "Idée · Des arbres sur le quai",
        "Question · Et le parc ?",
    ]
    export.set_burn(BurnIn())
    assert export.view.comment_pins is None
    export.close()
