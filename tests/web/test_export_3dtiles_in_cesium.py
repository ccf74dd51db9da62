"""The sample city exported as 3D Tiles with its viewer page (``maquette export --3dtiles
--viewer``) opens in CesiumJS in headless Chromium from a local server: the tiles are fetched,
nothing is asked outside the folder, the city is drawn, and a click on a building shows its data."""

from __future__ import annotations

import json

from desktop.cli import main
from tests.web.browser import Browser, FolderServer, variance

#: the centre of the sample city's tallest tile content, asked of the page (window pixels)
CENTRE_JS = """() => {
    const tileset = window.maquette.tileset;
    const sphere = tileset.boundingSphere;
    const xy = Cesium.SceneTransforms.worldToWindowCoordinates(window.maquette.viewer.scene, sphere.center);
    return [xy.x, xy.y];
}"""


def test_the_sample_city_opens_in_cesium(browser: Browser, sample_city, tmp_path, capsys) -> None:
    folder = tmp_path / "maquette-3dtiles"
    assert (
        main(
            [
                "export",
                str(sample_city / "sample_city.maquette.json"),
                "-o",
                str(folder),
                "--3dtiles",
                "--viewer",
                "--lang",
                "fr",
                "--json",
            ]
        )
        == 0
    )
    stats = json.loads(capsys.readouterr().out)
    assert stats["buildings"] > 1000 and (folder / "index.html").is_file()
    tiles = {p.name for p in folder.rglob("*.glb")}
    assert len(tiles) == stats["tiles"]
    with FolderServer(folder) as server, browser.open(server) as visit:
        seconds = visit.wait_ready()
        print(
            f"\nsample city: {stats['buildings']} buildings, {stats['tiles']} tiles, ready in {seconds:.1f} s"
        )
        pixels = visit.screenshot(tmp_path / "sample_city_3dtiles.png", "#maquette-globe canvas")
        served = visit.served_paths()
        fetched = [path for path in served if path.endswith(".glb")]
        assert "tileset.json" in served and fetched, served
        assert not visit.failed, f"missing: {visit.failed}"
        assert variance(pixels) > 100, "the 3D view is blank"
        visit.assert_offline()
        assert not visit.console_errors, visit.console_errors
        x, y = visit.page.evaluate(CENTRE_JS)
        assert "Cliquez sur un bâtiment" in visit.page.inner_text("body")
        # a click somewhere on the city: either a building's panel opens, or the ground was hit;
        # try a few points around the centre until a building answers
        for dx, dy in ((0, 0), (12, 0), (-12, 0), (0, 12), (0, -12), (25, 25), (-25, -25)):
            visit.page.mouse.click(x + dx, y + dy)
            visit.page.wait_for_timeout(400)
            if visit.page.is_visible("#maquette-feature"):
                break
        panel = visit.page.inner_text("#maquette-feature")
        assert "Hauteur" in panel and "\u00a0m" in panel, panel
    print(f"screenshot: {tmp_path / 'sample_city_3dtiles.png'}")


def test_the_viewer_page_opens_from_the_disk(browser: Browser, sample_city, tmp_path, capsys) -> None:
    """Opened as file:// (no fetch of the folder's files, no web worker), the page reads its tiles
    from maquette-tiles.js: the city is drawn on its ground, a building answers a click, nothing
    goes on line; a tileset too large for that copy makes the page say to serve the folder."""
    from io import BytesIO

    import numpy as np
    from PIL import Image

    folder = tmp_path / "tuiles"
    project = str(sample_city / "sample_city.maquette.json")
    assert main(["export", project, "-o", str(folder), "--3dtiles", "--viewer", "--lang", "fr"]) == 0
    assert "open it in a browser" in capsys.readouterr().out
    assert (folder / "maquette-tiles.js").is_file()
    with browser.open_from_disk(folder / "index.html") as page:
        page.wait_for_function("() => document.body.dataset.ready", timeout=120_000)
        assert page.evaluate("document.body.dataset.ready") == "1", page.inner_text("#maquette-status")
        shot = page.locator("#maquette-globe canvas").screenshot(path=str(tmp_path / "disk.png"))
        assert variance(np.asarray(Image.open(BytesIO(shot)).convert("RGB"))) > 100
        x, y = page.evaluate(CENTRE_JS)
        for dx, dy in ((0, 0), (12, 0), (-12, 0), (0, 12), (0, -12), (25, 25), (-25, -25)):
            page.mouse.click(x + dx, y + dy)
            page.wait_for_timeout(400)
            if page.is_visible("#maquette-feature"):
                break
        assert "Hauteur" in page.inner_text("#maquette-feature")
        assert not page.is_visible("#maquette-file")
    # without the copy (a tileset past its budget), the page says what to do
    (folder / "maquette-tiles.js").unlink()
    with browser.open_from_disk(folder / "index.html") as page:
        page.wait_for_function("() => document.body.dataset.ready === 'error'", timeout=120_000)
        assert page.is_visible("#maquette-file") and "serveur local" in page.inner_text("#maquette-file")


def test_viewer_without_3dtiles_is_refused(capsys) -> None:
    assert main(["export", "-o", "x.glb", "--viewer"]) == 2
    err = capsys.readouterr().err.strip()
    assert "--3dtiles" in err and "\n" not in err
