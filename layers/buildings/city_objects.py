"""What the city model readers (:mod:`~layers.buildings.cityjson`, :mod:`~layers.buildings.citygml`)
hand to :class:`~layers.buildings.citymodel.CityModelLayer`: buildings with their surfaces, the
objects left out, the CRS declared."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import CRS

from layers.core import crs as crs_util

#: city object types kept as buildings (others are counted as dropped, with their type)
BUILDING_TYPES = (
    "Building",
    "BuildingPart",
    "BuildingInstallation",
    "BuildingConstructiveElement",
    "BuildingStorey",
    "BuildingRoom",
    "BuildingUnit",
)
ROOF = "RoofSurface"
GROUND = "GroundSurface"
#: a face counts as looking up (a roof, when the file has no semantics) above this normal z
UP = 0.3


@dataclass
class ModelObject:
    """One top-level building of a city model, its parts merged.

    ``surfaces``: ``(rings, semantic)`` per polygon, ``rings`` a list of int index arrays into the
    model's vertices (exterior first, not closed), ``semantic`` e.g. ``"RoofSurface"`` or ``None``.
    """

    id: str
    type: str
    attributes: dict[str, Any]
    lod: str | None = None
    surfaces: list[tuple[list[np.ndarray], str | None]] = field(default_factory=list)
    parts: int = 0
    measured_height_m: float | None = None
    #: faces left out because they point to vertices the file does not have (or not numbers)
    faces_dropped: int = 0


@dataclass
class ModelData:
    """What a reader gives: vertices (V, 3) float64 in the file's CRS (``transform`` applied), the
    buildings, the objects left out ``{reason: [ids]}``, the CRS declared (``None`` when none)."""

    vertices: np.ndarray
    objects: list[ModelObject]
    dropped: dict[str, list[str]]
    crs: CRS | None
    format: str
    version: str | None = None
    features_in: int = 0
    notes: list[str] = field(default_factory=list)


def is_city_model(path: str | Path) -> bool:
    """True for a CityJSON (``"type": "CityJSON"``) or CityGML file."""
    path = Path(path)
    if not path.is_file():
        return False
    suffix = path.suffix.lower()
    if suffix not in {".json", ".jsonl", ".gml", ".xml"}:
        return False
    with open(path, "rb") as handle:
        head = handle.read(4096).decode("utf-8", errors="replace")
    if suffix in {".json", ".jsonl"}:
        # "type" may come last (keys in any order): the CityObjects member says it as well
        return bool(
            re.search(r'"type"\s*:\s*"CityJSON', head) or re.search(r'^\s*\{\s*"CityObjects"\s*:', head)
        )
    return "citygml" in head.lower()


def parse_crs_reference(text: str | None) -> CRS | None:
    """A CRS from a CityJSON ``referenceSystem`` / GML ``srsName`` (URL, URN or ``EPSG:xxxx``)."""
    if not text:
        return None
    match = re.search(r"EPSG(?:/0/|::|:|/)(\d+)\s*$", str(text).strip(), re.I) or re.search(
        r"(?:crs|epsg)\D*(\d{4,5})\D*$", str(text), re.I
    )
    try:
        return crs_util.parse_crs(f"EPSG:{match.group(1)}") if match else crs_util.parse_crs(text)
    except ValueError:
        return None
