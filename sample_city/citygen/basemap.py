"""The sample city's own basemap: ``basemap.mbtiles``, raster tiles drawn from its ground.

Each tile of zooms :data:`ZOOMS` over the district (plus a margin) is drawn from the land use
(water, parks, squares) and the streets (buffered to their width), four times too large, then
averaged down (smooth edges). Flat, quiet colours: it is the ground under the model, not a map
competing with it. Deterministic: same layout, same PNG bytes, same rows.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np

HERE = Path(__file__).resolve().parents[2]
if str(HERE) not in sys.path:  # the generator runs as a script: layers/ from the repository
    sys.path.insert(0, str(HERE))

from layers.basemap import webmercator as wm  # noqa: E402
from layers.basemap.mbtiles import write_mbtiles  # noqa: E402

from .common import ATTRIBUTION  # noqa: E402

#: zooms drawn: a whole district (14: ~1.6 km tiles) down to streets (18: 0.4 m pixels at 48° N)
ZOOMS = (14, 15, 16, 17, 18)
#: margin drawn around the district, metres
MARGIN_M = 100.0
SUPERSAMPLE = 4
#: RGB by class, drawn in this order
COLOURS = {
    "ground": (233, 229, 220),
    "place": (226, 221, 210),
    "parc": (203, 222, 186),
    "eau": (166, 199, 224),
    "rue": (250, 249, 246),
}


def _classes(landuse: gpd.GeoDataFrame, streets: gpd.GeoDataFrame) -> list[tuple[str, gpd.GeoSeries]]:
    """The shapes of each class in EPSG:3857, in drawing order."""
    roads = streets.geometry.buffer(streets["largeur_m"].to_numpy() / 2.0, cap_style="flat")
    out = []
    for name in ("place", "parc", "eau"):
        out.append((name, landuse.geometry[landuse["type"] == name].to_crs(3857).reset_index(drop=True)))
    out.append(("rue", gpd.GeoSeries(roads, crs=streets.crs).to_crs(3857).reset_index(drop=True)))
    return out


def _zoom_pngs(
    classes: list[tuple[str, gpd.GeoSeries]], z: int, xyz: tuple[int, int, int, int]
) -> dict[tuple[int, int, int], bytes]:
    """The PNG tiles ``xyz`` (inclusive XYZ range) of zoom ``z``, drawn as one picture then cut."""
    from affine import Affine
    from PIL import Image
    from rasterio.features import rasterize

    x0, y0, x1, y1 = xyz
    ss = SUPERSAMPLE if z < 18 else 2  # zoom 18's picture would be too large four times over
    side = wm.TILE_PX * ss
    shape = ((y1 - y0 + 1) * side, (x1 - x0 + 1) * side)
    xmin, _, _, ymax = wm.tile_bounds(z, x0, y0)
    px = wm.tile_size_m(z) / side
    transform = Affine(px, 0.0, xmin, 0.0, -px, ymax)
    index = np.zeros(shape, dtype=np.uint8)
    for value, (_, shapes) in enumerate(classes, start=1):
        geoms = [g for g in shapes if g is not None and not g.is_empty]
        if geoms:
            rasterize(geoms, out=index, transform=transform, default_value=value)
    palette = [v for rgb in (COLOURS["ground"], *(COLOURS[name] for name, _ in classes)) for v in rgb]
    tiles = {}
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            block = index[(y - y0) * side : (y - y0 + 1) * side, (x - x0) * side : (x - x0 + 1) * side]
            drawn = Image.fromarray(np.ascontiguousarray(block), "P")
            drawn.putpalette(palette)
            image = drawn.convert("RGB").resize((wm.TILE_PX, wm.TILE_PX), Image.Resampling.BOX)
            out = io.BytesIO()
            image.quantize(colors=64, dither=Image.Dither.NONE).save(out, format="PNG", optimize=True)
            tiles[(z, x, y)] = out.getvalue()
    return tiles


def write_basemap(landuse: gpd.GeoDataFrame, streets: gpd.GeoDataFrame, path: Path) -> Path:
    """Draw the tiles over ``streets``' extent (+ :data:`MARGIN_M`) and write the MBTiles."""
    xmin, ymin, xmax, ymax = streets.total_bounds
    box = (
        gpd.GeoSeries.from_xy(
            [xmin - MARGIN_M, xmax + MARGIN_M], [ymin - MARGIN_M, ymax + MARGIN_M], crs=streets.crs
        )
        .to_crs(3857)
        .total_bounds
    )
    lonlat = gpd.GeoSeries.from_xy([box[0], box[2]], [box[1], box[3]], crs=3857).to_crs(4326)
    classes = _classes(landuse, streets)
    tiles = {}
    for z in ZOOMS:
        tiles.update(_zoom_pngs(classes, z, wm.tile_range(tuple(box), z)))
    metadata = {
        "name": "Quartier Vilaine",
        "format": "png",
        "type": "baselayer",
        "minzoom": str(min(ZOOMS)),
        "maxzoom": str(max(ZOOMS)),
        "bounds": ",".join(f"{v:.6f}" for v in (lonlat.x[0], lonlat.y[0], lonlat.x[1], lonlat.y[1])),
        "attribution": ATTRIBUTION,
    }
    return write_mbtiles(path, tiles, metadata=metadata)
