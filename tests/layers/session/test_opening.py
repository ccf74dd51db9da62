"""Opening: one open → reproject → prepare sequence, typed errors for missing data and bad projects."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import layers.session.opening as opening
from layers.core import crs as crs_util
from layers.core.errors import Cancelled, DataMissing, InputError
from layers.session.opening import open_file_for_scene, open_files_for_scene, open_paths


def test_a_file_is_reprojected_then_prepared(tiny_city, monkeypatch):
    prepared_in: list[int] = []
    real_open = opening.open_layer

    def spying_open(path, kind=None, **options):
        layer = real_open(path, kind, **options)
        prepare = layer.prepare
        monkeypatch.setattr(layer, "prepare", lambda: (prepared_in.append(layer.crs.to_epsg()), prepare()))
        return layer

    monkeypatch.setattr(opening, "open_layer", spying_open)
    layer = open_file_for_scene(tiny_city / "buildings.geojson", crs_util.parse_crs("EPSG:3948"))
    assert layer.crs.to_epsg() == 3948 and 1_300_000 < layer.bounds()[0] < 1_400_000  # CC48 eastings
    assert prepared_in == [3948]  # prepared once, in the scene CRS


def test_one_bad_file_never_stops_the_others(tiny_city, tmp_path, monkeypatch):
    garbage = tmp_path / "abime.shp"
    garbage.write_bytes(b"\x00garbage" * 50)
    buggy = tmp_path / "bogue.geojson"
    shutil.copy(tiny_city / "streets.geojson", buggy)
    real_open = opening.open_layer

    def open_layer(path, kind=None, **options):
        if Path(path).name == "bogue.geojson":
            raise ZeroDivisionError("division by zero")
        return real_open(path, kind, **options)

    monkeypatch.setattr(opening, "open_layer", open_layer)
    steps: list[str] = []
    layers, errors = open_files_for_scene(
        [garbage, buggy, tiny_city / "streets.geojson"],
        crs_util.LAMBERT93,
        progress=lambda fraction, name: steps.append(name),
    )
    assert [layer.name for layer in layers] == ["streets"]
    assert steps == ["abime.shp", "bogue.geojson", "streets.geojson"]
    assert [type(e) for e in errors] == [InputError, InputError]
    assert "ZeroDivisionError" in errors[1].message and "ZeroDivisionError" in errors[1].details
    with pytest.raises(Cancelled):
        open_files_for_scene([tiny_city / "streets.geojson"], crs_util.LAMBERT93, cancelled=lambda: True)


def write_project(folder: Path, tiny_city: Path, **extra) -> Path:
    folder.mkdir(exist_ok=True)
    shutil.copy(tiny_city / "buildings.geojson", folder / "bati.geojson")
    data = {
        "version": 1,
        "layers": [
            {"id": "bati", "kind": "buildings", "name": "Bâtiments", "source": "bati.geojson"},
            {"id": "parc", "kind": "vector", "name": "Parcs", "source": "donnees/parcs.geojson"},
        ],
        **extra,
    }
    path = folder / "etude.maquette.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_missing_data_is_a_typed_error_and_the_layer_is_kept(tiny_city, tmp_path):
    session = open_paths([write_project(tmp_path / "etude", tiny_city)], prepare=True)
    assert [layer.name for layer in session.scene.layers] == ["Bâtiments"]
    (error,) = session.report.errors
    assert isinstance(error, DataMissing) and error.path.name == "parcs.geojson"
    assert [spec["id"] for spec in session.report.missing] == ["parc"]
    assert session.project.unopened == {"parc"}


def test_a_layer_not_opened_by_choice_is_not_missing(tiny_city, tmp_path):
    """Skipped (the user declined data outside the project's folder): reported, not a missing file."""
    from layers.session.project import load_project
    from layers.session.scene_io import build_scene

    project = load_project(write_project(tmp_path / "etude", tiny_city))
    scene, report = build_scene(project, skip={"bati"})
    assert scene.layers == [] and [s["id"] for s in report.missing] == ["parc"]
    assert [type(e) for e in report.errors] == [InputError, DataMissing]


@pytest.mark.parametrize(
    ("key", "value"), [("crs", "EPSG:99999999"), ("timezone", "Mars/Olympus")], ids=["crs", "timezone"]
)
def test_a_damaged_crs_or_zone_names_its_field(tiny_city, tmp_path, key, value):
    path = write_project(tmp_path / "etude", tiny_city, **{key: value})
    with pytest.raises(InputError) as caught:
        open_paths([path])
    assert caught.value.field == key and "backup copy" in caught.value.one_line()
