"""Read CityJSON (1.0, 1.1, 2.0, and CityJSONSeq ``.jsonl``) into
:class:`layers.buildings.citymodel.ModelData`.

The ``transform`` (scale, translate) is applied to the integer vertices. Every top-level city object
is one feature of the file: a Building (with its BuildingParts and other children merged into it)
becomes a row; other types (roads, vegetation...) are counted as left out, with their type. For each
object the geometry of the highest LoD is used; geometry templates (``GeometryInstance``) are not
supported and counted as such when an object has nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from layers.buildings.city_objects import BUILDING_TYPES, ModelData, ModelObject, parse_crs_reference
from layers.core.errors import InputError

#: what a damaged city object raises while it is read: it is counted as unreadable, the others open
DAMAGED = (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError)
UNREADABLE = "unreadable geometry"
#: why a building none of whose faces could be read is left out
MISSING_VERTICES = "faces pointing to vertices the file does not have"
SURFACE_TYPES = {"MultiSurface", "CompositeSurface"}
SOLID_TYPES = {"Solid"}
MULTI_SOLID_TYPES = {"MultiSolid", "CompositeSolid"}


def read_cityjson(path: Path) -> ModelData:
    """Read a CityJSON file (or CityJSONSeq); :class:`InputError` when it is not valid CityJSON."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".jsonl":
            data = _read_sequence(path)
        else:
            with open(path, "rb") as handle:
                data = json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(
            path,
            "is not readable as CityJSON: "
            f"{exc.msg if hasattr(exc, 'msg') else exc} (truncated or damaged file?)",
        ) from None
    except DAMAGED as exc:  # a CityJSONSeq line that is JSON but not a feature
        raise InputError(
            path, f"is not readable as CityJSONSeq: {exc} (truncated or damaged file?)"
        ) from None
    if not isinstance(data, dict) or data.get("type") != "CityJSON":
        raise InputError(path, 'is not CityJSON (expected "type": "CityJSON")')
    objects = data.get("CityObjects")
    if not isinstance(objects, dict):
        raise InputError(path, "has no CityObjects")
    vertices = _vertices(path, data)
    metadata = data.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    reference = metadata.get("referenceSystem") or metadata.get("crs")
    crs = parse_crs_reference(reference) if isinstance(reference, str) and reference else None
    model = ModelData(vertices, [], {}, crs, "CityJSON", str(data.get("version") or ""))
    if reference and crs is None:
        model.notes.append(
            f"referenceSystem {reference!r} is not a CRS Maquette knows; choose one with --crs"
        )
    roots = [key for key, obj in objects.items() if not isinstance(obj, dict) or not _parents(obj, objects)]
    model.features_in = len(roots)
    faces_kept = faces_dropped = 0
    damaged: list[str] = []
    for key in roots:
        obj = objects[key]
        kind = str(obj.get("type", "?")) if isinstance(obj, dict) else "?"
        if kind not in BUILDING_TYPES:
            model.dropped.setdefault(f"not a building: {kind}", []).append(key)
            continue
        try:
            built = _building(key, obj, objects, vertices)
            instances = not built.surfaces and _has_instances(key, objects)
        except DAMAGED:
            model.dropped.setdefault(UNREADABLE, []).append(key)
            continue
        faces_dropped += built.faces_dropped
        faces_kept += len(built.surfaces)
        if built.faces_dropped:
            damaged.append(key)
        if built.surfaces:
            model.objects.append(built)
        elif built.faces_dropped:
            model.dropped.setdefault(MISSING_VERTICES, []).append(key)
        elif instances:
            model.dropped.setdefault("geometry template (GeometryInstance), not supported", []).append(key)
        else:
            model.dropped.setdefault("no geometry", []).append(key)
    _account_faces(path, model, faces_kept, faces_dropped, damaged)
    return model


def _account_faces(path: Path, model: ModelData, kept: int, dropped: int, buildings: list[str]) -> None:
    """Say how many faces pointed to missing vertices (their buildings named); refuse a file
    where most faces do: what is left would not be the model."""
    if not dropped:
        return
    if dropped > kept:
        raise InputError(
            path,
            f"most of its faces ({dropped} of {dropped + kept}) point to vertices the file does not "
            "have or that are not numbers",
            hint="the file is damaged: export it again",
        )
    shown = ", ".join(buildings[:3]) + (", ..." if len(buildings) > 3 else "")
    model.notes.append(
        f"{dropped} faces of {len(buildings)} buildings point to vertices the file does not have "
        f"or that are not numbers and were left out ({shown})"
    )


def _parents(obj: dict[str, Any], objects: dict[str, Any]) -> list[str]:
    parents = obj.get("parents")
    return [p for p in parents if isinstance(p, str) and p in objects] if isinstance(parents, list) else []


def _read_sequence(path: Path) -> dict[str, Any]:
    """A CityJSONSeq file as one CityJSON document (each feature's vertices appended)."""
    with open(path, encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        header.setdefault("CityObjects", {})
        vertices = list(header.get("vertices") or [])
        for line in handle:
            if not line.strip():
                continue
            feature = json.loads(line)
            offset = len(vertices)
            vertices.extend(feature.get("vertices") or [])
            for key, obj in (feature.get("CityObjects") or {}).items():
                for geometry in obj.get("geometry") or []:
                    if "boundaries" in geometry:
                        geometry["boundaries"] = _shift(geometry["boundaries"], offset)
                header["CityObjects"][key] = obj
    header["vertices"] = vertices
    return header


def _shift(boundaries: Any, offset: int) -> Any:
    if isinstance(boundaries, list):
        return [_shift(b, offset) for b in boundaries]
    return boundaries + offset


def _vertices(path: Path, data: dict[str, Any]) -> np.ndarray:
    try:
        vertices = np.asarray(data.get("vertices") or [], dtype=np.float64).reshape(-1, 3)
    except (ValueError, TypeError, OverflowError):
        raise InputError(
            path, "its vertices are not [x, y, z] numbers", hint="the file is damaged: export it again"
        ) from None
    transform = data.get("transform")
    if transform:
        try:
            scale = np.asarray(transform.get("scale", [1, 1, 1]), np.float64).reshape(3)
            translate = np.asarray(transform.get("translate", [0, 0, 0]), np.float64).reshape(3)
        except DAMAGED:
            raise InputError(
                path,
                "its transform is not a scale and a translate of [x, y, z] numbers",
                field="transform",
                hint="the file is damaged: export it again",
            ) from None
        vertices = vertices * scale + translate
    return vertices


def _lod_value(geometry: dict[str, Any]) -> float:
    try:
        return float(geometry.get("lod", -1))
    except (TypeError, ValueError):
        return -1.0


def _best_geometry(obj: dict[str, Any]) -> dict[str, Any] | None:
    """The geometry of the highest LoD an object has (templates left out)."""
    usable = [
        g
        for g in obj.get("geometry") or []
        if g.get("type") in SURFACE_TYPES | SOLID_TYPES | MULTI_SOLID_TYPES
    ]
    return max(usable, key=_lod_value) if usable else None


def _building(key: str, obj: dict[str, Any], objects: dict[str, Any], vertices: np.ndarray) -> ModelObject:
    """A Building and its descendants, merged, each object at its own highest LoD."""
    attributes = dict(obj.get("attributes") or {})
    measured = attributes.get("measuredHeight")
    built = ModelObject(key, str(obj.get("type")), attributes)
    try:
        built.measured_height_m = float(measured) if measured is not None else None
    except (TypeError, ValueError):
        built.measured_height_m = None
    lods = []
    stack, seen = [key], set()
    while stack:
        current = stack.pop()
        if current in seen or current not in objects:
            continue
        seen.add(current)
        item = objects[current]
        if current != key:
            built.parts += 1
        geometry = _best_geometry(item)
        if geometry is not None:
            lods.append(geometry.get("lod"))
            surfaces, dropped = _surfaces(geometry, vertices)
            built.surfaces.extend(surfaces)
            built.faces_dropped += dropped
        stack.extend(item.get("children") or [])
    if lods:
        best = max(lods, key=lambda v: _lod_value({"lod": v}))
        built.lod = str(best)
    return built


def _surfaces(
    geometry: dict[str, Any], vertices: np.ndarray
) -> tuple[list[tuple[list[np.ndarray], str | None]], int]:
    """``(rings, semantic)`` of every surface of a geometry (Solid, MultiSolid, MultiSurface...),
    and how many surfaces were left out for pointing to a vertex the file does not have (an index
    out of range) or whose coordinates are not numbers."""
    usable = np.isfinite(vertices).all(axis=1)
    vertex_count = len(vertices)
    kind = geometry.get("type")
    boundaries = geometry.get("boundaries") or []
    semantics = geometry.get("semantics") or {}
    kinds = [s.get("type") for s in semantics.get("surfaces") or []]
    values = semantics.get("values")
    if kind in SURFACE_TYPES:
        surfaces, labels = boundaries, values
    elif kind in SOLID_TYPES:
        surfaces = [s for shell in boundaries for s in shell]
        labels = [v for shell in values for v in (shell or [])] if values else None
    else:
        surfaces = [s for solid in boundaries for shell in solid for s in shell]
        labels = [v for solid in values for shell in (solid or []) for v in (shell or [])] if values else None
    dropped = 0
    out = []
    for i, surface in enumerate(surfaces):
        rings = [np.asarray(ring, dtype=np.int64).reshape(-1) for ring in surface]
        if any(len(r) and (r.min() < 0 or r.max() >= vertex_count or not usable[r].all()) for r in rings):
            dropped += 1  # a face missing a corner would be another shape: left out whole
            continue
        label = labels[i] if labels is not None and i < len(labels) else None
        semantic = kinds[label] if isinstance(label, int) and 0 <= label < len(kinds) else None
        out.append((rings, semantic))
    return out, dropped


def _has_instances(key: str, objects: dict[str, Any]) -> bool:
    stack = [key]
    while stack:
        item = objects.get(stack.pop()) or {}
        if any(g.get("type") == "GeometryInstance" for g in item.get("geometry") or []):
            return True
        stack.extend(item.get("children") or [])
    return False
