"""The sniffers of the buildings kind: city models by their format, footprints by a height field."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from layers.buildings.heights import find_height_field
from layers.core.kinds import Claim
from layers.io.osm import is_osm_path
from layers.topo.themes import BUILDINGS, bdtopo_theme

if TYPE_CHECKING:
    from layers.io.probe import FileProbe

_CITYJSON_TYPE = re.compile(r'"type"\s*:\s*"CityJSON')
_CITYJSON_OPENING = re.compile(r'^\s*\{\s*"CityObjects"\s*:')


def is_cityjson_text(head: str) -> bool:
    """True for the first kilobytes of a CityJSON document.

    The ``"type"`` member may come last (keys in any order): a document opening on
    ``CityObjects`` is CityJSON too."""
    return bool(_CITYJSON_TYPE.search(head) or _CITYJSON_OPENING.search(head))


def sniff_header(probe: FileProbe) -> Claim | None:
    """CityJSON and CityGML files are buildings whatever else they hold; BD TOPO's building themes
    (``BATIMENT``, ``BATI_INDIFFERENCIE``...) by their name."""
    if probe.is_dir:
        return None
    if probe.suffix in {".json", ".geojson"} and is_cityjson_text(probe.head(2048)):
        return Claim.FORMAT
    if probe.suffix in {".gml", ".xml"} and "citygml" in probe.head(4096).lower():
        return Claim.FORMAT
    if "vector" in probe.families and bdtopo_theme(probe.path.stem) == BUILDINGS:
        return Claim.NAME  # BD TOPO's BATIMENT, even without its attribute table
    if is_osm_path(probe.path):  # an OpenStreetMap extract: its buildings (its other themes: topo)
        return Claim.FORMAT
    return None


def sniff_features(probe: FileProbe) -> Claim | None:
    """Polygons (perhaps inside geometry collections) with a height (or storeys) field are
    building footprints."""
    if probe.may_hold_polygons and find_height_field(probe.fields) is not None:
        return Claim.CONTENT
    return None
