"""Every command, run as a user runs it, writes nothing on stderr but Maquette's own one-line
``maquette: …`` messages: no NumPy RuntimeWarning, no pvlib, pandas, pyogrio/GDAL or
rasterio/libtiff line, no encoder chatter — on the sample city and on real, messy public files.

Each command runs in its own process (Python's default warning filters, C libraries writing to
the real stderr), as the installed ``maquette`` does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO, SAMPLE_CITY, SHARED_DATA

#: real files, some of them messy (see ../shared/data/SOURCES.md): name → path under the folder
REAL = {
    "lyon": "buildings/lyon1_bdtopo/buildings_lyon1.geojson",  # CC46 in a legacy crs member, MultiPolygon Z
    "campus": "buildings/rennes2_campus/campus_rennes2_bati_3d.geojson",  # degrees, 140 null min heights
    "lorient": "buildings/lorient_noisemodelling/buildings.shp",
    "roads": "mobility/lorient_noisemodelling_roads/roads.shp",
    "trees": "trees/montpellier_alignment/VilleMTP_MTP_ArbresAlign.shp",  # 23,229 rows all null, IGNF WKT
    "dem": "dem/lyon_partdieu_mnt10m_cc46.tif",  # no nodata, non-square pixels
    "ortho": "lidar_hd/montpellier_0770_6277/ortho_rgb_20cm.tif",  # a non-standard WKT
    "no2": "sensors/lyon_partdieu_no2_2012_rgb.tif",  # a rendered colour map
    "noise": "noise/gironde_infra_cbs_2022/N_BRUIT_ZBRD_INFRA_R_C_LD_S_033.shp",  # ISO-8859-1
    "biel": "heat/biel_2023/sensor_summer23_mean.csv",
    "gtfs": "mobility/star_rennes_gtfs/GTFS-20120618.zip",  # times after 24:00
    "delft": "citymodel/cjio_samples/delft.json",
    "lille": "opendatasoft/lille_geo_quartier.csv",  # one row's geo_shape broken: left out, said
    "nantes": "mobility/nantes_velo/244400404_comptages-velo-nantes-metropole.csv",  # refused: no places
    "redon": "bdtopo/redon_v3_35236/BATIMENT.shp",  # its .dbf is missing: geometry only, one warning
    "ecocompt": "mobility/montpellier_ecocompt/GeolocCompteurs.geojson",
}


def real(name: str) -> str:
    return str(SHARED_DATA / REAL[name])


def sample(name: str = "sample_city.maquette.json") -> str:
    return str(SAMPLE_CITY / name)


#: (id, argv after ``maquette`` with {out} for the output folder, exit statuses expected, needs real data)
RUNS = [
    ("info sample city", ["info", sample(), sample("buildings.gpkg")], {0}, False),
    ("render sample city", ["render", "-o", "{out}/ville.png", "--size", "320x200", "--json"], {0}, False),
    (
        "render sample city with the sun",
        ["render", "--sun", "--time", "2025-06-21T19:30", "-o", "{out}/soleil.png", "--size", "320x200"],
        {0},
        False,
    ),
    (
        "video sample city",
        ["video", "-o", "{out}/v.mp4", "--size", "320x180", "--duration", "1", "--fps", "4"],
        {0},
        False,
    ),
    (
        "prepare sample city",
        ["prepare", sample("buildings.gpkg"), "-o", "{out}/ville.store", "--workers", "1", "--json"],
        {0},
        False,
    ),
    ("export sample city model", ["export", "-o", "{out}/ville.glb", "--json"], {0}, False),
    (
        "publish sample story",  # 2 (one line) where CesiumJS is not installed
        ["publish", sample("sample_city.maquette.json"), "-o", "{out}/recit", "--zip", "--json"],
        {0, 2},
        False,
    ),
    (
        "export sample city shadows",
        ["export", "--data", "shadows", "--time", "2025-06-21T09:00", "-o", "{out}/ombres.gpkg"],
        {0},
        False,
    ),
    (
        "shade sample city",
        ["shade", sample("buildings.gpkg"), "--at", "2025-12-21T08:30", "-o", "{out}/o.gpkg", "--json"],
        {0},
        False,
    ),
    (
        "sunlight sample city",
        [
            "sunlight",
            sample("buildings.gpkg"),
            "--date",
            "2025-03-21",
            "--step",
            "60",
            "--resolution",
            "4",
            "-o",
            "{out}/h.tif",
        ],
        {0},
        False,
    ),  # fmt: skip
    (
        "info real files",
        ["info", *(real(n) for n in REAL if n != "nantes"), "--json"],
        {0},
        True,
    ),
    ("info a refused file", ["info", "{nantes}"], {2}, True),
    (
        "new model of a commune",
        ["new", str(SHARED_DATA / "bdtopo" / "redon_v3_35236"), "--commune", "35236", "-o", "{out}/redon"],
        {0},
        True,
    ),
    (
        "render a file without its .dbf",
        ["render", "{redon}", "-o", "{out}/r.png", "--size", "200x150"],
        {0},
        True,
    ),
    ("render real buildings", ["render", "{lyon}", "-o", "{out}/lyon.png", "--size", "320x200"], {0}, True),
    ("render null trees", ["render", "{trees}", "-o", "{out}/arbres.png", "--size", "320x200"], {0}, True),
    (
        "render a colour map",
        ["render", "{no2}", "{dem}", "-o", "{out}/no2.png", "--size", "320x200"],
        {0},
        True,
    ),
    ("render Latin-1 noise", ["render", "{noise}", "-o", "{out}/bruit.png", "--size", "320x200"], {0}, True),
    ("render a city model", ["render", "{delft}", "-o", "{out}/delft.png", "--size", "320x200"], {0}, True),
    (
        "video heat loggers",
        ["video", "{biel}", "-o", "{out}/biel.gif", "--size", "240x136", "--duration", "1", "--fps", "3"],
        {0},
        True,
    ),
    (
        "export a transit feed",
        ["export", "{gtfs}", "--time", "2012-07-10T08:00", "-o", "{out}/reseau.glb"],
        {0},
        True,
    ),
    (
        "export a terrain",
        ["export", "{dem}", "--data", "lyon_partdieu_mnt10m_cc46", "-o", "{out}/mnt.tif"],
        {0},
        True,
    ),
    (
        "shade real buildings",
        ["shade", "{campus}", "--at", "2025-06-21T18:00", "-o", "{out}/c.geojson"],
        {0},
        True,
    ),
    (
        "sunlight real buildings",
        [
            "sunlight",
            "{lorient}",
            "--date",
            "2025-06-21",
            "--step",
            "120",
            "--resolution",
            "5",
            "-o",
            "{out}/l.tif",
            "--json",
        ],
        {0},
        True,
    ),  # fmt: skip
]


@pytest.mark.parametrize("argv,statuses,needs_real", [r[1:] for r in RUNS], ids=[r[0] for r in RUNS])
def test_stderr_holds_only_maquette_lines(argv, statuses, needs_real, tmp_path):
    if needs_real and not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder not found: {SHARED_DATA}")
    names = {name: real(name) for name in REAL}
    args = [a.format(out=tmp_path, **names) for a in argv]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PYTHONWARNINGS", None)
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env=env,
    )
    lines = done.stderr.splitlines()
    assert done.returncode in statuses, done.stderr
    strays = [line for line in lines if not line.startswith("maquette:")]
    assert not strays, "\n".join(lines)
    if done.returncode == 2:
        assert len(lines) >= 1 and lines[-1].startswith("maquette: error:")
    if "--json" in args and done.returncode == 0:
        json.loads(done.stdout)


def test_the_runs_cover_every_command():
    from desktop.cli import COMMANDS

    assert {r[1][0] for r in RUNS} == set(COMMANDS)
