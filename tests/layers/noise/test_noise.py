"""Noise maps: every real file of ../shared/data/noise, synthetic rasters and isophones."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine
from pyproj import CRS

from layers.core.detect import detect_kind
from layers.core.errors import InputError
from layers.core.palettes import NOISE_BANDS
from layers.core.reading import open_layer
from layers.noise.layer import NoiseLayer

LDEN_A = ["55-60 dB(A)", "60-65 dB(A)", "65-70 dB(A)", "70-75 dB(A)", "> 75 dB(A)"]
LN_A = ["50-55 dB(A)", "55-60 dB(A)", "60-65 dB(A)", "65-70 dB(A)", "> 70 dB(A)"]
BORDEAUX = "noise/bordeaux_agglo_end_2022/"
GIRONDE = "noise/gironde_infra_cbs_2022/"

REAL_FILES = [
    # file, indicator, bands (quietest first), zones, EPSG, CNIG map type
    (BORDEAUX + "NoiseContours_airportsInAgglomeration_Lden.shp", "Lden", LDEN_A, 9, 3945, None),
    (BORDEAUX + "NoiseContours_airportsInAgglomeration_Lnight.shp", "Ln", LN_A, 12, 3945, None),
    (BORDEAUX + "NoiseContours_industryInAgglomeration_Lden.shp", "Lden", LDEN_A, 2808, 3945, None),
    (BORDEAUX + "NoiseContours_industryInAgglomeration_Lnight.shp", "Ln", LN_A[:4], 1352, 3945, None),
    (BORDEAUX + "NoiseContours_railwaysInAgglomeration_Lden.shp", "Lden", LDEN_A, 9058, 3945, None),
    (BORDEAUX + "NoiseContours_railwaysInAgglomeration_Lnight.shp", "Ln", LN_A, 6834, 3945, None),
    (
        BORDEAUX + "route_depassement_de_seuil_Lnight.shp",
        "Ln",
        ["62-67 dB(A)", "67-72 dB(A)", "> 72 dB(A)"],
        7348,
        3945,
        "C",
    ),
    (GIRONDE + "N_BRUIT_ZBRD_INFRA_R_C_LD_S_033.shp", "Lden", ["> 68 dB(A)"], 609, 2154, "C"),
    (GIRONDE + "N_BRUIT_ZBRD_INFRA_R_C_LN_S_033.shp", "Ln", ["> 62 dB(A)"], 458, 2154, "C"),
    (GIRONDE + "N_BRUIT_ZBRD_INFRA_F_C_LD_S_033.shp", "Lden", ["> 73 dB(A)"], 4, 2154, "C"),
    (GIRONDE + "N_BRUIT_ZBRD_INFRA_F_C_LN_S_033.shp", "Ln", ["> 65 dB(A)"], 4, 2154, "C"),
]


@pytest.mark.parametrize(("name", "indicator", "bands", "zones", "epsg", "map_type"), REAL_FILES)
def test_real_noise_maps(shared_data, name, indicator, bands, zones, epsg, map_type):
    path = shared_data / name
    assert detect_kind(path) == "noise"
    layer = NoiseLayer.load(path)
    assert layer.kind == "noise" and layer.grid is None
    assert layer.indicator == indicator
    assert layer.crs.to_epsg() == epsg
    assert layer.map_type == map_type
    assert layer.feature_count() == zones == len(layer.bands)
    info = layer.describe()
    json.dumps(info)
    assert info["kind"] == "noise" and info["indicator"] == indicator and info["palette"] == "NF S 31-130"
    assert [b["label"] for b in info["bands"]] == bands
    assert sum(b["features"] for b in info["bands"]) == zones
    frame = layer.bands
    assert {"db_low", "db_high", "label", "feature"} <= set(frame.columns)
    assert frame["db_low"].dtype == float and frame["db_high"].dtype == float
    assert shapely.is_valid(frame.geometry.values).all()
    # quietest first, so louder zones are drawn over quieter ones
    levels = frame["db_low"].to_numpy()
    assert (np.diff(levels) >= 0).all()
    assert [label for label, _ in layer.legend()] == bands


def test_band_limits_of_each_style(shared_data):
    agglo = NoiseLayer.load(shared_data / BORDEAUX / "NoiseContours_railwaysInAgglomeration_Lden.shp")
    rows = agglo.bands.drop_duplicates("label").set_index("label")
    assert (rows.loc["55-60 dB(A)", "db_low"], rows.loc["55-60 dB(A)", "db_high"]) == (55.0, 60.0)
    assert rows.loc["> 75 dB(A)", "db_low"] == 75.0 and np.isnan(rows.loc["> 75 dB(A)", "db_high"])
    assert set(agglo.bands.loc[agglo.bands["label"] == "55-60 dB(A)", "category"]) == {"Lden5559"}
    roads = NoiseLayer.load(shared_data / BORDEAUX / "route_depassement_de_seuil_Lnight.shp")
    assert set(roads.bands.loc[roads.bands["db_low"] == 62.0, "category"]) == {"[62,66]"}


def test_cnig_type_c_fields_and_latin1_names(shared_data):
    layer = NoiseLayer.load(shared_data / GIRONDE / "N_BRUIT_ZBRD_INFRA_R_C_LD_S_033.shp")
    assert layer.band_field == "LEGENDE" and layer.describe()["map_type"].startswith("C")
    assert (layer.bands["db_low"] == 68.0).all() and layer.bands["db_high"].isna().all()
    assert (layer.bands["INDICETYPE"] == "LD").all()
    names = set(layer.bands["CODINFRA"])
    assert "C_Mérignac" in names and not any("\ufffd" in n or "Ã" in n for n in names)
    assert any("repaired" in w for w in layer.warnings)
    # the red of NF S 31-130 for "> 68" (65-70), for every zone
    assert {tuple(c) for c in layer.band_rgba()[:, :3]} == {(0xFD, 0x00, 0x00)}
    rail = NoiseLayer.load(shared_data / GIRONDE / "N_BRUIT_ZBRD_INFRA_F_C_LN_S_033.shp")
    assert rail.bands["label"].unique().tolist() == ["> 65 dB(A)"]  # a limit value, not the 65-70 zone


def test_triangles_and_inspector(shared_data):
    layer = NoiseLayer.load(shared_data / BORDEAUX / "NoiseContours_airportsInAgglomeration_Lnight.shp")
    triangles = layer.band_triangles()
    assert triangles.triangles.shape[1] == 3 and len(triangles.owner) == len(triangles.triangles)
    assert set(np.unique(triangles.owner)) == set(range(len(layer.bands)))
    a, b, c = (triangles.points[triangles.triangles[:, i]] for i in range(3))
    area = 0.5 * ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * (b[:, 1] - a[:, 1]))
    assert (area > 0).all()
    assert area.sum() == pytest.approx(layer.bands.area.sum(), rel=1e-6)
    row = layer.attributes(0)
    assert row["label"] == "50-55 dB(A)" and row["category"] == "Lnight5054"
    assert "geometry" not in row
    json.dumps(row)
    x, y = layer.bands.geometry.iloc[-1].representative_point().coords[0]
    assert layer.attributes_at(x, y)["label"] == "> 70 dB(A)"
    assert layer.attributes_at(0.0, 0.0) == {}
    layer.reproject(CRS.from_epsg(2154))
    assert layer.crs.to_epsg() == 2154 and 300_000 < layer.bounds()[0] < 500_000
    assert layer.band_triangles().points[:, 0].min() > 300_000


def test_open_layer_routes_shapefiles_to_noise(shared_data):
    layer = open_layer(shared_data / GIRONDE / "N_BRUIT_ZBRD_INFRA_F_C_LD_S_033.shp")
    assert isinstance(layer, NoiseLayer) and layer.indicator == "Lden"


# -- synthetic files -----------------------------------------------------------------------------
X0, Y0 = 351_000.0, 6_789_000.0


def write_levels(path, *, tags=None, nodata=-99.0):
    yy, xx = np.mgrid[0:50, 0:60]
    distance = np.hypot(xx - 30, yy - 25) * 10.0 + 1.0
    levels = (80.0 - 20.0 * np.log10(distance)).astype(np.float32)  # a point source: 80 → ~30 dB(A)
    levels[:2, :] = nodata
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=60,
        height=50,
        count=1,
        dtype="float32",
        crs="EPSG:2154",
        transform=Affine(10, 0, X0, 0, -10, Y0),
        nodata=nodata,
    ) as ds:
        ds.write(levels, 1)
        if tags:
            ds.update_tags(**tags)
    return path


def test_lden_raster(tmp_path):
    path = write_levels(tmp_path / "carte_bruit_lden.tif", tags={"UNIT": "dB(A)"})
    assert detect_kind(path) == "noise"
    layer = NoiseLayer.load(path)
    assert layer.grid is not None and layer.bands is None
    assert layer.indicator == "Lden" and layer.unit == "dB(A)"
    assert np.isnan(layer.grid.values[0]).all() and layer.feature_count() == 48 * 60
    low, high = layer.value_range()
    assert 25.0 < low < high <= 80.0
    legend = layer.legend()
    assert legend[0][0] == "< 45 dB(A)" and legend[-1] == ("> 75 dB(A)", "#920167")
    assert legend == [(b.label, b.hex) for b in NOISE_BANDS if b.label in dict(legend)]
    info = layer.describe()
    json.dumps(info)
    assert info["kind"] == "noise" and info["indicator"] == "Lden" and info["unit"] == "dB(A)"
    at_source = layer.attributes_at(X0 + 305, Y0 - 255)
    assert at_source["value"] > 70.0 and at_source["indicator"] == "Lden"
    with pytest.raises(ValueError):
        layer.band_triangles()


def test_ln_raster_found_by_unit_and_tag(tmp_path):
    path = write_levels(tmp_path / "scenario_2030.tif", tags={"UNIT": "dB(A)", "INDICATOR": "Ln"})
    assert detect_kind(path) == "noise"
    assert open_layer(path).indicator == "Ln"
    neutral = write_levels(tmp_path / "levels.tif")
    layer = NoiseLayer.load(neutral)
    assert layer.indicator == "Lden" and any("Lden assumed" in w for w in layer.warnings)
    assert NoiseLayer.load(neutral, indicator="Lnight").indicator == "Ln"
    with pytest.raises(InputError, match="unknown noise indicator"):
        NoiseLayer.load(neutral, indicator="LAeq")


def test_colour_image_is_no_noise_map(shared_data):
    with pytest.raises(InputError, match="colour image.*not sound levels"):
        NoiseLayer.load(shared_data / "sensors/lyon_partdieu_no2_2012_rgb.tif")


def ring(cx, cy, r_out, r_in=None):
    outer = shapely.Point(cx, cy).buffer(r_out, 16)
    return outer if r_in is None else outer.difference(shapely.Point(cx, cy).buffer(r_in, 16))


def isophones_frame() -> gpd.GeoDataFrame:
    # concentric zones around a road crossing, as the sample city's generator writes them
    bands = [(55, 60, 200, 150), (60, 65, 150, 100), (65, 70, 100, 50), (70, None, 50, None)]
    return gpd.GeoDataFrame(
        {
            "lden_min": [b[0] for b in bands],
            "lden_max": [np.nan if b[1] is None else b[1] for b in bands],
            "indicateur": ["Lden"] * 4,
            "legende": ["55 à 60 dB(A)", "60 à 65 dB(A)", "65 à 70 dB(A)", "plus de 70 dB(A)"],
        },
        geometry=[ring(X0, Y0, b[2], b[3]) for b in bands],
        crs="EPSG:2154",
    )


def test_isophones_with_numeric_limits(tmp_path):
    path = tmp_path / "noise_lden_isophones.gpkg"
    isophones_frame().to_file(path)
    assert detect_kind(path) == "noise"
    layer = NoiseLayer.load(path)
    assert layer.band_field == "lden_min/lden_max" and layer.indicator == "Lden"
    assert layer.bands["label"].tolist() == ["55-60 dB(A)", "60-65 dB(A)", "65-70 dB(A)", "> 70 dB(A)"]
    assert layer.value_range() == (55.0, 70.0)
    assert layer.attributes_at(X0 + 10, Y0)["legende"] == "plus de 70 dB(A)"
    assert layer.attributes_at(X0 + 120, Y0)["db_low"] == 60.0
    assert not layer.warnings


def test_isophones_from_labels_only(tmp_path):
    frame = isophones_frame().drop(columns=["lden_min", "lden_max"])
    path = tmp_path / "zones.geojson"
    frame.to_file(path)
    layer = NoiseLayer.load(path)
    assert layer.band_field == "legende"
    assert layer.bands["db_high"].isna().tolist() == [False, False, False, True]


def test_invalid_and_non_polygon_features_are_repaired_or_left_out(tmp_path):
    bowtie = shapely.Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    frame = gpd.GeoDataFrame(
        {"category": ["Lden6064", "Lden5559", "Lden7074", "n/a"]},
        geometry=[bowtie, ring(X0, Y0, 300), shapely.Point(X0, Y0), ring(X0, Y0, 50)],
        crs="EPSG:2154",
    )
    path = tmp_path / "mixed.geojson"
    frame.to_file(path)
    layer = NoiseLayer.load(path)
    assert layer.feature_count() == 2
    assert shapely.is_valid(layer.bands.geometry.values).all()
    assert layer.bands.area.sum() == pytest.approx(ring(X0, Y0, 300).area + 5000.0, rel=1e-6)
    text = " ".join(layer.warnings)
    assert "1 invalid polygons repaired" in text and "not polygons" in text and "'n/a'" in text
    assert layer.bands["feature"].tolist() == [1, 0]  # file positions kept, quietest first


def test_mixed_indicators_keep_one(tmp_path):
    frame = gpd.GeoDataFrame(
        {"category": ["Lden5559", "Lden6064", "Lnight5054"]},
        geometry=[ring(X0, Y0, 300, 200), ring(X0, Y0, 200), ring(X0, Y0, 250)],
        crs="EPSG:2154",
    )
    path = tmp_path / "both.gpkg"
    frame.to_file(path)
    layer = NoiseLayer.load(path)
    assert layer.indicator == "Lden" and layer.feature_count() == 2
    assert any("indicator='Ln'" in w for w in layer.warnings)
    night = NoiseLayer.load(path, indicator="Ln")
    assert night.indicator == "Ln" and night.bands["category"].tolist() == ["Lnight5054"]
    assert night.options["indicator"] == "Ln"


def test_no_band_field_is_a_clear_error(tmp_path):
    frame = gpd.GeoDataFrame(
        {"nom": ["parc", "place"]}, geometry=[ring(X0, Y0, 10), ring(X0, Y0, 20)], crs="EPSG:2154"
    )
    path = tmp_path / "zones_bruit.gpkg"
    frame.to_file(path)
    with pytest.raises(InputError, match="no field holds noise bands") as info:
        NoiseLayer.load(path)
    assert "band_field" in str(info.value)
    with pytest.raises(InputError, match="field 'classe'.*no such field"):
        NoiseLayer.load(path, band_field="classe")
    with pytest.raises(InputError, match="field 'nom'.*no value"):
        NoiseLayer.load(path, band_field="nom")


def test_sample_city_noise(sample_city):
    raster = sample_city / "noise_lden.tif"
    isophones = sample_city / "noise_lden_isophones.gpkg"
    if not (raster.exists() and isophones.exists()):
        pytest.skip("sample city not generated yet")
    grid = open_layer(raster)
    assert isinstance(grid, NoiseLayer) and grid.indicator == "Lden" and grid.grid is not None
    bands = open_layer(isophones)
    assert isinstance(bands, NoiseLayer) and bands.indicator == "Lden"
    assert bands.band_field == "lden_min/lden_max" and bands.feature_count() > 0
    assert all(b["label"].endswith("dB(A)") for b in bands.describe()["bands"])
    # a raster reports the NF S 31-130 bands its pixels fall in
    found = grid.describe()["noise_bands"]
    assert [b["label"] for b in found][0] == "< 45 dB(A)" and found[-1]["label"] == "> 75 dB(A)"
    assert sum(b["pixels"] for b in found) == grid.feature_count()
    assert sum(b["share_pct"] for b in found) == pytest.approx(100.0, abs=0.05)
