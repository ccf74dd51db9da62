"""Basemaps (kind ``basemap``): raster tiles of an MBTiles or PMTiles file, laid on the ground.

The tiles stay in their file: :meth:`BasemapLayer.view_image` answers what a view needs — the
zoom whose pixels are closest to the screen's (:meth:`BasemapLayer.choose_tiles`), only the tiles
under the view, decoded once and kept in a :class:`~layers.basemap.cache.TileCache`, put together
in Web Mercator (EPSG:3857) and warped into the scene CRS as one RGBA
:class:`~layers.io.grid.Grid`. Offline: a file on disk, never a URL. The credit line comes from the
file's ``attribution`` metadata.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
from pyproj import CRS, Transformer

from layers.core.area import Area
from layers.core.base import Bounds, Layer
from layers.io.grid import Grid

from . import webmercator as wm
from .cache import DEFAULT_BUDGET_BYTES, TileCache, decode_tile
from .mbtiles import SCENE, MBTiles
from .pmtiles import PMTiles
from .style import BasemapStyle

WEB_MERCATOR = CRS.from_epsg(3857)
WGS84 = CRS.from_epsg(4326)
#: tiles put together for one view at most (64 tiles: a 2048² mosaic); coarser zooms beyond
MAX_VIEW_TILES = 64
#: tiles a side at most (16 tiles: a 4096-pixel texture, which every GL driver takes)
MAX_SIDE_TILES = 16
#: side (pixels) of the warped image at most
MAX_IMAGE_SIDE = 4096

TileSource = MBTiles | PMTiles


class BasemapLayer(Layer[BasemapStyle]):
    """A tile pyramid (see the module docstring).

    Attributes
    ----------
    tiles
        The open file (:class:`MBTiles` or :class:`PMTiles`), with the row order chosen and why.
    area
        The part of the world kept (``None``: all the tiles).
    cache
        The decoded tiles.
    stats
        ``features_in`` (tiles in the file), ``dropped`` 0: tiles are read when a view shows them.
    """

    kind: ClassVar[str] = "basemap"
    style_class = BasemapStyle

    def __init__(
        self,
        name: str,
        tiles: TileSource,
        *,
        area: Area | None = None,
        style: BasemapStyle | Mapping[str, Any] | None = None,
        attribution: str | None = None,
        cache_bytes: int = DEFAULT_BUDGET_BYTES,
    ) -> None:
        super().__init__(
            name,
            source=tiles.path,
            crs=WEB_MERCATOR,
            style=style,
            attribution=attribution or _plain(tiles.attribution()),
        )
        self.tiles = tiles
        self.area = area
        self.cache = TileCache(cache_bytes)
        self.stats: dict[str, Any] = {"features_in": tiles.tile_count(), "dropped": 0, "dropped_reasons": {}}
        self._coverage = self._coverage_3857()

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        area: Area | None = None,
        row_order: str | None = None,
        style: Mapping[str, Any] | None = None,
        attribution: str | None = None,
        **options: Any,
    ) -> Self:
        """Open ``path`` (``.pmtiles``: PMTiles v3, else MBTiles); ``row_order`` (``"tms"`` /
        ``"xyz"``) overrides the MBTiles row order Maquette would choose."""
        path = Path(path)
        tiles: TileSource = PMTiles(path) if path.suffix.lower() == ".pmtiles" else MBTiles(path, row_order)
        layer = cls(name or path.stem, tiles, area=area, style=style, attribution=attribution)
        if tiles.row_order == "xyz" and isinstance(tiles, MBTiles) and row_order is None:
            layer.warnings.append(
                f"tile rows read from the north (XYZ), not as the MBTiles spec says: {tiles.row_order_reason}"
            )
        layer.options = {key: value for key, value in options.items() if value is not None}
        if row_order is not None:
            layer.options["row_order"] = row_order
        return layer

    # -- geometry ------------------------------------------------------------------------------
    def _coverage_3857(self) -> Bounds:
        """What the finest zoom covers (EPSG:3857 metres), within the MBTiles' declared ``bounds``
        and :attr:`area`."""
        tiles = self.tiles
        if isinstance(tiles, MBTiles):
            z = max(tiles.zooms())
            x0, y0, x1, y1 = tiles.xyz_range(z)
            box = wm.tile_bounds(z, x0, y1)[:2] + wm.tile_bounds(z, x1, y0)[2:]
        else:
            w, s, e, n = tiles.bounds_lonlat
            to_3857 = transformer(WGS84, WEB_MERCATOR)
            box = to_3857.transform_bounds(w, max(s, -85.0), e, min(n, 85.0))
        declared = tiles.declared_bounds() if isinstance(tiles, MBTiles) else None
        if declared is not None:  # "the maximum extent of the rendered map area" (MBTiles spec)
            to_3857 = transformer(WGS84, WEB_MERCATOR)
            d = to_3857.transform_bounds(
                declared[0], max(declared[1], -85.0), declared[2], min(declared[3], 85.0)
            )
            if d[0] < box[2] and d[2] > box[0] and d[1] < box[3] and d[3] > box[1]:
                box = (max(box[0], d[0]), max(box[1], d[1]), min(box[2], d[2]), min(box[3], d[3]))
        if self.area is not None:
            a = self.area.in_crs(WEB_MERCATOR).bounds
            box = (max(box[0], a[0]), max(box[1], a[1]), min(box[2], a[2]), min(box[3], a[3]))
        return (float(box[0]), float(box[1]), float(box[2]), float(box[3]))

    def bounds(self) -> Bounds:
        if self.crs is None or self.crs.equals(WEB_MERCATOR):
            return self._coverage
        to_crs = transformer(WEB_MERCATOR, self.crs)
        return tuple(float(v) for v in to_crs.transform_bounds(*self._coverage))  # type: ignore[return-value]

    def place_among(self, others: list[Bounds]) -> bool:
        """Settle a guessed MBTiles row order with the rest of the scene: when the tiles as read
        miss every box of ``others`` (layer CRS) and the other order puts them over one, read them
        that way and say so. True when the order changed."""
        tiles = self.tiles
        if not isinstance(tiles, MBTiles) or not tiles.row_order_guessed or not others:
            return False

        def over_others() -> bool:
            box = self.bounds()
            return any(b[0] < box[2] and b[2] > box[0] and b[1] < box[3] and b[3] > box[1] for b in others)

        if over_others():
            return False
        before = tiles.row_order
        tiles.row_order = "xyz" if before == "tms" else "tms"
        self._coverage = self._coverage_3857()
        if not over_others():
            tiles.row_order = before
            self._coverage = self._coverage_3857()
            return False
        tiles.row_order_reason = SCENE
        tiles.row_order_guessed = False
        self.cache.clear()
        self.warnings = [w for w in self.warnings if not w.startswith("tile rows read")]
        named = "from the north (XYZ)" if tiles.row_order == "xyz" else "from the south (TMS)"
        self.warnings.append(f"tile rows read {named}: {SCENE}")
        return True

    def reproject(self, crs: CRS) -> None:
        """Tiles are warped when a view asks for them: only the target CRS changes."""
        self.crs = crs

    def feature_count(self) -> int:
        return self.tiles.tile_count()

    # -- the tiles a view needs ----------------------------------------------------------------
    def choose_tiles(
        self, view_bounds: Bounds, resolution_m: float
    ) -> tuple[int, tuple[int, int, int, int]] | None:
        """``(zoom, (x0, y0, x1, y1))`` XYZ tiles for a view of ``view_bounds`` (layer CRS) whose
        screen pixel is ``resolution_m`` metres on the ground; ``None`` when the view misses them."""
        box = self._view_3857(view_bounds)
        if box is None:
            return None
        zooms = self.tiles.zooms()
        latitude = wm.latitude_of((box[1] + box[3]) / 2)
        wanted = math.ceil(wm.zoom_for_resolution(resolution_m, latitude) - 0.25) + self.style.detail
        finer = [z for z in zooms if z >= wanted]
        z = min(finer) if finer else max(zooms)
        while True:
            x0, y0, x1, y1 = wm.tile_range(box, z)
            coarser = [c for c in zooms if c < z]
            nx, ny = x1 - x0 + 1, y1 - y0 + 1
            if (nx * ny <= MAX_VIEW_TILES and max(nx, ny) <= MAX_SIDE_TILES) or not coarser:
                return z, (x0, y0, x1, y1)
            z = max(coarser)

    def _view_3857(self, view_bounds: Bounds) -> Bounds | None:
        crs = self.crs or WEB_MERCATOR
        box = view_bounds
        if not crs.equals(WEB_MERCATOR):
            box = transformer(crs, WEB_MERCATOR).transform_bounds(*view_bounds)
        c = self._coverage
        out = (max(box[0], c[0]), max(box[1], c[1]), min(box[2], c[2]), min(box[3], c[3]))
        return out if out[0] < out[2] and out[1] < out[3] else None

    def mosaic(self, z: int, xyz: tuple[int, int, int, int]) -> tuple[np.ndarray, Bounds]:
        """RGBA (rows, cols, 4) of the tiles ``xyz`` of zoom ``z`` side by side, and its EPSG:3857
        bounds; missing tiles are transparent."""
        x0, y0, x1, y1 = xyz
        px = wm.TILE_PX
        image = np.zeros(((y1 - y0 + 1) * px, (x1 - x0 + 1) * px, 4), dtype=np.uint8)
        for y in range(y0, y1 + 1):
            for x in range(x0, x1 + 1):
                tile = self.cache.get((z, x, y), partial(self._decoded, z, x, y))
                if tile is not None:
                    image[(y - y0) * px : (y - y0 + 1) * px, (x - x0) * px : (x - x0 + 1) * px] = tile
        bounds = wm.tile_bounds(z, x0, y1)[:2] + wm.tile_bounds(z, x1, y0)[2:]
        return image, bounds

    def layer_box(self, box_3857: Bounds, view_bounds: Bounds | None = None) -> Bounds | None:
        """The part of the EPSG:3857 box ``box_3857`` (a mosaic's) that is covered and in view,
        as (xmin, ymin, xmax, ymax) in the layer CRS; ``None`` when nothing is left."""
        crs = self.crs or WEB_MERCATOR
        xmin, ymin, xmax, ymax = transformer(WEB_MERCATOR, crs).transform_bounds(*box_3857)
        boxes = [self.bounds()] + ([view_bounds] if view_bounds is not None else [])
        for b in boxes:
            xmin, ymin, xmax, ymax = max(xmin, b[0]), max(ymin, b[1]), min(xmax, b[2]), min(ymax, b[3])
        return (xmin, ymin, xmax, ymax) if xmin < xmax and ymin < ymax else None

    def to_web_mercator(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Layer CRS coordinates → EPSG:3857 metres (where a mosaic's texels lie)."""
        crs = self.crs or WEB_MERCATOR
        if crs.equals(WEB_MERCATOR):
            return x, y
        mx, my = transformer(crs, WEB_MERCATOR).transform(x, y)
        return np.asarray(mx), np.asarray(my)

    def _decoded(self, z: int, x: int, y: int) -> np.ndarray | None:
        data = self.tiles.tile(z, x, y)
        if data is None:
            return None
        try:
            return decode_tile(data)
        except (OSError, ValueError):  # a damaged tile is left out, the others are drawn
            self.stats["dropped"] += 1
            reasons = self.stats["dropped_reasons"]
            reasons["undecodable tile"] = reasons.get("undecodable tile", 0) + 1
            return None

    def view_image(self, view_bounds: Bounds, resolution_m: float) -> Grid | None:
        """The basemap under ``view_bounds`` (layer CRS) for a screen pixel of ``resolution_m``
        metres, as an RGBA grid in the layer CRS (see the module docstring); ``None`` when the
        view misses the tiles."""
        chosen = self.choose_tiles(view_bounds, resolution_m)
        if chosen is None:
            return None
        return self.image_of(*chosen, view_bounds=view_bounds)

    def image_of(self, z: int, xyz: tuple[int, int, int, int], view_bounds: Bounds | None = None) -> Grid:
        """Tiles ``xyz`` of zoom ``z`` warped into the layer CRS (within ``view_bounds``)."""
        from affine import Affine
        from rasterio.warp import Resampling, reproject

        mosaic, box = self.mosaic(z, xyz)
        crs = self.crs or WEB_MERCATOR
        to_crs = transformer(WEB_MERCATOR, crs)
        xmin, ymin, xmax, ymax = to_crs.transform_bounds(*box)
        if view_bounds is not None:
            xmin, ymin = max(xmin, view_bounds[0]), max(ymin, view_bounds[1])
            xmax, ymax = min(xmax, view_bounds[2]), min(ymax, view_bounds[3])
        c = self.bounds()
        xmin, ymin, xmax, ymax = max(xmin, c[0]), max(ymin, c[1]), min(xmax, c[2]), min(ymax, c[3])
        latitude = wm.latitude_of((box[1] + box[3]) / 2)
        pixel_m = wm.tile_size_m(z) / wm.TILE_PX * math.cos(math.radians(latitude))
        pixel_m = max(pixel_m, (xmax - xmin) / MAX_IMAGE_SIDE, (ymax - ymin) / MAX_IMAGE_SIDE)
        cols = max(1, math.ceil((xmax - xmin) / pixel_m))
        rows = max(1, math.ceil((ymax - ymin) / pixel_m))
        out = np.zeros((4, rows, cols), dtype=np.uint8)
        tile_px = wm.tile_size_m(z) / wm.TILE_PX
        src_transform = Affine(tile_px, 0.0, box[0], 0.0, -tile_px, box[3])
        dst_transform = Affine(pixel_m, 0.0, xmin, 0.0, -pixel_m, ymax)
        reproject(
            np.moveaxis(mosaic, -1, 0),
            out,
            src_transform=src_transform,
            src_crs=WEB_MERCATOR,
            dst_transform=dst_transform,
            dst_crs=crs,
            resampling=Resampling.bilinear,
        )
        return Grid(rgba=np.moveaxis(out, 0, -1).copy(), x0=xmin, y0=ymax, dx=pixel_m, dy=pixel_m, crs=crs)

    # -- description -------------------------------------------------------------------------
    def describe(self) -> dict[str, Any]:
        info = super().describe()
        tiles = self.tiles
        info.update(
            format=tiles.format_name,
            zooms=tiles.zooms(),
            tiles=tiles.tile_count(),
            row_order=f"{tiles.row_order} ({tiles.row_order_reason})",
        )
        return info


@lru_cache(maxsize=16)
def transformer(source: CRS, target: CRS) -> Transformer:
    """A kept ``always_xy`` transformer (building one costs ~20 ms, a view change asks for three)."""
    return Transformer.from_crs(source, target, always_xy=True)


def _plain(text: str | None) -> str | None:
    """An attribution without its HTML tags (``<a href=...>© OpenStreetMap</a>``)."""
    if not text:
        return None
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip() or None
