"""Off-screen rendering through the same SceneView the GUI uses: look for what a person checks."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from layers.core.errors import InputError
from layers.session.opening import open_paths
from viewer.render import parse_size, render_still

BUILDING_RGB = np.array([0xE6, 0xDF, 0xD1])


def load(path):
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def colour_share(image: np.ndarray, rgb: np.ndarray, tolerance: int = 40) -> float:
    return float((np.abs(image - rgb).sum(axis=2) < tolerance).mean())


def test_render_buildings_gives_a_picture_with_buildings(tiny_city, tmp_path):
    session = open_paths([tiny_city / "buildings.geojson"])
    out = tmp_path / "city.png"
    stats = render_still(session, out, size=(800, 500))
    image = load(out)
    assert image.shape == (500, 800, 3)
    assert image.std() > 10, "blank image"
    # buildings are lit from several sides: some roof pixels keep their stone colour
    lit = np.abs(image - BUILDING_RGB).sum(axis=2) < 60
    assert lit.mean() > 0.02
    assert stats["features"] == 36
    assert stats["triangles"] > 36 * 10
    assert stats["render_s"] >= 0 and stats["mesh_s"] >= 0


def test_colour_by_height_draws_a_legend_panel(tiny_city, tmp_path):
    session = open_paths([tiny_city / "buildings.geojson"])
    session.scene.layers[0].update_style(color_by="hauteur")
    out = tmp_path / "height.png"
    render_still(session, out, size=(1000, 600))
    image = load(out)
    # legend panel top-right: nearly white background with a colour ramp inside
    panel = image[:300, 800:]
    white = np.abs(panel - 255).sum(axis=2) < 30
    assert white.mean() > 0.15
    rows, cols = np.nonzero(white)
    inside = panel[rows.min() : rows.max(), cols.min() : cols.max()]
    # the YlGnBu ramp holds dark blues next to the white panel
    assert (inside.sum(axis=2) < 250).sum() > 200


def test_streets_are_coloured_by_traffic(tiny_city, tmp_path):
    session = open_paths([tiny_city / "streets.geojson", tiny_city / "buildings.geojson"])
    out = tmp_path / "streets.png"
    stats = render_still(session, out, size=(800, 500))
    image = load(out)
    # YlOrRd: busy streets are red/orange: strongly red pixels exist
    red = (image[:, :, 0] > 170) & (image[:, :, 2] < 90)
    assert red.mean() > 0.002
    assert {layer["kind"] for layer in stats["layers"]} == {"streets", "buildings"}


def test_jpeg_output_and_unknown_suffix(tiny_city, tmp_path):
    session = open_paths([tiny_city / "buildings.geojson"])
    render_still(session, tmp_path / "city.jpg", size=(320, 200))
    assert Image.open(tmp_path / "city.jpg").format == "JPEG"
    with pytest.raises(InputError, match="expected .png or .jpg"):
        render_still(session, tmp_path / "city.bmp", size=(320, 200))


@pytest.mark.parametrize("text", ["800", "axb", "0x10", "99999x100"])
def test_bad_sizes_are_input_errors(text):
    with pytest.raises(InputError, match="--size"):
        parse_size(text)


def test_size_parses():
    assert parse_size("1920x1080") == (1920, 1080)


def test_every_shared_buildings_file_renders(shared_data, tmp_path):
    """Every real footprint file loads as buildings and gives a picture with buildings in it."""
    files = sorted(
        p
        for p in (shared_data / "buildings").rglob("*")
        if p.suffix in {".shp", ".geojson"} and "ground_type" not in p.name
    )
    assert len(files) >= 4
    for path in files:
        session = open_paths([path])
        (layer,) = session.scene.layers
        assert layer.kind == "buildings"
        out = tmp_path / f"{path.stem}.png"
        stats = render_still(session, out, size=(640, 400))
        image = load(out)
        assert stats["triangles"] > 1000, path.name
        # buildings in the middle of the frame: some pixels differ clearly from the ground colour
        h, w = image.shape[:2]
        middle = image[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4]
        ground = np.array([0xEF, 0xEC, 0xE6])
        assert (np.abs(middle - ground).sum(axis=2) > 40).mean() > 0.01, path.name
