"""The files a store is prepared from: what each holds, checked before any work, and its partitions.

:func:`describe_source` checks a footprint file (GeoPackage, FlatGeobuf, Shapefile, GeoJSON,
GeoParquet) on the driver, cheaply (no feature read beyond the metadata): it exists, it is a vector
file, it holds polygons, it has a CRS. It returns a :class:`Source` with its feature count, its CRS
and its bounds in the store CRS. :func:`partitions` cuts it into runs of rows for the workers:
``dask_geopandas.read_file`` partitions for GDAL formats, runs of row groups for GeoParquet
(:func:`read_parquet_rows`); each partition keeps the rows' positions in the file as its index.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from layers.core.errors import InputError
from layers.io.vector_source import PARQUET_SUFFIXES, check_file, expected_of, gdal_error

if TYPE_CHECKING:
    import geopandas as gpd

#: geometry types that can be building footprints (OGR names, and GeoParquet's)
POLYGONAL = ("polygon", "multipolygon", "polygon z", "multipolygon z", "unknown", "geometrycollection")
#: GeoParquet's default CRS when its metadata names none (the specification's OGC:CRS84)
GEOPARQUET_DEFAULT_CRS = "OGC:CRS84"


@dataclass(frozen=True)
class Source:
    """A footprint file checked on the driver.

    Attributes
    ----------
    path
        The file.
    layer
        The GeoPackage layer read (``None``: the only or first one).
    crs
        The file's CRS as WKT (GeoJSON without one: WGS 84 lon/lat).
    features
        Features in the file.
    bounds
        (xmin, ymin, xmax, ymax) of the file in the store CRS, metres.
    parquet
        True for GeoParquet (read by row groups), False for a GDAL format.
    encoding
        Text encoding of a shapefile's ``.dbf`` (``None``: GDAL's choice).
    """

    path: Path
    layer: str | None
    crs: str
    features: int
    bounds: tuple[float, float, float, float]
    parquet: bool
    encoding: str | None = None

    @property
    def name(self) -> str:
        """A short name for identifiers and reports: the file name without its extension."""
        return self.path.stem


def describe_source(path: str | Path, store_crs: str, layer: str | None = None) -> Source:
    """Check ``path`` as a footprint file and describe it (see :class:`Source`).

    Raises :class:`InputError` (one line) for a missing or empty file, one that is not a vector
    file, holds no features, no polygons, or has no CRS.
    """
    path = Path(path)
    check_file(path)
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return _describe_parquet(path, store_crs)
    return _describe_gdal(path, store_crs, layer)


def _describe_gdal(path: Path, store_crs: str, layer: str | None) -> Source:
    import pyogrio

    from layers.io.vector_layers import choose_layer

    notes: list[str] = []
    encoding = None
    if path.suffix.lower() == ".shp":
        from layers.io.shapefile import check_shapefile, shapefile_encoding

        check_shapefile(path, notes)
        encoding = shapefile_encoding(path, notes)
    chosen = choose_layer(path, layer, notes) if path.suffix.lower() != ".shp" else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            info = pyogrio.read_info(
                str(path), layer=chosen, force_feature_count=True, force_total_bounds=True
            )
    except Exception as exc:  # noqa: BLE001 - GDAL raises many types for one user-level problem
        raise gdal_error(path, exc) from None
    shown = str(info.get("geometry_type") or "")
    gtype = shown.lower()
    if not gtype:
        raise InputError(path, f"has no geometry (expected {expected_of(path)} of building footprints)")
    if gtype not in POLYGONAL:
        raise InputError(path, f"holds no footprints: its geometries are of type {shown}, not polygons")
    features = int(info.get("features") or 0)
    if features <= 0:
        raise InputError(path, "holds no features")
    crs = info.get("crs")
    if crs is None:
        if path.suffix.lower() not in {".geojson", ".json"}:
            raise InputError(path, "has no CRS", hint="add its .prj, or export it again with its CRS")
        crs = "EPSG:4326"  # RFC 7946: GeoJSON is WGS 84 longitude, latitude
    bounds = _store_bounds(tuple(float(v) for v in info["total_bounds"]), str(crs), store_crs)
    return Source(path, chosen, _wkt(str(crs)), features, bounds, parquet=False, encoding=encoding)


def _describe_parquet(path: Path, store_crs: str) -> Source:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a broken file
        raise InputError(path, f"is not a Parquet file ({' '.join(str(exc).split())})") from None
    geo_text = (meta.metadata or {}).get(b"geo")
    if geo_text is None:
        raise InputError(path, "is a Parquet file without geometry (expected GeoParquet footprints)")
    geo = json.loads(geo_text)
    column = geo["columns"][geo["primary_column"]]
    types = [str(t).lower() for t in column.get("geometry_types", [])]
    if types and not any(t.removesuffix(" z") in POLYGONAL for t in types):
        raise InputError(path, f"holds no footprints: its geometries are {', '.join(types)}, not polygons")
    if meta.num_rows <= 0:
        raise InputError(path, "holds no features")
    crs = column.get("crs", GEOPARQUET_DEFAULT_CRS)
    if crs is None:
        raise InputError(path, "has no CRS (its GeoParquet metadata says it is unknown)")
    crs_text = json.dumps(crs) if isinstance(crs, dict) else str(crs)
    bbox = column.get("bbox")
    if bbox is None:
        bbox = _parquet_bounds(path, geo["primary_column"])
    bounds = _store_bounds(tuple(float(v) for v in bbox[:4]), crs_text, store_crs)
    return Source(path, None, _wkt(crs_text), int(meta.num_rows), bounds, parquet=True)


def _parquet_bounds(path: Path, column: str) -> list[float]:
    import geopandas as gpd

    frame = gpd.read_parquet(path, columns=[column])
    return [float(v) for v in frame.total_bounds]


def _wkt(crs: str) -> str:
    from pyproj import CRS

    return str(CRS.from_user_input(crs).to_wkt())


def _store_bounds(bounds: tuple[float, ...], crs: str, store_crs: str) -> tuple[float, float, float, float]:
    from pyproj import CRS, Transformer

    source, target = CRS.from_user_input(crs), CRS.from_user_input(store_crs)
    if source.equals(target):
        return bounds[0], bounds[1], bounds[2], bounds[3]
    transformer = Transformer.from_crs(source, target, always_xy=True)
    xmin, ymin, xmax, ymax = transformer.transform_bounds(
        bounds[0], bounds[1], bounds[2], bounds[3], densify_pts=21
    )
    return float(xmin), float(ymin), float(xmax), float(ymax)


@dataclass(frozen=True)
class Partition:
    """Rows ``start`` to ``start + count`` of a source (``row_groups`` for GeoParquet)."""

    source: int
    number: int
    start: int
    count: int
    row_groups: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        """A name for the partition's files: source and partition numbers."""
        return f"s{self.source:04d}-p{self.number:05d}"


def partitions(source: Source, index: int, chunksize: int) -> list[Partition]:
    """The partitions of ``source`` (number ``index`` among the sources): about ``chunksize`` rows
    each (whole row groups for GeoParquet)."""
    if source.parquet:
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(source.path).metadata
        out: list[Partition] = []
        groups: list[int] = []
        start = rows = 0
        for group in range(meta.num_row_groups):
            groups.append(group)
            rows += meta.row_group(group).num_rows
            if rows >= chunksize or group == meta.num_row_groups - 1:
                out.append(Partition(index, len(out), start, rows, tuple(groups)))
                start, rows, groups = start + rows, 0, []
        return out
    count = source.features
    return [
        Partition(index, number, start, min(chunksize, count - start))
        for number, start in enumerate(range(0, count, chunksize))
    ]


def read_parquet_rows(source: Source, part: Partition) -> gpd.GeoDataFrame:
    """The rows of a GeoParquet partition, indexed by their position in the file."""
    import geopandas as gpd
    import numpy as np
    import pyarrow.parquet as pq
    import shapely

    handle = pq.ParquetFile(source.path)
    geo = json.loads(handle.metadata.metadata[b"geo"])
    column = geo["primary_column"]
    table = handle.read_row_groups(list(part.row_groups))
    frame = table.drop([column]).to_pandas()
    encoding = str(geo["columns"][column].get("encoding", "WKB")).upper()
    raw = table.column(column).to_numpy(zero_copy_only=False)
    geometry = shapely.from_wkb(raw) if encoding == "WKB" else shapely.from_wkt(raw)
    frame.index = np.arange(part.start, part.start + len(frame))
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, index=frame.index), crs=source.crs)


def read_gdal_rows(source: Source, part: Partition) -> gpd.GeoDataFrame:
    """The rows of a GDAL partition, indexed by their position in the file (what
    ``dask_geopandas.read_file`` reads for one of its partitions)."""
    import numpy as np
    import pyogrio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = pyogrio.read_dataframe(
            str(source.path),
            layer=source.layer,
            encoding=source.encoding,
            skip_features=part.start,
            max_features=part.count,
        )
    frame.index = np.arange(part.start, part.start + len(frame))
    if frame.crs is None:
        frame = frame.set_crs(source.crs)
    return frame
