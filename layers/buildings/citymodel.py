"""3D city models (CityJSON 1.x / 2.0, CityGML 2.0): their buildings' own surfaces, as one mesh.

A city model already has its buildings in 3D (LoD1 blocks, LoD2 roofs): nothing is extruded. Each
Building (with its BuildingParts) becomes one row of :attr:`CityModelLayer.frame`, owner of its
triangles, so picking, colouring and filters work as for footprints. For each object the highest
LoD present is used, surfaces as they are (triangulated with earcut in their own plane, holes kept);
semantic surfaces mark the roofs (else the faces looking up).

The layer is a :class:`layers.buildings.layer.BuildingsLayer` (kind ``buildings``) holding prebuilt
triangles: z is stored above each building's lowest point (its ground) and that altitude is kept in
:attr:`~layers.buildings.layer.BuildingsLayer.ground_m`, so a model stands on the flat ground plane or,
with a terrain, on the terrain like footprints do.

CRS: the file's ``referenceSystem`` / ``srsName``, else ``crs=`` (``--crs``); otherwise a
:class:`layers.core.errors.CRSMissing` error naming the common CRSs that would fit (never a silent guess:
RD New and CC46 coordinates also read as other systems). The readers are in
:mod:`layers.buildings.cityjson` (CityJSON) and :mod:`layers.buildings.citygml` (CityGML).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from layers.buildings.city_objects import (
    ROOF,
    UP,
    ModelData,
    ModelObject,
    is_city_model,
)
from layers.buildings.layer import BuildingsLayer
from layers.buildings.mesh import BuildingMesh
from layers.core import crs as crs_util
from layers.core.errors import InputError
from layers.core.safety import check_not_special
from layers.vector.options import saved_options


class CityModelLayer(BuildingsLayer):
    """A CityJSON / CityGML model's buildings (kind ``buildings``, prebuilt triangles).

    Attributes
    ----------
    model_info
        What ``maquette info`` adds for a model: ``format``, ``version``, buildings per ``lod``,
        ``building_parts``, ``triangles``, ``vertical_crs`` (name, or ``None``).
    """

    def __init__(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        height_m: np.ndarray,
        base_m: np.ndarray | None = None,
        *,
        source: str | Path | None = None,
        crs: CRS | None = None,
        mesh: BuildingMesh | None = None,
    ) -> None:
        super().__init__(name, frame, height_m, base_m, source=source, crs=crs, mesh=mesh)
        self.model_info: dict[str, Any] = {}

    @classmethod
    def accepts(cls, path: Path) -> bool:
        return is_city_model(path)

    @classmethod
    def load(
        cls, path: str | Path, *, name: str | None = None, crs: object | None = None, **options: Any
    ) -> CityModelLayer:
        """Read ``path``; ``crs`` overrides a missing or wrong declared CRS (horizontal part used)."""
        path = Path(path)
        if not path.exists():
            raise InputError(path, "no such file")
        check_not_special(path)
        if path.stat().st_size == 0:
            raise InputError(path, "the file is empty (expected CityJSON or CityGML)")
        if path.suffix.lower() in {".gml", ".xml"}:
            from layers.buildings.citygml import read_citygml

            model = read_citygml(path)
        else:
            from layers.buildings.cityjson import read_cityjson

            model = read_cityjson(path)
        if not model.objects:
            kinds = ", ".join(f"{reason} ({len(ids)})" for reason, ids in model.dropped.items()) or "nothing"
            raise InputError(path, f"holds no building with geometry (found: {kinds})")
        layer_crs = _model_crs(path, model, crs)
        self = build_layer(cls, path, model, layer_crs, name=name or _stem(path))
        self.options = saved_options(crs=crs, **options)
        self.apply_style(options.get("style") or {})
        return self

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info.update(self.model_info)
        return info


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".city.json", ".city.jsonl", ".json", ".jsonl", ".gml", ".xml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _model_crs(path: Path, model: ModelData, given: object | None) -> CRS:
    """The horizontal CRS of the model: given, declared, or a :class:`CRSMissing` error."""
    from layers.io.vector_file import _check_fits, missing_crs

    xyz = model.vertices
    used = np.unique(
        np.concatenate(
            [r for o in model.objects for rings, _ in o.surfaces for r in rings] or [np.empty(0, np.int64)]
        )
    )
    if not len(used):
        raise InputError(
            path, "none of its buildings has usable vertices", hint="the file is damaged: export it again"
        )
    xy = xyz[used]
    bounds = (float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()), float(xy[:, 1].max()))
    notes: list[str] = []
    if given is not None:
        try:
            chosen = crs_util.horizontal(crs_util.parse_crs(given))
        except ValueError:
            raise InputError(
                path, f"{given!r} is not a coordinate reference system", hint="expected e.g. EPSG:2154"
            ) from None
        _check_fits(path, chosen, bounds, notes, given=True)
    elif model.crs is not None:
        chosen = crs_util.horizontal(model.crs)
        _check_fits(path, chosen, bounds, notes, given=False)
    else:
        what = "the city model declares no CRS" + (
            " (no referenceSystem)" if model.format == "CityJSON" else " (no srsName)"
        )
        raise missing_crs(path, bounds, what=what)
    model.notes.extend(notes)
    return chosen


def build_layer(
    cls: type[CityModelLayer], path: Path, model: ModelData, crs: CRS, *, name: str
) -> CityModelLayer:
    """The layer of a read model: triangles, one frame row per building, heights, accounting."""
    tri, owner, roof, normals = triangulate(model)
    n = len(model.objects)
    kept = np.bincount(owner, minlength=n) > 0
    dropped = {reason: list(ids) for reason, ids in model.dropped.items()}
    if not kept.all():
        dropped.setdefault("no usable surface", []).extend(model.objects[i].id for i in np.flatnonzero(~kept))
        rows = np.cumsum(kept) - 1
        model.objects = [o for o, k in zip(model.objects, kept) if k]
        owner = rows[owner]
        n = len(model.objects)
    if n == 0:
        raise InputError(path, "none of its buildings has a usable surface")
    vertices = model.vertices
    # one point per (building, vertex): a vertex shared by two buildings gets each one's ground
    key = owner[:, None] * len(vertices) + tri
    unique, inverse = np.unique(key.reshape(-1), return_inverse=True)
    point_owner = unique // len(vertices)
    points = vertices[unique % len(vertices)].copy()
    lowest = np.full(n, np.inf)
    highest = np.full(n, -np.inf)
    np.minimum.at(lowest, point_owner, points[:, 2])
    np.maximum.at(highest, point_owner, points[:, 2])
    points[:, 2] -= lowest[point_owner]
    triangles = inverse.reshape(-1, 3).astype(np.int64)
    mesh = BuildingMesh(points, triangles, owner.astype(np.int64), roof, point_owner.astype(np.int64))

    footprints = _footprints(points, triangles, owner, normals, point_owner, n)
    frame = _frame(model.objects, footprints, crs)
    measured = np.array([o.measured_height_m if o.measured_height_m else np.nan for o in model.objects])
    extent = highest - lowest
    use_measured = np.isfinite(measured) & (measured > 0)
    height = np.where(use_measured, measured, extent)
    layer = cls(name, frame, height, np.zeros(n), source=path, crs=crs, mesh=mesh)
    layer.height_field = "measuredHeight" if use_measured.any() else None
    layer.height_source = np.where(
        use_measured, "measuredHeight", f"geometry (LoD {model.objects[0].lod or '?'})"
    ).astype(object)
    layer.height_source[~use_measured] = [
        f"geometry (LoD {o.lod})" for o, m in zip(model.objects, use_measured) if not m
    ]
    layer.ground_m = lowest
    layer.footprint_z = lowest
    counts = {reason: len(ids) for reason, ids in sorted(dropped.items(), key=lambda kv: -len(kv[1])) if ids}
    layer.stats = {
        "features_in": int(model.features_in),
        "features": n,
        "dropped": int(sum(counts.values())),
        "dropped_reasons": counts,
        "dropped_examples": {
            reason: ", ".join(map(str, ids[:3])) + (", ..." if len(ids) > 3 else "")
            for reason, ids in dropped.items()
            if ids
        },
        "repaired": 0,
        "heights_defaulted": 0,
    }
    lods = pd.Series([o.lod for o in model.objects]).value_counts().to_dict()
    layer.model_info = {
        "format": model.format,
        "version": model.version,
        "lod": {str(k): int(v) for k, v in lods.items()},
        "building_parts": int(sum(o.parts for o in model.objects)),
        "triangles": int(len(triangles)),
        "vertical_crs": _vertical_name(model.crs),
    }
    layer.warnings.extend(model.notes)
    others = {
        reason.split(": ", 1)[1]: len(ids)
        for reason, ids in dropped.items()
        if reason.startswith("not a building: ") and ids
    }
    if others:
        listed = ", ".join(f"{kind} {count}" for kind, count in sorted(others.items(), key=lambda kv: -kv[1]))
        layer.warnings.append(
            f"{sum(others.values())} city objects that are not buildings were left out ({listed})"
        )
    for reason, ids in dropped.items():
        if ids and not reason.startswith("not a building: "):
            layer.warnings.append(
                f"{len(ids)} city objects were left out: {reason} "
                f"({', '.join(map(str, ids[:3]))}{', ...' if len(ids) > 3 else ''})"
            )
    return layer


def _vertical_name(crs: CRS | None) -> str | None:
    if crs is not None and crs.is_compound:
        for sub in crs.sub_crs_list:
            if sub.is_vertical:
                return sub.name
    return None


def triangulate(model: ModelData) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Triangles (T, 3) into ``model.vertices``, their building (T,), roof flags (T,) and unit
    normals (T, 3); each polygon earcut in its own plane, triangles wound like their polygon."""
    import mapbox_earcut

    vertices = model.vertices
    tris: list[np.ndarray] = []
    owners: list[int] = []
    counts: list[int] = []
    semantics: list[str | None] = []
    surface_normals: list[np.ndarray] = []
    for row, obj in enumerate(model.objects):
        for rings, semantic in obj.surfaces:
            rings = [r for r in rings if len(r) >= 3]
            if not rings:
                continue
            exterior = rings[0]
            if len(rings) == 1 and len(exterior) == 3:
                tri = exterior[None, :]
                normal = _newell(vertices[exterior])
            else:
                index = np.concatenate(rings)
                coords = vertices[index]
                normal = _newell(coords[: len(exterior)])
                if not np.any(normal):
                    continue
                axis = int(np.argmax(np.abs(normal)))
                plane = np.delete(coords, axis, axis=1)
                plane = plane - plane[0]
                ends = np.cumsum([len(r) for r in rings]).astype(np.uint32)
                cut = mapbox_earcut.triangulate_float64(plane, ends)
                if not len(cut):
                    continue
                tri = index[cut.reshape(-1, 3)]
            tris.append(tri)
            counts.append(len(tri))
            owners.append(row)
            semantics.append(semantic)
            surface_normals.append(normal)
    if not tris:
        return np.empty((0, 3), np.int64), np.empty(0, np.int64), np.empty(0, bool), np.empty((0, 3))
    triangles = np.concatenate(tris).astype(np.int64)
    counts_arr = np.array(counts)
    owner = np.repeat(np.array(owners, np.int64), counts_arr)
    expected = np.repeat(np.array(surface_normals), counts_arr, axis=0)
    semantic_of = np.repeat(np.array(semantics, dtype=object), counts_arr)
    a, b, c = (vertices[triangles[:, k]] for k in range(3))
    normals = np.cross(b - a, c - a)
    flip = np.einsum("ij,ij->i", normals, expected) < 0
    triangles[flip] = triangles[flip][:, ::-1]
    normals[flip] *= -1
    length = np.linalg.norm(normals, axis=1)
    keep = length > 0
    unit = np.zeros_like(normals)
    unit[keep] = normals[keep] / length[keep, None]
    has_semantics = semantic_of != None  # noqa: E711 - element-wise
    roof = np.where(has_semantics, semantic_of == ROOF, unit[:, 2] > UP)
    return triangles[keep], owner[keep], roof[keep].astype(bool), unit[keep]


def _newell(points: np.ndarray) -> np.ndarray:
    """Normal of a (possibly non-convex, not closed) polygon by Newell's method (not normalised)."""
    p = points - points[0]
    q = np.roll(p, -1, axis=0)
    return np.array(
        [
            np.sum((p[:, 1] - q[:, 1]) * (p[:, 2] + q[:, 2])),
            np.sum((p[:, 2] - q[:, 2]) * (p[:, 0] + q[:, 0])),
            np.sum((p[:, 0] - q[:, 0]) * (p[:, 1] + q[:, 1])),
        ]
    )


def _footprints(
    points: np.ndarray,
    triangles: np.ndarray,
    owner: np.ndarray,
    normals: np.ndarray,
    point_owner: np.ndarray,
    n: int,
) -> np.ndarray:
    """(n,) 2D footprints: the union of each building's faces seen from above (vectorised)."""
    flat = np.abs(normals[:, 2]) > 0.05
    xy = points[:, :2]
    corners = xy[triangles[flat]]
    u, v = corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]
    area = np.abs(u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]) / 2
    ok = area > 1e-6
    corners, tri_owner = corners[ok], owner[flat][ok]
    out = np.full(n, None, dtype=object)
    if len(corners):
        rings = np.concatenate([corners, corners[:, :1]], axis=1)
        polygons = np.asarray(shapely.polygons(rings))
        order = np.argsort(tri_owner, kind="stable")
        multi = shapely.multipolygons(polygons[order], indices=tri_owner[order])
        present = np.unique(tri_owner)
        merged = shapely.make_valid(multi, method="structure")
        out[present] = merged
    missing = shapely.is_missing(out) | shapely.is_empty(out) | (shapely.area(out) <= 0)
    if missing.any():  # only walls seen from above: the outline of the building's points
        hulls = np.asarray(shapely.convex_hull(shapely.multipoints(xy, indices=point_owner)))
        out[missing] = hulls[missing]
    return out


def _frame(objects: list[ModelObject], footprints: np.ndarray, crs: CRS) -> gpd.GeoDataFrame:
    """One row per building: ``id``, ``type``, ``lod``, ``parts``, then the model's attributes."""
    records = []
    for position, obj in enumerate(objects):
        record: dict[str, Any] = {
            "feature_index": position,
            "id": obj.id,
            "type": obj.type,
            "lod": obj.lod,
            "parts": obj.parts,
        }
        for key, value in obj.attributes.items():
            key = str(key)
            if key in record:
                key = f"attr_{key}"
            record[key] = value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
        records.append(record)
    table = pd.DataFrame.from_records(records)
    for column in table.columns:
        if table[column].dtype == object and column not in ("id", "type", "lod"):
            converted = pd.to_numeric(table[column], errors="coerce")
            if converted.notna().sum() == table[column].notna().sum() and table[column].notna().any():
                table[column] = converted
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(footprints, crs=crs))
