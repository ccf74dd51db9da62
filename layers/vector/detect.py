"""The sniffers of the vector kind: flat features, when no other kind knows them better."""

from __future__ import annotations

from typing import TYPE_CHECKING

from layers.core.errors import InputError
from layers.core.kinds import Claim

if TYPE_CHECKING:
    from layers.io.probe import FileProbe

GEOMETRY_COLUMNS = frozenset({"wkt", "geometry", "geom", "the_geom"})


def sniff_header(probe: FileProbe) -> Claim | None:
    """A table with a WKT geometry column is features, whatever else its columns say."""
    if "table" in probe.families and {c.lower() for c in probe.table_columns} & GEOMETRY_COLUMNS:
        return Claim.FORMAT
    return None


def sniff_features(probe: FileProbe) -> Claim | None:
    """Polygons (land use, parks, water); any other features as a fallback. A file whose
    geometry is unknown and that holds no feature is refused."""
    geometry = probe.geometry_type
    if "polygon" in geometry:
        return Claim.SHAPE
    if (not geometry or geometry == "unknown") and probe.vector_info.get("features", 0) == 0:
        raise InputError(probe.path, "holds no features", hint="export the layer again with its features")
    return Claim.FALLBACK
