"""The part of the world a model covers: a commune's outline or a box, in a CRS.

A model made from open-data downloads (``maquette new``) covers one place. Files usually cover more
(a département's BD TOPO, a city's tree inventory): every reader given an :class:`Area` reads only
the features that meet it (through the file's spatial index where it has one, see
:func:`layers.io.vector_file.read_vector`) and rasters only the window over it. The project keeps
the area (``"area"`` in the document), so reopening it reads the same part again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.errors import InputError

#: (xmin, ymin, xmax, ymax) in the area's CRS
AreaBounds = tuple[float, float, float, float]


@dataclass(frozen=True)
class Area:
    """A polygon (a commune's outline, or a box) in ``crs``.

    Attributes
    ----------
    outline
        A shapely Polygon or MultiPolygon, coordinates in ``crs``.
    crs
        The CRS of ``outline`` (the scene's, usually metric and projected).
    name
        What to call it in messages ("Redon"); ``None`` for a box.
    code
        The commune's INSEE code ("35236") when the area is a commune.
    """

    outline: shapely.Geometry
    crs: CRS
    name: str | None = None
    code: str | None = None

    @classmethod
    def from_bbox(cls, bounds: AreaBounds, crs: CRS | str, *, name: str | None = None) -> Area:
        """A box ``(xmin, ymin, xmax, ymax)`` in ``crs``; refused when empty or inverted."""
        xmin, ymin, xmax, ymax = (float(v) for v in bounds)
        if not (xmin < xmax and ymin < ymax):
            raise ValueError(f"the box {bounds} is empty: expected xmin < xmax and ymin < ymax")
        return cls(shapely.box(xmin, ymin, xmax, ymax), _crs(crs), name=name)

    @property
    def bounds(self) -> AreaBounds:
        """``(xmin, ymin, xmax, ymax)`` of the outline, in :attr:`crs`."""
        xmin, ymin, xmax, ymax = (float(v) for v in shapely.bounds(self.outline))
        return xmin, ymin, xmax, ymax

    @property
    def label(self) -> str:
        """The area as a user reads it: its name, else its box rounded to the metre."""
        if self.name:
            return self.name
        digits = 5 if self.crs.is_geographic else 0
        xmin, ymin, xmax, ymax = (f"{v:.{digits}f}" for v in self.bounds)
        return f"the box {xmin}, {ymin}, {xmax}, {ymax} ({crs_util.label(self.crs)})"

    def in_crs(self, crs: CRS | str | None) -> Area:
        """The same area in ``crs`` (densified, so long straight sides stay right when reprojected);
        ``self`` when ``crs`` is ``None`` or already this one."""
        if crs is None:
            return self
        target = _crs(crs)
        if target.equals(self.crs):
            return self
        transformer = crs_util.transformer(self.crs, target)
        xmin, ymin, xmax, ymax = self.bounds
        step = max(xmax - xmin, ymax - ymin) / 64.0
        dense = shapely.segmentize(self.outline, step) if step > 0 else self.outline
        moved = shapely.transform(dense, lambda xy: _transform(transformer, xy))
        return Area(shapely.make_valid(moved), target, name=self.name, code=self.code)

    @property
    def _grid_size(self) -> float:
        """Coordinates kept to the centimetre (about 1e-7 degree) in a project."""
        return 1e-7 if self.crs.is_geographic else 0.01

    def to_dict(self) -> dict[str, Any]:
        """The JSON form kept in a project: ``crs``, ``outline`` (a GeoJSON geometry), and the name
        and code when known."""
        data: dict[str, Any] = {
            "crs": self.crs.to_string(),
            "outline": json.loads(shapely.to_geojson(shapely.set_precision(self.outline, self._grid_size))),
        }
        if self.name:
            data["name"] = self.name
        if self.code:
            data["code"] = self.code
        return data

    @classmethod
    def from_dict(cls, data: object, *, source: str | Path | None = None) -> Area:
        """The area of a project document; an :class:`InputError` naming the field when it is wrong."""
        if not isinstance(data, dict):
            raise InputError(source, "the area must be an object with crs and outline", field="area")
        try:
            crs = crs_util.parse_crs(data.get("crs"))
        except (InputError, ValueError, TypeError):
            raise InputError(
                source, f"the area's crs {data.get('crs')!r} is not a CRS", field="area.crs"
            ) from None
        try:
            outline = shapely.from_geojson(json.dumps(data.get("outline")))
        except (shapely.errors.GEOSException, TypeError, ValueError):
            outline = None
        if outline is None or shapely.get_type_id(outline) not in (3, 6) or shapely.is_empty(outline):
            raise InputError(
                source, "the area's outline must be a GeoJSON Polygon or MultiPolygon", field="area.outline"
            )
        name = data.get("name")
        code = data.get("code")
        return cls(
            shapely.make_valid(outline),
            crs,
            name=str(name) if name else None,
            code=str(code) if code else None,
        )


def _crs(value: CRS | str) -> CRS:
    return value if isinstance(value, CRS) else crs_util.parse_crs(value)


def _transform(transformer: Any, xy: Any) -> Any:
    import numpy as np

    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])
