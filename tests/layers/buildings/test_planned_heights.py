"""A planned building opened without options stands at the height its attributes give, as any
BD TOPO or OpenStreetMap building does (the sample's tower: 40 m)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from layers.session.opening import open_paths


def test_the_sample_tower_dropped_alone_is_40_m_tall(sample_city):
    session = open_paths([sample_city / "proposed_tower.geojson"], prepare=True)
    (tower,) = session.scene.layers
    assert tower.kind == "buildings" and tower.height_field == "hauteur"
    assert tower.height_m.tolist() == [40.0]
    assert float(tower.mesh().points[:, 2].max()) == pytest.approx(40.0, abs=0.01)


@pytest.mark.parametrize(
    ("columns", "height_m"),
    [
        ({"HAUTEUR": 40.0}, 40.0),  # BD TOPO v2
        ({"height": 40.0}, 40.0),  # OpenStreetMap, in metres
        ({"building:levels": 13}, 39.0),  # storeys × 3 m
        ({"nb_etages": 13}, 39.0),
        ({"z_max": 75.0, "z_min": 35.0}, 40.0),  # roof and ground altitudes
    ],
)
def test_a_planned_building_reads_its_height_like_any_building(tmp_path, columns, height_m):
    path = tmp_path / "projet.geojson"
    frame = gpd.GeoDataFrame(
        {"nom": ["Tour"], **{k: [v] for k, v in columns.items()}},
        geometry=[box(351_756.0, 6_788_942.0, 351_780.0, 6_788_960.0)],
        crs=2154,
    )
    frame.to_file(path, driver="GeoJSON")
    session = open_paths([path], prepare=True)
    (layer,) = session.scene.layers
    assert layer.height_m.tolist() == [pytest.approx(height_m)]
    assert float(layer.mesh().points[:, 2].max()) == pytest.approx(height_m, abs=0.01)
