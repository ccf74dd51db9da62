"""Fuzzing the loaders: any bytes give a layer or an InputError, never another exception, a crash
or a hang. Driven by ``test_fuzz_loaders.py``; runnable alone::

    python -m tests.layers.io.fuzz_loaders geojson --examples 500 [--seed 7] [--out result.json]

Each format starts from a small valid file (built here) and hypothesis either mutates it (bytes
flipped, cut, inserted, deleted, repeated, format tokens spliced in; header formats mostly in their
first kilobytes) or replaces it with arbitrary bytes. Every example is written into a fresh folder
and opened as a user would (detection, reading, ``prepare()`` — meshes, indexes —, ``describe()``;
a project is read and its scene built). The outcome is tallied; an exception other than
:class:`~layers.core.errors.InputError` is recorded with its traceback and the example kept on disk.

The example being tried is saved before it is opened, so when GDAL crashes the process (the parent
runs GDAL-backed formats in a child process) the culprit is there to read; a per-example deadline
(``faulthandler``) turns a hang into a crash with a traceback.
"""

from __future__ import annotations

import argparse
import faulthandler
import io
import json
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.layers.io.osm_pbf import pbf_bytes, square_extract

X0, Y0 = 351_500.0, 6_789_000.0
#: a single example may take this long before it counts as a hang, seconds
DEADLINE_S = 30
FORMATS = (
    "geojson",
    "shapefile",
    "geopackage",
    "csv",
    "geotiff",
    "cityjson",
    "citygml",
    "gtfs",
    "project",
    "osm",
)
#: formats read by GDAL (run in a child process: a crash there must not take pytest down)
GDAL_FORMATS = ("geojson", "shapefile", "geopackage", "geotiff", "osm")

TOKENS = {
    "json": [
        b"null",
        b"-1e309",
        b"1e308",
        b"NaN",
        b'"',
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b"\\u0000",
        b'"type"',
        b'"Polygon"',
        b'"coordinates"',
        b"[[[]]]",
        b'"crs"',
        b"-0",
        b"9" * 40,
        b"\xc3\x28",
        b"\xff\xfe",
    ],
    "csv": [
        b";",
        b",",
        b"\n",
        b"\r\n",
        b'"',
        b"NaN",
        b"-1e309",
        b"2025-03-30T02:30",
        b"2025-10-26T02:30",
        b"24:00",
        b"+14:00",
        b"Z",
        b"\t",
        b"\xe9",
        b"\xff",
        b"00:00:60",
        b"-999999999",
        b"lon",
        b"lat",
        b"time",
    ],
    "xml": [
        b"<",
        b">",
        b"</",
        b"&amp;",
        b"&lol;",
        b'<!DOCTYPE x [<!ENTITY lol "lol">]>',
        b"]]>",
        b"<![CDATA[",
        b"-1e309",
        b"NaN",
        b" ",
        b'srsName="EPSG:4326"',
        b"<gml:posList>1 2 3</gml:posList>",
        b"\x00",
    ],
    "binary": [
        b"\x00" * 4,
        b"\xff" * 4,
        b"\x7f\xff\xff\xff",
        b"\x80\x00\x00\x00",
        b"\x00\x00\x00\x00\x00\x00\xf0\x7f",
    ],
}


# -- seeds: one small valid file (or set) per format ----------------------------------------------------
def seeds(folder: Path) -> dict[str, dict[str, bytes]]:
    """``{format: {file name: bytes}}``: the first name is the one opened."""
    import geopandas as gpd
    import numpy as np
    from shapely.geometry import box

    frame = gpd.GeoDataFrame(
        {"id": ["B0", "B1", "B2"], "hauteur": [10.0, 12.5, 30.0], "nom": ["Mairie", "École", "Gare"]},
        geometry=[box(X0 + 40 * i, Y0, X0 + 40 * i + 25, Y0 + 20) for i in range(3)],
        crs="EPSG:2154",
    )
    out: dict[str, dict[str, bytes]] = {}
    out["geojson"] = {"batiments.geojson": frame.to_json().encode()}
    frame.to_file(folder / "batiments.shp", encoding="UTF-8")
    out["shapefile"] = {
        f"batiments{s}": (folder / f"batiments{s}").read_bytes()
        for s in (".shp", ".shx", ".dbf", ".prj", ".cpg")
    }
    frame.to_file(folder / "batiments.gpkg")
    out["geopackage"] = {"batiments.gpkg": (folder / "batiments.gpkg").read_bytes()}
    rows = [
        f"2025-07-0{d}T{h:02d}:00;{s};{-1.68 + 0.01 * k:.3f};48.11{k};{20 + h / 2 + k:.1f}"
        for d in (1, 2)
        for h in range(0, 24, 3)
        for k, s in enumerate("ABC")
    ]
    out["csv"] = {"temperature.csv": ("time;sensor_id;lon;lat;temp_c\n" + "\n".join(rows) + "\n").encode()}
    import rasterio
    from rasterio.transform import from_origin

    with rasterio.open(
        folder / "lden.tif",
        "w",
        driver="GTiff",
        width=16,
        height=12,
        count=1,
        dtype="float32",
        crs="EPSG:2154",
        transform=from_origin(X0, Y0 + 120, 10, 10),
        nodata=-9999,
    ) as ds:
        ds.write(np.linspace(45, 75, 16 * 12, dtype=np.float32).reshape(1, 12, 16))
        ds.update_tags(1, UNIT="dB(A)")
    out["geotiff"] = {"lden.tif": (folder / "lden.tif").read_bytes()}
    out["cityjson"] = {"ville.city.json": json.dumps(_cityjson()).encode()}
    out["citygml"] = {"ville.gml": _citygml().encode()}
    out["gtfs"] = {"reseau.zip": _gtfs_zip()}
    out["osm"] = {"monaco.osm.pbf": pbf_bytes(*square_extract(), compress=False)}
    out["project"] = {
        "etude.maquette.json": json.dumps(_project()).encode(),
        "batiments.geojson": out["geojson"]["batiments.geojson"],
    }
    return out


def _cityjson() -> dict:
    vertices = [
        [0, 0, 0],
        [2000, 0, 0],
        [2000, 1500, 0],
        [0, 1500, 0],
        [0, 0, 900],
        [2000, 0, 900],
        [2000, 1500, 900],
        [0, 1500, 900],
    ]
    shell = [[[0, 3, 2, 1]], [[4, 5, 6, 7]], [[0, 1, 5, 4]], [[1, 2, 6, 5]], [[2, 3, 7, 6]], [[3, 0, 4, 7]]]
    return {
        "type": "CityJSON",
        "version": "2.0",
        "transform": {"scale": [0.01, 0.01, 0.01], "translate": [X0, Y0, 30.0]},
        "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/2154"},
        "CityObjects": {
            "b1": {
                "type": "Building",
                "attributes": {"measuredHeight": 9.0},
                "geometry": [
                    {
                        "type": "Solid",
                        "lod": "1",
                        "boundaries": [shell],
                        "semantics": {
                            "surfaces": [
                                {"type": "GroundSurface"},
                                {"type": "RoofSurface"},
                                {"type": "WallSurface"},
                            ],
                            "values": [[0, 1, 2, 2, 2, 2]],
                        },
                    }
                ],
            }
        },
        "vertices": vertices,
    }


def _citygml() -> str:
    ring = f"{X0} {Y0} 30 {X0 + 20} {Y0} 30 {X0 + 20} {Y0 + 15} 30 {X0} {Y0 + 15} 30 {X0} {Y0} 30"
    roof = ring.replace(" 30", " 39")
    polygon = (
        '<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">'
        "{}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>"
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" \
xmlns:bldg="http://www.opengis.net/citygml/building/2.0" xmlns:gml="http://www.opengis.net/gml">
<gml:boundedBy><gml:Envelope srsName="EPSG:2154" srsDimension="3">\
<gml:lowerCorner>{X0} {Y0} 30</gml:lowerCorner><gml:upperCorner>{X0 + 20} {Y0 + 15} 39</gml:upperCorner>\
</gml:Envelope></gml:boundedBy>
<core:cityObjectMember><bldg:Building gml:id="B1"><bldg:measuredHeight uom="m">9</bldg:measuredHeight>
<bldg:lod1Solid><gml:Solid><gml:exterior><gml:CompositeSurface>{polygon.format(ring)}{polygon.format(roof)}</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod1Solid>
</bldg:Building></core:cityObjectMember></core:CityModel>
"""


GTFS_MEMBERS = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Réseau,https://example.org,Europe/Paris\n",
    "stops.txt": (
        "stop_id,stop_name,stop_lat,stop_lon\nS1,Gare,48.1030,-1.6720\n"
        "S2,Mairie,48.1110,-1.6800\nS3,Parc,48.1150,-1.6900\n"
    ),
    "routes.txt": "route_id,agency_id,route_short_name,route_type,route_color\nR1,A,C1,3,E30613\n",
    "trips.txt": "route_id,service_id,trip_id,direction_id\nR1,SEM,T1,0\nR1,SEM,T2,1\n",
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,07:00:00,07:00:00,S1,1\nT1,07:06:00,07:06:00,S2,2\nT1,07:12:00,07:12:00,S3,3\n"
        "T2,24:10:00,24:10:00,S3,1\nT2,24:16:00,24:16:00,S2,2\nT2,24:22:00,24:22:00,S1,3\n"
    ),
    "calendar.txt": (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "SEM,1,1,1,1,1,0,0,20250601,20250831\n"
    ),
}


def _gtfs_zip(members: dict[str, bytes | str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (members or GTFS_MEMBERS).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _project() -> dict:
    return {
        "version": 1,
        "title": "Étude",
        "crs": "EPSG:2154",
        "timezone": "Europe/Paris",
        "clock": {
            "time": "2025-07-01T12:00:00+02:00",
            "start": "2025-07-01T00:00:00+02:00",
            "end": "2025-07-02T00:00:00+02:00",
            "speed_s_per_s": 600,
            "loop": True,
        },
        "layers": [
            {
                "id": "bati",
                "kind": "buildings",
                "name": "Bâtiments",
                "source": "batiments.geojson",
                "options": {"height_field": "hauteur"},
                "style": {"color_by": "hauteur", "filter": {"conditions": [], "mode": "hide"}},
                "visible": True,
                "opacity": 0.8,
            }
        ],
        "views": [
            {
                "name": "Vue",
                "position": [X0, Y0 - 300, 200],
                "focal_point": [X0 + 50, Y0 + 10, 0],
                "view_up": [0, 0, 1],
            }
        ],
        "story": [{"title": "Étape", "view": "Vue", "time": "2025-07-01T08:00:00+02:00"}],
        "annotations": [],
        "moments": [],
    }


# -- mutations -----------------------------------------------------------------------------------------
def _apply(data: bytes, ops: list[tuple]) -> bytes:
    out = bytearray(data)
    for op in ops:
        kind, at = op[0], min(op[1], len(out))
        if kind == "flip" and out:
            out[min(at, len(out) - 1)] ^= op[2]
        elif kind == "cut":
            del out[at:]
        elif kind == "insert":
            out[at:at] = op[2]
        elif kind == "delete":
            del out[at : at + op[2]]
        elif kind == "token":
            out[at : at + len(op[2]) if op[3] else at] = op[2]
        elif kind == "repeat":
            piece = bytes(out[at : at + op[2]])
            out[at:at] = piece * op[3]
    return bytes(out)


def mutated(seed: bytes, tokens: list[bytes], *, head: int | None = None) -> st.SearchStrategy[bytes]:
    """``seed`` changed by 1-6 operations; positions within the first ``head`` bytes when given
    (three times in four: formats whose header decides everything)."""
    size = len(seed)
    anywhere = st.integers(0, size)
    position = (
        anywhere
        if head is None
        else st.one_of(
            st.integers(0, min(head, size)),
            st.integers(0, min(head, size)),
            st.integers(0, min(head, size)),
            anywhere,
        )
    )
    op = st.one_of(
        st.tuples(st.just("flip"), position, st.integers(1, 255)),
        st.tuples(st.just("cut"), position),
        st.tuples(st.just("insert"), position, st.binary(min_size=1, max_size=24)),
        st.tuples(st.just("delete"), position, st.integers(1, 96)),
        st.tuples(st.just("token"), position, st.sampled_from(tokens), st.booleans()),
        st.tuples(st.just("repeat"), position, st.integers(1, 48), st.integers(2, 40)),
    )
    return st.lists(op, min_size=1, max_size=6).map(lambda ops: _apply(seed, ops))


def examples(fmt: str, files: dict[str, bytes]) -> st.SearchStrategy[dict[str, bytes]]:
    """Strategy of ``{file name: bytes}`` for ``fmt`` (the seed's first name is the one opened)."""
    names = list(files)
    main = names[0]
    garbage = st.binary(max_size=4096)
    if fmt == "shapefile":
        member = st.sampled_from(names)
        return st.tuples(member, st.one_of(garbage, st.just(b"")), st.booleans()).flatmap(
            lambda t: (
                mutated(files[t[0]], TOKENS["binary"] + TOKENS["csv"], head=128) if t[2] else st.just(t[1])
            ).map(lambda b, name=t[0]: {**files, name: b})
        )
    if fmt == "gtfs":

        def member_zip(name: str) -> st.SearchStrategy[dict[str, bytes]]:
            text = GTFS_MEMBERS[name].encode()
            return mutated(text, TOKENS["csv"]).map(lambda b: {main: _gtfs_zip({**GTFS_MEMBERS, name: b})})

        return st.one_of(
            st.sampled_from(list(GTFS_MEMBERS)).flatmap(member_zip),
            mutated(files[main], TOKENS["binary"], head=256).map(lambda b: {main: b}),
            st.sets(st.sampled_from(list(GTFS_MEMBERS)), max_size=4).map(
                lambda drop: {
                    main: _gtfs_zip(
                        {k: v for k, v in GTFS_MEMBERS.items() if k not in drop} | {"../evil.txt": "x"}
                    )
                }
            ),
        )
    tokens = {"geojson": "json", "cityjson": "json", "project": "json", "csv": "csv", "citygml": "xml"}.get(
        fmt, "binary"
    )
    head = {"geopackage": 4096, "geotiff": 1024}.get(fmt)
    strategy = st.one_of(
        mutated(files[main], TOKENS[tokens], head=head),
        mutated(files[main], TOKENS[tokens], head=head),
        garbage,
    )
    if fmt in ("project", "cityjson"):
        strategy = st.one_of(strategy, _json_edits(json.loads(files[main])))
    return strategy.map(lambda b: {**files, main: b})


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _json_edits(document: dict) -> st.SearchStrategy[bytes]:
    """A valid document with one value somewhere replaced by any JSON value."""
    paths: list[tuple] = []

    def walk(value, path):
        paths.append(path)
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value[:3]):
                walk(v, path + (i,))

    walk(document, ())

    def replace(path, value):
        doc = json.loads(json.dumps(document))
        if not path:
            return json.dumps(value).encode()
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return json.dumps(doc).encode()

    return st.tuples(st.sampled_from(paths), JSON_VALUES).map(lambda t: replace(*t))


# -- the oracle ----------------------------------------------------------------------------------------
def open_as_a_user(path: Path) -> str:
    """Open ``path`` the way the app does; returns ``"layer"`` or ``"input error"`` (other
    exceptions propagate)."""
    from layers.core.detect import detect_kind
    from layers.core.errors import InputError
    from layers.core.reading import open_layer
    from layers.session.project import load_project
    from layers.session.scene_io import build_scene, update_from_scene

    try:
        if detect_kind(path) == "project":  # what the app does with a project: scene, views, story, comments
            from layers.sensors.moments import project_moments
            from layers.session.comments import comments_from_project
            from layers.session.story import Story

            project = load_project(path)
            scene, _report = build_scene(project)
            project.views()
            try:
                Story.from_list(project.data.get("story"), scene.timezone)
            except ValueError:
                pass  # the app says the story could not be read and opens the rest
            comments_from_project(project.data.get("annotations"))
            project_moments(project, scene.timezone)
            update_from_scene(project, scene)
            json.dumps(project.data, allow_nan=False)
            return "layer"
        layer = open_layer(path)
        layer.prepare()
        json.dumps(layer.describe(), default=str)
        if layer.feature_count():
            layer.attributes(0)
        return "layer"
    except InputError as exc:
        exc.one_line()
        return "input error"


def run(fmt: str, count: int, seed: int | None, folder: Path) -> dict:
    """Fuzz ``fmt`` with ``count`` examples; the tally as a JSON-ready dict."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL and pandas warn about what the mutations break
        return _run(fmt, count, seed, folder)


def _run(fmt: str, count: int, seed: int | None, folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    base = seeds(Path(tempfile.mkdtemp(dir=folder)))[fmt]
    tally = {"format": fmt, "examples": 0, "layer": 0, "input error": 0, "failures": [], "max_s": 0.0}
    work = folder / "example"
    last = folder / "last_example.json"

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        derandomize=seed is None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(examples(fmt, base))
    def one(files: dict[str, bytes]) -> None:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        for name, content in files.items():
            (work / name).write_bytes(content)
        last.write_text(json.dumps({"format": fmt, "files": {n: c.hex() for n, c in files.items()}}))
        target = work / next(iter(files))
        faulthandler.dump_traceback_later(DEADLINE_S, exit=True)  # a hang becomes a crash with a traceback
        t0 = time.perf_counter()
        try:
            outcome = open_as_a_user(target)
        except Exception as exc:  # noqa: BLE001 - what we are looking for
            keep = folder / f"failure_{len(tally['failures'])}"
            shutil.copytree(work, keep, dirs_exist_ok=True)
            tally["failures"].append(
                {
                    "error": f"{type(exc).__name__}: {exc}"[:500],
                    "traceback": traceback.format_exc()[-3000:],
                    "example": str(keep),
                }
            )
            outcome = "failure"
        finally:
            faulthandler.cancel_dump_traceback_later()
        tally["max_s"] = max(tally["max_s"], round(time.perf_counter() - t0, 3))
        tally["examples"] += 1
        if outcome != "failure":
            tally[outcome] += 1

    if seed is not None:
        from hypothesis import seed as hypothesis_seed

        one = hypothesis_seed(seed)(one)
    one()
    last.unlink(missing_ok=True)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("format", choices=FORMATS)
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument(
        "--seed", type=int, help="random seed (default: hypothesis's derandomised, fixed run)"
    )
    parser.add_argument("--folder", type=Path, default=None, help="where examples and failures are kept")
    parser.add_argument("--out", type=Path, help="write the tally as JSON here")
    args = parser.parse_args(argv)
    folder = args.folder or Path(tempfile.mkdtemp(prefix=f"fuzz_{args.format}_"))
    tally = run(args.format, args.examples, args.seed, folder)
    text = json.dumps(tally, indent=1)
    if args.out:
        args.out.write_text(text)
    print(text if tally["failures"] else json.dumps({k: v for k, v in tally.items() if k != "failures"}))
    return 1 if tally["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
