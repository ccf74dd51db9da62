"""Read any vector file into a GeoDataFrame with a trustworthy CRS and clear errors.

Formats: GeoJSON (the legacy ``crs`` member included), Shapefile (plain or zipped; ``.cpg`` honoured,
else UTF-8 / Windows-1252 detected from the ``.dbf`` bytes: :mod:`layers.io.shapefile`), GeoPackage
(a layer chosen), FlatGeobuf, GeoParquet, CSV / TSV with a WKT column or coordinate columns
(:mod:`layers.io.text_table`), Opendatasoft JSON dumps (:mod:`layers.io.opendatasoft`), and
whatever else GDAL reads (KML, GML...).

The CRS of the result is, in order: the ``crs`` argument (it overrides a missing or wrong one), the
CRS the file declares, or EPSG:4326 when the coordinates are plainly degrees (with a warning).
Anything else is an :class:`~layers.core.errors.InputError` asking the user to choose a CRS, as is a
declaration contradicted by the coordinates (longitudes / latitudes labelled Lambert-93); see
:mod:`layers.io.vector_crs`.

Geometries keep their Z (an altitude for BD TOPO footprints, 3D road lines); M values are dropped.
A GeometryCollection is read as the polygons (else lines, else points) it holds, what else it holds
left out with a warning. Features without geometry are dropped with a warning
(:mod:`layers.io.vector_repair`). The frame's index is the position of each feature in the source
(0-based), so callers can report it.

The layers of a source are listed and chosen in :mod:`layers.io.vector_layers`; the checks of a
file and GDAL's errors in user words are in :mod:`layers.io.vector_source`.
"""

from __future__ import annotations

import json
import re
import warnings as pywarnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.area import Area
from layers.core.errors import InputError
from layers.core.slices import read_geometries_in_slices
from layers.io.opendatasoft import is_opendatasoft_json
from layers.io.shapefile import (
    check_shapefile,
    choose_zip_member,
    shapefile_encoding,
    sidecar,
)
from layers.io.text_table import WKT_COLUMNS
from layers.io.vector_crs import check_fits, missing_crs, resolve_crs
from layers.io.vector_layers import choose_layer, list_layers, vector_info
from layers.io.vector_repair import (
    ID_COLUMNS,
    drop_absurd_coordinates,
    drop_m,
    drop_missing_geometries,
    drop_off_earth,
    example_ids,
    id_column,
    split_collections,
    unique_columns,
)
from layers.io.vector_source import (
    EXPECTED,
    KNOWN_FORMATS,
    PARQUET_SUFFIXES,
    TEXT_SUFFIXES,
    beyond_gdal_limit,
    check_file,
    expected_of,
    gdal_error,
)

__all__ = [
    "EXPECTED",
    "ID_COLUMNS",
    "KNOWN_FORMATS",
    "WKT_COLUMNS",
    "VectorData",
    "example_ids",
    "id_column",
    "list_layers",
    "missing_crs",
    "read_vector",
    "vector_info",
]

#: ``layers.buildings.citymodel`` still imports the CRS check under its former name
_check_fits = check_fits


@dataclass
class VectorData:
    """What :func:`read_vector` returns.

    Attributes
    ----------
    frame
        One row per source feature with geometry; index = position of the feature in the file.
        Coordinates in :attr:`crs`, Z kept where the file has it, M dropped.
    crs
        The CRS of ``frame`` (EPSG-normalised; ESRI ``.prj`` definitions mapped to their code).
    encoding
        The text encoding used for attributes (``None`` when the format fixes it, e.g. GeoJSON).
    layer
        The layer read from a multi-layer source (GeoPackage, zip), else ``None``.
    warnings
        What was guessed, dropped or repaired, in user words.
    has_z
        True when some geometry has Z coordinates.
    features_read
        Features in the file, those left out included.
    skipped
        ``{reason: positions}`` of the features left out (``"no geometry"``, ``"unreadable
        geometry"``), positions in the file, so that callers account for every feature.
    outside
        Features of the file not read because they lie outside the ``area`` asked for (0 without
        one; when the format cannot count its features cheaply, 0 as well).
    """

    frame: gpd.GeoDataFrame
    crs: CRS
    encoding: str | None = None
    layer: str | None = None
    warnings: list[str] = field(default_factory=list)
    has_z: bool = False
    features_read: int = 0
    skipped: dict[str, np.ndarray] = field(default_factory=dict)
    outside: int = 0


def read_vector(
    path: str | Path,
    *,
    layer: str | None = None,
    crs: object | None = None,
    encoding: str | None = None,
    area: Area | None = None,
) -> VectorData:
    """Read a vector file; see the module docstring for formats and the CRS rules.

    Parameters
    ----------
    path
        The file (a ``.zip`` holding a shapefile is read in place).
    layer
        Layer of a GeoPackage (or shapefile of a zip) to read; default: the first with geometry.
    crs
        ``EPSG:2154``, WKT, a :class:`pyproj.CRS`...: replaces a missing or wrong declaration.
    encoding
        Text encoding of a shapefile's ``.dbf`` or of a CSV, when the detection gets it wrong.
    area
        Read only the features that meet this area (whole, not cut). GDAL formats are filtered while
        reading, through the file's spatial index where it has one (a GeoPackage's R-tree, a
        shapefile's ``.qix``/``.sbn``), so a département's file clipped to a commune reads only
        the commune; text tables and GeoParquet are filtered once read. ``features_read`` then
        counts the features read, and :attr:`VectorData.outside` those of the file left unread.

    Raises
    ------
    InputError
        Missing, empty, truncated or unreadable file, no geometry, no features, no usable CRS.
    """
    path = Path(path)
    shp = sidecar(path, ".shp") if path.suffix.lower() in {".dbf", ".shx"} else None
    if shp is not None:
        path = shp  # a shapefile picked by one of its sidecars
    check_file(path)
    suffix = path.suffix.lower()
    notes: list[str] = []
    outside = 0
    default_crs = False  # True when the "declared" CRS is only the format's default (GeoJSON)
    chosen_layer = None
    opendatasoft = suffix == ".json" and is_opendatasoft_json(path)  # an API dump, not GeoJSON
    if suffix in TEXT_SUFFIXES:
        from layers.io.text_table import read_text_table

        frame, encoding = read_text_table(path, encoding, notes, expected_of(path))
    elif suffix in PARQUET_SUFFIXES:
        frame, default_crs = _read_geoparquet(path)
    elif opendatasoft:
        from layers.io.opendatasoft import read_opendatasoft_json

        frame = read_opendatasoft_json(path, notes)
    else:
        target = str(path)
        if suffix == ".zip":
            inner = choose_zip_member(path, layer, notes)
            chosen_layer = Path(inner).stem
            target = f"/vsizip/{path}/{inner}"
            encoding = encoding or shapefile_encoding(path, notes, zip_member=inner)
        elif suffix == ".shp":
            check_shapefile(path, notes)
            encoding = encoding or shapefile_encoding(path, notes)
        else:
            encoding = None
            chosen_layer = choose_layer(path, layer, notes)
        gdal_layer = chosen_layer if suffix != ".zip" else None
        mask, in_file = _area_mask(target, gdal_layer, area, crs)
        frame = _read_gdal(path, target, gdal_layer, encoding, notes, mask)
        if mask is not None:
            outside = max(in_file - len(frame), 0)
            if not len(frame):
                raise InputError(path, f"none of its features meets {area.label if area else ''}")
        if suffix in {".geojson", ".json"}:
            default_crs = not _geojson_declares_crs(path)
    features_read = len(frame)
    skipped: dict[str, np.ndarray] = {}
    unreadable = frame.attrs.pop("unreadable_rows", None)
    if unreadable is not None and len(unreadable):
        skipped["unreadable geometry"] = np.asarray(unreadable, np.int64)
    frame = unique_columns(path, frame, notes)
    frame = split_collections(path, frame, notes)
    frame = drop_missing_geometries(path, frame, notes, skipped)
    frame = drop_absurd_coordinates(path, frame, notes, skipped)
    frame = drop_m(frame)
    declared = crs_util.normalise(CRS.from_user_input(frame.crs)) if frame.crs is not None else None
    if _maybe_degrees(declared, crs, default_crs):
        frame = drop_off_earth(path, frame, notes, skipped)
    xmin, ymin, xmax, ymax = (float(v) for v in frame.total_bounds)
    bounds = (xmin, ymin, xmax, ymax)
    final = resolve_crs(path, declared, crs, bounds, notes, declared_is_default=default_crs)
    if frame.crs is None or not CRS.from_user_input(frame.crs).equals(final):
        frame = frame.set_crs(final, allow_override=True)
    if area is not None and (suffix in TEXT_SUFFIXES | PARQUET_SUFFIXES or opendatasoft):
        meets = shapely.intersects(frame.geometry.values, area.in_crs(final).outline)
        outside = int((~meets).sum())
        frame = frame[meets]
        features_read -= outside
        if not len(frame):
            raise InputError(path, f"none of its features meets {area.label}")
    has_z = bool(shapely.has_z(frame.geometry.values).any())
    return VectorData(
        frame, final, encoding, chosen_layer, notes, has_z, features_read, skipped, outside=outside
    )


def _area_mask(
    target: str, layer: str | None, area: Area | None, crs: object | None
) -> tuple[shapely.Geometry | None, int]:
    """The ``area``'s outline in the file's CRS (the ``crs`` given overrides the file's), and the
    number of features in the file (0 when GDAL cannot tell without reading them all)."""
    if area is None:
        return None, 0
    import pyogrio

    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            info = pyogrio.read_info(target, layer=layer)
    except Exception:  # noqa: BLE001 - the read that follows says what is wrong with the file
        return area.outline, 0
    declared = crs if crs is not None else info.get("crs")
    outline = area.outline
    if declared is not None:
        try:
            outline = area.in_crs(crs_util.parse_crs(declared)).outline
        except ValueError:
            pass  # an unreadable declaration: resolve_crs says so after the read
    count = info.get("features")
    return outline, int(count) if isinstance(count, int) and count > 0 else 0


def _maybe_degrees(declared: CRS | None, given: object | None, declared_is_default: bool) -> bool:
    """True when the file's coordinates are, or may be, longitudes / latitudes: the CRS given or
    declared is geographic, or none is (a GeoJSON's default counts as none)."""
    if given is not None:
        try:
            return crs_util.horizontal(crs_util.parse_crs(given)).is_geographic
        except ValueError:
            return False
    return declared is None or declared_is_default or crs_util.horizontal(declared).is_geographic


def _repair_text(path: Path, frame: pd.DataFrame, notes: list[str]) -> None:
    """Text columns that GDAL handed over with bytes that are not UTF-8 (a damaged file, or one in
    another encoding that says nothing): decoded again, the bad bytes shown as �, noted."""
    import pyarrow as pa

    for i, column in enumerate(frame.columns):  # by position: a damaged file may repeat a name
        dtype = frame.dtypes.iloc[i]
        if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
            continue
        array = pa.array(frame.iloc[:, i].array)
        try:
            array.validate(full=True)
        except pa.ArrowInvalid:
            raw: list[bytes | None] = array.cast(pa.large_binary()).to_pylist()
            fixed = [None if v is None else v.decode("utf-8", errors="replace") for v in raw]
            bad = sum(1 for f in fixed if f is not None and "\ufffd" in f)
            frame.isetitem(i, pd.array(fixed, dtype=dtype))
            notes.append(
                f"{path.name}: {bad} values of {column!r} are not valid "
                "UTF-8 text: the bytes that are not are shown as �"
            )


def _read_gdal(
    path: Path,
    target: str,
    layer: str | None,
    encoding: str | None,
    notes: list[str],
    mask: shapely.Geometry | None = None,
) -> gpd.GeoDataFrame:
    import pyogrio

    read_geometries_in_slices()  # the window keeps turning while a large file is decoded
    with pywarnings.catch_warnings(record=True) as caught:
        pywarnings.simplefilter("always")
        try:
            frame = pyogrio.read_dataframe(target, layer=layer, encoding=encoding, use_arrow=True, mask=mask)
        except UnicodeDecodeError:
            raise InputError(
                path,
                f"its text is not in the {encoding} encoding",
                hint="give the right one with the encoding option",
            ) from None
        except Exception as exc:  # noqa: BLE001 - GDAL raises many types for one user-level problem
            if beyond_gdal_limit(path, exc):
                from layers.io.geojson_text import read_geojson_text

                return _within(read_geojson_text(path, notes), mask)
            if "closed linestring" in str(exc):
                return _within(_read_closing_rings(path, target, layer, encoding, notes), mask)
            raise gdal_error(path, exc) from None
    _repair_text(path, frame, notes)
    for warning in caught:
        message = " ".join(str(warning.message).replace(target, path.name).split())
        if "Measured (M) geometry" not in message:  # M values are dropped on purpose
            notes.append(message if path.name in message else f"{path.name}: {message}")
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise InputError(path, f"has no geometry (expected {expected_of(path)} with features)")
    return frame


def _within(frame: gpd.GeoDataFrame, mask: shapely.Geometry | None) -> gpd.GeoDataFrame:
    """The rows of ``frame`` that meet ``mask`` (in the frame's CRS): for the readers that cannot
    filter while reading."""
    if mask is None:
        return frame
    return frame[shapely.intersects(frame.geometry.values, mask)]


def _read_closing_rings(
    path: Path, target: str, layer: str | None, encoding: str | None, notes: list[str]
) -> gpd.GeoDataFrame:
    """Read a file whose polygons have rings not closed (GDAL accepts them, shapely does not):
    attributes as usual, geometries from their WKB with the rings closed, and a note."""
    import pyogrio
    import pyogrio.raw

    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")  # "Non closed ring detected"
            attributes = pyogrio.read_dataframe(target, layer=layer, encoding=encoding, read_geometry=False)
            meta, _, wkb, _ = pyogrio.raw.read(
                target, layer=layer, encoding=encoding, columns=[], read_geometry=True
            )
    except Exception as exc:  # noqa: BLE001
        raise gdal_error(path, exc) from None
    strict = shapely.from_wkb(wkb, on_invalid="ignore")
    geoms = shapely.from_wkb(wkb, on_invalid="fix")
    closed = shapely.is_missing(strict) & ~shapely.is_missing(geoms)
    frame = gpd.GeoDataFrame(attributes, geometry=geoms, crs=meta.get("crs"))
    if closed.any():
        notes.append(
            f"{path.name}: {int(closed.sum())} polygons had rings not closed "
            f"(last point not repeating the first): closed ({example_ids(frame, closed)})"
        )
    return frame


def _geojson_declares_crs(path: Path) -> bool:
    """True when the GeoJSON text has a (legacy) ``crs`` member near its start."""
    with open(path, "rb") as handle:
        head = handle.read(65536).decode("utf-8", errors="replace")
    return bool(re.search(r'"crs"\s*:\s*\{', head))


def _read_geoparquet(path: Path) -> tuple[gpd.GeoDataFrame, bool]:
    """A GeoParquet file; returns the frame and whether its CRS is only the format's default."""
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_schema(path).metadata or {}
    except Exception as exc:  # noqa: BLE001
        raise InputError(path, f"is not readable as GeoParquet: {' '.join(str(exc).split())}") from None
    if b"geo" not in metadata:
        raise InputError(path, "is a Parquet table without GeoParquet metadata (no geometry column declared)")
    try:
        geo = json.loads(metadata[b"geo"])
        primary = geo["columns"][geo["primary_column"]]
        frame = gpd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001
        raise InputError(path, f"is not readable as GeoParquet: {' '.join(str(exc).split())}") from None
    return frame, "crs" not in primary
