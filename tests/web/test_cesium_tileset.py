"""The offline CesiumJS page shows a 3D Tiles folder in headless Chromium: the tile is fetched,
nothing is asked outside the folder, the buildings are drawn in their colour, a click on one shows
its metadata, and every word follows the page's language."""

from __future__ import annotations

import subprocess
import sys

import pytest

from layers.core.errors import InputError
from layers.web import cesium_build as cesium_build_module
from layers.web.cesium_build import PARTS, find_cesium_build
from layers.web.viewer_page import write_viewer
from tests.web.browser import Browser, FolderServer, cesium_build, share_of_colour, variance
from tests.web.tileset_fixture import BOXES, BUILDING_RGB, write_tileset

#: words of each language that must show (captions, the picked building's panel) and must not
WORDS = {
    "en": (
        ["3D model", "Click a building", "Building", "Height", "Usage", "24.5\u00a0m"],
        ["Cliquez", "Hauteur"],
    ),
    "fr": (
        ["Maquette 3D", "Cliquez sur un bâtiment", "Bâtiment", "Hauteur", "Usage", "24,5\u00a0m"],
        ["Click", "Height"],
    ),
}
#: the picked building's colour (viewer_page.HIGHLIGHT_COLOUR)
HIGHLIGHT_RGB = (43, 140, 255)
#: the top of this building is clicked (its centre, on the roof)
PICKED = BOXES[1]

CLICK_TARGET_JS = """([east, north, up]) => {
    const tileset = window.maquette.tileset;
    const local = new Cesium.Cartesian3(east, north, up);
    const transform = tileset.root.computedTransform;
    const world = Cesium.Matrix4.multiplyByPoint(transform, local, new Cesium.Cartesian3());
    const xy = Cesium.SceneTransforms.worldToWindowCoordinates(window.maquette.viewer.scene, world);
    return [xy.x, xy.y];
}"""


@pytest.mark.parametrize("language", ["en", "fr"])
def test_viewer_shows_the_tileset_offline(browser: Browser, tmp_path, language: str) -> None:
    folder = tmp_path / "tiles"
    write_tileset(folder)
    page = write_viewer(folder, language=language, build=cesium_build())
    print(f"\nCesiumJS copy: {page.cesium_bytes / 1e6:.1f} MB")
    assert page.cesium_bytes < 12e6  # the minimum, not the whole 19 MB build
    shot = tmp_path / f"viewer_{language}.png"
    with FolderServer(folder) as server, browser.open(server) as visit:
        seconds = visit.wait_ready()
        page_ms = visit.page.evaluate("document.body.dataset.loadMs")
        print(f"ready ({language}) after {seconds:.1f} s (the page says {page_ms} ms)")
        pixels = visit.screenshot(shot, "#maquette-globe canvas")

        served = visit.served_paths()
        assert "tileset.json" in served and "buildings.glb" in served, served
        assert not visit.failed, f"files missing from the copy: {visit.failed}"
        assert variance(pixels) > 100, "the 3D view is blank"
        orange = share_of_colour(pixels, BUILDING_RGB)
        assert orange > 0.02, f"the buildings' colour covers {orange:.2%} of the view"

        x, y = visit.page.evaluate(CLICK_TARGET_JS, [*PICKED.centre[:2], PICKED.height_m])
        visit.page.mouse.click(x, y)
        visit.page.wait_for_selector("#maquette-feature:not([hidden])", timeout=20_000)
        panel = visit.page.inner_text("#maquette-feature")
        assert PICKED.id in panel and PICKED.usage in panel, panel
        text = visit.page.inner_text("body")
        shown, absent = WORDS[language]
        for expected in shown:
            assert expected in text, f"{expected!r} not in {text!r}"
        for english_or_french in absent:
            assert english_or_french not in text, f"{english_or_french!r} in {text!r}"
        assert visit.page.get_attribute("html", "lang") == language
        visit.assert_offline()
        assert not visit.console_errors, visit.console_errors
        picked = visit.screenshot(tmp_path / f"viewer_{language}_picked.png", "#maquette-globe canvas")
        before = share_of_colour(pixels, HIGHLIGHT_RGB, tolerance=0.35)
        highlighted = share_of_colour(picked, HIGHLIGHT_RGB, tolerance=0.35) - before
        assert highlighted > 0.005, f"the picked building is not highlighted ({highlighted:.2%} more)"
    print(f"screenshots: {shot.parent}")


def test_the_page_refuses_bad_input(tmp_path) -> None:
    with pytest.raises(InputError, match="unknown language"):
        write_viewer(tmp_path, language="de", build=cesium_build())
    with pytest.raises(InputError, match="no tileset"):
        write_viewer(tmp_path, build=cesium_build())


def test_a_missing_cesium_build_names_what_to_install(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(cesium_build_module, "candidates", lambda extra=(): [tmp_path, *extra])
    with pytest.raises(InputError, match="CesiumJS build was not found") as raised:
        find_cesium_build()
    assert "packaging/bootstrap.sh" in raised.value.one_line()
    for part in PARTS:  # a folder with every part is a build
        path = tmp_path / part
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir() if "." not in path.name else path.touch()
    assert find_cesium_build() == tmp_path


def test_rewriting_the_page_replaces_the_copy_whole(tmp_path) -> None:
    if not (cesium_build() / "Cesium.js").is_file():
        pytest.skip(f"CesiumJS not found in {cesium_build()} (run packaging/bootstrap.sh test)")
    write_tileset(tmp_path)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid names the copy a killed writer left behind
    leftover = tmp_path / f".cesium.{gone.pid}-0a1b2c3d.tmp"
    (leftover / "Workers").mkdir(parents=True)
    write_viewer(tmp_path, language="fr", build=cesium_build())
    assert not leftover.exists()
    (tmp_path / "cesium" / "stale.js").write_text("old")
    page = write_viewer(tmp_path, language="en", build=cesium_build())
    assert not (tmp_path / "cesium" / "stale.js").exists()
    assert 'lang="en"' in page.index.read_text(encoding="utf-8")
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary files left"
