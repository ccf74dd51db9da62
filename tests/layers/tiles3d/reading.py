"""Reading a 3D Tiles tileset back for the tests: tiles with their world transforms, glb contents
decoded (positions in ECEF, feature ids, the property table)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pygltflib import GLTF2

#: glTF y-up → 3D Tiles z-up, the rotation a client applies to glTF content
Y_UP_TO_Z_UP = np.array([[1, 0, 0, 0], [0, 0, -1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], float)


@dataclass
class Tile:
    key: str
    json: dict[str, Any]
    world: np.ndarray  # (4, 4) tile frame → ECEF
    depth: int
    parent: Tile | None


def tiles(folder: Path) -> tuple[dict[str, Any], list[Tile]]:
    """The tileset JSON and its tiles, parents first, with transforms composed down the tree."""
    tileset = json.loads((folder / "tileset.json").read_text(encoding="utf-8"))
    out: list[Tile] = []

    def visit(node: dict[str, Any], parent: Tile | None, depth: int) -> None:
        local = np.array(node.get("transform", np.eye(4).T.reshape(-1).tolist()), float).reshape(4, 4).T
        world = local if parent is None else parent.world @ local
        key = node.get("content", {}).get("uri", f"(empty {len(out)})")
        tile = Tile(key, node, world, depth, parent)
        out.append(tile)
        for child in node.get("children", []):
            visit(child, tile, depth + 1)

    visit(tileset["root"], None, 0)
    return tileset, out


def _accessor(gltf: GLTF2, blob: bytes, index: int) -> np.ndarray:
    accessor = gltf.accessors[index]
    view = gltf.bufferViews[accessor.bufferView]
    dtype = {5126: np.float32, 5123: np.uint16, 5125: np.uint32, 5121: np.uint8}[accessor.componentType]
    width = {"SCALAR": 1, "VEC3": 3, "VEC4": 4}[accessor.type]
    start = view.byteOffset + (accessor.byteOffset or 0)
    data = np.frombuffer(blob, dtype, accessor.count * width, start)
    return data.reshape(-1, width) if width > 1 else data


def _view(gltf: GLTF2, blob: bytes, index: int) -> bytes:
    view = gltf.bufferViews[index]
    return blob[view.byteOffset : view.byteOffset + view.byteLength]


@dataclass
class Content:
    ecef: np.ndarray  # (v, 3) vertices in ECEF metres
    feature: np.ndarray  # (v,) feature id of each vertex
    triangles: np.ndarray
    feature_count: int
    table: dict[str, np.ndarray]  # property → values per feature
    gltf: GLTF2


def content(folder: Path, tile: Tile) -> Content:
    """The decoded glb of ``tile``."""
    gltf = GLTF2.load_from_bytes((folder / tile.key).read_bytes())
    blob = gltf.binary_blob()
    primitive = gltf.meshes[0].primitives[0]
    positions = _accessor(gltf, blob, primitive.attributes.POSITION).astype(np.float64)
    z_up = positions @ Y_UP_TO_Z_UP[:3, :3].T
    ecef = z_up @ tile.world[:3, :3].T + tile.world[:3, 3]
    feature = _accessor(gltf, blob, primitive.attributes._FEATURE_ID_0).astype(np.int64)
    triangles = _accessor(gltf, blob, primitive.indices).reshape(-1, 3)
    ids = primitive.extensions["EXT_mesh_features"]["featureIds"][0]
    metadata = gltf.extensions["EXT_structural_metadata"]
    table_json = metadata["propertyTables"][ids["propertyTable"]]
    classes = metadata["schema"]["classes"][table_json["class"]]["properties"]
    table: dict[str, np.ndarray] = {}
    for name, prop in table_json["properties"].items():
        values = _view(gltf, blob, prop["values"])
        if classes[name]["type"] == "STRING":
            offsets = np.frombuffer(_view(gltf, blob, prop["stringOffsets"]), np.uint32)
            table[name] = np.array(
                [values[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(len(offsets) - 1)], object
            )
        else:
            table[name] = np.frombuffer(values, np.float32)
    return Content(ecef, feature, triangles, int(ids["featureCount"]), table, gltf)
