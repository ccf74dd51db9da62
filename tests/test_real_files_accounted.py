"""Every real file of issue 18 opens with nothing silently dropped: for each layer, the features
(or pixels) read = shown + dropped with a reason. The files are those of ``../shared/data``."""

from __future__ import annotations

import pytest

from layers.core.base import HasStats
from layers.session.opening import open_paths

FILES = [
    "bdtopo/redon_v3_35236/BATIMENT.shp",  # as delivered: its .dbf is missing
    "bdtopo/redon_v3_35236/TRONCON_DE_ROUTE.shp",  # the same
    "bdtopo/redon_v3_35236/TRONCON_DE_VOIE_FERREE.shp",
    "bdtopo/redon_v3_35236/SURFACE_HYDROGRAPHIQUE.shp",
    "bdtopo/redon_v3_35236/PLAN_D_EAU.shp",
    "bdtopo/redon_v3_35236/RESERVOIR.shp",
    "bdtopo/redon_v3_35236/ZONE_DE_VEGETATION.shp",
    "bdtopo/redon_v3_35236/HAIE.shp",
    "bdtopo/redon_v3_35236/TERRAIN_DE_SPORT.shp",
    "bdtopo/redon_v3_35236/CIMETIERE.shp",
    "bdtopo/redon_v3_35236/CONSTRUCTION_SURFACIQUE.shp",
    "bdtopo/redon_v3_35236/EQUIPEMENT_DE_TRANSPORT.shp",
    "bdtopo/redon_v3_35236/ZONE_D_ACTIVITE_OU_D_INTERET.shp",
    "bdtopo/redon_v3_35236/COMMUNE.shp",
    "lidar_hd/montpellier_0770_6277/DHM_test_data_77055_627760_LA93_IGN69_50CM.tif",
    "trees/montpellier_alignment/VilleMTP_MTP_ArbresAlign.shp",
    "trees/paris_remarquables/arbres.json",
    "opendatasoft/lille_geo_quartier.csv",
    "opendatasoft/festivals-du-finistere.geojson",
    "osm/monaco-latest.osm.pbf",
    "noise/bordeaux_agglo_end_2022/NoiseContours_railwaysInAgglomeration_Lden.shp",
    "noise/bordeaux_agglo_end_2022/route_depassement_de_seuil_Lnight.shp",
    "noise/gironde_infra_cbs_2022/N_BRUIT_ZBRD_INFRA_R_C_LD_S_033.shp",
]

#: rasters read whole: every pixel is on the grid (nodata shown as a hole, the picture as it is)
RASTERS = [
    "lidar_hd/montpellier_0770_6277/DTM_test_data_77055_627760_LA93_IGN69_50CM.tif",
    "lidar_hd/montpellier_0770_6277/DSM_test_data_77055_627760_LA93_IGN69_50CM.tif",
    "lidar_hd/montpellier_0770_6277/ortho_rgb_20cm.tif",
    "lidar_hd/montpellier_0770_6277/ortho_irc_20cm.tif",
    "lidar_hd/brittany_mns_5m",
    "basemap/france-35.mbtiles",
    "basemap/france-6.mbtiles",
]


@pytest.mark.parametrize("name", FILES)
def test_features_in_are_shown_or_dropped_with_a_reason(shared_data, name: str) -> None:
    path = shared_data / name
    session = open_paths([path])
    assert session.scene.layers, f"{name} opened no layer"
    for layer in session.scene.layers:
        assert isinstance(layer, HasStats), f"{name}: {layer.kind} layers do not account for what they read"
        stats = layer.stats
        dropped = stats.get("dropped_reasons") or {}
        assert sum(dropped.values()) == stats.get("dropped", sum(dropped.values()))
        assert stats["features_in"] == layer.feature_count() + sum(dropped.values()), (
            name,
            layer.name,
            stats,
        )
        assert all(reason and count > 0 for reason, count in dropped.items())


@pytest.mark.parametrize("name", RASTERS)
def test_rasters_and_tiles_open_whole(shared_data, name: str) -> None:
    path = shared_data / name
    paths = sorted(path.glob("*.tif")) if path.is_dir() else [path]
    session = open_paths(paths)
    assert len(session.scene.layers) == 1  # tiles of one product: one layer
    assert session.scene.layers[0].feature_count() > 0
