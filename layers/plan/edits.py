"""Edits of a plan: each takes a :class:`~layers.plan.model.Plan` and gives a new one.

The session runs them as commands (:mod:`layers.session.plan_commands`), so every edit can be
undone; the window's tools (draw, move, rotate, scale, the height slider) only call these.
Lengths are metres and angles degrees counter-clockwise, in the plan's CRS.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import shapely

from layers.plan.model import (
    DEFAULT_STOREY_HEIGHT_M,
    MAX_HEIGHT_M,
    BuildingRef,
    Plan,
    PlannedBuilding,
    RoofForm,
    Variant,
    footprint_from,
    ring_of,
)

#: how far a duplicate is set from its original, metres (east and south, so it is seen at once)
DUPLICATE_OFFSET_M = 10.0


def _change(plan: Plan, ident: str, **changes: object) -> Plan:
    variant = plan.variant
    if variant.building(ident) is None:
        raise KeyError(f"no planned building {ident!r} in variant {variant.name!r}")
    buildings = tuple(replace(b, **changes) if b.id == ident else b for b in variant.buildings)  # type: ignore[arg-type]
    return plan.with_variant(replace(variant, buildings=buildings))


def add_building(
    plan: Plan,
    corners: Sequence[tuple[float, float]],
    *,
    storeys: int = 3,
    storey_height_m: float = DEFAULT_STOREY_HEIGHT_M,
) -> tuple[Plan, str]:
    """The plan with a new building on ``corners`` (x, y metres), and its id.

    :raises InputError: when the corners make no simple polygon of at least 1 m².
    """
    ident = plan.next_building_id()
    ring = footprint_from([list(c) for c in corners], "footprint")
    building = PlannedBuilding(ident, ring, _clamped(storeys * storey_height_m), storey_height_m)
    variant = plan.variant
    return plan.with_variant(replace(variant, buildings=(*variant.buildings, building))), ident


def remove_building(plan: Plan, ident: str) -> Plan:
    variant = plan.variant
    return plan.with_variant(replace(variant, buildings=tuple(b for b in variant.buildings if b.id != ident)))


def duplicate_building(
    plan: Plan, ident: str, offset_m: tuple[float, float] | None = None
) -> tuple[Plan, str]:
    """The plan with a copy of building ``ident`` set ``offset_m`` away, and the copy's id."""
    original = plan.variant.building(ident)
    if original is None:
        raise KeyError(ident)
    dx, dy = offset_m if offset_m is not None else (DUPLICATE_OFFSET_M, -DUPLICATE_OFFSET_M)
    copy = replace(original, id=plan.next_building_id(), footprint=_shifted(original.footprint, dx, dy))
    variant = plan.variant
    return plan.with_variant(replace(variant, buildings=(*variant.buildings, copy))), copy.id


def set_footprint(plan: Plan, ident: str, corners: Sequence[tuple[float, float]]) -> Plan:
    return _change(plan, ident, footprint=footprint_from([list(c) for c in corners], "footprint"))


def move_building(plan: Plan, ident: str, dx: float, dy: float) -> Plan:
    building = _building(plan, ident)
    return _change(plan, ident, footprint=_shifted(building.footprint, dx, dy))


def rotate_building(plan: Plan, ident: str, degrees: float, about: tuple[float, float] | None = None) -> Plan:
    """Turn building ``ident`` by ``degrees`` counter-clockwise about ``about`` (its centroid)."""
    building = _building(plan, ident)
    centre = about if about is not None else _centroid(building)
    a = np.radians(degrees)
    xy = np.asarray(building.footprint, float) - centre
    turned = xy @ np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]]) + centre
    return _change(plan, ident, footprint=_ring(turned))


def scale_building(
    plan: Plan, ident: str, factor: float | tuple[float, float], about: tuple[float, float] | None = None
) -> Plan:
    """Scale building ``ident``'s footprint by ``factor`` (or (fx, fy)) about ``about`` (its centroid)."""
    building = _building(plan, ident)
    fx, fy = (factor, factor) if isinstance(factor, int | float) else factor
    if not (fx > 0 and fy > 0):
        raise ValueError("a scale factor must be positive")
    centre = np.asarray(about if about is not None else _centroid(building))
    xy = (np.asarray(building.footprint, float) - centre) * (fx, fy) + centre
    return _change(plan, ident, footprint=_ring(xy))


def set_height(plan: Plan, ident: str, height_m: float) -> Plan:
    """Walls of building ``ident`` up to ``height_m`` (clamped to 1 m … :data:`MAX_HEIGHT_M`)."""
    return _change(plan, ident, height_m=_clamped(height_m))


def set_storeys(plan: Plan, ident: str, storeys: int, storey_height_m: float | None = None) -> Plan:
    """Building ``ident`` with ``storeys`` storeys of ``storey_height_m`` (default: its own)."""
    building = _building(plan, ident)
    per = float(storey_height_m) if storey_height_m is not None else building.storey_height_m
    if not 1.5 <= per <= 20.0:
        raise ValueError("a storey is 1.5 to 20 m high")
    return _change(plan, ident, storey_height_m=per, height_m=_clamped(max(1, int(storeys)) * per))


def set_roof(plan: Plan, ident: str, roof: RoofForm, pitch_deg: float | None = None) -> Plan:
    building = _building(plan, ident)
    pitch = building.roof_pitch_deg if pitch_deg is None else float(np.clip(pitch_deg, 5.0, 75.0))
    return _change(plan, ident, roof=roof, roof_pitch_deg=pitch)


def rename_building(plan: Plan, ident: str, name: str) -> Plan:
    return _change(plan, ident, name=name.strip())


def set_demolished(plan: Plan, refs: Sequence[BuildingRef], demolished: bool = True) -> Plan:
    """The active variant with the existing buildings ``refs`` demolished (or standing again)."""
    variant = plan.variant
    kept = [r for r in variant.demolished if r not in refs]
    if demolished:
        kept.extend(refs)
    return plan.with_variant(replace(variant, demolished=tuple(dict.fromkeys(kept))))


# -- variants -------------------------------------------------------------------------------------
def add_variant(plan: Plan, name: str, *, copy_of: int | None = None) -> Plan:
    """The plan with a new variant (a copy of variant ``copy_of``, else empty), made active."""
    base = plan.variants[copy_of] if copy_of is not None else Variant("")
    variant = replace(base, name=plan.unique_variant_name(name.strip() or "B"))
    return replace(plan, variants=(*plan.variants, variant), active=len(plan.variants))


def rename_variant(plan: Plan, index: int, name: str) -> Plan:
    name = name.strip()
    if not name:
        raise ValueError("a variant needs a name")
    if any(v.name == name for i, v in enumerate(plan.variants) if i != index):
        raise ValueError(f"there is already a variant named {name!r}")
    return plan.with_variant(replace(plan.variants[index], name=name), index)


def remove_variant(plan: Plan, index: int) -> Plan:
    if len(plan.variants) < 2:
        raise ValueError("a plan keeps at least one variant")
    variants = plan.variants[:index] + plan.variants[index + 1 :]
    active = plan.active if plan.active < index else max(0, plan.active - 1)
    return replace(plan, variants=variants, active=min(active, len(variants) - 1))


def switch_variant(plan: Plan, index: int) -> Plan:
    if not 0 <= index < len(plan.variants):
        raise IndexError(index)
    return replace(plan, active=index)


# -- helpers --------------------------------------------------------------------------------------
def _building(plan: Plan, ident: str) -> PlannedBuilding:
    building = plan.variant.building(ident)
    if building is None:
        raise KeyError(f"no planned building {ident!r} in variant {plan.variant.name!r}")
    return building


def _centroid(building: PlannedBuilding) -> tuple[float, float]:
    c = shapely.centroid(building.polygon)
    return float(c.x), float(c.y)


def _shifted(ring: tuple[tuple[float, float], ...], dx: float, dy: float) -> tuple[tuple[float, float], ...]:
    return tuple((x + dx, y + dy) for x, y in ring)


def _ring(xy: np.ndarray) -> tuple[tuple[float, float], ...]:
    return ring_of(shapely.Polygon(xy))


def _clamped(height_m: float) -> float:
    return float(np.clip(height_m, 1.0, MAX_HEIGHT_M))
