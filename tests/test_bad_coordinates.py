"""Coordinates outside their CRS's domain: longitude 200, latitude 95, the poles, the antimeridian,
UTM far outside its zone or beyond the Earth, Lambert-93 metres labelled WGS 84 — in data files
and in ``--bbox``. Refused with one line naming the file (and the features when only some are
outside: those are left out with a warning), or drawn right (poles, antimeridian): never a
traceback nor a wrong success."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from layers.core.errors import InputError
from layers.core.reading import open_layer

CRS84 = "urn:ogc:def:crs:OGC:1.3:CRS84"
D = 0.0002  # a building of about 20 m in degrees


def square(x: float, y: float, side: float) -> list:
    return [[[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]]


def geojson(
    folder: Path, name: str, corners: list[tuple[float, float]], crs: str = CRS84, side: float = D
) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {"id": f"B{i}", "hauteur": 10.0},
            "geometry": {"type": "Polygon", "coordinates": square(x, y, side)},
        }
        for i, (x, y) in enumerate(corners)
    ]
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": crs}},
        "features": features,
    }
    path = folder / f"{name}.geojson"
    path.write_text(json.dumps(doc))
    return path


L93 = "urn:ogc:def:crs:EPSG::2154"
UTM31 = "urn:ogc:def:crs:EPSG::32631"
#: name: (corners, CRS, side, what the one line says)
REFUSED = {
    "lon200": ([(200.0, 48.1), (200.001, 48.1)], CRS84, D, "go beyond longitude ±180° or latitude ±90°"),
    "lat95": ([(-1.68, 95.0), (-1.679, 95.0)], CRS84, D, "go beyond longitude ±180° or latitude ±90°"),
    "lon-400": ([(-400.0, 48.1), (-399.99, 48.1)], CRS84, D, "are not longitudes / latitudes"),
    "lambert93 as 4326": (
        [(351_500.0, 6_789_000.0), (351_550.0, 6_789_000.0)],
        CRS84,
        20.0,
        "are not longitudes",
    ),
    "utm beyond the earth": ([(5e8, 5e8), (5e8 + 50, 5e8)], UTM31, 20.0, "beyond 10⁸ m"),
    "degrees as lambert93": ([(-1.68, 48.1), (-1.679, 48.1)], L93, D, "look like degrees"),
}
#: name: (corners, CRS, side, the warning, or None when it opens silently)
OPENED = {
    "lon200 once": ([(-1.68, 48.1), (-1.679, 48.1), (200.0, 48.1)], CRS84, D, "beyond longitude ±180°"),
    "lat95 once": ([(-1.68, 48.1), (-1.679, 48.1), (-1.68, 95.0)], CRS84, D, "(id=B2)"),
    "north pole": ([(0.0, 89.9997), (10.0, 89.9997)], CRS84, D, None),
    "south pole": ([(0.0, -90.0), (10.0, -89.9997)], CRS84, D, None),
    "beyond utm 84 N": ([(-1.68, 86.0), (-1.679, 86.0)], CRS84, D, None),
    "antimeridian": ([(179.9997, -16.5), (-179.9999, -16.5)], CRS84, D, None),
    "utm far outside its zone": ([(-5e6, 5e6), (-5e6 + 50, 5e6)], UTM31, 20.0, "outside the area of use"),
}


def run(argv: list[str]) -> tuple[int, list[str]]:
    from desktop.cli import main

    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, stderr.getvalue().splitlines()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_data_outside_its_crs_is_refused_in_one_line(tmp_path, name):
    corners, crs, side, said = REFUSED[name]
    path = geojson(tmp_path, "batiments", corners, crs, side)
    with pytest.raises(InputError) as caught:
        open_layer(path)
    assert str(caught.value).startswith(f"{path}: ") and said in str(caught.value)
    for argv in (
        ["info", str(path)],
        ["render", str(path), "--size", "64x48", "-o", str(tmp_path / "v.png")],
        ["shade", str(path), "--at", "2025-06-21T12:00", "-o", str(tmp_path / "o.gpkg")],
    ):
        code, lines = run(argv)
        assert code == 2 and len(lines) == 1 and said in lines[0], (argv[0], lines)
        assert lines[0].startswith(f"maquette: error: {path}: ")


@pytest.mark.parametrize("name", sorted(OPENED))
def test_data_at_the_edges_of_its_crs_opens_and_draws(tmp_path, name):
    corners, crs, side, said = OPENED[name]
    path = geojson(tmp_path, "batiments", corners, crs, side)
    layer = open_layer(path)
    kept = 2 if name.endswith("once") else len(corners)
    assert len(layer.frame) == kept
    notes = " ".join(layer.warnings)
    assert (said in notes) if said else not [n for n in layer.warnings if "area of use" in n], notes
    for argv in (
        ["render", str(path), "--size", "64x48", "-o", str(tmp_path / "v.png")],
        ["shade", str(path), "--at", "2025-06-21T12:00", "-o", str(tmp_path / "o.gpkg")],
    ):
        code, lines = run(argv)
        assert code == 0, (argv[0], lines)
        assert all(line.startswith("maquette: warning: ") for line in lines), lines
        if said:
            assert any(said in line for line in lines), lines


@pytest.fixture(scope="module")
def buildings(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bbox")
    return {
        "degrees": geojson(folder, "degres", [(-1.68, 48.1), (-1.6797, 48.1)]),
        "lambert93": geojson(
            folder, "l93", [(351_500.0, 6_789_000.0), (351_530.0, 6_789_000.0)], L93, side=20.0
        ),
    }


@pytest.mark.parametrize(
    ("crs", "bbox", "said"),
    [
        ("degrees", "199,48,201,49", "beyond longitude ±180°"),
        ("degrees", "-2,89,-1,95", "beyond longitude ±180° or latitude ±90°"),
        ("degrees", "351000,6788000,352000,6790000", "beyond longitude ±180°"),
        ("lambert93", "-1.7,48.1,-1.6,48.2", "looks like longitudes / latitudes"),
        ("lambert93", "1e12,1e12,1.1e12,1.1e12", "is no place on Earth"),
    ],
)
def test_a_bbox_outside_the_buildings_crs_is_refused(tmp_path, buildings, crs, bbox, said):
    code, lines = run(
        [
            "sunlight",
            str(buildings[crs]),
            "--date",
            "2025-06-21",
            f"--bbox={bbox}",
            "-o",
            str(tmp_path / "h.tif"),
        ]
    )
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith(f"maquette: error: --bbox '{bbox}'") and said in lines[0], lines
    assert not list(tmp_path.iterdir())
