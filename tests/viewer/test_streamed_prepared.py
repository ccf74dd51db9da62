"""A store written by ``maquette prepare`` (on Dask, from several files) opens in the streamed view:
every kept building is counted, both levels read and mesh, and the command line draws it."""

from __future__ import annotations

import json

import numpy as np

from desktop.cli import main
from layers.core.reading import open_layer
from layers.store.reader import open_store
from layers.streamed.layer import StreamedBuildingsLayer
from tests.layers.store.conftest import dataset, prepared  # noqa: F401 - the session's prepared store


def test_the_prepared_store_opens_as_a_streamed_layer(prepared):  # noqa: F811
    layer = open_layer(prepared)
    assert isinstance(layer, StreamedBuildingsLayer)
    meta = json.loads((prepared / "store.json").read_text(encoding="utf-8"))
    kept = sum(source["kept"] for source in meta["sources"])
    assert layer.feature_count() == meta["count"] == kept
    assert layer.store.reads == {}  # opening read the index only
    store = open_store(prepared)
    for level in (0, 1):
        tiles = store.tiles(level)
        assert len(tiles), f"no tiles at level {level}"
        first = int(tiles["tile"].iloc[0])
        loaded = layer.load_tile((level, first))
        assert len(loaded.height_m) == int(tiles["count"].iloc[0])
        assert len(loaded.mesh.triangles) > 0 and np.isfinite(loaded.height_m).all()
    assert int(store.tiles(0)["count"].sum()) == kept  # every kept building in exactly one tile


def test_the_command_line_draws_the_prepared_store(prepared, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "region.png"
    assert main(["render", str(prepared), "-o", str(out), "--size", "600x400", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["layers"][0]["kind"] == "streamed", stats["layers"]
    from PIL import Image

    image = np.asarray(Image.open(out).convert("RGB")).astype(int)
    # walls are far darker than the ground and the sky; the dataset's buildings are small and sparse
    # (a few thousand over 5 km), so they cover little of the picture but must be there in each file
    dark = image.sum(axis=2) < 450
    assert dark.mean() > 0.003, f"only {dark.mean():.2%} of the picture is building"
    columns = np.flatnonzero(dark.any(axis=0))
    assert columns.max() - columns.min() > 300  # spread across the region, not one corner
