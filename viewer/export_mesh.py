"""The visible scene as plain meshes with their colours, for 3D model files (glTF, OBJ).

Each visible actor of each visible layer becomes a :class:`MeshPart`: points in local metres around
the scene origin (x east, y north, z up), triangles, lines and points, and its colours exactly as
drawn — the mapper's own lookup table applied (``vtkMapper.MapScalars``), per cell colours turned
into per vertex colours by splitting only the vertices shared by cells of different colours
(vectorised, one ``np.unique``), textures (raster maps) as RGBA images with their coordinates,
glyph clouds (sensor columns, vehicles) expanded into their copies. 2D overlays are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonCore import reference
from vtkmodules.vtkFiltersCore import vtkTriangleFilter
from vtkmodules.vtkRenderingCore import vtkActor

if TYPE_CHECKING:
    from vtkmodules.vtkCommonCore import vtkDataArray
    from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
    from vtkmodules.vtkRenderingCore import vtkGlyph3DMapper, vtkPolyDataMapper, vtkTexture

    from .scene_view import SceneView


@dataclass
class MeshPart:
    """One drawn surface: geometry in local metres (z up) and how it is coloured.

    ``colors``: (n, 4) uint8 sRGBA per vertex, or ``None`` (then ``color``: one sRGBA 0..1).
    ``texture``: (rows, cols, 4) uint8 RGBA, top row first, with ``uv`` (n, 2) (v = 0 at the top).
    """

    name: str
    layer: str
    points: np.ndarray
    triangles: np.ndarray
    lines: np.ndarray
    verts: np.ndarray
    colors: np.ndarray | None = None
    color: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)
    texture: np.ndarray | None = None
    uv: np.ndarray | None = None
    nearest: bool = False
    unlit: bool = False

    @property
    def empty(self) -> bool:
        return len(self.points) == 0 or (len(self.triangles) + len(self.lines) + len(self.verts)) == 0


def collect(view: SceneView) -> list[MeshPart]:
    """The meshes of every visible actor of every visible layer, in layer order."""
    parts: list[MeshPart] = []
    for layer in view.scene.layers:
        visual = view.visuals.get(id(layer))
        if visual is None or not layer.visible:
            continue
        for k, actor in enumerate(visual.actors):
            if not isinstance(actor, vtkActor) or not actor.GetVisibility():
                continue  # 2D overlays, hidden parts
            mapper = actor.GetMapper()
            if mapper is None or actor.GetProperty().GetOpacity() <= 0:
                continue
            name = f"{layer.name} {k + 1}" if len(visual.actors) > 1 else layer.name
            cls = mapper.GetClassName()
            part: MeshPart | None = None
            if "Glyph3DMapper" in cls:
                part = _glyph_part(actor, cast("vtkGlyph3DMapper", mapper), name, layer.name)
            elif "PolyDataMapper" in cls and "2D" not in cls:
                part = _polydata_part(actor, cast("vtkPolyDataMapper", mapper), name, layer.name)
            if part is not None and not part.empty:
                parts.append(part)
    return parts


def _matrix(actor: vtkActor) -> np.ndarray | None:
    m = actor.GetMatrix()
    matrix = np.array([[m.GetElement(i, j) for j in range(4)] for i in range(4)])
    return None if np.allclose(matrix, np.eye(4)) else matrix


def _transform(points: np.ndarray, matrix: np.ndarray | None) -> np.ndarray:
    if matrix is None:
        return points
    homogeneous = np.column_stack([points, np.ones(len(points))]) @ matrix.T
    return homogeneous[:, :3] / homogeneous[:, 3:4]


def _cells(array: vtkCellArray | None, size: int) -> np.ndarray:
    """Connectivity of a cell array whose cells all have ``size`` points, as (n, size)."""
    if array is None or array.GetNumberOfCells() == 0:
        return np.empty((0, size), dtype=np.int64)
    conn = vtk_to_numpy(array.GetConnectivityArray()).astype(np.int64)
    return conn.reshape(-1, size)


def _rgba_of(actor: vtkActor) -> tuple[float, float, float, float]:
    prop = actor.GetProperty()
    r, g, b = prop.GetColor()
    return (r, g, b, float(prop.GetOpacity()))


def _polydata_part(actor: vtkActor, mapper: vtkPolyDataMapper, name: str, layer: str) -> MeshPart | None:
    mapper.Update()
    data = mapper.GetInput()
    if data is None or data.GetNumberOfPoints() == 0:
        return None
    data = _copy(data)
    prop = actor.GetProperty()
    opacity = float(prop.GetOpacity())
    cell_colors = point_colors = None
    if mapper.GetScalarVisibility() and actor.GetTexture() is None:
        flag = reference(0)
        # cellFlag is an out parameter (VTK sets the reference); the stubs type it as a plain int
        mapped = mapper.MapScalars(data, opacity, flag)  # type: ignore[call-overload]
        if mapped is not None and mapped.GetNumberOfTuples():
            rgba = _rgba_array(mapped)
            if int(flag) and len(rgba) == data.GetNumberOfCells():
                cell_colors = rgba
            elif len(rgba) == data.GetNumberOfPoints():
                point_colors = rgba
    if cell_colors is not None:  # cell ids survive triangulation through an array
        from vtkmodules.util.numpy_support import numpy_to_vtk

        ids = numpy_to_vtk(np.arange(data.GetNumberOfCells(), dtype=np.int64), deep=True)
        ids.SetName("_maquette_cell")
        data.GetCellData().AddArray(ids)
    triangulate = vtkTriangleFilter()
    triangulate.SetInputData(data)
    triangulate.PassLinesOn()
    triangulate.PassVertsOn()
    triangulate.Update()
    out = triangulate.GetOutput()
    points = _transform(vtk_to_numpy(out.GetPoints().GetData()).astype(np.float64), _matrix(actor))
    triangles, lines, verts = _cells(out.GetPolys(), 3), _cells(out.GetLines(), 2), _cells(out.GetVerts(), 1)
    part = MeshPart(
        name,
        layer,
        points.astype(np.float32),
        triangles,
        lines,
        verts,
        color=_rgba_of(actor),
        unlit=not prop.GetLighting(),
    )
    if cell_colors is not None:
        source = vtk_to_numpy(out.GetCellData().GetArray("_maquette_cell"))
        # VTK orders output cells verts, lines, polys
        n_verts, n_lines = len(verts), len(lines)
        per_cell = cell_colors[source]
        split_by_color(
            part, per_cell[n_verts + n_lines :], per_cell[n_verts : n_verts + n_lines], per_cell[:n_verts]
        )
    elif point_colors is not None:
        part.colors = point_colors
    texture = actor.GetTexture()
    tcoords = out.GetPointData().GetTCoords()
    if texture is not None and tcoords is not None:
        image = _texture_image(texture)
        if image is not None:
            uv = vtk_to_numpy(tcoords).astype(np.float32)[:, :2].copy()
            uv[:, 1] = 1.0 - uv[:, 1]  # glTF / OBJ images: first row at the top
            part.texture, part.uv, part.nearest = image, uv, not texture.GetInterpolate()
    return part


def _copy(data: vtkPolyData) -> vtkPolyData:
    from vtkmodules.vtkCommonDataModel import vtkPolyData

    copy = vtkPolyData()
    copy.ShallowCopy(data)
    return copy


def _rgba_array(array: vtkDataArray) -> np.ndarray:
    values = vtk_to_numpy(array).reshape(array.GetNumberOfTuples(), -1)
    if values.shape[1] == 4:
        return values.astype(np.uint8)
    out = np.full((len(values), 4), 255, dtype=np.uint8)
    if values.shape[1] >= 3:
        out[:, :3] = values[:, :3]
    else:  # luminance (+ alpha)
        out[:, :3] = values[:, :1]
        if values.shape[1] == 2:
            out[:, 3] = values[:, 1]
    return out


def split_by_color(
    part: MeshPart, tri_colors: np.ndarray, line_colors: np.ndarray, vert_colors: np.ndarray
) -> None:
    """Per cell colours → per vertex colours: a vertex is copied once per colour of the cells
    around it (one ``np.unique`` over (point, colour) keys), so shared corners keep their cells'
    colours and uniform regions keep their shared vertices."""
    groups = [(part.triangles, tri_colors), (part.lines, line_colors), (part.verts, vert_colors)]
    ids = np.concatenate([cells.reshape(-1) for cells, _ in groups]).astype(np.int64)
    packed = np.concatenate(
        [np.repeat(_pack(colors), cells.shape[1]) for cells, colors in groups if len(cells)]
        or [np.empty(0, np.int64)]
    )
    keys = (ids << 32) | packed
    unique, inverse = np.unique(keys, return_inverse=True)
    part.points = part.points[(unique >> 32).astype(np.int64)]
    part.colors = _unpack(unique & 0xFFFFFFFF)
    at = 0
    for name, (cells, _) in zip(("triangles", "lines", "verts"), groups):
        count = cells.size
        setattr(part, name, inverse[at : at + count].reshape(cells.shape).astype(np.int64))
        at += count


def _pack(rgba: np.ndarray) -> np.ndarray:
    rgba = rgba.astype(np.int64)
    return (rgba[:, 0] << 24) | (rgba[:, 1] << 16) | (rgba[:, 2] << 8) | rgba[:, 3]


def _unpack(packed: np.ndarray) -> np.ndarray:
    packed = packed.astype(np.int64)
    return np.column_stack(
        [(packed >> 24) & 255, (packed >> 16) & 255, (packed >> 8) & 255, packed & 255]
    ).astype(np.uint8)


def _texture_image(texture: vtkTexture) -> np.ndarray | None:
    image = texture.GetInput()
    if image is None:
        return None
    scalars = image.GetPointData().GetScalars()
    if scalars is None:
        return None
    cols, rows, _ = image.GetDimensions()
    rgba = _rgba_array(scalars).reshape(rows, cols, 4)
    return np.ascontiguousarray(rgba[::-1])


def _glyph_part(actor: vtkActor, mapper: vtkGlyph3DMapper, name: str, layer: str) -> MeshPart | None:
    """A glyph cloud expanded: one copy of the source per point, scaled per axis, in its colour."""
    data = mapper.GetInput()
    source = mapper.GetSource(0) if hasattr(mapper, "GetSource") else None
    if data is None or source is None or data.GetNumberOfPoints() == 0:
        return None
    triangulate = vtkTriangleFilter()
    triangulate.SetInputData(source)
    triangulate.Update()
    glyph = triangulate.GetOutput()
    shape = vtk_to_numpy(glyph.GetPoints().GetData()).astype(np.float64)
    tris = _cells(glyph.GetPolys(), 3)
    centres = vtk_to_numpy(data.GetPoints().GetData()).astype(np.float64)
    n = len(centres)
    scale_array = data.GetPointData().GetArray("scale")
    scale = (
        vtk_to_numpy(scale_array).reshape(n, -1).astype(np.float64)
        if scale_array is not None
        else np.ones((n, 3))
    )
    if scale.shape[1] == 1:
        scale = np.repeat(scale, 3, axis=1)
    points = (shape[None, :, :] * scale[:, None, :] + centres[:, None, :]).reshape(-1, 3)
    points = _transform(points, _matrix(actor))
    triangles = (tris[None, :, :] + (np.arange(n) * len(shape))[:, None, None]).reshape(-1, 3)
    prop = actor.GetProperty()
    part = MeshPart(
        name,
        layer,
        points.astype(np.float32),
        triangles,
        np.empty((0, 2), np.int64),
        np.empty((0, 1), np.int64),
        color=_rgba_of(actor),
        unlit=not prop.GetLighting(),
    )
    colors = data.GetPointData().GetArray("rgba")
    if colors is not None and mapper.GetScalarVisibility():
        rgba = _rgba_array(colors)
        rgba[:, 3] = (rgba[:, 3].astype(np.float64) * prop.GetOpacity()).round().astype(np.uint8)
        part.colors = np.repeat(rgba, len(shape), axis=0)
    return part
