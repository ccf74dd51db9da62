"""A planned project for sun-and-shade studies: a residential tower built in a courtyard.

« Tour des Peupliers (projet fictif) »: 13 storeys (40 m) on a 24 m × 16 m footprint, in the
courtyard of the block just south of the Square des Peupliers — the kind of courtyard infill that
makes residents ask how much sun their garden and the square will lose. Its place is found, not
typed: the point of that courtyard nearest to the square that keeps 12 m from every building,
aligned with the block. Written as GeoJSON in Lambert-93 with ``hauteur`` and ``projet``; the
project file opens it hidden with the ``proposed`` option.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
import shapely.ops

from .common import CRS, X0_M, Y0_M

NAME = "Tour des Peupliers (projet fictif)"
HEIGHT_M = 40.0
STOREYS = 13
LENGTH_M, WIDTH_M = 24.0, 16.0
#: clearance from every existing building, metres
CLEARANCE_M = 12.0
SQUARE = "Square des Peupliers (fictif)"


def proposed_tower(layout, building_geoms) -> shapely.Polygon:
    """The tower's footprint in local metres (u, v)."""
    square = next(geom for geom, _kind, name in layout.landuse if name == SQUARE)
    target = shapely.Point(square.centroid.x, square.bounds[1] - 60.0)  # south of the square
    index = int(np.argmin([block.distance(target) for block in layout.blocks]))
    block, angle = layout.blocks[index], float(layout.block_angle[index])
    buildings = np.asarray(building_geoms, dtype=object)
    near = buildings[shapely.intersects(buildings, block.buffer(5.0))]
    free = block.buffer(-8.0).difference(shapely.union_all(shapely.buffer(near, CLEARANCE_M)))
    room = free.buffer(-WIDTH_M / 2)  # where the centre can go with the tower's half-width free
    if room.is_empty:
        raise RuntimeError("no room for the planned tower south of the square")
    centre, _ = shapely.ops.nearest_points(room, square)
    half = (
        np.array([[-LENGTH_M, -WIDTH_M], [LENGTH_M, -WIDTH_M], [LENGTH_M, WIDTH_M], [-LENGTH_M, WIDTH_M]]) / 2
    )
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    corners = half @ np.array([[c, s], [-s, c]]) + np.array([centre.x, centre.y])
    tower = shapely.Polygon(np.round(corners, 2))
    if shapely.intersects(tower, shapely.union_all(near)):
        raise RuntimeError("the planned tower would overlap a building")
    return tower


def write_geojson(tower: shapely.Polygon, path: Path) -> None:
    """``proposed_tower.geojson``: one feature, Lambert-93 (declared in the ``crs`` member)."""
    coords = [
        [round(x + X0_M, 2), round(y + Y0_M, 2)]
        for x, y in shapely.get_coordinates(shapely.orient_polygons(tower))
    ]
    document = {
        "type": "FeatureCollection",
        "name": "proposed_tower",
        "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{CRS.split(':')[1]}"}},
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "id": "PROJET0001",
                    "nom": NAME,
                    "hauteur": HEIGHT_M,
                    "nb_etages": STOREYS,
                    "usage": "Résidentiel",
                    "projet": "permis de construire déposé (fictif)",
                },
                "geometry": {"type": "Polygon", "coordinates": [coords]},
            }
        ],
    }
    Path(path).write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
