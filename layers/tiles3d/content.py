"""One tile's buildings as a glTF 2.0 binary with per-building metadata.

* geometry: the footprints extruded by :func:`layers.buildings.mesh.extrude` (the app's own prisms),
  raised onto their ground, placed in the tile's east-north-up frame (:mod:`.frames`) and written in
  glTF's y-up axes; vertices are split where faces meet at an angle so that each face gets its own
  normal (flat-shaded walls and roofs: clients light a mesh without normals as unlit);
* ``EXT_mesh_features``: the vertex attribute ``_FEATURE_ID_0`` (float, exact below 2²⁴) gives each
  vertex its building, the feature id indexing the property table;
* ``EXT_structural_metadata``: the schema (class ``building``: ``id`` string, ``height_m`` float32,
  ``usage`` string) and one property table, row *i* = feature id *i*;
* colours: one material when every building has the same colour, else ``COLOR_0`` (linear RGBA,
  normalised bytes) on a white material; rough, non-metallic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from layers.io.glb_buffer import ELEMENT_ARRAY_BUFFER, GlbBuffer

from .frames import EnuFrame, enu_to_gltf

FLOAT, UNSIGNED_BYTE, UNSIGNED_SHORT, UNSIGNED_INT = 5126, 5121, 5123, 5125
#: property tables' buffer views start on 8 bytes (EXT_structural_metadata)
ALIGN = 8
#: the metadata schema shared by every tile and the tileset
SCHEMA: dict[str, Any] = {
    "id": "maquette_buildings",
    "name": "Maquette buildings",
    "classes": {
        "building": {
            "name": "Building",
            "properties": {
                "id": {"name": "Identifier", "type": "STRING"},
                "height_m": {
                    "name": "Height (m)",
                    "description": "height of the walls above the ground, metres",
                    "type": "SCALAR",
                    "componentType": "FLOAT32",
                },
                "usage": {"name": "Usage", "type": "STRING"},
            },
        }
    },
}


@dataclass
class TileBuildings:
    """The buildings of one tile, one row per building part (a Polygon) with its building's row.

    ``polygons`` (p,) shapely Polygons (source CRS, metres); ``owner`` (p,) row in the tile's
    buildings of each polygon; per building (n,): ``height_m``, ``base_m`` (m above the ground),
    ``ground_m`` (height of the ground above the ellipsoid, m), ``ids``, ``usage`` (str, "" when
    unknown), ``colors`` (n, 3) sRGB 0..1.
    """

    polygons: np.ndarray
    owner: np.ndarray
    height_m: np.ndarray
    base_m: np.ndarray
    ground_m: np.ndarray
    ids: np.ndarray
    usage: np.ndarray
    colors: np.ndarray

    @property
    def count(self) -> int:
        return len(self.height_m)


def srgb_to_linear(values: np.ndarray) -> np.ndarray:
    """sRGB components 0..1 → linear 0..1 (IEC 61966-2-1): glTF colours are linear."""
    values = np.asarray(values, dtype=np.float64)
    return np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)


@dataclass
class TileMesh:
    """Vertices in the tile frame (float64, x east y north z up), their normals and building, and
    the triangles (indices)."""

    local: np.ndarray
    normals: np.ndarray
    feature: np.ndarray
    triangles: np.ndarray
    #: (west, south, east, north, lowest, highest) of the vertices: radians, metres above the ellipsoid
    geodetic_bounds: tuple[float, float, float, float, float, float] = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def tile_mesh(buildings: TileBuildings, crs: Any, frame: EnuFrame) -> TileMesh:
    """The extruded buildings in ``frame``, vertices split per face direction (see module doc)."""
    from layers.buildings.mesh import extrude

    from .frames import geodetic_to_ecef, to_lon_lat

    owner = np.asarray(buildings.owner, np.int64)
    mesh = extrude(buildings.polygons, buildings.height_m[owner], buildings.base_m[owner])
    if len(mesh.triangles) == 0:
        empty = np.empty((0, 3))
        return TileMesh(empty, empty, np.empty(0, np.int64), np.empty((0, 3), np.int64))
    point_owner = owner[np.asarray(mesh.point_owner, np.int64)]
    z = mesh.points[:, 2] + buildings.ground_m[point_owner]
    # the bottom and top points of a prism share their x, y: projected once (the costly part)
    half = len(mesh.points) // 2
    xy = mesh.points[:, :2]
    shared = len(xy) % 2 == 0 and np.array_equal(xy[:half], xy[half:])
    lon, lat = to_lon_lat(crs, *(xy[:half] if shared else xy).T)
    if shared:
        lon, lat = np.concatenate([lon, lon]), np.concatenate([lat, lat])
    local = frame.local(geodetic_to_ecef(lon, lat, z))
    bounds = (
        float(lon.min()),
        float(lat.min()),
        float(lon.max()),
        float(lat.max()),
        float(z.min()),
        float(z.max()),
    )
    corners = local[mesh.triangles]
    normal = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    length = np.linalg.norm(normal, axis=1)
    normal = normal / np.where(length > 0, length, 1.0)[:, None]
    normal[length == 0] = (0.0, 0.0, 1.0)
    # one vertex per (point, face direction): roofs keep their shared points, walls get their own
    quantised = np.round(normal * 1000).astype(np.int64) + 1000
    direction_key = (quantised[:, 0] * 2001 + quantised[:, 1]) * 2001 + quantised[:, 2]
    directions, direction = np.unique(direction_key, return_inverse=True)
    key = mesh.triangles.astype(np.int64) * len(directions) + direction.reshape(-1)[:, None]
    unique_keys, inverse = np.unique(key.reshape(-1), return_inverse=True)
    point = unique_keys // len(directions)
    vertex_normal = np.zeros((len(unique_keys), 3))
    vertex_normal[inverse] = np.repeat(normal, 3, axis=0)
    return TileMesh(
        local[point], vertex_normal, point_owner[point], inverse.reshape(-1, 3).astype(np.int64), bounds
    )


class _Glb(GlbBuffer):
    """A tile's buffer: views 8-byte aligned (property tables), string properties, the .glb bytes."""

    def __init__(self) -> None:
        super().__init__(align=ALIGN)

    def strings(self, values: np.ndarray) -> dict[str, Any]:
        """A STRING property of a property table: UTF-8 values and UINT32 offsets."""
        encoded = [str(v).encode("utf-8") for v in values]
        offsets = np.zeros(len(encoded) + 1, np.uint32)
        offsets[1:] = np.cumsum([len(e) for e in encoded], dtype=np.uint64).astype(np.uint32)
        return {
            "values": self.view(b"".join(encoded)),
            "stringOffsets": self.view(offsets.tobytes()),
            "stringOffsetType": "UINT32",
        }

    def bytes(self) -> bytes:
        self.close_buffer()
        return b"".join(self.gltf.save_to_bytes())


def tile_glb(buildings: TileBuildings, crs: Any, frame: EnuFrame) -> tuple[bytes, TileMesh]:
    """The glb of one tile (see module doc) and its mesh (frame metres)."""
    from pygltflib import Asset, Attributes, Material, Mesh, Node, PbrMetallicRoughness, Primitive, Scene

    mesh = tile_mesh(buildings, crs, frame)
    glb = _Glb()
    gltf = glb.gltf
    gltf.asset = Asset(version="2.0", generator="Maquette")
    positions = enu_to_gltf(mesh.local).astype(np.float32)
    attributes = Attributes(POSITION=glb.accessor(positions, "VEC3", FLOAT, bounds=True))
    attributes.NORMAL = glb.accessor(enu_to_gltf(mesh.normals).astype(np.float32), "VEC3", FLOAT)
    colors = np.asarray(buildings.colors, np.float64).reshape(-1, 3)
    plain = len(colors) == 0 or bool(np.all(colors == colors[0]))
    base = [1.0, 1.0, 1.0, 1.0]
    if plain:
        if len(colors):
            base = [*(float(v) for v in srgb_to_linear(colors[0])), 1.0]
    else:
        rgba = np.full((len(mesh.feature), 4), 255, np.uint8)
        rgba[:, :3] = np.round(srgb_to_linear(colors[mesh.feature]) * 255)
        attributes.COLOR_0 = glb.accessor(rgba, "VEC4", UNSIGNED_BYTE, normalized=True)
    feature_attribute = "_FEATURE_ID_0"
    setattr(attributes, feature_attribute, glb.accessor(mesh.feature.astype(np.float32), "SCALAR", FLOAT))
    big = len(positions) > 65535
    indices = glb.accessor(
        mesh.triangles.reshape(-1).astype(np.uint32 if big else np.uint16),
        "SCALAR",
        UNSIGNED_INT if big else UNSIGNED_SHORT,
        target=ELEMENT_ARRAY_BUFFER,
    )
    gltf.materials.append(
        Material(
            name="buildings",
            pbrMetallicRoughness=PbrMetallicRoughness(
                baseColorFactor=base, metallicFactor=0.0, roughnessFactor=0.9
            ),
        )
    )
    primitive = Primitive(attributes=attributes, indices=indices, material=0, mode=4)
    primitive.extensions = {
        "EXT_mesh_features": {
            "featureIds": [
                {"featureCount": buildings.count, "attribute": 0, "propertyTable": 0, "label": "building"}
            ]
        }
    }
    gltf.meshes.append(Mesh(name="buildings", primitives=[primitive]))
    gltf.nodes.append(Node(name="buildings", mesh=0))
    gltf.scenes.append(Scene(nodes=[0]))
    gltf.scene = 0
    properties: dict[str, Any] = {
        "id": glb.strings(buildings.ids),
        "height_m": {"values": glb.view(np.asarray(buildings.height_m, np.float32).tobytes())},
    }
    if any(str(v) for v in buildings.usage):  # all empty: no property (a glTF view cannot be empty)
        properties["usage"] = glb.strings(buildings.usage)
    table = {"name": "buildings", "class": "building", "count": buildings.count, "properties": properties}
    gltf.extensions = {"EXT_structural_metadata": {"schema": SCHEMA, "propertyTables": [table]}}
    gltf.extensionsUsed = ["EXT_mesh_features", "EXT_structural_metadata"]
    return glb.bytes(), mesh
