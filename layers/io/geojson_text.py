"""GeoJSON read without GDAL, for the files GDAL refuses although they are valid.

GDAL's streaming GeoJSON parser stops at any token longer than 10 million characters ("Too many
characters in number"), so one huge attribute value (a 10 MB text, an embedded picture) would lose
the whole file. :func:`read_geojson_text` reads such a file with Python's ``json`` and shapely,
whatever the size of its values (the file must fit in memory, which GDAL's limit guarantees for the
files that reach it).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from layers.core.errors import InputError

#: GDAL's message for a JSON token longer than its limit (10 million characters)
GDAL_TOKEN_LIMIT = "Too many characters"


def read_geojson_text(path: Path, notes: list[str]) -> gpd.GeoDataFrame:
    """A GeoJSON FeatureCollection (or a Feature, or a bare geometry) as a GeoDataFrame.

    The CRS is the legacy ``crs`` member's when there is one, else EPSG:4326 (as GDAL says);
    features without geometry keep a missing one (the caller drops them). Raises
    :class:`InputError` for invalid JSON or geometry.
    """
    try:
        data = json.loads(Path(path).read_bytes())
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(path, f"is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(path, "is not GeoJSON (expected a FeatureCollection object)")
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
    elif kind == "Feature":
        features = [data]
    else:
        features = [{"type": "Feature", "properties": {}, "geometry": data}]
    if not isinstance(features, list):
        raise InputError(path, "is not GeoJSON ('features' should be a list)", field="features")
    rows, geoms = [], []
    for i, feature in enumerate(features):
        if not isinstance(feature, dict):
            raise InputError(path, "is not a GeoJSON Feature object", feature=i)
        properties = feature.get("properties") or {}
        rows.append(properties if isinstance(properties, dict) else {})
        geometry = feature.get("geometry")
        try:
            geoms.append(None if geometry is None else shapely.from_geojson(json.dumps(geometry)))
        except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
            raise InputError(
                path, f"its geometry is not valid GeoJSON: {' '.join(str(exc).split())}", feature=i
            ) from None
    frame = gpd.GeoDataFrame(rows, geometry=np.array(geoms, dtype=object), crs=_crs(data))
    notes.append(
        f"{path.name}: read without GDAL (a value is longer than GDAL's limit of 10 million characters)"
    )
    return frame


def _crs(data: dict) -> str:
    member = data.get("crs")
    if isinstance(member, dict) and isinstance(member.get("properties"), dict):
        name = member["properties"].get("name")
        if isinstance(name, str) and name.strip():
            return name.strip()
    return "EPSG:4326"
