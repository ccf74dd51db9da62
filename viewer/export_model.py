"""The 3D model of the visible scene: glTF 2.0 (.glb, .gltf) or Wavefront OBJ (+ .mtl) as a fallback.

OBJ has no colours per vertex in its standard, so faces are grouped by colour, one material each
(``Kd`` in sRGB, ``d`` for translucency; a raster map is a ``map_Kd`` PNG beside the file), and
vertex colours are written too (``v x y z r g b``, read by Blender and MeshLab). OBJ has no axis
convention either: like glTF, it is written y up (x east, y up, z south), the convention of
Blender's and most tools' OBJ import; the header comment gives the origin and CRS.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any

import numpy as np

from layers.core.errors import InputError
from layers.io.atomic import Replacement, atomic_write_text

from .gltf import georeference, write_glb

if TYPE_CHECKING:
    from layers.core.scene import Scene

    from .export_mesh import MeshPart
    from .scene_view import SceneView

MODEL_SUFFIXES = (".glb", ".gltf", ".obj")


def check_model_output(output: Path) -> None:
    if output.suffix.lower() not in MODEL_SUFFIXES:
        raise InputError(
            output,
            f"cannot write {output.suffix or 'a file without extension'!r} models "
            "(expected .glb, .gltf or .obj)",
        )
    if not output.parent.exists():
        raise InputError(output, "the output folder does not exist")


def export_model(view: SceneView, output: str | Path) -> dict[str, Any]:
    """Write the visible layers of ``view`` to ``output`` (.glb, .gltf or .obj)."""
    from .export_mesh import collect  # VTK: not for checking a file name

    output = Path(output)
    check_model_output(output)
    t0 = perf_counter()
    parts = collect(view)
    if not parts:
        raise InputError(None, "nothing visible to export")
    collect_s = perf_counter() - t0
    stats = write_model(parts, output, view.scene)
    write_s = stats.pop("write_s")
    stats["collect_s"] = round(collect_s, 4)
    stats["write_s"] = write_s
    return stats


def write_model(parts: list[MeshPart], output: Path, scene: Scene) -> dict[str, Any]:
    """Write meshes taken from a view (:func:`viewer.export_mesh.collect`) to ``output``: glTF
    binary or text by its suffix, else OBJ; the figures for ``--json`` / the status bar, with the
    layers written and ``write_s``. The desktop collects on the GUI thread and calls this from a
    background task."""
    t0 = perf_counter()
    stats = (
        write_obj(parts, output, scene)
        if output.suffix.lower() == ".obj"
        else write_glb(parts, output, scene)
    )
    stats["layers"] = sorted({part.layer for part in parts})
    stats["write_s"] = round(perf_counter() - t0, 4)
    return stats


def _y_up(points: np.ndarray) -> np.ndarray:
    return np.column_stack([points[:, 0], points[:, 2], -points[:, 1]])


def _safe(name: str) -> str:
    return re.sub(r"[^\w-]+", "_", name, flags=re.UNICODE).strip("_") or "part"


def write_obj(parts: list[MeshPart], path: Path, scene: Scene) -> dict[str, Any]:
    """OBJ + MTL (+ PNG textures) of ``parts``; faces grouped by colour into materials.

    Written together or not at all (:class:`layers.io.atomic.Replacement`): every file goes to a
    temporary name and is renamed once all are complete, the .obj last; a failure leaves the
    previous files and raises :class:`layers.core.errors.OutputError` naming the cause."""
    from PIL import Image

    info = georeference(scene)
    mtl_path = path.with_suffix(".mtl")
    obj = io.StringIO()
    obj.write("# Maquette 3D model (Wavefront OBJ)\n")
    obj.write(f"# CRS {info['crs']}; origin {info['origin']} (metres); axes x east, y up, z south\n")
    obj.write(f"mtllib {mtl_path.name}\n")
    materials: dict[str, str] = {}
    files = [path, mtl_path]
    textures: list[tuple[Path, np.ndarray]] = []
    base = 1
    faces = 0
    for n, part in enumerate(parts):
        obj.write(f"o {_safe(part.name)}\n")
        points = _y_up(part.points.astype(np.float64))
        if part.colors is not None:
            block = np.column_stack([points, part.colors[:, :3] / 255.0])
            np.savetxt(obj, block, fmt="v %.3f %.3f %.3f %.4f %.4f %.4f")
        else:
            np.savetxt(obj, points, fmt="v %.3f %.3f %.3f")
        if part.uv is not None:
            uv = part.uv.astype(np.float64).copy()
            uv[:, 1] = 1.0 - uv[:, 1]
            np.savetxt(obj, uv, fmt="vt %.6f %.6f")
        if part.texture is not None:
            name = f"tex_{n}_{_safe(part.name)}"
            png = path.with_name(f"{path.stem}_{name}.png")
            textures.append((png, part.texture))
            files.append(png)
            materials[name] = (
                f"newmtl {name}\nKd 1 1 1\nd {part.color[3]:.3f}\n"
                f"illum {0 if part.unlit else 1}\nmap_Kd {png.name}\n"
            )
            groups = [(name, np.arange(len(part.triangles)))]
        elif part.colors is not None and len(part.triangles):
            face_colors = part.colors[part.triangles[:, 0]]
            keys, inverse = np.unique(face_colors, axis=0, return_inverse=True)
            groups = []
            for k, rgba in enumerate(keys):
                name = _material_name(tuple(int(v) for v in rgba), part.unlit)
                materials.setdefault(name, _mtl(name, rgba[:3] / 255.0, rgba[3] / 255.0, part.unlit))
                groups.append((name, np.flatnonzero(inverse.reshape(-1) == k)))
        else:
            rgba = np.array(part.color)
            name = _material_name(tuple(int(round(v * 255)) for v in rgba), part.unlit)
            materials.setdefault(name, _mtl(name, rgba[:3], rgba[3], part.unlit))
            groups = [(name, np.arange(len(part.triangles)))]
        for name, rows in groups:
            if not len(rows):
                continue
            obj.write(f"usemtl {name}\n")
            tri = part.triangles[rows] + base
            if part.uv is not None:
                np.savetxt(
                    obj,
                    np.column_stack([tri[:, 0], tri[:, 0], tri[:, 1], tri[:, 1], tri[:, 2], tri[:, 2]]),
                    fmt="f %d/%d %d/%d %d/%d",
                )
            else:
                np.savetxt(obj, tri, fmt="f %d %d %d")
            faces += len(rows)
        if len(part.lines):
            np.savetxt(obj, part.lines + base, fmt="l %d %d")
        base += len(part.points)
    with Replacement() as replacement:  # renamed together once all are written, the .obj last
        atomic_write_text(replacement.add(path), obj.getvalue(), make_folder=False)
        atomic_write_text(
            replacement.add(mtl_path),
            "# Maquette materials\n" + "\n".join(materials.values()),
            make_folder=False,
        )
        for png, texture in textures:
            Image.fromarray(texture).save(replacement.add(png), format="PNG")
    return {
        "output": str(path),
        "format": "Wavefront OBJ",
        "files": [str(f) for f in files],
        "meshes": len(parts),
        "triangles": faces,
        "vertices": int(base - 1),
        "materials": len(materials),
        "bytes": int(sum(f.stat().st_size for f in files)),
        "crs": info["crs"],
        "origin": info["origin"],
    }


def _material_name(rgba: tuple[int, ...], unlit: bool) -> str:
    """``c_rrggbbaa`` (hex, 0-255), ``_u`` for unlit faces."""
    return "c_" + "".join(f"{v:02x}" for v in rgba) + ("_u" if unlit else "")


def _mtl(name: str, rgb, alpha: float, unlit: bool) -> str:
    r, g, b = (float(v) for v in rgb)
    return (
        f"newmtl {name}\nKd {r:.4f} {g:.4f} {b:.4f}\nKa 0 0 0\nd {float(alpha):.3f}\n"
        f"illum {0 if unlit else 1}\n"
    )
