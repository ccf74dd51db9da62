"""The area a model covers: kept in a project, moved between CRSs, and used to read only what meets it."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from layers.core.area import Area
from layers.core.errors import InputError
from layers.io.vector_file import read_vector


def test_a_box_round_trips_through_the_project_form() -> None:
    area = Area.from_bbox((316000, 6738000, 322000, 6744000), "EPSG:2154", name="Redon")
    again = Area.from_dict(area.to_dict())
    assert again.bounds == pytest.approx(area.bounds)
    assert again.name == "Redon"
    assert again.crs.to_epsg() == 2154


def test_degrees_keep_their_precision_in_the_project() -> None:
    area = Area.from_bbox((-4.61234567, 48.2, -4.0, 48.6), "EPSG:4326")
    assert Area.from_dict(area.to_dict()).bounds[0] == pytest.approx(-4.6123457, abs=1e-7)


def test_an_area_moved_to_degrees_and_back_covers_the_same_ground() -> None:
    area = Area.from_bbox((316000, 6738000, 322000, 6744000), "EPSG:2154")
    back = area.in_crs("EPSG:4326").in_crs("EPSG:2154")
    assert shapely.area(shapely.symmetric_difference(back.outline, area.outline)) < 1.0


@pytest.mark.parametrize(
    "data, field",
    [
        ("Redon", "area"),
        ({"crs": "nonsense", "outline": {"type": "Point", "coordinates": [0, 0]}}, "area.crs"),
        ({"crs": "EPSG:2154", "outline": {"type": "Point", "coordinates": [0, 0]}}, "area.outline"),
        ({"crs": "EPSG:2154", "outline": "not json geometry"}, "area.outline"),
    ],
)
def test_a_wrong_area_names_its_field(data: object, field: str) -> None:
    with pytest.raises(InputError) as caught:
        Area.from_dict(data, source="p.maquette.json")
    assert caught.value.field == field


def test_an_empty_box_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        Area.from_bbox((10, 0, 0, 10), "EPSG:2154")


def _points(tmp_path, suffix: str) -> object:
    frame = gpd.GeoDataFrame(
        {"name": [f"p{i}" for i in range(10)]},
        geometry=gpd.points_from_xy([100.0 * i for i in range(10)], [0.0] * 10),
        crs="EPSG:2154",
    )
    path = tmp_path / f"points{suffix}"
    if suffix == ".csv":
        frame.assign(x=frame.geometry.x, y=frame.geometry.y).drop(columns="geometry").to_csv(
            path, index=False
        )
    else:
        frame.to_file(path)
    return path


@pytest.mark.parametrize("suffix", [".gpkg", ".shp", ".csv"])
def test_reading_with_an_area_keeps_only_what_meets_it_and_counts_the_rest(tmp_path, suffix: str) -> None:
    path = _points(tmp_path, suffix)
    area = Area.from_bbox((250, -10, 650, 10), "EPSG:2154", name="the middle")
    data = read_vector(path, area=area, crs="EPSG:2154" if suffix == ".csv" else None)
    assert sorted(data.frame["name"]) == ["p3", "p4", "p5", "p6"]
    assert data.outside == 6
    assert not any("meet" in note for note in data.warnings)  # a part read as asked: counted, not a warning


def test_an_area_in_another_crs_is_moved_to_the_file_before_reading(tmp_path) -> None:
    path = _points(tmp_path, ".gpkg")
    area = Area.from_bbox((250, -10, 650, 10), "EPSG:2154").in_crs("EPSG:4326")
    assert sorted(read_vector(path, area=area).frame["name"]) == ["p3", "p4", "p5", "p6"]


def test_a_file_with_nothing_in_the_area_says_so(tmp_path) -> None:
    path = _points(tmp_path, ".gpkg")
    with pytest.raises(InputError, match="none of its features meets Nowhere"):
        read_vector(path, area=Area.from_bbox((5000, 5000, 6000, 6000), "EPSG:2154", name="Nowhere"))
