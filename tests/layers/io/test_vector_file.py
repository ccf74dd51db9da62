"""layers.io.vector_file: formats, encodings, CRS rules and clear errors for broken files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.core.errors import InputError
from layers.io import list_layers, read_vector
from layers.io.vector_file import example_ids

# two small buildings in Rennes, Lambert-93 metres
BOXES = [shapely.box(351000, 6789000, 351010, 6789012), shapely.box(351020, 6789000, 351030, 6789008)]


def _frame(crs="EPSG:2154") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"NATURE": ["Indifférenciée", "Église"], "n": [1, 2]}, geometry=BOXES, crs=crs)


def _shapefile_without_cpg(folder: Path, encoding: str, name: str = "bati") -> Path:
    path = folder / f"{name}.shp"
    _frame().to_file(path, encoding=encoding)
    path.with_suffix(".cpg").unlink()
    dbf = bytearray(path.with_suffix(".dbf").read_bytes())
    dbf[29] = 0  # no language driver either: nothing says what the bytes are
    path.with_suffix(".dbf").write_bytes(bytes(dbf))
    return path


# -- real files --------------------------------------------------------------------------------
def test_geojson_legacy_crs_member(shared_data):
    data = read_vector(shared_data / "buildings/lyon1_bdtopo/buildings_lyon1.geojson")
    assert data.crs.to_epsg() == 3946
    assert len(data.frame) == 2576
    assert data.has_z
    assert data.frame["NATURE"].str.contains("Indifférenciée").any()


def test_geojson_rfc7946_is_wgs84(shared_data):
    data = read_vector(shared_data / "buildings/rennes2_campus/campus_rennes2_bati_3d.geojson")
    assert data.crs.to_epsg() == 4326
    assert len(data.frame) == 177
    assert data.warnings == []


def test_shapefile_prj_lambert93(shared_data):
    data = read_vector(shared_data / "buildings/lorient_noisemodelling/buildings.shp")
    assert data.crs.to_epsg() == 2154
    assert len(data.frame) == 1701
    assert list(data.frame.index[:3]) == [0, 1, 2]


def test_esri_prj_normalised_to_epsg(shared_data):
    data = read_vector(
        shared_data / "noise/bordeaux_agglo_end_2022/NoiseContours_airportsInAgglomeration_Lden.shp"
    )
    assert data.crs.to_epsg() == 3945


def test_cpg_honoured(shared_data):
    data = read_vector(shared_data / "noise/gironde_infra_cbs_2022/N_BRUIT_ZBRD_INFRA_R_C_LD_S_033.shp")
    assert data.encoding == "ISO-8859-1"
    assert not data.frame["CODINFRA"].astype(str).str.contains("Ã").any()


# -- encodings ---------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["ISO-8859-1", "UTF-8"])
def test_shapefile_encoding_detected_without_cpg(tmp_path, encoding):
    path = _shapefile_without_cpg(tmp_path, encoding)
    data = read_vector(path)
    assert sorted(data.frame["NATURE"]) == ["Indifférenciée", "Église"]


def test_cpg_that_lies_is_overruled(tmp_path):
    path = _shapefile_without_cpg(tmp_path, "ISO-8859-1")
    path.with_suffix(".cpg").write_text("UTF-8")
    data = read_vector(path)
    assert "Indifférenciée" in list(data.frame["NATURE"])
    assert any(".cpg" in w for w in data.warnings)


def test_zipped_shapefile(tmp_path):
    path = _shapefile_without_cpg(tmp_path, "UTF-8")
    archive = tmp_path / "bati.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for suffix in (".shp", ".shx", ".dbf", ".prj"):
            handle.write(path.with_suffix(suffix), f"folder/bati{suffix}")
    data = read_vector(archive)
    assert data.layer == "bati"
    assert data.crs.to_epsg() == 2154
    assert "Indifférenciée" in list(data.frame["NATURE"])
    assert list_layers(archive) == [("bati", "Shapefile")]


# -- other formats -----------------------------------------------------------------------------
def test_geopackage_layers(tmp_path):
    path = tmp_path / "city.gpkg"
    _frame().to_file(path, layer="buildings", driver="GPKG")
    _frame().iloc[:1].to_file(path, layer="parks", driver="GPKG")
    assert [name for name, _ in list_layers(path)] == ["buildings", "parks"]
    first = read_vector(path)
    assert first.layer == "buildings" and len(first.frame) == 2
    assert any("2 layers" in w for w in first.warnings)
    parks = read_vector(path, layer="parks")
    assert parks.layer == "parks" and len(parks.frame) == 1
    with pytest.raises(InputError, match="no layer 'roads'.*buildings, parks"):
        read_vector(path, layer="roads")


def test_flatgeobuf_and_geoparquet(tmp_path):
    _frame().to_file(tmp_path / "a.fgb")
    _frame().to_parquet(tmp_path / "a.parquet")
    for name in ("a.fgb", "a.parquet"):
        data = read_vector(tmp_path / name)
        assert data.crs.to_epsg() == 2154
        assert sorted(data.frame["NATURE"]) == ["Indifférenciée", "Église"]


def test_parquet_without_geo_metadata(tmp_path):
    path = tmp_path / "plain.parquet"
    _frame().drop(columns="geometry").pipe(lambda f: f.assign(x=1.0)).to_parquet(path)
    with pytest.raises(InputError, match="without GeoParquet metadata"):
        read_vector(path)


@pytest.mark.parametrize("sep,suffix", [(";", ".csv"), (",", ".csv"), ("\t", ".tsv")])
def test_csv_with_wkt(tmp_path, sep, suffix):
    path = tmp_path / f"table{suffix}"
    table = _frame().assign(WKT=[g.wkt for g in BOXES]).drop(columns="geometry")
    table.to_csv(path, sep=sep, index=False, encoding="cp1252")
    with pytest.raises(InputError, match="no CRS.*--crs"):
        read_vector(path)
    data = read_vector(path, crs="EPSG:2154")
    assert data.crs.to_epsg() == 2154
    assert list(data.frame["NATURE"]) == ["Indifférenciée", "Église"]
    assert shapely.equals(data.frame.geometry.values[0], BOXES[0])


def test_csv_ewkt_srid_is_a_declared_crs(tmp_path):
    path = tmp_path / "ewkt.csv"
    path.write_text("name,geom\na,SRID=2154;POINT (351000 6789000)\nb,SRID=2154;POINT (351010 6789000)\n")
    assert read_vector(path).crs.to_epsg() == 2154


def test_csv_without_wkt_column(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="no WKT column .* and no coordinate columns"):
        read_vector(path)


def test_z_kept_and_m_dropped(tmp_path):
    from pyogrio.raw import write

    geoms = shapely.from_wkt(["LINESTRING ZM (351000 6789000 12 1, 351010 6789000 13 2)"])
    path = tmp_path / "zm.gpkg"
    write(
        path,
        shapely.to_wkb(geoms, flavor="iso"),
        [np.array([1])],
        ["a"],
        driver="GPKG",
        geometry_type="Unknown",
        crs="EPSG:2154",
    )
    data = read_vector(path)
    geom = data.frame.geometry.values[0]
    assert data.has_z and shapely.has_z(geom) and not shapely.has_m(geom)
    assert shapely.get_coordinates(geom, include_z=True)[:, 2].tolist() == [12.0, 13.0]


# -- CRS rules ---------------------------------------------------------------------------------
def test_degrees_labelled_lambert93_is_an_error(tmp_path):
    path = tmp_path / "wrong.geojson"
    _frame().to_crs(4326).set_crs(2154, allow_override=True).to_file(path)
    with pytest.raises(InputError) as info:
        read_vector(path)
    text = str(info.value)
    assert "wrong.geojson" in text and "EPSG:2154" in text and "degrees" in text and "-1.6" in text
    assert read_vector(path, crs="EPSG:4326").crs.to_epsg() == 4326


def test_metres_labelled_wgs84_is_an_error(tmp_path):
    path = tmp_path / "wrong.fgb"
    _frame().set_crs(4326, allow_override=True).to_file(path)
    with pytest.raises(InputError, match="EPSG:4326 is in degrees"):
        read_vector(path)


def test_geojson_without_crs_in_metres_needs_a_crs(tmp_path):
    path = tmp_path / "no_crs.geojson"
    features = [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(b)} for b in BOXES]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(InputError, match="has no CRS.*--crs.*Lambert-93"):
        read_vector(path)
    assert read_vector(path, crs="2154").crs.to_epsg() == 2154


@pytest.mark.filterwarnings("ignore:.crs. was not provided")
def test_no_crs_in_degrees_inferred_with_warning(tmp_path):
    path = tmp_path / "lonlat.shp"
    _frame().to_crs(4326).set_crs(None, allow_override=True).to_file(path)
    data = read_vector(path)
    assert data.crs.to_epsg() == 4326
    assert any("EPSG:4326" in w for w in data.warnings)


def test_bad_crs_argument(tmp_path):
    _frame().to_file(tmp_path / "a.fgb")
    with pytest.raises(InputError, match="'EPSG:999999' is not a coordinate reference system"):
        read_vector(tmp_path / "a.fgb", crs="EPSG:999999")


# -- broken files ------------------------------------------------------------------------------
def _one_line(error: InputError, path: Path) -> str:
    text = str(error)
    assert "\n" not in text and str(path) in text and "Traceback" not in text
    return text


def test_empty_file(tmp_path):
    path = tmp_path / "empty.geojson"
    path.write_bytes(b"")
    with pytest.raises(InputError) as info:
        read_vector(path)
    assert "empty (expected GeoJSON)" in _one_line(info.value, path)


def test_truncated_geojson(tmp_path, shared_data):
    path = tmp_path / "cut.geojson"
    path.write_bytes((shared_data / "buildings/lyon1_bdtopo/buildings_lyon1.geojson").read_bytes()[:3000])
    with pytest.raises(InputError) as info:
        read_vector(path)
    assert "is not valid JSON at line" in _one_line(info.value, path)


def test_truncated_shapefile(tmp_path, shared_data):
    source = shared_data / "buildings/lorient_noisemodelling/buildings"
    for suffix in (".shx", ".dbf", ".prj"):
        (tmp_path / f"cut{suffix}").write_bytes(source.with_suffix(suffix).read_bytes())
    path = tmp_path / "cut.shp"
    path.write_bytes(source.with_suffix(".shp").read_bytes()[:50000])
    with pytest.raises(InputError) as info:
        read_vector(path)
    assert "truncated (50000 of" in _one_line(info.value, path)


@pytest.mark.parametrize(
    "name,expected",
    [
        ("noise.shp", "ESRI Shapefile"),
        ("noise.geojson", "GeoJSON"),
        ("noise.gpkg", "GeoPackage"),
        ("noise.fgb", "FlatGeobuf"),
    ],
)
def test_garbage_bytes(tmp_path, name, expected):
    path = tmp_path / name
    path.write_bytes(np.random.default_rng(1).integers(0, 256, 3000, dtype=np.uint8).tobytes())
    with pytest.raises(InputError) as info:
        read_vector(path)
    assert expected in _one_line(info.value, path)


def test_text_renamed_shp(tmp_path):
    path = tmp_path / "notes.shp"
    path.write_text("these are my notes, not a shapefile\n" * 10)
    with pytest.raises(InputError) as info:
        read_vector(path)
    assert "not readable as an ESRI Shapefile" in _one_line(info.value, path)


def test_shapefile_without_shx(tmp_path):
    path = tmp_path / "bati.shp"
    _frame().to_file(path)
    path.with_suffix(".shx").unlink()
    with pytest.raises(InputError, match=r"\.shx index is missing"):
        read_vector(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_vector(tmp_path / "absent.gpkg")
    with pytest.raises(InputError, match="is a folder"):
        read_vector(tmp_path)


def test_no_features(tmp_path):
    path = tmp_path / "none.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(InputError, match="holds no features"):
        read_vector(path)


def test_null_geometries_dropped_with_warning(tmp_path):
    path = tmp_path / "holes.geojson"
    features = [
        {"type": "Feature", "properties": {"ID": "A"}, "geometry": None},
        {
            "type": "Feature",
            "properties": {"ID": "B"},
            "geometry": {"type": "Point", "coordinates": [-1.68, 48.11]},
        },
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    data = read_vector(path)
    assert list(data.frame.index) == [1]
    assert any("1 features without geometry" in w and "ID=A" in w for w in data.warnings)


def test_example_ids_fall_back_to_feature_index():
    frame = gpd.GeoDataFrame({"x": [1, 2, 3, 4, 5]}, geometry=[shapely.Point(0, 0)] * 5)
    assert example_ids(frame, np.array([0, 1, 1, 1, 1], bool)) == "feature 1, feature 2, feature 3, ..."


def test_vector_info_reads_metadata_only(tmp_path):
    from layers.io.vector_file import vector_info

    path = _shapefile_without_cpg(tmp_path, "UTF-8")
    archive = tmp_path / "bati.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for suffix in (".shp", ".shx", ".dbf", ".prj"):
            handle.write(path.with_suffix(suffix), f"export/bati{suffix}")
    info = vector_info(archive)
    assert info["target"] == f"/vsizip/{archive}/export/bati.shp"
    assert info["geometry_type"] == "Polygon" and info["fields"] == ["NATURE", "n"] and info["features"] == 2
    _frame().to_parquet(tmp_path / "a.parquet")
    info = vector_info(tmp_path / "a.parquet")
    assert info["geometry_type"] == "Polygon" and info["fields"] == ["NATURE", "n"] and info["features"] == 2
    gpkg = tmp_path / "two.gpkg"
    _frame().to_file(gpkg, layer="first", driver="GPKG")
    _frame().to_file(gpkg, layer="second", driver="GPKG")
    assert vector_info(gpkg)["layer"] == "first"
    assert vector_info(gpkg, layer="second")["layer"] == "second"


# -- geometry collections ------------------------------------------------------------------------------
def _collections(tmp_path: Path) -> Path:
    """A GeoPackage of land use: a polygon, a collection of a polygon and a line, a collection of
    lines, a collection of a point only, and an empty collection."""
    line = shapely.LineString([(351000, 6789000), (351100, 6789100)])
    geometries = [
        BOXES[0],
        shapely.GeometryCollection([BOXES[1], line]),
        shapely.GeometryCollection([line, shapely.LineString([(351000, 6789050), (351050, 6789050)])]),
        shapely.GeometryCollection([shapely.Point(351005, 6789005)]),
        shapely.GeometryCollection(),
    ]
    frame = gpd.GeoDataFrame({"nature": ["parc", "jardin", "allee", "arbre", "vide"]}, geometry=geometries)
    path = tmp_path / "sols.gpkg"
    frame.set_crs(2154).to_file(path)
    return path


def test_geometry_collections_are_read_as_their_parts_and_said(tmp_path):
    data = read_vector(_collections(tmp_path))
    types = data.frame.geometry.geom_type.tolist()
    assert types == ["Polygon", "Polygon", "MultiLineString", "Point"]  # the empty one has no geometry
    assert data.frame.index.tolist() == [0, 1, 2, 3]
    assert data.warnings == [
        "sols.gpkg: 4 geometry collections were read as the polygons, lines or points they hold; "
        "1 lines inside them were left out (feature 1, feature 2, feature 3, ...)",
        "sols.gpkg: 1 features without geometry were skipped (feature 4)",
    ]


def test_a_collections_polygons_are_drawn_by_the_vector_layer(tmp_path):
    from layers.vector.layer import VectorLayer

    layer = VectorLayer.load(_collections(tmp_path))
    assert layer.describe()["geometry"] == {"polygons": 2, "lines": 1, "points": 1}
    drawn = np.unique(layer.triangles().owner)
    assert drawn.tolist() == [0, 1]  # the collection's polygon is drawn, not dropped
    assert np.unique(layer.lines().owner).tolist() == [2]
    assert layer.points_with_owner()[1].tolist() == [3]


def test_shapefile_without_dbf_reads_geometry_only(tmp_path):
    """A real download can lose its .dbf (Redon's BATIMENT): the outlines open, with one warning."""
    path = tmp_path / "bati.shp"
    _frame().to_file(path)
    path.with_suffix(".dbf").unlink()
    data = read_vector(path)
    assert len(data.frame) == len(_frame())
    assert list(data.frame.columns) == [data.frame.geometry.name]
    notes = [w for w in data.warnings if ".dbf attribute table is missing" in w]
    assert len(notes) == 1 and "geometry only" in notes[0]
