"""Legends as a reader meets them: one plain description drawn by the picture's column (and by the
window's panel), a column that stays narrow on a laptop and on a projector, long class names
shortened with "…" rather than widening it."""

from __future__ import annotations

import pytest

from layers.session.opening import open_paths
from viewer.colors import continuous_lut, indexed_lut
from viewer.legends import MAX_COLUMN_WIDTH, Legend, LegendStack
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.text_fit import ELLIPSIS

#: the presentation's enlargement (desktop/presentation.py PRESENTATION_SCALE)
PRESENTATION = 1.6
LONG_LINE = "C1 — Ouest – Marché – Mairie – Gare – Les Tours de la Vilaine – Terminus Sud"


def test_the_content_of_a_legend_of_classes():
    lut = indexed_lut(["#ff0000", "#00ff00"], ["rouge", "vert"])
    content = Legend("Usage", lut, categorical=True).content()
    assert content.categorical and content.title == "Usage"
    assert [(e.rgb, e.label) for e in content.entries] == [
        ((1.0, 0.0, 0.0), "rouge"),
        ((0.0, 1.0, 0.0), "vert"),
    ]
    assert content.texts() == ["Usage", "rouge", "vert"]


@pytest.mark.parametrize(("language", "label"), [("fr", "10\u202f000"), ("en", "10,000")])
def test_the_content_of_a_ramp(language, label):
    lut = continuous_lut("viridis", (0.0, 20_000.0))
    content = Legend("Trafic (véh./j)", lut, ticks=[0.0, 10_000.0, 20_000.0], nan_label="n/a").content(
        language
    )
    assert not content.categorical and len(content.ramp) > 10
    assert [f for f, _ in content.ticks] == [0.0, 0.5, 1.0]
    assert content.ticks[1][1].replace("\u00a0", "\u202f") == label
    assert content.ramp[0] != content.ramp[-1]
    assert content.missing is not None and content.missing.label == "n/a"


@pytest.fixture(scope="module")
def session():
    return open_paths([])


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
@pytest.mark.parametrize("ui_scale", [1.0, PRESENTATION])
def test_the_column_stays_narrow(session, size, ui_scale):
    """Every layer of the sample city on, the working and the presentation scale: the legend
    column takes at most MAX_COLUMN_WIDTH (22 %) of the picture's width."""
    assert MAX_COLUMN_WIDTH <= 0.22
    scene = session.scene
    for layer in scene.layers:
        layer.visible = True
    plotter = make_plotter((400, 300))
    view = SceneView(plotter, scene, auto_render=False)
    try:
        view.set_ui_scale(ui_scale)
        view.layout_overlays(*size)
        legends = [rect for name, rect in view.overlay_rects() if name.startswith("legend")]
        assert legends
        left = min(rect[0] for rect in legends)
        right = max(rect[0] + rect[2] for rect in legends)
        assert right - left <= MAX_COLUMN_WIDTH * size[0] + 0.5
    finally:
        view.close()
        plotter.close()


def test_long_class_names_are_shortened_not_widening_the_column():
    plotter = make_plotter((400, 300))
    try:
        stack = LegendStack(plotter.renderer)
        stack.scale = PRESENTATION
        lut = indexed_lut(["#e41a1c", "#377eb8"], [LONG_LINE, "C2 — Nord"])
        stack.set_legends([Legend("Lignes de bus et de tramway du réseau STAR", lut, categorical=True)])
        stack.layout(1366, 768)
        (x, _, w, _), *_ = stack.rects
        assert w <= MAX_COLUMN_WIDTH * 1366 + 0.5
        first, second = (actor.GetInput() for actor in stack.panels[0].labels)
        assert first.endswith(ELLIPSIS) and LONG_LINE.startswith(first[:-1].rstrip())
        assert second == "C2 — Nord"  # short ones as they are
        assert all(line for line in stack.panels[0].title.GetInput().split("\n"))
        stack.remove()
    finally:
        plotter.close()


def test_class_legends_of_one_title_are_listed_once():
    """Two water themes of BD TOPO ("Eau" each) make one legend, each class once."""
    from viewer.legends import merged_by_title

    def classes(title: str, rows: list[tuple[str, tuple[float, float, float]]]) -> Legend:
        from vtkmodules.vtkCommonCore import vtkLookupTable

        lut = vtkLookupTable()
        lut.SetNumberOfTableValues(len(rows))
        for i, (label, rgb) in enumerate(rows):
            lut.SetTableValue(i, *rgb, 1.0)
            lut.SetAnnotation(i, label)
        return Legend(title, lut, categorical=True)

    blue, pale = (0.6, 0.8, 0.9), (0.7, 0.8, 0.9)
    still = classes("Eau", [("Plan d'eau, bassin", blue)])
    rivers = classes("Eau", [("Plan d'eau, bassin", pale), ("Cours d'eau, canal", blue)])
    roads = classes("Routes", [("Routes", (1.0, 1.0, 1.0))])
    merged = merged_by_title([still, roads, rivers])
    assert [legend.title for legend in merged] == ["Eau", "Routes"]
    entries = merged[0].entries()
    assert [label for _, label in entries] == ["Plan d'eau, bassin", "Cours d'eau, canal"]
    assert all(rgb == pytest.approx(blue, abs=0.01) for rgb, _ in entries)  # the first colour of a class
    assert merged_by_title([still, roads]) == [still, roads]
