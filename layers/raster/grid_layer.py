"""The base of every layer holding a grid of values: raster, noise, heat, sunlight (and terrain).

:class:`GridLayer` is generic in its kind's style. It holds a :class:`~layers.io.grid.Grid` read by
:mod:`layers.io.raster_file`, the unit of its values and what the file declared, and answers what
the viewer, the inspector and the exports ask of any raster: bounds, the value under a point, the
colour scale, the values to write. A 3- or 4-band 8-bit file (or a paletted one) is a *rendered
colour image* (a map someone already coloured): kinds whose values are measurements
(:attr:`GridLayer.accepts_images` False) refuse it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.area import Area
from layers.core.base import Bounds, Layer, StyleT
from layers.core.palettes import SEQUENTIAL_DEFAULT, ColormapSpec, sequential_limits
from layers.core.style import ColourScaleStyle
from layers.io.grid import Grid
from layers.io.ign_names import ign_credit
from layers.io.raster_file import MAX_PIXELS, RasterSource, read_grid, unit_from_tags, warp_grid


@dataclass(frozen=True)
class ColourScale:
    """How values are coloured: a colour map ``cmap`` (matplotlib / VTK name) stretched over
    ``limits`` (low, high), in the layer's unit."""

    cmap: str
    limits: tuple[float, float]


class GridLayer(Layer[StyleT]):
    """A layer of values on a north-up grid (or a colour image), typed by its kind's style.

    Attributes
    ----------
    grid
        The :class:`Grid`, in :attr:`crs` (the scene CRS after :meth:`reproject`); ``None`` only for
        a noise map of isophone zones (:class:`layers.noise.layer.NoiseLayer`).
    unit
        Unit of the values (``"dB(A)"``, ``"°C"``, ``"h"``...) from the file's ``UNIT`` tag, the
        band's unit or the ``unit`` option; ``None`` when unknown or for an image.
    source_info
        What the file declared (:class:`RasterSource`).
    palette
        The colour map of the values when the style sets none (an image keeps its own colours):
        the kind's :attr:`default_palette`, or one chosen by what the values are.
    """

    #: unit when the file says none
    default_unit: ClassVar[str | None] = None
    #: False for kinds whose values are measurements (a colour image is refused)
    accepts_images: ClassVar[bool] = True
    #: what the values are, for messages
    what: ClassVar[str] = "values"
    #: the colour map of the kind's values
    default_palette: ClassVar[ColormapSpec] = SEQUENTIAL_DEFAULT

    def __init__(
        self,
        name: str,
        grid: Grid | None,
        *,
        crs: CRS | None = None,
        source: str | Path | None = None,
        unit: str | None = None,
        source_info: RasterSource | None = None,
        style: StyleT | Mapping[str, Any] | None = None,
        attribution: str | None = None,
    ) -> None:
        super().__init__(
            name,
            source=source,
            crs=grid.crs if grid is not None else crs,
            style=style,
            attribution=attribution,
        )
        self.grid: Grid | None = grid
        self.unit: str | None = None if grid is not None and grid.is_image else (unit or self.default_unit)
        self.source_info: RasterSource = source_info or RasterSource()
        self._range_cache: tuple[float, float] | None = None

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        crs: object | None = None,
        band: int = 1,
        unit: str | None = None,
        style: Mapping[str, Any] | None = None,
        attribution: str | None = None,
        max_pixels: int = MAX_PIXELS,
        area: Area | None = None,
        **options: Any,
    ) -> Self:
        """Read ``path`` (see :func:`read_grid`; only the window over ``area`` when given);
        ``unit`` overrides the file's ``UNIT`` tag."""
        path = Path(path)
        grid, info, warnings = read_grid(
            path,
            band=band,
            crs=crs,
            allow_image=cls.accepts_images,
            what=cls.what,
            max_pixels=max_pixels,
            area=area,
        )
        if crs is None and grid.crs is not None:
            from layers.raster.known_crs import recognised

            known = recognised(grid.crs)
            if known is not None:  # the same projection written as an odd WKT (IGN's tools)
                warnings.append(
                    f"its CRS, a WKT naming no EPSG code, is the projection of {crs_util.label(known)} "
                    f"({known.name}): read as such"
                )
                grid = replace(grid, crs=known)
        layer = cls(
            name or path.stem,
            grid,
            source=path,
            unit=unit or unit_from_tags(info.tags),
            source_info=info,
            style=style,
            attribution=attribution or ign_credit(path),
        )
        layer.warnings.extend(warnings)
        layer.options = {key: value for key, value in options.items() if value is not None}
        if crs is not None and grid.crs is not None:
            layer.options["crs"] = crs_util.label(grid.crs) if grid.crs.to_epsg() else grid.crs.to_wkt()
        if band != 1:
            layer.options["band"] = band
        if unit is not None:
            layer.options["unit"] = unit
        layer._loaded(path, **options)
        return layer

    def _loaded(self, path: Path, **options: Any) -> None:
        """Hook for kinds: finish reading (quantity, indicator, unit conversion...)."""

    # -- the grid ------------------------------------------------------------------------------
    def require_grid(self) -> Grid:
        """:attr:`grid`; :class:`ValueError` for a layer without one (isophone zones)."""
        if self.grid is None:
            raise ValueError(f"layer {self.name!r} holds no grid")
        return self.grid

    def grid_values(self) -> np.ndarray:
        """(rows, cols) float32 values of :attr:`grid` (NaN = no data); :class:`ValueError` for a
        colour image or a layer without a grid."""
        values = self.require_grid().values
        if values is None:
            raise ValueError(f"layer {self.name!r} is a colour image: it holds no values")
        return values

    # -- geometry ----------------------------------------------------------------------------
    def bounds(self) -> Bounds:
        return self.require_grid().bounds()

    def reproject(self, crs: CRS) -> None:
        """Warp the grid into ``crs`` (bilinear for values, nearest for colours), north-up."""
        crs = crs_util.parse_crs(crs)
        self.grid = warp_grid(self.require_grid(), crs)
        self.crs = crs
        self._range_cache = None

    def resolution_m(self) -> tuple[float, float]:
        """Pixel width and height in metres (approximate for a geographic CRS)."""
        grid = self.require_grid()
        if grid.crs is not None and grid.crs.is_geographic:
            lat = math.radians((grid.bounds()[1] + grid.bounds()[3]) / 2)
            return grid.dx * 111_320.0 * math.cos(lat), grid.dy * 110_574.0
        return grid.dx, grid.dy

    # -- values and colours --------------------------------------------------------------------
    @property
    def palette(self) -> ColormapSpec:
        """The colour map of the values when the style names none."""
        return self.default_palette

    def value_range(self) -> tuple[float, float] | None:
        """Robust (2nd, 98th percentile) range of the values; ``None`` for an image or no data."""
        if self.grid is None or self.grid.values is None:
            return None
        if self._range_cache is None:
            self._range_cache = sequential_limits(self.grid.values)
        return self._range_cache

    def color_limits(self) -> tuple[float, float] | None:
        """(vmin, vmax) of the colour map; the robust :meth:`value_range` unless a kind says otherwise."""
        return self.value_range()

    def colour_scale(self) -> ColourScale:
        """The colour map and limits the values are drawn with: the style's ``cmap`` / ``clim``
        where set (:class:`ColourScaleStyle`), else :attr:`palette` and :meth:`color_limits`."""
        style = self.style
        clim, cmap = (style.clim, style.cmap) if isinstance(style, ColourScaleStyle) else (None, None)
        return ColourScale(cmap or self.palette.name, clim or self.color_limits() or (0.0, 1.0))

    @property
    def display_quantity(self) -> str | None:
        """What the values shown are, for legends and exports (``"air temperature"``...);
        ``None`` when the kind does not say."""
        return None

    def export_values(self, t: datetime | None = None) -> np.ndarray:
        """(rows, cols) float32 values to write to a file: the grid's (a kind following the clock
        gives them at ``t`` without changing what is shown)."""
        return np.asarray(self.grid_values(), dtype=np.float32)

    def export_tags(self) -> dict[str, str]:
        """GeoTIFF tags saying what the exported values are (``QUANTITY``; a kind's own tags so
        that the file opens again as that kind), beyond the unit and the kind name."""
        quantity = self.display_quantity
        return {"QUANTITY": quantity} if quantity else {}

    # -- description -------------------------------------------------------------------------
    def feature_count(self) -> int:
        """Pixels holding data."""
        return int(self.grid.valid().sum()) if self.grid is not None else 0

    def attributes_at(self, x: float, y: float) -> dict[str, Any]:
        """What lies under the point (x, y) in :attr:`crs`, for the inspector; ``{}`` outside."""
        grid = self.grid
        if grid is None:
            return {}
        if grid.is_image:
            rgba = grid.sample(x, y)
            if np.isnan(rgba).any() or rgba[3] == 0:
                return {}
            r, g, b = (int(v) for v in rgba[:3])
            return {"color": f"#{r:02x}{g:02x}{b:02x}", "note": "colour image: colours are not measurements"}
        value = float(grid.sample(x, y))
        if math.isnan(value):
            return {}
        return {"value": value, "unit": self.unit}

    def attributes(self, index: int) -> dict[str, Any]:
        """The pixel of flat index ``index`` (row * cols + col): row, col, centre x / y, value."""
        grid = self.require_grid()
        rows, cols = grid.shape
        row, col = divmod(int(index), cols)
        if not 0 <= row < rows:
            raise IndexError(f"pixel {index} is outside the {cols} x {rows} grid")
        xs, ys = grid.cell_centers()
        info: dict[str, Any] = {"row": row, "col": col, "x": float(xs[col]), "y": float(ys[row])}
        info.update(self.attributes_at(float(xs[col]), float(ys[row])))
        return info

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        if self.grid is None:
            return info
        rows, cols = self.grid.shape
        nodata = self.source_info.nodata
        info.update(
            bands=self.source_info.band_count,
            band=None if self.grid.is_image else self.source_info.band,
            dtype=self.source_info.dtype,
            size=[cols, rows],
            resolution_m=[round(v, 3) for v in self.resolution_m()],
            nodata=None if nodata is None else ("NaN" if math.isnan(nodata) else nodata),
            unit=self.unit,
        )
        if self.grid.is_image:
            info["image"] = "colour image (RGB/RGBA): shown as is, its colours are not measurements"
        else:
            rng = self.value_range()
            info["value_range"] = None if rng is None else [round(rng[0], 3), round(rng[1], 3)]
        return info
