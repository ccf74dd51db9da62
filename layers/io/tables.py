"""Read the delimited tables cities publish, whatever their dialect.

French open data comes as ``;``-separated files with decimal commas, a UTF-8 byte order mark or
Latin-1 text, CRLF line ends and an unnamed index column written by pandas. :func:`read_table`
guesses all of that from the bytes and returns a plain :class:`pandas.DataFrame` with clean column
names and numbers as numbers. Bad files raise :class:`~layers.core.errors.InputError`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.core.errors import InputError

#: suffixes of files read as tables (anything else is read as a vector file)
TABLE_SUFFIXES = {".csv", ".tsv", ".txt"}
#: separators tried, in order of preference when counts tie
SEPARATORS = (";", ",", "\t", "|")
#: bytes read to guess the encoding and the separator
SNIFF_BYTES = 256 * 1024

_DECIMAL_COMMA = re.compile(r"^\s*[-+]?((\d+|\d{1,3}([ .\u00a0\u202f]\d{3})+)(,\d+)?|,\d+)\s*$")
_UNNAMED = re.compile(r"^Unnamed: \d+$")


def read_table(
    path: str | Path,
    *,
    sep: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
    **kw: Any,
) -> pd.DataFrame:
    """Read a CSV / TSV table, guessing its separator, encoding and decimal mark.

    Parameters
    ----------
    path
        The file (``.csv``, ``.tsv``, ``.txt``).
    sep
        Field separator; guessed among ``; , tab |`` from the header and first lines when ``None``.
    encoding
        Text encoding; UTF-8 (a byte order mark is dropped) when the bytes are valid UTF-8, else
        Windows-1252 / Latin-1.
    decimal
        ``"."`` or ``","``. When ``None``, text columns whose every value is a number written with a
        decimal comma (``12,5``, ``-0,25``, ``1 234,5``) are converted to floats; never when the
        separator is a comma.
    **kw
        Passed to :func:`pandas.read_csv` (``usecols``, ``nrows``, ``dtype``...).

    Returns
    -------
    pandas.DataFrame
        Column names stripped of spaces, quotes and byte order marks; an unnamed leading index
        column (``0, 1, 2...``) dropped.

    Raises
    ------
    InputError
        When the file is missing, empty or not a readable table.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip():
        raise InputError(path, "the file is empty", hint="copy, download or export it again")
    if encoding is None:
        encoding = guess_encoding(head)
    text = head.decode(encoding, errors="replace")
    if sep is None:
        sep = guess_separator(text)
    options: dict[str, Any] = {"sep": sep, "encoding": encoding, "skipinitialspace": True}
    if decimal == ",":
        options["decimal"] = ","
    options.update(kw)
    try:
        frame = pd.read_csv(path, **options)
    except UnicodeDecodeError:
        # the first bytes were UTF-8 but a later line is not: the file is Latin-1 after all
        options["encoding"] = "cp1252"
        frame = _read(path, options, fallback="latin-1")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(
            path,
            f"cannot be read as a table: {_first_line(exc)}",
            hint=f"separator {sep!r}, encoding {encoding}",
        ) from None
    frame = clean_columns(frame)
    if decimal is None and sep != ",":
        frame = convert_decimal_commas(frame)
    return frame


def _read(path: Path, options: dict[str, Any], *, fallback: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, **options)
    except UnicodeDecodeError:
        options["encoding"] = fallback
        return pd.read_csv(path, **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(path, f"cannot be read as a table: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def guess_encoding(head: bytes) -> str:
    """``utf-8-sig`` when ``head`` is UTF-8 (a multi-byte character cut at the end is allowed),
    ``cp1252`` when it is not but decodes as Windows-1252, else ``latin-1``."""
    try:
        head.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8-sig"
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def guess_separator(text: str) -> str:
    """The separator of a table from its first lines: the candidate that splits the header into
    the most fields and splits the next lines into the same number (quoted text is ignored)."""
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()][:20]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sniffed block may cut the last line
    if not lines:
        return ","
    best, best_score = ",", (0, 0)
    for candidate in SEPARATORS:
        counts = [len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=candidate)]
        if not counts or counts[0] < 2:
            continue
        consistent = sum(c == counts[0] for c in counts)
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = candidate, score
    return best


def clean_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip spaces, quotes and byte order marks from column names; drop a pandas index column."""
    names = [str(c).replace("\ufeff", "").strip().strip('"').strip("'").strip() for c in frame.columns]
    frame.columns = names
    if len(frame.columns) and _UNNAMED.match(frame.columns[0]):
        first = frame.iloc[:, 0]
        if pd.api.types.is_integer_dtype(first) and np.array_equal(first.to_numpy(), np.arange(len(frame))):
            frame = frame.iloc[:, 1:]
    return frame


def convert_decimal_commas(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn text columns of numbers written with a decimal comma (``12,5``) into floats.

    A column is converted only when every non-empty value reads as such a number, so ids or
    labels holding commas stay text. Thin spaces, non-breaking spaces and dots as thousands
    separators (``1 234,5``, ``1.234,5``) are understood.
    """
    for column in frame.columns:
        series = frame[column]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        values = series.dropna().astype(str).str.strip()
        values = values[values != ""]
        if values.empty or not values.str.contains(",", regex=False).any():
            continue
        if not values.str.match(_DECIMAL_COMMA).all():
            continue
        cleaned = (
            series.astype("string").str.strip().str.replace(r"[ .\u00a0\u202f](?=\d{3})", "", regex=True)
        )
        frame[column] = pd.to_numeric(cleaned.str.replace(",", ".", regex=False), errors="coerce").astype(
            float
        )
    return frame


def normalise_name(name: str) -> str:
    """A column name folded for matching: lower case, no accents, ``_`` for any other character."""
    import unicodedata

    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


# -- finding columns by name -------------------------------------------------------------------

#: names of time columns, folded by :func:`normalise_name`
TIME_NAMES = (
    "time",
    "datetime",
    "date_time",
    "timestamp",
    "date",
    "jour",
    "horodatage",
    "date_heure",
    "dateobserved",
    "date_observed",
    "observed",
    "time_utc",
    "datetime_utc",
    "date_utc",
    "heure_utc",
    "date_et_heure",
    "t",
    "dt",
    "instant",
    "periode",
    "period",
)
#: words that make a column a time column when the name is not one of :data:`TIME_NAMES`
TIME_WORDS = ("datetime", "timestamp", "horodat", "date", "time")
#: names of sensor id columns (folded), in order of preference
ID_NAMES = (
    "station",
    "station_id",
    "sensor",
    "sensor_id",
    "logger",
    "logger_id",
    "counter",
    "counter_id",
    "capteur",
    "id_capteur",
    "compteur",
    "id_compteur",
    "boucle",
    "numero_de_boucle",
    "site",
    "site_id",
    "device",
    "device_id",
    "station_code",
    "code_station",
    "id_station",
    "id",
    "code",
    "station_name",
    "name",
    "nom",
)
ID_WORDS = ("station", "sensor", "logger", "counter", "capteur", "compteur", "boucle", "device", "site")
NAME_NAMES = (
    "name",
    "nom",
    "label",
    "libelle",
    "station_name",
    "nom_station",
    "site_name",
    "nom_du_compteur",
    "nom_compteur",
    "nom_du_com",
    "nom_du_site",
    "nom_site",
    "designation",
    "boucle_de_comptage",
    "libelle_boucle",
    "nom_boucle",
)
#: (x, y) column name pairs; the flag says the pair is longitude / latitude by its name
XY_PAIRS = (
    (("lon", "lat"), True),
    (("lng", "lat"), True),
    (("long", "lat"), True),
    (("longitude", "latitude"), True),
    (("lon_wgs84", "lat_wgs84"), True),
    (("x_wgs84", "y_wgs84"), True),
    (("x", "y"), False),
    (("coord_x", "coord_y"), False),
    (("x_l93", "y_l93"), False),
    (("xl93", "yl93"), False),
    (("x_lambert93", "y_lambert93"), False),
    (("easting", "northing"), False),
    (("e", "n"), False),
    (("x_coord", "y_coord"), False),
    (("coordx", "coordy"), False),
)
#: one text column holding "lat, lon" (OpenDataSoft portals)
LATLON_TEXT_NAMES = (
    "geo_point_2d",
    "geo_point",
    "geopoint",
    "coordonnees",
    "coordinates",
    "position",
    "location",
    "latlon",
    "lat_lon",
)


def columns_by_name(columns: list[str]) -> dict[str, str]:
    """Folded name → real column name (the first one wins when two fold the same)."""
    found: dict[str, str] = {}
    for column in columns:
        found.setdefault(normalise_name(column), column)
    return found


def find_column(
    columns: list[str], names: tuple[str, ...], words: tuple[str, ...] = (), exclude: set[str] | None = None
) -> str | None:
    """The first column whose folded name is in ``names`` (in that order), else the first whose
    folded name contains one of ``words``; columns in ``exclude`` are skipped."""
    exclude = exclude or set()
    folded = {k: v for k, v in columns_by_name(columns).items() if v not in exclude}
    for name in names:
        if name in folded:
            return folded[name]
    for word in words:
        for key, column in folded.items():
            if word in key.split("_") or key.startswith(word) or key.endswith(word):
                return column
    return None


def find_xy_columns(columns: list[str], exclude: set[str] | None = None) -> tuple[str, str, bool] | None:
    """``(x column, y column, named_lon_lat)`` for the first coordinate pair found, else ``None``."""
    folded = {k: v for k, v in columns_by_name(columns).items() if v not in (exclude or set())}
    for (x_name, y_name), is_lonlat in XY_PAIRS:
        if x_name in folded and y_name in folded:
            return folded[x_name], folded[y_name], is_lonlat
    return None


def split_latlon_text(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, str] | None:
    """Longitudes and latitudes from a ``"48.11, -1.67"`` column (OpenDataSoft ``geo_point_2d``).

    Returns ``(lon, lat, column)`` or ``None`` when no such column exists.
    """
    folded = columns_by_name(list(frame.columns))
    for name in LATLON_TEXT_NAMES:
        column = folded.get(name)
        if column is None:
            continue
        parts = (
            frame[column]
            .astype("string")
            .str.extract(r"^\s*\[?\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)\s*\]?\s*$")
        )
        lat = pd.to_numeric(parts[0], errors="coerce").to_numpy(float)
        lon = pd.to_numeric(parts[1], errors="coerce").to_numpy(float)
        if np.isfinite(lat).mean() > 0.5:
            return lon, lat, column
    return None


def table_coordinates(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    x: str | None = None,
    y: str | None = None,
    crs: Any = None,
    warnings: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray, Any, tuple[str, ...]] | None:
    """Point coordinates held in columns of a table, and their CRS.

    Parameters
    ----------
    frame, path
        The table and the file it came from (for messages).
    x, y
        Column names; found by name when ``None`` (``lon``/``lat``, ``longitude``/``latitude``,
        ``long``/``lat``, ``x``/``y``, ``easting``/``northing``, a ``geo_point_2d`` text column...).
    crs
        The CRS of ``x``/``y`` (a :class:`pyproj.CRS`); ignored for columns named as longitude /
        latitude, which are WGS84.
    warnings
        Receives a sentence for every guess made (degrees in ``x``/``y``, Lambert-93 assumed...).

    Returns
    -------
    tuple or None
        ``(x, y, crs, columns_used)`` with ``x``, ``y`` float64 (NaN where a cell is empty or not a
        number); ``None`` when the table has no coordinate columns.

    Raises
    ------
    InputError
        When named columns are missing, hold no numbers, or are projected coordinates with no CRS
        given that cannot be guessed.
    """
    from layers.core import crs as crs_util

    warnings = warnings if warnings is not None else []
    if (x is None) != (y is None):
        raise InputError(path, "give both x and y column names, or neither")
    if x is not None:
        xc, yc = (named_column(frame, path, x, "x"), named_column(frame, path, y, "y"))
        is_lonlat = False
    else:
        found = find_xy_columns(list(frame.columns))
        if found is None:
            text = split_latlon_text(frame)
            if text is None:
                return None
            lon, lat, column = text
            return lon, lat, crs_util.WGS84, (column,)
        xc, yc, is_lonlat = found
    xs = pd.to_numeric(frame[xc], errors="coerce").to_numpy(float)
    ys = pd.to_numeric(frame[yc], errors="coerce").to_numpy(float)
    finite = np.isfinite(xs) & np.isfinite(ys)
    if not finite.any():
        raise InputError(path, "the coordinate columns hold no numbers", field=f"{xc}/{yc}")
    bounds = (xs[finite].min(), ys[finite].min(), xs[finite].max(), ys[finite].max())
    if is_lonlat:
        if not (-90.5 <= bounds[1] and bounds[3] <= 90.5) and (-90.5 <= bounds[0] and bounds[2] <= 90.5):
            warnings.append(
                f"columns {xc!r} and {yc!r} look swapped (latitudes beyond ±90°): read the other way round"
            )
            xs, ys = ys, xs
        return xs, ys, crs_util.WGS84, (xc, yc)
    if crs is not None:
        if crs_util.looks_like_degrees(bounds) and not crs_util.plausible_in(crs, bounds):
            warnings.append(
                f"columns {xc!r}/{yc!r} hold degrees, not {crs_util.label(crs)} coordinates: read as longitude/latitude (WGS84)"
            )
            return xs, ys, crs_util.WGS84, (xc, yc)
        return xs, ys, crs, (xc, yc)
    if crs_util.looks_like_degrees(bounds):
        warnings.append(f"columns {xc!r}/{yc!r} hold degrees: read as longitude/latitude (WGS84)")
        return xs, ys, crs_util.WGS84, (xc, yc)
    if crs_util.plausible_in(crs_util.LAMBERT93, bounds, margin=0.0):
        warnings.append(f"no CRS given for columns {xc!r}/{yc!r}: read as Lambert-93 (EPSG:2154)")
        return xs, ys, crs_util.LAMBERT93, (xc, yc)
    raise InputError(
        path,
        "projected coordinates without a CRS",
        field=f"{xc}/{yc}",
        hint="give the CRS of the x/y columns, e.g. crs=EPSG:2154",
    )


def named_column(frame: pd.DataFrame, path: str | Path, name: str, role: str) -> str:
    """The column called ``name`` (exactly, else ignoring case and accents); :class:`InputError`
    naming the columns there are when it is absent."""
    if name in frame.columns:
        return name
    folded = columns_by_name(list(frame.columns))
    if normalise_name(name) in folded:
        return folded[normalise_name(name)]
    listed = ", ".join(map(str, frame.columns))
    raise InputError(path, f"no {role} column {name!r}", field=name, hint=f"columns are: {listed}")


# -- times -----------------------------------------------------------------------------------

_OFFSET = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$", re.I)


def times_to_ns(
    text: pd.Series,
    tz: str | None = None,
    *,
    dayfirst: bool = False,
    notes: list[str] | None = None,
    groups: np.ndarray | None = None,
) -> np.ndarray:
    """int64 nanoseconds since the epoch (UTC) of a column of time texts.

    Texts with an offset (``+02:00``, ``Z``) are honoured, naive ones are taken in ``tz`` (default
    Europe/Paris); both may be mixed in one column. A local time in the spring DST gap (02:30 on
    the last Sunday of March in Paris, a time clocks skip) is read with the offset before the
    change, i.e. one hour later in summer time (never onto the next real reading). A local time of
    the autumn overlap (02:30 on the last Sunday of October happens twice) is read as the first,
    summer-time one; when it comes back for the same sensor (``groups``: the sensor of each row),
    the repeat is read as the second, standard-time one, so an hour of a logger that writes local
    time is kept whole. The nanosecond unit is forced, so the result does not depend on the
    resolution pandas infers. ``notes`` receives a sentence for each of these cases.

    Raises
    ------
    ValueError
        Naming the first value that is not a time, and its row.
    """

    text = pd.Series(text).astype("string").str.strip().reset_index(drop=True)
    out = np.zeros(len(text), dtype=np.int64)
    aware = text.str.contains(_OFFSET).fillna(False).to_numpy(bool)
    for mask, utc in ((aware, True), (~aware, False)):
        if not mask.any():
            continue
        part = text[mask]
        parsed = pd.to_datetime(part, errors="coerce", format="mixed", dayfirst=dayfirst, utc=utc)
        if parsed.isna().any():
            bad = part[parsed.isna()]
            raise ValueError(f"cannot read {bad.iloc[0]!r} as a time (row {int(bad.index[0]) + 1})")
        parsed = parsed.dt.as_unit("ns")
        if utc:
            out[mask] = parsed.dt.tz_convert("UTC").astype("int64").to_numpy()
        else:
            out[mask] = _local_ns(parsed, tz, notes, None if groups is None else np.asarray(groups)[mask])
    if notes is not None and aware.any() and not aware.all():
        notes.append(
            f"the times mix explicit offsets (e.g. {text[aware].iloc[0]}) and local times without one "
            f"(e.g. {text[~aware].iloc[0]}): those without are read in {tz or 'Europe/Paris'}"
        )
    return out


def _local_ns(
    parsed: pd.Series, tz: str | None, notes: list[str] | None, groups: np.ndarray | None
) -> np.ndarray:
    """int64 ns UTC of naive local times in ``tz``, the DST gap and overlap handled as
    :func:`times_to_ns` says."""
    from layers.core.timeutil import zone

    place = zone(tz)
    name = tz or "Europe/Paris"
    n = len(parsed)
    first = parsed.dt.tz_localize(place, nonexistent=pd.Timedelta(hours=1), ambiguous=np.ones(n, bool))
    ns = first.dt.tz_convert("UTC").astype("int64").to_numpy().copy()
    gap = parsed.dt.tz_localize(place, nonexistent="NaT", ambiguous=np.ones(n, bool)).isna().to_numpy()
    overlap = (
        parsed.dt.tz_localize(place, nonexistent=pd.Timedelta(hours=1), ambiguous="NaT").isna().to_numpy()
        & ~gap
    )
    if notes is not None and gap.any():
        example = parsed[gap].iloc[0]
        notes.append(
            f"{int(gap.sum())} local times fall in the spring DST gap of {name} (e.g. {example:%Y-%m-%d %H:%M}, a time clocks skip): "
            f"read with the offset before the change ({first[gap].iloc[0]:%H:%M} summer time)"
        )
    if overlap.any():
        keys = pd.DataFrame(
            {"g": groups[overlap] if groups is not None else 0, "t": parsed[overlap].to_numpy()}
        )
        repeat = (keys.groupby(["g", "t"]).cumcount().to_numpy() % 2) == 1
        if repeat.any():
            rows = np.flatnonzero(overlap)[repeat]
            second = parsed.iloc[rows].dt.tz_localize(place, ambiguous=np.zeros(len(rows), bool))
            ns[rows] = second.dt.tz_convert("UTC").astype("int64").to_numpy()
        if notes is not None:
            example = parsed[overlap].iloc[0]
            how = (
                "a time seen again for the same sensor is read as the second (standard time), the others as the first (summer time)"
                if repeat.any()
                else "read as the first (summer time); give times with an offset (+01:00 / +02:00) to tell them apart"
            )
            notes.append(
                f"{int(overlap.sum())} local times fall in the autumn DST overlap of {name} (e.g. {example:%Y-%m-%d %H:%M}, which happens twice): {how}"
            )
    return ns
