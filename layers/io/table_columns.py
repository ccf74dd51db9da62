"""Finding the columns of a table by their name, whatever the producer called them.

Names are compared folded (:func:`normalise_name`: lower case, no accents, ``_`` for anything
else), against the lists below (time, sensor id, name, coordinate pairs), in order of preference;
:func:`table_coordinates` turns coordinate columns into points with a CRS.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.core.errors import InputError


def normalise_name(name: str) -> str:
    """A column name folded for matching: lower case, no accents, ``_`` for any other character."""
    import unicodedata

    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


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
    if x is not None and y is not None:
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
                f"columns {xc!r}/{yc!r} hold degrees, not {crs_util.label(crs)} "
                "coordinates: read as longitude/latitude (WGS84)"
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
