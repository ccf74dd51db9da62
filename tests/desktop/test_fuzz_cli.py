"""Fuzzing the command line's flags: any arguments give a result (exit 0) or one line naming the
mistake (exit 2) — never "internal error" (exit 1), a traceback or extra lines on stderr.

Every command's options are read from its own parser, and each gets values of its category:
times and dates (out of pandas' range, impossible days, offsets), durations, numbers (zero,
negative, huge, NaN, infinite, not a number), sizes, CRSs (geocentric, unknown, garbage), time
zones, boxes, text and outputs (every suffix, a folder, a missing folder). The inputs are a tiny
district, a raster, a missing file, a folder and an empty file. The regular run is derandomised and
short; ``MAQUETTE_FUZZ_EXAMPLES`` makes it longer.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import COMMANDS, main

EXAMPLES = int(os.environ.get("MAQUETTE_FUZZ_EXAMPLES", "25"))

TIMES = [
    "2025-06-21T09:00", "2025-07-01", "0001-01-01", "9999-12-31T23:59:59", "1677-09-21", "2262-04-12",
    "2025-02-30", "2025-13-01", "10000-01-01", "-1", "", "garbage", "2025-06-21T09:00+14:00",
    "2025-06-21T09:00Z", "2025-06-21T25:61", "nan", "2025-03-30T02:30", "1e308",
    "1677-06-21T10:00", "2262-04-11T10:00", "31/02/2025 10:00", "2025-06-21T24:61", "x" * 2000,
]  # fmt: skip
DURATIONS = ["10min", "1h", "0", "-1h", "1e308", "nan", "inf", "P1000Y", "garbage", "1ns", "PT15M", "3600"]
NUMBERS = ["0", "-1", "1", "3.5", "25", "300", "1e308", "-1e308", "nan", "inf", "-inf", "1e-308",
           "123456789012345678901234567890", "x", ""]  # fmt: skip
SIZES = ["64x48", "16x16", "0x0", "15x15", "99999x99999", "x", "-5x10", "16x16x16", "64×48", "1e3x1e3", ""]
CRSS = ["EPSG:2154", "EPSG:4978", "EPSG:999999", "garbage", "+proj=longlat", "EPSG:3857", "EPSG:4326",
        "EPSG:4936", "EPSG:5773", "", "IGNF:LAMB93"]  # fmt: skip
ZONES = ["Europe/Paris", "Mars/Olympus", "", "UTC", "../../etc/passwd", "America/Nuuk"]
BOXES = ["351500,6789000,351900,6789400", "0,0,1,1", "1,1,0,0", "nan,0,1,1", "1e308,0,1e309,1",
         "a,b,c,d", "200,95,210,96", "1,2,3", "", "-400,0,-399,1", "-1.7,48.1,-1.6,48.2",
         "1e12,1e12,1.1e12,1.1e12"]  # fmt: skip
TEXTS = ["Les quais", "", "é" * 300, "\u202e\u0000", "x" * 5000, "hauteur", "air_surface", "shadows",
         "ultrafast", "veryslow", "-", "--json"]  # fmt: skip
SUFFIXES = [".png", ".jpg", ".mp4", ".gif", ".tif", ".gpkg", ".geojson", ".glb", ".obj", ".csv", ".docx", ""]

#: the value pool of each option, by its name
POOLS = {
    "--time": TIMES, "--start": TIMES, "--end": TIMES, "--at": TIMES, "--date": TIMES,
    "--step": DURATIONS + NUMBERS, "--duration": NUMBERS, "--hold": NUMBERS, "--fps": NUMBERS,
    "--crf": NUMBERS, "--dpi": NUMBERS, "--max-tile": NUMBERS, "--resolution": NUMBERS,
    "--size": SIZES, "--crs": CRSS, "--timezone": ZONES, "--bbox": BOXES,
}  # fmt: skip


@pytest.fixture(scope="module")
def inputs(tiny_city, tmp_path_factory) -> dict[str, list[str]]:
    """Paths of every sort: a district, a raster, a missing file, a folder, an empty file."""
    import rasterio
    from rasterio.transform import from_origin

    folder = tmp_path_factory.mktemp("fuzz_cli")
    raster = folder / "lden.tif"
    profile = {"driver": "GTiff", "width": 8, "height": 8, "count": 1, "dtype": "float32", "crs": "EPSG:2154",
               "transform": from_origin(351_500, 6_789_400, 50, 50)}  # fmt: skip
    with rasterio.open(raster, "w", **profile) as ds:
        ds.write(np.linspace(40, 80, 64, dtype=np.float32).reshape(8, 8), 1)
    (folder / "vide.geojson").write_bytes(b"")
    good = [str(tiny_city / "buildings.geojson"), str(tiny_city / "streets.geojson"), str(raster)]
    bad = [str(folder / "absent.gpkg"), str(folder), str(folder / "vide.geojson")]
    bad += _damaged_inputs(folder)
    return {"good": good, "bad": bad, "folder": [str(folder)]}


def _damaged_inputs(folder: Path) -> list[str]:
    """Damaged projects (NaN, 10,000 levels, a lone surrogate, a wrong type) and data beyond its
    CRS (a longitude of 200 among good ones, a pole)."""
    import json

    from tests.layers.session.project_mutations import mutations, small_project, valid_document

    project_folder = folder / "projet"
    project_folder.mkdir()
    small_project(project_folder)
    wanted = (
        "layers[0].opacity = NaN",
        "views = deep nesting",
        "title = lone surrogate",
        "clock = wrong type",
    )
    paths = []
    for i, (_name, text) in enumerate(m for m in mutations(valid_document()) if m[0] in wanted):
        path = project_folder / f"abime{i}.maquette.json"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        paths.append(str(path))
    for name, corners in {
        "lon200": [(-1.68, 48.1), (200.0, 48.1)],
        "pole": [(0.0, 89.9997), (10.0, 89.9997)],
    }.items():
        features = [
            {
                "type": "Feature",
                "properties": {"hauteur": 10},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[x, y], [x + 2e-4, y], [x, y + 2e-4], [x, y]]],
                },
            }
            for x, y in corners
        ]
        (folder / f"{name}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": features})
        )
        paths.append(str(folder / f"{name}.geojson"))
    return paths


def _options(name: str) -> list[tuple[str, bool]]:
    """(option, takes a value) of command ``name``, from its parser."""
    found = []
    for action in COMMANDS[name].parser()._actions:
        if not action.option_strings or action.dest in ("help", "output", "json"):
            continue
        found.append((action.option_strings[-1], action.nargs != 0))
    return found


def _argv(draw: st.DrawFn, name: str, inputs: dict[str, list[str]]) -> list[str]:
    paths = draw(st.lists(st.sampled_from(inputs["good"] + inputs["bad"]), min_size=1, max_size=2))
    if name in ("shade", "sunlight"):
        paths = paths[:1]
    out = Path(inputs["folder"][0]) / draw(st.sampled_from(["out", "absent/out", ""])) / "x"
    argv = [name, *paths]
    if name != "info":
        argv += ["-o", str(out) + draw(st.sampled_from(SUFFIXES))]
    # small work by default; the fuzzed flags come after and win
    argv += {
        "render": ["--size", "64x48"],
        "video": ["--size", "64x48", "--duration", "0.4", "--fps", "5"],
    }.get(name, [])
    for option, takes_value in draw(st.lists(st.sampled_from(_options(name)), max_size=4, unique=True)):
        argv.append(option)
        if takes_value:
            argv.append(draw(st.sampled_from(POOLS.get(option, TEXTS))))
    return argv


def _run(argv: list[str]) -> tuple[int, list[str]]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse's own usage errors
            status = exc.code if isinstance(exc.code, int) else 2
    return status, err.getvalue().strip().splitlines()


@pytest.mark.parametrize("name", ["info", "render", "export", "shade", "sunlight", "video"])
def test_any_flags_give_a_result_or_one_line(name, inputs):
    seen: list[tuple[list[str], int, list[str]]] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def check(data: st.DataObject) -> None:
        argv = data.draw(st.composite(lambda draw: _argv(draw, name, inputs))())
        status, lines = _run(argv)
        seen.append((argv, status, lines))
        assert status in (0, 2), f"{argv!r} → exit {status}: {lines[-3:]}"
        assert not any("internal error" in line or "Traceback" in line for line in lines), (argv, lines)
        # every line is Maquette's: an error, a warning, a usage mistake (never a library's chatter)
        assert all(line.startswith("maquette") for line in lines), (argv, lines)
        if status == 2:
            assert sum("error" in line or "argument" in line for line in lines) == 1, (argv, lines)

    check()
    assert any(status == 2 for _, status, _ in seen)  # the fuzzer reached the checks
