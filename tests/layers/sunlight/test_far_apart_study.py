"""A sunlight study of a scene holding two places far apart covers the ground looked at, or is refused."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pytest
from shapely.geometry import box

from layers.buildings.layer import BuildingsLayer
from layers.core.errors import InputError
from layers.core.scene import Scene
from layers.sunlight.study import describe, run_study


def city(tmp_path, name: str, x: float, y: float) -> BuildingsLayer:
    blocks = [
        box(x + i * 60, y + j * 60, x + i * 60 + 40, y + j * 60 + 40) for i in range(4) for j in range(4)
    ]
    frame = gpd.GeoDataFrame({"hauteur": [15.0] * len(blocks)}, geometry=blocks, crs=2154)
    frame.to_file(tmp_path / name, driver="GeoJSON")
    return BuildingsLayer.load(tmp_path / name, height_field="hauteur")


@pytest.fixture
def two_cities(tmp_path):
    scene = Scene()
    scene.add(city(tmp_path, "rennes.geojson", 351_500.0, 6_789_000.0))
    scene.add(city(tmp_path, "lyon.geojson", 841_500.0, 6_519_000.0))
    return scene


def test_without_the_area_looked_at_the_study_is_refused(two_cities, tmp_path):
    with pytest.raises(InputError, match=r"spread over 490 km × 270 km"):
        run_study(two_cities, date(2025, 6, 21), tmp_path / "out", step_min=60)


def test_the_study_covers_the_buildings_looked_at(two_cities, tmp_path):
    area = (351_000.0, 6_788_500.0, 352_500.0, 6_790_000.0)
    result = run_study(two_cities, date(2025, 6, 21), tmp_path / "out", step_min=60, area=area)
    grid = result.layers[0].require_grid()
    assert grid.values.size <= 4_000_000
    x0, y0, x1, y1 = grid.bounds()
    assert 351_400 < x0 and x1 < 351_800 and 6_788_900 < y0 and y1 < 6_789_300  # Rennes' blocks only
    assert result.figures["area"] == "view" and "sol regardé" in describe(result.figures)
    assert "ground looked at" in describe(result.figures, "en")
    assert result.layers[0].name == "Ensoleillement le 21 juin"
    with pytest.raises(InputError, match="no buildings in view"):
        run_study(two_cities, date(2025, 6, 21), tmp_path / "out", step_min=60, area=(0.0, 0.0, 10.0, 10.0))


def test_names_and_files_follow_the_language_when_made(two_cities, tmp_path):
    """English layer and file names in an English interface; the date written the English way."""
    area = (351_000.0, 6_788_500.0, 352_500.0, 6_790_000.0)
    result = run_study(
        two_cities, date(2025, 7, 1), tmp_path / "sunlight", step_min=60, area=area, language="en"
    )
    assert result.layers[0].name == "Sunlight on 1 July"
    assert [path.name for path in result.files] == ["sunlight_2025-07-01.tif"]
    assert describe(result.figures, "en").startswith("On 1 July 2025, the ground gets ")
    assert describe(result.figures, "fr").startswith("Le 01/07/2025, le sol reçoit ")


def test_results_are_proposed_beside_the_project_never_in_a_hidden_folder(tmp_path, monkeypatch):
    from layers.session.opening import sample_project_path
    from layers.session.project import Project
    from layers.sunlight.study import default_results_folder

    saved = Project()
    saved.path = tmp_path / "quartier" / "projet.maquette.json"
    saved.path.parent.mkdir()
    assert default_results_folder(saved) == tmp_path / "quartier" / "ensoleillement"
    assert default_results_folder(saved, "en") == tmp_path / "quartier" / "sunlight"
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Documents"))
    sample = Project()
    sample.path = sample_project_path()  # not written into: it may be installed read-only
    for project in (sample, Project(), None):
        folder = default_results_folder(project)
        assert folder == tmp_path / "Documents" / "Maquette" / "ensoleillement"
    monkeypatch.delenv("XDG_DOCUMENTS_DIR")
    assert not any(part.startswith(".") for part in default_results_folder(None).parts)
