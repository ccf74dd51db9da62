"""Façade exposure: the noise level in front of every building wall, and the share of façade above a
limit value — what a noise map on a 3D model is for.

Every wall of every footprint ring is cut into pieces of at most :data:`MAX_SEGMENT_M` metres. Each
piece is sampled on the noise map (a raster of dB(A), or the isophone zones) at
:data:`SAMPLE_OFFSET_M` in front of it, outwards: strategic noise maps leave the inside of buildings
as no data and are computed for receivers in front of façades. A piece whose front, half a metre
out, lies inside a building is a party wall (two terraced houses sharing it) and is no façade: it is
left out. Everything is vectorised (shapely 2 arrays, one STRtree query, one raster sample).

Per building the report gives the loudest façade level and the share of façade area (wall length ×
wall height) above the limit value: 68 dB(A) Lden and 62 dB(A) Ln by default, the French road-traffic
limits (arrêté du 4 avril 2006) that make a *point noir du bruit*. With 5 dB isophone bands a piece
in the 65–70 band cannot be said to be above or below 68: it is counted in a separate
"undecidable" share rather than guessed.

All coordinates are in the buildings' and the noise map's common CRS (the scene CRS, metres).

This module reads a noise map through :class:`NoiseMap` (what it needs of
:class:`layers.noise.layer.NoiseLayer`, which caches the exposures per buildings layer);
:mod:`layers.noise.facade` links the noise maps and the buildings of a scene.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import shapely

from layers.core.palettes import band_level_db

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

    from layers.buildings.layer import BuildingsLayer
    from layers.io.grid import Grid

#: longest piece of wall sampled as one, metres
MAX_SEGMENT_M = 5.0
#: distance in front of the wall where the map is read, metres
SAMPLE_OFFSET_M = 2.0
#: a piece whose point this far in front lies in a building is a party wall, metres
PARTY_WALL_PROBE_M = 0.5
#: limit values by indicator, dB(A) (road traffic, arrêté du 4 avril 2006)
LIMIT_DB = {"Lden": 68.0, "Ln": 62.0}


class NoiseMap(Protocol):
    """What façade exposure reads of a noise map (a :class:`layers.noise.layer.NoiseLayer`): a grid
    of levels in dB(A), or else isophone zones (``db_low`` / ``db_high`` in dB(A)), and the
    indicator (``"Lden"`` / ``"Ln"``), in the buildings' CRS."""

    @property
    def grid(self) -> Grid | None: ...

    @property
    def bands(self) -> GeoDataFrame | None: ...

    @property
    def indicator(self) -> str: ...


@dataclass
class WallSegments:
    """Pieces of building walls (W of them), in the footprints' CRS.

    Attributes
    ----------
    start, end
        (W, 2) float64 ends of each piece, metres; the building is on the left going start → end.
    normal
        (W, 2) float64 unit outward normal.
    owner
        (W,) int64 row of the buildings' frame.
    base_m, top_m
        (W,) float64 bottom and top of the wall above the ground, metres.
    exposed
        (W,) bool: a façade (False for party walls between adjacent buildings).
    """

    start: np.ndarray
    end: np.ndarray
    normal: np.ndarray
    owner: np.ndarray
    base_m: np.ndarray
    top_m: np.ndarray
    exposed: np.ndarray

    @property
    def length_m(self) -> np.ndarray:
        return np.hypot(*(self.end - self.start).T)

    @property
    def area_m2(self) -> np.ndarray:
        """(W,) wall area of each piece, m²."""
        return self.length_m * np.maximum(self.top_m - self.base_m, 0.0)

    @property
    def middle(self) -> np.ndarray:
        return (self.start + self.end) / 2.0

    def __len__(self) -> int:
        return len(self.owner)


def wall_segments(
    polygons: np.ndarray,
    height_m: np.ndarray,
    base_m: np.ndarray | None = None,
    *,
    max_length_m: float = MAX_SEGMENT_M,
) -> WallSegments:
    """The walls of 2D footprints (``polygons`` (n,) shapely Polygons) cut into pieces.

    Rings are oriented first (exteriors counter-clockwise, courtyards clockwise), so the outward
    normal is always on the right of a piece. Party walls are found with one STRtree query.
    """
    polygons = np.asarray(polygons, dtype=object)
    height_m = np.asarray(height_m, dtype=np.float64)
    base_m = np.zeros(len(polygons)) if base_m is None else np.asarray(base_m, dtype=np.float64)
    oriented = shapely.orient_polygons(shapely.force_2d(polygons))
    dense = shapely.segmentize(oriented, max_length_m)
    rings, ring_owner = shapely.get_rings(dense, return_index=True)
    coords, ring_of_point = shapely.get_coordinates(rings, return_index=True)
    same_ring = ring_of_point[:-1] == ring_of_point[1:]
    start, end = coords[:-1][same_ring], coords[1:][same_ring]
    owner = ring_owner[ring_of_point[:-1][same_ring]].astype(np.int64)
    delta = end - start
    length = np.hypot(delta[:, 0], delta[:, 1])
    keep = length > 1e-6
    start, end, owner, delta, length = start[keep], end[keep], owner[keep], delta[keep], length[keep]
    normal = np.column_stack([delta[:, 1], -delta[:, 0]]) / length[:, None]
    probe = (start + end) / 2.0 + normal * PARTY_WALL_PROBE_M
    inside = np.zeros(len(owner), dtype=bool)
    if len(owner):
        tree = shapely.STRtree(oriented)
        hits, _ = tree.query(shapely.points(probe), predicate="within")
        inside[hits] = True
    return WallSegments(start, end, normal, owner, base_m[owner], height_m[owner], ~inside)


@dataclass
class FacadeExposure:
    """Noise levels on the façades of one buildings layer, from one noise map.

    Attributes
    ----------
    segments
        The wall pieces (:class:`WallSegments`).
    level_db
        (W,) float64 level in front of each piece, dB(A) (a band's representative level for
        isophones); NaN for party walls and where the map has no data.
    low_db, high_db
        (W,) float64 band limits for isophones (``low_db <= L < high_db``, NaN open ends); for a
        raster both equal ``level_db``.
    indicator, limit_db
        ``"Lden"`` / ``"Ln"`` and the limit value used, dB(A).
    buildings_count
        n, the rows of the buildings' frame.
    """

    segments: WallSegments
    level_db: np.ndarray
    low_db: np.ndarray
    high_db: np.ndarray
    indicator: str
    limit_db: float
    buildings_count: int

    def _per_building(self, weights: np.ndarray) -> np.ndarray:
        return np.bincount(self.segments.owner, weights=weights, minlength=self.buildings_count)

    def shares_pct(self) -> tuple[np.ndarray, np.ndarray]:
        """(above, undecidable): (n,) percent of each building's façade area with data that is
        above :attr:`limit_db`, and that lies in a band straddling it; NaN without façade data."""
        area = np.where(self.segments.exposed & np.isfinite(self.level_db), self.segments.area_m2, 0.0)
        low = np.nan_to_num(self.low_db, nan=-np.inf)
        high = np.nan_to_num(self.high_db, nan=np.inf)
        exact = self.low_db == self.high_db  # a raster: the level itself
        with np.errstate(invalid="ignore"):
            above = np.where(exact, self.level_db > self.limit_db, low >= self.limit_db)
            straddle = ~exact & ~above & (low < self.limit_db) & (high > self.limit_db)
        total = self._per_building(area)
        with np.errstate(invalid="ignore", divide="ignore"):
            share_above = np.where(total > 0, 100.0 * self._per_building(area * above) / total, np.nan)
            share_straddle = np.where(total > 0, 100.0 * self._per_building(area * straddle) / total, np.nan)
        return share_above, share_straddle

    def max_level_db(self) -> np.ndarray:
        """(n,) loudest façade level of each building, dB(A); NaN without façade data."""
        out = np.full(self.buildings_count, -np.inf)
        ok = self.segments.exposed & np.isfinite(self.level_db)
        np.maximum.at(out, self.segments.owner[ok], self.level_db[ok])
        return np.where(np.isfinite(out), out, np.nan)

    def is_banded(self) -> bool:
        ok = np.isfinite(self.level_db)
        return bool(np.any(self.low_db[ok] != self.high_db[ok]))

    def field_names(self) -> dict[str, str]:
        """Names of the columns :func:`annotate` writes: ``max``, ``above``, ``undecidable``."""
        key = self.indicator.lower()
        limit = f"{self.limit_db:g}".replace(".", "_")
        return {
            "max": f"facade_{key}_max_db",
            "above": f"facade_{key}_over_{limit}_pct",
            "undecidable": f"facade_{key}_band_{limit}_pct",
        }

    def summary(self) -> dict[str, Any]:
        """Whole-layer figures (JSON-ready): façade area with data, share above the limit, buildings
        with some façade above it."""
        above, straddle = self.shares_pct()
        area = np.where(self.segments.exposed & np.isfinite(self.level_db), self.segments.area_m2, 0.0)
        total = float(area.sum())
        per_building = self._per_building(area)
        return {
            "indicator": self.indicator,
            "limit_db": self.limit_db,
            "facade_area_m2": round(total, 1),
            "walls": int(len(self.segments)),
            "party_walls": int((~self.segments.exposed).sum()),
            "share_above_pct": round(float(np.nansum(above * per_building) / total), 2) if total else None,
            "buildings_above": int(np.nansum(above > 0)),
            "buildings_with_data": int(np.isfinite(above).sum()),
        }


def limit_for(indicator: str, limit_db: float | None = None) -> float:
    """The limit value in dB(A): ``limit_db`` if given, else 68 for Lden and 62 for Ln."""
    return float(limit_db) if limit_db is not None else LIMIT_DB.get(indicator, 68.0)


def facade_exposure(
    buildings: BuildingsLayer,
    noise: NoiseMap,
    *,
    limit_db: float | None = None,
    offset_m: float = SAMPLE_OFFSET_M,
    max_length_m: float = MAX_SEGMENT_M,
) -> FacadeExposure:
    """Sample ``noise`` in front of the walls of ``buildings`` (both in the same CRS)."""
    grid, bands = noise.grid, noise.bands
    frame = buildings.frame
    segments = wall_segments(
        np.asarray(frame.geometry.values), buildings.height_m, buildings.base_m, max_length_m=max_length_m
    )
    # maps leave the pixels (or zones) overlapping buildings empty, sometimes a few metres beyond
    # the walls: read at the offset, then further out, then close to the wall, first data wins
    offsets = (offset_m, 2.0 * offset_m, 3.5 * offset_m, PARTY_WALL_PROBE_M)
    low = np.full(len(segments), np.nan)
    high = np.full(len(segments), np.nan)
    todo = segments.exposed.copy()
    for distance in offsets:
        if not todo.any():
            break
        points = segments.middle[todo] + segments.normal[todo] * distance
        if bands is not None:
            found_low, found_high = _band_at(bands, points)
        elif grid is not None:
            found_low = grid.sample(points[:, 0], points[:, 1], method="bilinear")
            found_high = found_low
        else:
            raise ValueError("a noise map holds a grid or bands")
        index = np.flatnonzero(todo)
        low[index], high[index] = found_low, found_high
        todo[index] = np.isnan(found_low) & np.isnan(found_high)
    level = low.copy() if bands is None else band_level_db(low, high)
    level = np.where(segments.exposed, level, np.nan)
    return FacadeExposure(
        segments, level, low, high, noise.indicator, limit_for(noise.indicator, limit_db), len(frame)
    )


def _band_at(bands: GeoDataFrame, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) dB(A) of the loudest zone of ``bands`` containing each point; NaN, NaN outside
    every zone."""
    low = np.full(len(points), np.nan)
    high = np.full(len(points), np.nan)
    if not len(points):
        return low, high
    # the zones are few and large: query them against a tree of the points, so that each zone is
    # prepared once (asking each point "within which zone" re-walks the big polygons every time)
    tree = shapely.STRtree(np.asarray(shapely.points(points)))
    zones, hits = tree.query(np.asarray(bands.geometry.values), predicate="contains")
    if len(hits):
        zone_low = bands["db_low"].to_numpy(dtype=float)[zones]
        zone_high = bands["db_high"].to_numpy(dtype=float)[zones]
        rank = band_level_db(zone_low, zone_high)
        order = np.lexsort((np.nan_to_num(rank, nan=-np.inf), hits))  # by point, loudest last
        last = np.r_[hits[order][1:] != hits[order][:-1], True]
        chosen = order[last]
        low[hits[chosen]] = zone_low[chosen]
        high[hits[chosen]] = zone_high[chosen]
    return low, high


def annotate(buildings: BuildingsLayer, exposure: FacadeExposure) -> list[str]:
    """Write the per-building figures into ``buildings.frame`` (so they colour the buildings and show
    in the inspector); returns the column names written."""
    names = exposure.field_names()
    above, straddle = exposure.shares_pct()
    buildings.frame[names["max"]] = np.round(exposure.max_level_db(), 1)
    buildings.frame[names["above"]] = np.round(above, 1)
    written = [names["max"], names["above"]]
    if exposure.is_banded():
        buildings.frame[names["undecidable"]] = np.round(straddle, 1)
        written.append(names["undecidable"])
    elif names["undecidable"] in buildings.frame.columns:
        buildings.frame.drop(columns=names["undecidable"], inplace=True)
    return written
