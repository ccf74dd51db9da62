"""Buildings from BD TOPO: height from ``hauteur``, else storeys, else roof − ground altitudes (v3
lower-case and v2/v3 upper-case names), each choice counted; −1000 ("unknown") is no altitude;
``area`` reads only the buildings that meet it."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Polygon, box

from layers.buildings.heights import resolve_heights
from layers.buildings.layer import BuildingsLayer
from layers.core.area import Area

X0, Y0 = 351_000.0, 6_789_000.0


def _v3(upper: bool = False) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {
            "cleabs": [f"BATIMENT{i}" for i in range(5)],
            "hauteur": [12.0, None, None, None, None],
            "nombre_d_etages": [None, 4, None, None, None],
            "altitude_minimale_sol": [30.0, 30.0, 30.0, -1000.0, None],
            "altitude_maximale_toit": [44.0, 45.0, 37.5, 40.0, None],
        },
        geometry=[box(X0 + 40 * i, Y0, X0 + 40 * i + 20, Y0 + 20) for i in range(5)],
        crs="EPSG:2154",
    )
    if upper:
        frame = frame.rename(
            columns={
                "cleabs": "ID",
                "hauteur": "HAUTEUR",
                "nombre_d_etages": "NB_ETAGES",
                "altitude_minimale_sol": "Z_MIN_SOL",
                "altitude_maximale_toit": "Z_MAX_TOIT",
            }
        )
    return frame


@pytest.mark.parametrize("upper", [False, True])
def test_each_choice_counted(tmp_path, upper):
    path = tmp_path / "batiment.gpkg"
    _v3(upper).to_file(path)
    layer = BuildingsLayer.load(path)
    assert layer.height_m.tolist() == [12.0, 12.0, 7.5, 9.0, 9.0]
    sources = layer.describe()["height_sources"]
    if upper:
        assert sources == {"default 9 m": 2, "HAUTEUR": 1, "NB_ETAGES × 3 m": 1, "Z_MAX_TOIT − Z_MIN_SOL": 1}
    else:
        assert sources == {
            "default 9 m": 2,
            "hauteur": 1,
            "nombre_d_etages × 3 m": 1,
            "altitude_maximale_toit − altitude_minimale_sol": 1,
        }
    assert sum(sources.values()) == layer.stats["features"]


def test_unknown_altitude_is_no_1000_m_building():
    """Roof 40 m over a ground of −1000 ("unknown") is not a 1040 m (nor a 1000 m) building."""
    heights = resolve_heights(_v3().iloc[[3]])
    assert heights.defaulted.all() and heights.height_m[0] == 9.0


def test_footprints_at_minus_1000_are_not_buried(tmp_path):
    """Redon's BATIMENT has outlines whose Z is −1000: no ground 1000 m down for them."""
    ring = [(X0, Y0, -1000.0), (X0 + 20, Y0, -1000.0), (X0 + 20, Y0 + 20, -1000.0), (X0, Y0 + 20, -1000.0)]
    good = [(x + 50, y, 31.0) for x, y, _ in ring]
    frame = gpd.GeoDataFrame(
        {"hauteur": [6.0, 6.0]}, geometry=[Polygon(ring), Polygon(good)], crs="EPSG:2154"
    )
    path = tmp_path / "bati.gpkg"
    frame.to_file(path)
    layer = BuildingsLayer.load(path)
    assert np.isnan(layer.footprint_z[0]) and layer.footprint_z[1] == 31.0
    assert np.isnan(layer.ground_m[0]) and layer.ground_m[1] == 25.0


def test_area_reads_only_the_buildings_that_meet_it(tmp_path):
    path = tmp_path / "batiment.gpkg"
    _v3().to_file(path, layer="batiment")
    area = Area.from_bbox((X0 - 5, Y0 - 5, X0 + 65, Y0 + 25), "EPSG:2154")
    layer = BuildingsLayer.load(path, layer="batiment", area=area)
    assert layer.feature_count() == 2 and layer.stats["outside_area"] == 3
    assert layer.describe()["outside_area"] == 3


def test_redon_buildings_without_attributes(shared_data):
    layer = BuildingsLayer.load(shared_data / "bdtopo/redon_v3_35236/BATIMENT.shp")
    assert layer.stats["height_sources"] == {"default 9 m": 6342}
    assert np.nanmin(layer.footprint_z) > -100  # the 505 outlines at −1000 have no altitude
    assert np.isnan(layer.footprint_z).sum() >= 505
