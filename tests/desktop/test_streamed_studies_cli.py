"""``maquette shade STORE``: the buildings that can shade the area read from the store, the same
shadows as the same buildings opened as a file; a bad or too big area is one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from desktop.cli import main
from layers.streamed import studies
from tests.layers.streamed.store_writer import synthetic_footprints, write_store

AT = "2025-06-21T16:00"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same 2 400 buildings as a store and as a GeoPackage."""
    rows = synthetic_footprints(4, 3, 200)
    folder = tmp_path_factory.mktemp("city")
    store = write_store(folder / "region.store", rows)
    frame = gpd.GeoDataFrame(
        {"HAUTEUR": rows["height_m"].astype(float), "USAGE1": rows["usage"], "ID": rows["id"]},
        geometry=shapely.box(rows["xmin"], rows["ymin"], rows["xmax"], rows["ymax"]),
        crs="EPSG:2154",
    )
    file = folder / "batiments.gpkg"
    frame.to_file(file)
    return store, file


def _shade(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["shade", *args, "--at", AT, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_shade_on_a_store_is_shade_on_its_buildings(city, tmp_path, capsys):
    store, file = city
    on_store = _shade(capsys, str(store), "-o", str(tmp_path / "store.gpkg"))
    on_file = _shade(capsys, str(file), "-o", str(tmp_path / "file.gpkg"))
    assert on_store["buildings"] == on_file["buildings"] == 2400
    assert on_store["shadow_area_m2"] == pytest.approx(on_file["shadow_area_m2"], rel=1e-6)
    written = gpd.read_file(tmp_path / "store.gpkg")
    assert written.crs.to_epsg() == 2154 and len(written) == on_store["shadow_polygons"] > 0
    # an area: only the buildings within reach of it
    area = "650600,6860600,650900,6860900"
    part = _shade(capsys, str(store), "--bbox", area, "-o", str(tmp_path / "part.gpkg"))
    assert 0 < part["buildings"] < 2400 and 0 < part["shadow_area_m2"] < on_store["shadow_area_m2"]
    shadows = gpd.read_file(tmp_path / "part.gpkg")
    x0, y0, x1, y1 = shadows.total_bounds  # cut to the area
    assert x0 >= 650_600 - 1e-6 and y0 >= 6_860_600 - 1e-6 and x1 <= 650_900 + 1e-6 and y1 <= 6_860_900 + 1e-6
    assert part["shadow_area_m2"] == pytest.approx(shadows.area.sum(), rel=0.02)
    with capsys.disabled():
        print(f"\nshade: store {on_store['total_s']:.2f} s, file {on_file['total_s']:.2f} s")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--bbox", "1,2,3"], "--bbox"),
        (["--bbox", "650900,6860600,650600,6860900"], "--bbox"),
        (["--bbox", "1,2,3,4"], "no building within reach"),
        (["--bbox", "1,2,3,4", "FILE"], "only with a prepared store"),
    ],
)
def test_a_bad_area_is_one_line_and_exit_2(city, tmp_path, capsys, extra, message):
    store, file = city
    source = file if extra[-1] == "FILE" else store
    extra = [e for e in extra if e != "FILE"]
    assert main(["shade", str(source), *extra, "--at", AT, "-o", str(tmp_path / "o.gpkg")]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_an_area_too_big_is_refused_before_it_starts(city, tmp_path, capsys, monkeypatch):
    store, _ = city
    monkeypatch.setattr(studies, "DEFAULT_BUDGET_MB", 1.0)
    assert main(["shade", str(store), "--at", AT, "-o", str(tmp_path / "o.gpkg")]) == 2
    err = capsys.readouterr().err.strip()
    assert "a study may take" in err and "--bbox" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "o.gpkg").exists()


def test_sunlight_on_a_store_area_is_sunlight_on_its_buildings(city, tmp_path, capsys):
    store, file = city
    area = ["--bbox", "650600,6860600,650800,6860800", "--date", "2025-06-21", "--resolution", "4", "--json"]
    results = []
    for source, name in ((store, "store.tif"), (file, "file.tif")):
        assert main(["sunlight", str(source), *area, "-o", str(tmp_path / name)]) == 0
        results.append(json.loads(capsys.readouterr().out))
    on_store, on_file = results
    # the store's buildings are those within the shadows' reach with the sun 5° high: the lower
    # sun's longer shadows from farther away are left out (under a minute a day here)
    assert on_store["mean_hours"] == pytest.approx(on_file["mean_hours"], abs=0.01)
    assert on_store["size"] == on_file["size"]
