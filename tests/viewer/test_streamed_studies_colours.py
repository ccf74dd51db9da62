"""Streamed buildings coloured by usage and filtered, as the buildings kind does: the same palette,
a legend from the whole store that loading more tiles never changes, filtered-out buildings not
drawn and not picked (or greyed), tiles loaded later filtered too."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pyproj import CRS

from layers.core.reading import open_layer
from layers.core.scene import Scene
from layers.session.views import CameraView
from layers.streamed.layer import StreamedBuildingsLayer
from tests.layers.streamed.store_writer import synthetic_footprints, write_store
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.visuals.buildings import category_lut
from viewer.visuals.streamed import StreamedVisual

L93 = CRS.from_epsg(2154)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_store(tmp_path_factory.mktemp("stores") / "region", synthetic_footprints(6, 4, 300))


def _view(store: Path, style: dict):
    layer = open_layer(store, style=style)
    assert isinstance(layer, StreamedBuildingsLayer)
    scene = Scene(L93)
    scene.add(layer)
    plotter = make_plotter((400, 300))
    view = SceneView(plotter, scene, auto_render=False)
    visual = view.visuals[id(layer)]
    assert isinstance(visual, StreamedVisual)
    return layer, plotter, view, visual


def _look(view: SceneView, x: float, y: float, height: float) -> None:
    view.go_to(CameraView("v", (x, y - height, height), (x, y, 0.0), (0.0, 0.0, 1.0), 30.0))
    view.plotter.ren_win.Render()


def _labels(visual: StreamedVisual) -> list[str]:
    lut = visual.lut
    assert lut is not None
    return [str(lut.GetAnnotation(i)) for i in range(lut.GetNumberOfAnnotatedValues())]


def test_colour_by_usage_uses_the_buildings_palette_over_the_whole_store(store):
    layer, plotter, view, visual = _view(store, {"color_by": "usage"})
    _look(view, 650_250.0, 6_860_250.0, 400.0)
    counts = layer.usage_counts()
    names = np.array(list(counts), dtype=object)
    everywhere = np.array(list(counts.values()))
    _, reference = category_lut(names, everywhere, everywhere)
    legend = visual.legends()
    assert len(legend) == 1 and legend[0].categorical
    first = _labels(visual)
    assert first == [f"{name} ({n})" for name, n in counts.items()]  # the store's counts
    assert visual.lut is not None
    for i in range(len(counts)):
        assert visual.lut.GetTableValue(i) == reference.GetTableValue(i)
    # each building's cells carry its usage's entry (none: NaN)
    entry = {name: i for i, name in enumerate(counts)}
    for key, (actor, owner, _) in visual.tile_actors.items():
        tile = layer.memory.get(key)
        assert tile is not None
        values = np.asarray(actor.GetMapper().GetInput().GetCellData().GetArray("value"))
        expected = np.array([entry.get(u, np.nan) if u else np.nan for u in tile.usage[owner]], np.float32)
        assert np.array_equal(values, expected, equal_nan=True)
    # flying elsewhere loads other tiles: the legend stays the same
    _look(view, 652_500.0, 6_861_500.0, 500.0)
    assert _labels(visual) == first
    view.close()
    plotter.close()


def test_filtered_out_buildings_are_not_drawn_nor_picked_in_every_tile(store):
    spec = {"filter": {"field": "usage", "categories": ["Industriel"]}, "color_by": "height_m"}
    layer, plotter, view, visual = _view(store, spec)
    _look(view, 650_250.0, 6_860_250.0, 400.0)
    assert visual.tile_actors

    def check() -> None:
        for key, (actor, owner, _) in visual.tile_actors.items():
            tile = layer.memory.get(key)
            assert tile is not None and len(owner)
            assert set(tile.usage[np.unique(owner)]) == {"Industriel"}
            kept = np.isin(tile.mesh.owner, np.flatnonzero(tile.usage == "Industriel"))
            assert actor.GetMapper().GetInput().GetNumberOfCells() == kept.sum()
        assert not visual.grey_actors

    check()
    picks = [view.pick(x, y) for x in range(100, 300, 8) for y in range(80, 220, 8)]
    picked = [p.attributes() for p in picks if p is not None and p.layer is layer]
    assert picked and {a["usage"] for a in picked} == {"Industriel"}
    # tiles read later are filtered too
    before = set(visual.tile_actors)
    _look(view, 652_500.0, 6_861_500.0, 500.0)
    assert set(visual.tile_actors) - before
    check()
    # grey: the others drawn greyed in actors the picker skips
    layer.update_style(filter={"field": "usage", "categories": ["Industriel"], "mode": "grey"})
    plotter.ren_win.Render()
    assert visual.grey_actors and set(visual.grey_actors) <= set(visual.tile_actors)
    assert all(not a.GetPickable() and a.GetVisibility() for a in visual.grey_actors.values())
    view.close()
    plotter.close()
