"""The effects of a variant of the planned project: its figures, recomputed after every edit.

:class:`PlanEffects` is made once per scene and study day (:meth:`PlanEffects.for_scene`) over the
city as it stands today: every row of the existing buildings layers (what a variant demolishes is
taken away in its "after" state only), the trees and the canopy (:mod:`layers.sun.casters`), and the
first noise layer. :meth:`PlanEffects.figures` then gives a variant's :class:`PlanFigures`:

- floor area (Σ footprint × storeys), top, storeys, from the variant itself;
- the ground that loses at least 1 h / 2 h of direct sun on the day (:mod:`layers.plan.ground`:
  the same pixels, samples and rounding as :func:`layers.sunlight.hours.sunlight_change`, over the
  reach of the project's shadows down to a 5° sun, at most 600 m);
- the façade area of existing buildings that loses at least 1 h / 2 h, and the buildings that lose
  sun, most affected first (:mod:`layers.plan.facades`);
- the noise on the new buildings' façades when the scene has a noise layer
  (:func:`layers.noise.exposure.facade_exposure`).

**Incremental.** The existing city's sun (per ground pixel and per façade ray) is computed only
where a project's shadows reach, and kept: the next edit burns the project's shadows again (a few
buildings) and computes the existing city only on the tiles and façades newly within reach. A
figure equals the one a fresh engine gives (tests check it on random edits).

Areas are m² on the ground: grid areas divided by the projection's scale factor squared (façades:
grid length × height, divided by the scale factor once). Computations run in the scene CRS when it
is metric (else a local transverse Mercator, :func:`layers.sun.position.local_metric_crs`).
Planned buildings cast shadows as flat-topped prisms up to their wall top (``height_m``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from time import perf_counter
from typing import TYPE_CHECKING

import numpy as np
import shapely
from pyproj import CRS

from layers.plan.facades import FacadeStudy
from layers.plan.figures import LOSS_HOURS, FacadeNoise, NeighbourLoss, PlanFigures
from layers.plan.ground import GroundBefore, ground_change
from layers.plan.model import Variant
from layers.sun.shadow_map import Footprints, SunTrack
from layers.sun.shadow_raster import RingTable
from layers.sunlight.hours import project_margin_m

if TYPE_CHECKING:
    from layers.core.scene import Scene
    from layers.noise.layer import NoiseLayer

#: ground pixel size of the sun figures, metres
RESOLUTION_M = 1.0
#: a building is listed as losing sun when some point of its façades loses at least this (hours)
NEIGHBOUR_MIN_LOSS_H = float(LOSS_HOURS[0])


@dataclass
class ExistingCity:
    """The casters standing today, in the computation's metric CRS.

    Attributes
    ----------
    footprints
        Every caster: the ``buildings`` first rows are building parts, then trees and canopy.
    layer_keys
        The plan's name of each buildings layer (:func:`layers.plan.scene.layer_key`).
    layer, feature, label
        (buildings,) per building part: its layer (index in ``layer_keys``), its feature, its name.
    """

    footprints: Footprints
    buildings: int
    layer_keys: list[str]
    layer: np.ndarray
    feature: np.ndarray
    label: np.ndarray

    def demolished(self, variant: Variant) -> np.ndarray:
        """(casters,) bool: the rows ``variant`` demolishes."""
        out = np.zeros(len(self.footprints), bool)
        for n, key in enumerate(self.layer_keys):
            features = [ref.feature for ref in variant.demolished if ref.layer == key]
            if features:
                out[: self.buildings] |= (self.layer == n) & np.isin(self.feature, features)
        return out


def existing_city(scene: Scene) -> ExistingCity | None:
    """The casters of ``scene`` standing today (``None`` without a CRS or without any caster)."""
    from layers.buildings.layer import BuildingsLayer
    from layers.buildings.search import NAME_FIELDS
    from layers.core import crs as crs_util
    from layers.plan.scene import existing_buildings, layer_key
    from layers.sun.casters import casters, gather

    if scene.crs is None:
        return None
    target = crs_util.horizontal(scene.crs)
    polygons, bases, tops, layers, features, labels = [], [], [], [], [], []
    keys: list[str] = []
    for layer in existing_buildings(scene):
        if layer.crs is None or not len(layer.frame):
            continue
        shapes = np.asarray(layer.frame.geometry.values)
        if not crs_util.horizontal(layer.crs).equals(target):
            shapes = np.asarray(layer.frame.geometry.to_crs(target).values)
        polygons.append(shapes)
        bases.append(np.asarray(layer.base_m, float))
        tops.append(np.asarray(layer.height_m, float))
        layers.append(np.full(len(shapes), len(keys)))
        keys.append(layer_key(layer))
        features.append(layer.feature_indexes())
        lower = {str(c).lower(): c for c in layer.frame.columns}
        column = next((lower[f] for f in NAME_FIELDS if f in lower), None)
        names = (
            layer.frame[column].astype(object).where(layer.frame[column].notna(), "").astype(str).to_numpy()
            if column is not None
            else np.full(len(shapes), "", dtype=object)
        )
        labels.append(np.asarray(names, dtype=object))
    buildings = int(sum(len(p) for p in polygons))
    others = gather(
        [layer for layer in casters(scene.layers) if not isinstance(layer, BuildingsLayer)], target
    )
    if others is not None:
        polygons.append(np.asarray(others.polygons, dtype=object))
        bases.append(others.base_m)
        tops.append(others.top_m)
    if not polygons:
        return None
    footprints = Footprints.from_arrays(
        np.concatenate(polygons), np.concatenate(tops), np.concatenate(bases), target, scene.timezone
    )
    return ExistingCity(
        footprints,
        buildings,
        keys,
        np.concatenate(layers) if layers else np.empty(0, np.int64),
        np.concatenate(features) if features else np.empty(0, np.int64),
        np.concatenate(labels) if labels else np.empty(0, dtype=object),
    )


class PlanEffects:
    """The figures engine of one scene and one study day (see the module's docstring)."""

    def __init__(
        self,
        city: ExistingCity | None,
        crs: CRS | None,
        timezone: str,
        day: date,
        *,
        step_min: float = 15.0,
        resolution_m: float = RESOLUTION_M,
        noise: NoiseLayer | None = None,
    ) -> None:
        self.city = city
        self.crs = crs
        self.timezone = timezone
        self.day = day
        self.step_min = float(step_min)
        self.resolution_m = float(resolution_m)
        self.noise = noise
        self._ground: GroundBefore | None = None
        self._facades: FacadeStudy | None = None
        self._track: SunTrack | None = None
        self._last: tuple[Variant, PlanFigures] | None = None

    @classmethod
    def for_scene(
        cls, scene: Scene, day: date, *, step_min: float = 15.0, resolution_m: float = RESOLUTION_M
    ) -> PlanEffects:
        """The engine over ``scene`` as it stands today, for the local ``day``."""
        from layers.noise.layer import NoiseLayer

        noise = next((layer for layer in scene.layers if isinstance(layer, NoiseLayer)), None)
        return cls(
            existing_city(scene),
            scene.crs,
            scene.timezone,
            day,
            step_min=step_min,
            resolution_m=resolution_m,
            noise=noise,
        )

    # -- the existing city's sun, made on first use -----------------------------------------------
    def _prepare(self, project: Footprints) -> tuple[GroundBefore, FacadeStudy, SunTrack]:
        from layers.sun.position import day_instants

        if self._ground is not None and self._facades is not None and self._track is not None:
            return self._ground, self._facades, self._track
        times = day_instants(self.day, self.timezone, self.step_min)
        if self.city is not None:
            existing = self.city.footprints
            buildings = self.city.buildings
        else:  # nothing stands around: an empty city under the project's sky
            existing = Footprints(
                np.empty(0, dtype=object),
                np.empty(0),
                np.empty(0),
                project.crs,
                project.source_crs,
                project.site,
            )
            buildings = 0
        track = existing.track(times)
        samples = np.flatnonzero([track.any_lit(k) for k in range(len(track))])
        table = RingTable.from_polygons(existing.polygons, existing.height_m, existing.base_m)
        self._ground = GroundBefore(table, track, samples, self.resolution_m)
        self._facades = FacadeStudy(
            existing.polygons, existing.base_m, existing.height_m, buildings, track, samples
        )
        self._track = track
        return self._ground, self._facades, track

    # -- figures ------------------------------------------------------------------------------------
    def figures(self, variant: Variant) -> PlanFigures:
        """The figures of ``variant`` (in the scene CRS, as the plan layer shows it)."""
        if self._last is not None and self._last[0] == variant:
            return replace(self._last[1], seconds=0.0)
        t0 = perf_counter()
        buildings = variant.buildings
        figures = PlanFigures(
            variant=variant.name,
            day=self.day,
            buildings=len(buildings),
            footprint_area_m2=float(sum(b.footprint_area_m2 for b in buildings)),
            floor_area_m2=float(variant.floor_area_m2),
            top_m=float(variant.top_m),
            storeys_max=max((b.storeys for b in buildings), default=0),
        )
        if buildings and self.crs is not None:
            figures = self._sun_figures(variant, figures)
            if self.noise is not None:
                figures = replace(figures, noise=self._noise(variant, self.noise))
        figures = replace(figures, seconds=round(perf_counter() - t0, 4))
        self._last = (variant, figures)
        return figures

    def project_footprints(self, variant: Variant) -> Footprints:
        """The variant's buildings as casters in the computation's metric CRS."""
        assert self.crs is not None
        polygons = np.array([b.polygon for b in variant.buildings], dtype=object)
        heights = np.array([b.height_m for b in variant.buildings], float)
        metric = self.city.footprints.crs if self.city is not None else None
        return Footprints.from_arrays(
            polygons, heights, np.zeros(len(polygons)), self.crs, self.timezone, metric=metric
        )

    def study_bounds(self, project: Footprints) -> tuple[float, float, float, float]:
        """Where the project's shadows are followed: its extent plus their reach with a 5° sun
        (:func:`layers.sunlight.hours.project_margin_m`), metric CRS."""
        margin = project_margin_m(project)
        x0, y0, x1, y1 = (float(v) for v in shapely.total_bounds(project.polygons))
        return x0 - margin, y0 - margin, x1 + margin, y1 + margin

    def _sun_figures(self, variant: Variant, figures: PlanFigures) -> PlanFigures:
        project = self.project_footprints(variant)
        ground, facades, track = self._prepare(project)
        project_track = project.track(track.times)
        table = RingTable.from_polygons(project.polygons, project.height_m, project.base_m)
        bounds = self.study_bounds(project)
        demolished = self.city.demolished(variant) if self.city is not None else np.zeros(0, bool)
        scale = project.site.scale_factor if self.city is None else self.city.footprints.site.scale_factor
        change = ground_change(ground, table, project_track, bounds, demolished)
        pixel_m2 = self.resolution_m**2 / scale**2
        ground_loss = {
            h: (change.loss_pixels(h, self.step_min) * pixel_m2 if change is not None else 0.0)
            for h in LOSS_HOURS
        }
        facade = facades.change(
            (project.polygons, project.base_m, project.height_m), project_track, bounds, demolished
        )
        lost_h = -facade.delta * (self.step_min / 60.0)
        area = facade.points.area_m2 / scale
        facade_loss = {h: float(area[lost_h >= h - 1e-6].sum()) for h in LOSS_HOURS}
        return replace(
            figures,
            ground_loss_m2=ground_loss,
            facade_loss_m2=facade_loss,
            neighbours=self._neighbours(facade.points.owner, area, lost_h),
        )

    def _neighbours(
        self, owner: np.ndarray, area: np.ndarray, lost_h: np.ndarray
    ) -> tuple[NeighbourLoss, ...]:
        """The buildings whose façades lose sun, the most façade losing ≥ 1 h first."""
        city = self.city
        if city is None or not len(owner):
            return ()
        # one building = one feature of one layer (its parts together)
        key = (
            city.layer[owner].astype(np.int64) * (int(city.feature.max(initial=0)) + 1) + city.feature[owner]
        )
        unique, which = np.unique(key, return_inverse=True)
        worst = np.zeros(len(unique))
        np.maximum.at(worst, which, lost_h)
        losses = {
            h: np.bincount(which, weights=np.where(lost_h >= h - 1e-6, area, 0.0), minlength=len(unique))
            for h in LOSS_HOURS
        }
        first_row = np.zeros(len(unique), np.int64)
        first_row[which[::-1]] = owner[::-1]
        hit = np.flatnonzero(worst >= NEIGHBOUR_MIN_LOSS_H - 1e-6)
        order = hit[np.lexsort((-worst[hit], -losses[LOSS_HOURS[0]][hit]))]
        return tuple(
            NeighbourLoss(
                layer=city.layer_keys[int(city.layer[first_row[i]])],
                feature=int(city.feature[first_row[i]]),
                label=str(city.label[first_row[i]]),
                facade_loss_m2={h: round(float(losses[h][i]), 1) for h in LOSS_HOURS},
                hours_lost_max=float(worst[i]),
            )
            for i in order
        )

    def _noise(self, variant: Variant, noise: NoiseLayer) -> FacadeNoise | None:
        """The noise on the variant's façades (scene CRS), ``None`` where the map has no data."""
        from layers.noise.exposure import facade_exposure
        from layers.plan.layer import PlanLayer

        exposure = facade_exposure(PlanLayer(variant, self.crs), noise, limit_db=noise.facade_limit_db())
        segments = exposure.segments
        ok = segments.exposed & np.isfinite(exposure.level_db)
        if not ok.any():
            return None
        area = segments.area_m2[ok]
        level = exposure.level_db[ok]
        exact = exposure.low_db[ok] == exposure.high_db[ok]
        with np.errstate(invalid="ignore"):
            above = np.where(exact, level >= exposure.limit_db, exposure.low_db[ok] >= exposure.limit_db)
        weights = area / area.sum() if area.sum() > 0 else np.full(len(area), 1.0 / len(area))
        return FacadeNoise(
            layer=noise.name,
            indicator=exposure.indicator,
            max_db=float(level.max()),
            # energy average: 10·log10 of the area-weighted mean of 10^(L/10)
            mean_db=float(10.0 * np.log10(np.sum(weights * 10.0 ** (level / 10.0)))),
            exposed_m2=float(area[above].sum()),
            threshold_db=float(exposure.limit_db),
        )
