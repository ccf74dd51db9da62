"""Every command, through the command line: it never writes over one of its inputs, and an output
that cannot be written (a full disk, a size limit, a read-only file, a folder) is one line on
stderr, exit 2, with the previous file intact and no temporary file left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.cli import main

REPO = Path(__file__).resolve().parents[2]
X0, Y0 = 351_500.0, 6_789_000.0
AT = "2025-06-21T10:00"
DAY = "2025-06-21"
REFUSED = "writing it would destroy that input (choose another output file; nothing was written)"


@pytest.fixture
def place(tmp_path) -> Path:
    """A small study: buildings (GeoPackage and Shapefile), a planned tower, sensors with their
    locations in a separate file, and a project with a comment."""
    import geopandas as gpd
    from shapely.geometry import Point, box

    frame = gpd.GeoDataFrame(
        {"id": ["B0", "B1", "B2"], "hauteur": [10.0, 12.0, 14.0]},
        geometry=[box(X0 + 50 * i, Y0, X0 + 50 * i + 30, Y0 + 30) for i in range(3)],
        crs="EPSG:2154",
    )
    frame.to_file(tmp_path / "batiments.gpkg", layer="batiments")
    frame.to_file(tmp_path / "batiments.shp")
    tower = gpd.GeoDataFrame(
        {"hauteur": [40.0]}, geometry=[box(X0, Y0 + 60, X0 + 20, Y0 + 80)], crs="EPSG:2154"
    )
    tower.to_file(tmp_path / "projet.geojson")
    stations = gpd.GeoDataFrame(
        {"sensor_id": ["A", "B"]},
        geometry=[Point(X0 + 10, Y0 - 20), Point(X0 + 80, Y0 - 20)],
        crs="EPSG:2154",
    )
    stations.to_file(tmp_path / "stations.geojson")
    rows = ["time;sensor_id;temp_c"] + [
        f"2025-07-01T{h:02d}:00;{s};{20 + h / 2 + (s == 'B')}" for h in range(24) for s in "AB"
    ]
    (tmp_path / "capteurs.csv").write_text("\n".join(rows) + "\n")
    document = {
        "version": 1,
        "title": "Étude",
        "layers": [
            {"id": "bati", "kind": "buildings", "name": "Bâtiments", "source": "batiments.gpkg"},
            {
                "id": "capteurs",
                "kind": "sensors",
                "name": "Capteurs",
                "source": "capteurs.csv",
                "options": {"locations": "stations.geojson"},
            },
        ],
        "annotations": [{"category": "idea", "text": "Des arbres", "x": X0, "y": Y0, "z": 0, "id": "c1"}],
    }
    (tmp_path / "etude.maquette.json").write_text(json.dumps(document), encoding="utf-8")
    return tmp_path


def link(place: Path, name: str, to: str) -> Path:
    (place / name).symlink_to(place / to)
    return place / name


@dataclass
class Overwrite:
    """A command asked to write over one of its inputs: ``argv`` (with the study's folder), the
    ``victim`` that must stay byte-identical, the exact message (``{p}``: the study's folder)."""

    name: str
    argv: Callable[[Path], list[str | Path]]
    victim: str
    message: str


OVERWRITES = [
    Overwrite(
        "shade over its buildings",
        lambda p: ["shade", p / "batiments.gpkg", "--at", AT, "-o", p / "batiments.gpkg"],
        "batiments.gpkg",
        f"{{p}}/batiments.gpkg: is also an input: {REFUSED}",
    ),
    Overwrite(
        "shade over its Shapefile",
        lambda p: ["shade", p / "batiments.shp", "--at", AT, "-o", p / "batiments.shp"],
        "batiments.dbf",
        f"{{p}}/batiments.shp: is also an input: {REFUSED}",
    ),
    Overwrite(
        "shade through a link",
        lambda p: ["shade", p / "batiments.gpkg", "--at", AT, "-o", link(p, "lien.gpkg", "batiments.gpkg")],
        "batiments.gpkg",
        f"{{p}}/lien.gpkg: is the same file as the input {{p}}/batiments.gpkg: {REFUSED}",
    ),
    Overwrite(
        "sunlight over its buildings",
        lambda p: ["sunlight", p / "batiments.gpkg", "--date", DAY, "-o", link(p, "h.tif", "batiments.gpkg")],
        "batiments.gpkg",
        f"{{p}}/h.tif: is the same file as the input {{p}}/batiments.gpkg: {REFUSED}",
    ),
    Overwrite(
        "sunlight's after file over the planned project",
        lambda p: [
            "sunlight",
            p / "batiments.gpkg",
            "--proposed",
            link(p, "d_after.tif", "projet.geojson").with_name("projet.geojson"),
            "--date",
            DAY,
            "-o",
            p / "d.tif",
        ],
        "projet.geojson",
        f"{{p}}/d_after.tif: is the same file as the input {{p}}/projet.geojson: {REFUSED}",
    ),
    Overwrite(
        "new model over one of the files it scans",
        lambda p: ["new", p, "-o", p / "projet.geojson"],
        "projet.geojson",
        f"{{p}}/projet.geojson: is also an input: {REFUSED}",
    ),
    Overwrite(
        "new model through a link to one of its files",
        lambda p: ["new", p, "-o", link(p, "modele.maquette.json", "stations.geojson")],
        "stations.geojson",
        f"{{p}}/modele.maquette.json: is the same file as the input {{p}}/stations.geojson: {REFUSED}",
    ),
    Overwrite(
        "render over the project file",
        lambda p: ["render", p / "etude.maquette.json", "-o", link(p, "carte.png", "etude.maquette.json")],
        "etude.maquette.json",
        f"{{p}}/carte.png: is the same file as the input {{p}}/etude.maquette.json: {REFUSED}",
    ),
    Overwrite(
        "video over a layer's data",
        lambda p: ["video", p / "etude.maquette.json", "-o", link(p, "film.mp4", "capteurs.csv")],
        "capteurs.csv",
        f"{{p}}/film.mp4: is the same file as the input {{p}}/capteurs.csv: {REFUSED}",
    ),
    Overwrite(
        "export of shadows into the buildings' GeoPackage",
        lambda p: [
            "export",
            p / "batiments.gpkg",
            "--data",
            "shadows",
            "--time",
            AT,
            "-o",
            p / "batiments.gpkg",
        ],
        "batiments.gpkg",
        f"{{p}}/batiments.gpkg: is also an input: {REFUSED}",
    ),
    Overwrite(
        "export into a GeoPackage a project reads (another layer name)",
        lambda p: [
            "export",
            p / "etude.maquette.json",
            "--data",
            "shadows",
            "--time",
            AT,
            "-o",
            p / "batiments.gpkg",
        ],
        "batiments.gpkg",
        f"{{p}}/batiments.gpkg: is also an input: {REFUSED}",
    ),
    Overwrite(
        "export of comments over the sensors' locations file",
        lambda p: ["export", p / "etude.maquette.json", "--data", "comments", "-o", p / "stations.geojson"],
        "stations.geojson",
        f"{{p}}/stations.geojson: is also an input: {REFUSED}",
    ),
    Overwrite(
        "export of a 3D model whose .mtl is the locations file",
        lambda p: [
            "export",
            p / "etude.maquette.json",
            "-o",
            link(p, "modele.mtl", "stations.geojson").with_suffix(".obj"),
        ],
        "stations.geojson",
        f"{{p}}/modele.obj: is the same file as the input {{p}}/stations.geojson: {REFUSED}",
    ),
]


def files(place: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in place.iterdir() if p.is_file() and not p.is_symlink()}


@pytest.mark.parametrize("case", OVERWRITES, ids=[c.name for c in OVERWRITES])
def test_no_command_writes_over_its_input(case, place, capsys):
    argv = [str(a) for a in case.argv(place)]
    before = files(place)
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert captured.err.splitlines() == [f"maquette: error: {case.message.replace('{p}', str(place))}"]
    assert (place / case.victim).read_bytes() == before[case.victim]
    assert files(place) == before, "a file was written or changed"


# -- outputs that cannot be written ------------------------------------------------------------------
#: a file size limit the outputs pass and nothing else the command writes does: the system answers
#: every write past it as a full disk would (EFBIG instead of ENOSPC), inside the C libraries too
LIMIT_BYTES = 256
LIMITED = (
    "import resource, sys\n"
    "hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]\n"
    f"resource.setrlimit(resource.RLIMIT_FSIZE, ({LIMIT_BYTES}, hard))\n"
    "from desktop.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)
TOO_BIG = "cannot write: the file is larger than this disk or this session's size limit allows"


@dataclass
class Blocked:
    """A command whose output meets a full disk: ``argv`` (``{out}``: the output), the output's
    name, and the other files written with it (all present before, all kept)."""

    name: str
    argv: list[str]
    output: str
    companions: tuple[str, ...] = ()


STUDY = "{p}/etude.maquette.json"
BLOCKED = [
    Blocked("shade as GeoPackage", ["shade", "{p}/batiments.gpkg", "--at", AT], "ombres.gpkg"),
    Blocked(
        "shade as Shapefile",
        ["shade", "{p}/batiments.gpkg", "--at", AT],
        "ombres.shp",
        ("ombres.shx", "ombres.dbf", "ombres.prj", "ombres.cpg"),
    ),
    Blocked("shade as GeoJSON", ["shade", "{p}/batiments.gpkg", "--at", AT], "ombres.geojson"),
    Blocked("sunlight", ["sunlight", "{p}/batiments.gpkg", "--date", DAY], "heures.tif"),
    Blocked(
        "sunlight with a planned project",
        ["sunlight", "{p}/batiments.gpkg", "--proposed", "{p}/projet.geojson", "--date", DAY],
        "perte.tif",
        ("perte_before.tif", "perte_after.tif"),
    ),
    Blocked("render PNG", ["render", STUDY, "--size", "320x240"], "carte.png"),
    Blocked("render JPEG", ["render", STUDY, "--size", "320x240"], "carte.jpg"),
    Blocked("video MP4", ["video", STUDY, "--size", "320x240", "--duration", "1", "--fps", "4"], "film.mp4"),
    Blocked("video GIF", ["video", STUDY, "--size", "160x120", "--duration", "1", "--fps", "4"], "film.gif"),
    Blocked("export glTF", ["export", STUDY], "modele.glb"),
    Blocked("export OBJ", ["export", STUDY], "modele.obj", ("modele.mtl",)),
    Blocked("export a raster", ["export", STUDY, "--data", "bruit"], "bruit_export.tif"),
    Blocked("export shadows", ["export", STUDY, "--data", "shadows", "--time", AT], "ombres.gpkg"),
    Blocked("export comments", ["export", STUDY, "--data", "comments"], "commentaires.geojson"),
]


@pytest.fixture
def study_with_raster(place) -> Path:
    """The study with a small noise raster layer."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    with rasterio.open(
        place / "bruit.tif",
        "w",
        driver="GTiff",
        width=20,
        height=20,
        count=1,
        dtype="float32",
        crs="EPSG:2154",
        transform=from_origin(X0 - 50, Y0 + 150, 10, 10),
    ) as dataset:
        dataset.write(np.full((1, 20, 20), 62.0, np.float32))
    path = place / "etude.maquette.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["layers"].append({"id": "bruit", "kind": "raster", "name": "Bruit", "source": "bruit.tif"})
    path.write_text(json.dumps(document), encoding="utf-8")
    return place


def run_limited(argv: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-c", LIMITED, *argv], capture_output=True, text=True, timeout=300, env=env, cwd=REPO
    )


@pytest.mark.skipif(sys.platform == "win32", reason="no file size limit to stand for a full disk")
@pytest.mark.parametrize("case", BLOCKED, ids=[c.name for c in BLOCKED])
def test_a_full_disk_is_one_line_and_keeps_the_previous_files(case, study_with_raster):
    place = study_with_raster
    output = place / case.output
    previous = {name: f"previous {name}\n".encode() for name in (case.output, *case.companions)}
    for name, content in previous.items():
        (place / name).write_bytes(content)
    argv = [a.replace("{p}", str(place)) for a in case.argv] + ["-o", str(output)]
    done = run_limited(argv)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [f"maquette: error: {output}: {TOO_BIG} (the previous file is kept)"]
    for name, content in previous.items():
        assert (place / name).read_bytes() == content, f"{name} was changed"
    assert not [p.name for p in place.iterdir() if ".tmp" in p.name], "a temporary file was left"
