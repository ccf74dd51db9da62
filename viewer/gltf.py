"""The visible scene as a glTF 2.0 binary (.glb), with its colours: Blender, web viewers, QGIS 3D.

Written with pygltflib from :func:`viewer.export_mesh.collect` rather than ``vtkGLTFExporter``
(which drops the per-building cell colours, the glyph clouds and the raster textures and writes a
separate .gltf + .bin). One node per drawn layer part:

* vertex colours as ``COLOR_0`` (linear RGBA, normalised unsigned shorts: glTF colours are linear,
  VTK's are sRGB, so they are converted and look the same in a viewer); a single colour as the
  material's ``baseColorFactor``; raster maps as PNG textures (nearest texels for data);
* maps and flat overlays drawn unlit in Maquette are unlit here too (``KHR_materials_unlit``), so
  their colours match the legend; buildings use a rough, non-metallic PBR material; no normals are
  written, which glTF readers must shade flat (right for buildings);
* translucent layers use ``alphaMode: BLEND``; every material is double-sided.

Coordinates: metres around the scene origin, mesh data x east, y north, z up; the root node turns
them into glTF's y-up convention (a −90° rotation about x), so readers that apply node transforms
show north away from the default camera and the sky up. The origin (scene CRS), the CRS (EPSG code
and WKT) and the axes are written in ``asset.extras`` and the scene's ``extras``.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from layers.io.glb_buffer import ELEMENT_ARRAY_BUFFER, GlbBuffer

if TYPE_CHECKING:
    from .export_mesh import MeshPart

if TYPE_CHECKING:
    # named apart from pygltflib's Scene, which write_glb imports
    from layers.core.scene import Scene as ModelScene

FLOAT, UNSIGNED_SHORT, UNSIGNED_INT = 5126, 5123, 5125
MODE_POINTS, MODE_LINES, MODE_TRIANGLES = 0, 1, 4
NEAREST, LINEAR, LINEAR_MIPMAP_LINEAR, CLAMP = 9728, 9729, 9987, 33071
Z_UP_TO_Y_UP = [-math.sqrt(0.5), 0.0, 0.0, math.sqrt(0.5)]  # quaternion x, y, z, w


def srgb_to_linear(values: np.ndarray) -> np.ndarray:
    """sRGB components 0..1 → linear 0..1 (IEC 61966-2-1)."""
    values = np.asarray(values, dtype=np.float64)
    return np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)


def georeference(scene: ModelScene) -> dict[str, Any]:
    """What places the model on Earth: scene origin, CRS, axes, vertical reference."""
    from layers.core import crs as crs_util

    crs = scene.crs
    epsg = crs.to_epsg() if crs is not None else None
    return {
        "generator": "Maquette",
        "units": "metre",
        "origin": [float(scene.origin[0]), float(scene.origin[1]), float(scene.ground_reference_m)]
        if scene.origin is not None
        else None,
        "crs": f"EPSG:{epsg}" if epsg else (crs_util.label(crs) if crs is not None else None),
        "crs_wkt": crs.to_wkt() if crs is not None else None,
        "axes": "mesh data: x east, y north, z up (metres from origin); "
        "the root node rotates them to glTF y-up. "
        "Scene CRS x = data x + origin[0], y = data y + origin[1], altitude = z + origin[2].",
    }


class _Builder(GlbBuffer):
    """The scene's buffer, with its PNG images."""

    def image(self, rgba: np.ndarray, name: str) -> int:
        from PIL import Image as PILImage
        from pygltflib import Image

        buffer = io.BytesIO()
        PILImage.fromarray(rgba).save(buffer, format="PNG", optimize=False)
        view = self.view(buffer.getvalue())
        self.gltf.images.append(Image(bufferView=view, mimeType="image/png", name=name))
        return len(self.gltf.images) - 1


def _material(builder: _Builder, part: MeshPart) -> int:
    from pygltflib import Material, PbrMetallicRoughness, Sampler, Texture, TextureInfo

    r, g, b, a = part.color
    if part.colors is not None or part.texture is not None:
        r = g = b = 1.0
        alpha = a if part.colors is None else 1.0
    else:
        alpha = a
        r, g, b = (float(v) for v in srgb_to_linear(np.array([r, g, b])))
    translucent = (
        alpha < 0.999
        or (part.colors is not None and int(part.colors[:, 3].min()) < 255)
        or (part.texture is not None and int(part.texture[:, :, 3].min()) < 255)
    )
    pbr = PbrMetallicRoughness(
        baseColorFactor=[r, g, b, float(alpha)], metallicFactor=0.0, roughnessFactor=0.9
    )
    if part.texture is not None:
        sampler_filter = NEAREST if part.nearest else LINEAR
        builder.gltf.samplers.append(
            Sampler(
                magFilter=sampler_filter,
                minFilter=sampler_filter if part.nearest else LINEAR_MIPMAP_LINEAR,
                wrapS=CLAMP,
                wrapT=CLAMP,
            )
        )
        image = builder.image(part.texture, part.name)
        builder.gltf.textures.append(Texture(sampler=len(builder.gltf.samplers) - 1, source=image))
        pbr.baseColorTexture = TextureInfo(index=len(builder.gltf.textures) - 1)
    material = Material(
        name=part.name,
        pbrMetallicRoughness=pbr,
        doubleSided=True,
        alphaMode="BLEND" if translucent else "OPAQUE",
    )
    if part.unlit:
        material.extensions = {"KHR_materials_unlit": {}}
    builder.gltf.materials.append(material)
    return len(builder.gltf.materials) - 1


def _primitives(builder: _Builder, part: MeshPart, material: int) -> list:
    from pygltflib import Attributes, Primitive

    positions = np.ascontiguousarray(part.points, dtype=np.float32)
    attributes = Attributes(POSITION=builder.accessor(positions, "VEC3", FLOAT, bounds=True))
    if part.colors is not None:
        linear = np.empty(part.colors.shape, dtype=np.float64)
        linear[:, :3] = srgb_to_linear(part.colors[:, :3] / 255.0)
        linear[:, 3] = part.colors[:, 3] / 255.0
        attributes.COLOR_0 = builder.accessor(
            (linear * 65535).round().astype(np.uint16), "VEC4", UNSIGNED_SHORT, normalized=True
        )
    if part.uv is not None:
        attributes.TEXCOORD_0 = builder.accessor(
            np.ascontiguousarray(part.uv, dtype=np.float32), "VEC2", FLOAT
        )
    primitives = []
    for cells, mode in (
        (part.triangles, MODE_TRIANGLES),
        (part.lines, MODE_LINES),
        (part.verts, MODE_POINTS),
    ):
        if len(cells):
            indices = builder.accessor(
                cells.reshape(-1).astype(np.uint32), "SCALAR", UNSIGNED_INT, target=ELEMENT_ARRAY_BUFFER
            )
            primitives.append(Primitive(attributes=attributes, indices=indices, material=material, mode=mode))
    return primitives


def write_glb(parts: list[MeshPart], path: str | Path, scene: ModelScene) -> dict[str, Any]:
    """Write ``parts`` as one .glb (or a .gltf with the buffer embedded), whole or not at all
    (:func:`layers.io.atomic.replacing`); returns figures."""
    from pygltflib import Asset, Mesh, Node, Scene

    path = Path(path)
    builder = _Builder()
    gltf = builder.gltf
    info = georeference(scene)
    gltf.asset = Asset(version="2.0", generator="Maquette", extras=info)
    children = []
    for part in parts:
        material = _material(builder, part)
        gltf.meshes.append(Mesh(name=part.name, primitives=_primitives(builder, part, material)))
        gltf.nodes.append(Node(name=part.name, mesh=len(gltf.meshes) - 1, extras={"layer": part.layer}))
        children.append(len(gltf.nodes) - 1)
    gltf.nodes.append(Node(name="Maquette", children=children, rotation=Z_UP_TO_Y_UP, extras=info))
    gltf.scenes.append(Scene(name="Maquette", nodes=[len(gltf.nodes) - 1], extras=info))
    gltf.scene = 0
    if any(part.unlit for part in parts):
        gltf.extensionsUsed = ["KHR_materials_unlit"]
    builder.close_buffer()
    from layers.io.atomic import replacing

    with replacing(path) as temp:
        if path.suffix.lower() == ".gltf":
            from pygltflib import BufferFormat

            gltf.convert_buffers(BufferFormat.DATAURI)
            gltf.save(str(temp))
        else:
            gltf.save_binary(str(temp))
    return {
        "output": str(path),
        "format": "glTF 2.0 binary" if path.suffix.lower() == ".glb" else "glTF 2.0",
        "meshes": len(parts),
        "triangles": int(sum(len(p.triangles) for p in parts)),
        "vertices": int(sum(len(p.points) for p in parts)),
        "textures": int(sum(p.texture is not None for p in parts)),
        "bytes": path.stat().st_size,
        "crs": info["crs"],
        "origin": info["origin"],
    }
