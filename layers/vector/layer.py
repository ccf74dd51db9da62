"""Flat vector layers: land use, parks, water, ground types (polygons, lines or points, no height).

:class:`VectorLayer` reads any vector file (:func:`layers.io.read_vector`) and gives the viewer flat
triangles for its polygons, polylines for its lines and an array of points, each mapped back to the
row of :attr:`VectorLayer.frame` it came from. A ``category_field`` (``type``, ``nature``,
``SURF_CAT``, ``class``...) is guessed for colouring (:mod:`layers.vector.attributes`, shared with
the buildings and streets); the display options are a :class:`~layers.vector.style.VectorStyle`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from layers.core import geometry
from layers.core.area import Area
from layers.core.base import Bounds, Layer
from layers.core.errors import InputError
from layers.io import read_vector
from layers.vector.attributes import ColumnKind, column_kinds, column_values, guess_category_field, jsonable
from layers.vector.options import saved_options
from layers.vector.style import VectorStyle

POLYGON_TYPES = (3, 6)  # Polygon, MultiPolygon
LINE_TYPES = (1, 2, 5)  # LineString, LinearRing, MultiLineString
POINT_TYPES = (0, 4)  # Point, MultiPoint


def polygons_triangulated(geoms: np.ndarray) -> geometry.Triangles:
    """The polygons among ``geoms`` (a layer's features, any geometry types) triangulated in 2D;
    ``owner`` = position in ``geoms``."""
    rows = np.flatnonzero(np.isin(shapely.get_type_id(geoms), POLYGON_TYPES))
    parts, owner, _, _ = polygon_parts(geoms[rows])
    tri = geometry.triangulate_polygons(parts)
    return geometry.Triangles(tri.points, tri.triangles, rows[owner[tri.owner]])


def lines_of(geoms: np.ndarray) -> geometry.Polylines:
    """The lines among ``geoms`` as 2D polylines; ``owner`` = position in ``geoms``."""
    rows = np.flatnonzero(np.isin(shapely.get_type_id(geoms), LINE_TYPES))
    lines = geometry.line_arrays(shapely.force_2d(geoms[rows]))
    return geometry.Polylines(lines.points, lines.offsets, rows[lines.owner])


def polygon_parts(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Valid 2D Polygon parts of (Multi)Polygon geometries, vectorised.

    Invalid geometries are repaired with ``shapely.make_valid`` (polygonal parts kept, holes kept),
    multi-parts and collections split, zero-area parts dropped, rings oriented (exteriors
    counter-clockwise seen from above, holes clockwise).

    Returns
    -------
    parts
        (k,) Polygons, grouped by source in source order.
    owner
        (k,) int64 index of each part's source geometry.
    repaired
        (n,) bool: the source was invalid and was repaired (and kept some area).
    dropped
        (n,) bool: nothing of the source was left (zero area, not polygonal, empty).
    """
    geoms = shapely.force_2d(np.asarray(geoms, dtype=object))
    n = len(geoms)
    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    fixed = geoms.copy()
    if invalid.any():
        fixed[invalid] = shapely.make_valid(geoms[invalid])
    parts, owner = shapely.get_parts(fixed, return_index=True)
    while True:  # make_valid may nest a MultiPolygon inside a GeometryCollection
        multi = np.isin(shapely.get_type_id(parts), (4, 5, 6, 7))
        if not multi.any():
            break
        sub, sub_index = shapely.get_parts(parts[multi], return_index=True)
        parts = np.concatenate([parts[~multi], sub])
        owner = np.concatenate([owner[~multi], owner[multi][sub_index]])
    keep = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)
    parts, owner = parts[keep], owner[keep]
    order = np.argsort(owner, kind="stable")
    parts, owner = shapely.orient_polygons(parts[order]), owner[order].astype(np.int64)
    dropped = np.bincount(owner, minlength=n) == 0
    return parts, owner, invalid & ~dropped, dropped


class VectorLayer(Layer[VectorStyle]):
    """Flat features without height, drawn on the ground.

    Attributes
    ----------
    frame
        GeoDataFrame, one row per source feature (index reset; the source position is kept in
        ``feature_index``), in :attr:`crs` (the scene CRS after :meth:`reproject`, metres).
    category_field
        The text column used for colours by default, or ``None``.
    """

    kind = "vector"
    style_class = VectorStyle

    def __init__(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        *,
        source: str | Path | None = None,
        crs: CRS | None = None,
        category_field: str | None = None,
    ) -> None:
        super().__init__(name, source=source, crs=crs if crs is not None else frame.crs)
        self.frame: gpd.GeoDataFrame = frame
        self.category_field: str | None = category_field
        #: every feature read, shown or ``dropped_reasons`` ``{reason: count}`` (no geometry...), and
        #: ``outside_area`` (features of the file beyond the area, not read)
        self.stats: dict[str, Any] = {
            "outside_area": 0,
            "features_in": len(frame),
            "dropped": 0,
            "dropped_reasons": {},
        }

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        crs: object | None = None,
        category_field: str | None = None,
        layer: str | None = None,
        area: Area | None = None,
        **options: Any,
    ) -> VectorLayer:
        """Read ``path``; ``category_field`` overrides the guess (``""``: no categories, one colour),
        ``layer`` picks a GeoPackage layer, ``area`` reads only the features that meet it."""
        path = Path(path)
        data = read_vector(path, layer=layer, crs=crs, encoding=options.get("encoding"), area=area)
        frame = data.frame.copy()
        frame.insert(0, "feature_index", frame.index.to_numpy(dtype=np.int64))
        frame = frame.reset_index(drop=True)
        if category_field and category_field not in frame.columns:
            raise InputError(
                path,
                "no such field",
                field=category_field,
                hint=f"fields: {', '.join(map(str, frame.columns[1:-1]))}",
            )
        if category_field == "":  # asked for: every feature in the style's one colour (water, woods...)
            chosen: str | None = None
        else:
            chosen = category_field or guess_category_field(frame.drop(columns="feature_index"))
        self = cls(name or path.stem, frame, source=path, crs=data.crs, category_field=chosen)
        self.warnings.extend(data.warnings)
        left_out = {reason: len(rows) for reason, rows in data.skipped.items() if len(rows)}
        self.stats = {
            "outside_area": data.outside,
            "features_in": len(frame) + sum(left_out.values()),
            "dropped": sum(left_out.values()),
            "dropped_reasons": left_out,
        }
        self.options = saved_options(crs=crs, category_field=category_field, layer=layer, **options)
        self.apply_style(options.get("style") or {})
        return self

    # -- geometry --------------------------------------------------------------------------
    def _geoms(self) -> np.ndarray:
        return np.asarray(self.frame.geometry.values, dtype=object)

    def _of_types(self, types: tuple[int, ...]) -> np.ndarray:
        return np.flatnonzero(np.isin(shapely.get_type_id(self._geoms()), types))

    def triangles(self) -> geometry.Triangles:
        """The polygons triangulated (2D, CRS units); ``owner`` = row of :attr:`frame`."""
        return polygons_triangulated(self._geoms())

    def outlines(self) -> geometry.Polylines:
        """The polygons' rings (exteriors and holes) as closed polylines; ``owner`` = row."""
        rows = self._of_types(POLYGON_TYPES)
        rings = geometry.polygon_rings(shapely.force_2d(self._geoms()[rows]))
        return geometry.Polylines(rings.points, rings.offsets, rows[rings.owner])

    def lines(self) -> geometry.Polylines:
        """The line features as 2D polylines; ``owner`` = row of :attr:`frame`."""
        return lines_of(self._geoms())

    def points(self) -> np.ndarray:
        """(k, 2) coordinates of the point features (multi-points give several)."""
        return self.points_with_owner()[0]

    def points_with_owner(self) -> tuple[np.ndarray, np.ndarray]:
        """(k, 2) point coordinates and the (k,) row of :attr:`frame` each belongs to."""
        rows = self._of_types(POINT_TYPES)
        xy, index = shapely.get_coordinates(self._geoms()[rows], return_index=True)
        return xy, rows[index].astype(np.int64)

    # -- colours and attributes --------------------------------------------------------------
    def color_fields(self) -> dict[str, ColumnKind]:
        """``{field: "numeric" | "categorical"}`` usable to colour the features."""
        return column_kinds(self.frame, skip={"feature_index"})

    def values(self, field: str) -> np.ndarray:
        """(n,) values of ``field``: float64 with NaN, or object with ``None``."""
        return column_values(self.frame, field)

    def unit(self, field: str) -> str:
        return ""

    def attributes(self, index: int) -> dict[str, object]:
        """The source attributes of row ``index`` (JSON-ready), geometry type included."""
        row = self.frame.iloc[int(index)]
        geometry_column = str(self.frame.geometry.name)
        out = {str(k): jsonable(v) for k, v in row.items() if k != geometry_column}
        out["geometry_type"] = row[geometry_column].geom_type
        return out

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
        types = shapely.get_type_id(self._geoms())
        info["geometry"] = {
            "polygons": int(np.isin(types, POLYGON_TYPES).sum()),
            "lines": int(np.isin(types, LINE_TYPES).sum()),
            "points": int(np.isin(types, POINT_TYPES).sum()),
        }
        info["category_field"] = self.category_field
        info["fields"] = [
            str(c) for c in self.frame.columns if c not in ("feature_index", self.frame.geometry.name)
        ]
        return info
