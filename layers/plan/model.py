"""The planned project as data: buildings shaped in the meeting, grouped in named variants.

Everything here is immutable: an edit makes a new :class:`Plan` (:mod:`layers.plan.edits`), and the
session keeps the one before for Undo (:mod:`layers.session.plan_commands`). Coordinates are metres
in the scene CRS, whose label the plan keeps (:attr:`Plan.crs`), so a plan read back in another
scene is moved into it (:meth:`Plan.reprojected`).

The project document holds it under ``"plan"``::

    {"crs": "EPSG:2154", "active": "A", "day": "2026-06-21",
     "variants": [{"name": "A",
                   "buildings": [{"id": "b1", "name": "", "footprint": [[x, y], ...],
                                  "height_m": 24.0, "storey_height_m": 3.0,
                                  "roof": "flat", "roof_pitch_deg": 35.0}],
                   "demolished": [{"layer": "Bâtiments", "feature": 1203}]}]}
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
import shapely

from layers.core.errors import InputError

RoofForm = Literal["flat", "gable", "hip"]
ROOF_FORMS: tuple[RoofForm, ...] = ("flat", "gable", "hip")

#: the storey height a new building starts with, metres (a French dwelling floor to floor)
DEFAULT_STOREY_HEIGHT_M = 3.0
#: the roof pitch a pitched roof starts with, degrees
DEFAULT_ROOF_PITCH_DEG = 35.0
#: the tallest wall a planned building may have, metres (taller than any French tower)
MAX_HEIGHT_M = 400.0
#: the name of the first variant of a new plan
FIRST_VARIANT = "A"


@dataclass(frozen=True)
class BuildingRef:
    """An existing building: its layer (the layer's project id, else its name) and its feature
    (``feature_index``, its position in the layer's file: stable across sessions)."""

    layer: str
    feature: int

    def to_dict(self) -> dict[str, Any]:
        return {"layer": self.layer, "feature": self.feature}


@dataclass(frozen=True)
class PlannedBuilding:
    """One planned building: a footprint extruded to :attr:`height_m`, with a roof on top.

    Attributes
    ----------
    id
        Unique in its plan ("b1", "b2"…); kept when the building is edited and across variants made
        by copying, so a building can be followed from one variant to another.
    footprint
        Exterior ring, (x, y) metres in the plan's CRS, counter-clockwise, not closed, ≥ 3 corners.
    height_m
        Top of the walls (the eaves of a pitched roof) above the ground, metres.
    storey_height_m
        Floor to floor, metres: :attr:`storeys` is the height divided by it.
    roof
        ``"flat"``, ``"gable"`` (two slopes, ridge along the longer side) or ``"hip"`` (four slopes).
    roof_pitch_deg
        Slope of a pitched roof, degrees (ignored for a flat one).
    """

    id: str
    footprint: tuple[tuple[float, float], ...]
    height_m: float = 3 * DEFAULT_STOREY_HEIGHT_M
    storey_height_m: float = DEFAULT_STOREY_HEIGHT_M
    roof: RoofForm = "flat"
    roof_pitch_deg: float = DEFAULT_ROOF_PITCH_DEG
    name: str = ""

    @property
    def polygon(self) -> shapely.Polygon:
        """The footprint as a shapely Polygon (plan CRS)."""
        return shapely.Polygon(self.footprint)

    @property
    def storeys(self) -> int:
        """Storeys under the eaves (at least 1)."""
        return max(1, int(math.floor(self.height_m / self.storey_height_m + 1e-6)))

    @property
    def footprint_area_m2(self) -> float:
        return float(shapely.area(self.polygon))

    @property
    def floor_area_m2(self) -> float:
        """Gross floor area: footprint × storeys, m²."""
        return self.footprint_area_m2 * self.storeys

    def edge_lengths_m(self) -> np.ndarray:
        """(k,) length of each side of the footprint, metres (side i from corner i to i + 1)."""
        xy = np.asarray(self.footprint, float)
        return np.hypot(*(np.roll(xy, -1, axis=0) - xy).T)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "footprint": [[round(x, 3), round(y, 3)] for x, y in self.footprint],
            "height_m": round(self.height_m, 3),
            "storey_height_m": round(self.storey_height_m, 3),
            "roof": self.roof,
        }
        if self.roof != "flat":
            data["roof_pitch_deg"] = round(self.roof_pitch_deg, 2)
        if self.name:
            data["name"] = self.name
        return data

    @classmethod
    def from_dict(cls, data: Any, where: str, path: Path | None = None) -> PlannedBuilding:
        """Read one building of a project document; :class:`InputError` naming ``where`` (e.g.
        ``plan.variants[0].buildings[2]``) and the field when a value is not what it should be."""
        if not isinstance(data, Mapping):
            raise InputError(path, f"{where} should be an object (a planned building)", field=where)
        ident = data.get("id")
        if not isinstance(ident, str) or not ident:
            raise InputError(path, f"{where}.id should be a text (the building's id)", field=f"{where}.id")
        ring = footprint_from(data.get("footprint"), f"{where}.footprint", path)
        numbers = {
            "height_m": (data.get("height_m", 3 * DEFAULT_STOREY_HEIGHT_M), 0.1, MAX_HEIGHT_M),
            "storey_height_m": (data.get("storey_height_m", DEFAULT_STOREY_HEIGHT_M), 1.5, 20.0),
            "roof_pitch_deg": (data.get("roof_pitch_deg", DEFAULT_ROOF_PITCH_DEG), 5.0, 75.0),
        }
        values: dict[str, float] = {}
        for key, (value, low, high) in numbers.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                raise InputError(
                    path,
                    f"{where}.{key} should be a number from {low:g} to {high:g}, not {value!r}",
                    field=f"{where}.{key}",
                )
            values[key] = float(value)
        roof = data.get("roof", "flat")
        if roof not in ROOF_FORMS:
            raise InputError(
                path,
                f"{where}.roof should be one of {', '.join(ROOF_FORMS)}, not {roof!r}",
                field=f"{where}.roof",
            )
        name = data.get("name", "")
        return cls(
            ident,
            ring,
            values["height_m"],
            values["storey_height_m"],
            cast(RoofForm, roof),
            values["roof_pitch_deg"],
            name if isinstance(name, str) else "",
        )


def footprint_from(value: Any, where: str, path: Path | None = None) -> tuple[tuple[float, float], ...]:
    """A footprint ring from a list of [x, y] (closed or not): counter-clockwise, not closed,
    valid; :class:`InputError` otherwise."""
    try:
        xy = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        xy = np.empty((0, 0))
    if xy.ndim != 2 or xy.shape[1] != 2 or not np.isfinite(xy).all():
        raise InputError(path, f"{where} should be a list of [x, y] corners in metres", field=where)
    if len(xy) > 1 and np.allclose(xy[0], xy[-1], rtol=0.0, atol=1e-6):
        xy = xy[:-1]
    if len(xy) < 3:
        raise InputError(path, f"{where} needs at least 3 corners, not {len(xy)}", field=where)
    polygon = shapely.Polygon(xy)
    if not polygon.is_valid or polygon.area < 1.0:
        raise InputError(
            path,
            f"{where} is not a simple polygon of at least 1 m² (its sides cross, or it is flat)",
            field=where,
        )
    return ring_of(polygon)


def ring_of(polygon: shapely.Polygon) -> tuple[tuple[float, float], ...]:
    """The exterior ring of ``polygon``, counter-clockwise, not closed, as a tuple of (x, y)."""
    oriented = shapely.orient_polygons(polygon, exterior_cw=False)
    coords = np.asarray(shapely.get_coordinates(shapely.get_exterior_ring(oriented)))[:-1]
    return tuple((float(x), float(y)) for x, y in coords)


@dataclass(frozen=True)
class Variant:
    """One version of the project: its buildings, and the existing buildings it demolishes."""

    name: str
    buildings: tuple[PlannedBuilding, ...] = ()
    demolished: tuple[BuildingRef, ...] = ()

    def building(self, ident: str) -> PlannedBuilding | None:
        return next((b for b in self.buildings if b.id == ident), None)

    @property
    def floor_area_m2(self) -> float:
        return float(sum(b.floor_area_m2 for b in self.buildings))

    @property
    def top_m(self) -> float:
        """The tallest wall of the variant, metres (0 when empty)."""
        return max((b.height_m for b in self.buildings), default=0.0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "buildings": [b.to_dict() for b in self.buildings],
            "demolished": [ref.to_dict() for ref in self.demolished],
        }

    @classmethod
    def from_dict(cls, data: Any, where: str, path: Path | None = None) -> Variant:
        if not isinstance(data, Mapping):
            raise InputError(path, f"{where} should be an object (a variant)", field=where)
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InputError(
                path, f"{where}.name should be a text (the variant's name)", field=f"{where}.name"
            )
        entries = data.get("buildings") or []
        if not isinstance(entries, list):
            raise InputError(path, f"{where}.buildings should be a list", field=f"{where}.buildings")
        buildings = tuple(
            PlannedBuilding.from_dict(entry, f"{where}.buildings[{i}]", path)
            for i, entry in enumerate(entries)
        )
        ids = [b.id for b in buildings]
        if len(set(ids)) != len(ids):
            raise InputError(
                path, f"{where}.buildings: two buildings share an id", field=f"{where}.buildings"
            )
        refs = data.get("demolished") or []
        if not isinstance(refs, list):
            raise InputError(path, f"{where}.demolished should be a list", field=f"{where}.demolished")
        demolished = []
        for i, ref in enumerate(refs):
            feature = ref.get("feature") if isinstance(ref, Mapping) else None
            layer = ref.get("layer") if isinstance(ref, Mapping) else None
            if not isinstance(layer, str) or isinstance(feature, bool) or not isinstance(feature, int):
                raise InputError(
                    path,
                    f'{where}.demolished[{i}] should be {{"layer": name, "feature": number}}',
                    field=f"{where}.demolished[{i}]",
                )
            demolished.append(BuildingRef(layer, feature))
        return cls(name.strip(), buildings, tuple(dict.fromkeys(demolished)))


@dataclass(frozen=True)
class Plan:
    """The planned project of a session: its variants, the one shown, and its study day.

    Attributes
    ----------
    variants
        At least one; names unique.
    active
        Index of the variant shown and edited.
    crs
        Label of the CRS of the coordinates (the scene's when the plan was made), or ``None``.
    day
        The day the sun figures are computed for (``None``: the scene clock's day, else 21 June).
    """

    variants: tuple[Variant, ...] = (Variant(FIRST_VARIANT),)
    active: int = 0
    crs: str | None = None
    day: date | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def variant(self) -> Variant:
        """The variant shown and edited."""
        return self.variants[self.active]

    def variant_named(self, name: str) -> Variant | None:
        return next((v for v in self.variants if v.name == name), None)

    def index_of(self, name: str) -> int | None:
        return next((i for i, v in enumerate(self.variants) if v.name == name), None)

    def with_variant(self, variant: Variant, index: int | None = None) -> Plan:
        """This plan with ``variant`` in place of the one at ``index`` (default: the active one)."""
        k = self.active if index is None else index
        variants = list(self.variants)
        variants[k] = variant
        return replace(self, variants=tuple(variants))

    def next_building_id(self) -> str:
        """An id no building of any variant has ("b1", "b2"…)."""
        taken = {b.id for v in self.variants for b in v.buildings}
        n = len(taken) + 1
        while f"b{n}" in taken:
            n += 1
        return f"b{n}"

    def unique_variant_name(self, base: str) -> str:
        names = {v.name for v in self.variants}
        if base not in names:
            return base
        n = 2
        while f"{base} {n}" in names:
            n += 1
        return f"{base} {n}"

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.extra)
        data.update(
            variants=[v.to_dict() for v in self.variants],
            active=self.variant.name,
        )
        if self.crs:
            data["crs"] = self.crs
        if self.day is not None:
            data["day"] = self.day.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: Any, path: Path | None = None) -> Plan:
        """Read the document's ``plan``; :class:`InputError` naming the place of a bad value."""
        if not isinstance(data, Mapping):
            raise InputError(path, "plan should be an object (the planned project)", field="plan")
        entries = data.get("variants")
        if not isinstance(entries, list) or not entries:
            raise InputError(
                path, "plan.variants should be a list of at least one variant", field="plan.variants"
            )
        variants = tuple(
            Variant.from_dict(entry, f"plan.variants[{i}]", path) for i, entry in enumerate(entries)
        )
        names = [v.name for v in variants]
        if len(set(names)) != len(names):
            raise InputError(path, "plan.variants: two variants share a name", field="plan.variants")
        active = data.get("active", names[0])
        if active not in names:
            raise InputError(path, f"plan.active names no variant ({active!r})", field="plan.active")
        crs = data.get("crs")
        if crs is not None and not isinstance(crs, str):
            raise InputError(path, "plan.crs should be a CRS label such as EPSG:2154", field="plan.crs")
        day = data.get("day")
        try:
            study_day = date.fromisoformat(day) if isinstance(day, str) else None
        except ValueError:
            raise InputError(
                path, f"plan.day should be a date like 2026-06-21, not {day!r}", field="plan.day"
            ) from None
        known = {"variants", "active", "crs", "day"}
        extra = {k: v for k, v in data.items() if k not in known}
        return cls(variants, names.index(active), crs, study_day, extra)

    def reprojected(self, target: str) -> Plan:
        """This plan with every footprint moved into the CRS labelled ``target``."""
        if not self.crs or self.crs == target:
            return replace(self, crs=target)
        from pyproj import Transformer

        from layers.core.crs import parse_crs

        move = Transformer.from_crs(parse_crs(self.crs), parse_crs(target), always_xy=True)

        def moved(b: PlannedBuilding) -> PlannedBuilding:
            x, y = move.transform(*np.asarray(b.footprint, float).T)
            return replace(b, footprint=ring_of(shapely.Polygon(np.c_[x, y])))

        return replace(
            self,
            variants=tuple(replace(v, buildings=tuple(moved(b) for b in v.buildings)) for v in self.variants),
            crs=target,
        )


def changed_ids(before: Variant | None, after: Variant | None) -> frozenset[str]:
    """Ids of the buildings added, removed or changed from ``before`` to ``after``."""
    old = {b.id: b for b in (before.buildings if before else ())}
    new = {b.id: b for b in (after.buildings if after else ())}
    return frozenset(i for i in old.keys() | new.keys() if old.get(i) != new.get(i))


def buildings_from_polygons(
    polygons: Iterable[shapely.Polygon], heights_m: Iterable[float], first_id: int = 1
) -> tuple[PlannedBuilding, ...]:
    """Planned buildings from footprints and wall heights (a planned layer read from a file)."""
    out = []
    for k, (polygon, height) in enumerate(zip(polygons, heights_m, strict=True)):
        h = float(height) if np.isfinite(height) and height > 0 else 3 * DEFAULT_STOREY_HEIGHT_M
        out.append(PlannedBuilding(f"b{first_id + k}", ring_of(polygon), min(h, MAX_HEIGHT_M)))
    return tuple(out)
