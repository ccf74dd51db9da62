"""A variant as files: footprints with heights (GeoJSON, GeoPackage, WGS84), its figures as CSV."""

import csv
import io
import json
from datetime import date

import geopandas as gpd
import numpy as np
import pytest
from pyproj import CRS

from layers.core.errors import InputError
from layers.plan import edits
from layers.plan.export import figures_csv, write_figures_csv, write_variant
from layers.plan.figures import PlanFigures
from layers.plan.model import Plan
from layers.plan.study import plain_figures, study_day

L93 = CRS.from_epsg(2154)
BOX = [(351_000.0, 6_789_000.0), (351_020.0, 6_789_000.0), (351_020.0, 6_789_012.0), (351_000.0, 6_789_012.0)]
DAY = date(2026, 6, 21)


def two_variants() -> Plan:
    """A: a 20 × 12 m block of 8 storeys with a gable roof and a 10 × 10 m one of 3; B: the block at 6."""
    plan, block = edits.add_building(Plan(crs="EPSG:2154"), BOX)
    plan = edits.set_storeys(plan, block, 8)
    plan = edits.set_roof(plan, block, "gable", 30.0)
    plan, small = edits.add_building(
        plan, [(351_040.0, 6_789_000.0), (351_050, 6_789_000), (351_050, 6_789_010)]
    )
    plan = edits.add_variant(plan, "B", copy_of=0)
    return edits.set_storeys(plan, block, 6)


def test_geopackage_and_geojson_hold_the_heights_in_the_scene_crs(tmp_path):
    plan = two_variants()
    a = plan.variants[0]
    for name in ("a.gpkg", "a.geojson"):
        path = write_variant(a, L93, tmp_path / name)
        frame = gpd.read_file(path)
        assert len(frame) == 2
        assert frame.crs is not None and frame.crs.to_epsg() == 2154
        assert list(frame["height_m"]) == [24.0, 9.0]
        assert list(frame["storeys"]) == [8, 3]
        assert list(frame["roof"]) == ["gable", "flat"]
        assert frame["floor_area_m2"].iloc[0] == pytest.approx(20 * 12 * 8)
        assert frame.geometry.iloc[0].area == pytest.approx(240.0)
        assert set(frame["variant"]) == {"A"}
    assert not list(tmp_path.glob(".*tmp*")), "no temporary file left"


def test_geojson_in_wgs84_follows_rfc_7946(tmp_path):
    path = write_variant(two_variants().variants[1], L93, tmp_path / "b.geojson", wgs84=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in data  # RFC 7946: longitude / latitude WGS84, no crs member
    lon, lat = data["features"][0]["geometry"]["coordinates"][0][0]
    assert -5 < lon < 0 and 47 < lat < 49  # Rennes
    frame = gpd.read_file(path)
    assert frame.crs.to_epsg() == 4326 and list(frame["storeys"]) == [6, 3]


def test_bad_requests_are_refused_in_words(tmp_path):
    variant = two_variants().variant
    with pytest.raises(InputError, match="GeoJSON"):
        write_variant(variant, L93, tmp_path / "a.shp")
    with pytest.raises(InputError, match="coordinate reference system"):
        write_variant(variant, None, tmp_path / "a.gpkg")
    with pytest.raises(InputError, match="RFC 7946"):
        write_variant(variant, L93, tmp_path / "a.gpkg", wgs84=True)
    with pytest.raises(InputError, match="no building"):
        write_variant(Plan().variant, L93, tmp_path / "a.gpkg")
    with pytest.raises(InputError, match="CSV"):
        write_figures_csv([plain_figures(variant, DAY)], tmp_path / "a.txt")


def test_figures_csv_one_column_per_variant(tmp_path):
    plan = two_variants()
    figures = [plain_figures(v, DAY) for v in plan.variants]
    path = write_figures_csv(figures, tmp_path / "figures.csv", language="fr")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0] == ["figure", "label", "unit", "A", "B"]
    by_key = {row[0]: row for row in rows[1:]}
    assert by_key["floor_area_m2"][1] == "Surface de plancher"
    assert float(by_key["floor_area_m2"][3]) == pytest.approx(20 * 12 * 8 + 50 * 3)
    assert float(by_key["floor_area_m2"][4]) == pytest.approx(20 * 12 * 6 + 50 * 3)
    assert by_key["storeys_max"][3:] == ["8", "6"]
    assert by_key["day"][3:] == ["2026-06-21", "2026-06-21"]


def test_sun_losses_and_noise_get_their_rows_where_computed():
    base = plain_figures(two_variants().variant, DAY)
    figures = PlanFigures(
        **{**base.__dict__, "ground_loss_m2": {1: 1234.5, 2: 456.0}, "facade_loss_m2": {1: 78.4, 2: 0.0}}
    )
    rows = {row[0]: row for row in csv.reader(io.StringIO(figures_csv([figures])))}
    assert rows["ground_loss_1h_m2"][1:] == ["Ground losing ≥ 1 h of sun", "m²", "1234.5"]
    assert rows["facade_loss_1h_m2"][3] == "78.4" and rows["facade_loss_2h_m2"][3] == "0"
    assert rows["neighbours"][3] == "0"
    assert "noise_max_db" not in rows


def test_study_day_the_plans_else_the_clocks_else_the_solstice():
    from datetime import datetime

    assert study_day(Plan(day=date(2026, 3, 20)), datetime(2026, 7, 1, 12)) == date(2026, 3, 20)
    assert study_day(Plan(), datetime(2026, 7, 1, 12)) == date(2026, 7, 1)
    assert study_day(None, None, today=date(2027, 1, 5)) == date(2027, 6, 21)
    assert np.isclose(plain_figures(Plan().variant, DAY).floor_area_m2, 0.0)


def test_the_caption_names_the_variant_and_its_main_figures():
    from layers.plan.export import caption_text

    base = plain_figures(two_variants().variant, DAY)
    assert caption_text(base, "fr") == (
        "Variante B — Surface de plancher : 1\u202f590 m² · Hauteur : 18,0 m · Niveaux : 6"
    )
    figures = PlanFigures(**{**base.__dict__, "ground_loss_m2": {1: 1234.5, 2: 456.0}})
    assert caption_text(figures, "en").splitlines() == [
        "Variant B — Floor area: 1,590 m² · Height: 18.0 m · Storeys: 6",
        "Ground losing ≥ 2 h of sun: 456 m² · Neighbours losing sun: 0",
    ]
