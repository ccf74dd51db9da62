"""Ground shadows of buildings, trees and canopy at one instant: the sun, the metric CRS, the union.

:func:`ground_shadows` is what ``maquette shade`` and the viewer's fallback call. It works in a
local metric CRS (:func:`layers.sun.position.local_metric_crs`: the layer's own projected CRS, or a transverse
Mercator centred on the data for WGS84 degrees or Web Mercator, never Web Mercator itself), applies
the meridian convergence and the grid scale to the sun's direction, and gives the union of the
ground shadows, building footprints excluded, back in the layer's CRS.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from time import perf_counter
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from layers.core import crs as crs_util
from layers.sun.casters import gather
from layers.sun.position import SunPosition, SunSite, local_metric_crs
from layers.sun.shadow import building_shadows, on_ground, union_shadows

if TYPE_CHECKING:
    from layers.core.base import Layer

#: buildings per thread chunk when computing per-building shadows
CHUNK = 20_000
#: data spread wider than this (metres) gets one sun per cell of this size (the sun's azimuth moves
#: by about 1° per 100 km of longitude, the grid's convergence too)
SUN_CELL_M = 10_000.0


@dataclass
class Footprints:
    """Shadow casters (building parts, tree crowns, canopy) ready for shadow work, in a metric CRS.

    Attributes
    ----------
    polygons
        (n,) shapely Polygons in :attr:`crs` metres.
    height_m, base_m
        (n,) top and bottom of the walls above the ground, metres.
    crs
        The metric CRS the polygons are in (see :func:`layers.sun.position.local_metric_crs`).
    source_crs
        The CRS of the layer they came from (results are given back in it).
    site
        The sun's :class:`~layers.sun.position.SunSite` at the centre of the footprints.
    cells
        For data spread over more than :data:`SUN_CELL_M`: (n,) cell of each part and the
        :class:`~layers.sun.position.SunSite` of each cell; ``None`` otherwise.
    """

    polygons: np.ndarray
    height_m: np.ndarray
    base_m: np.ndarray
    crs: CRS
    source_crs: CRS
    site: SunSite
    cells: tuple[np.ndarray, list[SunSite]] | None = None

    @classmethod
    def from_layer(cls, layer: Layer, timezone: str) -> Footprints:
        """From one layer casting shadows (buildings, trees...: :class:`~layers.core.base.CastsShadows`,
        any CRS)."""
        return cls.from_layers([layer], timezone)

    @classmethod
    def from_layers(cls, layers: Sequence[Layer], timezone: str, *, metric: CRS | None = None) -> Footprints:
        """From every layer of ``layers`` casting shadows (:func:`layers.sun.casters.gather`), in the
        first one's CRS; :class:`ValueError` when none has a CRS or a caster."""
        for layer in layers:
            if layer.crs is None:
                raise ValueError(f"{layer.name!r} has no CRS: its shadows cannot be placed")
        prisms = gather(layers)
        if prisms is None:
            names = ", ".join(repr(layer.name) for layer in layers)
            raise ValueError(f"{names}: nothing that casts a shadow")
        return cls.from_arrays(
            prisms.polygons, prisms.top_m, prisms.base_m, prisms.crs, timezone, metric=metric
        )

    @classmethod
    def from_layer_in(cls, layer: Layer, other: Footprints) -> Footprints:
        """From a layer, in the metric CRS and time zone of ``other`` (to compare the two)."""
        return cls.from_layers([layer], other.site.timezone, metric=other.crs)

    @classmethod
    def from_arrays(
        cls,
        polygons: np.ndarray,
        height_m: np.ndarray,
        base_m: np.ndarray,
        crs: CRS,
        timezone: str,
        *,
        metric: CRS | None = None,
    ) -> Footprints:
        """Footprints in ``crs``; ``metric`` forces the computation CRS (e.g. the one of another
        layer they are compared with), else :func:`layers.sun.position.local_metric_crs` chooses it."""
        polygons = np.asarray(polygons, dtype=object)
        source_crs = crs_util.horizontal(crs)
        bounds = _total_bounds(polygons)
        metric = metric or local_metric_crs(source_crs, bounds)
        if not metric.equals(source_crs):
            polygons = np.asarray(gpd.GeoSeries(polygons, crs=source_crs).to_crs(metric).values)
            bounds = _total_bounds(polygons)
        site = SunSite.for_bounds(metric, bounds, timezone)
        cells = None
        if max(bounds[2] - bounds[0], bounds[3] - bounds[1]) > SUN_CELL_M:
            boxes = shapely.bounds(polygons)
            key = np.floor((boxes[:, :2] + boxes[:, 2:]) / 2 / SUN_CELL_M).astype(np.int64)
            unique, cell = np.unique(key, axis=0, return_inverse=True)
            sites = [
                SunSite(metric, (i + 0.5) * SUN_CELL_M, (j + 0.5) * SUN_CELL_M, timezone) for i, j in unique
            ]
            cells = (cell.reshape(-1), sites)
        return cls(
            polygons, np.asarray(height_m, float), np.asarray(base_m, float), metric, source_crs, site, cells
        )

    def __len__(self) -> int:
        return len(self.polygons)

    def track(self, times: list[datetime]) -> SunTrack:
        """The sun over ``times`` for every part (one vectorised SPA call per 10 km cell)."""
        return SunTrack(self, times)

    def offsets(self, t: datetime) -> tuple[SunPosition, np.ndarray, np.ndarray]:
        """The sun at the centre, and per part: shadow offset (n, 2) (grid metres per metre of
        height) and whether the sun is high enough there to cast shadows (n,)."""
        sun = self.site.position(t)
        if self.cells is None:
            if not sun.casts_shadows:
                return sun, np.zeros((len(self), 2)), np.zeros(len(self), bool)
            return (
                sun,
                np.broadcast_to(self.site.shadow_offset(sun), (len(self), 2)),
                np.ones(len(self), bool),
            )
        cell, sites = self.cells
        offsets = np.zeros((len(sites), 2))
        up = np.zeros(len(sites), bool)
        for k, site in enumerate(sites):  # a few cells of 10 km, not buildings
            position = site.position(t)
            if position.casts_shadows:
                offsets[k], up[k] = site.shadow_offset(position), True
        return sun, offsets[cell], up[cell]

    def ground_footprints(self) -> np.ndarray:
        """(n,) each part's footprint when it stands on the ground, else ``None``."""
        return np.where(on_ground(self.height_m, self.base_m), self.polygons, np.array(None, dtype=object))

    def to_source(self, geoms: np.ndarray) -> np.ndarray:
        """Geometries from the metric CRS back to the layer's CRS."""
        if self.crs.equals(self.source_crs):
            return geoms
        moved = np.asarray(gpd.GeoSeries(geoms, crs=self.crs).to_crs(self.source_crs).values)
        broken = ~shapely.is_valid(moved)
        if broken.any():  # vertices millimetres apart may cross once rounded to degrees
            moved[broken] = shapely.make_valid(moved[broken], method="structure", keep_collapsed=False)
            moved = shapely.get_parts(moved)
            moved = moved[shapely.get_type_id(moved) == 3]
        return moved


class SunTrack:
    """The sun's positions at a series of instants, and the shadow offsets they give each part.

    Attributes
    ----------
    positions
        The sun at the centre of the footprints, one per instant.
    """

    def __init__(self, footprints: Footprints, times: list[datetime]) -> None:
        self.times = list(times)
        self.positions = footprints.site.positions(self.times)
        if footprints.cells is None:
            self._cell = None
            tracks = [self.positions]
            sites = [footprints.site]
        else:
            self._cell, sites = footprints.cells
            tracks = [site.positions(self.times) for site in sites]  # a few 10 km cells
        self._offsets = np.zeros((len(self.times), len(sites), 2))
        self._lit = np.zeros((len(self.times), len(sites)), bool)
        for c, (site, track) in enumerate(zip(sites, tracks)):
            for k, position in enumerate(track):
                if position.casts_shadows:
                    self._offsets[k, c] = site.shadow_offset(position)
                    self._lit[k, c] = True
        self._n = len(footprints)

    def __len__(self) -> int:
        return len(self.times)

    def any_lit(self, k: int) -> bool:
        """True when the sun casts shadows somewhere at instant ``k``."""
        return bool(self._lit[k].any())

    def at(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Offsets (2,) or (n, 2) and lit flags (1,) or (n,) at instant ``k``."""
        if self._cell is None:
            return self._offsets[k, 0], self._lit[k, :1]
        return self._offsets[k][self._cell], self._lit[k][self._cell]


@dataclass
class GroundShadows:
    """The ground shadows at one instant.

    Attributes
    ----------
    sun
        The sun's position then.
    parts
        (k,) disjoint Polygons in the layer's CRS (empty when the sun is too low).
    area_m2
        Ground area of their union, square metres (the grid area divided by the scale factor
        squared).
    timings
        Seconds per step: ``sun_s``, ``shadows_s``, ``union_s``.
    """

    sun: SunPosition
    parts: np.ndarray
    area_m2: float
    crs: CRS
    timings: dict[str, float] = field(default_factory=dict)
    clusters: int = 0

    def frame(self) -> gpd.GeoDataFrame:
        """One row per shadow polygon: ``area_m2`` plus the instant and the sun's angles."""
        areas = shapely.area(self.parts) if len(self.parts) else np.empty(0)
        return gpd.GeoDataFrame(
            {
                "area_m2": np.round(areas, 2),
                "time": [self.sun.time.isoformat()] * len(self.parts),
                "sun_azimuth_deg": np.full(len(self.parts), round(self.sun.azimuth_deg, 4)),
                "sun_elevation_deg": np.full(len(self.parts), round(self.sun.elevation_deg, 4)),
            },
            geometry=gpd.GeoSeries(self.parts, crs=self.crs),
        )


def per_building_shadows(
    footprints: Footprints, offset: np.ndarray, lit: np.ndarray | None = None, *, workers: int | None = None
) -> np.ndarray:
    """(n,) shadow of each part (:func:`layers.sun.shadow.building_shadows`), in chunks on threads.

    ``offset`` (2,) or (n, 2); ``lit`` (n,) False where the sun is too low to cast shadows.
    """
    n = len(footprints)
    offset = (
        np.broadcast_to(np.asarray(offset, float), (n, 2))
        if np.ndim(offset) == 1
        else np.asarray(offset, float)
    )
    height = footprints.height_m if lit is None else np.where(lit, footprints.height_m, footprints.base_m)
    if n <= CHUNK or (workers or 2) < 2:
        return building_shadows(footprints.polygons, height, footprints.base_m, offset)
    starts = list(range(0, n, CHUNK))

    def chunk(start: int) -> np.ndarray:
        stop = min(start + CHUNK, n)
        return building_shadows(
            footprints.polygons[start:stop],
            height[start:stop],
            footprints.base_m[start:stop],
            offset[start:stop],
        )

    with ThreadPoolExecutor(workers or 2) as pool:
        return np.concatenate(list(pool.map(chunk, starts)))


def ground_shadows(footprints: Footprints, t: datetime, *, workers: int | None = None) -> GroundShadows:
    """The union of the ground shadows at aware time ``t``, footprints excluded (layer CRS)."""
    t0 = perf_counter()
    sun, offset, lit = footprints.offsets(t)
    timings = {"sun_s": perf_counter() - t0}
    if not lit.any():
        return GroundShadows(sun, np.empty(0, dtype=object), 0.0, footprints.source_crs, _rounded(timings))
    t1 = perf_counter()
    shadows = per_building_shadows(footprints, offset, lit, workers=workers)
    timings["shadows_s"] = perf_counter() - t1
    t2 = perf_counter()
    union = union_shadows(shadows, footprints.ground_footprints(), workers=workers)
    timings["union_s"] = perf_counter() - t2
    area = union.area_m2 / footprints.site.scale_factor**2
    t3 = perf_counter()
    parts = footprints.to_source(union.parts)
    if len(parts) and not footprints.crs.equals(footprints.source_crs):
        timings["reproject_s"] = perf_counter() - t3
    return GroundShadows(sun, parts, area, footprints.source_crs, _rounded(timings), union.clusters)


def _rounded(timings: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in timings.items()}


def _total_bounds(polygons: np.ndarray) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) of all ``polygons``."""
    xmin, ymin, xmax, ymax = (float(v) for v in shapely.total_bounds(polygons))
    return xmin, ymin, xmax, ymax
