"""Terrain: a digital elevation model (DEM, "MNT") read from a GeoTIFF, heights in metres.

Besides being drawn, the terrain seats other layers: :meth:`TerrainLayer.height_at` gives the
ground height under any points (bilinear, NaN outside), which the buildings use for their base.

A DEM without a declared nodata value keeps every pixel (the Lyon MNT has none and no hole), except
for the sentinels some producers write without declaring them (-9999, -32768...), which become
nodata with a warning. Elevations in feet are converted to metres.

Several tiles of one product (LiDAR HD's 1 km tiles) open as one layer: the ``tiles`` option lists
the others, relative to the folder of the first (the layer's source), and :meth:`TerrainLayer.from_tiles`
reads them as one mosaic (:mod:`layers.terrain.mosaic`); ``area`` reads only the window over it. A
surface model (MNS/DSM) is a terrain drawn as it is: roofs and tree tops included, said in its
description (:mod:`layers.terrain.products`).

A DEM given as points (a GeoJSON / shapefile / CSV of spot heights, such as the NoiseModelling
``dem.geojson`` of Lorient: Z coordinates or a ``height`` / ``altitude`` field) is interpolated
linearly (Delaunay, scipy) onto a grid twice as fine as the points' spacing, NaN outside their hull.

The display options are a :class:`~layers.terrain.style.TerrainStyle`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np

from layers.core.errors import InputError
from layers.core.palettes import TERRAIN, ColormapSpec
from layers.io.grid import Grid
from layers.io.raster_file import MAX_PIXELS, RasterSource
from layers.raster.grid_layer import GridLayer
from layers.terrain.mosaic import layer_from_tiles
from layers.terrain.products import SURFACE, product_of
from layers.terrain.products import TERRAIN as TERRAIN_MODEL
from layers.terrain.style import TerrainStyle

if TYPE_CHECKING:
    from layers.core.area import Area

#: vector files read as spot heights
POINT_SUFFIXES = {".geojson", ".json", ".shp", ".gpkg", ".fgb", ".csv", ".parquet", ".zip"}
#: fields holding a spot height, in order of preference (matched ignoring case)
ELEVATION_FIELDS = ("altitude", "alti", "elevation", "elev", "height", "z", "hauteur", "h", "zsol", "z_sol")
#: largest interpolated grid side, cells
MAX_GRID_SIDE = 2000

#: values that mean "no data" in DEMs that do not declare it
SENTINELS = (-9999.0, -99999.0, -32768.0, -32767.0, 9999.0, -3.4028234663852886e38)
_FEET = re.compile(r"^(ft|feet|foot|us[-_ ]?ft|us survey foot)$", re.I)
FOOT_M = 0.3048


class TerrainLayer(GridLayer[TerrainStyle]):
    """A DEM (kind ``terrain``): ground heights in metres on a north-up grid.

    Attributes
    ----------
    grid
        The DEM (:class:`~layers.io.grid.Grid`, never a colour image) in :attr:`crs` (the scene CRS
        after :meth:`reproject`): ``values`` are ground heights in metres, NaN = nodata; also
        :attr:`dem` (typed as always there) and :attr:`heights_m`.
    point_count
        How many spot heights were interpolated, for a DEM given as points; ``None`` for a raster.
    """

    kind: ClassVar[str] = "terrain"
    style_class = TerrainStyle
    default_unit: ClassVar[str | None] = "m"
    accepts_images: ClassVar[bool] = False
    what: ClassVar[str] = "elevations"
    default_palette: ClassVar[ColormapSpec] = TERRAIN
    point_count: int | None = None
    #: what the file name says the model is (:mod:`layers.terrain.products`): a terrain model,
    #: a surface model (roofs and tree tops included) or ``None``
    product: str | None = None

    @classmethod
    def load(
        cls, path: str | Path, *, name: str | None = None, crs: object | None = None, **options: Any
    ) -> TerrainLayer:
        """Read a DEM raster, or spot heights from a vector file (interpolated onto a grid)."""
        path = Path(path)
        area = options.pop("area", None)
        if path.suffix.lower() in POINT_SUFFIXES:
            return cls.from_points(path, name=name, crs=crs, area=area, **options)
        tiles = options.pop("tiles", None)
        if tiles or area is not None:
            return cls.from_tiles(path, tiles or [], name=name, area=area, crs=crs, **options)
        layer = super().load(path, name=name, crs=crs, **options)
        assert isinstance(layer, TerrainLayer)  # GridLayer.load builds ``cls``
        layer.product = product_of(path.stem)
        return layer

    @classmethod
    def from_tiles(
        cls,
        path: Path,
        tiles: list[str] | tuple[str, ...],
        *,
        name: str | None = None,
        area: Area | None = None,
        style: Mapping[str, Any] | None = None,
        max_pixels: int = MAX_PIXELS,
        crs: object | None = None,
        **options: Any,
    ) -> Self:
        """``path`` and the other ``tiles`` of its product as one mosaic (:mod:`layers.terrain.mosaic`);
        ``tiles`` are paths relative to the folder of ``path`` (as the project keeps them) or absolute.
        With ``area``, only the window over it is read."""
        layer = layer_from_tiles(
            cls,
            path,
            tiles,
            name=name,
            area=area,
            style=style,
            max_pixels=max_pixels,
            crs=crs,
            options=options,
        )
        layer.product = product_of(path.stem)
        layer._loaded(path, **options)
        return layer

    @classmethod
    def from_points(
        cls,
        path: Path,
        *,
        name: str | None = None,
        crs: object | None = None,
        area: Area | None = None,
        **options: Any,
    ) -> TerrainLayer:
        """Spot heights (Z, or an elevation field) interpolated linearly onto a regular grid."""
        import shapely
        from scipy.interpolate import LinearNDInterpolator

        from layers.io import read_vector

        data = read_vector(path, crs=crs, area=area)
        frame = data.frame
        geoms = np.asarray(frame.geometry.values)
        points, index = shapely.get_coordinates(geoms, include_z=True, return_index=True)
        is_point = np.isin(shapely.get_type_id(geoms), (0, 4))[index]
        field = next((c for want in ELEVATION_FIELDS for c in frame.columns if str(c).lower() == want), None)
        if field is not None:
            from layers.vector.attributes import numeric_values

            z = numeric_values(frame[field])[index]
            source = f"field {field}"
        elif data.has_z:
            z = points[:, 2]
            source = "Z"
        else:
            raise InputError(
                path,
                "has no elevations: expected Z coordinates or a field such as altitude or height",
                hint="a DEM is a GeoTIFF or points with heights",
            )
        keep = is_point & np.isfinite(z) & np.isfinite(points[:, :2]).all(axis=1)
        xy, z = points[keep, :2], z[keep]
        if len(z) < 3:
            raise InputError(path, f"has {len(z)} usable spot heights; a terrain needs at least 3 points")
        xmin, ymin = xy.min(axis=0)
        xmax, ymax = xy.max(axis=0)
        hull = float(shapely.area(shapely.convex_hull(shapely.multipoints(xy))))
        spacing = float(np.sqrt(hull / len(z))) if hull > 0 else 1.0
        cell = max(spacing / 2.0, (xmax - xmin) / MAX_GRID_SIDE, (ymax - ymin) / MAX_GRID_SIDE, 0.5)
        cols = max(int(np.ceil((xmax - xmin) / cell)), 1)
        rows = max(int(np.ceil((ymax - ymin) / cell)), 1)
        xs = xmin + (np.arange(cols) + 0.5) * cell
        ys = ymax - (np.arange(rows) + 0.5) * cell
        gx, gy = np.meshgrid(xs, ys)
        try:
            values = LinearNDInterpolator(xy, z)(gx, gy)
        except Exception as exc:  # noqa: BLE001 - Qhull fails on collinear points
            raise InputError(
                path,
                "its spot heights cannot be interpolated "
                f"({' '.join(str(exc).split()[:8])}): are they all on a line?",
            ) from None
        grid = Grid(
            values=values.astype(np.float32), x0=float(xmin), y0=float(ymax), dx=cell, dy=cell, crs=data.crs
        )
        layer = cls(
            name or path.stem,
            grid,
            source=path,
            unit="m",
            source_info=RasterSource(dtype="float32", file_crs=str(data.crs)),
        )
        layer.warnings.extend(data.warnings)
        layer.warnings.append(f"{len(z)} spot heights ({source}) interpolated onto a {cell:.1f} m grid")
        layer.point_count = int(len(z))
        layer.options = {k: v for k, v in {"crs": crs, **options}.items() if v is not None}
        layer._loaded(path, **options)
        return layer

    @property
    def surface_model(self) -> bool:
        """True for a surface model (MNS/DSM: roofs and tree tops), which is the scene's ground only
        when there is no terrain model (:meth:`layers.core.scene.Scene.terrain`)."""
        return self.product == SURFACE

    @property
    def tile_count(self) -> int:
        """Files read into the grid (several: a mosaic, :meth:`from_tiles`)."""
        return 1 + len(self.options.get("tiles") or ())

    @property
    def dem(self) -> Grid:
        """The grid of ground heights (a terrain always has one)."""
        if self.grid is None:
            raise ValueError(f"{self.name}: the terrain has no grid")
        return self.grid

    @property
    def heights_m(self) -> np.ndarray:
        """(rows, cols) float32 ground heights of the grid, metres, NaN = nodata."""
        values = self.dem.values
        if values is None:  # a DEM refuses colour images when it is read
            raise ValueError(f"{self.name}: a terrain holds heights, not colours")
        return values

    def _loaded(self, path: Path, **options: Any) -> None:
        values = self.heights_m
        if self.source_info.nodata is None:
            sentinel = np.isin(values, np.array(SENTINELS, dtype=np.float32)) | (np.abs(values) > 1e30)
            if sentinel.any():
                values[sentinel] = np.nan
                self.warnings.append(
                    f"{int(sentinel.sum())} pixels with an undeclared nodata value (e.g. -9999) left out"
                )
        if self.unit and _FEET.match(self.unit.strip()):
            values *= np.float32(FOOT_M)
            self.warnings.append("elevations in feet converted to metres")
        self.unit = "m"
        self._range_cache = None

    def height_at(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        """Ground height in metres under points (x, y) in :attr:`crs` (bilinear; NaN outside)."""
        return self.dem.sample(x, y, method="bilinear")

    def elevation_range(self) -> tuple[float, float] | None:
        """(lowest, highest) ground height in metres; ``None`` when no pixel has data."""
        values = self.heights_m
        if not np.isfinite(values).any():
            return None
        return float(np.nanmin(values)), float(np.nanmax(values))

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        rng = self.elevation_range()
        if rng is not None:
            info["elevation_range_m"] = [round(rng[0], 2), round(rng[1], 2)]
        if self.tile_count > 1:
            info["tiles"] = self.tile_count
        if self.product == SURFACE:
            info["product"] = (
                "surface model (MNS/DSM): the altitude of the first surface seen from above, "
                "buildings and trees included; drawn as it is"
            )
        elif self.product == TERRAIN_MODEL:
            info["product"] = "terrain model (MNT/DTM): the bare ground"
        return info
