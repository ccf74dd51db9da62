"""Read CityGML (1.0 / 2.0) buildings into :class:`layers.buildings.citymodel.ModelData`, safely.

GDAL's GML driver cannot read LoD2 CityGML (solids of xlinked surfaces), so the XML is read here with
lxml, streamed one ``cityObjectMember`` at a time (memory stays small on city-wide files) and with
a parser that neither resolves entities, nor loads DTDs, nor touches the network, nor accepts
pathologically deep or huge trees.

For each Building (and its BuildingParts, merged into it) the polygons of the highest LoD present
are kept (``lod1Solid``, ``lod2MultiSurface``, thematic ``boundedBy`` surfaces...), with their
semantic type (RoofSurface, WallSurface...). Surfaces referenced by ``xlink:href`` are the same
polygons given inline elsewhere, so only inline polygons are read (no double walls). Generic
attributes (``gen:stringAttribute``...), ``measuredHeight``, ``yearOfConstruction``, ``function``...
become columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from layers.buildings.city_objects import BUILDING_TYPES, ModelData, ModelObject, parse_crs_reference
from layers.core.errors import InputError

SEMANTIC_SURFACES = {
    "RoofSurface",
    "WallSurface",
    "GroundSurface",
    "ClosureSurface",
    "OuterCeilingSurface",
    "OuterFloorSurface",
    "FloorSurface",
    "InteriorWallSurface",
    "CeilingSurface",
}
POLYGONS = {"Polygon", "Triangle", "Rectangle"}
SKIPPED = {
    "appearance",
    "consistsOfBuildingPart",
    "address",
    "interiorRoom",
    "outerBuildingInstallation",
    "interiorBuildingInstallation",
}
SIMPLE_ATTRIBUTES = {
    "name",
    "description",
    "class",
    "function",
    "usage",
    "yearOfConstruction",
    "yearOfDemolition",
    "roofType",
    "measuredHeight",
    "storeysAboveGround",
    "storeysBelowGround",
    "creationDate",
}
GENERIC = re.compile(r"^(string|int|double|date|uri|measure)Attribute$")
LOD = re.compile(r"^lod(\d)")


#: a polygon met under a building: (LoD, semantic surface type or None, the gml:Polygon element)
_Found = tuple[int, str | None, Any]


@dataclass
class _Reading:
    """What is learnt while reading the members: the first ``srsName`` met (the file's CRS)."""

    srs: str | None


def _local(tag: object) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1] if "}" in text else text


def read_citygml(path: Path) -> ModelData:
    """Read the buildings of a CityGML file; :class:`InputError` for XML that is not CityGML."""
    from lxml import etree

    path = Path(path)
    pool: list[np.ndarray] = []
    state = _Reading(srs=_head_srs(path))
    model = ModelData(np.empty((0, 3)), [], {}, None, "CityGML")
    try:
        events = etree.iterparse(
            str(path),
            events=("end",),
            tag=("{*}cityObjectMember", "{*}featureMember"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
        )
        for _, member in events:
            for child in member:
                if not isinstance(child.tag, str):
                    continue
                model.features_in += 1
                kind = _local(child.tag)
                ident = (
                    child.get("{http://www.opengis.net/gml}id")
                    or child.get("id")
                    or f"member {model.features_in}"
                )
                if kind not in BUILDING_TYPES:
                    model.dropped.setdefault(f"not a building: {kind}", []).append(ident)
                    continue
                try:
                    built = _building(child, ident, pool, state)
                except (
                    ValueError,
                    TypeError,
                    IndexError,
                    OverflowError,
                ):  # a damaged building: counted, the others open
                    model.dropped.setdefault("unreadable geometry", []).append(ident)
                    continue
                if built.surfaces:
                    model.objects.append(built)
                else:
                    model.dropped.setdefault("no geometry", []).append(ident)
            member.clear()
            while member.getprevious() is not None:
                del member.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"is not readable as CityGML: {' '.join(str(exc).split())}") from None
    model.vertices = np.concatenate(pool) if pool else np.empty((0, 3))
    model.crs = parse_crs_reference(state.srs) if state.srs else None
    if state.srs and model.crs is None:
        model.notes.append(f"srsName {state.srs!r} is not a CRS Maquette knows; choose one with --crs")
    head = _head(path)
    version = re.search(r"opengis\.net/citygml/(\d\.\d)", head)
    model.version = version.group(1) if version else None
    return model


def _head(path: Path, size: int = 65536) -> str:
    with open(path, "rb") as handle:
        return handle.read(size).decode("utf-8", errors="replace")


def _head_srs(path: Path) -> str | None:
    match = re.search(r'srsName\s*=\s*"([^"]+)"', _head(path))
    return match.group(1) if match else None


def _building(element: Any, ident: str, pool: list[np.ndarray], state: _Reading) -> ModelObject:
    """A Building with its parts merged; each object at its own highest LoD."""
    built = ModelObject(ident, _local(element.tag), _attributes(element))
    try:
        built.measured_height_m = (
            float(built.attributes["measuredHeight"]) if "measuredHeight" in built.attributes else None
        )
    except (TypeError, ValueError):
        built.measured_height_m = None
    objects = [element] + [p for p in element.iter("{*}BuildingPart")]
    lods = []
    for obj in objects:
        if obj is not element:
            built.parts += 1
            if built.measured_height_m is None:
                height = _first_text(obj, "measuredHeight")
                try:
                    built.measured_height_m = float(height) if height else None
                except ValueError:
                    pass
        found: list[_Found] = []
        _collect(obj, None, None, found, state)
        if not found:
            continue
        best = max(lod for lod, _, _ in found)
        lods.append(best)
        for lod, semantic, polygon in found:
            if lod == best:
                rings = _rings(polygon, pool)
                if rings:
                    built.surfaces.append((rings, semantic))
    if lods:
        built.lod = str(max(lods))
    return built


def _collect(
    element: Any, lod: int | None, semantic: str | None, found: list[_Found], state: _Reading
) -> None:
    """Inline polygons under ``element`` with their LoD and semantic type (parts left out)."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = _local(child.tag)
        if name in SKIPPED:
            continue
        if state.srs is None and child.get("srsName"):
            state.srs = child.get("srsName")
        match = LOD.match(name)
        child_lod = int(match.group(1)) if match else lod
        child_semantic = name if name in SEMANTIC_SURFACES else semantic
        if name in POLYGONS:
            if child_lod is not None:
                found.append((child_lod, child_semantic, child))
            continue
        _collect(child, child_lod, child_semantic, found, state)


def _rings(polygon, pool: list[np.ndarray]) -> list[np.ndarray]:
    """Index arrays (into the vertex pool) of a polygon's exterior then interior rings."""
    rings = []
    for boundary in ("exterior", "outerBoundaryIs", "interior", "innerBoundaryIs"):
        for ring_parent in polygon.iterfind(f"{{*}}{boundary}"):
            coords = _ring_coords(ring_parent)
            if coords is None or len(coords) < 3:
                if boundary in ("exterior", "outerBoundaryIs"):
                    return []
                continue
            start = sum(len(p) for p in pool)
            pool.append(coords)
            rings.append(np.arange(start, start + len(coords), dtype=np.int64))
    return rings


def _ring_coords(ring_parent) -> np.ndarray | None:
    """(k, 3) coordinates of the LinearRing under an exterior / interior element, not closed."""
    ring = next(ring_parent.iterfind("{*}LinearRing"), None)
    if ring is None:
        return None
    pos_list = next(ring.iterfind("{*}posList"), None)
    if pos_list is not None and pos_list.text:
        dim = int(pos_list.get("srsDimension") or ring.get("srsDimension") or _ancestor_dimension(ring) or 3)
        values = np.array(pos_list.text.split(), dtype=np.float64)
    else:
        positions = [p.text.split() for p in ring.iterfind("{*}pos") if p.text]
        if positions:
            dim = len(positions[0])
            values = np.array([v for p in positions for v in p], dtype=np.float64)
        else:
            text = next(ring.iterfind("{*}coordinates"), None)
            if text is None or not text.text:
                return None
            tuples = [t.split(",") for t in text.text.split()]
            dim = len(tuples[0])
            values = np.array([v for t in tuples for v in t], dtype=np.float64)
    if dim not in (2, 3) or len(values) % dim:
        return None
    coords = values.reshape(-1, dim)
    if dim == 2:
        coords = np.column_stack([coords, np.zeros(len(coords))])
    if len(coords) > 1 and np.array_equal(coords[0], coords[-1]):
        coords = coords[:-1]
    return coords


def _ancestor_dimension(element) -> str | None:
    for parent in element.iterancestors():
        value = parent.get("srsDimension")
        if value:
            return value
    return None


def _attributes(element) -> dict[str, object]:
    """Simple attributes of a building (direct children) and its generic attributes."""
    out: dict[str, object] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = _local(child.tag)
        if name in SIMPLE_ATTRIBUTES and child.text and child.text.strip():
            out[name] = _value(child.text.strip())
        elif GENERIC.match(name):
            key = child.get("name")
            value = next(child.iterfind("{*}value"), None)
            if key and value is not None and value.text is not None and value.text.strip():
                out[key] = _value(value.text.strip())
    return out


def _first_text(element, name: str) -> str | None:
    child = next(element.iterfind(f"{{*}}{name}"), None)
    return child.text.strip() if child is not None and child.text else None


def _value(text: str) -> object:
    try:
        number = float(text)
    except ValueError:
        return text
    if number in (-9999.0, -99999.0):
        return None
    return int(number) if number.is_integer() and "." not in text else number
