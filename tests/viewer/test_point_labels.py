"""Texts above points give way gracefully: moved beside their point, else shortened, else left out;
never drawn over an overlay or another text; as large as the presentation's captions."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from layers.session.comments import Comment
from layers.session.opening import open_paths
from viewer.export_image import BurnIn, ExportView
from viewer.label_registry import LabelCandidate, LabelRegistry, Placement
from viewer.overlay_layout import Rect, intersects, overlaps
from viewer.point_labels import shorter_forms

PIN = "Idée · Des arbres sur le quai"


class Texts:
    """Texts at given points, 10 pixels a character and 20 high, shorter forms by words."""

    def __init__(self, anchors: list[tuple[float, float]], texts: list[str], rank: int = 0) -> None:
        self.rank = rank
        self.anchors = anchors
        self.texts = texts
        self.placed: dict[int, Placement] = {}

    def candidates(self) -> list[LabelCandidate]:
        return [
            LabelCandidate(-float(i), i, anchor, (text, *shorter_forms(text)))
            for i, (anchor, text) in enumerate(zip(self.anchors, self.texts))
        ]

    def measure(self, text: str) -> tuple[float, float]:
        return 10.0 * len(text), 20.0

    def place(self, placed: dict[int, Placement]) -> None:
        self.placed = dict(placed)


def declutter(source: Texts, taken: list[Rect], frame=(800, 600)) -> LabelRegistry:
    registry = LabelRegistry()
    registry.add(source)
    registry.declutter(taken, frame)
    assert not any(intersects(box, rect) for box in registry.boxes for rect in taken)
    assert overlaps([(str(i), box) for i, box in enumerate(registry.boxes)]) == []
    return registry


def test_shorter_forms_cut_at_words():
    assert shorter_forms(PIN) == [
        "Idée · Des arbres sur le…",
        "Idée · Des arbres sur…",
        "Idée · Des arbres…",
        "Idée · Des…",
        "Idée…",
    ]
    assert shorter_forms("Bruit") == []


def test_a_text_in_the_way_is_moved_beside_its_point():
    source = Texts([(400.0, 300.0), (420.0, 300.0), (380.0, 300.0)], ["aaaaaa", "bbbbbb", "cccccc"])
    registry = declutter(source, [])
    assert set(source.placed) == {0, 1, 2}  # one in place, the others right and left of their points
    assert source.placed[0][1:] == (400.0, 300.0)
    assert source.placed[1][1:] != (420.0, 300.0) and source.placed[2][1:] != (380.0, 300.0)
    assert [text for text, _ in registry.written] == ["aaaaaa", "bbbbbb", "cccccc"]


def test_a_text_with_no_room_is_shortened_before_it_is_dropped():
    # a strip 116 pixels wide between two legends: the whole pin label (290 px) fits nowhere
    left, right = (0.0, 0.0, 300.0, 600.0), (420.0, 0.0, 380.0, 600.0)
    source = Texts([(360.0, 300.0), (360.0, 340.0)], [PIN, "Bruit"])
    registry = declutter(source, [left, right])
    written = dict(registry.written)
    texts = [text for text, _ in registry.written]
    assert texts[0] in shorter_forms(PIN) and texts[0].endswith("…")
    assert "Bruit" in texts
    box = next(box for text, box in registry.written if text == texts[0])
    assert 300 <= box[0] and box[0] + box[2] <= 420 and written
    # no room at all: left out, never drawn on top
    source = Texts([(360.0, 300.0)], [PIN])
    registry = declutter(source, [(0.0, 0.0, 800.0, 600.0)])
    assert source.placed == {} and registry.boxes == []


def test_two_texts_for_one_place_are_one_text():
    source = Texts([(400.0, 300.0), (403.0, 302.0)], ["12,5°", "14,0°"])
    declutter(source, [])
    assert set(source.placed) == {0}  # moved aside it would name the same place twice


@pytest.fixture(scope="module")
def session():
    return open_paths([])


def crowded_comments(session, count: int = 24, spread_m: float = 250.0) -> list[Comment]:
    """Comments pinned a few metres apart around the middle of the sample city."""
    x0, y0, x1, y1 = session.scene.bounds()
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    rng = np.random.default_rng(3)
    texts = [
        "Des arbres sur le quai",
        "Le bruit la nuit sur l'avenue",
        "Et le parc ? Il sera ouvert le soir",
        "Plus de bancs",
    ]
    return [
        Comment(("idea", "concern", "question")[i % 3], texts[i % len(texts)], cx + dx, cy + dy)
        for i, (dx, dy) in enumerate(rng.uniform(-spread_m, spread_m, size=(count, 2)))
    ]


@pytest.mark.parametrize("ui_scale", [1.0, 1.6])
def test_crowded_pins_are_moved_shortened_or_left_out_never_on_top(session, ui_scale):
    burn = replace(BurnIn(), comments=tuple(crowded_comments(session)))
    export = ExportView(
        session.scene, language="fr", title=session.project.title, size=(1366, 768), burn=burn
    )
    try:
        view = export.view
        view.set_ui_scale(ui_scale)
        view.caption.set("Les quais", "Des arbres, des bancs, moins de voitures.")
        view.reset_camera()
        export.render((1366, 768))
        pins = view.comment_pins
        assert pins is not None
        assert pins.labels.font_size() == round(14 * 0.768 * ui_scale)
        boxes = view.label_boxes()
        rects = view.overlay_rects()
        assert len(boxes) >= 4
        assert overlaps(rects + [(f"label {i}", b) for i, b in enumerate(boxes)]) == []
        shown = [text for text in pins.labels.shown() if text]
        full = set(pins.labels.texts)
        shortened = [text for text in shown if text not in full]
        assert all(text.endswith("…") for text in shortened)
        if ui_scale == 1.0:  # at the presentation's scale the few labels that fit are whole or left out
            assert shortened
        assert len(shown) < len(pins.labels.texts)  # some had no room at all
    finally:
        export.close()
