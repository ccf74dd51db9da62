"""The audience screen's overlays as a mediator sees them: title, clock, legends, caption, scale
bar, north arrow, credits and the texts above points never overlap, at any output size and UI
scale, and the sample story presented in French shows no text drawn over another."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from layers.session.opening import open_paths
from layers.session.story import Story, apply_step
from viewer.export_image import ExportView, write_image
from viewer.label_registry import LabelCandidate, LabelRegistry, Placement
from viewer.overlay_layout import Rect, intersects, overlaps
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.video_plan import StoryPlan

#: the presentation's enlargement (desktop/presentation.py PRESENTATION_SCALE)
PRESENTATION = 1.6
LONG_CAPTION = (
    "Les quais et les avenues portent jusqu'à 25 000 véhicules par jour : plus de 70 dB(A) en façade. "
    "Derrière les immeubles, les cœurs d'îlots restent calmes, souvent sous 50 dB(A), au bord de la rivière."
)


@pytest.fixture(scope="module")
def session():
    return open_paths([])


def inside(rect: Rect, width: int, height: int) -> bool:
    x, y, w, h = rect
    return x >= 0 and y >= 0 and x + w <= width + 0.5 and y + h <= height + 0.5


@pytest.mark.parametrize("ui_scale", [1.0, PRESENTATION])
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080), (3840, 2160), (794, 1123), (2480, 3508)])
def test_overlays_keep_to_their_regions(session, size, ui_scale):
    """Every layer on (a dozen legends), a long caption: nothing overlaps, nothing leaves the
    picture, legends that do not fit are named by a "+N" note instead of drawn over the caption."""
    scene = session.scene
    for layer in scene.layers:
        layer.visible = True
    plotter = make_plotter((400, 300))
    view = SceneView(plotter, scene, title="Quartier Vilaine (ville synthétique)", auto_render=False)
    try:
        view.reset_camera()
        view.set_ui_scale(ui_scale)
        view.decorations.set_clock("mardi 1 juillet 2025 · 16:00 (CEST)")
        view.caption.set("Le bruit des grands axes", LONG_CAPTION)
        width, height = size
        view.layout_overlays(width, height)
        rects = view.overlay_rects()
        names = {name for name, _ in rects}
        assert {"title", "clock", "caption", "credits", "legend 1"} <= names
        assert overlaps(rects) == []
        assert all(inside(rect, width, height) for _, rect in rects), rects
        stack = view.legend_stack
        left_out = len(stack.panels) - stack.shown
        if left_out:
            assert stack.note.GetVisibility() and stack.note.GetInput().startswith(f"+{left_out} légende")
        caption = dict(rects)["caption"]
        for name, rect in rects:
            if name.startswith("legend"):  # the column stops above the caption band
                assert rect[1] >= caption[1] + caption[3] or rect[0] >= caption[0] + caption[2]
    finally:
        view.close()
        plotter.close()


class _Source:
    """Texts offered at fixed boxes (their point at the bottom centre), as PointLabels offers its
    projected ones; a text measures the width of its box for each character of the box's own."""

    def __init__(self, rank: int, boxes: list[Rect]) -> None:
        self.rank = rank
        self.boxes = boxes
        self.placed: dict[int, Placement] = {}

    def candidates(self) -> list[LabelCandidate]:
        return [
            LabelCandidate(-float(i), i, (x + w / 2, y), ("x" * int(w),))
            for i, (x, y, w, h) in enumerate(self.boxes)
        ]

    def measure(self, text: str) -> tuple[float, float]:
        return float(len(text)), 20.0

    def place(self, placed: dict[int, Placement]) -> None:
        self.placed = dict(placed)

    @property
    def kept(self) -> set[int]:
        return set(self.placed)


def test_labels_of_all_sources_give_way_to_overlays_and_to_each_other():
    values = _Source(0, [(100, 100, 60, 20), (300, 100, 60, 20), (500, 100, 60, 20), (10, 10, 60, 20)])
    pins = _Source(1, [(320, 110, 80, 20)])  # on the second value: the pin wins its place
    registry = LabelRegistry()
    registry.add(values)
    registry.add(pins)
    caption = (480.0, 80.0, 300.0, 100.0)  # over the third value, and every place beside it
    registry.declutter([caption], (800, 600))
    assert pins.kept == {0} and pins.placed[0][1:] == (360.0, 110.0)  # in place
    assert values.kept == {0, 1, 3}  # the second moved aside (below its point), the third left out
    assert values.placed[0][1:] == (130.0, 100.0) and values.placed[1][1:] != (330.0, 100.0)
    boxes = registry.boxes
    assert len(boxes) == 4 and not any(intersects(box, caption) for box in boxes)
    assert overlaps([(str(i), box) for i, box in enumerate(boxes)]) == []
    registry.declutter([caption], (800, 600), offset=(-20.0, 0.0))  # a tile's: past the left edge
    assert 3 in values.kept and values.placed[3][1:] != (20.0, 10.0)  # moved right, into the picture
    assert all(inside(box, 800, 600) for box in registry.boxes)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_sample_story_presented_in_french_shows_no_overlapping_text(session, size, tmp_path):
    """Each step as the audience sees it (French, presentation scale): overlay rectangles and the
    boxes of the texts above points never intersect. The pictures are kept in
    $MAQUETTE_OVERLAY_PNGS when set (to look at them), else in the test's tmp dir."""
    scene = session.scene
    story = Story.from_list(session.project.data.get("story"), scene.timezone)
    assert story.steps
    plan = StoryPlan(story, session.project.views(), 10)
    out = Path(os.environ.get("MAQUETTE_OVERLAY_PNGS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    width, height = size
    export = ExportView(scene, language="fr", title=session.project.title, size=size)
    try:
        view = export.view
        view.set_ui_scale(PRESENTATION)
        labelled = 0
        for index, step in enumerate(story.steps):
            apply_step(scene, step)
            view.caption.set(step.title, step.text)
            target = plan.resolve_view(step)
            if target is not None:
                view.go_to(target)
            image = export.render(size)
            write_image(image, out / f"story_{width}x{height}_{index + 1}.png")
            rects = view.overlay_rects()
            boxes = [(f"label {i + 1}", box) for i, box in enumerate(view.label_boxes())]
            labelled += len(boxes)
            assert "caption" in dict(rects)
            assert overlaps(rects + boxes) == [], f"step {index + 1}"
            assert all(inside(rect, width, height) for _, rect in rects + boxes)
        assert labelled > 0  # sensor values were written on some steps, clear of the rest
    finally:
        export.close()
