"""The story page's vector overlays: lines, polygons and points (land use, streets, transit routes
and stops, sensors) as GeoJSON files in WGS 84 (EPSG:4326), each feature with the colour the app
draws it in (``colour``, ``"#rrggbb"``), which the page draws just above its flat ground
(``story_ground.js``).

Dense lines and rings are simplified in the scene CRS (:data:`SIMPLIFY_M`, under a pixel at a
district view) and coordinates rounded to :data:`DIGITS` decimals of a degree (~0.1 m), so the page
stays small. Plain data (geopandas, shapely), no VTK: the web page's side.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import geopandas as gpd

#: the folder of the GeoJSON files in the page
VECTOR_FOLDER = "vectors"
#: simplification tolerance in metres of the scene CRS
SIMPLIFY_M = 0.5
#: decimals kept of a longitude or latitude (1e-6° ≈ 0.1 m)
DIGITS = 6


@dataclass
class VectorOverlay:
    """One layer's drawn features: ``frame`` (geometry in the scene CRS, ``colour`` per feature),
    ``opacity`` (0..1, the app's, polygons translucent where the app draws them so); ``part``
    names a second set of one layer (a transit layer's stops)."""

    key: str
    name: str
    frame: gpd.GeoDataFrame
    opacity: float
    part: str = ""

    def kind(self) -> str:
        """``"points"``, ``"lines"`` or ``"polygons"`` (the first feature's)."""
        types = set(self.frame.geom_type)
        if types & {"Polygon", "MultiPolygon"}:
            return "polygons"
        if types & {"LineString", "MultiLineString"}:
            return "lines"
        return "points"

    def digest(self) -> str:
        """What makes two overlays the same: layer, part, colours and opacity (steps share one)."""
        import hashlib

        h = hashlib.sha1(repr((self.key, self.part, round(self.opacity, 3))).encode("utf-8"))
        h.update("|".join(self.frame["colour"]).encode("ascii"))
        return h.hexdigest()[:12]


def geojson_bytes(overlay: VectorOverlay) -> bytes:
    """``overlay``'s features as a GeoJSON FeatureCollection in EPSG:4326 (``colour`` property)."""
    import shapely

    frame = overlay.frame[~overlay.frame.geometry.is_empty & overlay.frame.geometry.notna()]
    if overlay.kind() != "points":
        frame = frame.assign(geometry=frame.geometry.simplify(SIMPLIFY_M, preserve_topology=True))
    frame = frame.to_crs(4326)
    geometry = shapely.transform(frame.geometry.values, lambda xy: np.round(xy, DIGITS))
    features = [
        {"type": "Feature", "properties": {"colour": colour}, "geometry": shapely.geometry.mapping(shape)}
        for colour, shape in zip(frame["colour"], geometry)
    ]
    document = {"type": "FeatureCollection", "features": features}
    return json.dumps(document, separators=(",", ":")).encode("utf-8")


def vector_entries(overlays: list[VectorOverlay]) -> tuple[list[dict[str, Any]], list[bytes]]:
    """The page's description of each vector overlay (id, layer key, name, kind, GeoJSON path,
    opacity, features) and the GeoJSON bytes to write at each ``url`` (relative to the page)."""
    entries: list[dict[str, Any]] = []
    files: list[bytes] = []
    for i, overlay in enumerate(overlays):
        entries.append(
            {
                "id": i,
                "key": overlay.key,
                "name": overlay.name,
                "kind": overlay.kind(),
                "url": f"{VECTOR_FOLDER}/{i}.geojson",
                "opacity": round(overlay.opacity, 3),
                "features": len(overlay.frame),
            }
        )
        files.append(geojson_bytes(overlay))
    return entries, files
