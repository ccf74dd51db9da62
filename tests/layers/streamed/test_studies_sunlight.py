"""The window's sunlight study on a store: the buildings around the ground looked at are read from
the store, whatever the view loaded, and give the hours the same buildings as a file give."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import shapely

from layers.buildings.layer import BuildingsLayer
from layers.core.reading import open_layer
from layers.core.scene import Scene
from layers.streamed.layer import StreamedBuildingsLayer
from layers.sunlight.study import run_study
from tests.layers.streamed.store_writer import synthetic_footprints

AREA = (650_600.0, 6_860_600.0, 650_800.0, 6_860_800.0)
DAY = date(2025, 6, 21)


def test_the_study_of_a_store_reads_the_area_from_the_store(small_store, tmp_path):
    layer = open_layer(small_store)
    assert isinstance(layer, StreamedBuildingsLayer)
    scene = Scene()
    scene.add(layer)
    result = run_study(scene, DAY, tmp_path / "store", step_min=60, resolution_m=4.0, area=AREA)
    assert layer.memory.loaded_count() == 0  # nothing loaded by a view: the store was read
    hours = result.layers[0].require_grid()
    x0, y0, x1, y1 = hours.bounds()
    assert abs(x0 - AREA[0]) <= 8 and abs(x1 - AREA[2]) <= 8 and abs(y0 - AREA[1]) <= 8  # the area looked at
    # the same buildings opened as a file: the same hours on the same pixels
    rows = synthetic_footprints(6, 4, 300)
    frame = gpd.GeoDataFrame(
        {"hauteur": rows["height_m"].astype(float)},
        geometry=shapely.box(rows["xmin"], rows["ymin"], rows["xmax"], rows["ymax"]),
        crs=2154,
    )
    frame.to_file(tmp_path / "city.gpkg")
    file_scene = Scene()
    file_scene.add(BuildingsLayer.load(tmp_path / "city.gpkg", height_field="hauteur"))
    reference = run_study(file_scene, DAY, tmp_path / "file", step_min=60, resolution_m=4.0, area=AREA)
    ref = reference.layers[0].require_grid()
    # the file's study covers its buildings' extent: compare on the store study's pixels
    col = int(round((x0 - ref.bounds()[0]) / 4.0))
    row = int(round((ref.bounds()[3] - y1) / 4.0))
    mine = hours.values
    theirs = ref.values[row : row + mine.shape[0], col : col + mine.shape[1]]
    assert theirs.shape == mine.shape
    both = np.isfinite(mine) & np.isfinite(theirs)
    assert both.mean() > 0.5
    assert (
        np.abs(mine[both] - theirs[both]).mean() < 0.05
    )  # hours: shadows from beyond the reach of a 5° sun left out
