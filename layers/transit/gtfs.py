"""Reading a GTFS feed: the files and columns it must have, its tables as Maquette holds them.

The feed is read with `gtfs_kit <https://github.com/mrcagney/gtfs_kit>`_ (typed columns, byte
order marks, quoted fields, CRLF, zip or folder, non-standard files ignored); :func:`read_feed`
checks what GTFS requires and says what is wrong in user words. The tables then become what a
:class:`~layers.transit.layer.TransitLayer` holds: the located stops, the routes with their
colours, the shapes as one array of points (:class:`Shapes`). Times and dates are parsed here
(:func:`gtfs_seconds`, :func:`gtfs_dates`); the calendar and the timetable are built by
:mod:`layers.transit.service_days` and :mod:`layers.transit.timetable`.
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from layers.core import timeutil
from layers.core.errors import InputError
from layers.core.safety import check_archive

REQUIRED_FILES = ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
#: colours of routes whose feed gives none, by route row (Tableau 10)
DEFAULT_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
STAR_NAMES = re.compile(r"\bstar\b|keolis rennes|rennes m[ée]tropole", re.I)


@dataclass
class Shapes:
    """The feed's shapes, their points concatenated.

    Attributes
    ----------
    ids : pandas.Index
        (L,) shape ids (shapes of two points or more).
    points : numpy.ndarray
        (P, 2) float64 points of all shapes, in the layer's CRS (WGS84 lon/lat as read).
    offsets : numpy.ndarray
        (L + 1,) int64: shape ``i`` is ``points[offsets[i]:offsets[i + 1]]``.
    dist : numpy.ndarray or None
        (P,) the feed's ``shape_dist_traveled`` (its own unit), when every point has one.
    """

    ids: pd.Index = dataclasses.field(default_factory=lambda: pd.Index([], dtype=object))
    points: np.ndarray = dataclasses.field(default_factory=lambda: np.empty((0, 2)))
    offsets: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    dist: np.ndarray | None = None


def read_feed(path: Path, warnings: list[str]) -> Any:
    """The ``gtfs_kit`` feed of ``path`` (zip or folder), checked: :class:`InputError` for what
    GTFS requires and the feed lacks; repairs noted in ``warnings``."""
    _check_files(path)
    feed = _read_feed(path)
    _check_columns(feed, path, warnings)
    return feed


def _check_files(path: Path) -> None:
    if not path.exists():
        raise InputError(path, "no such file or folder")
    if path.is_dir():
        names = {p.name for p in path.iterdir()}
    else:
        try:
            with zipfile.ZipFile(path) as archive:
                check_archive(path, archive)  # sizes declared, before gtfs_kit unpacks anything
                members = [n for n in archive.namelist() if not n.endswith("/")]
        except zipfile.BadZipFile:
            raise InputError(
                path,
                "not a valid zip archive (truncated or corrupted)",
                hint="copy, download or export it again",
            ) from None
        from gtfs_kit.constants import DTYPES  # the members gtfs_kit reads, by name

        from layers.core.safety import unsafe_member

        # the feed is read in place, never extracted: a member named ../evil.txt is ignored, but a
        # GTFS table under such a name (which gtfs_kit would read) is refused
        unsafe = [n for n in members if unsafe_member(n) and n.endswith(".txt") and Path(n).stem in DTYPES]
        if unsafe:
            raise InputError(
                path,
                f"the zip archive names files outside itself ({', '.join(unsafe[:3])})",
                hint="a GTFS zip holds its .txt files at its root: zip the feed again",
            )
        names = {Path(n).name for n in members}
    missing = [n for n in REQUIRED_FILES if n not in names]
    if missing:
        raise InputError(
            path,
            f"the GTFS feed has no {', '.join(missing)}",
            hint="a GTFS feed needs stops.txt, routes.txt, trips.txt and stop_times.txt",
        )


#: the columns Maquette reads in each GTFS table (GTFS requires them)
REQUIRED_COLUMNS = {
    "stops": ("stop_id", "stop_lat", "stop_lon"),
    "routes": ("route_id",),
    "trips": ("route_id", "service_id", "trip_id"),
    "stop_times": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
    "calendar": ("service_id", *WEEKDAYS, "start_date", "end_date"),
    "calendar_dates": ("service_id", "date", "exception_type"),
}
ID_COLUMNS = {"routes": "route_id", "trips": "trip_id"}


def _check_columns(feed: Any, path: Path, warnings: list[str]) -> None:
    """:class:`InputError` for a table lacking a column GTFS requires; repeated route and trip ids
    keep their first row (noted); shapes without their columns are left out (noted)."""
    for table, columns in REQUIRED_COLUMNS.items():
        frame = getattr(feed, table)
        if frame is None:
            continue
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise InputError(
                path,
                f"the GTFS feed's {table}.txt has no column {', '.join(missing)}",
                hint=f"GTFS requires {', '.join(columns)} in {table}.txt; export the feed again",
            )
    for table, column in ID_COLUMNS.items():
        frame = getattr(feed, table)
        ids = frame[column].astype("string").str.strip()
        if ids.duplicated().any():
            warnings.append(
                f"{table}.txt repeats {int(ids.duplicated().sum())} {column}s "
                f"({sample(ids[ids.duplicated()].dropna().unique())}): the first row of each is used"
            )
            setattr(feed, table, frame[~ids.duplicated().to_numpy()].reset_index(drop=True))
    shapes = feed.shapes
    if shapes is not None and not {"shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"} <= set(
        shapes.columns
    ):
        warnings.append(
            "shapes.txt lacks shape_id, shape_pt_lat, "
            "shape_pt_lon or shape_pt_sequence: routes drawn stop to stop"
        )
        feed.shapes = None


def _read_feed(path: Path) -> Any:
    import gtfs_kit

    try:
        # dist_units only matters for gtfs_kit's own statistics; giving it skips a guess
        feed = gtfs_kit.read_feed(path, dist_units="km")
    except UnicodeDecodeError:
        raise InputError(path, "the GTFS feed is not UTF-8 text (GTFS requires UTF-8)") from None
    except Exception as exc:  # noqa: BLE001 - pandas / zip errors are all "unreadable" for a user
        raise InputError(
            path, f"cannot read the GTFS feed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        ) from None
    for table in ("stops", "routes", "trips", "stop_times"):
        if getattr(feed, table) is None:
            raise InputError(path, f"the GTFS feed's {table}.txt is empty")
    return feed


def read_extensions(path: Path) -> dict[str, pd.DataFrame]:
    """Non-standard ``<table>_extensions.txt`` files (STAR: stop and route accessibility)."""
    found: dict[str, pd.DataFrame] = {}

    def text_table(source: Path | IO[bytes]) -> pd.DataFrame:
        return pd.read_csv(
            source, dtype=str, encoding="utf-8-sig", skipinitialspace=True, keep_default_na=False
        )

    try:
        if path.is_dir():
            for file in path.glob("*_extensions.txt"):
                found[file.name[: -len("_extensions.txt")]] = text_table(file)
        else:
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    name = Path(member).name
                    if name.endswith("_extensions.txt"):
                        with archive.open(member) as handle:
                            found[name[: -len("_extensions.txt")]] = text_table(handle)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return found
    for frame in found.values():
        frame.columns = [c.strip() for c in frame.columns]
        for column in frame.columns:
            frame[column] = frame[column].str.strip()
    return found


def agency_timezone(feed: Any, warnings: list[str]) -> str:
    """The IANA zone of the feed's agency (the default one, noted, when unknown)."""
    zone = _first(feed.agency, "agency_timezone") if feed.agency is not None else None
    try:
        return timeutil.zone(zone).key
    except ValueError:
        warnings.append(f"unknown agency_timezone {zone!r}: {timeutil.DEFAULT_TIMEZONE} used")
        return timeutil.DEFAULT_TIMEZONE


def read_stops(feed: Any, extension: pd.DataFrame | None, warnings: list[str]) -> pd.DataFrame:
    """The stops placed on the map: located, and either plain stops or stops some trip uses
    (stations and entrances that no trip names are left out), joined to their extension."""
    stops = feed.stops.copy()
    stops["stop_id"] = stops["stop_id"].str.strip()
    referenced = set(pd.unique(feed.stop_times["stop_id"].str.strip()))
    kind = stops["location_type"].fillna(0).to_numpy() if "location_type" in stops else np.zeros(len(stops))
    located = stops["stop_lat"].notna().to_numpy() & stops["stop_lon"].notna().to_numpy()
    used = stops["stop_id"].isin(referenced).to_numpy()
    keep = located & ((kind == 0) | used)
    if (used & ~located).any():
        warnings.append(
            f"stops without coordinates, skipped by their trips: {sample(stops['stop_id'][used & ~located])}"
        )
    stops = stops[keep].drop_duplicates("stop_id").reset_index(drop=True)
    if extension is not None and "stop_id" in extension:
        stops = stops.merge(
            extension.drop_duplicates("stop_id"), on="stop_id", how="left", suffixes=("", "_ext")
        )
    return stops


def read_routes(feed: Any, extension: pd.DataFrame | None) -> pd.DataFrame:
    """One row per route: ``route_id``, ``short_name``, ``long_name``, ``color`` and ``text_color``
    (``"#rrggbb"``; a palette colour and a contrasting text when the feed gives none), ``type``
    (GTFS route_type, 3 when missing), plus the extension's columns."""
    raw = feed.routes.reset_index(drop=True)
    count = len(raw)
    routes = pd.DataFrame(
        {
            "route_id": raw["route_id"].str.strip().to_numpy(dtype=object),
            "short_name": _text(raw, "route_short_name", count),
            "long_name": _text(raw, "route_long_name", count),
        }
    )
    colors = [_hex_color(c) for c in _text(raw, "route_color", count)]
    routes["color"] = [c or DEFAULT_PALETTE[i % len(DEFAULT_PALETTE)] for i, c in enumerate(colors)]
    text_colors = [_hex_color(c) for c in _text(raw, "route_text_color", count)]
    routes["text_color"] = [t or _contrast(c) for t, c in zip(text_colors, routes["color"])]
    kinds = raw["route_type"] if "route_type" in raw else pd.Series([3] * count)
    routes["type"] = pd.to_numeric(kinds, errors="coerce").fillna(3).astype(int).to_numpy()
    blank = routes["short_name"] == ""
    routes.loc[blank, "short_name"] = routes.loc[blank, "long_name"].where(
        routes.loc[blank, "long_name"] != "", routes.loc[blank, "route_id"]
    )
    if extension is not None and "route_id" in extension:
        routes = routes.merge(
            extension.drop_duplicates("route_id"), on="route_id", how="left", suffixes=("", "_ext")
        )
    return routes


def read_shapes(feed: Any) -> Shapes:
    """The shapes of two points or more, their points in sequence order (WGS84 lon/lat)."""
    shapes = feed.shapes
    if shapes is None or shapes.empty:
        return Shapes()
    shapes = shapes.assign(shape_id=shapes["shape_id"].str.strip())
    shapes = shapes.dropna(subset=["shape_pt_lat", "shape_pt_lon"]).sort_values(
        ["shape_id", "shape_pt_sequence"], kind="stable"
    )
    counts = shapes.groupby("shape_id", sort=False).size()
    shapes = shapes[shapes["shape_id"].isin(counts.index[counts >= 2])]
    counts = counts[counts >= 2]
    complete = "shape_dist_traveled" in shapes and shapes["shape_dist_traveled"].notna().all()
    return Shapes(
        ids=pd.Index(counts.index.to_numpy(dtype=object)),
        points=np.column_stack(
            [shapes["shape_pt_lon"].to_numpy(float), shapes["shape_pt_lat"].to_numpy(float)]
        ),
        offsets=np.concatenate([[0], np.cumsum(counts.to_numpy())]).astype(np.int64),
        dist=shapes["shape_dist_traveled"].to_numpy(float) if complete else None,
    )


def gtfs_seconds(series: pd.Series, path: Path, field: str) -> np.ndarray:
    """Seconds since the service day's origin of ``H:MM:SS`` texts (past 24:00:00 allowed);
    NaN for empty cells."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = series.astype("string").str.strip()
    text = text.mask(text == "")  # an empty cell is no time
    parts = pc.split_pattern(pa.array(text, from_pandas=True, type=pa.string()), ":")
    try:
        h, m, s = (pc.cast(pc.list_element(parts, i), pa.float64()) for i in range(3))
    except (pa.ArrowInvalid, IndexError):
        bad = text[text.notna() & ~text.str.fullmatch(r"\d{1,3}:\d{2}:\d{2}").fillna(False)]
        example = bad.iloc[0] if len(bad) else "?"
        raise InputError(
            path, f"stop_times.txt: {example!r} is not a GTFS time (expected HH:MM:SS)", field=field
        ) from None
    seconds = pc.add(pc.add(pc.multiply(h, 3600.0), pc.multiply(m, 60.0)), s)
    return seconds.to_numpy(zero_copy_only=False).astype(np.float64)


def gtfs_dates(series: pd.Series, path: Path, file: str, field: str) -> np.ndarray:
    """Day ordinals (``date.toordinal``) of ``YYYYMMDD`` texts."""
    parsed = pd.to_datetime(series.astype("string").str.strip(), format="%Y%m%d", errors="coerce")
    if parsed.isna().any():
        bad = series[parsed.isna()].iloc[0]
        raise InputError(path, f"{file}: {bad!r} is not a GTFS date (expected YYYYMMDD)", field=field)
    epoch = date(1970, 1, 1).toordinal()
    return (parsed.to_numpy().astype("datetime64[D]").astype(np.int64) + epoch).astype(np.int64)


def agency_names(feed: Any) -> list[str]:
    """The agencies' names, as the feed writes them."""
    if feed.agency is None or "agency_name" not in feed.agency:
        return []
    return [str(n).strip() for n in pd.unique(feed.agency["agency_name"].dropna()) if str(n).strip()]


def attribution(feed: Any, agencies: list[str]) -> str | None:
    """The credit line of the feed: STAR / Rennes Métropole, its agencies, or its publisher (in
    English, ``Source: …``; worded per language where shown: :mod:`layers.core.messages`)."""
    publisher = _first(feed.feed_info, "feed_publisher_name") if feed.feed_info is not None else None
    if any(STAR_NAMES.search(n) for n in agencies) or (publisher and STAR_NAMES.search(publisher)):
        return "Source: STAR / Rennes Métropole"
    if agencies:
        return "Source: " + ", ".join(agencies)
    return f"Source: {publisher}" if publisher else None


# -- small helpers -----------------------------------------------------------------------------------
def _text(frame: pd.DataFrame, column: str, count: int) -> np.ndarray:
    if column not in frame:
        return np.array([""] * count, dtype=object)
    return frame[column].astype("string").fillna("").str.strip().to_numpy(dtype=object)


def _hex_color(value: str) -> str | None:
    text = str(value).strip().lstrip("#")
    return f"#{text.lower()}" if re.fullmatch(r"[0-9a-fA-F]{6}", text) else None


def _contrast(color: str) -> str:
    """Black or white text for a badge of ``color``: white unless the colour is bright (perceived
    YIQ brightness above 150 of 255), as transit signage does."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if (299 * red + 587 * green + 114 * blue) / 1000 > 150 else "#ffffff"


def _first(frame: pd.DataFrame | None, column: str) -> str | None:
    if frame is None or column not in frame or frame[column].dropna().empty:
        return None
    return str(frame[column].dropna().iloc[0]).strip()


def sample(values: Any, limit: int = 8) -> str:
    items = [str(v) for v in pd.unique(np.asarray(values, dtype=object))]
    return ", ".join(items[:limit]) + (f" … ({len(items)} in all)" if len(items) > limit else "")
