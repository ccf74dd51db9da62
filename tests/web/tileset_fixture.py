"""A small valid 3D Tiles 1.1 tileset for the browser tests: a few box buildings in Rennes as one
binary glTF with per-building metadata (EXT_mesh_features + EXT_structural_metadata: ``id``,
``height_m``, ``usage``) and a ``tileset.json`` whose root transform places the local east-north-up
metres on the WGS84 ellipsoid (ECEF)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Rennes, place de la Mairie (WGS84 degrees)
RENNES_LON_LAT = (-1.6797, 48.1113)
#: the buildings' colour: sRGB orange (baseColorFactor is linear: converted below)
BUILDING_RGB = (230, 110, 30)
WGS84_A = 6378137.0
WGS84_E2 = 6.69437999014e-3


@dataclass(frozen=True)
class Box:
    """A box building: footprint corner (east, north) and size in metres, its metadata."""

    east: float
    north: float
    width: float
    depth: float
    height_m: float
    id: str
    usage: str

    @property
    def centre(self) -> tuple[float, float, float]:
        """The box's centre in local east-north-up metres."""
        return (self.east + self.width / 2, self.north + self.depth / 2, self.height_m / 2)


BOXES = (
    Box(0, 0, 30, 20, 12.0, "BATIMENT0001", "Résidentiel"),
    Box(45, 5, 25, 25, 24.5, "BATIMENT0002", "Commercial et services"),
    Box(90, -5, 20, 35, 38.0, "BATIMENT0003", "Résidentiel"),
    Box(20, 45, 40, 18, 16.0, "BATIMENT0004", "Industriel"),
    Box(75, 50, 22, 22, 30.0, "BATIMENT0005", "Annexe"),
)


def enu_to_ecef(lon_deg: float, lat_deg: float, height: float = 0.0) -> np.ndarray:
    """The 4×4 matrix from local east-north-up metres at (lon, lat, height) to ECEF metres."""
    lon, lat = math.radians(lon_deg), math.radians(lat_deg)
    n = WGS84_A / math.sqrt(1 - WGS84_E2 * math.sin(lat) ** 2)
    origin = np.array(
        [
            (n + height) * math.cos(lat) * math.cos(lon),
            (n + height) * math.cos(lat) * math.sin(lon),
            (n * (1 - WGS84_E2) + height) * math.sin(lat),
        ]
    )
    east = np.array([-math.sin(lon), math.cos(lon), 0.0])
    north = np.array([-math.sin(lat) * math.cos(lon), -math.sin(lat) * math.sin(lon), math.cos(lat)])
    up = np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])
    matrix = np.eye(4)
    matrix[:3, 0], matrix[:3, 1], matrix[:3, 2], matrix[:3, 3] = east, north, up, origin
    return matrix


def _box_mesh(box: Box) -> tuple[np.ndarray, np.ndarray]:
    """24 vertices (positions, normals) of ``box`` in glTF axes (x east, y up, z south)."""
    x0, x1 = box.east, box.east + box.width
    y0, y1 = 0.0, box.height_m
    z0, z1 = -(box.north + box.depth), -box.north
    faces = [  # (normal, four corners counter-clockwise seen from outside)
        ((1, 0, 0), [(x1, y0, z1), (x1, y0, z0), (x1, y1, z0), (x1, y1, z1)]),
        ((-1, 0, 0), [(x0, y0, z0), (x0, y0, z1), (x0, y1, z1), (x0, y1, z0)]),
        ((0, 1, 0), [(x0, y1, z1), (x1, y1, z1), (x1, y1, z0), (x0, y1, z0)]),
        ((0, -1, 0), [(x0, y0, z0), (x1, y0, z0), (x1, y0, z1), (x0, y0, z1)]),
        ((0, 0, 1), [(x0, y0, z1), (x1, y0, z1), (x1, y1, z1), (x0, y1, z1)]),
        ((0, 0, -1), [(x1, y0, z0), (x0, y0, z0), (x0, y1, z0), (x1, y1, z0)]),
    ]
    positions = np.array([corner for _, corners in faces for corner in corners], dtype=np.float32)
    normals = np.array([normal for normal, _ in faces for _ in range(4)], dtype=np.float32)
    return positions, normals


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _padded(data: bytes, align: int = 8) -> bytes:
    return data + b"\0" * (-len(data) % align)


def buildings_glb(boxes: tuple[Box, ...] = BOXES) -> bytes:
    """One binary glTF holding ``boxes``: one primitive, feature ids per vertex, a property table."""
    import pygltflib as g

    meshes = [_box_mesh(box) for box in boxes]
    positions = np.concatenate([m[0] for m in meshes])
    normals = np.concatenate([m[1] for m in meshes])
    feature_ids = np.repeat(np.arange(len(boxes), dtype=np.float32), 24)
    quad = np.array([0, 1, 2, 0, 2, 3], dtype=np.uint32)
    indices = np.concatenate([(quad + 4 * face) for face in range(6 * len(boxes))]).astype(np.uint32)

    def strings(values: list[str]) -> tuple[bytes, bytes]:
        encoded = [v.encode("utf-8") for v in values]
        offsets = np.cumsum([0] + [len(e) for e in encoded]).astype(np.uint32)
        return b"".join(encoded), offsets.tobytes()

    id_values, id_offsets = strings([b.id for b in boxes])
    usage_values, usage_offsets = strings([b.usage for b in boxes])
    heights = np.array([b.height_m for b in boxes], dtype=np.float32).tobytes()
    chunks = [
        positions.tobytes(), normals.tobytes(), feature_ids.tobytes(), indices.tobytes(),
        id_values, id_offsets, heights, usage_values, usage_offsets,
    ]  # fmt: skip
    blob = b""
    views = []
    for i, chunk in enumerate(chunks):
        target = g.ARRAY_BUFFER if i < 3 else g.ELEMENT_ARRAY_BUFFER if i == 3 else None
        views.append(g.BufferView(buffer=0, byteOffset=len(blob), byteLength=len(chunk), target=target))
        blob += _padded(chunk)
    count = len(positions)
    accessors = [
        g.Accessor(bufferView=0, componentType=g.FLOAT, count=count, type=g.VEC3,
                   min=positions.min(axis=0).tolist(), max=positions.max(axis=0).tolist()),
        g.Accessor(bufferView=1, componentType=g.FLOAT, count=count, type=g.VEC3),
        g.Accessor(bufferView=2, componentType=g.FLOAT, count=count, type=g.SCALAR),
        g.Accessor(bufferView=3, componentType=g.UNSIGNED_INT, count=len(indices), type=g.SCALAR),
    ]  # fmt: skip
    attributes = g.Attributes(POSITION=0, NORMAL=1)
    attributes._FEATURE_ID_0 = 2  # pygltflib keeps custom attributes
    primitive = g.Primitive(
        attributes=attributes,
        indices=3,
        material=0,
        extensions={
            "EXT_mesh_features": {
                "featureIds": [{"featureCount": len(boxes), "attribute": 0, "propertyTable": 0}]
            }
        },
    )
    colour = [_linear(c) for c in BUILDING_RGB] + [1.0]
    material = g.Material(
        pbrMetallicRoughness=g.PbrMetallicRoughness(
            baseColorFactor=colour, metallicFactor=0.0, roughnessFactor=1.0
        ),
    )
    metadata = {
        "schema": {
            "id": "maquette_test",
            "classes": {
                "building": {
                    "properties": {
                        "id": {"type": "STRING"},
                        "height_m": {"type": "SCALAR", "componentType": "FLOAT32"},
                        "usage": {"type": "STRING"},
                    }
                }
            },
        },
        "propertyTables": [
            {
                "class": "building",
                "count": len(boxes),
                "properties": {
                    "id": {"values": 4, "stringOffsets": 5},
                    "height_m": {"values": 6},
                    "usage": {"values": 7, "stringOffsets": 8},
                },
            }
        ],
    }
    gltf = g.GLTF2(
        scene=0,
        scenes=[g.Scene(nodes=[0])],
        nodes=[g.Node(mesh=0)],
        meshes=[g.Mesh(primitives=[primitive])],
        materials=[material],
        accessors=accessors,
        bufferViews=views,
        buffers=[g.Buffer(byteLength=len(blob))],
        extensionsUsed=["EXT_mesh_features", "EXT_structural_metadata"],
        extensions={"EXT_structural_metadata": metadata},
    )
    gltf.set_binary_blob(blob)
    return b"".join(gltf.save_to_bytes())


def write_tileset(folder: Path, boxes: tuple[Box, ...] = BOXES) -> Path:
    """``folder/buildings.glb`` and ``folder/tileset.json`` (3D Tiles 1.1) placing ``boxes`` in
    Rennes; the tileset's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "buildings.glb").write_bytes(buildings_glb(boxes))
    lo = np.array([[b.east, b.north, 0.0] for b in boxes]).min(axis=0)
    hi = np.array([[b.east + b.width, b.north + b.depth, b.height_m] for b in boxes]).max(axis=0)
    centre, half = (lo + hi) / 2, (hi - lo) / 2
    tileset = {
        "asset": {"version": "1.1"},
        "geometricError": 200.0,
        "root": {
            "transform": enu_to_ecef(*RENNES_LON_LAT).flatten(order="F").tolist(),
            "boundingVolume": {"box": [*centre, half[0], 0, 0, 0, half[1], 0, 0, 0, half[2]]},
            "geometricError": 0.0,
            "refine": "ADD",
            "content": {"uri": "buildings.glb"},
        },
    }
    path = folder / "tileset.json"
    path.write_text(json.dumps(tileset, indent=1), encoding="utf-8")
    return path
