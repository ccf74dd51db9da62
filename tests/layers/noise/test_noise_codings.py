"""Every French / European noise band coding in one parser; unknown codes left out, named, never
guessed; every zone of the real maps accounted for."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from layers.core.palettes import NOISE_PALETTE_NAME
from layers.noise.bands import parse_band
from layers.noise.layer import NoiseLayer


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        # END reporting (Reportnet) codes
        ("Lden5559", (55.0, 60.0)),
        ("Lden5559_", (55.0, 60.0)),
        ("LdenGreaterThan75", (75.0, None)),
        ("Lnight5054", (50.0, 55.0)),
        ("LnightGreaterThan70", (70.0, None)),
        # interval strings
        ("[62,66]", (62.0, 67.0)),
        ("]55;60]", (55.0, 60.0)),
        (">=72", (72.0, None)),
        ("> 75", (75.0, None)),
        ("55-59", (55.0, 60.0)),
        ("55 - 60 dB(A)", (55.0, 60.0)),
        ("de 55 à 60", (55.0, 60.0)),
        ("plus de 75", (75.0, None)),
    ],
)
def test_every_published_coding(label: str, expected: tuple[float | None, float | None]) -> None:
    assert parse_band(label) == expected


@pytest.mark.parametrize(
    ("code", "map_type", "indicator", "expected"),
    [
        (55, "A", "Lden", (55.0, 60.0)),
        (75, "A", "Lden", (75.0, None)),
        (50, "A", "Ln", (50.0, 55.0)),
        (70, "A", "Ln", (70.0, None)),
        (68, "C", "Lden", (68.0, None)),  # roads
        (62, "C", "Ln", (62.0, None)),
        (73, "C", "Lden", (73.0, None)),  # conventional rail
        (65, "C", "Ln", (65.0, None)),
        (68, None, None, (68.0, None)),  # a limit value: type C without being told
    ],
)
def test_cnig_codes_by_map_type(code, map_type, indicator, expected) -> None:
    assert parse_band(code, map_type=map_type, indicator=indicator) == expected


@pytest.mark.parametrize(
    ("code", "map_type", "indicator"),
    [
        (57, "A", "Lden"),
        (50, "A", "Lden"),
        (70, "C", "Lden"),
        (68, "C", "Ln"),
        (80, None, None),
        ("57", None, None),
    ],
)
def test_unknown_cnig_codes_are_not_guessed(code, map_type, indicator) -> None:
    with pytest.raises(ValueError, match=str(code)):
        parse_band(code, map_type=map_type, indicator=indicator)


def _zones(tmp_path: Path, name: str, **columns: list) -> Path:
    count = len(next(iter(columns.values())))
    squares = [shapely.box(i * 100.0, 0.0, i * 100.0 + 90.0, 90.0) for i in range(count)]
    frame = gpd.GeoDataFrame(columns, geometry=squares, crs="EPSG:2154")
    path = tmp_path / name
    frame.to_file(path, driver="GeoJSON")
    return path


def test_unknown_codes_dropped_with_their_value(tmp_path: Path) -> None:
    path = _zones(
        tmp_path, "carte_bruit.geojson", CODE=[55, 60, 57, 65, 57], TYPE=["A"] * 5, INDICETYPE=["LD"] * 5
    )
    layer = NoiseLayer.load(path)
    assert layer.map_type == "A" and layer.band_field == "CODE"
    assert sorted(layer.bands["db_low"]) == [55.0, 60.0, 65.0]
    assert layer.stats["dropped_reasons"] == {"band not understood: '57'": 2}
    assert layer.stats["features_in"] == 5 == len(layer.bands) + layer.stats["dropped"]
    assert any("'57'" in w for w in layer.warnings)


def test_type_c_map_from_its_type_field(tmp_path: Path) -> None:
    path = _zones(tmp_path, "zones.geojson", LEGENDE=[65, 65], TYPE=["C", "C"], INDICETYPE=["LN", "LN"])
    layer = NoiseLayer.load(path)
    assert layer.map_type == "C" and layer.indicator == "Ln"
    assert [label for label, _ in layer.legend()] == ["> 65 dB(A)"]  # rail Ln limit, not the 65-70 zone


def test_cbstype_wins_over_the_code_alone(tmp_path: Path) -> None:
    path = _zones(tmp_path, "a.geojson", LEGENDE=[55, 60, 65, 70], CBSTYPE=["A"] * 4, INDICETYPE=["LN"] * 4)
    layer = NoiseLayer.load(path)
    assert [label for label, _ in layer.legend()] == [
        "55-60 dB(A)",
        "60-65 dB(A)",
        "65-70 dB(A)",
        "> 70 dB(A)",
    ]


BORDEAUX = "noise/bordeaux_agglo_end_2022/"
GIRONDE = "noise/gironde_infra_cbs_2022/"


@pytest.mark.parametrize(
    ("name", "band_count"),
    [
        (BORDEAUX + "NoiseContours_airportsInAgglomeration_Lden.shp", 5),
        (BORDEAUX + "NoiseContours_airportsInAgglomeration_Lnight.shp", 5),
        (BORDEAUX + "NoiseContours_industryInAgglomeration_Lden.shp", 5),
        (BORDEAUX + "NoiseContours_industryInAgglomeration_Lnight.shp", 4),
        (BORDEAUX + "NoiseContours_railwaysInAgglomeration_Lden.shp", 5),
        (BORDEAUX + "NoiseContours_railwaysInAgglomeration_Lnight.shp", 5),
        (BORDEAUX + "route_depassement_de_seuil_Lnight.shp", 3),
        (GIRONDE + "N_BRUIT_ZBRD_INFRA_R_C_LD_S_033.shp", 1),
        (GIRONDE + "N_BRUIT_ZBRD_INFRA_R_C_LN_S_033.shp", 1),
        (GIRONDE + "N_BRUIT_ZBRD_INFRA_F_C_LD_S_033.shp", 1),
        (GIRONDE + "N_BRUIT_ZBRD_INFRA_F_C_LN_S_033.shp", 1),
    ],
)
def test_every_zone_of_the_real_maps_accounted_for(shared_data: Path, name: str, band_count: int) -> None:
    layer = NoiseLayer.load(shared_data / name)
    info = layer.describe()
    assert info["palette"] == NOISE_PALETTE_NAME == "NF S 31-130"
    assert len(info["bands"]) == band_count
    assert layer.stats["features_in"] == len(layer.bands) + layer.stats["dropped"]
    assert layer.stats["dropped"] == 0


def test_an_area_reads_only_its_zones(shared_data: Path) -> None:
    from layers.core.area import Area

    path = shared_data / GIRONDE / "N_BRUIT_ZBRD_INFRA_R_C_LD_S_033.shp"
    whole = NoiseLayer.load(path)
    xmin, ymin, xmax, ymax = whole.bounds()
    west = Area.from_bbox((xmin, ymin, (xmin + xmax) / 2, ymax), "EPSG:2154", name="west")
    part = NoiseLayer.load(path, area=west)
    assert 0 < len(part.bands) < len(whole.bands)
    assert part.stats["features_in"] == len(part.bands) + part.stats["dropped"]


def test_type_c_codes_by_source() -> None:
    assert parse_band(73, map_type="C", indicator="Lden", source="F") == (73.0, None)  # conventional rail
    assert parse_band(68, map_type="C", indicator="Lden", source="F") == (68.0, None)  # high-speed rail
    with pytest.raises(ValueError, match="73"):
        parse_band(73, map_type="C", indicator="Lden", source="R")  # roads: 68 only


def test_source_from_typesource_field(tmp_path: Path) -> None:
    path = _zones(
        tmp_path,
        "zones_c.geojson",
        LEGENDE=[68, 73, 68],
        CBSTYPE=["C"] * 3,
        TYPESOURCE=["R"] * 3,
        INDICETYPE=["LD"] * 3,
    )
    layer = NoiseLayer.load(path)
    assert len(layer.bands) == 2 and layer.stats["dropped_reasons"] == {"band not understood: '73'": 1}
