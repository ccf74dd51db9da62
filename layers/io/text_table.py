"""CSV / TSV / text tables as vector data: a WKT geometry column, or coordinate columns.

A ``wkt`` (``geometry``, ``geom``...) column is parsed as WKT (``SRID=2154;POINT (...)`` gives the
CRS); without one, a pair of coordinate columns (``lon``/``lat``, ``x``/``y``, ``easting`` /
``northing``, see :func:`layers.io.table_columns.find_xy_columns`) gives points. Longitude / latitude columns
are WGS84; other pairs carry no CRS, which :func:`layers.io.read_vector` then resolves (degrees, or
``--crs`` asked for: metric coordinates are never guessed). An Opendatasoft export's ``geo_shape``
(GeoJSON text) or ``geo_point_2d`` (``"lat, lon"``) columns come before coordinate pairs
(:mod:`layers.io.opendatasoft`). Column names and text values lose their surrounding spaces.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.core.errors import InputError

WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom", "wkt_geom", "geometrie")


def read_text_table(
    path: Path, encoding: str | None, notes: list[str], expected: str
) -> tuple[gpd.GeoDataFrame, str]:
    """The table as a GeoDataFrame and the encoding used; ``expected`` names the format in errors."""
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise InputError(
            path, f"is binary, not {expected}", hint="open the original file, or give it its right extension"
        )
    if encoding is None:
        encoding = "utf-8-sig" if _decodes(raw, "utf-8") else "cp1252"
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise InputError(
            path,
            f"its text is not in the {encoding} encoding",
            hint="give the right one with the encoding option",
        ) from None
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    first = lines[0] if lines else ""
    sep = "\t" if path.suffix.lower() == ".tsv" else sniff_separator(lines[:20])
    columns = [c.strip().strip('"').lower() for c in first.split(sep)]
    wkt = next((c for c in WKT_COLUMNS if c in columns), None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore"
            )  # "Length of header or names does not match": rows longer than the header
            table = pd.read_csv(io.StringIO(text), sep=sep, index_col=False)  # never a column as the index
    except Exception as exc:  # noqa: BLE001 - pandas parser errors are many types
        raise InputError(path, f"is not readable as {expected}: {' '.join(str(exc).split())}") from None
    table = _trimmed(table)
    if wkt is None:
        from layers.io.opendatasoft import geometry_columns
        from layers.io.table_columns import split_latlon_text

        shape, point = geometry_columns([str(c) for c in table.columns])
        xy = find_xy_columns_of(table)
        if shape is None and point is None and xy is None:
            found = split_latlon_text(table)  # "lat, lon" in a column named location, coordinates...
            point = found[2] if found is not None else None
        if shape is not None or (point is not None and xy is None):
            frame = _opendatasoft(path, table, text, sep, shape, point, notes)
            return frame, encoding.replace("-sig", "").upper()
        return _points(path, table, notes), encoding.replace("-sig", "").upper()
    column = next(c for c in table.columns if str(c).strip().lower() == wkt)
    values = table[column].astype("string").fillna("").str.strip()
    srid = values.str.extract(r"^SRID=(\d+);", expand=False, flags=re.I)
    values = values.str.replace(r"^SRID=\d+;", "", regex=True, flags=re.I)
    geoms = shapely.from_wkt(values.to_numpy(dtype=object, na_value=""), on_invalid="ignore")
    bad = shapely.is_missing(geoms) & (values != "").to_numpy()
    if bad.all():
        raise InputError(path, "is not WKT geometry (e.g. POINT (x y))", feature=0, field=str(column))
    if bad.any():
        rows = ", ".join(str(r) for r in np.flatnonzero(bad)[:3])
        notes.append(
            f"{path.name}: {int(bad.sum())} rows with unreadable WKT in {column!r} were skipped (rows {rows})"
        )
    codes = srid.dropna().unique()
    crs = f"EPSG:{codes[0]}" if len(codes) == 1 else None
    frame = gpd.GeoDataFrame(table.drop(columns=[column]), geometry=geoms, crs=crs)
    frame.attrs["unreadable_rows"] = frame.index.to_numpy()[bad]
    return frame, encoding.replace("-sig", "").upper()


def _trimmed(table: pd.DataFrame) -> pd.DataFrame:
    """Column names and text values without their surrounding spaces (``"Lille "``, ``"quartier "``);
    a text column that is all numbers once trimmed becomes numbers."""
    table.columns = [str(c).strip() for c in table.columns]
    for i in range(table.shape[1]):
        column = table.iloc[:, i]
        if not (pd.api.types.is_object_dtype(column) or isinstance(column.dtype, pd.StringDtype)):
            continue
        try:
            texts = column.str.strip().fillna(column)  # values that are not text kept as they are
        except AttributeError:  # no text in the column (True / False and blanks...)
            continue
        present = texts.notna() & (texts != "")
        if not present.any() or texts.equals(column):
            continue  # nothing to trim: pandas' own reading stands
        numbers = pd.to_numeric(texts, errors="coerce")
        if numbers[present].notna().all():
            table.isetitem(i, numbers.where(present).to_numpy())
        else:
            table.isetitem(i, texts.array)
    return table


def find_xy_columns_of(table: pd.DataFrame) -> tuple[str, str, bool] | None:
    """:func:`layers.io.table_columns.find_xy_columns` of the table's column names."""
    from layers.io.table_columns import find_xy_columns

    return find_xy_columns([str(c) for c in table.columns])


def _opendatasoft(
    path: Path,
    table: pd.DataFrame,
    text: str,
    sep: str,
    shape: str | None,
    point: str | None,
    notes: list[str],
) -> gpd.GeoDataFrame:
    """An Opendatasoft export: geometry from ``geo_shape`` (else ``geo_point_2d``), EPSG:4326; rows
    whose geometry text is unreadable left out with their line numbers (:class:`InputError` when
    no row is readable)."""
    from layers.io.opendatasoft import ODS_CRS, note_unreadable, table_geometries

    geoms, reasons = table_geometries(table, shape, point)
    places = [f"line {n}" for n in _record_lines(text, sep, len(table))]
    if reasons and all(g is None for g in geoms):
        first = min(reasons)
        raise InputError(
            path,
            f"none of its rows has a readable geometry ({places[first]}: {reasons[first]})",
            hint='an Opendatasoft export writes geo_point_2d as "lat, lon" and geo_shape as GeoJSON',
        )
    used = [c for c in (shape, point) if c is not None]
    frame = gpd.GeoDataFrame(table.drop(columns=used), geometry=geoms, crs=ODS_CRS)
    note_unreadable(path, frame, reasons, notes, places)
    return frame


def _record_lines(text: str, sep: str, rows: int) -> list[int]:
    """The line (1-based, the header is line 1) where each data row of a delimited text starts;
    a quoted value may hold line breaks. Row numbers + 2 when the count disagrees with ``rows``."""
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    starts: list[int] = []
    previous = 0
    limit = csv.field_size_limit(2**31 - 1)  # a commune's geo_shape holds far more than 128 KiB
    try:
        for record in reader:
            if record:
                starts.append(previous + 1)
            previous = reader.line_num
    except csv.Error:
        starts = []
    finally:
        csv.field_size_limit(limit)
    starts = starts[1:]  # the header
    return starts if len(starts) == rows else [i + 2 for i in range(rows)]


def _points(path: Path, table: pd.DataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    """Points from the table's coordinate columns; :class:`InputError` when it has none."""
    from layers.io.table_columns import find_xy_columns

    found = find_xy_columns([str(c) for c in table.columns])
    if found is None:
        raise InputError(
            path,
            f"has no geometry: no WKT column ({', '.join(WKT_COLUMNS[:3])}) "
            "and no coordinate columns (lon/lat, x/y)",
            hint=(
                "its columns are: "
                f"{', '.join(map(str, table.columns[:12]))}{', ...' if len(table.columns) > 12 else ''}; "
                "a table of readings also needs a time column"
            ),
        )
    xc, yc, is_lonlat = found
    xs = pd.to_numeric(table[xc], errors="coerce").to_numpy(float)
    ys = pd.to_numeric(table[yc], errors="coerce").to_numpy(float)
    finite = np.isfinite(xs) & np.isfinite(ys)
    if not finite.any():
        raise InputError(path, "the coordinate columns hold no numbers", field=f"{xc}/{yc}")
    geoms = np.full(len(table), None, dtype=object)
    geoms[finite] = shapely.points(xs[finite], ys[finite])
    bad = ~finite & (table[xc].notna() | table[yc].notna()).to_numpy()
    if bad.any():
        notes.append(f"{path.name}: {int(bad.sum())} rows whose {xc}/{yc} are not numbers were skipped")
    frame = gpd.GeoDataFrame(
        table.drop(columns=[xc, yc]), geometry=geoms, crs="EPSG:4326" if is_lonlat else None
    )
    frame.attrs["unreadable_rows"] = frame.index.to_numpy()[bad]
    return frame


def sniff_separator(lines: list[str]) -> str:
    """The separator of a delimited text (``,``, ``;``, tab or ``|``) from its first lines."""
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = lines[0] if lines else ""
        return max([";", ",", "\t", "|"], key=first.count)


def _decodes(data: bytes, codec: str) -> bool:
    import codecs

    try:
        codecs.getincrementaldecoder(codec)().decode(data, final=False)
    except (UnicodeDecodeError, LookupError):
        return False
    return True
