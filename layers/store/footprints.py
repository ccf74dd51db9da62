"""One partition of a source turned into store rows: the loader's repairs and height rules, every
feature accounted for, reprojected, keyed along the Hilbert curve.

The same functions as :meth:`layers.buildings.layer.BuildingsLayer.load` do the work, so a store
gives the same buildings and heights as opening the file: features without geometry or with
unusable coordinates left out (:mod:`layers.io.vector_repair`), invalid polygons repaired and
non-polygons or polygons without area dropped (:func:`layers.buildings.footprints.footprint_parts`),
heights from the preferred field with fall-backs and the default
(:func:`layers.buildings.heights.resolve_heights`). One row per feature of the file: its repaired
parts as one Polygon or MultiPolygon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from layers.buildings.footprints import NO_AREA, NO_GEOMETRY, NOT_POLYGON
from layers.core.errors import InputError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from layers.store.grid import Grid
    from layers.store.sources import Source

#: why rows with coordinates GEOS cannot use are left out (the loader's reason)
UNUSABLE = "unusable coordinates"
#: fields that say what a building is used for, in order of preference (matching ignores case)
USAGE_FIELDS = ("usage1", "usage_1", "usage", "building", "nature", "type")


@dataclass
class PartStats:
    """What one partition read, kept, repaired and dropped (by reason), and its tiles' sizes."""

    read: int = 0
    kept: int = 0
    repaired: int = 0
    heights_defaulted: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    #: ``{tile key: rows}``
    tiles: dict[int, int] = field(default_factory=dict)
    #: (xmin, ymin, xmax, ymax) of the kept rows, store CRS; ``None`` when none was kept
    bounds: tuple[float, float, float, float] | None = None
    #: the credit line of the data ("Source : IGN – BD TOPO"), as loading would give it; ``None``
    attribution: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "read": self.read,
            "kept": self.kept,
            "repaired": self.repaired,
            "heights_defaulted": self.heights_defaulted,
            "dropped": self.dropped,
            "tiles": {str(k): v for k, v in self.tiles.items()},
            "bounds": list(self.bounds) if self.bounds is not None else None,
            "attribution": self.attribution,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> PartStats:
        tiles = data["tiles"]
        dropped = data["dropped"]
        bounds = data["bounds"]
        assert isinstance(tiles, dict) and isinstance(dropped, dict)
        return cls(
            read=int(str(data["read"])),
            kept=int(str(data["kept"])),
            repaired=int(str(data["repaired"])),
            heights_defaulted=int(str(data["heights_defaulted"])),
            dropped={str(k): int(v) for k, v in dropped.items()},
            tiles={int(k): int(v) for k, v in tiles.items()},
            bounds=tuple(float(v) for v in bounds) if isinstance(bounds, list) else None,  # type: ignore[arg-type]
            attribution=str(data["attribution"]) if data.get("attribution") else None,
        )


def _drop(frame: gpd.GeoDataFrame, mask: np.ndarray, reason: str, stats: PartStats) -> gpd.GeoDataFrame:
    if mask.any():
        stats.dropped[reason] = stats.dropped.get(reason, 0) + int(mask.sum())
        frame = frame[~mask]
    return frame


def _text_column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    by_lower = {str(c).lower(): str(c) for c in frame.columns if str(frame[c].dtype) != "geometry"}
    return next((by_lower[n] for n in names if n in by_lower), None)


def _strings(values: pd.Series) -> np.ndarray:
    """(n,) object: each value as text, ``None`` where missing."""
    out = values.astype(object).to_numpy()
    missing = values.isna().to_numpy()
    text = np.array([str(v) for v in out], dtype=object)
    text[missing] = None
    return text


def _attribution(frame: gpd.GeoDataFrame, source: Source) -> str | None:
    """The credit line loading would give these footprints (BD TOPO's fields or file name, OSM)."""
    from layers.buildings.footprints import BDTOPO_ATTRIBUTION, guess_attribution
    from layers.topo.themes import BUILDINGS, bdtopo_theme

    guessed = guess_attribution(frame)
    if guessed is None and bdtopo_theme(source.path.stem) == BUILDINGS:
        return BDTOPO_ATTRIBUTION  # BATIMENT without its .dbf
    return guessed


def store_rows(
    frame: gpd.GeoDataFrame, source: Source, store_crs: str, grid: Grid
) -> tuple[gpd.GeoDataFrame, PartStats]:
    """The store rows of one partition of ``source`` (index: each feature's position in the file).

    Returns a GeoDataFrame in ``store_crs`` with ``geometry``, ``height_m`` (float32), ``usage``,
    ``id``, ``tile``, ``hilbert``, sorted by ``hilbert``, and what was read, kept and dropped.
    """
    import geopandas as gpd
    import shapely

    from layers.buildings.footprints import footprint_parts
    from layers.buildings.heights import resolve_heights
    from layers.io.vector_repair import drop_absurd_coordinates, drop_m, id_column

    stats = PartStats(read=len(frame), attribution=_attribution(frame, source))
    geoms = np.asarray(frame.geometry.values)
    frame = _drop(frame, shapely.is_missing(geoms) | shapely.is_empty(geoms), NO_GEOMETRY, stats)
    if len(frame):
        notes: list[str] = []
        skipped: dict[str, np.ndarray] = {}
        try:
            frame = drop_absurd_coordinates(source.path, frame, notes, skipped)
        except InputError:  # every feature of the partition
            skipped[UNUSABLE] = frame.index.to_numpy()
            frame = frame.iloc[:0]
        for reason, rows in skipped.items():
            stats.dropped[reason] = stats.dropped.get(reason, 0) + len(rows)
    if len(frame):
        frame = drop_m(frame)
    heights = resolve_heights(frame)
    parts, owner, repaired, reasons = footprint_parts(np.asarray(frame.geometry.values))
    for reason in (NOT_POLYGON, NO_AREA):
        count = int(np.count_nonzero(reasons == reason))
        if count:
            stats.dropped[reason] = stats.dropped.get(reason, 0) + count
    kept = np.array([r is None for r in reasons], dtype=bool)
    stats.kept = int(kept.sum())
    stats.repaired = int(repaired.sum())
    stats.heights_defaulted = int((heights.defaulted & kept).sum())
    # one geometry per kept feature: its single part, or its parts as a MultiPolygon
    owners, first, per_owner = np.unique(owner, return_index=True, return_counts=True)
    merged = np.asarray(shapely.multipolygons(parts, indices=np.searchsorted(owners, owner)), dtype=object)
    single = per_owner == 1
    merged[single] = parts[first[single]]
    kept_frame = frame.iloc[owners]
    id_field = id_column(kept_frame.columns)
    positions = kept_frame.index.to_numpy()
    ids = np.array([f"{source.name}:{p}" for p in positions], dtype=object)
    if id_field is not None:
        given = _strings(kept_frame[id_field])
        ids = np.where(np.array([g is None for g in given], dtype=bool), ids, given)
    usage_field = _text_column(kept_frame, USAGE_FIELDS)
    usage = _strings(kept_frame[usage_field]) if usage_field else np.full(len(owners), None, dtype=object)
    geometry = gpd.GeoSeries(merged, crs=source.crs).to_crs(store_crs)
    centroids = shapely.centroid(np.asarray(geometry.values))
    hilbert, tile = grid.keys(shapely.get_x(centroids), shapely.get_y(centroids))
    out = gpd.GeoDataFrame(
        {
            "height_m": heights.height_m[owners].astype(np.float32),
            "usage": usage,
            "id": ids,
            "tile": tile,
            "hilbert": hilbert,
        },
        geometry=gpd.GeoSeries(np.asarray(geometry.values), crs=store_crs),
    )
    order = np.argsort(hilbert, kind="stable")
    out = out.iloc[order].reset_index(drop=True)
    tiles, counts = np.unique(tile, return_counts=True)
    stats.tiles = {int(t): int(c) for t, c in zip(tiles, counts, strict=True)}
    if len(out):
        b = out.total_bounds
        stats.bounds = (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
    return out, stats
