"""Buildings: footprints extruded to their height, or a 3D city model's own surfaces, as one mesh.

:class:`BuildingsLayer` reads footprints from any vector file (:func:`layers.io.read_vector`), finds
their heights (:mod:`layers.buildings.heights`), repairs invalid polygons and splits multi-polygons
into one row per part (:mod:`layers.buildings.footprints`), then builds the mesh the viewer draws
(:func:`layers.buildings.mesh.extrude`: courtyards stay open, every face wound outward). CityJSON
and CityGML files are read by :class:`layers.buildings.citymodel.CityModelLayer`, the same kind with
prebuilt triangles. The display options are a :class:`~layers.buildings.style.BuildingsStyle`.

Nothing is lost silently: every feature of the file is shown or counted as dropped with its reason
(:attr:`BuildingsLayer.stats`, reported by ``maquette info`` and ``render --json``).

On a terrain (:meth:`BuildingsLayer.seat_on`) each building stands on the lowest ground under its
outline; footprints whose Z is an altitude and that have no height get one from Z minus the ground.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from layers.buildings.footprints import (
    BDTOPO_ATTRIBUTION,
    NOT_POLYGON,
    BuildingStats,
    account,
    empty_stats,
    footprint_parts,
    guess_attribution,
    load_warnings,
    lowest_z,
)
from layers.buildings.heights import DEFAULT_HEIGHT_M, MAX_HEIGHT_M, ground_altitudes, resolve_heights
from layers.buildings.mesh import BuildingMesh, extrude
from layers.buildings.search import Match, SearchCache
from layers.buildings.style import BuildingsStyle
from layers.core.base import Bounds, Layer
from layers.core.errors import InputError
from layers.io import read_vector
from layers.io.osm import is_osm_path, osm_name
from layers.io.osm_buildings import read_osm_buildings
from layers.topo.themes import BUILDINGS, bdtopo_theme
from layers.vector.attributes import ColumnKind, column_kinds, column_values, jsonable
from layers.vector.options import saved_options

if TYPE_CHECKING:
    from layers.core.area import Area
    from layers.terrain.layer import TerrainLayer

#: a height taken from footprint Z minus the terrain must be at least this, metres
MIN_Z_HEIGHT_M = 0.5
#: how a field can filter buildings: as a number, by category, or a date by its year
FilterKind = ColumnKind | Literal["year"]


class BuildingsLayer(Layer[BuildingsStyle]):
    """Buildings: footprints with heights, or the prebuilt surfaces of a 3D city model.

    Attributes
    ----------
    frame
        GeoDataFrame, one row per building polygon part (multi-polygons split), 2D, in :attr:`crs`
        (the scene CRS after :meth:`reproject`, metres); the source attributes plus
        ``feature_index`` (position of the feature in the file).
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
        What loading kept, repaired, defaulted and dropped (:class:`BuildingStats`).
    """

    kind = "buildings"
    style_class = BuildingsStyle

    def __init__(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        height_m: np.ndarray,
        base_m: np.ndarray | None = None,
        *,
        source: str | Path | None = None,
        crs: CRS | None = None,
        mesh: BuildingMesh | None = None,
    ) -> None:
        super().__init__(name, source=source, crs=crs if crs is not None else frame.crs)
        self.frame: gpd.GeoDataFrame = frame
        self.height_m: np.ndarray = np.asarray(height_m, dtype=np.float64)
        self.base_m: np.ndarray = (
            np.zeros(len(frame)) if base_m is None else np.asarray(base_m, dtype=np.float64)
        )
        self.height_field: str | None = None
        self.height_source: np.ndarray = np.full(len(frame), "", dtype=object)
        self.footprint_z: np.ndarray = np.full(len(frame), np.nan)
        self.ground_m: np.ndarray = np.full(len(frame), np.nan)
        self.stats: BuildingStats = empty_stats()
        #: a city model's own triangles (x, y in :attr:`crs`, z above each building's ground)
        self._prebuilt = mesh
        self._mesh: BuildingMesh | None = None
        self._seated: tuple[int, np.ndarray] | None = None
        self._search_cache: SearchCache = {}
        #: features (``feature_index``) a planned project demolishes: not drawn, casting no shadow
        self.demolished: frozenset[int] = frozenset()

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
        area: Area | None = None,
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
        area
            Read only the footprints that meet it (the file's spatial index; a commune of a
            département's GeoPackage); those left out are counted in ``stats["outside_area"]``.
        options
            ``encoding`` (of a shapefile / CSV), ``style``; all kept in :attr:`options`.
        """
        path = Path(path)
        if is_osm_path(path):  # an OpenStreetMap extract: its buildings (layers.io.osm)
            data = read_osm_buildings(path, area=area)
            name = name or osm_name(path)
        else:
            data = read_vector(path, layer=layer, crs=crs, encoding=options.get("encoding"), area=area)
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
            self.footprint_z = lowest_z(geoms)[owner]
        ground, ground_field = ground_altitudes(source)
        self.ground_m = ground[owner]
        if ground_field is None and data.has_z and heights.field is not None:
            # BD TOPO-like footprints carry the gutter altitude as Z: the ground is Z minus the height
            self.ground_m = np.where(heights.defaulted[owner], np.nan, self.footprint_z - self.height_m)
        self.attribution = guess_attribution(source) or (
            BDTOPO_ATTRIBUTION if bdtopo_theme(path.stem) == BUILDINGS else None  # BATIMENT without its .dbf
        )
        kept = reasons == None  # noqa: E711 - element-wise
        self.stats = account(source, data, heights, repaired, reasons, kept)
        self.warnings.extend(data.warnings)
        self.warnings.extend(load_warnings(source, heights, repaired, reasons, kept, default))
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

    def bounds(self) -> Bounds:
        xmin, ymin, xmax, ymax = (float(v) for v in self.frame.total_bounds)
        return xmin, ymin, xmax, ymax

    def reproject(self, crs: CRS) -> None:
        if self._prebuilt is not None and self.crs is not None:
            from layers.core import crs as crs_util

            points = self._prebuilt.points
            x, y = crs_util.transformer(self.crs, crs).transform(points[:, 0], points[:, 1])
            points[:, 0], points[:, 1] = x, y
        self.frame = self.frame.to_crs(crs)
        self.crs = crs
        self._mesh = None
        self._seated = None

    # -- terrain -----------------------------------------------------------------------------
    def ground_under(self, terrain: TerrainLayer) -> np.ndarray:
        """(n,) lowest terrain altitude under each footprint's outline, metres; NaN where the
        terrain (in the same CRS) does not cover it."""
        coords, index = shapely.get_coordinates(np.asarray(self.frame.geometry.values), return_index=True)
        lowest = np.full(len(self.frame), np.nan)
        if len(coords):
            z = np.asarray(terrain.height_at(coords[:, 0], coords[:, 1]), np.float64)
            starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
            with np.errstate(invalid="ignore"):
                lowest[index[starts]] = np.fmin.reduceat(z, starts)
        return lowest

    def seat_on(self, terrain: TerrainLayer | None) -> np.ndarray:
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
    def color_fields(self) -> dict[str, ColumnKind]:
        """``{field: "numeric" | "categorical"}``: ``height_m`` first, then the source columns."""
        fields: dict[str, ColumnKind] = {"height_m": "numeric"}
        if np.any(self.base_m > 0):
            fields["base_m"] = "numeric"
        fields.update(column_kinds(self.frame, skip={"feature_index"}))
        return fields

    def filter_fields(self) -> dict[str, FilterKind]:
        """Fields a filter can use: :meth:`color_fields` plus dates (``"year"``: filtered by year)."""
        fields: dict[str, FilterKind] = dict(self.color_fields())
        for name in self.frame.columns:
            if (
                name not in fields
                and pd.api.types.is_datetime64_any_dtype(self.frame[name].dtype)
                and self.frame[name].notna().any()
            ):
                fields[str(name)] = "year"
        return fields

    def find(self, query: str, limit: int = 20) -> list[Match]:
        """Buildings matching ``query`` by identifier or name (:func:`layers.buildings.search.search`,
        case and accents ignored, ``"field: text"`` to search one field), one match per feature."""
        from layers.buildings.search import search

        out: list[Match] = []
        seen: set[int] = set()
        index = self.frame["feature_index"].to_numpy() if "feature_index" in self.frame.columns else None
        for match in search(self.frame, query, limit=limit * 4, cache=self._search_cache):
            feature = int(index[match.row]) if index is not None else match.row
            if feature not in seen:
                seen.add(feature)
                out.append(match)
            if len(out) >= limit:
                break
        return out

    def count_features(self, rows: np.ndarray | None = None) -> int:
        """Features (not parts) among the rows where the (n,) bool mask ``rows`` is true (all rows
        when ``None``)."""
        if "feature_index" not in self.frame.columns:
            return int(len(self.frame) if rows is None else np.count_nonzero(rows))
        index = self.frame["feature_index"].to_numpy()
        return int(len(np.unique(index if rows is None else index[rows])))

    def feature_rows(self, row: int) -> np.ndarray:
        """Every row (part) of the feature row ``row`` belongs to."""
        if "feature_index" not in self.frame.columns:
            return np.array([int(row)])
        index = self.frame["feature_index"].to_numpy()
        return np.flatnonzero(index == index[int(row)])

    def feature_bounds(self, row: int) -> Bounds:
        """(xmin, ymin, xmax, ymax) of the whole feature of row ``row``, in :attr:`crs`."""
        rows = self.feature_rows(row)
        box = shapely.total_bounds(np.asarray(self.frame.geometry.values)[rows])
        return float(box[0]), float(box[1]), float(box[2]), float(box[3])

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
        geometry_column = str(self.frame.geometry.name)
        out = {str(k): jsonable(v) for k, v in row.items() if k != geometry_column}
        out["height_m"] = round(float(self.height_m[index]), 2)
        out["height_source"] = self.height_source[index]
        if self.base_m[index] > 0:
            out["base_m"] = round(float(self.base_m[index]), 2)
        if np.isfinite(self.ground_m[index]):
            out["ground_altitude_m"] = round(float(self.ground_m[index]), 2)
        return out

    def shadow_prisms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every standing part as a prism from its base to its top, metres above the ground
        (:class:`~layers.core.base.CastsShadows`); demolished ones cast nothing."""
        polygons = np.asarray(self.frame.geometry.values)
        if not self.demolished:
            return polygons, self.base_m, self.height_m
        standing = self.standing()
        return polygons[standing], self.base_m[standing], self.height_m[standing]

    # -- a planned project's demolitions ---------------------------------------------------------
    def feature_indexes(self) -> np.ndarray:
        """(n,) int64 the feature (position in the file) of each row."""
        if "feature_index" in self.frame.columns:
            return self.frame["feature_index"].to_numpy(np.int64)
        return np.arange(len(self.frame), dtype=np.int64)

    def standing(self) -> np.ndarray:
        """(n,) bool: rows not demolished by the planned project."""
        if not self.demolished:
            return np.ones(len(self.frame), bool)
        return ~np.isin(self.feature_indexes(), np.fromiter(self.demolished, np.int64))

    def set_demolished(self, features: frozenset[int]) -> None:
        """Demolish the features ``features`` (``feature_index`` values), standing again the others;
        emits ``geometry_changed`` with the features whose state changed."""
        features = frozenset(int(f) for f in features)
        if features == self.demolished:
            return
        changed = features ^ self.demolished
        self.demolished = features
        self.revision += 1
        self.geometry_changed.emit(frozenset(str(f) for f in changed))

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
        stats: dict[str, Any] = dict(self.stats)
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
            "height_sources",
            "outside_area",
        ):
            if key in stats:
                info[key] = stats[key]
        info["fields"] = [
            str(c) for c in self.frame.columns if c not in ("feature_index", self.frame.geometry.name)
        ]
        return info
