"""The kind tables: every kind has a model, a visual and controls, found from its layer class; and a
new kind takes its own folder plus one registration line (tests/tiny_kind)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desktop.controls import controls_class
from layers.core import kinds
from layers.core.base import Layer
from layers.core.detect import detect_kind
from layers.core.reading import open_layer
from layers.core.style import LayerStyle, StyleError
from layers.io import formats
from viewer.visuals import visual_class
from viewer.visuals.base import Visual

EVERY_CLASS = [(k.name, cls) for k in kinds.kinds() for cls in k.layer_classes()]


@pytest.mark.parametrize(("kind", "layer_class"), EVERY_CLASS, ids=[c.__name__ for _, c in EVERY_CLASS])
def test_every_kind_has_a_model_a_style_a_visual_and_controls(kind, layer_class):
    assert issubclass(layer_class, Layer) and layer_class.kind == kind
    assert issubclass(layer_class.style_class, LayerStyle)
    visual = visual_class(layer_class)
    assert issubclass(visual, Visual) and issubclass(layer_class, visual.layer_type)
    assert visual.__module__.startswith(f"viewer.visuals.{kind}")
    controls = controls_class(layer_class)
    assert issubclass(layer_class, controls.layer_type)
    assert controls.__module__ == f"desktop.controls.{kind}"
    from desktop.panels.layer_panel import KIND_LABELS

    assert kind in KIND_LABELS, f"the layer list has no (translated) name for the {kind} kind"


def test_every_kind_is_declared_in_its_own_package():
    for package in kinds.KIND_PACKAGES:
        declared = kinds.kinds()[kinds.KIND_PACKAGES.index(package)]
        assert package == f"layers.{declared.name}"
        assert declared.header or declared.features, f"{declared.name} claims no file"


def test_the_open_dialog_lists_every_suffix_the_readers_take():
    patterns = formats.open_patterns().split()
    for suffix in (".asc", ".vrt", ".nc", ".kml", ".img", ".geojson", ".gpkg", ".zip", ".gml", ".fgb"):
        assert f"*{suffix}" in patterns


@pytest.fixture
def pins_kind():
    """The tiny kind of tests/tiny_kind, registered for one test."""
    before = list(kinds.KIND_PACKAGES)
    kinds.register("tests.tiny_kind")  # the one registration line
    import tests.tiny_kind.controls  # a kind from elsewhere brings its visual and controls
    import tests.tiny_kind.visual  # noqa: F401

    yield kinds.kind("pins")
    kinds.KIND_PACKAGES[:] = before


def _pins_file(folder: Path) -> Path:
    path = folder / "repères.pins"
    x0, y0 = 351_600.0, 6_789_200.0
    path.write_text(
        "\n".join(f"{x0 + 40 * i:.1f} {y0 + 25 * (i % 3):.1f} repère {i}" for i in range(8)), encoding="utf-8"
    )
    return path


def test_a_new_kind_is_its_folder_plus_one_registration_line(pins_kind, tmp_path, qtbot):
    from layers.session.opening import open_paths
    from layers.session.project import Project, save_project
    from layers.session.scene_io import build_scene, update_from_scene
    from viewer.render import render_still

    path = _pins_file(tmp_path)
    assert detect_kind(path) == "pins"
    assert "*.pins" in formats.open_patterns().split()
    layer = open_layer(path, style={"color": "#1f77b4"})
    assert type(layer).__name__ == "PinsLayer" and layer.feature_count() == 8
    assert layer.style.color == "#1f77b4" and layer.style.radius_m == 6.0
    with pytest.raises(StyleError, match="radius_m"):
        layer.update_style(radius_m="large")

    # saved and opened again with its style, drawn by its visual, shown with its controls
    session = open_paths([path])
    pins = session.scene.layers[0]
    pins.update_style(radius_m=9.0)
    project = update_from_scene(session.project, session.scene, folder=tmp_path)
    saved = save_project(project, tmp_path / "pins.maquette.json")
    scene, report = build_scene(Project(data=project.data, path=saved))
    assert report.errors == [] and scene.layers[0].style.radius_m == 9.0

    figures = render_still(session, tmp_path / "pins.png", size=(320, 200))
    assert figures["triangles"] > 0
    from PIL import Image

    image = np.asarray(Image.open(tmp_path / "pins.png").convert("RGB"), dtype=int)
    red = (image[..., 0] > 150) & (image[..., 1] < 90) & (image[..., 2] < 90)
    assert red.sum() > 20  # the pins are drawn in their colour

    controls = controls_class(type(pins))(pins)
    qtbot.addWidget(controls)
    controls.color.setText("#2ca02c")
    controls.color.editingFinished.emit()
    assert pins.style.color == "#2ca02c"
