"""Buildings: footprints extruded to their height, or a 3D city model's own surfaces, as one mesh.

:class:`BuildingsLayer` reads footprints from any vector file (:func:`layers.io.read_vector`), finds
their heights (:mod:`layers.buildings.heights`), repairs invalid polygons and splits multi-polygons into one row
per part, then builds the mesh the viewer draws (:func:`layers.buildings.mesh.extrude`: courtyards
stay open, every face wound outward). CityJSON and CityGML files are read by
:class:`layers.buildings.citymodel.CityModelLayer`, the same kind with prebuilt triangles.

Nothing is lost silently: every feature of the file is shown or counted as dropped with its reason
(:attr:`BuildingsLayer.stats`, reported by ``maquette info`` and ``render --json``).

On a terrain (:meth:`BuildingsLayer.seat_on`) each building stands on the lowest ground under its
outline; footprints whose Z is an altitude and that have no height get one from Z minus the ground.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from layers.buildings.heights import DEFAULT_HEIGHT_M, MAX_HEIGHT_M, ground_altitudes, resolve_heights
from layers.buildings.mesh import BuildingMesh, extrude
from layers.core.base import Layer
from layers.core.errors import InputError
from layers.io import read_vector
from layers.io.vector_file import example_ids
from layers.vector.attributes import column_kinds, column_values, jsonable
from layers.vector.options import saved_options

BDTOPO_ATTRIBUTION = "Source : IGN – BD TOPO®"
OSM_ATTRIBUTION = "© les contributeurs d'OpenStreetMap"

#: why a feature of the file is not shown (the keys of ``dropped_reasons``)
NO_GEOMETRY = "no geometry"
UNREADABLE = "unreadable geometry"
NOT_POLYGON = "not a polygon"
NO_AREA = "no area"
#: a height taken from footprint Z minus the terrain must be at least this, metres
MIN_Z_HEIGHT_M = 0.5


class BuildingsLayer(Layer):
    """Buildings: footprints with heights, or the prebuilt surfaces of a 3D city model.

    Attributes
    ----------
    frame
        GeoDataFrame, one row per building polygon part (multi-polygons split), 2D, in :attr:`crs`;
        the source attributes plus ``feature_index`` (position of the feature in the file).
    height_m
        (n,) float64 top of the walls above the ground, metres.
    base_m
        (n,) float64 bottom of the walls above the ground, metres (0 unless a min-height field).
    height_field
        The field heights were read from, ``None`` when all are defaulted.
    height_source
        (n,) object: what gave each row's height (field, storeys × 3 m, default).
    footprint_z
        (n,) float64 lowest Z of each footprint as the file gives it (an altitude in metres: the
        gutter altitude in BD TOPO), NaN for 2D files.
    ground_m
        (n,) float64 altitude of each building's ground as the file gives it (``Z_MIN_SOL``, the
        lowest point of a city model's building), metres, NaN when unknown. For information (the
        inspector) and for heights from Z; on a terrain, buildings stand on the terrain.
    stats
        What loading kept, repaired, defaulted and dropped (see :meth:`describe`).
    """

    kind = "buildings"

    def __init__(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        height_m: np.ndarray,
        base_m: np.ndarray | None = None,
        *,
        source=None,
        crs: CRS | None = None,
        mesh: BuildingMesh | None = None,
    ) -> None:
        super().__init__(name, source=source, crs=crs if crs is not None else frame.crs)
        self.frame = frame
        self.height_m = np.asarray(height_m, dtype=np.float64)
        self.base_m = np.zeros(len(frame)) if base_m is None else np.asarray(base_m, dtype=np.float64)
        self.height_field: str | None = None
        self.height_source = np.full(len(frame), "", dtype=object)
        self.footprint_z = np.full(len(frame), np.nan)
        self.ground_m = np.full(len(frame), np.nan)
        self.stats: dict[str, Any] = {
            "heights_defaulted": 0,
            "repaired": 0,
            "dropped": 0,
            "dropped_reasons": {},
        }
        #: a city model's own triangles (x, y in :attr:`crs`, z above each building's ground)
        self._prebuilt = mesh
        self._mesh: BuildingMesh | None = None
        self._seated: tuple[int, np.ndarray] | None = None

    # -- loading -----------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        crs: object | None = None,
        height_field: str | None = None,
        layer: str | None = None,
        default_height_m: float | None = None,
        **options: Any,
    ) -> BuildingsLayer:
        """Read building footprints (or a CityJSON / CityGML model) from ``path``.

        Parameters
        ----------
        height_field
            The field holding heights (metres, or storeys for ``NB_ETAGES``-like names); guessed
            when ``None``.
        layer
            GeoPackage layer (or shapefile of a zip) to read.
        default_height_m
            Height of buildings without a usable one, metres (default 9 m).
        options
            ``encoding`` (of a shapefile / CSV), ``style``; all kept in :attr:`options`.
        """
        path = Path(path)
        data = read_vector(path, layer=layer, crs=crs, encoding=options.get("encoding"))
        source = data.frame
        default = DEFAULT_HEIGHT_M if default_height_m is None else float(default_height_m)
        if not np.isfinite(default) or not 0 < default <= MAX_HEIGHT_M:
            raise InputError(
                path, f"the default height must be between 0 and {MAX_HEIGHT_M:g} m, not {default_height_m}"
            )
        try:
            heights = resolve_heights(source, field=height_field, default_height_m=default)
        except LookupError as exc:
            raise InputError(path, "no such height field", field=height_field, hint=str(exc)) from None
        geoms = np.asarray(source.geometry.values)
        parts, owner, repaired, reasons = footprint_parts(geoms)
        polygonal = reasons != NOT_POLYGON
        if not polygonal.any():
            raise InputError(path, "holds no polygons (expected building footprints)")
        if not len(parts):
            raise InputError(path, "none of its polygons has an area (expected building footprints)")
        attributes = source.drop(columns=source.geometry.name)
        if len(owner) != len(source) or not np.array_equal(owner, np.arange(len(source))):
            attributes = attributes.iloc[owner]
        frame = gpd.GeoDataFrame(
            attributes.reset_index(drop=True), geometry=gpd.GeoSeries(parts, crs=data.crs)
        )
        frame.insert(0, "feature_index", source.index.to_numpy(dtype=np.int64)[owner])
        self = cls(
            name or path.stem,
            frame,
            heights.height_m[owner],
            heights.base_m[owner],
            source=path,
            crs=data.crs,
        )
        self.height_field = heights.field
        self.height_source = heights.source[owner]
        if data.has_z:
            self.footprint_z = _lowest_z(geoms)[owner]
        ground, ground_field = ground_altitudes(source)
        self.ground_m = ground[owner]
        if ground_field is None and data.has_z and heights.field is not None:
            # BD TOPO-like footprints carry the gutter altitude as Z: the ground is Z minus the height
            self.ground_m = np.where(heights.defaulted[owner], np.nan, self.footprint_z - self.height_m)
        self.attribution = guess_attribution(source)
        kept = reasons == None  # noqa: E711 - element-wise
        self.stats = _account(source, data, heights, repaired, reasons, kept)
        self.warnings.extend(data.warnings)
        self.warnings.extend(_load_warnings(source, data, heights, repaired, reasons, kept, default))
        self.options = saved_options(
            crs=crs, height_field=height_field, layer=layer, default_height_m=default_height_m, **options
        )
        self.apply_style(options.get("style") or {})
        return self

    # -- geometry ----------------------------------------------------------------------------
    def mesh(self) -> BuildingMesh:
        """The buildings as one mesh (see :class:`BuildingMesh`): a city model's own surfaces, or
        the footprints extruded (roofs, walls, floors of raised parts); cached until
        :meth:`reproject` or a change of heights."""
        if self._prebuilt is not None:
            return self._prebuilt
        if self._mesh is None:
            self._mesh = extrude(np.asarray(self.frame.geometry.values), self.height_m, self.base_m)
        return self._mesh

    @property
    def faces_outward(self) -> bool:
        """True when every face of :meth:`mesh` is wound outward (extruded footprints), so a
        renderer may cull back faces; a city model keeps its file's orientation, not always right."""
        return self._prebuilt is None

    def prepare(self) -> None:
        self.mesh()

    def bounds(self) -> tuple[float, float, float, float]:
        return tuple(float(v) for v in self.frame.total_bounds)

    def reproject(self, crs: CRS) -> None:
        if self._prebuilt is not None:
            from layers.core import crs as crs_util

            points = self._prebuilt.points
            x, y = crs_util.transformer(self.crs, crs).transform(points[:, 0], points[:, 1])
            points[:, 0], points[:, 1] = x, y
        self.frame = self.frame.to_crs(crs)
        self.crs = crs
        self._mesh = None
        self._seated = None

    # -- terrain -----------------------------------------------------------------------------
    def ground_under(self, terrain: Any) -> np.ndarray:
        """(n,) lowest terrain altitude under each footprint's outline, metres; NaN where the
        terrain (a :class:`layers.terrain.layer.TerrainLayer` in the same CRS) does not cover it."""
        coords, index = shapely.get_coordinates(np.asarray(self.frame.geometry.values), return_index=True)
        lowest = np.full(len(self.frame), np.nan)
        if len(coords):
            z = np.asarray(terrain.height_at(coords[:, 0], coords[:, 1]), np.float64)
            starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
            with np.errstate(invalid="ignore"):
                lowest[index[starts]] = np.fmin.reduceat(z, starts)
        return lowest

    def seat_on(self, terrain: Any | None) -> np.ndarray:
        """The altitude (m) on which each building stands: the lowest terrain under its outline;
        NaN off the terrain (the scene then seats it on its flat ground plane, the ground drawn
        there, rather than at an altitude floating over it). Footprints without a height whose Z
        is an altitude get their height from Z minus the terrain (or minus their own ground)."""
        if terrain is None:
            return np.full(len(self.frame), np.nan)
        key = id(terrain)
        if self._seated is not None and self._seated[0] == key:
            return self._seated[1]
        ground = self.ground_under(terrain)
        if self._prebuilt is None:
            from_z = self.footprint_z - np.where(np.isfinite(ground), ground, self.ground_m)
            usable = (
                np.char.startswith(self.height_source.astype(str), "default")
                & np.isfinite(from_z)
                & (from_z >= MIN_Z_HEIGHT_M)
                & (from_z <= MAX_HEIGHT_M)
            )
            if usable.any():
                self.height_m = np.where(usable, from_z, self.height_m)
                self.height_source = np.where(usable, "Z − terrain", self.height_source)
                self.stats["heights_from_z"] = int(usable.sum())
                self._mesh = None
        self._seated = (key, ground)
        return ground

    # -- colours and attributes --------------------------------------------------------------
    def color_fields(self) -> dict[str, str]:
        """``{field: "numeric" | "categorical"}``: ``height_m`` first, then the source columns."""
        fields = {"height_m": "numeric"}
        if np.any(self.base_m > 0):
            fields["base_m"] = "numeric"
        fields.update(column_kinds(self.frame, skip={"feature_index"}))
        return fields

    def filter_fields(self) -> dict[str, str]:
        """Fields a filter can use: :meth:`color_fields` plus dates (``"year"``: filtered by year)."""
        fields = self.color_fields()
        for name in self.frame.columns:
            if (
                name not in fields
                and pd.api.types.is_datetime64_any_dtype(self.frame[name].dtype)
                and self.frame[name].notna().any()
            ):
                fields[str(name)] = "year"
        return fields

    def find(self, query: str, limit: int = 20) -> list[Any]:
        """Buildings matching ``query`` by identifier or name (:func:`layers.buildings.filters.search`, case and
        accents ignored, ``"field: text"`` to search one field), one match per feature."""
        from layers.buildings.filters import search

        cache = self.__dict__.setdefault("_search_cache", {})
        out, seen = [], set()
        index = self.frame["feature_index"].to_numpy() if "feature_index" in self.frame.columns else None
        for match in search(self.frame, query, limit=limit * 4, cache=cache):
            feature = int(index[match.row]) if index is not None else match.row
            if feature not in seen:
                seen.add(feature)
                out.append(match)
            if len(out) >= limit:
                break
        return out

    def feature_rows(self, row: int) -> np.ndarray:
        """Every row (part) of the feature row ``row`` belongs to."""
        if "feature_index" not in self.frame.columns:
            return np.array([int(row)])
        index = self.frame["feature_index"].to_numpy()
        return np.flatnonzero(index == index[int(row)])

    def feature_bounds(self, row: int) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the whole feature of row ``row``, in :attr:`crs`."""
        rows = self.feature_rows(row)
        return tuple(float(v) for v in shapely.total_bounds(np.asarray(self.frame.geometry.values)[rows]))

    def values(self, field: str) -> np.ndarray:
        """(n,) values of ``field`` per row: float64 (NaN missing) or object (``None`` missing)."""
        if field == "height_m":
            return self.height_m
        if field == "base_m":
            return self.base_m
        return column_values(self.frame, field)

    def unit(self, field: str) -> str:
        """``"m"`` for heights, ``""`` otherwise."""
        return "m" if field in {"height_m", "base_m", self.height_field} else ""

    def attributes(self, index: int) -> dict[str, object]:
        """The source attributes of row ``index`` plus its height and where the height came from."""
        index = int(index)
        row = self.frame.iloc[index]
        out = {str(k): jsonable(v) for k, v in row.items() if k != self.frame.geometry.name}
        out["height_m"] = round(float(self.height_m[index]), 2)
        out["height_source"] = self.height_source[index]
        if self.base_m[index] > 0:
            out["base_m"] = round(float(self.base_m[index]), 2)
        if np.isfinite(self.ground_m[index]):
            out["ground_altitude_m"] = round(float(self.ground_m[index]), 2)
        return out

    def feature_count(self) -> int:
        """Features of the file shown (a multi-polygon split into parts counts once)."""
        return (
            int(self.frame["feature_index"].nunique())
            if "feature_index" in self.frame.columns
            else len(self.frame)
        )

    def part_count(self) -> int:
        """Rows of :attr:`frame` (polygon parts, or buildings of a city model)."""
        return len(self.frame)

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        stats = self.stats
        info["source_features"] = self.feature_count()
        info["features_in"] = int(stats.get("features_in", self.feature_count()))
        info["parts"] = self.part_count()
        info["height_field"] = self.height_field
        info["height_range_m"] = (
            [round(float(self.height_m.min()), 2), round(float(self.height_m.max()), 2)]
            if len(self.height_m)
            else None
        )
        for key in (
            "heights_defaulted",
            "heights_defaulted_examples",
            "repaired",
            "repaired_examples",
            "dropped",
            "dropped_reasons",
            "dropped_examples",
            "heights_from_z",
        ):
            if key in stats:
                info[key] = stats[key]
        info["fields"] = [
            str(c) for c in self.frame.columns if c not in ("feature_index", self.frame.geometry.name)
        ]
        return info


def footprint_parts(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Valid 2D Polygon parts of footprints, vectorised (fast when all are simple polygons).

    Invalid polygons are repaired with ``shapely.make_valid`` (holes kept), multi-parts and
    collections split, parts without area left out. Rings are not reoriented (:func:`extrude`
    copes with either orientation).

    Returns
    -------
    parts
        (k,) Polygons grouped by source, in source order.
    owner
        (k,) int64 position of each part's source geometry.
    repaired
        (n,) bool: the source was invalid and was repaired (and kept some area).
    reasons
        (n,) object: why a source gave no part (:data:`NOT_POLYGON`, :data:`NO_AREA`), ``None``
        when it gave some.
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    types = shapely.get_type_id(geoms)
    with_z = shapely.has_z(geoms)
    if with_z.any():
        geoms = geoms.copy()
        geoms[with_z] = shapely.force_2d(geoms[with_z])
    polygonal = np.isin(types, (3, 6, 7))
    invalid = polygonal & ~shapely.is_valid(geoms)
    fixed = geoms
    if invalid.any() or not polygonal.all():
        fixed = geoms.copy()
        fixed[invalid] = shapely.make_valid(geoms[invalid])
        fixed[~polygonal] = None
    if (types == 3).all() and not invalid.any():
        parts, owner = fixed, np.arange(n, dtype=np.int64)
    else:
        parts, owner = shapely.get_parts(fixed, return_index=True)
        while True:  # make_valid may nest a MultiPolygon inside a GeometryCollection
            multi = np.isin(shapely.get_type_id(parts), (4, 5, 6, 7))
            if not multi.any():
                break
            sub, sub_index = shapely.get_parts(parts[multi], return_index=True)
            parts = np.concatenate([parts[~multi], sub])
            owner = np.concatenate([owner[~multi], owner[multi][sub_index]])
        order = np.argsort(owner, kind="stable")
        parts, owner = parts[order], owner[order].astype(np.int64)
    keep = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)
    if not keep.all():
        parts, owner = parts[keep], owner[keep]
    has_part = np.bincount(owner, minlength=n) > 0
    reasons = np.full(n, None, dtype=object)
    reasons[~has_part] = NO_AREA
    reasons[~polygonal] = NOT_POLYGON
    return parts, owner, invalid & has_part, reasons


def guess_attribution(frame: pd.DataFrame) -> str | None:
    """The credit line of the data: IGN BD TOPO, OpenStreetMap, or ``None`` when unknown."""
    lower = {str(c).lower(): c for c in frame.columns}
    if "id" in lower:
        ids = frame[lower["id"]].dropna().astype(str).head(50)
        if len(ids) and ids.str.upper().str.startswith("BATIMENT").mean() > 0.5:
            return BDTOPO_ATTRIBUTION
        if len(ids) and ids.str.match(r"^(way|relation)/\d+$").mean() > 0.5:
            return OSM_ATTRIBUTION
    if "cleabs" in lower or {"usage1", "nature", "hauteur"} <= set(lower):
        return BDTOPO_ATTRIBUTION
    if set(lower) & {"id_way", "osm_id", "osm_way_id", "@id", "osm_type"}:
        return OSM_ATTRIBUTION
    return None


def _lowest_z(geoms: np.ndarray) -> np.ndarray:
    """(n,) smallest Z of each geometry's vertices, NaN where it has none."""
    coords, index = shapely.get_coordinates(geoms, include_z=True, return_index=True)
    lowest = np.full(len(geoms), np.nan)
    z = coords[:, 2]
    if len(z):
        starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
        with np.errstate(invalid="ignore"):
            lowest[index[starts]] = np.fmin.reduceat(z, starts)
    return lowest


def positions_text(positions: np.ndarray, count: int = 3) -> str:
    """``feature 3, feature 17, ...`` for features that are no longer in a frame."""
    positions = np.asarray(positions)
    text = ", ".join(f"feature {int(p)}" for p in positions[:count])
    return text + (", ..." if len(positions) > count else "")


def _account(source, data, heights, repaired, reasons, kept) -> dict[str, Any]:
    """Every feature of the file accounted for: shown, or dropped with a reason; plus what was
    repaired or defaulted, with example identifiers."""
    dropped: dict[str, int] = {}
    examples: dict[str, str] = {}
    for reason, positions in data.skipped.items():
        if len(positions):
            dropped[reason] = int(len(positions))
            examples[reason] = positions_text(positions)
    for reason in (NOT_POLYGON, NO_AREA):
        mask = reasons == reason
        if mask.any():
            dropped[reason] = int(mask.sum())
            examples[reason] = example_ids(source, mask)
    defaulted = heights.defaulted & kept
    stats: dict[str, Any] = {
        "features_in": int(data.features_read or len(source)),
        "features": int(kept.sum()),
        "dropped": int(sum(dropped.values())),
        "dropped_reasons": dropped,
        "dropped_examples": examples,
        "repaired": int(repaired.sum()),
        "heights_defaulted": int(defaulted.sum()),
    }
    if repaired.any():
        stats["repaired_examples"] = example_ids(source, repaired)
    if defaulted.any():
        stats["heights_defaulted_examples"] = example_ids(source, defaulted)
    return stats


def _load_warnings(source, data, heights, repaired, reasons, kept, default: float) -> list[str]:
    """User-worded notes on defaulted heights, repaired and dropped polygons."""
    notes = []
    defaulted = heights.defaulted & kept
    if heights.field is None:
        notes.append(
            f"no height field found: every building is {default:g} m high (choose the field with the height_field option)"
        )
    elif defaulted.any():
        notes.append(
            f"{int(defaulted.sum())} buildings had no usable height in {heights.field} "
            f"(missing, zero, negative or above {MAX_HEIGHT_M:g} m) and were given {default:g} m ({example_ids(source, defaulted)})"
        )
    ignored = heights.base_ignored & kept
    if ignored.any():
        notes.append(
            f"{int(ignored.sum())} buildings had a {heights.base_field} not below their top; their walls start at the ground ({example_ids(source, ignored)})"
        )
    if repaired.any():
        notes.append(
            f"{int(repaired.sum())} invalid polygons were repaired ({example_ids(source, repaired)})"
        )
    not_polygon = reasons == NOT_POLYGON
    if not_polygon.any():
        notes.append(
            f"{int(not_polygon.sum())} features that are not polygons were dropped ({example_ids(source, not_polygon)})"
        )
    no_area = reasons == NO_AREA
    if no_area.any():
        notes.append(
            f"{int(no_area.sum())} polygons without area were dropped ({example_ids(source, no_area)})"
        )
    return notes
