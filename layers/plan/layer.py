"""The planned project in the scene: a buildings layer that shows one variant of the plan.

:class:`PlanLayer` is a :class:`~layers.buildings.layer.BuildingsLayer` (drawn, picked, coloured and
shading like any buildings) whose rows are the buildings of the plan's active variant, not a file's.
The session owns the plan (:class:`layers.session.model.SessionModel`); whoever shows it calls
:meth:`PlanLayer.show_variant` after every edit, and the layer emits ``geometry_changed`` with the
ids of the buildings that changed, so the view redraws and the shadows follow at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
from pyproj import CRS

from layers.buildings.layer import BuildingsLayer
from layers.buildings.mesh import BuildingMesh, extrude
from layers.buildings.planned import PROPOSED_COLOR
from layers.core.errors import InputError
from layers.plan.model import PlannedBuilding, Variant, changed_ids
from layers.plan.roofs import plan_prisms, ridge_height_m, roof_mesh

#: the layer's name when the interface gives none
PLAN_LAYER_NAME = "Planned project"


class PlanLayer(BuildingsLayer):
    """The buildings of one variant of the planned project (scene CRS, metres).

    Row ``i`` of :attr:`frame` is ``variant.buildings[i]``; its ``id`` column is the building's id.
    """

    def __init__(self, variant: Variant, crs: CRS | None, name: str = PLAN_LAYER_NAME) -> None:
        frame, height = _frame(variant.buildings, crs)
        super().__init__(name, frame, height, crs=crs)
        self.variant = variant
        self.height_source = np.full(len(frame), "plan", dtype=object)
        self.options = {"proposed": True, "plan": True}
        self.update_style(color=PROPOSED_COLOR)

    @classmethod
    def load(cls, path: str | Path, **options: Any) -> PlanLayer:
        raise InputError(
            Path(path), "a planned project is kept in the project file, not read from a data file"
        )

    def show_variant(self, variant: Variant) -> None:
        """Show ``variant`` (the same one edited, or another); emits ``geometry_changed`` with the ids
        of the buildings added, removed or changed (nothing when none did)."""
        changed = changed_ids(self.variant, variant)
        renamed = variant.name != self.variant.name
        self.variant = variant
        if not changed and not renamed:
            return
        self.frame, self.height_m = _frame(variant.buildings, self.crs)
        self.base_m = np.zeros(len(self.frame))
        self.height_source = np.full(len(self.frame), "plan", dtype=object)
        self.footprint_z = np.full(len(self.frame), np.nan)
        self.ground_m = np.full(len(self.frame), np.nan)
        self._mesh = None
        self._seated = None
        self._search_cache = {}
        self.revision += 1
        self.geometry_changed.emit(changed)

    def row_of(self, ident: str) -> int | None:
        """The row of building ``ident``, ``None`` when the variant has none."""
        for i, building in enumerate(self.variant.buildings):
            if building.id == ident:
                return i
        return None

    def building_at_row(self, row: int) -> PlannedBuilding:
        return self.variant.buildings[int(row)]

    def mesh(self) -> BuildingMesh:
        """Walls and roofs of the variant's buildings: each footprint extruded to its eaves, flat
        roofs on top, or the pitched roof of :func:`layers.plan.roofs.roof_mesh` (slopes and gable
        ends, owned by the building's row like its walls)."""
        if self._mesh is None:
            walls = extrude(np.asarray(self.frame.geometry.values), self.height_m, self.base_m)
            self._mesh = with_roofs(walls, self.variant.buildings)
        return self._mesh

    def shadow_prisms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each building as a prism up to its eaves, plus its roof's slices
        (:func:`layers.plan.roofs.plan_prisms`), so every shadow computed from prisms has the roofs."""
        return plan_prisms(self.variant.buildings)

    def top_m(self) -> np.ndarray:
        """(n,) top of each building above its ground (the ridge of a pitched roof), metres."""
        return np.array([ridge_height_m(b) for b in self.variant.buildings], dtype=np.float64)

    def reproject(self, crs: CRS) -> None:
        if self.crs is not None and not crs.equals(self.crs):
            raise ValueError("a planned project is drawn in the scene CRS it was made in")
        self.crs = crs
        self.frame = self.frame.set_crs(crs, allow_override=True)

    def feature_count(self) -> int:
        return len(self.frame)

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info["variant"] = self.variant.name
        info["floor_area_m2"] = round(self.variant.floor_area_m2, 1)
        return info


def _frame(buildings: tuple[PlannedBuilding, ...], crs: CRS | None) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    polygons = [b.polygon for b in buildings]
    frame = gpd.GeoDataFrame(
        {
            "id": [b.id for b in buildings],
            "name": [b.name for b in buildings],
            "storeys": np.array([b.storeys for b in buildings], dtype=np.int64),
            "floor_area_m2": np.array([round(b.floor_area_m2, 1) for b in buildings], dtype=np.float64),
            "roof": [b.roof for b in buildings],
            "feature_index": np.arange(len(buildings), dtype=np.int64),
        },
        geometry=gpd.GeoSeries(polygons, crs=crs),
        crs=crs,
    )
    return frame, np.array([b.height_m for b in buildings], dtype=np.float64)


def with_roofs(walls: BuildingMesh, buildings: tuple[PlannedBuilding, ...]) -> BuildingMesh:
    """``walls`` (the footprints extruded to their eaves, row ``i`` = ``buildings[i]``) with the flat
    top of each pitched building replaced by its roof."""
    pitched = [i for i, b in enumerate(buildings) if b.roof != "flat"]
    if not pitched:
        return walls
    drop = walls.is_roof & np.isin(walls.owner, pitched)
    points = [walls.points]
    triangles = [walls.triangles[~drop]]
    owners = [walls.owner[~drop]]
    flags = [walls.is_roof[~drop]]
    point_owner = [
        walls.point_owner if walls.point_owner is not None else np.zeros(len(walls.points), np.int64)
    ]
    count = len(walls.points)
    for row in pitched:
        roof = roof_mesh(buildings[row])
        if not len(roof.triangles):
            continue
        points.append(roof.points)
        triangles.append(roof.triangles + count)
        owners.append(np.full(len(roof.triangles), row, np.int64))
        flags.append(roof.is_roof)
        point_owner.append(np.full(len(roof.points), row, np.int64))
        count += len(roof.points)
    return BuildingMesh(
        np.concatenate(points),
        np.concatenate(triangles).astype(np.int64),
        np.concatenate(owners).astype(np.int64),
        np.concatenate(flags),
        np.concatenate([o.astype(np.int64) for o in point_owner]),
    )
