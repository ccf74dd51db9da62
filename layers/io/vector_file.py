"""Read any vector file into a GeoDataFrame with a trustworthy CRS and clear errors.

Formats: GeoJSON (the legacy ``crs`` member included), Shapefile (plain or zipped; ``.cpg`` honoured,
else UTF-8 / Windows-1252 detected from the ``.dbf`` bytes), GeoPackage (a layer chosen), FlatGeobuf,
GeoParquet, CSV / TSV with a WKT column or coordinate columns (:mod:`layers.io.text_table`), and
whatever else GDAL reads (KML, GML...).

The CRS of the result is, in order: the ``crs`` argument (it overrides a missing or wrong one), the
CRS the file declares, or EPSG:4326 when the coordinates are plainly degrees (with a warning).
Anything else is an :class:`~layers.core.errors.InputError` asking the user to choose a CRS, as is a
declaration contradicted by the coordinates (longitudes / latitudes labelled Lambert-93).

Geometries keep their Z (an altitude for BD TOPO footprints, 3D road lines); M values are dropped.
Features without geometry are dropped with a warning. The frame's index is the position of each
feature in the source (0-based), so callers can report it.
"""

from __future__ import annotations

import io
import json
import re
import warnings as pywarnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.errors import CRSMissing, InputError
from layers.io.crs_guess import crs_candidates, describe_candidates
from layers.io.text_table import WKT_COLUMNS  # noqa: F401 - part of this module's interface

#: what each suffix is expected to hold, for error messages
EXPECTED = {
    ".shp": "an ESRI Shapefile (.shp with its .shx and .dbf beside it)",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "a GeoPackage",
    ".fgb": "FlatGeobuf",
    ".parquet": "GeoParquet",
    ".geoparquet": "GeoParquet",
    ".csv": "a CSV table with a WKT geometry column or coordinate columns",
    ".tsv": "a TSV table with a WKT geometry column or coordinate columns",
    ".txt": "a delimited text table with a WKT geometry column or coordinate columns",
    ".zip": "a zipped shapefile",
    ".kml": "KML",
    ".gml": "GML",
}
KNOWN_FORMATS = "GeoJSON, Shapefile (or zipped), GeoPackage, FlatGeobuf, GeoParquet or CSV with a WKT column"
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
PARQUET_SUFFIXES = {".parquet", ".geoparquet"}
ID_COLUMNS = ("id", "cleabs", "fid", "osm_id", "id_way", "gid", "objectid", "identifiant", "uid")
#: how much of a .dbf is read to guess its text encoding, bytes (all of it in practice: a byte
#: missed here would reach Arrow undecoded)
DBF_SAMPLE_BYTES = 512 << 20
#: dBase "language driver id" (byte 29) → Python codec, for the codepages seen in the wild
DBF_LDID = {
    0x01: "cp437",
    0x02: "cp850",
    0x03: "cp1252",
    0x57: "cp1252",
    0x58: "cp1252",
    0x59: "cp1252",
    0x64: "cp852",
    0x65: "cp866",
    0x66: "cp865",
    0x67: "cp861",
    0x6A: "cp737",
    0x6B: "cp857",
    0xC8: "cp1250",
    0xC9: "cp1251",
    0xCA: "cp1254",
    0xCB: "cp1253",
}


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
    """

    frame: gpd.GeoDataFrame
    crs: CRS
    encoding: str | None = None
    layer: str | None = None
    warnings: list[str] = field(default_factory=list)
    has_z: bool = False
    features_read: int = 0
    skipped: dict[str, np.ndarray] = field(default_factory=dict)


def list_layers(path: str | Path) -> list[tuple[str, str | None]]:
    """``(name, geometry type or None)`` of every layer of a GeoPackage / zip / other GDAL source."""
    path = Path(path)
    _check_file(path)
    if path.suffix.lower() in TEXT_SUFFIXES | PARQUET_SUFFIXES:
        return [(path.stem, None)]
    if path.suffix.lower() == ".zip":
        return [(Path(name).stem, "Shapefile") for name in _zip_shapefiles(path)]
    import pyogrio

    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            layers = pyogrio.list_layers(str(path))
    except Exception as exc:  # noqa: BLE001 - any GDAL failure is one message for a user
        raise _gdal_error(path, exc) from None
    return [(str(name), None if gtype in (None, "") else str(gtype)) for name, gtype in layers]


def vector_info(path: str | Path, *, layer: str | None = None) -> dict[str, object]:
    """Cheap metadata of a vector file without reading its features (for kind detection).

    Returns ``target`` (what GDAL opens: the path, or ``/vsizip/...`` for a zipped shapefile),
    ``layer``, ``geometry_type`` (e.g. ``"Polygon"``, ``""`` when unknown), ``fields`` and
    ``features``. Raises :class:`InputError` like :func:`read_vector`.
    """
    path = Path(path)
    _check_file(path)
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        import pyarrow.parquet as pq

        try:
            parquet = pq.ParquetFile(path)
            geo = json.loads((parquet.schema_arrow.metadata or {})[b"geo"])
        except Exception:  # noqa: BLE001 - not Parquet, or no GeoParquet metadata
            raise InputError(path, "is not readable as GeoParquet (a Parquet file with geometry)") from None
        types = geo["columns"][geo["primary_column"]].get("geometry_types") or []
        return {
            "target": str(path),
            "layer": None,
            "geometry_type": types[0] if len(set(types)) == 1 else "",
            "fields": [n for n in parquet.schema_arrow.names if n not in geo["columns"]],
            "features": parquet.metadata.num_rows,
        }
    import pyogrio

    if suffix == ".zip":
        inner = _choose_zip_member(path, layer, [])
        target, layer = f"/vsizip/{path}/{inner}", None
    else:
        target, layer = str(path), _choose_layer(path, layer, [])
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            info = pyogrio.read_info(target, layer=layer)
    except Exception as exc:  # noqa: BLE001
        if not _beyond_gdal_limit(path, exc):
            raise _gdal_error(path, exc) from None
        from layers.io.geojson_text import read_geojson_text

        frame = read_geojson_text(path, [])
        types = frame.geometry.geom_type.dropna().unique()
        info = {
            "geometry_type": types[0] if len(types) == 1 else "",
            "features": len(frame),
            "fields": [c for c in frame.columns if c != frame.geometry.name],
        }
    return {
        "target": target,
        "layer": layer,
        "geometry_type": info.get("geometry_type") or "",
        "fields": [str(f) for f in info.get("fields", [])],
        "features": info.get("features", 0),
    }


def read_vector(
    path: str | Path,
    *,
    layer: str | None = None,
    crs: object | None = None,
    encoding: str | None = None,
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

    Raises
    ------
    InputError
        Missing, empty, truncated or unreadable file, no geometry, no features, no usable CRS.
    """
    path = Path(path)
    if path.suffix.lower() in {".dbf", ".shx"} and _sidecar(path, ".shp") is not None:
        path = _sidecar(path, ".shp")  # a shapefile picked by one of its sidecars
    _check_file(path)
    suffix = path.suffix.lower()
    notes: list[str] = []
    default_crs = False  # True when the "declared" CRS is only the format's default (GeoJSON)
    chosen_layer = None
    if suffix in TEXT_SUFFIXES:
        from layers.io.text_table import read_text_table

        frame, encoding = read_text_table(path, encoding, notes, _expected(path))
    elif suffix in PARQUET_SUFFIXES:
        frame, default_crs = _read_geoparquet(path)
    else:
        target = str(path)
        if suffix == ".zip":
            inner = _choose_zip_member(path, layer, notes)
            chosen_layer = Path(inner).stem
            target = f"/vsizip/{path}/{inner}"
            encoding = encoding or _shapefile_encoding(path, notes, zip_member=inner)
        elif suffix == ".shp":
            _check_shapefile(path)
            encoding = encoding or _shapefile_encoding(path, notes)
        else:
            encoding = None
            chosen_layer = _choose_layer(path, layer, notes)
        frame = _read_gdal(path, target, chosen_layer if suffix != ".zip" else None, encoding, notes)
        if suffix in {".geojson", ".json"}:
            default_crs = not _geojson_declares_crs(path)
    features_read = len(frame)
    skipped: dict[str, np.ndarray] = {}
    unreadable = frame.attrs.pop("unreadable_rows", None)
    if unreadable is not None and len(unreadable):
        skipped["unreadable geometry"] = np.asarray(unreadable, np.int64)
    frame = _unique_columns(path, frame, notes)
    frame = _drop_missing_geometries(path, frame, notes, skipped)
    frame = _drop_absurd_coordinates(path, frame, notes, skipped)
    frame = _drop_m(frame)
    bounds = tuple(float(v) for v in frame.total_bounds)
    declared = crs_util.normalise(CRS.from_user_input(frame.crs)) if frame.crs is not None else None
    final = _resolve_crs(path, declared, crs, bounds, notes, declared_is_default=default_crs)
    if frame.crs is None or not CRS.from_user_input(frame.crs).equals(final):
        frame = frame.set_crs(final, allow_override=True)
    has_z = bool(shapely.has_z(frame.geometry.values).any())
    return VectorData(frame, final, encoding, chosen_layer, notes, has_z, features_read, skipped)


def id_column(columns) -> str | None:
    """The column that best identifies features (``ID``, ``cleabs``, ``osm_id``...), or ``None``."""
    by_lower = {str(c).lower(): str(c) for c in columns}
    return next((by_lower[c] for c in ID_COLUMNS if c in by_lower), None)


def example_ids(frame: pd.DataFrame, mask: np.ndarray, count: int = 3) -> str:
    """A few identifiers of the rows in ``mask`` for a warning: ``ID=BATIMENT01, ID=BATIMENT07``.

    Uses :func:`id_column` when there is one, else the feature index (``feature_index`` column
    when present, else the frame index).
    """
    rows = np.flatnonzero(np.asarray(mask, bool))[:count]
    column = id_column(frame.columns)
    if column is not None:
        labels = [f"{column}={frame[column].iloc[r]}" for r in rows]
    else:
        index = frame["feature_index"] if "feature_index" in frame.columns else pd.Series(frame.index)
        labels = [f"feature {index.iloc[r]}" for r in rows]
    more = ", ..." if np.count_nonzero(mask) > count else ""
    return ", ".join(labels) + more


# -- files and formats ------------------------------------------------------------------------
def _expected(path: Path) -> str:
    return EXPECTED.get(path.suffix.lower(), f"a vector file ({KNOWN_FORMATS})")


def _check_file(path: Path) -> None:
    from layers.core.safety import check_local

    check_local(path)  # GDAL never gets a web address, /vsicurl/... or a connection string
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, f"is a folder, not a vector file (expected {KNOWN_FORMATS})")
    if path.stat().st_size == 0:
        raise InputError(
            path, f"the file is empty (expected {_expected(path)})", hint="copy, download or export it again"
        )


def _gdal_error(path: Path, exc: Exception) -> InputError:
    """A one-line :class:`InputError` out of a GDAL / pyogrio failure."""
    text = " ".join(str(exc).split())
    expected = _expected(path)
    if "not recognized as" in text or "not a supported file format" in text:
        return InputError(
            path,
            f"is not readable as {expected}",
            hint="damaged file or wrong extension? open the original, or give the file its real extension",
        )
    if re.search(r"unable to open .*\.shx", text, re.I):
        return InputError(
            path,
            "the shapefile's .shx index is missing",
            hint="a shapefile needs its .shp, .shx and .dbf side by side",
        )
    if re.search(r"malformed|file is not a database|file is encrypted", text):
        return InputError(
            path,
            f"is damaged or truncated: not a readable {expected.removeprefix('a ')}",
            hint="copy or export it again",
        )
    where = re.search(r"At line (\d+), character (\d+): (.+?)(?:;|$)", text)
    if where:
        return InputError(
            path,
            f"is not valid {'JSON' if expected == 'GeoJSON' else expected} at line {where[1]}, character {where[2]}: {where[3].lower()}",
            hint="the file may be cut short or damaged: copy or export it again",
        )
    reason = text.split("; It might help")[0].replace(str(path), "the file").strip(" .;")
    return InputError(path, f"cannot be read as {expected}: {reason}")


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
            raw = array.cast(pa.large_binary()).to_pylist()
            fixed = [None if v is None else v.decode("utf-8", errors="replace") for v in raw]
            bad = sum(1 for v, f in zip(raw, fixed) if v is not None and "\ufffd" in f)
            frame.isetitem(i, pd.array(fixed, dtype=dtype))
            notes.append(
                f"{path.name}: {bad} values of {column!r} are not valid UTF-8 text: the bytes that are not are shown as �"
            )


def _beyond_gdal_limit(path: Path, exc: Exception) -> bool:
    """True when GDAL refused a GeoJSON file for a value over its 10 million characters (read
    by :mod:`layers.io.geojson_text` instead)."""
    from layers.io.geojson_text import GDAL_TOKEN_LIMIT

    return path.suffix.lower() in {".geojson", ".json"} and GDAL_TOKEN_LIMIT in str(exc)


def _choose_layer(path: Path, layer: str | None, notes: list[str]) -> str | None:
    """The layer to read: ``layer`` if given (checked), else the first layer with geometry."""
    import pyogrio

    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")  # e.g. "M geometry types are not supported"
            layers = pyogrio.list_layers(str(path))
    except Exception as exc:  # noqa: BLE001
        if _beyond_gdal_limit(path, exc):
            return None
        raise _gdal_error(path, exc) from None
    names = [str(name) for name, _ in layers]
    with_geometry = [str(name) for name, gtype in layers if gtype not in (None, "")]
    if layer is not None:
        if layer not in names:
            raise InputError(
                path, f"has no layer {layer!r}", hint=f"its layers are: {', '.join(names) or 'none'}"
            )
        return layer
    if len(names) <= 1:
        return names[0] if names else None
    if not with_geometry:
        raise InputError(path, f"has no layer with geometry (layers: {', '.join(names)})")
    if len(with_geometry) > 1:
        notes.append(
            f"{path.name} has {len(with_geometry)} layers with geometry ({', '.join(with_geometry[:6])}); "
            f"read {with_geometry[0]!r} (choose another with the layer option)"
        )
    return with_geometry[0]


def _read_gdal(
    path: Path, target: str, layer: str | None, encoding: str | None, notes: list[str]
) -> gpd.GeoDataFrame:
    import pyogrio

    with pywarnings.catch_warnings(record=True) as caught:
        pywarnings.simplefilter("always")
        try:
            frame = pyogrio.read_dataframe(target, layer=layer, encoding=encoding, use_arrow=True)
        except UnicodeDecodeError:
            raise InputError(
                path,
                f"its text is not in the {encoding} encoding",
                hint="give the right one with the encoding option",
            ) from None
        except Exception as exc:  # noqa: BLE001 - GDAL raises many types for one user-level problem
            if _beyond_gdal_limit(path, exc):
                from layers.io.geojson_text import read_geojson_text

                return read_geojson_text(path, notes)
            if "closed linestring" in str(exc):
                return _read_closing_rings(path, target, layer, encoding, notes)
            raise _gdal_error(path, exc) from None
    _repair_text(path, frame, notes)
    for warning in caught:
        message = " ".join(str(warning.message).replace(target, path.name).split())
        if "Measured (M) geometry" not in message:  # M values are dropped on purpose
            notes.append(message if path.name in message else f"{path.name}: {message}")
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise InputError(path, f"has no geometry (expected {_expected(path)} with features)")
    return frame


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
        raise _gdal_error(path, exc) from None
    strict = shapely.from_wkb(wkb, on_invalid="ignore")
    geoms = shapely.from_wkb(wkb, on_invalid="fix")
    closed = shapely.is_missing(strict) & ~shapely.is_missing(geoms)
    frame = gpd.GeoDataFrame(attributes, geometry=geoms, crs=meta.get("crs"))
    if closed.any():
        notes.append(
            f"{path.name}: {int(closed.sum())} polygons had rings not closed (last point not repeating the first): closed ({example_ids(frame, closed)})"
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


# -- shapefiles -------------------------------------------------------------------------------
def _sidecar(path: Path, suffix: str) -> Path | None:
    for candidate in (path.with_suffix(suffix.lower()), path.with_suffix(suffix.upper())):
        if candidate.exists():
            return candidate
    return None


def _check_shapefile(path: Path) -> None:
    """Sidecars present and the .shp not cut short (GDAL would silently give null geometries)."""
    with open(path, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or int.from_bytes(header[:4], "big") != 9994:
        raise InputError(
            path,
            f"is not readable as {EXPECTED['.shp']}",
            hint="damaged file or wrong extension? open the original, or give the file its real extension",
        )
    declared = int.from_bytes(header[24:28], "big") * 2
    actual = path.stat().st_size
    if actual < declared:
        raise InputError(
            path, f"the file is truncated ({actual} of {declared} bytes)", hint="copy or download it again"
        )
    if _sidecar(path, ".shx") is None:
        raise InputError(
            path,
            "the shapefile's .shx index is missing",
            hint="a shapefile needs its .shp, .shx and .dbf side by side",
        )
    if _sidecar(path, ".dbf") is None:
        raise InputError(
            path,
            "the shapefile's .dbf attribute table is missing",
            hint="a shapefile needs its .shp, .shx and .dbf side by side",
        )


def _zip_shapefiles(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise InputError(
            path,
            "is not a valid zip archive (truncated or corrupted)",
            hint="copy, download or export it again",
        ) from None
    from layers.core.safety import unsafe_member

    # a member named ../x.shp would make /vsizip/ read a file outside the archive: never offered
    return [
        n
        for n in names
        if n.lower().endswith(".shp") and not Path(n).name.startswith("._") and not unsafe_member(n)
    ]


def _choose_zip_member(path: Path, layer: str | None, notes: list[str]) -> str:
    members = _zip_shapefiles(path)
    if not members:
        raise InputError(path, "the zip archive holds no shapefile (.shp)")
    if layer is not None:
        match = [m for m in members if Path(m).stem == layer or m == layer]
        if not match:
            raise InputError(
                path,
                f"has no shapefile {layer!r}",
                hint=f"it holds: {', '.join(Path(m).stem for m in members)}",
            )
        return match[0]
    if len(members) > 1:
        notes.append(
            f"{path.name} holds {len(members)} shapefiles; read {Path(members[0]).stem!r} "
            "(choose another with the layer option)"
        )
    return members[0]


def _shapefile_encoding(path: Path, notes: list[str], *, zip_member: str | None = None) -> str | None:
    """The text encoding of a shapefile's attributes: its ``.cpg`` when the bytes agree, else a guess.

    ``None`` when every byte is ASCII (nothing to decide). Otherwise UTF-8 when the bytes are valid
    UTF-8, else the dBase language driver's codepage, else Windows-1252 (Latin-1 where 1252 has a
    hole), which is what French producers write.
    """
    cpg_text, dbf = _shapefile_sidecars(path, zip_member)
    if dbf is None or len(dbf) < 32:
        return None
    sample = _dbf_text(dbf)
    if sample.isascii():
        return None
    if cpg_text:
        codec = _codec(cpg_text)
        if codec and _decodes(sample, codec):
            return codec
        notes.append(
            f"{path.name}: the .cpg says {cpg_text!r} but the attributes are not in it; the encoding was guessed"
        )
    if _decodes(sample, "utf-8"):
        return "UTF-8"
    ldid = DBF_LDID.get(dbf[29]) if len(dbf) > 29 else None
    if ldid and ldid != "cp1252" and _decodes(sample, ldid):
        guess = ldid
    else:
        guess = "cp1252" if _decodes(sample, "cp1252") else "ISO-8859-1"
    if not cpg_text:
        notes.append(
            f"{path.name} has no .cpg file saying its text encoding: read as {guess.replace('cp', 'Windows-')} "
            "(guessed from its bytes; give another with the encoding option if accents look wrong)"
        )
    return guess


def _dbf_text(dbf: bytes) -> bytes:
    """The text bytes of a .dbf: field names and records (the binary header numbers left out)."""
    header_len = int.from_bytes(dbf[8:10], "little")
    names = b"".join(dbf[start : start + 11] for start in range(32, max(header_len - 32, 32), 32))
    return names.replace(b"\x00", b"") + dbf[header_len:]


def _shapefile_sidecars(path: Path, zip_member: str | None) -> tuple[str | None, bytes | None]:
    """The text of the ``.cpg`` (or ``None``) and the first bytes of the ``.dbf`` (or ``None``)."""
    if zip_member is None:
        cpg, dbf = _sidecar(path, ".cpg"), _sidecar(path, ".dbf")
        cpg_text = cpg.read_text("ascii", errors="ignore").strip() if cpg else None
        if dbf is None:
            return cpg_text, None
        with open(dbf, "rb") as handle:
            return cpg_text, handle.read(DBF_SAMPLE_BYTES)
    stem = zip_member[: -len(".shp")]
    with zipfile.ZipFile(path) as archive:
        names = {n.lower(): n for n in archive.namelist()}
        cpg_name, dbf_name = names.get(f"{stem}.cpg".lower()), names.get(f"{stem}.dbf".lower())
        cpg_text = archive.read(cpg_name).decode("ascii", errors="ignore").strip() if cpg_name else None
        if dbf_name is None:
            return cpg_text, None
        with archive.open(dbf_name) as handle:
            return cpg_text, handle.read(DBF_SAMPLE_BYTES)


def _codec(label: str) -> str | None:
    """Python codec for a .cpg label (``UTF-8``, ``1252``, ``ISO-8859-1``, ``88591``, ``ANSI 1252``)."""
    text = label.strip().upper().replace("ANSI", "").strip()
    aliases = {
        "88591": "ISO-8859-1",
        "8859-1": "ISO-8859-1",
        "LATIN1": "ISO-8859-1",
        "88592": "ISO-8859-2",
        "UTF8": "UTF-8",
    }
    text = aliases.get(text.replace(" ", ""), text)
    if text.isdigit():
        text = f"cp{text}"
    try:
        return io.TextIOWrapper(io.BytesIO(), encoding=text).encoding
    except (LookupError, ValueError):  # unknown, or not a name at all (a damaged .cpg)
        return None


def _decodes(data: bytes, codec: str) -> bool:
    """True when ``data`` decodes in ``codec`` (a multi-byte character cut at the end is allowed)."""
    import codecs

    try:
        codecs.getincrementaldecoder(codec)().decode(data, final=False)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


# -- geometry and CRS checks ------------------------------------------------------------------
def _drop_missing_geometries(
    path: Path, frame: gpd.GeoDataFrame, notes: list[str], skipped: dict[str, np.ndarray] | None = None
) -> gpd.GeoDataFrame:
    """Leave out features without geometry (noted, and their positions under ``skipped``)."""
    if len(frame) == 0:
        raise InputError(path, "holds no features", hint="export the layer again with its features")
    geoms = frame.geometry.values
    missing = shapely.is_missing(np.asarray(geoms)) | shapely.is_empty(np.asarray(geoms))
    if missing.all():
        raise InputError(
            path,
            "none of its features has a geometry",
            hint="a table without geometry needs lon/lat or x/y columns, or a WKT column",
        )
    if missing.any():
        unreadable = (skipped or {}).get("unreadable geometry", np.empty(0, np.int64))
        absent = missing & ~np.isin(frame.index.to_numpy(), unreadable)
        if absent.any():
            notes.append(
                f"{path.name}: {int(absent.sum())} features without geometry were skipped ({example_ids(frame, absent)})"
            )
            if skipped is not None:
                skipped["no geometry"] = frame.index.to_numpy()[absent].astype(np.int64)
        frame = frame[~missing]
    return frame


#: coordinates beyond this are data errors in any CRS (the Earth is 4e7 m round), metres or degrees
MAX_COORDINATE = 1e9


def _drop_absurd_coordinates(
    path: Path, frame: gpd.GeoDataFrame, notes: list[str], skipped: dict[str, np.ndarray]
) -> gpd.GeoDataFrame:
    """Leave out features with coordinates that are not numbers or beyond :data:`MAX_COORDINATE`
    (a damaged file: GEOS cannot even repair them), noted under ``skipped``."""
    geoms = np.asarray(frame.geometry.values)
    coords, owner = shapely.get_coordinates(geoms, include_z=True, return_index=True)
    wrong = ~np.isfinite(coords[:, :2]).all(axis=1) | (np.abs(coords[:, :2]) > MAX_COORDINATE).any(axis=1)
    if not wrong.any():
        return frame
    bad = np.zeros(len(frame), bool)
    bad[owner[wrong]] = True
    if bad.all():
        raise InputError(
            path,
            "none of its features has usable coordinates (not numbers, or beyond 1e9)",
            hint="the file is damaged: export it again",
        )
    notes.append(
        f"{path.name}: {int(bad.sum())} features with coordinates that are not numbers or beyond 1e9 were skipped ({example_ids(frame, bad)})"
    )
    skipped["unusable coordinates"] = frame.index.to_numpy()[bad].astype(np.int64)
    return frame[~bad]


def _unique_columns(path: Path, frame: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    """Columns renamed ``name_2``, ``name_3``... where the file repeats a field name."""
    names = [str(c) for c in frame.columns]
    if len(set(names)) == len(names):
        return frame
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    notes.append(f"{path.name}: repeated field names renamed ({', '.join(n for n in out if n not in names)})")
    geometry = frame.geometry.name
    frame = frame.copy()
    frame.columns = out
    return frame.set_geometry(geometry)


def _drop_m(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop M values (kilometre posts, times...), keeping Z."""
    geoms = np.asarray(frame.geometry.values)
    has_m = shapely.has_m(geoms)
    if not has_m.any():
        return frame
    out = geoms.copy()
    has_z = shapely.has_z(geoms)
    both = has_m & has_z
    if both.any():
        xyz = shapely.get_coordinates(geoms[both], include_z=True)
        out[both] = shapely.set_coordinates(shapely.force_3d(shapely.force_2d(geoms[both])), xyz)
    only_m = has_m & ~has_z
    out[only_m] = shapely.force_2d(geoms[only_m])
    frame = frame.copy()
    frame[frame.geometry.name] = gpd.GeoSeries(out, index=frame.index, crs=frame.crs)
    return frame


def _fmt_bounds(bounds: tuple[float, float, float, float]) -> str:
    return "(" + ", ".join(f"{v:.6g}" for v in bounds) + ")"


def _resolve_crs(
    path: Path,
    declared: CRS | None,
    given: object | None,
    bounds: tuple[float, float, float, float],
    notes: list[str],
    *,
    declared_is_default: bool = False,
) -> CRS:
    """Apply the CRS rules of the module docstring; raise :class:`InputError` when unsafe."""
    if given is not None:
        try:
            chosen = crs_util.parse_crs(given)
        except ValueError:
            raise InputError(
                path, f"{given!r} is not a coordinate reference system", hint="expected e.g. EPSG:2154"
            ) from None
        if declared is not None and not declared_is_default and not declared.equals(chosen):
            notes.append(
                f"{path.name}: declared CRS {crs_util.label(declared)} replaced by {crs_util.label(chosen)}"
            )
        _check_fits(path, chosen, bounds, notes, given=True)
        return chosen
    if declared is not None and declared_is_default and not crs_util.looks_like_degrees(bounds):
        declared = None  # a GeoJSON / GeoParquet without CRS whose coordinates are not degrees
    if declared is not None:
        _check_fits(path, declared, bounds, notes, given=False)
        return declared
    if crs_util.looks_like_degrees(bounds):
        notes.append(
            f"{path.name} declares no CRS; its coordinates look like degrees, read as EPSG:4326 (WGS 84)"
        )
        return crs_util.WGS84
    raise missing_crs(path, bounds)


def missing_crs(
    path: Path, bounds: tuple[float, float, float, float], what: str = "the file has no CRS"
) -> CRSMissing:
    """The :class:`CRSMissing` error for a file without CRS, naming the common CRSs that would fit."""
    candidates = crs_candidates(bounds)
    example = candidates[0] if candidates else "EPSG:2154"
    hint = f"pass --crs on the command line (e.g. --crs {example}) or choose the CRS when opening it"
    if candidates:
        hint += f"; the coordinates would fit {describe_candidates(candidates[:3])}, which Maquette cannot confirm"
    return CRSMissing(
        path,
        f"{what} and its coordinates {_fmt_bounds(bounds)} are not degrees",
        candidates=candidates,
        hint=hint,
    )


def _check_fits(
    path: Path, crs: CRS, bounds: tuple[float, float, float, float], notes: list[str], *, given: bool
) -> None:
    """Raise when the coordinates contradict ``crs``; warn when they fall outside its area of use."""
    which = "the CRS given" if given else "the declared CRS"
    horizontal = crs_util.horizontal(crs)
    label = crs_util.label(crs)
    if horizontal.is_geographic:
        if not crs_util.looks_like_degrees(bounds):
            raise InputError(
                path,
                f"{which} {label} is in degrees but the coordinates {_fmt_bounds(bounds)} are not longitudes / latitudes",
                hint="pass the right one with --crs (e.g. --crs EPSG:2154)",
            )
        return
    if crs_util.looks_like_degrees(bounds) and not crs_util.plausible_in(horizontal, bounds):
        raise InputError(
            path,
            f"{which} {label} is projected but the coordinates {_fmt_bounds(bounds)} look like degrees",
            hint="if they are longitudes / latitudes, pass --crs EPSG:4326",
        )
    if not crs_util.plausible_in(horizontal, bounds, margin=1.0):
        notes.append(
            f"{path.name}: the coordinates {_fmt_bounds(bounds)} fall outside the area of use of {label}; check its CRS"
        )
