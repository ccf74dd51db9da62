"""Reading and writing raster files (GeoTIFF, ASCII grid, VRT...) with rasterio, for every raster kind.

:func:`read_grid` reads one band as a north-up :class:`~layers.io.grid.Grid`: nodata becomes NaN,
band scale / offset are applied, a file without a nodata value keeps every pixel, a rotated or
south-up file is made north-up, a file larger than :data:`MAX_PIXELS` is read decimated. A 3- or
4-band 8-bit file (or a paletted one) is a *rendered colour image*, read as RGBA.
:func:`read_header` says what a file is without reading its pixels (kind detection).
:func:`warp_grid` (:mod:`layers.io.raster_warp`) reprojects a grid, :func:`write_geotiff` writes one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from affine import Affine
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.errors import CRSMissing, InputError
from layers.io.atomic import replacing
from layers.io.gdal_notes import gdal_warnings, georeferencing_lost, raster_notes
from layers.io.grid import Grid
from layers.io.raster_warp import RotatedSource, warp, warp_grid

if TYPE_CHECKING:
    from rasterio.io import DatasetReader  # untyped: rasterio ships no type information
    from rasterio.windows import Window

    from layers.core.area import Area

__all__ = [
    "MAX_PIXELS",
    "UNIT_TAGS",
    "RasterHeader",
    "RasterSource",
    "read_grid",
    "read_header",
    "stale_beside",
    "unit_from_tags",
    "warp_grid",
    "write_geotiff",
]

#: pixels read at most; larger files are read decimated (averaged) with a warning
MAX_PIXELS = 4096 * 4096
#: tags that may hold the unit of the values
UNIT_TAGS = ("UNIT", "UNITS", "unit", "units", "UNITE", "unite")


@dataclass
class RasterSource:
    """What the file said: band read, band count, data type, nodata, tags (dataset and band)."""

    band: int = 1
    band_count: int = 1
    dtype: str = "float32"
    nodata: float | None = None
    tags: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    file_crs: str | None = None


# -- reading ----------------------------------------------------------------------------------
def _raster_errors() -> tuple[type[BaseException], ...]:
    from rasterio._err import CPLE_BaseError
    from rasterio.errors import RasterioError

    return RasterioError, CPLE_BaseError, OSError, ValueError


def _reason(exc: BaseException) -> str:
    text = str(exc).split("\n")[0].strip()
    if "not recognized as" in text or "not a supported file format" in text:
        return "it is not a raster format GDAL can read (a GeoTIFF, ASCII grid...)"
    if "Read failed" in text or "IReadBlock" in text or "TIFFReadEncoded" in text:
        return "the file is truncated or corrupted: its pixels cannot be read"
    if "TIFFRead" in text or "truncated" in text.lower() or "failed" in text.lower():
        return "the file is truncated or corrupted: its header cannot be read"
    return text or type(exc).__name__


def _unreadable(path: Path, exc: BaseException) -> InputError:
    """The :class:`InputError` for a raster GDAL cannot read, with what to do about it."""
    reason = _reason(exc)
    hint = "copy or export it again" if "truncated" in reason else None
    if "not a raster format" in reason:
        hint = "damaged file or wrong extension? open the original, or give the file its real extension"
    return InputError(path, f"cannot be read as a raster: {reason}", hint=hint)


def read_grid(
    path: str | Path,
    *,
    band: int = 1,
    crs: object | None = None,
    allow_image: bool = True,
    what: str = "values",
    max_pixels: int = MAX_PIXELS,
    area: Area | None = None,
) -> tuple[Grid, RasterSource, list[str]]:
    """Read one band (or the colour image) of a raster file as a north-up :class:`Grid`.

    Parameters
    ----------
    path
        GeoTIFF or any raster GDAL reads.
    band
        1-based band of measurements to read (ignored for a colour image).
    crs
        Overrides a missing or wrong CRS of the file (``EPSG:2154``, WKT...).
    allow_image
        When False, a rendered colour image raises :class:`InputError` (it holds no ``what``).
    what
        What the values are, for messages ("sound levels", "temperatures"...).
    max_pixels
        Larger rasters are read decimated (averaged), with a warning.
    area
        Read only the window over this area (its bounds in the raster's CRS, whole pixels), with a
        note of the part read; :class:`InputError` when no pixel of the file meets it.

    Returns
    -------
    grid, source, warnings
    """
    import rasterio

    from layers.core.safety import check_local, check_not_special, check_vrt

    check_local(path)  # never /vsicurl/... nor a web address
    check_vrt(path)
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    check_not_special(path)
    if path.is_file() and path.stat().st_size == 0:
        raise InputError(path, "the file is empty", hint="copy, download or export it again")
    warnings: list[str] = []
    errors = _raster_errors()
    try:
        with gdal_warnings() as gdal_said, rasterio.Env(), rasterio.open(path) as ds:
            if ds.count == 0 or ds.width == 0 or ds.height == 0:
                raise InputError(path, "holds no raster band")
            check_geotransform(path, ds.transform, ds.width, ds.height)
            grid_crs = _grid_crs(path, ds, crs, warnings)
            image = _is_image(ds)
            if image and not allow_image:
                raise InputError(
                    path,
                    f"is a rendered colour image ({ds.count} band(s), 8-bit colours), not {what}",
                    hint="open it as a plain raster overlay (kind 'raster')",
                )
            if not image and not 1 <= band <= ds.count:
                raise InputError(path, f"has {ds.count} band(s), there is no band {band}")
            if not image and ds.dtypes[band - 1].startswith("complex"):
                raise InputError(
                    path,
                    f"band {band} holds complex numbers ({ds.dtypes[band - 1]}), not measurements Maquette "
                    "can show",
                    hint="export the band as real values (its amplitude or its real part) in a GIS",
                )
            window = _area_window(path, ds, grid_crs, area, warnings)
            shape, transform = _read_shape(ds, window, max_pixels, warnings)
            source = RasterSource(
                band=band,
                band_count=ds.count,
                dtype=str(ds.dtypes[0] if image else ds.dtypes[band - 1]),
                nodata=None if ds.nodata is None else float(ds.nodata),
                tags={**ds.tags(), **({} if image else ds.tags(band))},
                description=None if image else ds.descriptions[band - 1],
                file_crs=crs_util.label(_file_crs(ds)),
            )
            if not image and ds.units and ds.units[band - 1]:
                source.tags.setdefault("UNIT", ds.units[band - 1])
            pixels = _read_rgba(ds, shape, window) if image else _read_values(ds, band, shape, window)
    except CRSMissing as exc:
        if georeferencing_lost(gdal_said):  # why the CRS is missing: say it
            exc.hint = f"{exc.hint}; its georeferencing tags could not be read: the file is damaged"
        raise
    except InputError:
        raise
    except errors as exc:
        raise _unreadable(path, exc) from None
    warnings.extend(raster_notes(path, gdal_said))
    grid = _north_up(pixels, transform, grid_crs)
    if not grid.valid().any():
        raise InputError(
            path, "holds no valid pixel: every pixel is nodata", hint="check the file's nodata value"
        )
    if image:
        warnings.append(
            f"rendered colour image ({source.band_count} bands, 8-bit): shown as an image overlay, "
            "its colours are not measurements"
        )
    return grid, source, warnings


@dataclass
class RasterHeader:
    """The cheap facts about a raster file, read without its pixels (for kind detection)."""

    band_count: int
    dtypes: tuple[str, ...]
    is_image: bool
    unit: str | None
    tags: dict[str, str]


def read_header(path: str | Path) -> RasterHeader:
    """Band count, data types, colour-image flag, unit and tags of a raster file.

    Raises :class:`InputError` when GDAL cannot open the file (garbage, truncated header).
    """
    import rasterio

    from layers.core.safety import check_local, check_vrt

    check_local(path)
    check_vrt(path)
    path = Path(path)
    try:
        with rasterio.Env(), rasterio.open(path) as ds:
            tags = {**ds.tags(), **(ds.tags(1) if ds.count else {})}
            unit = unit_from_tags(tags) or (ds.units[0] if ds.count and ds.units and ds.units[0] else None)
            return RasterHeader(ds.count, tuple(ds.dtypes), ds.count > 0 and _is_image(ds), unit, tags)
    except _raster_errors() as exc:
        raise _unreadable(path, exc) from None


def _file_crs(ds: DatasetReader) -> CRS | None:
    if ds.crs is None:
        return None
    try:
        return crs_util.horizontal(crs_util.normalise(CRS.from_user_input(ds.crs.to_wkt())))
    except Exception:  # noqa: BLE001 - an unreadable CRS is the same as no CRS for the user
        return None


def _grid_crs(path: Path, ds: DatasetReader, override: object | None, warnings: list[str]) -> CRS:
    from layers.io.vector_crs import check_fits  # the same rules as for vector files

    file_crs = _file_crs(ds)
    left, bottom, right, top = ds.bounds
    bounds = (min(left, right), min(bottom, top), max(left, right), max(bottom, top))
    if override is not None:
        try:
            crs = crs_util.parse_crs(override, source=path)
        except ValueError as exc:
            raise InputError(path, str(exc).split(": ", 1)[-1]) from None
        check_fits(path, crs, bounds, warnings, given=True)
        if file_crs is not None and not file_crs.equals(crs):
            warnings.append(
                f"CRS {crs_util.label(file_crs)} of the file replaced by {crs_util.label(crs)} as asked"
            )
        return crs
    if file_crs is None:
        if ds.transform.is_identity:
            raise InputError(
                path,
                "has no georeferencing (neither a CRS nor a position on the ground): a picture, not a map",
                hint="georeference it in a GIS (e.g. QGIS's Georeferencer), or open a GeoTIFF",
            )
        from layers.io.vector_crs import missing_crs  # the CRS chooser's candidates, as for vectors

        if crs_util.looks_like_degrees(bounds):
            warnings.append(
                f"{path.name} declares no CRS; its coordinates look like degrees, read as EPSG:4326 (WGS 84)"
            )
            return crs_util.WGS84
        raise missing_crs(path, bounds, what="the raster has no coordinate reference system")
    if crs_util.horizontal(file_crs).is_geographic:  # degrees that are not degrees cannot be placed
        check_fits(path, file_crs, bounds, warnings, given=False)
    elif crs_util.beyond_earth(crs_util.horizontal(file_crs), bounds):
        raise InputError(
            path,
            f"covers {_extent(bounds)}, no place on Earth in its CRS {crs_util.label(file_crs)}",
            hint="its pixel size or position is damaged: export it again",
        )
    return file_crs


def _extent(bounds: tuple[float, float, float, float]) -> str:
    return "(" + ", ".join(f"{v:.6g}" for v in bounds) + ")"


def check_geotransform(path: Path, transform: Affine, width: int, height: int) -> None:
    """:class:`InputError` for a geotransform that places no pixel on the ground: a value that is
    not a number (NaN, infinite), or a pixel of zero width or height (a rotation is fine)."""
    values = (transform.a, transform.b, transform.c, transform.d, transform.e, transform.f)
    if not all(math.isfinite(v) for v in values):
        raise InputError(
            path,
            "its georeferencing (geotransform " + ", ".join(f"{v:g}" for v in values) + ") holds values "
            "that are not numbers: its pixels have no place on the ground",
            hint="the file is damaged: export it again",
        )
    if transform.determinant == 0:
        width_m, height_m = math.hypot(transform.a, transform.d), math.hypot(transform.b, transform.e)
        raise InputError(
            path,
            f"its pixels are {width_m:g} × {height_m:g} (a pixel size of zero): "
            "they have no place on the ground",
            hint="the file is damaged: export it again",
        )


def _is_image(ds: DatasetReader) -> bool:
    from rasterio.enums import ColorInterp

    if ds.count in (3, 4) and all(dtype == "uint8" for dtype in ds.dtypes):
        return True
    return ds.count == 1 and ds.dtypes[0] == "uint8" and ds.colorinterp[0] == ColorInterp.palette


def _area_window(
    path: Path, ds: DatasetReader, grid_crs: CRS, area: Area | None, warnings: list[str]
) -> Window | None:
    """The window of ``ds`` over ``area`` (whole pixels, clipped to the raster); ``None`` for the
    whole raster (no area, or an area covering it all)."""
    if area is None:
        return None
    from rasterio.windows import Window, from_bounds

    xmin, ymin, xmax, ymax = area.in_crs(grid_crs).bounds
    exact = from_bounds(xmin, ymin, xmax, ymax, transform=ds.transform)
    col0 = max(0, math.floor(exact.col_off))
    row0 = max(0, math.floor(exact.row_off))
    col1 = min(ds.width, math.ceil(exact.col_off + exact.width))
    row1 = min(ds.height, math.ceil(exact.row_off + exact.height))
    if col1 <= col0 or row1 <= row0:
        raise InputError(path, f"none of its pixels meets {area.label}")
    if (col0, row0, col1, row1) == (0, 0, ds.width, ds.height):
        return None
    return Window(col0, row0, col1 - col0, row1 - row0)


def _read_shape(
    ds: DatasetReader, window: Window | None, max_pixels: int, warnings: list[str]
) -> tuple[tuple[int, int], Affine]:
    if window is None:
        rows, cols, base = ds.height, ds.width, ds.transform
    else:
        rows, cols, base = int(window.height), int(window.width), ds.window_transform(window)
    if rows * cols <= max_pixels:
        return (rows, cols), base
    factor = math.ceil(math.sqrt(rows * cols / max_pixels))
    out_rows, out_cols = math.ceil(rows / factor), math.ceil(cols / factor)
    warnings.append(
        f"large raster ({cols} x {rows} px) read at 1/{factor} resolution ({out_cols} x {out_rows} px)"
    )
    transform = base @ Affine.scale(cols / out_cols, rows / out_rows)
    return (out_rows, out_cols), transform


def _read_values(ds: DatasetReader, band: int, shape: tuple[int, int], window: Window | None) -> np.ndarray:
    from rasterio.enums import Resampling

    decimated = shape != (
        (ds.height, ds.width) if window is None else (int(window.height), int(window.width))
    )
    data = ds.read(
        band,
        out_shape=shape,
        masked=True,
        resampling=Resampling.average if decimated else Resampling.nearest,
        window=window,
    )
    values = np.ma.filled(data.astype(np.float64), np.nan)
    scale = ds.scales[band - 1] if ds.scales else 1.0
    offset = ds.offsets[band - 1] if ds.offsets else 0.0
    if scale not in (None, 1.0) or offset not in (None, 0.0):
        values = values * (scale or 1.0) + (offset or 0.0)
    values[~np.isfinite(values)] = np.nan
    return values.astype(np.float32)


def _read_rgba(ds: DatasetReader, shape: tuple[int, int], window: Window | None) -> np.ndarray:
    from rasterio.enums import Resampling

    nearest = Resampling.nearest
    rgba = np.empty((*shape, 4), dtype=np.uint8)
    if ds.count == 1:  # paletted
        lut = np.zeros((256, 4), dtype=np.uint8)
        for index, color in ds.colormap(1).items():
            if 0 <= index < 256:
                lut[index] = color
        rgba[:] = lut[ds.read(1, out_shape=shape, resampling=nearest, window=window)]
        masks = ds.read_masks(1, out_shape=shape, resampling=nearest, window=window)
        rgba[..., 3] = np.where(masks > 0, rgba[..., 3], 0)
        return rgba
    colours = ds.read([1, 2, 3], out_shape=(3, *shape), resampling=nearest, window=window)
    rgba[..., :3] = np.moveaxis(colours, 0, -1)
    if ds.count == 4:
        rgba[..., 3] = ds.read(4, out_shape=shape, resampling=nearest, window=window)
    else:
        mask = ds.dataset_mask(out_shape=shape, resampling=nearest, window=window)
        rgba[..., 3] = np.where(mask > 0, 255, 0)
    return rgba


def _north_up(data: np.ndarray, transform: Affine, crs: CRS) -> Grid:
    """A :class:`Grid` of values (rows, cols) or of a colour image (rows, cols, 4) from a rasterio
    read, flipped or warped until it is north-up."""
    a, b, c, d, e, f = transform.a, transform.b, transform.c, transform.d, transform.e, transform.f
    if b != 0 or d != 0:  # rotated or sheared: warp into a north-up grid of the same CRS
        rows, cols = data.shape[:2]
        corners_x = [c, c + a * cols, c + b * rows, c + a * cols + b * rows]
        corners_y = [f, f + d * cols, f + e * rows, f + d * cols + e * rows]
        source = RotatedSource(data, transform, crs)
        return warp(source, crs, bounds=(min(corners_x), min(corners_y), max(corners_x), max(corners_y)))
    if e > 0:  # south-up
        data = data[::-1]
        f = f + e * data.shape[0]
        e = -e
    if a < 0:  # east-to-west columns
        data = data[:, ::-1]
        c = c + a * data.shape[1]
        a = -a
    pixels = np.ascontiguousarray(data)
    if pixels.ndim == 3:
        return Grid(rgba=pixels, x0=c, y0=f, dx=a, dy=-e, crs=crs)
    return Grid(values=pixels, x0=c, y0=f, dx=a, dy=-e, crs=crs)


def stale_beside(path: Path) -> tuple[str, ...]:
    """What GDAL may keep beside a GeoTIFF (``<name>.aux.xml``: statistics, metadata), as the
    ending after its stem: wrong once the GeoTIFF is replaced (:meth:`layers.io.atomic.Replacement.add`)."""
    return (path.suffix + ".aux.xml",)


def write_geotiff(
    grid: Grid, path: str | Path, *, tags: dict[str, str] | None = None, nodata: float | None = None
) -> Path:
    """Write ``grid`` as a GeoTIFF (float32 values with NaN nodata, or 4-band RGBA); returns the path.

    Written whole or not at all (:func:`layers.io.atomic.replacing`): a failure leaves the previous
    file and raises :class:`layers.core.errors.OutputError` naming the cause; what libtiff prints
    meanwhile is not shown."""
    import rasterio

    path = Path(path)
    rows, cols = grid.shape
    profile = {
        "driver": "GTiff",
        "width": cols,
        "height": rows,
        "transform": grid.transform(),
        "crs": grid.crs.to_wkt() if grid.crs is not None else None,
        "compress": "deflate",
    }
    with (
        replacing(path, stale=stale_beside(path), quiet=True) as temp,
        rasterio.open(
            temp,
            "w",
            count=4 if grid.is_image else 1,
            dtype="uint8" if grid.is_image else "float32",
            nodata=None if grid.is_image else (np.nan if nodata is None else nodata),
            **profile,
        ) as ds,
    ):
        if grid.values is None:  # a colour image
            ds.write(np.moveaxis(grid.data, -1, 0))
        else:
            values = grid.values if nodata is None else np.where(np.isnan(grid.values), nodata, grid.values)
            ds.write(values.astype(np.float32), 1)
        if tags:
            ds.update_tags(**tags)
    return path


def unit_from_tags(tags: dict[str, str]) -> str | None:
    """The unit in a raster's tags (``UNIT=dB(A)``, ``units=°C``...), ``None`` if none."""
    for key in UNIT_TAGS:
        value = tags.get(key)
        if value and str(value).strip():
            return str(value).strip()
    return None
