"""OpenStreetMap extracts (``.osm.pbf``, ``.osm`` XML) read offline through GDAL's OSM driver.

GDAL gives an extract as five layers: ``points`` (tagged nodes), ``lines`` (ways), ``multilinestrings``
(route relations...), ``multipolygons`` (closed ways with area tags and multipolygon relations) and
``other_relations``; untagged nodes and ways are not features (they are the vertices of others).
:func:`read_osm` reads them all (only what meets an :class:`~layers.core.area.Area`), parses their
tags (:mod:`layers.io.osm_tags`) and puts every feature in a theme or gives the reason it is left
out (:mod:`layers.io.osm_themes`), so that every feature of the file is accounted for.

From that:

* :func:`layers.io.osm_buildings.read_osm_buildings`: the buildings with their heights, for the
  buildings kind;
* :func:`read_osm_theme`: a topographic frame (``theme``, ``category``, ``width_m``, ``name``);
* :func:`osm_contents`: theme → feature count, for the ``maquette new`` scanner;
* :func:`osm_accounting`: every feature counted, in a theme or under the reason it is left out.

Coordinates are longitudes / latitudes (EPSG:4326), as OSM stores them.
"""

from __future__ import annotations

import math
import re
import warnings as pywarnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from layers.core.errors import InputError
from layers.io.osm_sea import sea_polygon
from layers.io.osm_tags import count, length_m, parse_other_tags
from layers.io.osm_themes import (
    AREA,
    COAST_IN_SEA,
    COASTLINE,
    COLLECTION,
    LINE,
    POINT,
    SEA,
    THEME_NAMES,
    classify,
)

if TYPE_CHECKING:
    import geopandas as gpd

    from layers.core.area import Area

#: suffixes of an extract (``.osm.pbf`` ends in ``.pbf``)
OSM_SUFFIXES = (".osm.pbf", ".pbf", ".osm")
OSM_CRS = "EPSG:4326"
#: GDAL's layers, the geometry kind of their features and the OSM type of their ids
OSM_LAYERS = (
    ("points", POINT, "node"),
    ("lines", LINE, "way"),
    ("multilinestrings", LINE, "relation"),
    ("multipolygons", AREA, "relation"),
    ("other_relations", COLLECTION, "relation"),
)
#: columns of GDAL's layers that are not tags
_NOT_TAGS = {"osm_id", "osm_way_id", "other_tags", "z_order", "geometry"}
#: metres per lane when a road's width is not mapped
LANE_WIDTH_M = 3.5
#: why a feature without geometry is left out
NO_GEOMETRY = "no geometry (members not in the extract)"
EXPECTED = "an OpenStreetMap extract"


def is_osm_path(path: str | Path) -> bool:
    """True for a file named as an OpenStreetMap extract (``.osm.pbf``, ``.pbf``, ``.osm``)."""
    return Path(path).name.lower().endswith(OSM_SUFFIXES)


def osm_name(path: str | Path) -> str:
    """The extract's name without its suffixes: ``monaco-latest`` for ``monaco-latest.osm.pbf``."""
    name = Path(path).name
    for suffix in OSM_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] or name
    return Path(path).stem


def looks_like_osm(head: bytes) -> bool:
    """True when the first bytes of a file are an OSM PBF header block or OSM XML."""
    if b"OSMHeader" in head[:64]:
        return True
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    return "<osm" in text[:1024]


@dataclass(frozen=True)
class OsmFeatures:
    """Every feature of an extract (that meets the area asked for), classified.

    Attributes
    ----------
    frame
        GeoDataFrame in EPSG:4326, one row per feature, GDAL's layers one after the other; index =
        position of the feature in that order; ``id`` (``way/123``, ``node/7``, ``relation/9``).
    tags
        The tags of each row (empty for nodes: no theme draws them, their tags are not read).
    theme, category, reason
        (n,) object: each row's theme (``"buildings"``, ``"road"``...) and category, or None and the
        reason it is left out.
    as_area
        (n,) bool: a closed way GDAL gave as a line that is an area of its theme (a building part, a
        riverbank, a pier): its geometry in ``frame`` is the polygon.
    """

    frame: gpd.GeoDataFrame
    tags: list[dict[str, str]]
    theme: np.ndarray
    category: np.ndarray
    reason: np.ndarray
    as_area: np.ndarray


def check_osm_file(path: Path) -> None:
    """:class:`InputError` unless ``path`` is a local, non-empty file that opens as OSM data."""
    from layers.io.vector_source import check_file

    check_file(path)
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not looks_like_osm(head):
        raise InputError(
            path,
            f"is not {EXPECTED}: no OSM header at its start",
            hint="damaged file or wrong extension? download the extract again",
        )


def read_osm(path: str | Path, area: Area | None = None) -> OsmFeatures:
    """Every feature of the extract at ``path`` that meets ``area`` (all without one), classified.

    Raises :class:`InputError` for a missing, empty, truncated or non-OSM file. The last two
    extracts read are kept in memory (reading every theme of one file parses it once)."""
    path = Path(path)
    check_osm_file(path)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, _area_key(area))
    if key not in _CACHE:
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _read(path, area)
    return _CACHE[key]


#: the extracts read last, by (path, modification time, size, area)
_CACHE: dict[tuple[str, int, int, tuple[bytes, str] | None], OsmFeatures] = {}
_CACHE_SIZE = 2


def _area_key(area: Area | None) -> tuple[bytes, str] | None:
    import shapely

    return None if area is None else (bytes(shapely.to_wkb(area.outline)), area.crs.to_wkt())


def _read(path: Path, area: Area | None) -> OsmFeatures:
    import geopandas as gpd
    import pandas as pd
    import shapely

    mask = None if area is None else area.in_crs(OSM_CRS).outline
    frames, shapes = [], []
    for layer, shape, osm_type in OSM_LAYERS:
        # nodes are drawn in no theme: their tags are not read (an extract holds millions of them)
        frame = _read_layer(path, layer, mask, ["osm_id"] if shape == POINT else None)
        frame["id"] = _ids(frame, osm_type)
        frames.append(frame)
        shapes.append(np.full(len(frame), shape, dtype=object))
    tags = [tag for frame in frames for tag in _tags(frame)]
    columns = ["id", "geometry"]
    whole = gpd.GeoDataFrame(
        pd.concat([f[columns] for f in frames], ignore_index=True), geometry="geometry", crs=OSM_CRS
    )
    kinds = np.concatenate(shapes)
    geoms = np.asarray(whole.geometry.values)
    closed = (kinds == LINE) & (shapely.get_type_id(geoms) == 1)
    closed[closed] = shapely.is_closed(geoms[closed]) & (shapely.get_num_points(geoms[closed]) >= 4)
    n = len(whole)
    theme = np.full(n, None, dtype=object)
    category = np.full(n, "", dtype=object)
    reason = np.full(n, None, dtype=object)
    as_area = np.zeros(n, dtype=bool)
    for i in range(n):
        choice = classify(tags[i], kinds[i], bool(closed[i]))
        theme[i], category[i], reason[i], as_area[i] = (
            choice.theme,
            choice.category,
            choice.reason,
            choice.as_area,
        )
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():  # a relation whose members the extract does not hold whole
        theme[missing], reason[missing], as_area[missing] = None, NO_GEOMETRY, False
    if as_area.any():  # closed ways GDAL gave as lines that are areas: polygons
        geoms = geoms.copy()
        geoms[as_area] = [shapely.polygons(shapely.get_coordinates(line)) for line in geoms[as_area]]
    coast = np.flatnonzero(reason == COASTLINE)
    if len(coast):
        box = shapely.box(*(area.in_crs(OSM_CRS).bounds if area is not None else _drawn_bounds(geoms, kinds)))
        sea = sea_polygon(geoms[coast], box)
        if sea is not None and area is not None:  # the sea of the model's area, not of its box
            sea = shapely.make_valid(shapely.intersection(sea, area.in_crs(OSM_CRS).outline))
        if sea is not None and not shapely.is_empty(
            sea
        ):  # the first coastline way carries the sea, the others are in it
            geoms = geoms.copy()
            geoms[coast[0]] = sea
            theme[coast[0]], category[coast[0]], reason[coast[0]] = "water", SEA, None
            as_area[coast[0]] = True
            reason[coast[1:]] = COAST_IN_SEA
    whole = whole.set_geometry(gpd.GeoSeries(geoms, crs=OSM_CRS, index=whole.index))
    return OsmFeatures(whole, tags, theme, category, reason, as_area)


def _drawn_bounds(geoms: np.ndarray, kinds: np.ndarray) -> tuple[float, float, float, float]:
    """The box of the extract's ways and areas (its nodes alone are drawn in no theme), degrees."""
    import shapely

    drawn = geoms[(kinds != POINT) & ~shapely.is_missing(geoms)]
    xmin, ymin, xmax, ymax = (float(v) for v in shapely.total_bounds(drawn if len(drawn) else geoms))
    return xmin, ymin, xmax, ymax


def _read_layer(
    path: Path, layer: str, mask: object | None, columns: list[str] | None = None
) -> gpd.GeoDataFrame:
    import pyogrio

    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(str(path), layer=layer, mask=mask, columns=columns)
    except Exception as exc:  # noqa: BLE001 - GDAL raises many types for one user-level problem
        raise _gdal_error(path, exc) from None
    return frame


def _gdal_error(path: Path, exc: Exception) -> InputError:
    text = " ".join(str(exc).split()).replace(str(path), "the file")
    if "not recognized as" in text or "not a supported file format" in text:
        return InputError(
            path,
            f"is not readable as {EXPECTED}",
            hint="damaged file or wrong extension? download the extract again",
        )
    where = re.search(r"parsing of data around byte (\d+)", text)
    if where or "truncated" in text.lower():
        return InputError(
            path,
            "is damaged or truncated: "
            + (f"not readable past byte {where[1]}" if where else text.rstrip(".")),
            hint="download the extract again",
        )
    return InputError(path, f"cannot be read as {EXPECTED}: {text.rstrip('.')}")


def _ids(frame: gpd.GeoDataFrame, osm_type: str) -> list[str]:
    """``node/1``, ``way/2``, ``relation/3``: a multipolygon from a closed way has ``osm_way_id``."""
    ids = frame["osm_id"].to_numpy(object) if "osm_id" in frame.columns else np.full(len(frame), None)
    way_ids = frame["osm_way_id"].to_numpy(object) if "osm_way_id" in frame.columns else None
    out = []
    for i, value in enumerate(ids):
        if way_ids is not None and isinstance(way_ids[i], str) and way_ids[i]:
            out.append(f"way/{way_ids[i]}")
        else:
            out.append(f"{osm_type}/{value}")
    return out


def _tags(frame: gpd.GeoDataFrame) -> list[dict[str, str]]:
    """Each row's tags: GDAL's tag columns that are set, and those of ``other_tags``."""
    import pandas as pd

    columns = [c for c in frame.columns if c not in _NOT_TAGS and c != "id" and c != frame.geometry.name]
    values = frame[columns].to_numpy(object)
    other = frame["other_tags"].to_numpy(object) if "other_tags" in frame.columns else None
    rows = []
    for i in range(len(frame)):
        tags = parse_other_tags(other[i]) if other is not None else {}
        for column, value in zip(columns, values[i], strict=True):
            if not pd.isna(value) and str(value) != "":
                tags[column] = str(value)
        rows.append(tags)
    return rows


# -- what an extract holds -----------------------------------------------------------------------
def osm_accounting(path: str | Path, area: Area | None = None) -> dict[str, int]:
    """Every feature of the extract (meeting ``area``) counted once: per theme (``"buildings"``,
    ``"road"``...) and per reason it is left out (:mod:`layers.io.osm_themes`)."""
    features = read_osm(path, area)
    counts: Counter[str] = Counter()
    for theme, reason in zip(features.theme, features.reason, strict=True):
        counts[theme if theme is not None else reason] += 1
    return dict(counts)


def osm_contents(path: str | Path, area: Area | None = None) -> dict[str, int]:
    """Theme → feature count of what the extract holds that Maquette draws (``"buildings"``
    included, themes without features left out), for the ``maquette new`` scanner."""
    features = read_osm(path, area)
    return dict(Counter(t for t in features.theme if t is not None))


def osm_theme_accounting(
    path: str | Path, theme: str, area: Area | None = None
) -> tuple[int, dict[str, int]]:
    """What a layer of ``theme`` read from the extract accounts for besides its features: the
    extract's features (meeting ``area``), and those not of ``theme`` counted by reason (``"another
    theme: buildings"``, ``"under the ground..."``): ``(features_in, dropped_reasons)`` for
    ``TopoLayer.from_frame``."""
    counts = osm_accounting(path, area)
    features_in = sum(counts.values())
    others = {
        (key if key not in THEME_NAMES else f"another theme: {key}"): n
        for key, n in counts.items()
        if key != theme
    }
    return features_in, others


# -- topographic frames --------------------------------------------------------------------------
def read_osm_theme(path: str | Path, theme: str, area: Area | None = None) -> gpd.GeoDataFrame:
    """The features of ``theme`` (``"road"``, ``"rail"``, ``"water"``, ``"vegetation"``, ``"hedge"``,
    ``"sport"``, ``"cemetery"``, ``"construction"``, ``"activity"``) as a topographic frame in
    EPSG:4326: ``id``, ``theme``, ``category`` (the OSM value: ``"primary"``, ``"park"``,
    ``"river"``...), ``width_m`` (metres: ``width``, else ``lanes`` × 3.5 m for roads, else NaN),
    ``name`` (None when unnamed) and ``geometry``. Closed ways of area themes are polygons; invalid
    polygons are repaired. Empty when the extract has none (see :func:`osm_accounting`)."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    features = read_osm(path, area)
    rows = np.flatnonzero(features.theme == theme)
    geoms = np.asarray(features.frame.geometry.values)[rows]
    geoms = geoms.copy()
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    invalid = polygonal & ~shapely.is_valid(geoms)
    if invalid.any():
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    tags = [features.tags[r] for r in rows]
    index = features.frame.index[rows]
    frame = gpd.GeoDataFrame(
        {
            "id": features.frame["id"].to_numpy(object)[rows],
            "theme": np.full(len(rows), theme, dtype=object),
            "category": features.category[rows],
            "width_m": np.array([width_m(t, theme) for t in tags], dtype=np.float64),
            "name": pd.Series([t.get("name") or None for t in tags], dtype=object, index=index),
        },
        geometry=geoms,
        crs=OSM_CRS,
        index=index,
    )
    return frame


def width_m(tags: dict[str, str], theme: str) -> float:
    """A line's width in metres: ``width`` (``est_width``), else for roads ``lanes`` × 3.5 m; NaN
    when unknown or not positive."""
    width = length_m(tags.get("width"))
    if not math.isfinite(width):
        width = length_m(tags.get("est_width"))
    if not math.isfinite(width) and theme == "road":
        width = count(tags.get("lanes")) * LANE_WIDTH_M
    return width if math.isfinite(width) and width > 0 else math.nan
