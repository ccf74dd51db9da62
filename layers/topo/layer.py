"""Reference-map features of one theme (roads, rail, water, vegetation...) lying on the ground.

:class:`TopoLayer` holds a topographic frame (``theme``, ``category``, ``width_m``, ``name``
columns besides the geometry; see :mod:`layers.topo.themes`), built from a BD TOPO theme's file
(:meth:`TopoLayer.load`) or from any reader's frame (:meth:`TopoLayer.from_frame`, e.g.
OpenStreetMap). It gives the viewer flat triangles for its polygons and, for its lines, polylines
with their width in metres (the data's, else a default by category, counted in :attr:`stats`).
Points are not drawn (counted as dropped). Coordinates in :attr:`crs` (the scene CRS after
:meth:`reproject`, metres).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from layers.buildings.footprints import BDTOPO_ATTRIBUTION, OSM_ATTRIBUTION
from layers.core import geometry
from layers.core.base import Bounds, Layer
from layers.core.errors import InputError
from layers.io import read_vector
from layers.io.osm import is_osm_path, osm_name, osm_theme_accounting, read_osm_theme
from layers.topo.bdtopo import FRAME_COLUMNS, claims_by_fields, topographic_frame
from layers.topo.palette import default_width_m
from layers.topo.style import TopoStyle
from layers.topo.themes import THEMES, bdtopo_theme
from layers.vector.attributes import jsonable
from layers.vector.layer import (
    LINE_TYPES,
    POINT_TYPES,
    POLYGON_TYPES,
    lines_of,
    polygon_parts,
    polygons_triangulated,
)
from layers.vector.options import saved_options

if TYPE_CHECKING:
    from layers.core.area import Area

#: why a feature is not drawn
POINTS_NOT_DRAWN = "points (not drawn as a theme of the map)"
NO_AREA = "polygon without area"
EMPTY = "empty geometry"
OTHER_GEOMETRY = "geometry collection (not drawn)"


def theme_of(path: Path, layer: str | None, fields: list[str]) -> str | None:
    """The topographic theme of a file (or of its GeoPackage ``layer``): by its BD TOPO name,
    else by its fields; ``None`` when neither says one of :data:`THEMES`."""
    for name in (layer, path.stem):
        theme = bdtopo_theme(name) if name else None
        if theme in THEMES:
            return theme
    return claims_by_fields(fields)


class TopoLayer(Layer[TopoStyle]):
    """Features of one topographic theme drawn flat on the ground.

    Attributes
    ----------
    frame
        GeoDataFrame, one row per source feature: ``feature_index`` (position in the source),
        ``theme``, ``category``, ``width_m`` (NaN: unknown), ``name``, then the source attributes;
        in :attr:`crs`.
    theme
        One of :data:`layers.topo.themes.THEMES`.
    stats
        What loading kept and dropped: ``features_in``, ``features``, ``dropped``,
        ``dropped_reasons``, ``widths_defaulted`` (lines drawn at a default width),
        ``outside_area`` (features of the file not read, outside the area asked for: not in
        ``features_in``).
    """

    kind = "topo"
    style_class = TopoStyle

    def __init__(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        theme: str,
        *,
        source: str | Path | None = None,
        crs: CRS | None = None,
    ) -> None:
        if theme not in THEMES:
            raise ValueError(f"unknown topographic theme {theme!r} (one of {', '.join(THEMES)})")
        super().__init__(name, source=source, crs=crs if crs is not None else frame.crs)
        self.frame: gpd.GeoDataFrame = frame
        self.theme = theme
        self.stats: dict[str, Any] = {}

    # -- building ----------------------------------------------------------------------------
    @classmethod
    def from_frame(
        cls,
        frame: gpd.GeoDataFrame,
        theme: str,
        *,
        name: str | None = None,
        source: str | Path | None = None,
        crs: CRS | None = None,
        features_in: int | None = None,
        dropped_reasons: dict[str, int] | None = None,
    ) -> TopoLayer:
        """A layer of ``theme`` from a topographic frame (the contract's columns; missing ones are
        filled: empty category, NaN width, no name). ``features_in`` and ``dropped_reasons``: what
        the reader read and left out before (counted in :attr:`stats`)."""
        frame = frame.copy()
        for column, empty in (("theme", theme), ("category", ""), ("width_m", np.nan), ("name", None)):
            if column not in frame.columns:
                frame[column] = empty
        if "feature_index" not in frame.columns:
            frame.insert(0, "feature_index", np.arange(len(frame), dtype=np.int64))
        frame = frame.reset_index(drop=True)
        self = cls(name or theme, frame, theme, source=source, crs=crs if crs is not None else frame.crs)
        self._account(features_in, dict(dropped_reasons or {}), 0)
        return self

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        crs: object | None = None,
        layer: str | None = None,
        theme: str | None = None,
        area: Area | None = None,
        **options: Any,
    ) -> TopoLayer:
        """Read a BD TOPO theme (a Shapefile, or a GeoPackage ``layer``), only the features that
        meet ``area`` when one is given. ``theme`` overrides what the file's name or fields say."""
        path = Path(path)
        if theme is not None and theme not in THEMES:
            raise InputError(
                path, "no such topographic theme", field=theme, hint=f"one of {', '.join(THEMES)}"
            )
        if is_osm_path(path):
            return cls._load_osm(path, name=name, theme=theme, area=area, **options)
        data = read_vector(path, layer=layer, crs=crs, encoding=options.get("encoding"), area=area)
        source = data.frame
        found = theme or theme_of(path, data.layer or layer, [str(c) for c in source.columns])
        if found is None:
            raise InputError(
                path,
                "is not a theme of a reference map (BD TOPO)",
                hint=f"name the theme with the theme option: {', '.join(THEMES)}",
            )
        frame = topographic_frame(source, found)
        frame.insert(0, "feature_index", source.index.to_numpy(dtype=np.int64))
        frame = frame.reset_index(drop=True)
        self = cls(name or path.stem, frame, found, source=path, crs=data.crs)
        self.attribution = BDTOPO_ATTRIBUTION  # the themes and fields read are BD TOPO's
        skipped = {reason: int(len(rows)) for reason, rows in data.skipped.items() if len(rows)}
        self._account(int(data.features_read or len(source)), skipped, int(data.outside))
        self.warnings.extend(data.warnings)
        self.options = saved_options(crs=crs, layer=layer, theme=theme, **options)
        self.apply_style(options.get("style") or {})
        return self

    @classmethod
    def _load_osm(
        cls, path: Path, *, name: str | None, theme: str | None, area: Area | None, **options: Any
    ) -> TopoLayer:
        """One theme of an OpenStreetMap extract (:mod:`layers.io.osm`); the extract's features of
        other themes are counted as dropped with that reason."""
        if theme is None:
            raise InputError(
                path,
                "an OpenStreetMap extract holds every theme: say which one this layer shows",
                field="theme",
                hint=f"one of {', '.join(THEMES)}",
            )
        frame = read_osm_theme(path, theme, area)
        features_in, dropped = osm_theme_accounting(path, theme, area)
        self = cls.from_frame(
            frame,
            theme,
            name=name or f"{osm_name(path)} · {theme}",
            source=path,
            crs=CRS.from_user_input(frame.crs) if frame.crs is not None else CRS.from_epsg(4326),
            features_in=features_in,
            dropped_reasons=dropped,
        )
        self.attribution = OSM_ATTRIBUTION
        self.options = saved_options(theme=theme, **options)
        self.apply_style(options.get("style") or {})
        return self

    def _account(self, features_in: int | None, dropped: dict[str, int], outside: int) -> None:
        """Fill :attr:`stats`: every feature shown or dropped with a reason."""
        types = shapely.get_type_id(self._geoms())
        empty = shapely.is_empty(self._geoms()) | shapely.is_missing(self._geoms())
        points = np.isin(types, POINT_TYPES) & ~empty
        polygons = np.flatnonzero(np.isin(types, POLYGON_TYPES) & ~empty)
        _, _, _, no_area = polygon_parts(self._geoms()[polygons])
        lines = np.isin(types, LINE_TYPES) & ~empty
        other = ~empty & ~points & ~lines & ~np.isin(types, POLYGON_TYPES)
        for reason, count in (
            (EMPTY, int(empty.sum())),
            (POINTS_NOT_DRAWN, int(points.sum())),
            (OTHER_GEOMETRY, int(other.sum())),
        ):
            if count:
                dropped[reason] = dropped.get(reason, 0) + count
        if no_area.any():
            dropped[NO_AREA] = dropped.get(NO_AREA, 0) + int(no_area.sum())
        shown = int(lines.sum()) + len(polygons) - int(no_area.sum())
        self.stats = {
            "features_in": int(features_in if features_in is not None else len(self.frame)),
            "features": shown,
            "dropped": int(sum(dropped.values())),
            "dropped_reasons": dropped,
            "widths_defaulted": int((lines & ~np.isfinite(self.frame["width_m"].to_numpy(float))).sum()),
            "outside_area": outside,
        }

    # -- geometry ----------------------------------------------------------------------------
    def _geoms(self) -> np.ndarray:
        return np.asarray(self.frame.geometry.values, dtype=object)

    def triangles(self) -> geometry.Triangles:
        """The polygons triangulated (2D, CRS units); ``owner`` = row of :attr:`frame`."""
        return polygons_triangulated(self._geoms())

    def lines(self) -> geometry.Polylines:
        """The line features as 2D polylines; ``owner`` = row of :attr:`frame`."""
        return lines_of(self._geoms())

    def widths_m(self) -> np.ndarray:
        """(n,) width of each row on the ground, metres: the data's, else the default of its
        category (:func:`layers.topo.palette.default_width_m`)."""
        width = self.frame["width_m"].to_numpy(dtype=np.float64, na_value=np.nan).copy()
        missing = ~np.isfinite(width)
        if missing.any():
            categories = self.categories()
            width[missing] = [default_width_m(self.theme, c) for c in categories[missing]]
        return width

    def categories(self) -> np.ndarray:
        """(n,) object: the category of each row, lower case (``""`` when unknown)."""
        return self.frame["category"].astype("string").fillna("").to_numpy(dtype=object)

    # -- the contract ------------------------------------------------------------------------
    def attributes(self, index: int) -> dict[str, object]:
        row = self.frame.iloc[int(index)]
        geometry_column = str(self.frame.geometry.name)
        return {str(k): jsonable(v) for k, v in row.items() if k != geometry_column}

    def feature_count(self) -> int:
        return len(self.frame)

    def bounds(self) -> Bounds:
        xmin, ymin, xmax, ymax = (float(v) for v in self.frame.total_bounds)
        return xmin, ymin, xmax, ymax

    def reproject(self, crs: CRS) -> None:
        self.frame = self.frame.to_crs(crs)
        self.crs = crs

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info["theme"] = self.theme
        info.update(self.stats)
        counts = self.frame["category"].astype("string").fillna("").value_counts()
        info["categories"] = {str(k) or "(none)": int(v) for k, v in counts.items()}
        info["fields"] = [
            str(c)
            for c in self.frame.columns
            if c not in ("feature_index", *FRAME_COLUMNS, self.frame.geometry.name)
        ]
        return info
