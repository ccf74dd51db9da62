"""Where sensors stand: locations in the readings, in a separate file, or in a file next to them.

A *sites* table has one row per sensor id: ``id``, ``name``, ``x``, ``y`` (in ``sites.attrs["crs"]``)
and the columns that are constant per id (district, environment...). It comes from the readings'
own coordinate columns, from the points of a vector file, or from a separate locations file joined
on the sensor id:

* the id column of the locations is found by its values, not only by its name: every text or
  integer column is scored by how many sensor ids it holds, so ``N° Série`` vs ``serial`` does not
  matter;
* ids may be *split across columns* (Montpellier's ``GeolocCompteurs`` lists a counter as
  ``Y2H20042633`` in ``N° Série`` and ``X2H20042633`` in ``N° Sér_1``): each sensor takes the first
  column that knows it;
* ids match exactly, then ignoring case and accents, then by token (the FIWARE entity
  ``MMM_EcoCompt_X2H19070220`` is the counter ``X2H19070220``).

When the readings name no locations file, a file next to them is looked for: first by name
(``<stem>_stations.csv``, ``<stem>.geojson``...), then any small table or point file of the same
folder whose ids cover the sensors (Biel's ``sensor_heatwave_aug23.csv`` finds its loggers in
``sensor_summer23_mean.csv``).
"""

from __future__ import annotations

import re
from collections.abc import Set
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.errors import InputError
from layers.io.tables import (
    ID_NAMES,
    ID_WORDS,
    NAME_NAMES,
    TABLE_SUFFIXES,
    find_column,
    named_column,
    normalise_name,
    read_table,
    table_coordinates,
)

#: file name endings tried, next to a table without coordinates, for its locations
LOCATION_SIDECARS = (
    "_stations",
    "_locations",
    "_sites",
    "_positions",
    "_capteurs",
    "_compteurs",
    "_sensors",
    "",
)
LOCATION_SUFFIXES = (".csv", ".geojson", ".gpkg", ".json", ".tsv", ".fgb", ".shp")
#: files of the same folder looked at for locations: at most this many, this big
SIBLING_LIMIT, SIBLING_MAX_BYTES = 40, 20 * 1024 * 1024
#: the share of sensors a file next to the readings must locate to be taken as their locations
SIBLING_MIN_SHARE = 0.5


# -- reading ---------------------------------------------------------------------------------
def read_points(path: Path, crs: CRS | None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, CRS]:
    """Attributes and point coordinates of a vector file (non-points give a point on their surface)."""
    import pyogrio
    import shapely

    if not path.exists():
        raise InputError(path, "no such file")
    try:
        frame = pyogrio.read_dataframe(path)
    except Exception as exc:  # noqa: BLE001 - every GDAL failure is the same thing for a user
        raise InputError(path, f"cannot be read as points: {str(exc).splitlines()[0]}") from None
    if "geometry" not in frame or frame.geometry.isna().all():
        raise InputError(path, "has no geometry (expected points)")
    geoms = frame.geometry.to_numpy()
    present = ~shapely.is_missing(geoms)
    if not (shapely.get_type_id(geoms[present]) == 0).all():
        geoms = np.where(present, shapely.point_on_surface(geoms), geoms)
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    file_crs = crs or (crs_util.normalise(frame.crs) if frame.crs is not None else None)
    if file_crs is None:
        finite = np.isfinite(x) & np.isfinite(y)
        bounds = (
            (np.min(x[finite]), np.min(y[finite]), np.max(x[finite]), np.max(y[finite]))
            if finite.any()
            else (0, 0, 0, 0)
        )
        if not crs_util.looks_like_degrees(bounds):
            raise InputError(path, "the points have no CRS", hint="give one, e.g. crs=EPSG:2154")
        file_crs = crs_util.WGS84
    return pd.DataFrame(frame.drop(columns="geometry")), np.asarray(x, float), np.asarray(y, float), file_crs


def _located_frame(
    path: Path, crs: CRS | None, x: str | None, y: str | None, warnings: list[str]
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, CRS, tuple[str, ...]]:
    """A locations file as ``(frame, xs, ys, crs, coordinate columns)``."""
    if not path.exists():
        raise InputError(path, "the locations file does not exist")
    if path.suffix.lower() in TABLE_SUFFIXES:
        frame = read_table(path)
        names = (x, y) if x is not None and x in frame.columns and y in frame.columns else (None, None)
        coords = table_coordinates(frame, path, x=names[0], y=names[1], crs=crs, warnings=warnings)
        if coords is None:
            raise InputError(
                path,
                "the locations table has no coordinate columns",
                hint="expected lon/lat, longitude/latitude or x/y columns",
            )
        xs, ys, loc_crs, used = coords
        return frame, xs, ys, loc_crs, tuple(used)
    frame, xs, ys, loc_crs = read_points(path, crs)
    return frame, xs, ys, loc_crs, ()


def read_locations(
    path: Path,
    sensor_ids: np.ndarray,
    *,
    id_hint: str | None = None,
    id_name: str | None = None,
    crs: CRS | None = None,
    x: str | None = None,
    y: str | None = None,
    warnings: list[str] | None = None,
) -> pd.DataFrame:
    """One row per sensor id of ``path`` (a table with coordinates or a point file).

    Parameters
    ----------
    path
        The locations file.
    sensor_ids
        (S,) the ids of the readings; they choose the id column(s) when ``id_name`` is ``None``.
    id_hint
        The readings' id column name, preferred when a column of the locations has it.
    id_name
        The id column of the locations, when given (``locations_id``).
    crs, x, y
        As for the readings: the CRS of ``x``/``y`` columns and their names.

    Returns
    -------
    pandas.DataFrame
        ``id`` (the sensor id it matched), ``name``, ``x``, ``y`` and constant columns, one row per
        located sensor id; ``attrs["crs"]`` and ``attrs["id_columns"]``.
    """
    warnings = warnings if warnings is not None else []
    frame, xs, ys, loc_crs, used = _located_frame(path, crs, x, y, warnings)
    if id_name is not None:
        columns = [named_column(frame, path, id_name, "locations id")]
    else:
        columns = id_columns(frame, sensor_ids, exclude=set(used), hint=id_hint)
        if not columns:
            # no column knows any sensor: keep the one named as an id, so the caller can say which
            # ids were expected and which were found
            named = (id_hint if id_hint in frame.columns else None) or find_column(
                list(frame.columns),
                ((normalise_name(id_hint),) if id_hint else ()) + ID_NAMES,
                ID_WORDS,
                exclude=set(used),
            )
            if named is None:
                hint_name = f" (the readings use {id_hint!r})" if id_hint else ""
                raise InputError(
                    path,
                    f"no column of the locations holds the sensor ids{hint_name}",
                    hint=(
                        f"sensor ids: {sample(sensor_ids)}; give locations_id=...; "
                        f"columns are: {', '.join(map(str, frame.columns))}"
                    ),
                )
            columns = [named]
    located = np.isfinite(xs) & np.isfinite(ys)
    rows = match_rows(sensor_ids, [id_strings(frame[c]) for c in columns], located)
    have = rows >= 0
    sites = pd.DataFrame(
        {"id": np.asarray(sensor_ids, dtype=object)[have], "x": xs[rows[have]], "y": ys[rows[have]]}
    )
    picked = frame.iloc[rows[have]].reset_index(drop=True)
    skip = set(used) | set(columns)
    name_col = find_column(list(frame.columns), NAME_NAMES, exclude=skip)
    sites["name"] = (
        picked[name_col].astype("string").str.strip().astype(object).to_numpy() if name_col else None
    )
    for column in frame.columns:
        if column in skip or column == name_col or str(column).startswith("__"):
            continue
        sites[column] = picked[column].to_numpy()
    sites.attrs["crs"] = loc_crs
    sites.attrs["id_columns"] = columns
    first_ids = id_strings(frame[columns[0]])
    sites.attrs["ids_sample"] = sample(pd.unique(first_ids))
    sites.attrs["file_ids"] = int(len(pd.unique(first_ids[located & (first_ids != "")])))
    return sites


def sites_from_rows(
    frame: pd.DataFrame, id_col: str, xs: np.ndarray, ys: np.ndarray, crs: CRS, used: set[str]
) -> pd.DataFrame:
    """The first located row of each id of a long table, as ``id, name, x, y`` plus the columns
    that are constant per id (station attributes, not readings)."""
    ids = id_strings(frame[id_col])
    located = np.isfinite(xs) & np.isfinite(ys) & (ids != "")
    table = pd.DataFrame({"id": ids, "x": xs, "y": ys})[located]
    first = ~table["id"].duplicated().to_numpy()
    sites = table[first].reset_index(drop=True)
    rows = frame[located][first].reset_index(drop=True)
    name_col = find_column(list(frame.columns), NAME_NAMES, exclude=used)
    sites["name"] = rows[name_col].astype("string").str.strip().astype(object) if name_col else None
    per_id = frame[located].assign(__id=ids[located])
    for column in frame.columns:
        if column in used or column == name_col or str(column).startswith("__"):
            continue
        if per_id.groupby("__id")[column].nunique(dropna=True).max() <= 1:
            sites[column] = rows[column].to_numpy()
    sites.attrs["crs"] = crs
    return sites


# -- matching ids ----------------------------------------------------------------------------------
_TOKEN = re.compile(r"[^0-9a-z]+")


def id_strings(series: pd.Series) -> np.ndarray:
    """Ids as trimmed strings; whole floats lose their ``.0`` (``201.0`` → ``"201"``)."""
    if pd.api.types.is_float_dtype(series):
        numbers = series.to_numpy(float)
        whole = np.isfinite(numbers) & (numbers == np.round(numbers))
        text = np.where(whole, pd.Series(numbers).fillna(0).astype(np.int64).astype(str), series.astype(str))
        return np.where(np.isfinite(numbers), text, "").astype(object)
    return series.astype("string").str.strip().fillna("").to_numpy(dtype=object)


def _tokens(value: str) -> list[str]:
    return [t for t in _TOKEN.split(normalise_name(value)) if len(t) >= 3]


def match_rows(
    sensor_ids: np.ndarray, columns: list[np.ndarray], usable: np.ndarray | None = None
) -> np.ndarray:
    """Row of the locations of every sensor (-1 when none), trying ``columns`` (id strings, one
    array per id column, in order of preference) exactly, then folded, then by token.

    ``usable`` (rows,) bool: rows that may be matched (e.g. those with coordinates).
    """
    sensor_ids = np.asarray(sensor_ids, dtype=object)
    rows = np.full(len(sensor_ids), -1, dtype=np.int64)
    if not columns:
        return rows
    count = len(columns[0])
    usable = np.ones(count, bool) if usable is None else np.asarray(usable, bool)
    folded_sensors = [normalise_name(s) for s in sensor_ids]
    for how in ("exact", "folded", "token"):
        for values in columns:
            missing = np.flatnonzero(rows < 0)
            if len(missing) == 0:
                return rows
            lookup: dict[str, int] = {}
            for r in np.flatnonzero(usable & (values != "")):
                key = str(values[r]) if how == "exact" else normalise_name(values[r])
                if how == "token":
                    for token in _tokens(values[r]) or [key]:
                        lookup.setdefault(token, int(r))
                else:
                    lookup.setdefault(key, int(r))
            for s in missing:
                if how == "exact":
                    found = lookup.get(str(sensor_ids[s]), -1)
                elif how == "folded":
                    found = lookup.get(folded_sensors[s], -1)
                else:
                    found = next((lookup[t] for t in _tokens(sensor_ids[s]) if t in lookup), -1)
                rows[s] = found
    return rows


def id_columns(
    frame: pd.DataFrame,
    sensor_ids: np.ndarray,
    *,
    exclude: Set[str] = frozenset(),
    hint: str | None = None,
) -> list[str]:
    """The columns of ``frame`` that hold sensor ids, best first (several when ids are split
    across columns); empty when none holds any.

    A column named like ``hint`` (the readings' id column) or like an id (``station``, ``id``...)
    wins ties; columns of floats with decimals are never ids.
    """
    candidates = []
    preferred = {normalise_name(hint)} if hint else set()
    named = find_column(list(frame.columns), ID_NAMES, ID_WORDS, exclude=set(exclude))
    for column in frame.columns:
        if column in exclude or str(column).startswith("__"):
            continue
        series = frame[column]
        if pd.api.types.is_float_dtype(series):
            numbers = series.dropna().to_numpy(float)
            if len(numbers) and not np.all(numbers == np.round(numbers)):
                continue
        if pd.api.types.is_bool_dtype(series):
            continue
        values = id_strings(series)
        matched = match_rows(sensor_ids, [values]) >= 0
        score = int(matched.sum())
        if score:
            bonus = 2 if normalise_name(column) in preferred else (1 if column == named else 0)
            candidates.append((score, bonus, column, matched))
    candidates.sort(key=lambda c: (-c[0], -c[1]))
    chosen, covered = [], np.zeros(len(sensor_ids), bool)
    for _score, _, column, matched in candidates:
        if (matched & ~covered).any():
            chosen.append(column)
            covered |= matched
    return chosen


# -- finding a locations file ------------------------------------------------------------------------
def resolve(locations: str | Path, path: Path) -> Path:
    """A relative ``locations`` path is taken from the readings' folder first, then as given."""
    candidate = Path(locations)
    folder = path if path.is_dir() else path.parent
    if not candidate.is_absolute() and (folder / candidate).exists():
        return folder / candidate
    return candidate


def sidecar(path: Path) -> Path | None:
    """A locations file next to ``path`` named after it: ``<stem>_stations.csv``, ``<stem>.geojson``..."""
    if path.is_dir():
        return None
    for ending in LOCATION_SIDECARS:
        for suffix in LOCATION_SUFFIXES:
            candidate = path.with_name(path.stem + ending + suffix)
            if candidate != path and candidate.is_file():
                return candidate
    return None


def find_sibling(
    path: Path,
    sensor_ids: np.ndarray,
    *,
    crs: CRS | None = None,
    min_share: float = SIBLING_MIN_SHARE,
    exclude: set[Path] | None = None,
) -> tuple[Path, pd.DataFrame] | None:
    """A small file of the readings' folder that locates most sensors, and its sites.

    Tables with coordinate columns and point files are tried (at most :data:`SIBLING_LIMIT` files
    under :data:`SIBLING_MAX_BYTES`); the one locating the largest share of ``sensor_ids`` (at least
    ``min_share``) wins, the smallest file on a tie.
    """
    from layers.sensors.detect import is_observation_json

    folder = path if path.is_dir() else path.parent
    skip = {p.resolve() for p in (exclude or set())} | {path.resolve()}
    files = []
    for candidate in sorted(folder.iterdir()):
        suffix = candidate.suffix.lower()
        if suffix not in LOCATION_SUFFIXES or not candidate.is_file() or candidate.resolve() in skip:
            continue
        size = candidate.stat().st_size
        if size == 0 or size > SIBLING_MAX_BYTES:
            continue
        if suffix == ".json" and is_observation_json(candidate):
            continue
        files.append((size, candidate))
    best: tuple[float, int, Path, pd.DataFrame] | None = None
    for size, candidate in sorted(files)[:SIBLING_LIMIT]:
        if candidate.suffix.lower() in TABLE_SUFFIXES and not _has_coordinate_header(candidate):
            continue
        try:
            sites = read_locations(candidate, sensor_ids, crs=crs, warnings=[])
        except InputError:
            continue
        share = len(sites) / max(len(sensor_ids), 1)
        if share >= min_share and (best is None or share > best[0]):
            best = (share, size, candidate, sites)
    return (best[2], best[3]) if best else None


def _has_coordinate_header(path: Path) -> bool:
    """True when the first line of a table names coordinate columns (cheap pre-check)."""
    from layers.io.tables import LATLON_TEXT_NAMES, XY_PAIRS

    try:
        with open(path, "rb") as handle:
            first = handle.readline(65536).decode("utf-8", errors="replace")
    except OSError:
        return False
    names = {normalise_name(n) for n in re.split(r"[;,\t|]", first)}
    return any(a in names and b in names for (a, b), _ in XY_PAIRS) or bool(names & set(LATLON_TEXT_NAMES))


# -- small helpers -------------------------------------------------------------------------------
def sample(ids: Any, limit: int = 8) -> str:
    ids = [str(i) for i in ids]
    return ", ".join(ids[:limit]) + (f" … ({len(ids)} in all)" if len(ids) > limit else "")
