"""layers.buildings.layer: loading real footprints, heights, repairs and the extruded mesh."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.buildings.footprints import BDTOPO_ATTRIBUTION, OSM_ATTRIBUTION
from layers.buildings.layer import BuildingsLayer
from layers.buildings.mesh import extrude
from layers.core.errors import InputError
from layers.core.geometry import polygon_rings
from layers.core.reading import open_layer

X0, Y0 = 351000.0, 6789000.0  # Rennes, Lambert-93 metres

REAL = [
    # path, features, EPSG, height range (m), attribution
    ("buildings/lyon1_bdtopo/buildings_lyon1.geojson", 2576, 3946, (0.4, 50.7), BDTOPO_ATTRIBUTION),
    ("buildings/rennes2_campus/campus_rennes2_bati_3d.geojson", 177, 4326, (2.0, 24.0), None),
    ("buildings/rennes2_campus/villejean_bati_height.geojson", 84, 4326, (2.44, 24.0), None),
    ("buildings/lorient_noisemodelling/buildings.shp", 1701, 2154, (3.0, 49.2), OSM_ATTRIBUTION),
    ("buildings/lorient_noisemodelling/ground_type.shp", 27, 2154, (9.0, 9.0), OSM_ATTRIBUTION),
]


def _write(tmp_path: Path, geoms, name="b.geojson", **columns) -> Path:
    path = tmp_path / name
    gpd.GeoDataFrame(columns, geometry=list(geoms), crs="EPSG:2154").to_file(path)
    return path


def _wall_segments(layer: BuildingsLayer) -> int:
    rings = polygon_rings(np.asarray(layer.frame.geometry.values))
    segments = rings.segments()
    step = rings.points[segments[:, 1]] - rings.points[segments[:, 0]]
    return int(np.count_nonzero(np.hypot(*step.T) > 0))


def _volumes(mesh, count: int) -> np.ndarray:
    """Signed volume enclosed per building (divergence theorem, origin on the ground plane).

    Ground-level buildings have no floor; a floor at z = 0 adds nothing to this sum, so the volume
    of a correct, outward-wound mesh is area × (height − base).
    """
    pts = mesh.points - np.array([mesh.points[:, 0].mean(), mesh.points[:, 1].mean(), 0.0])
    a, b, c = (pts[mesh.triangles[:, k]] for k in range(3))
    signed = np.einsum("ij,ij->i", a, np.cross(b, c)) / 6.0
    return np.bincount(mesh.owner, weights=signed, minlength=count)


# -- real files ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "relative,count,epsg,height_range,attribution", REAL, ids=[r[0].split("/")[-1] for r in REAL]
)
def test_real_buildings_load_and_mesh(shared_data, relative, count, epsg, height_range, attribution):
    layer = BuildingsLayer.load(shared_data / relative)
    assert layer.kind == "buildings"
    assert layer.feature_count() == count
    assert layer.crs.to_epsg() == epsg
    assert layer.height_m.min() == pytest.approx(height_range[0])
    assert layer.height_m.max() == pytest.approx(height_range[1])
    assert layer.attribution == attribution
    if attribution == OSM_ATTRIBUTION:  # the credit line in the audience's language
        from layers.core.messages import word

        assert word(attribution, "fr") == "© les contributeurs d'OpenStreetMap"
        assert word(attribution, "en") == "© OpenStreetMap contributors"
    assert layer.frame["feature_index"].nunique() == count
    mesh = layer.mesh()
    assert mesh.points.dtype == np.float64 and mesh.points.shape[1] == 3
    assert mesh.triangles.dtype == np.int64 and mesh.owner.dtype == np.int64
    assert len(mesh.triangles) > 0 and mesh.is_roof.any()
    assert set(np.unique(mesh.owner)) == set(range(count))
    walls = ~mesh.is_roof & (np.ptp(mesh.points[mesh.triangles][:, :, 2], axis=1) > 0)
    assert walls.sum() == 2 * _wall_segments(layer)


def test_lyon_volumes_match_footprints_in_metric_crs(shared_data):
    layer = BuildingsLayer.load(shared_data / "buildings/lyon1_bdtopo/buildings_lyon1.geojson")
    expected = shapely.area(np.asarray(layer.frame.geometry.values)) * (layer.height_m - layer.base_m)
    np.testing.assert_allclose(_volumes(layer.mesh(), layer.feature_count()), expected, rtol=1e-6, atol=1e-3)


def test_rennes2_parts_start_at_min_height(shared_data):
    layer = BuildingsLayer.load(shared_data / "buildings/rennes2_campus/campus_rennes2_bati_3d.geojson")
    assert layer.height_field == "hauteur"
    assert layer.base_m.max() > 0
    assert np.all(layer.base_m < layer.height_m)
    layer.reproject(layer.crs.from_epsg(2154))
    mesh = layer.mesh()
    expected = shapely.area(np.asarray(layer.frame.geometry.values)) * (layer.height_m - layer.base_m)
    np.testing.assert_allclose(_volumes(mesh, layer.feature_count()), expected, rtol=1e-6, atol=1e-2)
    raised = int(np.flatnonzero(layer.base_m > 0)[0])
    z = mesh.points[mesh.triangles[mesh.owner == raised]][:, :, 2]
    assert z.min() == pytest.approx(layer.base_m[raised])
    assert layer.attributes(raised)["base_m"] == pytest.approx(layer.base_m[raised])


def test_lyon_attributes_and_colours(shared_data):
    layer = BuildingsLayer.load(shared_data / "buildings/lyon1_bdtopo/buildings_lyon1.geojson")
    fields = layer.color_fields()
    assert fields["height_m"] == "numeric" and fields["HAUTEUR"] == "numeric"
    assert fields["USAGE1"] == "categorical" and fields["NATURE"] == "categorical"
    assert "ID" not in fields  # 2576 distinct identifiers colour nothing
    assert layer.values("height_m") is layer.height_m
    usage = layer.values("USAGE1")
    assert usage.shape == (2576,) and usage.dtype == object
    assert layer.unit("height_m") == "m" and layer.unit("HAUTEUR") == "m" and layer.unit("USAGE1") == ""
    attributes = layer.attributes(0)
    assert attributes["ID"] == "BATIMENT0000000240876972"
    assert attributes["NATURE"] == "Indifférenciée"
    assert attributes["height_m"] == 9.2 and attributes["height_source"] == "HAUTEUR"
    # BD TOPO footprints carry the gutter altitude as Z (Z_MIN_TOIT), kept for terrain draping
    assert layer.footprint_z[0] == pytest.approx(209.7)
    json.dumps(attributes)  # JSON-ready for the inspector
    info = layer.describe()
    assert info["height_field"] == "HAUTEUR" and info["heights_defaulted"] == 0 and info["repaired"] == 0
    assert "USAGE1" in info["fields"] and info["crs"] == "EPSG:3946"
    json.dumps(info)


def test_registry_detects_and_opens_buildings(shared_data):
    layer = open_layer(shared_data / "buildings/lorient_noisemodelling/buildings.shp", name="Lorient")
    assert isinstance(layer, BuildingsLayer) and layer.name == "Lorient"


def test_reproject_moves_frame_and_rebuilds_mesh(shared_data):
    layer = BuildingsLayer.load(shared_data / "buildings/rennes2_campus/villejean_bati_height.geojson")
    degrees = layer.mesh().points[:, 0].max()
    layer.reproject(layer.crs.from_epsg(3948))
    assert layer.crs.to_epsg() == 3948
    assert 1.3e6 < layer.bounds()[0] < 1.4e6
    assert layer.mesh().points[:, 0].max() > 1e6 > degrees


# -- heights ------------------------------------------------------------------------------------
def test_missing_heights_defaulted_with_warning(tmp_path):
    boxes = [shapely.box(X0 + 20 * i, Y0, X0 + 20 * i + 10, Y0 + 10) for i in range(5)]
    path = _write(tmp_path, boxes, ID=["A", "B", "C", "D", "E"], HAUTEUR=[12.0, None, -3.0, 5000.0, 0.0])
    layer = BuildingsLayer.load(path)
    np.testing.assert_allclose(layer.height_m, [12.0, 9.0, 9.0, 9.0, 9.0])
    assert layer.describe()["heights_defaulted"] == 4
    (warning,) = [w for w in layer.warnings if "no usable height" in w]
    assert "4 buildings" in warning and "ID=B" in warning and "9 m" in warning
    assert layer.attributes(1)["height_source"] == "default 9 m"
    layer = BuildingsLayer.load(path, default_height_m=6)
    assert layer.height_m[1] == 6.0 and layer.options == {"default_height_m": 6}


def test_file_without_height_field(tmp_path):
    path = _write(tmp_path, [shapely.box(X0, Y0, X0 + 10, Y0 + 10)] * 3, name="nh.shp", nom=["a", "b", "c"])
    layer = BuildingsLayer.load(path)
    assert layer.height_field is None
    np.testing.assert_allclose(layer.height_m, 9.0)
    assert np.isnan(layer.footprint_z).all()
    assert len([w for w in layer.warnings if "no height field" in w]) == 1


def test_explicit_height_field(tmp_path):
    path = _write(tmp_path, [shapely.box(X0, Y0, X0 + 10, Y0 + 10)], HAUTEUR=[10.0], NB_ETAGES=[4])
    layer = BuildingsLayer.load(path, height_field="NB_ETAGES")
    assert layer.height_m[0] == 12.0 and layer.height_field == "NB_ETAGES"
    assert layer.options["height_field"] == "NB_ETAGES"
    with pytest.raises(InputError, match="field 'HAUT'.*no such height field"):
        BuildingsLayer.load(path, height_field="HAUT")


# -- geometry repairs -----------------------------------------------------------------------------
def test_bowtie_repaired(tmp_path):
    bowtie = shapely.Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10)])
    assert not bowtie.is_valid
    path = _write(
        tmp_path, [bowtie, shapely.box(X0 + 30, Y0, X0 + 40, Y0 + 10)], ID=["BOW", "OK"], HAUTEUR=[6.0, 6.0]
    )
    layer = BuildingsLayer.load(path)
    assert layer.describe()["repaired"] == 1
    assert any("1 invalid polygons were repaired" in w and "ID=BOW" in w for w in layer.warnings)
    bow_rows = layer.frame["ID"] == "BOW"
    assert bow_rows.sum() == 2  # the two triangles of the bow-tie, each a part
    assert set(layer.frame.loc[bow_rows, "feature_index"]) == {0}
    assert shapely.area(layer.frame.geometry[bow_rows]).sum() == pytest.approx(50.0)
    assert shapely.is_valid(np.asarray(layer.frame.geometry.values)).all()


def test_zero_area_dropped(tmp_path):
    flat = shapely.Polygon([(X0, Y0), (X0 + 10, Y0), (X0 + 20, Y0)])
    path = _write(
        tmp_path, [flat, shapely.box(X0, Y0, X0 + 5, Y0 + 5)], ID=["FLAT", "OK"], HAUTEUR=[6.0, 6.0]
    )
    layer = BuildingsLayer.load(path)
    assert layer.feature_count() == 1 and layer.frame["ID"].tolist() == ["OK"]
    assert layer.describe()["dropped"] == 1
    assert any("dropped" in w and "ID=FLAT" in w for w in layer.warnings)


def test_multipolygon_split(tmp_path):
    multi = shapely.MultiPolygon(
        [shapely.box(X0, Y0, X0 + 10, Y0 + 10), shapely.box(X0 + 20, Y0, X0 + 30, Y0 + 10)]
    )
    path = _write(
        tmp_path, [multi, shapely.box(X0 + 50, Y0, X0 + 60, Y0 + 10)], ID=["M", "S"], HAUTEUR=[10.0, 20.0]
    )
    layer = BuildingsLayer.load(path)
    assert layer.feature_count() == 2 and layer.part_count() == 3
    assert layer.frame["feature_index"].tolist() == [0, 0, 1]
    assert layer.frame["ID"].tolist() == ["M", "M", "S"]
    np.testing.assert_allclose(layer.height_m, [10.0, 10.0, 20.0])
    assert layer.describe()["source_features"] == 2


def test_courtyard_hole_kept(tmp_path):
    outer = [(X0, Y0), (X0 + 30, Y0), (X0 + 30, Y0 + 30), (X0, Y0 + 30)]
    hole = [(X0 + 10, Y0 + 10), (X0 + 20, Y0 + 10), (X0 + 20, Y0 + 20), (X0 + 10, Y0 + 20)]
    path = _write(tmp_path, [shapely.Polygon(outer, [hole])], HAUTEUR=[15.0])
    layer = BuildingsLayer.load(path)
    mesh = layer.mesh()
    roof = mesh.triangles[mesh.is_roof]
    centroids = mesh.points[roof].mean(axis=1)
    assert not shapely.contains_xy(shapely.Polygon(hole), centroids[:, 0], centroids[:, 1]).any()
    assert np.isclose(mesh.points[roof][:, :, 2], 15.0).all()
    # 4 outer + 4 courtyard walls, two triangles each
    assert (~mesh.is_roof).sum() == 16
    np.testing.assert_allclose(_volumes(mesh, 1), [800.0 * 15.0])


def test_winding_outward_on_clockwise_input():
    """A footprint given clockwise (as shapefiles store it) still gets outward walls and an up roof."""
    cw = shapely.Polygon([(0, 0), (0, 10), (10, 10), (10, 0)])
    assert not cw.exterior.is_ccw
    from layers.vector.layer import polygon_parts

    parts, _, _, _ = polygon_parts(np.array([cw]))
    mesh = extrude(parts, np.array([5.0]), np.array([0.0]))
    a, b, c = (mesh.points[mesh.triangles[:, k]] for k in range(3))
    normals = np.cross(b - a, c - a)
    assert (normals[mesh.is_roof][:, 2] > 0).all()
    centroid = (a + b + c)[~mesh.is_roof] / 3
    outward = normals[~mesh.is_roof][:, :2]
    assert (np.einsum("ij,ij->i", outward, centroid[:, :2] - [5.0, 5.0]) > 0).all()


# -- files --------------------------------------------------------------------------------------
def test_latin1_shapefile_without_cpg(tmp_path):
    path = tmp_path / "bati.shp"
    frame = gpd.GeoDataFrame(
        {"NATURE": ["Indifférenciée", "Chapelle"], "HAUTEUR": [9.0, 12.0]},
        geometry=[shapely.box(X0, Y0, X0 + 10, Y0 + 10), shapely.box(X0 + 20, Y0, X0 + 30, Y0 + 10)],
        crs="EPSG:2154",
    )
    frame.to_file(path, encoding="ISO-8859-1")
    path.with_suffix(".cpg").unlink()
    raw = path.with_suffix(".dbf").read_bytes()
    assert "Indifférenciée".encode("latin-1") in raw and "Indifférenciée".encode() not in raw
    layer = BuildingsLayer.load(path)
    assert layer.frame["NATURE"].tolist() == ["Indifférenciée", "Chapelle"]
    assert layer.attributes(0)["NATURE"] == "Indifférenciée"


def _broken_files(tmp_path: Path, shared_data: Path) -> dict[str, Path]:
    files = {}
    files["empty"] = tmp_path / "empty.geojson"
    files["empty"].write_bytes(b"")
    files["truncated"] = tmp_path / "cut.geojson"
    files["truncated"].write_bytes(
        (shared_data / "buildings/lyon1_bdtopo/buildings_lyon1.geojson").read_bytes()[:5000]
    )
    files["garbage"] = tmp_path / "garbage.gpkg"
    files["garbage"].write_bytes(bytes(range(256)) * 20)
    files["text as shp"] = tmp_path / "readme.shp"
    files["text as shp"].write_text("Bâtiments de Lorient, voir le fichier joint.\n")
    files["degrees as L93"] = tmp_path / "lonlat.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"HAUTEUR": 9},
            "geometry": shapely.geometry.mapping(shapely.box(-1.68, 48.11, -1.679, 48.111)),
        }
    ]
    files["degrees as L93"].write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
                "features": features,
            }
        )
    )
    return files


@pytest.mark.parametrize(
    "case,reason",
    [
        ("empty", "the file is empty"),
        ("truncated", "is not valid JSON at line"),
        ("garbage", "not readable as a GeoPackage"),
        ("text as shp", "not readable as an ESRI Shapefile"),
        (
            "degrees as L93",
            "EPSG:2154 is projected but the coordinates (-1.68, 48.11, -1.679, 48.111) look like degrees",
        ),
    ],
)
def test_broken_files_give_one_line_input_errors(tmp_path, shared_data, case, reason):
    path = _broken_files(tmp_path, shared_data)[case]
    with pytest.raises(InputError) as info:
        BuildingsLayer.load(path)
    text = str(info.value)
    assert text.startswith(str(path)) and reason in text and "\n" not in text


def test_points_are_not_buildings(tmp_path):
    path = _write(tmp_path, [shapely.Point(X0, Y0)], HAUTEUR=[3.0])
    with pytest.raises(InputError, match="holds no polygons"):
        BuildingsLayer.load(path)


# -- accounting: every feature shown or dropped with its reason ---------------------------------
@pytest.mark.parametrize("relative", [r[0] for r in REAL], ids=[r[0].split("/")[-1] for r in REAL])
def test_real_files_account_for_every_feature(shared_data, relative):
    info = BuildingsLayer.load(shared_data / relative).describe()
    assert info["features_in"] == info["features"] + info["dropped"]
    assert info["dropped"] == sum(info["dropped_reasons"].values())


def test_csv_rows_without_or_with_bad_geometry_are_counted(tmp_path):
    path = tmp_path / "bati.csv"
    path.write_text(
        "id;hauteur;wkt\n"
        f"A;10;POLYGON(({X0} {Y0},{X0 + 10} {Y0},{X0 + 10} {Y0 + 10},{X0} {Y0 + 10},{X0} {Y0}))\n"
        "B;12;\n"
        "C;8;POLYGON((1 2, oops\n"
        f"D;9;LINESTRING({X0} {Y0},{X0 + 5} {Y0})\n"
        f"E;9;POLYGON(({X0} {Y0},{X0 + 10} {Y0},{X0 + 20} {Y0},{X0} {Y0}))\n",
        encoding="utf-8",
    )
    layer = BuildingsLayer.load(path, crs="EPSG:2154")
    info = layer.describe()
    assert info["features_in"] == 5 and info["features"] == 1
    assert info["dropped_reasons"] == {
        "unreadable geometry": 1,
        "no geometry": 1,
        "not a polygon": 1,
        "no area": 1,
    }
    assert info["dropped_examples"]["not a polygon"] == "id=D"
    assert info["dropped_examples"]["unreadable geometry"] == "feature 2"


def test_repaired_and_defaulted_examples(tmp_path):
    bowtie = shapely.Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10)])
    path = _write(
        tmp_path, [bowtie, shapely.box(X0 + 30, Y0, X0 + 40, Y0 + 10)], ID=["BOW", "NOH"], HAUTEUR=[6.0, None]
    )
    info = BuildingsLayer.load(path).describe()
    assert info["repaired"] == 1 and info["repaired_examples"] == "ID=BOW"
    assert info["heights_defaulted"] == 1 and info["heights_defaulted_examples"] == "ID=NOH"


def test_find_and_feature_bounds(tmp_path):
    multi = shapely.MultiPolygon(
        [shapely.box(X0, Y0, X0 + 10, Y0 + 10), shapely.box(X0 + 20, Y0, X0 + 30, Y0 + 10)]
    )
    path = _write(
        tmp_path,
        [multi, shapely.box(X0 + 50, Y0, X0 + 60, Y0 + 10)],
        ID=["M", "S"],
        nom=["Halle Saint-Léon", "Gare"],
        HAUTEUR=[10.0, 20.0],
    )
    layer = BuildingsLayer.load(path)
    found = layer.find("saint-leon")
    assert [m.row for m in found] == [0]  # one match per feature, not per part
    assert list(layer.feature_rows(1)) == [0, 1]
    assert layer.feature_bounds(1) == pytest.approx((X0, Y0, X0 + 30, Y0 + 10))


def test_fast_extrusion_matches_on_many_shapes():
    """Fans (convex) and earcut (L-shapes, courtyards, repeated points) give closed outward solids."""
    from layers.buildings.mesh import extrude

    square = shapely.box(0, 0, 10, 10)
    ell = shapely.Polygon([(20, 0), (30, 0), (30, 5), (25, 5), (25, 10), (20, 10)])
    court = shapely.Polygon([(40, 0), (60, 0), (60, 20), (40, 20)], [[(45, 5), (45, 15), (55, 15), (55, 5)]])
    repeated = shapely.Polygon([(70, 0), (80, 0), (80, 0), (80, 10), (75, 4), (70, 10)])
    clockwise = shapely.Polygon([(90, 0), (90, 10), (100, 10), (100, 0)])
    polygons = np.array([square, ell, court, repeated, clockwise])
    heights = np.array([5.0, 6.0, 7.0, 8.0, 9.0])
    bases = np.array([0.0, 0.0, 2.0, 0.0, 0.0])
    mesh = extrude(polygons, heights, bases)
    np.testing.assert_allclose(_volumes(mesh, 5), shapely.area(polygons) * (heights - bases), rtol=1e-9)
    a, b, c = (mesh.points[mesh.triangles[:, k]] for k in range(3))
    assert (np.cross(b - a, c - a)[mesh.is_roof][:, 2] > -1e-9).all()
    assert mesh.point_owner.shape == (len(mesh.points),)
