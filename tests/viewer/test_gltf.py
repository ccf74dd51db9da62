"""The 3D model: a valid glTF 2.0 binary with the scene's colours and georeference; OBJ + MTL."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from pygltflib import GLTF2

from layers.session.opening import open_paths
from viewer.export_image import ExportView
from viewer.export_mesh import MeshPart, collect, split_by_color
from viewer.export_model import export_model
from viewer.gltf import srgb_to_linear


@pytest.fixture(scope="module")
def session():
    session = open_paths([])
    for layer in session.scene.layers:  # a raster map too (a texture)
        if layer.project_id == "surface_temp":
            layer.visible = True
    return session


@pytest.fixture(scope="module")
def export(session):
    view = ExportView(session.scene, size=(320, 240))
    yield view
    view.close()


def accessor_array(gltf: GLTF2, index: int) -> np.ndarray:
    accessor = gltf.accessors[index]
    view = gltf.bufferViews[accessor.bufferView]
    blob = gltf.binary_blob()
    dtype = {5126: np.float32, 5123: np.uint16, 5125: np.uint32, 5121: np.uint8}[accessor.componentType]
    width = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}[accessor.type]
    start = view.byteOffset + (accessor.byteOffset or 0)
    return np.frombuffer(blob, dtype=dtype, count=accessor.count * width, offset=start).reshape(
        accessor.count, width
    )


def linear_to_srgb(values: np.ndarray) -> np.ndarray:
    return np.where(values <= 0.0031308, values * 12.92, 1.055 * values ** (1 / 2.4) - 0.055)


def test_glb_is_valid_with_colours_textures_and_georeference(export, session, tmp_path):
    out = tmp_path / "city.glb"
    stats = export_model(export.view, out)
    data = out.read_bytes()
    magic, version, length = struct.unpack("<4sII", data[:12])
    assert magic == b"glTF" and version == 2 and length == len(data)
    gltf = GLTF2().load(str(out))
    assert gltf.asset.version == "2.0"
    extras = gltf.asset.extras
    assert extras["crs"] == "EPSG:2154"
    assert extras["origin"][:2] == [float(session.scene.origin[0]), float(session.scene.origin[1])]
    root = gltf.nodes[gltf.scenes[0].nodes[0]]
    assert root.rotation == pytest.approx([-0.7071068, 0, 0, 0.7071068], abs=1e-6)  # z up → glTF y up
    names = {mesh.name for mesh in gltf.meshes}
    assert "Bâtiments" in names and "Occupation du sol" in names
    assert stats["textures"] == 1 and len(gltf.images) == 1 and gltf.images[0].mimeType == "image/png"
    assert "KHR_materials_unlit" in (gltf.extensionsUsed or [])

    # the buildings' colours are the ones drawn (the height ramp), as linear COLOR_0
    parts = {part.name: part for part in collect(export.view)}
    mesh = next(m for m in gltf.meshes if m.name == "Bâtiments")
    primitive = mesh.primitives[0]
    positions = accessor_array(gltf, primitive.attributes.POSITION)
    colours = accessor_array(gltf, primitive.attributes.COLOR_0) / 65535.0
    srgb = (linear_to_srgb(colours[:, :3]) * 255).round()
    drawn = parts["Bâtiments"]
    assert len(positions) == len(drawn.points)
    assert np.abs(srgb - drawn.colors[:, :3]).max() <= 1
    assert len(np.unique(drawn.colors[:, :3], axis=0)) > 20  # a ramp, not one colour
    bounds = session.scene.bounds()
    assert positions[:, 0].min() >= bounds[0] - session.scene.origin[0] - 1
    assert positions[:, 0].max() <= bounds[2] - session.scene.origin[0] + 1
    assert positions[:, 2].max() > 10  # heights (z up in the data, turned by the root node)
    accessor = gltf.accessors[primitive.attributes.POSITION]
    assert accessor.min is not None and accessor.max is not None
    unlit = [m for m in gltf.materials if m.name == "Occupation du sol"][0]
    assert "KHR_materials_unlit" in unlit.extensions


def test_glb_opens_in_another_reader(export, tmp_path):
    """VTK's own glTF reader (independent of the writer, always installed) reads the file whole."""
    from vtkmodules.vtkCommonDataModel import vtkCompositeDataSet
    from vtkmodules.vtkIOGeometry import vtkGLTFReader

    out = tmp_path / "city.glb"
    stats = export_model(export.view, out)
    reader = vtkGLTFReader()
    reader.SetFileName(str(out))
    reader.Update()
    data = reader.GetOutput()
    iterator = data.NewIterator()
    iterator.InitTraversal()
    meshes, points, bounds = 0, 0, []
    while not iterator.IsDoneWithTraversal():
        block = iterator.GetCurrentDataObject()
        if block is not None and block.GetNumberOfPoints():
            meshes += 1
            points += block.GetNumberOfPoints()
            bounds.append(block.GetBounds())
        iterator.GoToNextItem()
    assert isinstance(data, vtkCompositeDataSet) and meshes >= 5
    assert points == stats["vertices"]
    lows = np.min([b[0::2] for b in bounds], axis=0)
    highs = np.max([b[1::2] for b in bounds], axis=0)
    size = highs - lows
    assert size[1] > 10 and size[1] < min(size[0], size[2])  # y up: the city is wide, not tall


def test_obj_with_materials(export, tmp_path):
    out = tmp_path / "city.obj"
    stats = export_model(export.view, out)
    text = out.read_text(encoding="utf-8")
    mtl = out.with_suffix(".mtl").read_text(encoding="utf-8")
    assert text.startswith("# Maquette") and "mtllib city.mtl" in text
    assert text.count("\nv ") == stats["vertices"]
    assert text.count("\nf ") == stats["triangles"]
    assert mtl.count("newmtl") == stats["materials"] > 10 and "map_Kd" in mtl
    assert any(p.endswith(".png") for p in stats["files"])


def test_cell_colours_split_only_shared_corners():
    points = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], np.float32)
    triangles = np.array([[0, 1, 2], [0, 2, 3]])
    empty2, empty1 = np.empty((0, 2), np.int64), np.empty((0, 1), np.int64)
    red, blue = [255, 0, 0, 255], [0, 0, 255, 255]
    part = MeshPart("a", "a", points.copy(), triangles.copy(), empty2, empty1)
    split_by_color(
        part, np.array([red, red], np.uint8), np.empty((0, 4), np.uint8), np.empty((0, 4), np.uint8)
    )
    assert len(part.points) == 4  # one colour: nothing split
    part = MeshPart("b", "b", points.copy(), triangles.copy(), empty2, empty1)
    split_by_color(
        part, np.array([red, blue], np.uint8), np.empty((0, 4), np.uint8), np.empty((0, 4), np.uint8)
    )
    assert len(part.points) == 6  # the diagonal's two corners copied
    for tri, colour in zip(part.triangles, (red, blue)):
        assert (part.colors[tri] == colour).all()
    assert np.allclose(part.points[part.triangles], points[triangles])


def test_srgb_to_linear_round_trip():
    values = np.linspace(0, 1, 11)
    assert np.allclose(linear_to_srgb(srgb_to_linear(values)), values, atol=1e-9)
