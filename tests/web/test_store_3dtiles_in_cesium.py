"""A prepared store exported as 3D Tiles with its viewer page (``maquette export STORE --3dtiles
--viewer``) opens in CesiumJS in headless Chromium from a local server: from afar the merged blocks
are drawn, up close a store tile's buildings replace them, and nothing is asked outside the folder."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.cli import main
from tests.layers.store.conftest import dataset, prepared  # noqa: F401 - the session's prepared store
from tests.web.browser import Browser, FolderServer, variance

#: the camera 300 m above a point (radians), looking down
FLY_JS = """([lon, lat]) => {
    window.maquette.viewer.camera.setView({destination: Cesium.Cartesian3.fromRadians(lon, lat, 300)});
}"""


def region_of_a_tile(folder: Path) -> list[float]:
    """West, south, east, north (radians) of the run of store tiles with the most buildings (the
    entries with merged blocks, under the overview tiles)."""
    root = json.loads((folder / "tileset.json").read_text(encoding="utf-8"))["root"]
    runs = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.get("content", {}).get("uri", "").endswith("blocks.glb"):
            runs.append(node)
        stack += node.get("children", [])
    size = {
        i: (folder / run["content"]["uri"]).parent.joinpath("tileset.json").stat().st_size
        for i, run in enumerate(runs)
    }
    return runs[max(size, key=size.__getitem__)]["boundingVolume"]["region"][:4]


def test_a_store_export_opens_in_cesium(browser: Browser, prepared, tmp_path, capsys, monkeypatch) -> None:  # noqa: F811
    from layers.tiles3d import store_export

    monkeypatch.setattr(store_export, "BATCH_ROWS", 300)  # runs of a few store tiles: several in view
    folder = tmp_path / "store-3dtiles"
    assert main(["export", str(prepared), "-o", str(folder), "--3dtiles", "--viewer", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["store_tiles"] > 1 and (folder / "index.html").is_file()
    with FolderServer(folder) as server, browser.open(server) as visit:
        seconds = visit.wait_ready()
        visit.page.wait_for_timeout(1500)
        far = visit.screenshot(tmp_path / "store_3dtiles.png", "#maquette-globe canvas")
        served = visit.served_paths()
        # from afar: built-up blocks or merged blocks (a district of a few km refines quickly)
        assert "tileset.json" in served, served
        assert any(p.endswith("blocks.glb") or p.startswith(("o2/", "o3/")) for p in served), served
        refined = [p for p in served if p.endswith("/tileset.json")]
        print(f"\nfrom afar: {len(refined)} of {stats['tilesets']} runs refined to buildings")
        assert variance(far) > 100, "the 3D view is blank"
        # up close (300 m above a run of store tiles): its buildings' tileset replaces its blocks
        west, south, east, north = region_of_a_tile(folder)
        visit.page.evaluate(FLY_JS, [(west + east) / 2, (south + north) / 2])
        for _ in range(40):
            visit.page.wait_for_timeout(500)
            if any("/tiles/" in p for p in visit.served_paths()):
                break
        visit.page.wait_for_timeout(1500)
        served = visit.served_paths()
        assert any(p.endswith("/tileset.json") for p in served), served
        assert any("/tiles/" in p and p.endswith(".glb") for p in served), served
        close = visit.screenshot(tmp_path / "store_3dtiles_close.png", "#maquette-globe canvas")
        assert variance(close) > 100, "the close view is blank"
        assert not visit.failed, f"missing: {visit.failed}"
        visit.assert_offline()
        assert not visit.console_errors, visit.console_errors
        print(
            f"\nstore: {stats['buildings']} buildings, ready in {seconds:.1f} s, {len(served)} files served"
        )
    print(f"screenshots: {tmp_path / 'store_3dtiles.png'}, {tmp_path / 'store_3dtiles_close.png'}")
