"""Several raster tiles of one product read as one north-up grid (a mosaic), or one tile's window.

LiDAR HD is delivered in 1 km tiles (0.5 m pixels: 2000 × 2000 each); a district spans several.
:func:`read_mosaic` lays the tiles side by side on the grid of the finest one (tiles of one product
share it, so their seams fall on pixel edges and are invisible), keeps each file's nodata (declared
values such as −9999 or 9999 become NaN; undeclared sentinels are left to the kind), resamples
coarser tiles to the finest resolution and, beyond ``max_pixels``, reads everything decimated
(averaged) with a warning. Given an :class:`~layers.core.area.Area`, only the window over the area
is read and tiles that do not meet it are not opened for their pixels.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from layers.core import crs as crs_util
from layers.core.errors import InputError
from layers.io.grid import Grid
from layers.io.ign_names import ign_credit
from layers.io.raster_file import MAX_PIXELS, RasterSource, read_header, unit_from_tags

if TYPE_CHECKING:
    from layers.core.area import Area
    from layers.raster.grid_layer import GridLayer

    GridLayerT = TypeVar("GridLayerT", bound=GridLayer[Any])

Box = tuple[float, float, float, float]


@dataclass
class Mosaic:
    """A mosaic read: its grid (values, NaN = nodata), what the first tile declared, notes, and how
    many tiles were read (``tiles``) or left out for lying outside the area (``outside``)."""

    grid: Grid
    source: RasterSource
    warnings: list[str] = field(default_factory=list)
    tiles: int = 0
    outside: int = 0


def read_mosaic(
    paths: Sequence[Path],
    *,
    area: Area | None = None,
    max_pixels: int = MAX_PIXELS,
    what: str = "elevations",
    crs: object | None = None,
) -> Mosaic:
    """Read ``paths`` (band 1 of each, in one CRS) as one grid; see the module docstring. ``crs``
    overrides the tiles' own (tiles without one, or a wrong one).

    Raises :class:`InputError` for a tile that is not a raster of values, tiles in different CRSs,
    or an area that meets no tile.
    """
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.merge import merge

    if not paths:
        raise ValueError("a mosaic needs at least one tile")
    for path in paths:
        if not Path(path).is_file():
            raise InputError(path, "no such file", hint="a tile of the mosaic moved or was deleted")
        header = read_header(path)  # garbage, remote or VRT paths refused here, in words
        if header.is_image:
            raise InputError(path, f"is a rendered colour image, not {what}", hint="open it on its own")
    warnings: list[str] = []
    with ExitStack() as stack:
        datasets = [stack.enter_context(rasterio.open(p)) for p in paths]
        first = datasets[0]
        if crs is not None:
            try:
                grid_crs = crs_util.parse_crs(crs, source=paths[0])
            except ValueError as exc:
                raise InputError(paths[0], str(exc).split(": ", 1)[-1]) from None
        elif first.crs is None:
            raise InputError(
                paths[0], "has no coordinate reference system", hint="give one with the crs option (--crs)"
            )
        else:
            grid_crs = crs_util.horizontal(crs_util.normalise(crs_util.parse_crs(first.crs.to_wkt())))
            for path, ds in zip(paths[1:], datasets[1:], strict=True):
                if ds.crs is None or not rasterio.crs.CRS.from_user_input(ds.crs) == first.crs:
                    raise InputError(
                        path,
                        f"is not in the CRS of {Path(paths[0]).name} ({crs_util.label(grid_crs)}): tiles "
                        "of one mosaic share their CRS",
                        hint="open it as a layer of its own",
                    )
        wanted = None if area is None else area.in_crs(grid_crs).bounds
        chosen = [i for i, ds in enumerate(datasets) if wanted is None or _meets(tuple(ds.bounds), wanted)]
        if not chosen:
            assert area is not None
            raise InputError(paths[0], f"no tile of this terrain meets {area.label}", hint="check the area")
        used = [datasets[i] for i in chosen]
        res = min(min(abs(ds.res[0]), abs(ds.res[1])) for ds in used)
        box = _union([tuple(ds.bounds) for ds in used])
        if wanted is not None:
            box = _snapped(_intersection(box, wanted), used[0], res)
        cols = max(math.ceil(round((box[2] - box[0]) / res, 6)), 1)
        rows = max(math.ceil(round((box[3] - box[1]) / res, 6)), 1)
        out_res = res
        if rows * cols > max_pixels:
            factor = math.sqrt(rows * cols / max_pixels)
            out_res = res * factor
            warnings.append(
                f"{len(used)} tile(s) of {cols} x {rows} px in all read at 1/{factor:.1f} resolution "
                f"({out_res:.2f} m pixels)"
            )
        same = all(math.isclose(abs(ds.res[0]), res) and math.isclose(abs(ds.res[1]), res) for ds in used)
        if out_res > res * 1.0001:
            resampling = Resampling.average
        else:  # coarser tiles: each of their pixels repeated (nodata stays nodata, values unchanged)
            resampling = Resampling.nearest
            if not same:
                warnings.append(f"tiles of different resolutions resampled to the finest ({res:g} m)")
        values, transform = merge(
            used, bounds=box, res=(out_res, out_res), nodata=np.nan, dtype="float32", resampling=resampling
        )
        nodatas = {ds.nodata for ds in used}
        source = RasterSource(
            band=1,
            band_count=first.count,
            dtype=str(first.dtypes[0]),
            nodata=None if None in nodatas else float(used[0].nodata),
            tags=dict(first.tags()),
            file_crs=crs_util.label(grid_crs),
        )
    grid = Grid(
        values=np.ascontiguousarray(values[0], dtype=np.float32),
        x0=float(transform.c),
        y0=float(transform.f),
        dx=float(transform.a),
        dy=float(-transform.e),
        crs=grid_crs,
    )
    if not grid.valid().any():
        raise InputError(paths[0], f"holds no {what} here: every pixel is nodata")
    return Mosaic(grid, source, warnings, tiles=len(used), outside=len(paths) - len(used))


def _meets(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _union(boxes: Sequence[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _intersection(a: Box, b: Box) -> Box:
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def _snapped(box: Box, ds: object, res: float) -> Box:
    """``box`` grown to the pixel edges of the tile ``ds`` (a rasterio dataset), so that a window
    keeps the tile's pixels whole."""
    left, top = ds.bounds.left, ds.bounds.top  # type: ignore[attr-defined]
    xmin = left + math.floor(round((box[0] - left) / res, 6)) * res
    xmax = left + math.ceil(round((box[2] - left) / res, 6)) * res
    ymax = top - math.floor(round((top - box[3]) / res, 6)) * res
    ymin = top - math.ceil(round((top - box[1]) / res, 6)) * res
    return xmin, ymin, xmax, ymax


def layer_from_tiles(
    cls: type[GridLayerT],
    path: Path,
    tiles: Sequence[str],
    *,
    name: str | None = None,
    area: Area | None = None,
    style: Mapping[str, Any] | None = None,
    max_pixels: int = MAX_PIXELS,
    crs: object | None = None,
    options: Mapping[str, Any] | None = None,
) -> GridLayerT:
    """A layer of ``cls`` over ``path`` and the other ``tiles`` of its product, read as one mosaic
    (only the window over ``area`` when given). ``tiles`` are relative to the folder of ``path`` (as
    a project keeps them: :func:`relative_tiles`) or absolute; the layer's ``options`` keep them."""
    if isinstance(tiles, str):
        tiles = [tiles]
    if not all(isinstance(t, str) and t for t in tiles):
        raise InputError(path, "the tiles option must list file paths", field="tiles")
    paths = tile_paths(path, tiles)
    mosaic = read_mosaic(paths, area=area, max_pixels=max_pixels, what=cls.what, crs=crs)
    layer = cls(
        name or path.stem,
        mosaic.grid,
        source=path,
        unit=unit_from_tags(mosaic.source.tags),
        source_info=mosaic.source,
        style=style,
        attribution=ign_credit(path),
    )
    layer.warnings.extend(mosaic.warnings)
    if mosaic.outside:
        where = area.label if area is not None else "the area"
        layer.warnings.append(f"{mosaic.outside} tile(s) outside {where} left out")
    layer.options = {k: v for k, v in (options or {}).items() if v is not None}
    given = mosaic.grid.crs
    if crs is not None and given is not None:
        layer.options["crs"] = crs_util.label(given) if given.to_epsg() else given.to_wkt()
    if len(paths) > 1:
        layer.options["tiles"] = relative_tiles(path, paths[1:])
    layer._loaded(path, **layer.options)
    return layer


def tile_paths(path: Path, tiles: Sequence[str]) -> list[Path]:
    """``path`` then the other ``tiles`` (relative to the folder of ``path``, or absolute), each once."""
    paths = [path]
    for tile in tiles:
        resolved = Path(tile) if Path(tile).is_absolute() else path.parent / tile
        if all(os.path.realpath(resolved) != os.path.realpath(p) for p in paths):
            paths.append(resolved)
    return paths


def relative_tiles(path: Path, tiles: Sequence[Path]) -> list[str]:
    """The ``tiles`` option kept in a project: each tile relative to the folder of ``path`` (the
    layer's source, itself kept relative to the project), with forward slashes."""
    folder = path.absolute().parent
    out = []
    for tile in tiles:
        try:
            out.append(Path(os.path.relpath(tile.absolute(), folder)).as_posix())
        except ValueError:  # another drive (Windows): kept absolute
            out.append(tile.absolute().as_posix())
    return out
