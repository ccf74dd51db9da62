"""Canopy: a height model (MNH / DHM / CHM: surface − terrain, metres above the ground) as vegetation.

LiDAR HD's height model holds, for every 0.5 m pixel, the height of what stands on the ground:
trees, shrubs, but also roofs. A pixel is **canopy** (trees and shrubs) when it stands at least
``style.min_height_m`` (2 m) above the ground and no building covers it: the scene's buildings are
taken out with :meth:`CanopyLayer.exclude` (the viewer does it when it draws the canopy; a study that
shades with the canopy does it through :func:`exclude_buildings`). Every pixel is accounted for in
:attr:`CanopyLayer.stats`: canopy (shown), or left out as nodata, ground (a negative height, the noise
of surface − terrain), low (grass, low plants) or under a building.

Several tiles open as one mosaic (the ``tiles`` option, as for the terrain: :mod:`layers.terrain.mosaic`);
``area`` reads only the window over it. The canopy casts shadows (:meth:`CanopyLayer.shadow_prisms`,
:mod:`layers.canopy.prisms`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np

from layers.canopy.style import CanopyStyle
from layers.core.palettes import ColormapSpec
from layers.io.raster_file import MAX_PIXELS
from layers.raster.grid_layer import GridLayer
from layers.terrain.layer import SENTINELS
from layers.terrain.mosaic import layer_from_tiles

if TYPE_CHECKING:
    from pyproj import CRS

    from layers.core.area import Area
    from layers.core.scene import Scene

#: heights of vegetation: pale to dark green
CANOPY = ColormapSpec("Greens", "sequential", "from the minimum height of vegetation to the tallest tree")

#: why a pixel is not canopy (the keys of ``dropped_reasons``)
NODATA = "nodata"
GROUND = "ground (height below 0 m)"
LOW = "low vegetation or ground (below the minimum height)"
BUILDING = "under a building"
ROOF = "flat like a roof (no building footprints)"


class CanopyLayer(GridLayer[CanopyStyle]):
    """A height model (kind ``canopy``): heights above the ground in metres on a north-up grid.

    Attributes
    ----------
    grid
        The heights (:class:`~layers.io.grid.Grid`) in :attr:`crs`, metres above the ground, NaN =
        nodata.
    stats
        Every pixel accounted for: ``features_in`` (pixels), ``features`` (canopy pixels shown),
        ``dropped`` and ``dropped_reasons`` ``{reason: pixels}``, ``canopy_area_m2``.
    """

    kind: ClassVar[str] = "canopy"
    style_class = CanopyStyle
    default_unit: ClassVar[str | None] = "m"
    accepts_images: ClassVar[bool] = False
    what: ClassVar[str] = "heights above the ground"
    default_palette: ClassVar[ColormapSpec] = CANOPY

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: pixels covered by a building (:meth:`exclude`), or None
        self._excluded: np.ndarray | None = None
        #: tall, flat and wide pixels taken for roofs while no footprints are known, or None
        self._roofs: np.ndarray | None = None
        self.stats: dict[str, Any] = {}
        if self.grid is not None and self.grid.values is not None:
            self.refresh_stats()

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        crs: object | None = None,
        style: Mapping[str, Any] | None = None,
        max_pixels: int = MAX_PIXELS,
        **options: Any,
    ) -> Self:
        """Read a height model (one file, or the ``tiles`` of a mosaic; ``area``: its window only)."""
        path = Path(path)
        area: Area | None = options.pop("area", None)
        tiles = options.pop("tiles", None)
        if tiles or area is not None:
            return layer_from_tiles(
                cls,
                path,
                tiles or [],
                name=name,
                area=area,
                style=style,
                max_pixels=max_pixels,
                crs=crs,
                options=options,
            )
        return super().load(path, name=name, crs=crs, style=style, max_pixels=max_pixels, **options)

    def _loaded(self, path: Path, **options: Any) -> None:
        values = self.heights_m
        if self.source_info.nodata is None:  # undeclared sentinels (-9999...) are not heights
            sentinel = np.isin(values, np.array(SENTINELS, dtype=np.float32)) | (np.abs(values) > 1e30)
            if sentinel.any():
                values[sentinel] = np.nan
                self.warnings.append(
                    f"{int(sentinel.sum())} pixels with an undeclared nodata value (e.g. -9999) left out"
                )
        self.unit = "m"
        self._range_cache = None
        self.refresh_stats()

    # -- what is canopy ------------------------------------------------------------------------
    @property
    def heights_m(self) -> np.ndarray:
        """(rows, cols) float32 heights above the ground, metres, NaN = nodata."""
        return self.grid_values()

    def canopy_mask(self) -> np.ndarray:
        """(rows, cols) True where a pixel is vegetation: at least ``min_height_m`` high and not
        under a building."""
        values = self.heights_m
        with np.errstate(invalid="ignore"):
            mask = np.isfinite(values) & (values >= self.style.min_height_m)
        if self._excluded is not None:
            mask &= ~self._excluded
        if self._roofs is not None:
            mask &= ~self._roofs
        return mask

    def exclude(self, polygons: Sequence[Any] | np.ndarray, *, replace: bool = False) -> int:
        """Take the pixels whose centre lies in ``polygons`` (building footprints, shapely, in
        :attr:`crs`) out of the canopy; returns how many canopy pixels that removed. Adds to earlier
        calls unless ``replace``; :meth:`reproject` forgets them (they were in the old CRS)."""
        from rasterio.features import geometry_mask

        polygons = [p for p in polygons if p is not None and not p.is_empty]
        before = int(self.canopy_mask().sum())
        if replace:
            self._excluded = None
        if not polygons:
            self.refresh_stats()
            return before - int(self.canopy_mask().sum())
        self._roofs = None  # footprints say where the roofs are
        grid = self.require_grid()
        covered = geometry_mask(polygons, out_shape=grid.shape, transform=grid.transform(), invert=True)
        self._excluded = covered if self._excluded is None else (self._excluded | covered)
        self.refresh_stats()
        return before - int(self.canopy_mask().sum())

    def refresh_stats(self) -> None:
        """Count every pixel: canopy, or left out with its reason (see the module docstring)."""
        values = self.heights_m
        finite = np.isfinite(values)
        with np.errstate(invalid="ignore"):
            ground = finite & (values < 0)
            low = finite & ~ground & (values < self.style.min_height_m)
        tall = finite & ~ground & ~low
        grid = self.require_grid()
        if self._excluded is not None:
            building = tall & self._excluded
            self._roofs = None
        else:
            from layers.canopy.roofs import flat_roofs

            building = np.zeros_like(tall)
            self._roofs = flat_roofs(values, tall, max(grid.dx, grid.dy), self.style.roof_area_m2)
        roofs = self._roofs if self._roofs is not None else np.zeros_like(tall)
        canopy = tall & ~building & ~roofs
        reasons = {NODATA: int((~finite).sum()), GROUND: int(ground.sum()), LOW: int(low.sum())}
        reasons[BUILDING] = int(building.sum())
        reasons[ROOF] = int(roofs.sum())
        reasons = {k: v for k, v in reasons.items() if v}
        self.stats = {
            "features_in": int(values.size),
            "features": int(canopy.sum()),
            "dropped": int(sum(reasons.values())),
            "dropped_reasons": reasons,
            "repaired": 0,
            "heights_defaulted": 0,
            "canopy_area_m2": round(float(canopy.sum()) * grid.dx * grid.dy, 2),
        }

    def _set_style(self, style: CanopyStyle) -> None:
        super()._set_style(style)
        if self.grid is not None and self.grid.values is not None:
            self.refresh_stats()

    def reproject(self, crs: CRS) -> None:
        super().reproject(crs)
        self._excluded = None
        self.refresh_stats()

    # -- shadows ---------------------------------------------------------------------------------
    def shadow_prisms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The canopy as prisms in height classes, from 40 % of their height to their top, metres
        above the ground (:class:`~layers.core.base.CastsShadows`, :mod:`layers.canopy.prisms`)."""
        from layers.canopy.prisms import canopy_prisms

        grid = self.require_grid()
        return canopy_prisms(self.heights_m, self.canopy_mask(), grid.transform())

    # -- colours and description -------------------------------------------------------------
    def color_limits(self) -> tuple[float, float] | None:
        """From ``min_height_m`` to the tallest canopy pixel."""
        mask = self.canopy_mask()
        low = self.style.min_height_m
        if not mask.any():
            return low, low + 1.0
        return low, max(float(self.heights_m[mask].max()), low + 1.0)

    def feature_count(self) -> int:
        """Canopy pixels shown (the others are counted in :attr:`stats`)."""
        return int(self.stats.get("features", 0))

    @property
    def display_quantity(self) -> str | None:
        return "height of vegetation"

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info["min_height_m"] = self.style.min_height_m
        info.update({k: v for k, v in self.stats.items() if k not in ("repaired", "heights_defaulted")})
        return info


def exclude_buildings(scene: Scene) -> None:
    """Take every buildings layer's footprints out of every canopy of ``scene`` (both in the scene
    CRS), in place of what was taken out before: roofs in a height model are not trees."""
    from layers.buildings.layer import BuildingsLayer

    footprints = [
        layer.shadow_prisms()[0]
        for layer in scene.layers
        if isinstance(layer, BuildingsLayer) and layer.visible
    ]
    if not footprints:
        return
    polygons = np.concatenate(footprints)
    for layer in scene.layers:
        if isinstance(layer, CanopyLayer):
            layer.exclude(polygons)
