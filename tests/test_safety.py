"""Safety: no network, no XML entities, no archive escapes, no code from user files, outside paths
shown before they are read (see layers/safety.py and docs/bad_input.md)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from layers.core.errors import InputError
from layers.core.reading import open_layer

REPO = Path(__file__).resolve().parents[1]
X0, Y0 = 351_500.0, 6_789_000.0


# -- no network ---------------------------------------------------------------------------------------
@pytest.fixture
def no_network(monkeypatch):
    """Every way Python opens a connection or resolves a name fails loudly (and is recorded)."""
    attempts: list[str] = []

    def refuse(name):
        def call(*args, **kwargs):
            attempts.append(f"{name}{args[1:2] if name.endswith('connect') else args[:1]}")
            raise AssertionError(f"network access attempted: {name} {args!r}")

        return call

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    return attempts


def run_session(folder: Path) -> dict:
    """A whole session headless: open the sample city, replay it, render, export an image, save."""
    import numpy as np

    from layers.session.opening import open_paths
    from layers.session.project import save_project
    from layers.session.scene_io import update_from_scene
    from viewer.render import make_plotter, render_still
    from viewer.scene_view import SceneView

    session = open_paths([])
    scene = session.scene
    plotter = make_plotter((480, 320))
    view = SceneView(plotter, scene, language="fr")
    start, end = scene.clock.start, scene.clock.end
    for f in np.linspace(0.0, 1.0, 24):
        scene.clock.time = start + (end - start) * float(f)
        plotter.render()
    view.close()
    plotter.close()
    render_still(session, folder / "rendu.png", size=(480, 320))
    from viewer.export_image import ExportView, write_image

    export = ExportView(scene, twin=True, size=(640, 400))
    write_image(export.render((640, 400)), folder / "export.png")
    export.close()
    update_from_scene(session.project, scene, folder=folder)
    saved = save_project(session.project, folder / "seance.maquette.json")
    return {"layers": len(scene.layers), "saved": saved}


def test_a_whole_session_opens_no_connection(no_network, tmp_path):
    import pyproj

    result = run_session(tmp_path)
    assert no_network == []
    assert result["layers"] >= 8 and json.loads(result["saved"].read_text(encoding="utf-8"))["layers"]
    assert (tmp_path / "rendu.png").stat().st_size > 10_000 and (
        tmp_path / "export.png"
    ).stat().st_size > 10_000
    assert not pyproj.network.is_network_enabled()


def test_gdal_network_drivers_are_gone():
    import pyogrio
    import rasterio

    from layers.core.safety import NETWORK_DRIVERS

    with rasterio.Env() as env:
        raster_drivers = set(env.drivers())
    assert not raster_drivers & set(NETWORK_DRIVERS)
    assert not set(pyogrio.list_drivers()) & set(NETWORK_DRIVERS)
    assert (
        os.environ["CPL_VSIL_CURL_ALLOWED_EXTENSIONS"] == ".maquette-offline"
        and os.environ["PROJ_NETWORK"] == "OFF"
    )


@pytest.mark.parametrize(
    "source",
    ["/vsicurl/http://127.0.0.1:9/lden.tif", "http://127.0.0.1:9/lden.tif", "WMS:http://127.0.0.1:9/wms?"],
)
def test_a_vrt_reading_a_remote_source_is_refused(source, tmp_path):
    vrt = tmp_path / "lden.vrt"
    vrt.write_text(f"""<VRTDataset rasterXSize="10" rasterYSize="10"><SRS>EPSG:2154</SRS>
  <GeoTransform>{X0}, 10, 0, {Y0}, 0, -10</GeoTransform>
  <VRTRasterBand dataType="Float32" band="1"><SimpleSource>
    <SourceFilename relativeToVRT="0">{source}</SourceFilename><SourceBand>1</SourceBand>
  </SimpleSource></VRTRasterBand></VRTDataset>""")
    with pytest.raises(InputError, match="reads a remote source .*never connects to a network"):
        open_layer(vrt)


def test_a_wms_description_disguised_as_a_tiff_is_not_opened(tmp_path):
    fake = tmp_path / "fond.tif"
    fake.write_text(
        '<GDAL_WMS><Service name="WMS"><ServerUrl>http://127.0.0.1:9/wms?</ServerUrl><Layers>x</Layers></Service>'
        "<DataWindow><UpperLeftX>-180</UpperLeftX><UpperLeftY>90</UpperLeftY><LowerRightX>180</LowerRightX>"
        "<LowerRightY>-90</LowerRightY><SizeX>100</SizeX><SizeY>100</SizeY></DataWindow></GDAL_WMS>"
    )
    with pytest.raises(InputError, match="not a raster format GDAL can read"):
        open_layer(fake)


@pytest.mark.parametrize(
    "path",
    [
        "https://example.org/bati.geojson",
        "/vsicurl/https://example.org/lden.tif",
        "/vsis3/bucket/bati.gpkg",
        "PG:dbname=ville host=example.org",
        "WFS:https://example.org/wfs",
    ],
)
def test_remote_paths_are_refused_everywhere(path, tmp_path):
    from layers.session.opening import open_paths

    for opener in (open_layer, lambda p: open_paths([p])):
        with pytest.raises(InputError, match="is a web address or a remote source"):
            opener(path)
    project = tmp_path / "p.maquette.json"
    project.write_text(
        json.dumps({"version": 1, "layers": [{"id": "x", "kind": "buildings", "source": path}]})
    )
    session = open_paths([project, REPO / "sample_city" / "streets.gpkg"], strict=False)
    assert "is a web address or a remote source" in session.report.errors[0].one_line()
    assert "x" in session.project.unopened


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace not installed")
def test_no_connection_at_the_system_level(tmp_path):
    """GDAL, PROJ and libcurl are C: check the system calls of a whole session, in a child."""
    script = tmp_path / "session.py"
    script.write_text(
        f"import sys\nsys.path.insert(0, {str(REPO)!r})\n"
        "from pathlib import Path\nfrom tests.test_safety import run_session\n"
        f"print(run_session(Path({str(tmp_path)!r})))\n"
    )
    log = tmp_path / "strace.log"
    done = subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=connect,sendto,sendmsg",
            "-o",
            str(log),
            sys.executable,
            str(script),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    if done.returncode != 0 and "ptrace" in done.stderr:
        pytest.skip(f"strace cannot trace here: {done.stderr.strip()[:200]}")
    assert done.returncode == 0, done.stderr[-2000:]
    calls = [line for line in log.read_text().splitlines() if re.search(r"AF_INET6?|sin6?_addr", line)]
    assert calls == []


# -- XML ----------------------------------------------------------------------------------------------
SECRET = "SECRET-dont-read-me"
POLYGON = (
    '<gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">'
    f"{X0} {Y0} 0 {X0 + 10} {Y0} 0 {X0 + 10} {Y0 + 10} 0 {X0} {Y0 + 10} 0 {X0} {Y0} 0"
    "</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
)


def citygml(doctype: str, name: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
{doctype}<core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" \
xmlns:bldg="http://www.opengis.net/citygml/building/2.0" xmlns:gml="http://www.opengis.net/gml">
<gml:boundedBy><gml:Envelope srsName="EPSG:2154" srsDimension="3">\
<gml:lowerCorner>{X0} {Y0} 0</gml:lowerCorner><gml:upperCorner>{X0 + 10} {Y0 + 10} 10</gml:upperCorner>\
</gml:Envelope></gml:boundedBy>
<core:cityObjectMember><bldg:Building gml:id="B1"><gml:name>{name}</gml:name>\
<bldg:measuredHeight>10</bldg:measuredHeight>
<bldg:lod1Solid><gml:Solid><gml:exterior><gml:CompositeSurface><gml:surfaceMember>{POLYGON}</gml:surfaceMember></gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod1Solid>
</bldg:Building></core:cityObjectMember></core:CityModel>
"""


def plain_gml(doctype: str, name: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
{doctype}<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml">
<gml:featureMember><ogr:bati fid="b.0"><ogr:geometryProperty>\
<gml:Polygon srsName="EPSG:2154"><gml:outerBoundaryIs><gml:LinearRing>
<gml:coordinates>{X0},{Y0} {X0 + 10},{Y0} {X0 + 10},{Y0 + 10} {X0},{Y0}</gml:coordinates>\
</gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>
</ogr:geometryProperty><ogr:nom>{name}</ogr:nom><ogr:hauteur>10</ogr:hauteur></ogr:bati></gml:featureMember></ogr:FeatureCollection>
"""


def laughs(root: str) -> str:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">' for i in range(1, 10)
    ]
    return f"<!DOCTYPE {root} [\n" + "\n".join(entities) + "\n]>\n"


@pytest.mark.parametrize("kind", ["citygml", "gml"])
def test_external_entities_are_never_read(kind, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    doctype = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
    path = tmp_path / f"xxe_{kind}.gml"
    path.write_text(citygml(doctype, "&xxe;") if kind == "citygml" else plain_gml(doctype, "&xxe;"))
    t0 = time.perf_counter()
    try:
        layer = open_layer(path)
    except InputError as exc:  # refused is fine too
        assert SECRET not in exc.one_line()
    else:
        assert SECRET not in json.dumps(
            [layer.attributes(i) for i in range(layer.feature_count())], default=str
        )
    assert time.perf_counter() - t0 < 10


@pytest.mark.parametrize("kind", ["citygml", "gml"])
def test_entity_expansion_is_refused_quickly(kind, tmp_path):
    path = tmp_path / f"lol_{kind}.gml"
    path.write_text(
        citygml(laughs("core:CityModel"), "&lol9;")
        if kind == "citygml"
        else plain_gml(laughs("ogr:FeatureCollection"), "&lol9;")
    )
    t0 = time.perf_counter()
    with pytest.raises(InputError) as info:
        open_layer(path)
    assert time.perf_counter() - t0 < 10
    assert "lollollol" not in info.value.one_line()


# -- archives -----------------------------------------------------------------------------------------
def _sample_gtfs(tmp_path: Path, extra: dict[str, str]) -> Path:
    path = tmp_path / "feed" / "reseau.zip"
    path.parent.mkdir()
    with zipfile.ZipFile(REPO / "sample_city" / "gtfs.zip") as source, zipfile.ZipFile(path, "w") as target:
        for member in source.namelist():
            target.writestr(member, source.read(member))
        for name, content in extra.items():
            target.writestr(name, content)
    return path


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_gtfs_zip_member_escaping_its_folder_is_ignored(tmp_path):
    path = _sample_gtfs(
        tmp_path, {"../evil.txt": "owned", "../../../../tmp/evil2.txt": "owned", "/etc/evil3.txt": "owned"}
    )
    before = _tree(tmp_path)
    layer = open_layer(path)
    assert layer.kind == "transit" and len(layer.stop_names) > 0
    assert _tree(tmp_path) == before  # nothing written anywhere under the test's folder
    assert not Path("/tmp/evil2.txt").exists() and not (tmp_path / "evil.txt").exists()


def test_gtfs_table_under_an_escaping_name_is_refused(tmp_path):
    path = _sample_gtfs(tmp_path, {"../stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nX,Ailleurs,0,0\n"})
    with pytest.raises(InputError) as info:
        open_layer(path)
    assert info.value.one_line() == (
        f"{path}: the zip archive names files outside itself (../stops.txt) "
        "(a GTFS zip holds its .txt files at its root: zip the feed again)"
    )


def test_zipped_shapefile_escaping_the_archive_is_not_read(tmp_path):
    import geopandas as gpd
    from shapely.geometry import box

    folder = tmp_path / "shp"
    folder.mkdir()
    gpd.GeoDataFrame({"hauteur": [10.0]}, geometry=[box(X0, Y0, X0 + 10, Y0 + 10)], crs=2154).to_file(
        folder / "b.shp"
    )
    path = tmp_path / "bati.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for part in folder.iterdir():
            archive.write(part, f"../{part.name}")
    with pytest.raises(InputError, match="holds no GTFS feed .* nor shapefile"):
        open_layer(path)


# -- no code from user files ----------------------------------------------------------------------------
FORBIDDEN = {
    "pickle": r"\b(c?pickle|dill|joblib)\b",
    "eval / exec / compile": r"(?<![\w.])(eval|exec|compile)\s*\(",
    "yaml.load": r"\byaml\.(unsafe_)?load\b",
    "marshal / shelve": r"\b(marshal|shelve)\b",
    "numpy pickles": r"allow_pickle\s*=\s*True",
    "pandas pickles": r"read_pickle",
    "__import__": r"__import__\s*\(",
    "shell": r"shell\s*=\s*True|os\.system\s*\(|os\.popen\s*\(",
}


def test_no_code_is_ever_run_from_user_files():
    found = []
    for package in ("layers", "viewer", "desktop"):
        for path in sorted((REPO / package).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                code = re.sub(r"(\"\"\"|'''|\"[^\"]*\"|'[^']*')", "''", code)  # not in strings
                for what, pattern in FORBIDDEN.items():
                    if re.search(pattern, code):
                        found.append(f"{path.relative_to(REPO)}:{number}: {what}: {line.strip()}")
    assert found == []


def test_import_module_reads_only_the_fixed_tables():
    """``importlib`` is used by the kind tables alone, whose targets are literals in the code."""
    uses = [
        str(p.relative_to(REPO))
        for package in ("layers", "viewer", "desktop")
        for p in (REPO / package).rglob("*.py")
        if "import_module(" in p.read_text(encoding="utf-8")
    ]
    assert sorted(uses) == [
        "desktop/controls/__init__.py",
        "layers/core/kinds.py",
        "viewer/visuals/__init__.py",
    ]


def test_a_project_is_data_not_code(tmp_path):
    canary = tmp_path / "owned"
    project = tmp_path / "piege.maquette.json"
    project.write_text(
        json.dumps(
            {
                "version": 1,
                "title": f"__import__('os').system('touch {canary}')",
                "layers": [
                    {
                        "id": "a",
                        "kind": f"__import__('os').system('touch {canary}')",
                        "source": "../../etc/passwd",
                    },
                    {
                        "id": "b",
                        "kind": "layers.core.reading:open_layer",
                        "source": str(REPO / "sample_city" / "streets.gpkg"),
                    },
                ],
            }
        )
    )
    from layers.session.project import load_project
    from layers.session.scene_io import build_scene

    scene, report = build_scene(load_project(project))
    assert not canary.exists() and not scene.layers
    assert "missing" in report.errors[0].one_line() and "unknown layer kind" in report.errors[1].one_line()


# -- data outside a project's folder ---------------------------------------------------------------------
@pytest.fixture
def outside_project(tmp_path) -> Path:
    shutil.copy(REPO / "sample_city" / "streets.gpkg", tmp_path / "rues.gpkg")
    (tmp_path / "projet").mkdir()
    shutil.copy(REPO / "sample_city" / "landuse.gpkg", tmp_path / "projet" / "sols.gpkg")
    path = tmp_path / "projet" / "etude.maquette.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "layers": [
                    {"id": "sols", "kind": "vector", "source": "sols.gpkg"},
                    {"id": "rues", "kind": "streets", "source": "../rues.gpkg"},
                ],
            }
        )
    )
    return path


def test_outside_sources_are_listed_before_opening(outside_project, tmp_path):
    from layers.session.opening import open_paths
    from layers.session.project import load_project, outside_sources

    assert outside_sources(load_project(outside_project)) == [("rues", tmp_path / "rues.gpkg")]
    session = open_paths([outside_project], strict=False, skip={"rues"})
    assert [layer.project_id for layer in session.scene.layers] == ["sols"]
    assert "not opened: its data lies outside the project's folder" in session.report.errors[0].one_line()
    assert "rues" in session.project.unopened  # declined, not dropped from the project


def test_cli_warns_before_reading_outside_data(outside_project, tmp_path, capsys):
    from desktop.cli import main

    assert main(["render", str(outside_project), "-o", str(tmp_path / "x.png"), "--size", "160x120"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"maquette: warning: {outside_project} reads data outside its folder: {tmp_path / 'rues.gpkg'}"
    ]


def _zip_bomb(path: Path, member: str = "stop_times.txt", megabytes: int = 40) -> Path:
    """A zip whose ``member`` declares ``megabytes`` of zeros packed into a few kilobytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ("agency.txt", "stops.txt", "routes.txt", "trips.txt"):
            archive.writestr(name, "id\n1\n")
        with archive.open(member, "w") as handle:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                handle.write(chunk)
    return path


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked(tmp_path):
    from layers.core.detect import detect_kind

    bomb = _zip_bomb(tmp_path / "gtfs.zip")
    for read in (detect_kind, lambda p: open_layer(p, "transit")):
        with pytest.raises(
            InputError, match=r"stop_times.txt would inflate [\d,]+ times, to 40.0 MB \(a zip bomb\?\)"
        ):
            read(bomb)
    shapefile = _zip_bomb(tmp_path / "bati.zip", member="bati.dbf")
    with pytest.raises(InputError, match="zip bomb"):
        open_layer(shapefile, "buildings")


def test_an_archive_too_large_once_unpacked_is_refused(tmp_path, monkeypatch):
    import layers.core.safety as safety

    monkeypatch.setattr(safety, "MAX_UNPACKED_BYTES", 1024 * 1024)  # 1 MB for the test
    path = tmp_path / "gtfs.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt"):
            archive.writestr(name, "id,name\n" + "".join(f"{i},arrêt {i}\n" for i in range(60_000)))
    with pytest.raises(InputError, match=r"its files take [\d.]+ MB once unpacked \(at most 1.0 MB\)"):
        open_layer(path, "transit")


# -- data outside a project's folder through a symbolic link ------------------------------------------
@pytest.fixture
def linked_project(tmp_path) -> Path:
    """A project whose folder holds a link to a file outside it, a link to a folder outside it and a
    link to a file inside it."""
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    shutil.copy(REPO / "sample_city" / "streets.gpkg", elsewhere / "rues.gpkg")
    shutil.copy(REPO / "sample_city" / "landuse.gpkg", elsewhere / "parcs.gpkg")
    folder = tmp_path / "projet"
    folder.mkdir()
    shutil.copy(REPO / "sample_city" / "landuse.gpkg", folder / "sols.gpkg")
    (folder / "rues.gpkg").symlink_to(elsewhere / "rues.gpkg")
    (folder / "donnees").symlink_to(elsewhere, target_is_directory=True)
    (folder / "alias.gpkg").symlink_to(folder / "sols.gpkg")
    path = folder / "etude.maquette.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "layers": [
                    {"id": "sols", "kind": "vector", "source": "sols.gpkg"},
                    {"id": "alias", "kind": "vector", "source": "alias.gpkg"},
                    {"id": "rues", "kind": "streets", "source": "rues.gpkg"},
                    {"id": "parcs", "kind": "vector", "source": "donnees/parcs.gpkg"},
                ],
            }
        )
    )
    return path


def test_links_leading_out_of_the_folder_are_outside_sources(linked_project, tmp_path):
    from layers.session.opening import open_paths
    from layers.session.project import load_project, outside_sources

    assert outside_sources(load_project(linked_project)) == [
        ("rues", tmp_path / "ailleurs" / "rues.gpkg"),  # where the data really is
        ("parcs", tmp_path / "ailleurs" / "parcs.gpkg"),
    ]
    session = open_paths([linked_project], strict=False, skip={"rues", "parcs"})
    assert [layer.project_id for layer in session.scene.layers] == ["sols", "alias"]


def test_a_project_opened_through_a_linked_folder_reads_inside_it(linked_project, tmp_path):
    from layers.session.project import load_project, outside_sources

    (tmp_path / "raccourci").symlink_to(linked_project.parent, target_is_directory=True)
    project = load_project(tmp_path / "raccourci" / linked_project.name)
    assert [key for key, _ in outside_sources(project)] == ["rues", "parcs"]  # not sols nor alias


def test_cli_warns_about_data_reached_through_a_link(linked_project, tmp_path, capsys):
    from desktop.cli import main

    assert main(["render", str(linked_project), "-o", str(tmp_path / "x.png"), "--size", "160x120"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"maquette: warning: {linked_project} reads data outside its folder: {tmp_path / 'ailleurs' / name}"
        for name in ("rues.gpkg", "parcs.gpkg")
    ]
